"""The in-memory routing table answers exactly what the directory's queries answer, on any day."""

import datetime as dt

import pytest
from django.test import override_settings

from phoihop.core import refcache
from phoihop.directory.models import AdministrativeUnit, Function, Organisation, OrganisationFunction
from phoihop.directory.selectors import area_chain, function_holders
from phoihop.routing.reference import routing_table
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [dt.date(2020, 6, 1), dt.date(2026, 1, 1)])
def test_holders_match_the_directory_for_every_function_area_and_resolution(day):
    if day.year >= 2025:
        ruleset_load(code_or_path="cantho-2025")
    table = routing_table(day)
    areas = [None, *AdministrativeUnit.objects.all()]
    for function in Function.objects.values_list("code", flat=True):
        for area in areas:
            for resolve in ("nearest", "all"):
                expected = [o.code for o in function_holders(function, day=day, area=area, resolve=resolve)]
                assert [o.code for o in table.holders(function, area, resolve)] == expected, (function, area, resolve)
    for area in areas[1:]:
        assert table.area_chain(area) == area_chain(area)


def test_routing_reads_no_query_once_the_table_is_built(django_assert_num_queries):
    day = dt.date(2020, 6, 1)
    table = routing_table(day)
    area = table.areas["st-vinh-chau"]
    with django_assert_num_queries(0):
        table.holders("local_police", area, "nearest")
        _ = area.parent.name, table.behaviours["13.4"].sector.code


@override_settings(PHOIHOP_REFERENCE_CACHE_SECONDS=3600)
def test_a_change_of_reference_data_is_seen_at_once_by_the_process_that_made_it(django_capture_on_commit_callbacks):
    refcache.invalidate_all()
    day = dt.date(2020, 6, 1)
    assert routing_table(day) is routing_table(day)  # kept between calls
    org = Organisation.objects.get(code="st-dic")
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFunction.objects.create(
            organisation=org,
            function=Function.objects.get(code="local_police"),
            area=AdministrativeUnit.objects.get(code="st-vinh-chau"),
            valid_from=dt.date(2013, 1, 1),
            ruleset=org.ruleset,
        )
    holders = routing_table(day).holders("local_police", AdministrativeUnit.objects.get(code="st-vinh-chau"), "all")
    assert "st-dic" in {o.code for o in holders}
    refcache.invalidate_all()
