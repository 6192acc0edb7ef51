"""The report's status: declared once (intake.status), every move checked, audit-logged, and readable as data."""

import pytest

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.directory.models import Organisation, User
from phoihop.inbox.services import delivery_acknowledge
from phoihop.intake.services import IndicatorInput, ReportInput, report_status_move, report_submit
from phoihop.intake.status import REPORT_WORKFLOW, status_table

pytestmark = pytest.mark.django_db
PUBLIC = AuditContext(label="public")


def a_report():
    data = ReportInput(
        description="Cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản.",
        behaviour="13.4",
        area="st-vinh-chau",
        indicators=[IndicatorInput("phone", "0162 345 6789")],
    )
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


def focal(username: str, org: str) -> User:
    return User.objects.create_user(username, organisation=Organisation.objects.get(code=org), role="focal_point")


def test_the_first_acknowledgement_moves_the_report_once_and_says_who():
    report = a_report()
    dic, police = focal("dic.focal", "st-dic"), focal("police.focal", "st-police")
    delivery_acknowledge(delivery=report.deliveries.get(organisation__code="st-dic"), ctx=AuditContext(actor=dic))
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.public_status == "handling"
    event = AuditEvent.objects.get(action="report.acknowledged")
    assert event.actor == dic and event.data["before"] == "received" and event.data["article"] == "Đ3.4"

    delivery_acknowledge(delivery=report.deliveries.get(organisation__code="st-police"), ctx=AuditContext(actor=police))
    report.refresh_from_db()
    assert report.status == "acknowledged" and AuditEvent.objects.filter(action="report.acknowledged").count() == 1


def test_moves_are_refused_with_a_reason_and_change_nothing():
    report = a_report()
    hub = focal("dic.focal", "st-dic")
    outsider = focal("doit.focal", "st-doit")
    with pytest.raises(NotAllowed):
        report_status_move(report=report, move="close", data={"reason": "unfounded"}, ctx=AuditContext(actor=outsider))
    with pytest.raises(Invalid) as exc:
        report_status_move(report=report, move="close", data={}, ctx=AuditContext(actor=hub))
    assert "reason" in exc.value.errors
    with pytest.raises(Conflict):  # a person cannot re-open a report: its case does
        report_status_move(report=report, move="case_reopened", ctx=AuditContext(actor=hub))
    report.refresh_from_db()
    assert report.status == "received"

    report_status_move(
        report=report, move="close", data={"reason": "duplicate", "note": " dup "}, ctx=AuditContext(actor=hub)
    )
    report.refresh_from_db()
    assert (report.status, report.close_reason, report.close_note) == ("closed", "duplicate", "dup")
    with pytest.raises(Conflict):
        report_status_move(report=report, move="close", data={"reason": "duplicate"}, ctx=AuditContext(actor=hub))


def test_the_machine_is_data_a_page_can_read():
    table = {row["name"]: row for row in status_table()}
    assert table["acknowledge"]["from"] == ["received"] and table["acknowledge"]["to"] == "acknowledged"
    assert table["acknowledge"]["public_to"] == "handling"  # what a reporter tracking it sees
    assert table["close"]["to"] == "closed" and table["case_reopened"]["from"] == ["closed"]
    assert [m.name for m in REPORT_WORKFLOW.moves_from("in_case")] == ["case_closed"]
    report = a_report()
    assert [m.name for m in REPORT_WORKFLOW.available(focal("dic.focal", "st-dic"), report)] == ["attach", "close"]
