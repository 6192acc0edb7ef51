"""The inbox page at scale: rows written once per page as the row template writes them, filter lists without
queries, a bounded number of statements for any filter and any page, and a bulk acknowledgement in one update."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.inbox.selectors import ack_deadline
from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit, report_submit_many
from phoihop.intake.views import triage

pytestmark = pytest.mark.django_db

PUBLIC = AuditContext(label="public")
INBOX = "/reports/inbox/"
# session, user, hidden cases, the capped counts, the page's ids, its rows, the bell, the user's organisation;
# a filter naming a sector, a violation or an area reads that one row to check it.
MAX_INBOX_QUERIES = 8
MAX_FILTERED_INBOX_QUERIES = 11


def _user(django_user_model, username: str, org: str = "st-dic", role: str = "focal_point"):
    return django_user_model.objects.create_user(
        username=username, password="a-long-test-password-1", organisation=Organisation.objects.get(code=org), role=role
    )


@pytest.fixture
def dic(django_user_model):
    return _user(django_user_model, "dic.focal")


@pytest.fixture
def reference_kept(settings):
    """Reference data held in memory as in production (the test settings rebuild it on every use)."""
    from phoihop.core import refcache

    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60
    refcache.invalidate_all()
    yield
    refcache.invalidate_all()


def _many(n: int, **fields) -> None:
    fields = {"behaviour": "13.4", "area": "st-vinh-chau", **fields}
    report_submit_many(
        rows=[ReportInput(description=f"Lừa đảo qua điện thoại #{i}", **fields) for i in range(n)],
        channel="web",
        ctx=PUBLIC,
    )


def _squash(html: str) -> str:
    html = re.sub(r"\s+</td>", "</td>", re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))).strip()
    return re.sub(r'data-testid="age">[^<]*<', 'data-testid="age"><', html)  # a minute may turn in between


def _template_row(d: Delivery, *, can_acknowledge: bool, deadline) -> str:
    d.due_at = d.delivered_at + dt.timedelta(minutes=60)
    html = render_to_string(
        "intake/partials/inbox_row.html", {"d": d, "can_acknowledge": can_acknowledge, "deadline": deadline}
    )
    return _squash(html)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_say_what_the_row_template_says(dic, settings, language):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 60
    long = "Có người gọi giả danh công an & <b>ngân hàng</b>, " * 6
    late = report_submit(
        data=ReportInput(description=long, behaviour="13.4", area="st-vinh-chau"), channel="web", ctx=PUBLIC
    ).report
    unsure = report_submit(data=ReportInput(description="Không rõ loại vi phạm."), channel="web", ctx=PUBLIC).report
    Delivery.objects.filter(report=late).update(delivered_at=timezone.now() - dt.timedelta(hours=3))
    done = Delivery.objects.filter(report=unsure, organisation__code="st-dic").first()
    if done is not None:
        Delivery.objects.filter(pk=done.pk).update(acknowledged_at=timezone.now(), acknowledged_by=dic)
    rows = list(
        Delivery.objects.filter(organisation__code="st-dic").select_related(
            "report__behaviour", "report__area", "report__sector", "acknowledged_by"
        )
    )
    assert rows
    deadline = ack_deadline()
    with override(language):
        for can_acknowledge in (True, False):
            writer = triage._RowWriter(can_acknowledge=can_acknowledge, deadline=deadline)
            for d in rows:
                assert _squash(writer.row(d)) == _template_row(d, can_acknowledge=can_acknowledge, deadline=deadline)


def test_the_filter_lists_need_no_query_and_keep_the_choice(client, dic, reference_kept):
    _many(3)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    client.get(INBOX)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(INBOX, {"behaviour": "13.4", "area": "st-vinh-chau"}).content.decode()
    lists = [q["sql"] for q in ctx.captured_queries if " ORDER BY " in q["sql"] and " JOIN " not in q["sql"]]
    # The lists come from memory (a chosen value reads its own row to be checked).
    assert not [
        sql
        for sql in lists
        if re.match(r'SELECT "(taxonomy_sector|taxonomy_behaviour|directory_administrativeunit)"', sql)
    ]
    assert '<option value="13.4" selected>' in html and '<option value="st-vinh-chau" selected>' in html
    assert 'id="id_sector"' in html and '<option value="" selected>' in html  # no sector chosen
    assert html.count('<option value="') > 100  # every violation and area is offered


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"status": "waiting"},
        {"overdue": "on"},
        {"status": "waiting", "behaviour": "13.4", "area": "st-vinh-chau", "has_indicator": "on", "sector": "13"},
        {"status": "acknowledged", "page": "200"},
    ],
)
def test_every_inbox_page_reads_a_bounded_number_of_queries(client, dic, params, reference_kept):
    _many(60)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    client.get(INBOX, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(INBOX, params)
    assert response.status_code == 200
    bound = MAX_FILTERED_INBOX_QUERIES if {"sector", "behaviour", "area"} & set(params) else MAX_INBOX_QUERIES
    assert len(ctx.captured_queries) <= bound, [q["sql"][:120] for q in ctx.captured_queries]


def test_the_last_page_and_beyond(client, dic, monkeypatch):
    from phoihop.inbox import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    _many(5)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    pages = [client.get(INBOX, {"page": n}).content.decode() for n in (1, 2, 3, 4)]
    refs = [re.findall(r'data-reference="([^"]+)"', html) for html in pages]
    assert [len(r) for r in refs] == [2, 2, 1, 0]
    assert len({ref for r in refs for ref in r}) == 5  # each once, in the inbox's order across pages
    expected = list(
        Report.objects.filter(deliveries__organisation=dic.organisation)
        .order_by("-deliveries__delivered_at")
        .values_list("reference", flat=True)
    )
    assert sorted(ref for r in refs for ref in r) == sorted(expected)
    assert 'rel="next"' not in pages[2] and 'rel="prev"' in pages[2]


def test_combined_filters_and_indicator_over_many_rows(client, dic, settings):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 60
    _many(4)
    phone = report_submit(
        data=ReportInput(
            description="Gọi lừa đảo.",
            behaviour="13.4",
            area="st-vinh-chau",
            indicators=[IndicatorInput("phone", "0912 345 678")],
        ),
        channel="web",
        ctx=PUBLIC,
    ).report
    Delivery.objects.filter(report=phone).update(delivered_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(
        INBOX, {"status": "waiting", "overdue": "on", "has_indicator": "on", "area": "st-vinh-chau"}
    ).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', html) == [phone.reference]


def test_a_bulk_acknowledgement_of_a_page_is_one_update_and_an_event_each(client, dic):
    _many(50)
    ids = list(Delivery.objects.filter(organisation=dic.organisation).values_list("pk", flat=True))
    assert len(ids) == 50
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("intake:inbox_acknowledge"), {"delivery": ids})
    assert response.status_code == 302
    updates = [q for q in ctx.captured_queries if q["sql"].startswith('UPDATE "inbox_delivery"')]
    assert len(updates) == 1
    assert not Delivery.objects.filter(pk__in=ids, acknowledged_at__isnull=True).exists()
    events = AuditEvent.objects.filter(action="delivery.acknowledge", actor=dic)
    assert sorted(int(e.object_id) for e in events) == sorted(ids)
    assert set(Report.objects.filter(deliveries__pk__in=ids).values_list("status", flat=True)) == {
        ReportStatus.ACKNOWLEDGED
    }


def test_the_rows_of_a_page_are_read_by_their_ids_alone(client, dic, reference_kept):
    """The scope picks the page's ids (walking the inbox's index); the rows are then read by primary key, not
    through `organisation_id = ? AND id IN (...)`, which SQLite answers by walking a hub's million deliveries."""
    _many(3)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    client.get(INBOX)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(INBOX).content.decode()
    rows = [q["sql"] for q in ctx.captured_queries if '"inbox_delivery"."articles"' in q["sql"]]
    assert len(rows) == 1
    where = rows[0].split(" WHERE ", 1)[1]
    assert '"inbox_delivery"."id" IN' in where and "organisation_id" not in where
    assert len(re.findall(r'data-reference="([^"]+)"', html)) == 3


def test_a_row_read_by_id_is_still_checked_against_the_scope(dic):
    """_page_rows keeps only the deliveries the user may see, whatever ids it is given (another organisation's)."""
    _many(2)
    theirs = Delivery.objects.exclude(organisation=dic.organisation).first()
    mine = Delivery.objects.filter(organisation=dic.organisation)
    assert theirs is not None
    rows = triage._page_rows(dic, Delivery.objects.filter(pk__in=[theirs.pk, mine[0].pk]).order_by("pk"), 0, 50)
    assert [d.pk for d in rows] == [mine[0].pk]
