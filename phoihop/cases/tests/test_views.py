"""The case pages: triage of a report, the list (filters, search, sort, pages, htmx, query count), the case
page (scope, audit of restricted views, state secrets, moves and their refusals) and its sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext, audit_verify
from phoihop.cases import services
from phoihop.cases.choices import AccessLevel, CaseStatus
from phoihop.cases.models import Case, CaseMember, CaseParticipant, Note, Task
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

pytestmark = pytest.mark.django_db
PUBLIC = AuditContext(label="public")
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- A small cast and helpers (also used by test_search and test_exports) ------------------------------------


@dataclass
class Cast:
    dic_focal: User
    dic_head: User
    dic_hub: User
    dic_officer: User
    police_focal: User
    investigator: User
    investigation_focal: User
    carrier: User
    outsider: User


def person(username: str, org_code: str, role: str, name: str = "") -> User:
    first, _, last = (name or username).rpartition(" ")
    return User.objects.create_user(
        username=username,
        password="pw-for-tests-only",
        organisation=Organisation.objects.get(code=org_code),
        role=role,
        first_name=last,
        last_name=first,
        email=f"{username}@example.vn",
    )


def make_cast() -> Cast:
    return Cast(
        dic_focal=person("dic.focal", "st-dic", Role.FOCAL_POINT, "Trần Văn Minh"),
        dic_head=person("dic.head", "st-dic", Role.HEAD, "Lê Hoàng Phúc"),
        dic_hub=person("dic.hub", "st-dic", Role.HUB_COORDINATOR, "Nguyễn Thị Lan"),
        dic_officer=person("dic.officer", "st-dic", Role.OFFICER, "Đỗ Văn Nam"),
        police_focal=person("police.focal", "st-police", Role.FOCAL_POINT, "Phạm Quốc Huy"),
        investigator=person("police.officer", "st-police-investigation", Role.OFFICER, "Võ Thành Đạt"),
        investigation_focal=person("inv.focal", "st-police-investigation", Role.FOCAL_POINT, "Lý Văn Sơn"),
        carrier=person("carrier.reporter", "st-viettel", Role.ENTERPRISE_REPORTER, "Huỳnh Mỹ Linh"),
        outsider=person("doit.focal", "st-doit", Role.FOCAL_POINT, "Mai Văn Tư"),
    )


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


def client_for(user: User | None, **headers) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en", **headers)
    if user is not None:
        c.force_login(user)
    return c


def fraud_report(
    description: str = "Lừa đảo qua điện thoại: giả danh công an yêu cầu chuyển tiền.",
    area: str = "st-vinh-chau",
    behaviour: str | None = "13.4",
    phone: str = "0162 345 6789",
) -> Report:
    data = ReportInput(
        description=description,
        behaviour=behaviour,
        area=area,
        indicators=[IndicatorInput("phone", phone)] if phone else [],
    )
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


def open_case(actor: User, *, reports: list[Report] | None = None, title: str = "Cuộc gọi lừa đảo", **kw) -> Case:
    return services.case_open(reports=reports or [fraud_report()], ctx=AuditContext(actor=actor), title=title, **kw)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def move(case: Case, name: str, actor: User, **params) -> Case:
    return services.case_transition(case=case, move=name, ctx=AuditContext(actor=actor), **params)


def advance(case: Case, target: str, cast: Cast) -> Case:
    """Take a DIC-led case along the workflow to `target` through the services."""
    steps = {
        CaseStatus.VERIFYING: [("verify", cast.dic_focal, {})],
        CaseStatus.ADMINISTRATIVE: [
            ("verify", cast.dic_focal, {}),
            ("administrative", cast.dic_focal, {"sanction_decision": "QĐ-12", "measures": "Thu hồi"}),
        ],
        CaseStatus.TRANSFERRED: [
            ("verify", cast.dic_focal, {}),
            (
                "transfer",
                cast.dic_focal,
                {"receiving_police_unit": org("st-police-investigation"), "transfer_dossier": "HS-01"},
            ),
        ],
    }
    steps[CaseStatus.INVESTIGATING] = [*steps[CaseStatus.TRANSFERRED], ("investigate", cast.investigator, {})]
    steps[CaseStatus.RECOMMENDED] = [
        *steps[CaseStatus.INVESTIGATING],
        ("recommend", cast.investigation_focal, {"procuracy": org("st-procuracy"), "recommendation_ref": "KN-01"}),
    ]
    steps[CaseStatus.CLOSED] = [("close", cast.dic_focal, {"outcome": "unfounded"})]
    for name, actor, params in steps.get(target, []):
        case = move(case, name, actor, **params)
    return case


# --- Triage ---------------------------------------------------------------------------------------------------


def test_the_triage_panel_needs_only_the_report_and_the_request(cast):
    report = fraud_report()
    request = RequestFactory().get("/")
    request.user = cast.dic_focal
    html = render_to_string("cases/partials/report_triage.html", {"report": report, "request": request})
    assert 'data-testid="triage-open-form"' in html and 'data-testid="triage-close-form"' in html
    assert f'action="{reverse("cases:triage_open", args=[report.reference])}"' in html
    # An officer sees the panel but no forms: a focal point or the head decides.
    request.user = cast.dic_officer
    html = render_to_string("cases/partials/report_triage.html", {"report": report, "request": request})
    assert "triage-open-form" not in html


def test_a_focal_point_opens_a_case_from_a_report(cast):
    report = fraud_report()
    c = client_for(cast.dic_focal)
    response = c.post(
        reverse("cases:triage_open", args=[report.reference]),
        {
            "triage-open-title": "Giả danh công an",
            "triage-open-access_level": "normal",
            "triage-open-participants": ["st-viettel"],
            "triage-open-due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.reference])
    assert case.lead_organisation.code == "st-dic" and case.title == "Giả danh công an"
    assert set(case.participants.values_list("organisation__code", flat=True)) == {"st-dic", "st-viettel"}
    assert case.due_at is not None
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_CASE
    # The report page's panel now names the case.
    assert case.reference in c.get(reverse("cases:triage", args=[report.reference])).content.decode()


def test_opening_a_case_without_a_title_shows_the_error_in_place(cast):
    report = fraud_report()
    c = client_for(cast.dic_focal)
    response = c.post(
        reverse("cases:triage_open", args=[report.reference]),
        {"triage-open-title": "", "triage-open-access_level": "normal"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="triage"' in html
    assert "has-error" in html and "This field is required" in html
    assert not Case.objects.exists()
    # Without JavaScript: the triage page with the error.
    response = c.post(reverse("cases:triage_open", args=[report.reference]), {"triage-open-title": ""})
    assert response.status_code == 400 and "<html" in response.content.decode()


def test_triage_attaches_a_report_to_a_case_by_its_number(cast):
    case = open_case(cast.dic_focal)
    second = fraud_report(description="Lại bị gọi lừa đảo, đòi chuyển tiền.")
    c = client_for(cast.dic_focal)
    # The case shares the phone number, so it is suggested.
    page = c.get(reverse("cases:triage", args=[second.reference])).content.decode()
    assert case.reference in page
    response = c.post(
        reverse("cases:triage_attach", args=[second.reference]), {"triage-attach-case_number": case.reference.lower()}
    )
    assert response.status_code == 302
    assert set(case.report_links.values_list("report__reference", flat=True)) >= {second.reference}


def test_triage_attach_to_an_unknown_or_hidden_case_is_refused(cast):
    restricted = open_case(cast.dic_head, access_level=AccessLevel.RESTRICTED)
    report = fraud_report(phone="0909000111")
    response = client_for(cast.police_focal).post(
        reverse("cases:triage_attach", args=[report.reference]),
        {"triage-attach-case_number": restricted.reference},
        **HTMX,
    )
    assert "No open case with this number that you can see." in response.content.decode()
    assert not restricted.report_links.filter(report=report).exists()


def test_triage_closes_a_report_as_duplicate_with_a_reason(cast):
    report = fraud_report()
    c = client_for(cast.police_focal)
    response = c.post(
        reverse("cases:triage_close", args=[report.reference]),
        {"triage-close-reason": "duplicate", "triage-close-note": ""},
        **HTMX,
    )
    assert "triage-close-form" in response.content.decode() and "has-error" in response.content.decode()
    report.refresh_from_db()
    assert report.status != ReportStatus.CLOSED
    response = c.post(
        reverse("cases:triage_close", args=[report.reference]),
        {"triage-close-reason": "duplicate", "triage-close-note": "Trùng với TB khác"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("intake:detail", args=[report.reference])
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.close_reason == "duplicate"
    assert AuditEvent.objects.filter(action="report.close", object_id=str(report.pk)).exists()


def test_triage_of_a_report_out_of_scope_is_a_404(cast):
    report = fraud_report()
    c = client_for(cast.outsider)
    assert c.get(reverse("cases:triage", args=[report.reference])).status_code == 404
    assert c.post(reverse("cases:triage_open", args=[report.reference]), {"triage-open-title": "x"}).status_code == 404


def test_a_case_from_several_reports(cast):
    first, second = fraud_report(), fraud_report(description="Tin nhắn lừa đảo trúng thưởng xe máy.", phone="")
    c = client_for(cast.dic_focal)
    page = c.get(reverse("cases:new") + f"?reports={first.reference},{second.reference}").content.decode()
    assert page.count("checked") >= 2 and first.reference in page and second.reference in page
    response = c.post(
        reverse("cases:new"),
        {"reports": [first.reference, second.reference], "title": "Hai tin báo", "access_level": "normal"},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert set(case.report_links.values_list("report__reference", flat=True)) == {first.reference, second.reference}
    # Nothing ticked: the error, and nothing opened.
    response = c.post(reverse("cases:new"), {"title": "Không có tin báo", "access_level": "normal"})
    assert response.status_code == 400 and "Choose at least one report." in response.content.decode()
    assert Case.objects.count() == 1


def test_only_focal_points_heads_and_hub_coordinators_open_cases(cast):
    assert client_for(cast.dic_officer).get(reverse("cases:new")).status_code == 403
    assert client_for(cast.carrier).get(reverse("cases:new")).status_code == 403


# --- The list ---------------------------------------------------------------------------------------------


def _listed(response) -> list[str]:
    return [c.reference for c in response.context["cases"]]


def test_the_list_shows_only_what_the_user_may_see(cast):
    normal = open_case(cast.dic_focal)
    restricted = open_case(cast.dic_head, access_level=AccessLevel.RESTRICTED, title="Mật")
    assert set(_listed(client_for(cast.police_focal).get(reverse("cases:list")))) == {normal.reference}
    head_sees = set(_listed(client_for(cast.dic_head).get(reverse("cases:list"))))
    assert head_sees == {normal.reference, restricted.reference}
    assert _listed(client_for(cast.outsider).get(reverse("cases:list"))) == []
    assert client_for(None).get(reverse("cases:list")).status_code == 302  # sign in first


def test_the_list_filters(cast):
    vinh_chau = open_case(cast.dic_focal, title="Vĩnh Châu")
    soc_trang = open_case(
        cast.dic_focal,
        reports=[fraud_report(area="st-soc-trang", behaviour="14.4", phone="")],
        title="Sóc Trăng",
        access_level=AccessLevel.RESTRICTED,
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    services.case_add_participant(
        case=vinh_chau, organisation=org("st-viettel"), ctx=AuditContext(actor=cast.dic_focal)
    )
    services.case_add_member(case=vinh_chau, user=cast.dic_officer, ctx=AuditContext(actor=cast.dic_focal))
    advance(vinh_chau, CaseStatus.VERIFYING, cast)
    c = client_for(cast.dic_focal)

    def listed(**params):
        return set(_listed(c.get(reverse("cases:list"), params)))

    both = {vinh_chau.reference, soc_trang.reference}
    assert listed() == both
    assert listed(status="verifying") == {vinh_chau.reference}
    assert listed(status="new") == {soc_trang.reference}
    assert listed(status="open") == both
    assert listed(behaviour="14.4") == {soc_trang.reference}
    assert listed(sector=vinh_chau.sector.code) == {vinh_chau.reference}
    assert listed(area="st-vinh-chau") == {vinh_chau.reference}
    assert listed(area="st") == both  # a province covers its districts
    assert listed(lead="st-dic") == both and listed(lead="st-police") == set()
    assert listed(participant="st-viettel") == {vinh_chau.reference}
    assert listed(officer="dic.officer") == {vinh_chau.reference}
    assert listed(overdue="on") == {soc_trang.reference}
    assert listed(access="restricted") == {soc_trang.reference}
    today = timezone.localdate()
    assert listed(created_from=today.isoformat(), created_to=today.isoformat()) == both
    assert listed(created_to=(today - dt.timedelta(days=1)).isoformat()) == set()
    # A bad value is ignored, never an error page.
    assert c.get(reverse("cases:list"), {"sector": "no-such-sector"}).status_code == 200


def test_the_list_searches_cases_and_their_reports_ignoring_diacritics(cast):
    by_title = open_case(
        cast.dic_focal,
        title="Lừa đảo qua điện thoại",
        reports=[fraud_report(description="Cuộc gọi giả danh ngân hàng.", phone="0909111222")],
    )
    by_report = open_case(
        cast.dic_focal,
        title="Vụ việc số hai",
        reports=[
            fraud_report(
                description="Trang web giả mạo Cổng dịch vụ công, thu phí làm hộ chiếu.", behaviour="15.4", phone=""
            )
        ],
    )
    c = client_for(cast.dic_focal)
    assert set(_listed(c.get(reverse("cases:list"), {"q": "lua dao"}))) == {by_title.reference}
    assert set(_listed(c.get(reverse("cases:list"), {"q": "LỪA ĐẢO"}))) == {by_title.reference}
    assert set(_listed(c.get(reverse("cases:list"), {"q": "ho chieu"}))) == {by_report.reference}
    assert set(_listed(c.get(reverse("cases:list"), {"q": by_report.reference}))) == {by_report.reference}
    assert _listed(c.get(reverse("cases:list"), {"q": "khong co gi"})) == []


def test_the_list_sorts(cast):
    first = open_case(cast.dic_focal, title="A", due_at=timezone.now() + dt.timedelta(days=9))
    second = open_case(cast.dic_focal, title="B", due_at=timezone.now() + dt.timedelta(days=2))
    third = open_case(cast.dic_focal, title="C")
    advance(first, CaseStatus.VERIFYING, cast)
    c = client_for(cast.dic_focal)
    refs = [first.reference, second.reference, third.reference]
    assert _listed(c.get(reverse("cases:list"))) == refs[::-1]
    assert _listed(c.get(reverse("cases:list"), {"sort": "oldest"})) == refs
    assert _listed(c.get(reverse("cases:list"), {"sort": "deadline"})) == [
        second.reference,
        first.reference,
        third.reference,
    ]
    assert _listed(c.get(reverse("cases:list"), {"sort": "status"})) == [
        third.reference,
        second.reference,
        first.reference,
    ]


def test_the_list_pages_and_keeps_the_filters_in_its_links(cast):
    report = fraud_report()
    for i in range(27):
        open_case(cast.dic_focal, reports=[report] if i == 0 else [fraud_report(phone="")], title=f"Vụ {i}")
    c = client_for(cast.dic_focal)
    page1 = c.get(reverse("cases:list"), {"status": "new"})
    assert len(page1.context["cases"]) == 25 and page1.context["page"].paginator.count == 27
    html = page1.content.decode()
    assert "status=new&amp;page=2" in html or "page=2&amp;status=new" in html
    page2 = c.get(reverse("cases:list"), {"status": "new", "page": 2})
    assert len(page2.context["cases"]) == 2
    assert not set(_listed(page1)) & set(_listed(page2))


def test_htmx_gets_only_the_results(cast):
    case = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    response = c.get(reverse("cases:list"), {"q": "lua"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-results")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'data-testid="case-list"' in html
    assert case.reference in html and "HX-Request" in response["Vary"]
    # The full page for the same URL (a reload, or htmx restoring history) has the filters too.
    full = c.get(reverse("cases:list"), {"q": "lua"}).content.decode()
    assert "<html" in full and 'data-testid="case-filters"' in full and 'hx-push-url="true"' in full
    restore = c.get(
        reverse("cases:list"),
        {"q": "lua"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="case-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restore.content.decode()


def test_the_list_flags_overdue_cases(cast):
    open_case(cast.dic_focal, due_at=timezone.now() - dt.timedelta(hours=1))
    html = client_for(cast.dic_focal).get(reverse("cases:list")).content.decode()
    assert 'data-testid="overdue"' in html


def _list_queries(c, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(reverse("cases:list"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "lua dao", "status": "open", "participant": "st-dic", "sort": "status"}])
def test_the_list_runs_a_constant_number_of_queries(cast, params):
    for _ in range(5):
        open_case(cast.dic_focal, due_at=timezone.now() - dt.timedelta(days=1), title="Lừa đảo")
    c = client_for(cast.dic_hub)
    _list_queries(c, params)  # warm caches (session, hubs)
    five = _list_queries(c, params)
    for _ in range(20):
        open_case(cast.dic_focal, title="Lừa đảo")
    twenty_five = _list_queries(c, params)
    assert five == twenty_five


# --- The case page -----------------------------------------------------------------------------------------


def test_the_case_page_shows_the_case(cast):
    case = open_case(cast.dic_focal)
    html = client_for(cast.dic_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    for testid in (
        "case-header",
        "case-status",
        "access-badge",
        "moves",
        "case-reports",
        "case-tasks",
        "case-notes",
        "timeline",
        "case-people",
        "secret-dossier",
        "case-links",
        "case-indicators",
    ):
        assert f'data-testid="{testid}"' in html, testid
    report = case.report_links.get().report
    assert reverse("intake:detail", args=[report.reference]) in html
    assert "+84323456789" in html  # the indicator of its report
    assert 'data-action="case.open"' in html and "Opened the case" in html


def test_a_case_out_of_scope_is_a_404(cast):
    case = open_case(cast.dic_focal)
    restricted = open_case(cast.dic_head, access_level=AccessLevel.RESTRICTED)
    assert client_for(cast.outsider).get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert client_for(cast.police_focal).get(reverse("cases:detail", args=[restricted.reference])).status_code == 404
    assert client_for(cast.dic_focal).get(reverse("cases:detail", args=["VV00-NOPE"])).status_code == 404
    # Writes too: the outsider cannot even learn the case exists by posting to it.
    response = client_for(cast.outsider).post(
        reverse("cases:note_add", args=[case.reference]), {"note-text": "xin chào"}
    )
    assert response.status_code == 404 and not Note.objects.exists()


def test_every_view_of_a_restricted_case_is_audited(cast):
    normal = open_case(cast.dic_focal)
    restricted = open_case(cast.dic_focal, access_level=AccessLevel.RESTRICTED)
    c = client_for(cast.dic_focal)
    c.get(reverse("cases:detail", args=[normal.reference]))
    assert not AuditEvent.objects.filter(action="case.view").exists()
    c.get(reverse("cases:detail", args=[restricted.reference]))
    c.get(reverse("cases:detail", args=[restricted.reference]))
    views = AuditEvent.objects.filter(action="case.view", object_id=str(restricted.pk))
    assert views.count() == 2 and {v.actor_id for v in views} == {cast.dic_focal.pk}
    assert audit_verify().ok


def test_every_view_of_a_report_in_a_restricted_case_is_audited(cast):
    restricted = open_case(cast.dic_focal, access_level=AccessLevel.RESTRICTED)
    normal = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    [hidden_report] = restricted.report_links.values_list("report__reference", flat=True)
    [open_report] = normal.report_links.values_list("report__reference", flat=True)
    assert c.get(reverse("intake:detail", args=[open_report])).status_code == 200
    assert not AuditEvent.objects.filter(action="report.view").exists()
    assert c.get(reverse("intake:detail", args=[hidden_report])).status_code == 200
    views = AuditEvent.objects.filter(action="report.view")
    assert views.count() == 1 and views.get().summary == hidden_report and views.get().actor == cast.dic_focal


def test_a_state_secret_case_refuses_notes_and_tasks_and_says_why(cast):
    case = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    response = c.post(
        reverse("cases:secret_dossier", args=[case.reference]),
        {
            "dossier-number": "12/MẬT",
            "dossier-level": "toi_mat",
            "dossier-holder": "Văn thư Sở",
            "dossier-location": "Tủ sắt phòng 2",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.has_secret_dossier and case.access_level == AccessLevel.RESTRICTED
    html = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="secret-badge"' in html and 'data-testid="secret-register"' in html
    assert "12/MẬT" in html and "Law 29/2018" in html
    assert 'data-testid="note-form"' not in html and 'data-testid="task-form"' not in html
    # A crafted POST is refused with the reason, and nothing is kept.
    response = c.post(reverse("cases:note_add", args=[case.reference]), {"note-text": "Nội dung mật"})
    assert response.status_code == 409 and "Law 29/2018" in response.content.decode()
    response = c.post(
        reverse("cases:task_create", args=[case.reference]),
        {"task-title": "Xác minh", "task-organisation": "st-dic"},
        **HTMX,
    )
    assert "Law 29/2018" in response.content.decode()
    assert not Note.objects.exists() and not Task.objects.exists()


# Each move with one required field left out, the state the case must be in, and who makes it.
MISSING = [
    (
        "administrative",
        CaseStatus.VERIFYING,
        "dic_focal",
        {"sanction_decision": "", "measures": "Thu hồi SIM"},
        "sanction_decision",
    ),
    (
        "transfer",
        CaseStatus.VERIFYING,
        "dic_focal",
        {"receiving_police_unit": "st-police-investigation", "transfer_dossier": ""},
        "transfer_dossier",
    ),
    (
        "transfer",
        CaseStatus.VERIFYING,
        "dic_focal",
        {"receiving_police_unit": "", "transfer_dossier": "HS-01"},
        "receiving_police_unit",
    ),
    (
        "recommend",
        CaseStatus.INVESTIGATING,
        "investigation_focal",
        {"procuracy": "st-procuracy", "recommendation_ref": ""},
        "recommendation_ref",
    ),
    ("close", CaseStatus.VERIFYING, "dic_focal", {"outcome": "", "outcome_note": "x"}, "outcome"),
    ("close", CaseStatus.VERIFYING, "dic_focal", {"outcome": "merged", "merged_into": ""}, "merged_into"),
    ("reopen", CaseStatus.CLOSED, "dic_head", {"reason": ""}, "reason"),
]


@pytest.mark.parametrize(("name", "state", "who", "data", "missing"), MISSING, ids=[f"{m[0]}-{m[4]}" for m in MISSING])
def test_a_move_with_a_missing_field_shows_the_error_and_changes_nothing(cast, name, state, who, data, missing):
    case = advance(open_case(cast.dic_focal), state, cast)
    before = Case.objects.values().get(pk=case.pk)
    c = client_for(getattr(cast, who))
    events = AuditEvent.objects.count()  # after signing in (itself an audit event)
    posted = {f"move-{name}-{k}": v for k, v in data.items()}
    response = c.post(reverse("cases:move", args=[case.reference, name]), posted)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="field-move-{name}-{missing}"' in html
    assert html.split(f'id="field-move-{name}-{missing}"')[0].rsplit("<", 1)[1].find("has-error") >= 0
    assert Case.objects.values().get(pk=case.pk) == before and AuditEvent.objects.count() == events
    # The same through htmx: the form with its error, in place.
    response = c.post(reverse("cases:move", args=[case.reference, name]), posted, **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "errorlist" in response.content.decode()
    assert Case.objects.values().get(pk=case.pk) == before


def test_a_move_by_someone_not_allowed_is_refused(cast):
    case = advance(open_case(cast.dic_focal), CaseStatus.VERIFYING, cast)
    # The Provincial Police (a hub) sees the case but does not lead it: it may not transfer it.
    c = client_for(cast.police_focal)
    events = AuditEvent.objects.count()  # after signing in (itself an audit event)
    page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="move-transfer"' not in page
    response = c.post(
        reverse("cases:move", args=[case.reference, "transfer"]),
        {"move-transfer-receiving_police_unit": "st-police-investigation", "move-transfer-transfer_dossier": "HS-9"},
    )
    assert response.status_code == 403
    assert "You may not &#x27;Transfer to the police&#x27; on this case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFYING and AuditEvent.objects.count() == events
    # A move the workflow does not allow from here: refused with the reason.
    response = client_for(cast.dic_focal).post(reverse("cases:move", args=[case.reference, "recommend"]), {})
    assert response.status_code == 409 and "is not possible while the case is" in response.content.decode()
    # An officer of the lead who is not named on the case may not close it either.
    response = client_for(cast.dic_officer).post(
        reverse("cases:move", args=[case.reference, "close"]), {"move-close-outcome": "unfounded"}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFYING
    assert client_for(cast.dic_focal).get(reverse("cases:move", args=[case.reference, "fly"])).status_code == 404


def test_a_refused_close_outcome_shows_the_domain_error(cast):
    case = advance(open_case(cast.dic_focal), CaseStatus.VERIFYING, cast)
    other = open_case(cast.dic_focal, reports=[fraud_report(phone="")])
    c = client_for(cast.dic_focal)
    # "prosecuted" is not offered before a recommendation; posted anyway, the form refuses it.
    response = c.post(reverse("cases:move", args=[case.reference, "close"]), {"move-close-outcome": "prosecuted"})
    assert response.status_code == 400
    # Merged into another case: allowed, and recorded.
    response = c.post(
        reverse("cases:move", args=[case.reference, "close"]),
        {"move-close-outcome": "merged", "move-close-merged_into": other.reference},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure.merged_into == other


def test_the_whole_workflow_through_the_pages(cast):
    case = open_case(cast.dic_focal)
    dic, inv = client_for(cast.dic_focal), client_for(cast.investigator)

    def post(c, name, **data):
        response = c.post(
            reverse("cases:move", args=[case.reference, name]), {f"move-{name}-{k}": v for k, v in data.items()}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        return Case.objects.get(pk=case.pk)

    assert post(dic, "verify").status == CaseStatus.VERIFYING
    page = dic.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="move-transfer"' in page and 'data-testid="move-administrative"' in page
    assert "st-police-investigation" in page  # the receiving unit is offered
    done = post(dic, "transfer", receiving_police_unit="st-police-investigation", transfer_dossier="HS-2026-01")
    assert done.status == CaseStatus.TRANSFERRED and done.police_transfer.dossier == "HS-2026-01"
    assert post(inv, "investigate").lead_organisation.code == "st-police-investigation"
    services.case_add_member(case=case, user=cast.investigator, ctx=AuditContext(actor=cast.investigation_focal))
    assert (
        post(inv, "recommend", procuracy="st-procuracy", recommendation_ref="KN-7").recommendation.procuracy.code
        == "st-procuracy"
    )
    closed = post(inv, "close", outcome="prosecuted", outcome_note="Khởi tố")
    assert closed.status == CaseStatus.CLOSED and closed.closure.outcome == "prosecuted"
    report = closed.report_links.get().report
    assert report.public_status == "closed"
    timeline = dic.get(reverse("cases:detail", args=[case.reference])).content.decode()
    for label in ("Start verification", "Transfer to the police", "Open an investigation", "Recommend prosecution"):
        assert label in timeline
    assert audit_verify().ok


def test_the_move_page_has_a_stable_url_with_the_form(cast):
    case = advance(open_case(cast.dic_focal), CaseStatus.VERIFYING, cast)
    response = client_for(cast.dic_focal).get(reverse("cases:move", args=[case.reference, "transfer"]))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="move-form-transfer"' in html
    assert 'name="move-transfer-receiving_police_unit"' in html and 'name="move-transfer-transfer_dossier"' in html
    assert 'name="move-transfer-procuracy"' not in html


# --- Sections: people, tasks, notes, links, reports ---------------------------------------------------------


def test_participants_and_people_are_added_in_place(cast):
    case = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    response = c.post(
        reverse("cases:participant_add", args=[case.reference]), {"participant-organisation": "st-viettel"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<section") and 'id="people"' in html
    assert 'data-organisation="st-viettel"' in html
    assert 'id="timeline" data-testid="timeline"' in html and 'hx-swap-oob="true"' in html
    response = c.post(reverse("cases:member_add", args=[case.reference]), {"member-user": "carrier.reporter"})
    assert response.status_code == 302 and response["Location"].endswith("#people")
    assert CaseMember.objects.filter(case=case, user=cast.carrier).exists()
    # Not the lead: refused, and nothing added.
    response = client_for(cast.police_focal).post(
        reverse("cases:participant_add", args=[case.reference]), {"participant-organisation": "st-mobifone"}
    )
    assert response.status_code == 403
    assert not CaseParticipant.objects.filter(case=case, organisation__code="st-mobifone").exists()


def test_a_task_for_the_carrier_is_created_and_completed(cast):
    case = open_case(cast.dic_focal)
    ctx = AuditContext(actor=cast.dic_focal)
    services.case_add_participant(case=case, organisation=org("st-viettel"), ctx=ctx)
    services.case_add_member(case=case, user=cast.carrier, ctx=ctx)
    c = client_for(cast.dic_focal)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = c.post(
        reverse("cases:task_create", args=[case.reference]),
        {
            "task-title": "Xác minh thuê bao",
            "task-organisation": "st-viettel",
            "task-owner": "carrier.reporter",
            "task-due_date": due,
        },
        **HTMX,
    )
    assert response.status_code == 200 and 'id="tasks"' in response.content.decode()
    task = Task.objects.get()
    assert task.organisation.code == "st-viettel" and task.owner == cast.carrier
    # The owner must belong to the organisation.
    response = c.post(
        reverse("cases:task_create", args=[case.reference]),
        {"task-title": "Sai người", "task-organisation": "st-dic", "task-owner": "carrier.reporter"},
    )
    assert response.status_code == 400 and Task.objects.count() == 1
    # The carrier sees the case and reports the task done; DIC could not.
    carrier = client_for(cast.carrier)
    page = carrier.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="task-complete-form"' in page
    dic_page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="task-complete-form"' not in dic_page
    url = reverse("cases:task_complete", args=[case.reference, task.pk])
    assert c.post(url, {f"task-{task.pk}-result": "Không phải việc của DIC"}).status_code == 403
    response = carrier.post(url, {f"task-{task.pk}-result": ""}, **HTMX)
    assert "has-error" in response.content.decode()
    response = carrier.post(url, {f"task-{task.pk}-result": "Thuê bao đăng ký bằng CCCD giả"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at and task.result == "Thuê bao đăng ký bằng CCCD giả"


def test_overdue_tasks_are_flagged(cast):
    case = open_case(cast.dic_focal)
    Task.objects.create(
        case=case,
        title="Cũ",
        organisation=org("st-dic"),
        created_by=cast.dic_focal,
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    html = client_for(cast.dic_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="task-overdue"' in html


def test_notes_are_added_in_place_and_post_only(cast):
    case = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    url = reverse("cases:note_add", args=[case.reference])
    assert c.get(url).status_code == 405
    response = c.post(url, {"note-text": "Đã liên hệ nhà mạng"}, **HTMX)
    assert response.status_code == 200 and "Đã liên hệ nhà mạng" in response.content.decode()
    assert Note.objects.get().author == cast.dic_focal
    response = c.post(url, {"note-text": ""}, **HTMX)
    assert "has-error" in response.content.decode() and Note.objects.count() == 1


def test_writes_need_the_csrf_token(cast):
    case = open_case(cast.dic_focal)
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.dic_focal)
    assert c.post(reverse("cases:note_add", args=[case.reference]), {"note-text": "không có token"}).status_code == 403
    assert not Note.objects.exists()


def test_linked_cases_name_only_what_the_user_may_see(cast):
    case = open_case(cast.dic_focal)
    other = open_case(cast.dic_focal, reports=[fraud_report(phone="")])
    secret = open_case(cast.dic_head, reports=[fraud_report(phone="")], access_level=AccessLevel.RESTRICTED)
    c = client_for(cast.dic_focal)
    response = c.post(reverse("cases:link_add", args=[case.reference]), {"link-case_number": other.reference}, **HTMX)
    assert other.reference in response.content.decode()
    services.case_link(case=case, other=secret, ctx=AuditContext(actor=cast.dic_head))
    html = client_for(cast.police_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert other.reference in html and secret.reference not in html and 'data-testid="hidden-links"' in html
    response = c.post(reverse("cases:link_add", args=[case.reference]), {"link-case_number": "VV00-NOPE"})
    assert response.status_code == 400


def test_suggested_reports_are_attached_from_the_case_page(cast):
    case = open_case(cast.dic_focal)
    later = fraud_report(description="Lại số này gọi lừa đảo.")
    c = client_for(cast.dic_focal)
    html = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="suggested-reports"' in html and later.reference in html
    response = c.post(reverse("cases:reports_attach", args=[case.reference]), {"reports": [later.reference]}, **HTMX)
    assert response.status_code == 200
    assert case.report_links.filter(report=later).exists()


def test_access_is_restricted_from_the_page(cast):
    case = open_case(cast.dic_focal)
    response = client_for(cast.dic_focal).post(
        reverse("cases:access", args=[case.reference]), {"access-access_level": "restricted"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.access_level == AccessLevel.RESTRICTED
    assert client_for(cast.police_focal).get(reverse("cases:detail", args=[case.reference])).status_code == 404


# --- The API: the same scope and FilterSet -------------------------------------------------------------------
# Mounted here beside the site's URLs until config/urls.py includes phoihop.cases.api.urls.

from django.urls import include, path  # noqa: E402

from config.urls import urlpatterns as _site  # noqa: E402

urlpatterns = [path("api/v1/", include("phoihop.cases.api.urls")), *_site]


@pytest.mark.urls(__name__)
def test_the_api_lists_and_shows_what_the_html_does(cast):
    normal = open_case(cast.dic_focal, title="Lừa đảo qua điện thoại")
    other = open_case(
        cast.dic_focal,
        title="Web giả",
        reports=[fraud_report(description="Trang web giả mạo ngân hàng.", phone="", behaviour="15.4")],
    )
    restricted = open_case(cast.dic_head, access_level=AccessLevel.RESTRICTED)
    police = client_for(cast.police_focal)
    body = police.get("/api/v1/cases/").json()
    assert {c["reference"] for c in body["results"]} == {normal.reference, other.reference}
    assert police.get("/api/v1/cases/", {"q": "lua dao"}).json()["count"] == 1
    assert police.get("/api/v1/cases/", {"behaviour": "15.4"}).json()["results"][0]["reference"] == other.reference
    assert police.get("/api/v1/cases/", {"status": "bogus"}).status_code == 400
    detail = police.get(f"/api/v1/cases/{normal.reference}/").json()
    assert detail["lead"]["code"] == "st-dic" and len(detail["reports"]) == 1
    assert {p["organisation"]["code"] for p in detail["participants"]} == {"st-dic"}
    assert police.get(f"/api/v1/cases/{restricted.reference}/").status_code == 404
    head = client_for(cast.dic_head)
    assert head.get(f"/api/v1/cases/{restricted.reference}/").status_code == 200
    assert AuditEvent.objects.filter(action="case.view", object_id=str(restricted.pk), data__via="api").exists()
    assert client_for(None).get("/api/v1/cases/").status_code in {401, 403}
