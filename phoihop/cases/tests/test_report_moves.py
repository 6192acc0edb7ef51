"""The cases app moves reports only through the report's own workflow (intake.status): attach, triage close,
and the moves that follow from the case's (case_closed, case_reopened), in bulk for a case's reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.audit.models import AuditChainHead, AuditEvent
from phoihop.audit.services import SYSTEM, audit_verify
from phoihop.cases.models import Case, CaseReport
from phoihop.cases.services import case_transition, report_close
from phoihop.core.errors import Conflict
from phoihop.intake.choices import CloseReason, PublicStatus, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.services import report_status_move, report_status_move_many

from .factories import ctx, make_cast, open_case, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def state(*reports: Report) -> dict:
    """What a refused move must leave as it was: the reports' status and the audit chain's head."""
    rows = Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk")
    return {
        "reports": list(rows.values_list("reference", "status", "close_reason", "updated_at")),
        "head": AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first(),
    }


def test_a_move_not_allowed_from_the_reports_status_is_refused_and_changes_nothing(cast):
    in_case = submit_report()
    open_case(cast.dic_focal, in_case)
    received = submit_report()  # in no case: its case cannot close it
    before = state(in_case, received)
    with pytest.raises(Conflict):  # one report that may not make the move: none of them moves
        report_status_move_many(reports=[in_case, received], move="case_closed", ctx=SYSTEM)
    with pytest.raises(Conflict):
        report_status_move(report=received, move="case_closed", ctx=SYSTEM)
    with pytest.raises(Conflict):  # a report in a case is not put in another one
        report_status_move_many(reports=[in_case], move="attach", ctx=ctx(cast.dic_focal))
    assert state(in_case, received) == before


def test_a_case_is_not_opened_from_a_report_closed_in_triage(cast):
    closed = submit_report()
    report_close(report=closed, reason=CloseReason.DUPLICATE, note="Trùng với báo cáo trước", ctx=ctx(cast.dic_focal))
    before = state(closed)
    with pytest.raises(Conflict):
        open_case(cast.dic_focal, closed)
    assert state(closed) == before and not CaseReport.objects.filter(report=closed).exists()
    assert not Case.objects.exists()


def close_and_reopen(cast, case: Case) -> tuple[int, int]:
    """Close `case` and re-open it; the statements each took."""
    with CaptureQueriesContext(connection) as closing:
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome="unfounded")
    with CaptureQueriesContext(connection) as reopening:
        case_transition(
            case=Case.objects.get(pk=case.pk), move="reopen", ctx=ctx(cast.dic_hub), reason="Có nạn nhân mới."
        )
    return len(closing), len(reopening)


def test_closing_a_case_moves_all_its_reports_in_the_same_few_statements(cast):
    open_case(cast.dic_focal, submit_report())  # warms what is cached once a day (the hubs)
    few, many = [submit_report() for _ in range(2)], [submit_report() for _ in range(20)]
    with CaptureQueriesContext(connection) as opening_small:
        small = open_case(cast.dic_focal, few)
    with CaptureQueriesContext(connection) as opening_big:
        big = open_case(cast.dic_focal, many)
    assert len(opening_big) == len(opening_small)  # not one statement per report
    assert close_and_reopen(cast, big) == close_and_reopen(cast, small)

    case_transition(case=Case.objects.get(pk=big.pk), move="close", ctx=ctx(cast.dic_focal), outcome="unfounded")
    moved = Report.objects.filter(case_link__case=big)
    assert {(r.status, r.close_reason, r.public_status) for r in moved} == {
        (ReportStatus.CLOSED, CloseReason.CASE_CLOSED, PublicStatus.CLOSED)
    }
    events = AuditEvent.objects.filter(action="report.move.case_closed", object_id__in=[str(r.pk) for r in moved])
    assert events.count() == 2 * len(many)  # closed twice (once before the re-opening)
    last = events.order_by("seq").last()
    assert last.actor is None and last.data["case"] == big.reference and last.data["by"] == "dic.focal"
    assert (last.data["before"], last.data["after"]) == (ReportStatus.IN_CASE, ReportStatus.CLOSED)
    assert audit_verify().ok
