"""Đ4.4, Đ4.5, Đ5.2: the open cases by stage and lead, counted for a hub as every open case less the restricted
ones hidden from the user, are the same figures as counting the cases the user may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from phoihop.cases.choices import AccessLevel, CaseStatus
from phoihop.cases.models import Case
from phoihop.cases.tests.factories import open_case, submit_report
from phoihop.core.permissions import scope
from phoihop.dashboards.selectors import open_cases

pytestmark = pytest.mark.django_db


def recounted(user, lead=None) -> tuple[Counter, int]:
    qs = scope(user, Case.objects.all()).exclude(status=CaseStatus.CLOSED)
    if lead is not None:
        qs = qs.filter(lead_organisation=lead)
    counts: Counter = Counter()
    for lead_id, status in qs.values_list("lead_organisation_id", "status"):
        counts[(lead_id, status)] += 1
    return counts, qs.filter(due_at__lt=timezone.now()).count()


def shown(stages) -> tuple[Counter, int]:
    counts: Counter = Counter()
    for org, per_status, _total in stages.rows:
        for status, n in per_status.items():
            counts[(org.pk, status)] += n
    assert sum(stages.totals.values()) == stages.total == sum(counts.values())
    return counts, stages.overdue


@pytest.mark.parametrize("who", ["dic_focal", "police_focal", "dic_head", "vc_officer", "viettel"])
def test_open_cases_equal_the_cases_the_user_may_see(world, who):
    cast, _reports = world
    cast = cast.fresh()
    # a restricted case the DIC's focal point is named on (hidden from the police's), a late one, a closed one
    open_case(cast.police_focal, submit_report(phone="0977 323 456"), access_level=AccessLevel.RESTRICTED)
    late = open_case(cast.dic_focal, submit_report(phone="0977 323 457"))
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    closed = open_case(cast.dic_focal, submit_report(phone="0977 323 458"))
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    user = cast[who]
    assert shown(open_cases(user)) == recounted(user)
    if user.organisation_id:
        lead = user.organisation
        assert shown(open_cases(user, lead=lead)) == recounted(user, lead)


def test_a_hub_does_not_count_a_restricted_case_hidden_from_it(world):
    cast, _reports = world
    cast = cast.fresh()
    before = open_cases(cast.police_focal).total
    open_case(cast.dic_focal, submit_report(phone="0977 323 459"), access_level=AccessLevel.RESTRICTED)
    assert open_cases(cast.police_focal).total == before
    assert open_cases(cast.dic_focal).total == shown(open_cases(cast.dic_focal))[0].total()
