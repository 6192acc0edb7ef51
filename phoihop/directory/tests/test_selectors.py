"""Who holds a function where, on a given day: the directory's reads that routing and permissions rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.directory.choices import Role
from phoihop.directory.models import AdministrativeUnit
from phoihop.directory.selectors import area_chain, function_holders, hub_organisation_ids
from phoihop.rulesets.services import ruleset_load

from .factories import HoldingFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BEFORE_REFORM = dt.date(2020, 6, 1)
INTERIM = dt.date(2025, 4, 1)  # district police dissolved (2025-03-01), the new city not yet in place
AFTER_REFORM = dt.date(2026, 6, 1)


def area(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def codes(orgs) -> list[str]:
    return [o.code for o in orgs]


@pytest.fixture
def reform():
    """The cantho-2025 rule set: Sóc Trăng merged into the new Cần Thơ city, district police ended."""
    ruleset_load(code_or_path="cantho-2025")


def test_the_nearest_local_police_is_the_district_police_before_the_provincial_police():
    # Đ6.3: a report from a ward of Vĩnh Châu goes to the town police, not to the Provincial Police.
    ward = area("st-vinh-chau-p1")
    assert codes(function_holders("local_police", day=BEFORE_REFORM, area=ward)) == ["st-police-vinh-chau"]
    assert codes(function_holders("local_police", day=BEFORE_REFORM, area=area("st"))) == ["st-police"]


def test_with_no_area_the_nearest_holders_are_the_widest():
    assert codes(function_holders("local_police", day=BEFORE_REFORM)) == ["st-police"]


def test_all_gives_every_holder_once_in_code_order():
    holders = codes(function_holders("local_police", day=BEFORE_REFORM, resolve="all"))
    assert "st-police" in holders and "st-police-vinh-chau" in holders and "st-police-nga-nam" in holders
    assert holders == sorted(set(holders))
    assert codes(function_holders("hub", day=BEFORE_REFORM, resolve="all")) == ["st-dic", "st-police"]


def test_an_unknown_function_or_an_area_nobody_covers_has_no_holder():
    assert function_holders("no_such_function", day=BEFORE_REFORM) == []
    elsewhere = AdministrativeUnit.objects.create(
        code="elsewhere", name="Elsewhere", kind="province", valid_from=BEFORE_REFORM, ruleset=area("st").ruleset
    )
    assert function_holders("local_police", day=BEFORE_REFORM, area=elsewhere) == []


def test_holdings_and_organisations_count_only_on_the_days_they_are_valid():
    police = OrganisationFactory(code="test-police", area=area("st-vinh-chau-p1"))
    HoldingFactory(organisation=police, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2019, 12, 31))
    ward = area("st-vinh-chau-p1")

    assert codes(function_holders("local_police", day=dt.date(2019, 6, 1), area=ward)) == ["test-police"]
    # The holding ended: the town police covers the ward again.
    assert codes(function_holders("local_police", day=BEFORE_REFORM, area=ward)) == ["st-police-vinh-chau"]
    # Before the organisation exists, its holding does not count either.
    police.valid_from = dt.date(2019, 3, 1)
    police.save()
    assert codes(function_holders("local_police", day=dt.date(2019, 2, 1), area=ward)) == ["st-police-vinh-chau"]


def test_area_chain_goes_up_the_parents_most_specific_first():
    chain = area_chain(area("st-vinh-chau-p1"))
    assert chain == [area("st-vinh-chau-p1").pk, area("st-vinh-chau").pk, area("st").pk]
    assert area_chain(None) == []


def test_area_chain_follows_the_successors_of_the_2025_reform(reform):
    chain = area_chain(area("st-vinh-chau-p1"))
    # The ward became Phường Vĩnh Châu, the province became part of the new Cần Thơ city.
    expected = ["st-vinh-chau-p1", "st-vinh-chau", "ct-vinh-chau", "st", "ct"]
    assert chain == [area(code).pk for code in expected]


def test_after_the_reform_a_2013_area_is_covered_by_the_holders_of_its_successors(reform):
    ward = area("st-vinh-chau-p1")
    assert codes(function_holders("local_police", day=BEFORE_REFORM, area=ward)) == ["st-police-vinh-chau"]
    # District police ended on 2025-02-28: in the interim the Provincial Police covers the ward.
    assert codes(function_holders("local_police", day=INTERIM, area=ward)) == ["st-police"]
    # From 2025-07-01 the ward police of the successor ward, found through `successor`.
    assert codes(function_holders("local_police", day=AFTER_REFORM, area=ward)) == ["ct-police-vinh-chau"]
    assert codes(function_holders("local_police", day=AFTER_REFORM, area=area("st"))) == ["ct-police"]


def test_the_hubs_follow_the_reform(reform):
    """Đ5.2: DIC and the Provincial Police, then their successors."""
    assert hub_organisation_ids(BEFORE_REFORM) == {
        o.pk for o in function_holders("hub", day=BEFORE_REFORM, resolve="all")
    }
    assert codes(function_holders("hub", day=BEFORE_REFORM, resolve="all")) == ["st-dic", "st-police"]
    assert codes(function_holders("hub", day=AFTER_REFORM, resolve="all")) == ["ct-dost", "ct-police"]
    after = hub_organisation_ids(AFTER_REFORM)
    assert after == {o.pk for o in function_holders("hub", day=AFTER_REFORM, resolve="all")}
    assert after.isdisjoint(hub_organisation_ids(BEFORE_REFORM))


def test_a_person_is_a_hub_member_only_through_an_organisation_holding_the_hub_function():
    assert UserFactory.of("st-dic", Role.HUB_COORDINATOR).is_hub_member
    assert UserFactory.of("st-police", Role.FOCAL_POINT).is_hub_member
    assert not UserFactory.of("st-police-vinh-chau", Role.HUB_COORDINATOR).is_hub_member
    assert not UserFactory(role=Role.HEAD).is_hub_member
    assert not UserFactory(organisation=None).is_hub_member
