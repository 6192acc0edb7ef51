"""Fixtures of the exchange tests: DEMO signing keys in a per-test var/ (an official reply must be signed)."""

from __future__ import annotations

import pytest

from phoihop.cases.tests.factories import org


@pytest.fixture
def demo_keys(settings, tmp_path, db):
    """DEMO keys for the DIC, the Provincial Police and Viettel (the DEMO CA is a trust root)."""
    from phoihop.documents.signing import demo

    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.PHOIHOP_SIGNING_KEYS = ""
    settings.PHOIHOP_TRUST_ROOTS = ""
    settings.PHOIHOP_TSA_URL = ""
    demo.keys_ensure([org("st-dic"), org("st-police"), org("st-viettel")])
    return settings.VAR_DIR
