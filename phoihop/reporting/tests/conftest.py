"""Fixtures of the reporting tests: a cast (DIC, a district People's Committee and its head, the police, a carrier,
an outsider), DEMO signing keys in a per-test var/, and the period 2026-H1 opened through the service."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from phoihop.audit.services import AuditContext
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
def keys(var_dir, db):
    from phoihop.documents.signing import demo

    demo.keys_ensure([org("st-dic"), org("st-pc-vinh-chau"), org("st-police"), org("st-viettel")])
    return var_dir


@pytest.fixture
def people(db):
    return {
        "dic_focal": make_user("dic.focal", "st-dic", "focal_point", "Trần Văn Minh"),
        "dic_head": make_user("dic.head", "st-dic", "head", "Lê Hoàng Phúc"),
        "pc_focal": make_user("vc.focal", "st-pc-vinh-chau", "focal_point", "Thạch Thị Mỹ"),
        "pc_officer": make_user("vc.officer", "st-pc-vinh-chau", "officer", "Lý Văn Tài"),
        "pc_head": make_user("vc.head", "st-pc-vinh-chau", "head", "Trần Văn Dũng"),
        "police_focal": make_user("police.focal", "st-police", "focal_point", "Phạm Quốc Huy"),
        "police_head": make_user("police.head", "st-police", "head", "Đinh Văn Tài"),
        "viettel": make_user("viettel.rep", "st-viettel", "enterprise_reporter", "Huỳnh Mỹ Linh"),
        "viettel_head": make_user("viettel.head", "st-viettel", "head", "Nguyễn Văn Khoa"),
        "outsider": make_user("outsider", None, "officer", "Người Ngoài"),
        "sysadmin": make_user("sysadmin", "st-dic", "sysadmin", "Quản Trị"),
    }


def ctx(user) -> AuditContext:
    return AuditContext(actor=user, ip_address="192.0.2.10")


class Clock:
    """The time the services see (django.utils.timezone.now), moved by a test."""

    def __init__(self, monkeypatch, at: dt.datetime):
        self.at = at
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.at)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.at = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def clock(monkeypatch):
    """It is 3 July 2026, 10:00 in Viet Nam: 2026-H1 has ended and is due on 10 July (a Friday)."""
    c = Clock(monkeypatch, dt.datetime(2026, 7, 3, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    return c


@pytest.fixture
def today(clock):
    return clock.at.date()


@pytest.fixture
def period(db, people, today):
    from phoihop.reporting.services import period_ensure

    return period_ensure(code="2026-H1", ctx=ctx(people["dic_focal"]))


@pytest.fixture
def pc_obligation(period):
    return period.obligations.get(organisation__code="st-pc-vinh-chau")


SECTIONS = {
    "results": "Đã phối hợp xác minh 3 tin báo lừa đảo qua điện thoại trên địa bàn.",
    "difficulties": "Thiếu cán bộ chuyên trách về công nghệ thông tin.",
    "proposals": "Đề nghị Sở tổ chức tập huấn nhận diện trang web giả mạo.",
}
