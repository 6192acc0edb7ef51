"""Shared test set-up: the reference data is loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from phoihop.rulesets.services import ruleset_load

    with django_db_blocker.unblock():
        ruleset_load(code_or_path="soctrang-2013")


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded evidence and other files go to a per-test folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }


@pytest.fixture(autouse=True)
def _english(settings):
    """Unit tests read the English source strings; the Vietnamese default is checked on its own."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
