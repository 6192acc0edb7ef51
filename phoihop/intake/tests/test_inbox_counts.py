"""The inbox's header counts stop at a cap (Đ3.4: "more than 1,000" is all a focal point needs), exact below it,
through the same permission scope as the list, and the page then pages without counting.

Here in intake rather than in inbox: the inbox page and the reports it counts are intake's, a layer above."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation
from phoihop.inbox import selectors
from phoihop.inbox.models import Delivery
from phoihop.inbox.selectors import inbox_counts
from phoihop.intake.services import ReportInput, report_submit_many
from phoihop.intake.views import triage

pytestmark = pytest.mark.django_db

PUBLIC = AuditContext(label="public")
INBOX = "/reports/inbox/"


@pytest.fixture
def dic(django_user_model):
    return django_user_model.objects.create_user(
        username="dic.focal",
        password="a-long-test-password-1",
        organisation=Organisation.objects.get(code="st-dic"),
        role="focal_point",
    )


def _reports(n: int) -> None:
    rows = [
        ReportInput(description=f"Lừa đảo qua điện thoại #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(n)
    ]
    report_submit_many(rows=rows, channel="web", ctx=PUBLIC)


def _acknowledge(n: int, user) -> None:
    ids = list(Delivery.objects.filter(organisation=user.organisation).order_by("pk").values_list("pk", flat=True)[:n])
    Delivery.objects.filter(pk__in=ids).update(acknowledged_at=timezone.now(), acknowledged_by=user)


def test_counts_are_exact_below_the_cap(dic, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    _reports(5)
    _acknowledge(2, dic)
    counts = inbox_counts(dic)
    assert (counts.total, counts.waiting) == (5, 3)
    assert not counts.total_capped and not counts.waiting_capped


def test_counts_stop_one_past_the_cap_in_a_single_query(dic, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _reports(6)
    _acknowledge(1, dic)
    with CaptureQueriesContext(connection) as ctx:
        counts = inbox_counts(dic)
    assert (counts.total, counts.waiting) == (4, 4)  # 5 wait, 6 in all: both "more than 3"
    assert counts.total_capped and counts.waiting_capped
    assert len(ctx.captured_queries) == 1
    assert re.search(r"LIMIT 4\b", ctx.captured_queries[0]["sql"])


def test_few_waiting_in_a_large_inbox_are_still_counted_exactly(dic, monkeypatch):
    # The unacknowledged deliveries come first in the inbox's order, so the capped walk sees all of them.
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _reports(6)
    _acknowledge(4, dic)
    counts = inbox_counts(dic)
    assert counts.total_capped and (counts.waiting, counts.waiting_capped) == (2, False)


def test_counts_keep_the_permission_scope(dic, django_user_model):
    _reports(2)
    outsider = django_user_model.objects.create_user(
        username="enterprise",
        password="a-long-test-password-1",
        organisation=Organisation.objects.get(code="st-viettel"),
        role="enterprise_reporter",
    )
    assert (inbox_counts(outsider).total, inbox_counts(outsider).waiting) == (0, 0)
    assert inbox_counts(dic).total == 2


def test_a_large_inbox_says_more_than_the_cap_and_pages_without_counting(client, dic, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    _reports(5)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    first = client.get(INBOX).content.decode()
    assert "More than 3 reports delivered to" in first
    pager = first.split('class="pager"')[1].split("</nav>")[0]
    assert 'rel="next"' in pager and "Page 1" in pager and "Page 1 of" not in pager
    third = client.get(INBOX, {"page": 3}).content.decode()
    assert third.count('<tr id="delivery-') == 1 and 'rel="next"' not in third and 'rel="prev"' in third


def test_a_small_inbox_keeps_numbered_pages(client, dic, monkeypatch):
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    _reports(3)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(INBOX).content.decode()
    assert "3 reports delivered to" in html and "Page 1 of 2" in html
