"""Routing with every commune as data: a commune's district People's Committee before the 2025 reform,
the new unit's holders after it for a report filed under a former commune (merged_from)."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.directory.models import AdministrativeUnit
from phoihop.directory.selectors import function_holders
from phoihop.routing.engine import Router, RoutingInput
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db

BEFORE_REFORM = dt.date(2020, 6, 1)
AFTER_REFORM = dt.date(2026, 6, 1)


def area(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


@pytest.fixture
def reform():
    ruleset_load(code_or_path="cantho-2025")


def route(behaviour: str, area_code: str, day: dt.date) -> set[str]:
    unit = area(area_code)
    return {r.organisation.code for r in Router(day=day).route(RoutingInput(behaviour=behaviour, area=unit, day=day))}


def test_routing_by_a_communes_district_reaches_the_district_peoples_committee():
    # Đ14: the district-level People's Committee of the place; the commune is one of the new records.
    assert [
        o.code for o in function_holders("local_peoples_committee", day=BEFORE_REFORM, area=area("st-ke-sach-ke-an"))
    ] == ["st-pc-ke-sach"]
    recipients = route("14.1", "st-my-xuyen-ngoc-to", BEFORE_REFORM)
    assert {"st-pc-my-xuyen", "st-police-my-xuyen"} <= recipients


def test_after_the_reform_a_former_commune_routes_to_the_new_units_holders(reform):
    # Phường 2 of Vĩnh Châu became part of Phường Vĩnh Châu: its People's Committee and police receive.
    recipients = route("14.1", "st-vinh-chau-p2", AFTER_REFORM)
    assert {"ct-pc-vinh-chau", "ct-police-vinh-chau"} <= recipients
    assert not any(code.startswith("st-pc-") for code in recipients)
    # Xã Lạc Hòa (coastal Vĩnh Châu) merged into the same ward, which the 2025 rule set marks coastal.
    assert area("ct-vinh-chau").coastal and not area("ct-ke-sach").coastal
