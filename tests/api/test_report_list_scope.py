"""The report list and search read the permission scope as the union of its ways (delivered to my organisation,
made by it, in a case I may see: ReportPolicy.branches, merged by core.permissions.newest_ids), so they must
list exactly what the scope holds, in the same order: a restricted case's reports never reach an outsider,
through the API's pages, its count, the "our reports" page or the search. The count stops at COUNT_CAP.
(Here, not in phoihop/intake/tests: a restricted case belongs to the cases app, which intake may not import.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phoihop.cases.choices import AccessLevel
from phoihop.cases.services import case_add_member
from phoihop.cases.tests.factories import ACTORS, ctx, make_cast, open_case, submit_report
from phoihop.core import search as core_search
from phoihop.core.permissions import _request_memo, capped_count, newest_ids, scope_branches
from phoihop.intake import selectors
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_report_branches, visible_reports

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    """Reports of every way: the public's (to DIC, the police, Vĩnh Châu police, border posts), the carriers' own,
    a counterfeit-goods report (DoIT), two in a normal case DoIT takes part in, one in a restricted case."""
    cast = make_cast()
    public = [submit_report(description=f"Lừa đảo qua điện thoại lần {i}") for i in range(4)]
    viettel = submit_report(by=cast.viettel, external_ref="VT-9", description="Lừa đảo trúng thưởng qua tin nhắn.")
    goods = submit_report(behaviour="15.6", area="st-soc-trang", description="Bán điện thoại giả, lừa đảo.")
    in_case = [submit_report(description=f"Lừa đảo vay tiền số {i}") for i in range(2)]
    open_case(cast.dic_focal, in_case, participants=["st-doit"], title="Vay tiền qua ứng dụng")
    secret = submit_report(description="Lừa đảo chuyên án bí mật, số 0912 345 678.")
    case = open_case(
        cast.police_focal, secret, access_level=AccessLevel.RESTRICTED, participants=["st-police-vinh-chau"]
    )
    case_add_member(case=case, user=cast.vc_officer, ctx=ctx(cast.police_focal))
    return cast, {"public": public, "viettel": viettel, "goods": goods, "in_case": in_case, "secret": secret}


def newest(user) -> list[int]:
    return list(visible_reports(user).order_by("-created_at", "-pk").values_list("pk", flat=True))


@pytest.mark.parametrize("vendor_branches", [False, True])
def test_the_union_of_the_ways_is_the_scope_in_the_lists_order_for_everyone(world, vendor_branches, monkeypatch):
    """Every person of the cast: the merged ways list what the scope lists, in its order, page by page; with
    the separate ways PostgreSQL uses, and with the one walk SQLite uses."""
    cast, _reports = world
    # The PostgreSQL shape (separate ways) or the SQLite one (one walk), on whichever database runs the tests.
    monkeypatch.setattr("phoihop.intake.permissions.ways_apart", lambda using: vendor_branches)
    for actor in ACTORS:
        user = cast[actor]
        expected = newest(user)
        branches = visible_report_branches(user)
        assert newest_ids(branches, selectors.LIST_ORDER, limit=100) == expected, actor
        pages = [newest_ids(branches, selectors.LIST_ORDER, limit=3, offset=o) for o in range(0, 12, 3)]
        assert [i for page in pages for i in page] == expected, actor
        assert capped_count(branches, 1000) == len(expected), actor
        assert capped_count(branches, 2) == min(len(expected), 3), actor
        assert len(scope_branches(user, Report)) == len(branches), actor


def test_a_restricted_cases_report_never_reaches_an_outsider_through_the_api_list(world):
    cast, reports = world
    secret = reports["secret"].reference
    for actor in ("dic_focal", "dic_hub", "bp_focal", "doit_focal", "viettel"):
        body = client_for(cast[actor]).get("/api/v1/reports/?page_size=200").json()
        listed = [r["reference"] for r in body["results"]]
        assert secret not in listed, actor
        assert body["count"] == len(listed) == len(newest(cast[actor])), actor
        assert body["count_capped"] is False and body["next"] is None, actor
    for actor in ("police_focal", "vc_officer"):  # the lead's focal point, and the officer named on it
        listed = [r["reference"] for r in client_for(cast[actor]).get("/api/v1/reports/").json()["results"]]
        assert secret in listed, actor


def test_the_api_pages_follow_next_and_the_count_stops_at_the_cap(world, monkeypatch):
    cast, _reports = world
    user = cast.dic_focal
    expected = list(Report.objects.filter(pk__in=newest(user)).order_by("-created_at", "-pk"))
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    api = client_for(user)
    url, seen = "/api/v1/reports/?page_size=2", []
    first = api.get(url).json()
    assert first["count"] == 3 and first["count_capped"] is True and first["previous"] is None
    while url:
        body = api.get(url).json()
        seen += [r["reference"] for r in body["results"]]
        url = body["next"]
    assert seen == [r.reference for r in expected]
    assert api.get("/api/v1/reports/?page=99").status_code == 404
    assert api.get("/api/v1/reports/?page=0").status_code == 404
    # The filters still narrow the scope, never widen it.
    body = api.get("/api/v1/reports/?status=in_case").json()
    assert {r["reference"] for r in body["results"]} == {r.reference for r in world[1]["in_case"]}


def test_our_reports_page_lists_what_the_organisation_made_and_pages_without_counting_all(world, monkeypatch):
    cast, reports = world
    for i in range(3):
        submit_report(by=cast.viettel, external_ref=f"VT-{i}", description=f"Tin nhắn rác số {i}")
    monkeypatch.setattr("phoihop.intake.views.staff.PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    client = client_for(cast.viettel)
    pages = [client.get(f"/reports/mine/?page={n}") for n in (1, 2)]
    assert all(p.status_code == 200 for p in pages)
    html = "".join(p.content.decode() for p in pages)
    made = Report.objects.filter(reporter_organisation=cast.viettel.organisation).order_by("-created_at")
    assert all(r.reference in html for r in made)
    assert client.get("/reports/mine/?page=3").status_code == 404
    # Another organisation's reports are not "ours", even those we may see.
    assert reports["public"][0].reference not in client_for(cast.dic_focal).get("/reports/mine/").content.decode()


@pytest.mark.parametrize("windows", [(400, 500), (1, 1)])
def test_search_never_shows_a_restricted_cases_report_to_an_outsider(world, windows, monkeypatch):
    """By its words and by its number, with the usual windows and with windows of one row (each walk then
    stops at once and the scope's own walk has to answer)."""
    cast, reports = world
    monkeypatch.setattr(core_search, "TEXT_WINDOW", windows[0])
    monkeypatch.setattr(core_search, "SCOPE_WINDOW", windows[1])
    secret = reports["secret"].reference
    for q in ("chuyen an bi mat", "lua dao", "0912345678"):
        for actor in ("dic_focal", "bp_focal", "doit_focal", "viettel"):
            html = client_for(cast[actor]).get("/search/", {"q": q, "in": "reports"}).content.decode()
            assert secret not in html, (q, actor)
        html = client_for(cast.vc_officer).get("/search/", {"q": q, "in": "reports"}).content.decode()
        assert secret in html or 'data-testid="capped"' in html, q


def test_a_common_word_is_found_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    cast, reports = world
    user = cast.doit_focal  # sees the counterfeit report and the case's two, none of the newest matches
    scoped, branches = visible_reports(user), visible_report_branches(user)
    found = core_search.ranked(scoped, "lua dao", limit=10, branches=branches).ids
    assert set(found) == {reports["goods"].pk, *(r.pk for r in reports["in_case"])}
    with django_assert_max_num_queries(2 + len(branches)):
        core_search.ranked(scoped, "lua dao", limit=10, branches=branches)


@pytest.mark.parametrize("vendor_branches", [False, True])
def test_the_scope_read_in_a_request_is_the_scope(world, vendor_branches, monkeypatch):
    """In a request the hidden restricted cases and the user's own cases are read out once (prepared SQL, by the
    user's key, organisation and role): the list is still exactly the scope, for everyone of the cast."""
    cast, _reports = world
    monkeypatch.setattr("phoihop.intake.permissions.ways_apart", lambda using: vendor_branches)
    for actor in ACTORS:
        user = cast[actor]
        expected = newest(user)  # outside a request: the cases as subqueries
        token = _request_memo.set({})
        try:
            branches = visible_report_branches(user)
            assert newest_ids(branches, selectors.LIST_ORDER, limit=100) == expected, actor
            assert capped_count(branches, 1000) == len(expected), actor
        finally:
            _request_memo.reset(token)


@pytest.fixture
def in_a_request():
    """The permission memo of a request (PermissionMemoMiddleware): the scope reads the user's cases out once."""
    token = _request_memo.set({})
    yield
    _request_memo.reset(token)


def test_a_grant_of_nothing_is_no_branch(world, monkeypatch, in_a_request):
    """An organisation in no case: the case grant gives no way of its own (no queryset built, nothing to count)."""
    cast, _reports = world
    monkeypatch.setattr("phoihop.intake.permissions.ways_apart", lambda using: True)
    assert len(visible_report_branches(cast.viettel)) == 1  # made by Viettel
    assert len(visible_report_branches(cast.doit_focal)) == 3  # delivered, made, its case


def test_the_count_comes_back_as_one_number(world, monkeypatch, in_a_request):
    """The capped count is counted in the database: one statement and one row for the union of the ways where
    the database takes a LIMIT inside a UNION (PostgreSQL), never the keys of up to COUNT_CAP rows."""
    cast, _reports = world
    monkeypatch.setattr("phoihop.intake.permissions.ways_apart", lambda using: True)
    expected = {actor: len(newest(cast[actor])) for actor in ("dic_focal", "viettel")}
    branches = visible_report_branches(cast.dic_focal)
    assert len(branches) == 3
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(branches, 1000) == expected["dic_focal"]
    if connection.features.supports_slicing_ordering_in_compound:
        assert len(queries) == 1 and "COUNT(" in queries.captured_queries[0]["sql"]
    one = visible_report_branches(cast.viettel)
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(one, 1000) == expected["viettel"]
    assert len(queries) == 1 and "COUNT(" in queries.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(branches, 2) == 3  # more than the cap
    assert len(queries) <= len(branches)
