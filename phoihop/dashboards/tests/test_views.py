"""The dashboards per role: who lands where, the figures they show, and the list behind each figure."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from phoihop.core.permissions import scope
from phoihop.dashboards.statistics import Period
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report

pytestmark = pytest.mark.django_db
HALF = {"from": "2026-01-01", "to": "2026-06-30"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def number(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}"[^>]*>\s*(\d+)', html)
    assert match, f"no {testid} in the page"
    return int(match.group(1))


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("dic_focal", "/dashboard/hub/"),
        ("dic_hub", "/dashboard/hub/"),
        ("police_focal", "/dashboard/hub/"),
        ("dic_head", "/dashboard/head/"),
        ("vc_officer", "/dashboard/work/"),
        ("doit_focal", "/dashboard/work/"),
        ("viettel", "/dashboard/work/"),
        ("sysadmin", "/"),
        ("outsider", "/"),
    ],
)
def test_each_role_lands_on_its_dashboard(world, who, page):
    cast, _reports = world
    client = signed_in(cast.fresh()[who])
    answer = client.get("/dashboard/")
    assert answer.status_code == 302 and answer["Location"] == page
    if page != "/":
        assert client.get(page).status_code == 200


@pytest.mark.parametrize(("who", "page"), [("vc_officer", "hub"), ("viettel", "hub"), ("vc_officer", "head")])
def test_a_dashboard_is_refused_to_others(world, who, page):
    cast, _reports = world
    assert signed_in(cast.fresh()[who]).get(f"/dashboard/{page}/").status_code == 403


def test_the_hub_shows_the_province_flow(world):
    cast, _reports = world
    user = cast.fresh().dic_focal
    html = signed_in(user).get("/dashboard/hub/", HALF).content.decode()
    visible = scope(user, Report.objects.all()).filter(Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30)).received())
    assert number(html, "period-total") == visible.count() == 5
    for panel in ("panel-new-reports", "panel-timeliness", "panel-cases", "panel-indicators"):
        assert f'data-testid="{panel}"' in html
    assert html.count('<svg class="chart"') >= 2
    assert "style=" not in html  # the strict CSP: no style attribute
    assert "<script>" not in html


def test_every_figure_links_to_a_list_with_that_many_reports(world):
    cast, _reports = world
    user = cast.fresh().dic_focal
    client = signed_in(user)
    html = client.get("/dashboard/hub/", HALF).content.decode()
    table = html.split('data-testid="stats-table"')[1].split("</table>")[0]
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', table)
    assert links
    for url, count in links:
        page = client.get(url.replace("&amp;", "&")).content.decode()
        assert number(page, "report-count") == int(count), url


def test_my_work_lists_deliveries_to_acknowledge_with_their_deadline(world):
    cast, _reports = world
    user = cast.fresh().vc_officer
    html = signed_in(user).get("/dashboard/work/").content.decode()
    # the inbox's own count: the report of the restricted case is hidden from this officer
    waiting = scope(user, Delivery.objects.filter(acknowledged_at__isnull=True)).count()
    assert waiting == Delivery.objects.filter(organisation=user.organisation, acknowledged_at__isnull=True).count() - 1
    assert number(html, "waiting-count") == waiting
    assert "overdue" in html  # the test reports were received long ago


def test_the_head_sees_the_timeliness_of_their_organisation(world):
    from phoihop.cases.tests.factories import ctx
    from phoihop.inbox.services import delivery_acknowledge

    cast, reports = world
    cast = cast.fresh()
    delivery = Delivery.objects.get(report=reports["call1"], organisation=cast.dic_head.organisation)
    # acknowledged 12 minutes after delivery
    Delivery.objects.filter(pk=delivery.pk).update(delivered_at=timezone.now() - dt.timedelta(minutes=12))
    delivery.refresh_from_db()
    delivery_acknowledge(delivery=delivery, ctx=ctx(cast.dic_focal))
    html = signed_in(cast.dic_head).get("/dashboard/head/", HALF).content.decode()
    assert number(html, "acknowledged") == 1
    assert re.search(r'data-testid="median">1[12] min<', html)  # within the buckets' 5%
    assert re.search(r'data-testid="on-time">100%<', html)


def test_the_head_sees_what_waits_for_their_signature(world):
    from phoihop.cases.tests.factories import ctx, org
    from phoihop.documents.choices import DocumentKind
    from phoihop.documents.services.drafting import document_draft
    from phoihop.documents.services.moves import document_submit

    cast, _reports = world
    cast = cast.fresh()
    client = signed_in(cast.dic_head)
    before = client.get("/dashboard/head/").content.decode()
    assert 'data-testid="panel-documents"' in before and "0 documents to sign" in before
    draft = document_draft(
        ctx=ctx(cast.dic_focal),
        organisation=cast.dic_focal.organisation,
        kind=DocumentKind.OFFICIAL_LETTER,
        summary="V/v phối hợp xác minh số điện thoại lừa đảo",
        body="Đề nghị Công an tỉnh phối hợp xác minh.",
        recipients=[org("st-police")],
        signer_position="Giám đốc",
    )
    document_submit(ctx=ctx(cast.dic_focal), document=draft)
    html = client.get("/dashboard/head/").content.decode()
    assert "1 document to sign" in html and "V/v phối hợp xác minh số điện thoại lừa đảo" in html


def test_a_panel_row_with_a_deadline_day_renders():
    """A countermeasure's deadline is a day, not a moment (the head's page once failed on it)."""
    from django.template.loader import render_to_string

    row = {"title": "BP-1 · 0912345678", "url": "/countermeasures/BP-1/", "due": dt.date(2026, 5, 20), "overdue": True}
    panel = {"key": "countermeasures", "title": "T", "summary": "1", "url": "/", "overdue": 1, "rows": [row]}
    html = render_to_string("dashboards/partials/upcoming.html", {"upcoming": [panel]})
    assert "BP-1 · 0912345678" in html and 'class="overdue"' in html


def test_my_work_lists_the_requests_my_organisation_has_to_answer(world):
    from phoihop.exchange.tests.factories import make_request

    cast, _reports = world
    cast = cast.fresh()
    client = signed_in(cast.viettel)
    assert 'data-testid="panel-requests"' not in client.get("/dashboard/work/").content.decode()
    request = make_request(cast.police_focal, ("st-viettel",), due_date=timezone.localdate() + dt.timedelta(days=10))
    html = client.get("/dashboard/work/").content.decode()
    assert 'data-testid="panel-requests"' in html and "1 request to answer" in html
    assert f"/requests/{request.reference}/" in html
    # The sender's own "my work" does not list it as something to answer.
    assert 'data-testid="panel-requests"' not in signed_in(cast.police_focal).get("/dashboard/work/").content.decode()
