"""Indicator normalisation is pure Python: these tests need no database and no Django settings.

The project's conftest.py isolates file storage, the cache and the language around every test through
pytest-django's ``settings``; the tests here use none of them and must also run without pytest-django
(``pytest -p no:django phoihop/indicators/tests/normalise``), so the three fixtures are replaced by
no-ops for this folder only. Messages are lazy translations and are never turned into strings here:
tests compare ``error_code`` only.
"""

import pytest


@pytest.fixture(autouse=True)
def _isolated_files():
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    yield


@pytest.fixture(autouse=True)
def _english():
    yield
