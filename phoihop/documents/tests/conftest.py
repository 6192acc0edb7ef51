"""Fixtures of the documents tests: the cast of people (cases' factories), and DEMO keys in a per-test var/."""

from __future__ import annotations

import pytest

from phoihop.cases.tests.factories import make_user, org


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.PHOIHOP_SIGNING_KEYS = ""
    settings.PHOIHOP_TRUST_ROOTS = ""
    settings.PHOIHOP_TSA_URL = ""
    return settings.VAR_DIR


@pytest.fixture
def demo_keys(var_dir, db):
    """DEMO keys for the DIC, the Provincial Police and Viettel (the DEMO CA is a trust root)."""
    from phoihop.documents.signing import demo

    demo.keys_ensure([org("st-dic"), org("st-police"), org("st-viettel")])
    return var_dir


@pytest.fixture
def people(db):
    return {
        "dic_focal": make_user("dic.focal", "st-dic", "focal_point", "Trần Văn Minh"),
        "dic_head": make_user("dic.head", "st-dic", "head", "Lê Hoàng Phúc"),
        "dic_officer": make_user("dic.officer", "st-dic", "officer", "Ngô Thị Mai"),
        "police_focal": make_user("police.focal", "st-police", "focal_point", "Phạm Quốc Huy"),
        "police_head": make_user("police.head", "st-police", "head", "Đinh Văn Tài"),
        "viettel": make_user("viettel.rep", "st-viettel", "enterprise_reporter", "Huỳnh Mỹ Linh"),
        "vnpt": make_user("vnpt.rep", "st-vnpt", "enterprise_reporter", "Trương Gia Bảo"),
        "doit_focal": make_user("doit.focal", "st-doit", "focal_point", "Đỗ Thị Hồng"),
        "sysadmin": make_user("sysadmin", "st-dic", "sysadmin", "Quản Trị"),
    }
