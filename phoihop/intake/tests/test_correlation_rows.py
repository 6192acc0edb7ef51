"""The other reports of a report's indicators: the plain newest-first query and the per-indicator ranking
(its fallback when one busy indicator crowds out another) name the same reports, in the same order."""

from __future__ import annotations

import pytest

from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation, User
from phoihop.intake.choices import Channel
from phoihop.intake.selectors import _ranked_others, correlations_for
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

pytestmark = pytest.mark.django_db

BUSY, QUIET, ONCE = "0912345678", "0987654321", "https://lua-dao.example/nhan-thuong"


def submit(*indicators: IndicatorInput):
    data = ReportInput(
        description="Có người gọi điện giả danh công an, đòi chuyển tiền.",
        behaviour="13.4",
        area="st-vinh-chau",
        indicators=list(indicators),
    )
    return report_submit(data=data, channel=Channel.WEB, ctx=AuditContext(label="public")).report


def test_the_newest_query_and_the_ranking_agree_for_every_limit():
    quiet = [submit(IndicatorInput("phone", QUIET)) for _ in range(2)]
    busy = [submit(IndicatorInput("phone", BUSY)) for _ in range(6)]
    anchor = submit(IndicatorInput("phone", BUSY), IndicatorInput("phone", QUIET), IndicatorInput("url", ONCE))
    user = User.objects.create_user(
        username="dic.focal",
        password="a-long-test-password-1",
        role="focal_point",
        organisation=Organisation.objects.get(code="st-dic"),
    )
    ids = list(anchor.indicator_links.values_list("indicator_id", flat=True))
    for limit in (1, 2, 3, 6, 10):
        got = {
            c.link.indicator_id: [r.pk for r in c.visible_reports] for c in correlations_for(user, anchor, limit=limit)
        }
        ranked: dict[int, list[int]] = {}
        for row in _ranked_others(user, anchor, ids, limit):
            ranked.setdefault(row.via_indicator, []).append(row.pk)
        assert got == {i: ranked.get(i, []) for i in ids}, limit
    by_value = {
        c.link.indicator.value: [r.pk for r in c.visible_reports] for c in correlations_for(user, anchor, limit=3)
    }
    assert by_value["+84987654321"] == [r.pk for r in reversed(quiet)]  # newest first, not crowded out
    assert by_value["+84912345678"] == [r.pk for r in reversed(busy)][:3]
