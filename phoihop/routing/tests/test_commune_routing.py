"""Routing with every commune as data: a commune's district People's Committee before the 2025 reform; after
it, each of the 103 units' own police and People's Committee, also for a report filed under a former commune
(merged_from)."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.directory.models import AdministrativeUnit, Organisation
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


# A sample of the 2025 units: merged wards and communes of the former Sóc Trăng province (one that took in units
# of two districts, one on the coast that took in Thị trấn Cù Lao Dung), a commune left as it was (NQ 1668
# khoản 96) and units of the former Cần Thơ city and Hậu Giang province, which have no 2013 predecessor.
SAMPLE = ["ct-phu-loi", "ct-nhon-my", "ct-an-thanh", "ct-phong-nam", "ct-ninh-kieu", "ct-vi-thanh"]


def reasons(behaviour: str, area_code: str, day: dt.date) -> dict[str, set[tuple[str, str]]]:
    """Each recipient's (rule, article) pairs: who receives and which article sent it there."""
    unit = area(area_code)
    got = Router(day=day).route(RoutingInput(behaviour=behaviour, area=unit, day=day))
    return {r.organisation.code: {(x.rule, x.article) for x in r.reasons} for r in got}


@pytest.mark.parametrize("code", SAMPLE)
def test_a_report_in_a_2025_commune_reaches_its_own_police_and_peoples_committee(reform, code):
    slug = code.removeprefix("ct-")
    # Đ14 (internet): the nearest police and the People's Committee of the place, each saying why.
    got = reasons("14.1", code, AFTER_REFORM)
    assert got[f"ct-police-{slug}"] == {("D14-local-police", "Đ14")}
    assert got[f"ct-pc-{slug}"] == {("D14-peoples-committee", "Đ14")}
    # The City Police hears as hub and "Công an tỉnh", no longer as the fallback nearest police.
    assert ("D14-local-police", "Đ14") not in got["ct-police"]
    others = set(got) - {f"ct-police-{slug}", f"ct-pc-{slug}"}
    assert not any(org.startswith(("ct-police-", "ct-pc-")) for org in others)
    # Đ13 (telecom): the commune police is the nearest police; no People's Committee in Đ13.
    telecom = reasons("13.4", code, AFTER_REFORM)
    assert telecom[f"ct-police-{slug}"] == {("D13-local-police", "Đ13")}
    assert f"ct-pc-{slug}" not in telecom


def test_every_2025_unit_has_its_own_police_and_peoples_committee(reform):
    units = AdministrativeUnit.objects.filter(parent__code="ct")
    assert units.count() == 103
    for unit in units:
        slug = unit.code.removeprefix("ct-")
        police = function_holders("local_police", day=AFTER_REFORM, area=unit)
        committee = function_holders("local_peoples_committee", day=AFTER_REFORM, area=unit)
        assert [o.code for o in police] == [f"ct-police-{slug}"], unit.code
        assert [o.code for o in committee] == [f"ct-pc-{slug}"], unit.code
        # Named after the unit itself: "Công an xã X" / "Ủy ban nhân dân phường X".
        kind, name = unit.name.split(" ", 1)
        assert police[0].name_vi == f"Công an {kind.lower()} {name}"
        assert committee[0].name_vi == f"Ủy ban nhân dân {kind.lower()} {name}"
        assert police[0].parent.code == "ct-police" and police[0].type == "police"
        assert committee[0].type == "peoples_committee"


def test_a_report_filed_under_a_former_commune_reaches_the_merged_units_holders(reform):
    # Xã Song Phụng (Long Phú) merged with Xã An Mỹ and Xã Nhơn Mỹ (Kế Sách) into Xã Nhơn Mỹ (NQ 1668 khoản 73).
    got = reasons("14.2", "st-long-phu-song-phung", AFTER_REFORM)
    assert got["ct-police-nhon-my"] == {("D14-local-police", "Đ14")}
    assert got["ct-pc-nhon-my"] == {("D14-peoples-committee", "Đ14")}
    assert not any(code.startswith(("st-pc-", "st-police-")) for code in got)


def test_loading_the_2025_rule_set_leaves_the_2013_routing_as_it_was():
    places = ["st-vinh-chau-p1", "st-my-xuyen-ngoc-to", "st-ke-sach", "st-tran-de", "st-cu-lao-dung-an-thanh-3", None]
    behaviours = ["12.L1", "13.4", "14.1", "15.1", "16.3", None]

    def routes() -> dict:
        out = {}
        for place in places:
            unit = area(place) if place else None
            for behaviour in behaviours:
                got = Router(day=BEFORE_REFORM).route(RoutingInput(behaviour=behaviour, area=unit, day=BEFORE_REFORM))
                out[place, behaviour] = {r.organisation.code: {(x.rule, x.article) for x in r.reasons} for r in got}
        return out

    before = routes()
    assert before["st-my-xuyen-ngoc-to", "14.1"]["st-pc-my-xuyen"] == {("D14-peoples-committee", "Đ14")}
    ruleset_load(code_or_path="cantho-2025")
    assert routes() == before


def test_the_district_committees_have_a_successor_only_where_a_unit_kept_the_districts_name(reform):
    vinh_chau = Organisation.objects.get(code="st-pc-vinh-chau")
    assert vinh_chau.successor.code == "ct-pc-vinh-chau" and vinh_chau.valid_to == dt.date(2025, 6, 30)
    # No unit is named Châu Thành: its committee ends on the same day with no successor.
    chau_thanh = Organisation.objects.get(code="st-pc-chau-thanh")
    assert chau_thanh.successor is None and chau_thanh.valid_to == dt.date(2025, 6, 30)
    # The district police keeps the end of its dissolution (2025-02-28); the successor is recorded.
    police = Organisation.objects.get(code="st-police-vinh-chau")
    assert police.successor.code == "ct-police-vinh-chau" and police.valid_to == dt.date(2025, 2, 28)
    # Each district record has at most one successor, so reloading changes nothing.
    assert not ruleset_load(code_or_path="cantho-2025").changed
