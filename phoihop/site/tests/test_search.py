"""One search: a number typed any way finds its reports and cases; words find reports outside cases; every
result is within the searcher's scope; a common word is capped, never counted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phoihop.audit.services import AuditContext
from phoihop.cases.services import case_open
from phoihop.core import search as core_search
from phoihop.core.search import SearchQuery, register_search_source, search_sources
from phoihop.directory.models import Organisation
from phoihop.intake.models import Report
from phoihop.intake.search import indicators_for_term, term_indicators
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit, report_submit_many

pytestmark = pytest.mark.django_db

PUBLIC = AuditContext(label="public")


def _user(django_user_model, username: str, org: str, role: str = "focal_point"):
    return django_user_model.objects.create_user(
        username=username, password="a-long-test-password-1", organisation=Organisation.objects.get(code=org), role=role
    )


@pytest.fixture
def dic(django_user_model):
    return _user(django_user_model, "dic.focal", "st-dic")


@pytest.fixture
def outsider(django_user_model):
    """The Department of Industry and Trade: a scam call is not delivered to it."""
    return _user(django_user_model, "doit.focal", "st-doit")


def _report(description: str, indicators=(), behaviour: str = "13.4") -> Report:
    data = ReportInput(
        description=description,
        behaviour=behaviour,
        area="st-vinh-chau",
        indicators=[IndicatorInput(kind, value) for kind, value in indicators],
    )
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


def _search(client, user, q: str, **extra) -> str:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("search"), {"q": q, **extra})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "typed", ["0912345678", "0912 345 678", "+84912345678", "+84 912.345.678", "84-912-345-678", "912345678"]
)
def test_a_phone_number_typed_any_way_finds_its_report_first_as_an_exact_match(client, dic, typed):
    wanted = _report("Gọi điện giả danh nhân viên ngân hàng.", [("phone", "0912 345 678")])
    other = _report("Gọi điện giả danh nhân viên ngân hàng, số khác.", [("phone", "0987 654 321")])
    html = _search(client, dic, typed)
    assert wanted.reference in html
    assert other.reference not in html
    assert 'data-testid="exact-note"' in html
    # The indicator itself is a result, linking to its page.
    assert reverse("intake:indicator", kwargs={"kind": "phone", "value": "+84912345678"}) in html


def test_the_case_list_finds_a_case_by_its_number_written_without_spaces(client, dic):
    report = _report("Giả danh công an gọi điện đe dọa.", [("phone", "0323 456 789")])
    case = case_open(reports=[report], ctx=AuditContext(actor=dic), title="Giả danh công an")
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    for typed in ["0323456789", "0323 456 789", "+84323456789", "0323.456.789"]:
        html = client.get(reverse("cases:list"), {"q": typed}).content.decode()
        assert case.reference in html, typed
    assert case.reference not in client.get(reverse("cases:list"), {"q": "0323456780"}).content.decode()
    # And the one search lists the case, as an exact match.
    html = _search(client, dic, "0323456789")
    assert case.reference in html and 'data-testid="search-cases"' in html


def test_a_report_outside_any_case_is_found_by_a_word_of_its_web_address(client, dic):
    report = _report("Trang shopee-khuyenmai.com giả mạo khuyến mãi, lừa nộp phí.", [("url", "shopee-khuyenmai.com")])
    html = _search(client, dic, "shopee-khuyenmai")
    assert report.reference in html
    assert 'data-testid="no-results"' not in html
    # Diacritics and capitals are ignored.
    assert report.reference in _search(client, dic, "KHUYẾN MÃI giả mạo")


def test_search_shows_nothing_outside_the_searchers_scope(client, outsider):
    report = _report("Gọi điện giả danh nhân viên ngân hàng.", [("phone", "0912 345 678")])
    link = reverse("intake:detail", args=[report.reference])
    for q in ["giả danh", report.reference]:
        html = _search(client, outsider, q)
        assert link not in html
        assert 'data-testid="no-results"' in html
    # The number itself is shown with its count (as the report page and the API count every report), but
    # not the report: the outsider's organisation did not receive it.
    html = _search(client, outsider, "0912345678")
    assert link not in html and 'data-testid="search-reports"' not in html
    assert 'data-testid="search-indicators"' in html


def test_search_needs_signing_in_and_an_unknown_source_is_not_found(client, dic):
    response = client.get(reverse("search"), {"q": "lua dao"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("search"), {"q": "x", "in": "nope"}).status_code == 404
    assert client.get(reverse("search"), {"q": "x", "in": "reports", "page": "abc"}).status_code == 200


def test_a_common_word_pages_without_counting_and_stops_looking_when_capped(client, dic, outsider, monkeypatch):
    rows = [
        ReportInput(description=f"Lừa đảo qua mạng số {i}", behaviour="13.4", area="st-vinh-chau") for i in range(30)
    ]
    report_submit_many(rows=rows, channel="web", ctx=PUBLIC)
    monkeypatch.setattr(core_search, "TEXT_WINDOW", 7)
    monkeypatch.setattr(core_search, "SCOPE_WINDOW", 7)
    html = _search(client, dic, "lua dao")
    assert html.count('class="code"') >= 10
    assert 'data-testid="more-reports"' in html
    first = _search(client, dic, "lua dao", **{"in": "reports"})
    second = _search(client, dic, "lua dao", **{"in": "reports", "page": "2"})
    newest = list(Report.objects.order_by("-pk").values_list("reference", flat=True))
    assert newest[0] in first and newest[24] in first and newest[25] not in first
    assert newest[25] in second and newest[29] in second and 'rel="next"' not in second
    # Someone who sees none of them, and little else: their scope is read whole, so "nothing" is exact.
    html = _search(client, outsider, "lua dao")
    assert 'data-testid="no-results"' in html and 'data-testid="capped"' not in html


def _doit_reports(descriptions: list[str]) -> list[Report]:
    """Reports of counterfeit SIM cards: delivered to the Department of Industry and Trade (Đ8.2)."""
    rows = [ReportInput(description=d, behaviour="13.6", area="st-vinh-chau") for d in descriptions]
    report_submit_many(rows=rows, channel="web", ctx=PUBLIC)
    return list(Report.objects.order_by("-pk")[: len(rows)])


def test_a_common_word_outside_the_scope_stops_at_the_windows_and_says_so(client, outsider, monkeypatch):
    """Neither walk reaches an old match in scope: the page says it stopped looking, instead of reading on."""
    (old,) = _doit_reports(["Bán SIM rác kích hoạt sẵn, lừa đảo người mua."])
    _doit_reports([f"Bán SIM kích hoạt sẵn số {i}" for i in range(14)])  # in scope, without the words
    report_submit_many(  # the words, out of scope, newest
        rows=[ReportInput(description=f"Lừa đảo số {i}", behaviour="13.4", area="st-vinh-chau") for i in range(14)],
        channel="web",
        ctx=PUBLIC,
    )
    link = reverse("intake:detail", args=[old.reference])
    monkeypatch.setattr(core_search, "TEXT_WINDOW", 5)
    monkeypatch.setattr(core_search, "SCOPE_WINDOW", 5)
    html = _search(client, outsider, "lua dao")
    assert link not in html and 'data-testid="capped"' in html
    # With windows that reach it, it is found (and only it: the other matches are not the outsider's).
    monkeypatch.setattr(core_search, "SCOPE_WINDOW", 40)
    html = _search(client, outsider, "lua dao")
    assert link in html and 'data-testid="capped"' not in html and html.count('class="code"') == 1


def test_a_common_word_found_through_the_scope_walk_is_exact_and_newest_first(client, outsider, monkeypatch):
    """The text window holds other organisations' reports; the outsider's own matches come from the scope walk."""
    mine = _doit_reports([f"Lừa đảo bán SIM số {i}" for i in range(3)])
    report_submit_many(
        rows=[ReportInput(description=f"Lừa đảo số {i}", behaviour="13.4", area="st-vinh-chau") for i in range(14)],
        channel="web",
        ctx=PUBLIC,
    )
    monkeypatch.setattr(core_search, "TEXT_WINDOW", 5)
    monkeypatch.setattr(core_search, "SCOPE_WINDOW", 5)
    html = _search(client, outsider, "lua dao")
    positions = [html.index(r.reference) for r in mine]  # newest first
    assert positions == sorted(positions) and 'data-testid="capped"' not in html


def test_a_term_is_read_as_every_indicator_it_can_be():
    kinds = {(str(i.kind), i.value) for i in term_indicators("shopee-khuyenmai.com")}
    assert ("url", "shopee-khuyenmai.com") in kinds and ("domain", "shopee-khuyenmai.com") in kinds
    assert ("email", "a@scam.vn") in {(str(i.kind), i.value) for i in term_indicators("A@Scam.VN")}
    assert term_indicators("lua dao") == []
    assert term_indicators("x" * 400) == []


def test_indicators_for_term_is_one_exact_lookup(dic, django_assert_num_queries):
    _report("Gọi điện giả danh.", [("phone", "0912 345 678")])
    with django_assert_num_queries(1):
        found = indicators_for_term("0912-345-678")
    assert [(i.kind, i.value) for i in found] == [("phone", "+84912345678")]


def test_another_app_adds_its_results_with_one_call(client, dic):
    from phoihop.core.search import SOURCES, SearchHit, SearchResult

    def find(user, query: SearchQuery, *, limit: int, offset: int = 0) -> SearchResult:
        return SearchResult.of([SearchHit(title=f"CV-{query.text}", url="/documents/1/")], limit)

    register_search_source("documents-test", "Documents", find, order=99)
    try:
        assert "documents-test" in [s.key for s in search_sources()]
        html = _search(client, dic, "abc")
        assert "CV-abc" in html and 'data-testid="search-documents-test"' in html
    finally:
        SOURCES.pop("documents-test")


def test_the_indicator_page_counts_the_cases_and_leads_to_them(client, dic):
    report = _report("Giả danh công an gọi điện đe dọa.", [("phone", "0323 456 789")])
    case = case_open(reports=[report], ctx=AuditContext(actor=dic), title="Giả danh công an")
    url = reverse("intake:indicator", kwargs={"kind": "phone", "value": "+84323456789"})
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(url).content.decode()
    assert "1 case" in html and 'href="/cases/?q=%2B84323456789"' in html
    assert case.reference in client.get("/cases/?q=%2B84323456789").content.decode()
    # The case page links the number to its indicator page.
    assert f'href="{url}"' in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
