"""Fixtures of the countermeasures tests: the cases' named cast, a case led by DIC on the scam number's report, and
people of the demo bank and platform (rule-set organisations of enterprise kinds `bank` and `platform`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from phoihop.cases.models import Case
from phoihop.cases.tests.factories import Cast, ctx, make_cast, make_user, open_case, submit_report
from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.indicators.models import Indicator

LEGAL = "Đ4.2, Đ11.3 Quyết định 11/2013/QĐ-UBND; Công văn 215/STTTT-TTra"


@dataclass
class World:
    cast: Cast
    case: Case
    phone: Indicator
    bank: User
    viettel_head: User


@pytest.fixture
def world(db) -> World:
    cast = make_cast()
    report = submit_report()
    case = open_case(cast.dic_focal, report)
    phone = Indicator.objects.get(kind="phone", value="+84912345678")
    bank = make_user("bank.reporter", "st-bank-demo", Role.ENTERPRISE_REPORTER, "Ngân Hàng")
    head = make_user("viettel.head", "st-viettel", Role.HEAD, "Trưởng Chi Nhánh")
    return World(cast, case, phone, bank, head)


def request_block(world: World, **overrides):
    from phoihop.countermeasures.services import countermeasure_request

    args = {
        "case": world.case,
        "indicator": world.phone,
        "action": "block_number",
        "target": world.cast.viettel.organisation,
        "legal_basis": LEGAL,
        "ctx": ctx(world.cast.dic_focal),
    }
    return countermeasure_request(**(args | overrides))
