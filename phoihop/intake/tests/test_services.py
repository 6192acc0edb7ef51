"""The intake pipeline: one report through validation, normalisation, routing, correlation, persistence,
notification and escalation; bad input changes nothing; retries never duplicate."""

import datetime as dt
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext, audit_verify
from phoihop.directory.models import Organisation, User
from phoihop.inbox.models import Delivery, OutboxMessage
from phoihop.inbox.services import delivery_acknowledge
from phoihop.inbox.tasks import inbox_digest, schedule_notifications
from phoihop.indicators.models import Indicator
from phoihop.intake import services
from phoihop.intake.models import Evidence, Report, ReporterContact
from phoihop.intake.services import (
    ContactInput,
    IndicatorInput,
    ReportInput,
    ReportInvalid,
    report_submit,
    report_submit_many,
    report_track,
)

pytestmark = pytest.mark.django_db
PUBLIC = AuditContext(label="public")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def fraud_call(**extra):
    data = {
        "description": "Cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản.",
        "behaviour": "13.4",
        "area": "st-vinh-chau",
        "indicators": [IndicatorInput("phone", "0162 345 6789")],
    }
    data.update(extra)
    return ReportInput(**data)


def counts():
    return (
        Report.objects.count(),
        Indicator.objects.count(),
        Delivery.objects.count(),
        Evidence.objects.count(),
        ReporterContact.objects.count(),
        AuditEvent.objects.count(),
        DBTaskResult.objects.count(),
    )


def evidence_files():
    location = storages["evidence"].location
    import os

    return sorted(os.path.join(d, f) for d, _s, fs in os.walk(location) for f in fs)


def test_a_public_report_is_routed_matched_audited_and_queued():
    submitted = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC)
    report = submitted.report
    assert submitted.created and submitted.secret and report.reference.startswith("TB")
    assert report.reporter_type == "public" and report.submitted_by is None
    recipients = dict(report.deliveries.values_list("organisation__code", "articles"))
    assert recipients["st-dic"] == "Đ5.2, Đ13" and recipients["st-bp-vinh-hai"] == "Đ13"
    link = report.indicator_links.get(indicator__kind="phone")
    assert link.indicator.value == "+84323456789" and link.raw == "0162 345 6789"  # 2018 renumbering
    assert AuditEvent.objects.filter(action="report.submit", object_id=str(report.pk)).exists()
    # The focal points hear of it in the next digest: the report's transaction wrote no e-mail, no task.
    assert not DBTaskResult.objects.exists() and not OutboxMessage.objects.exists()
    assert audit_verify().ok


def test_indicators_from_the_text_are_matched_and_counted_across_reports():
    report_submit(data=fraud_call(), channel="web", ctx=PUBLIC)
    second = report_submit(
        data=fraud_call(indicators=[], description="Lại bị gọi từ số +84 32 345 6789, đòi chuyển tiền gấp."),
        channel="web",
        ctx=PUBLIC,
    ).report
    phone = Indicator.objects.get(kind="phone", value="+84323456789")
    assert phone.report_count == 2
    assert second.indicator_links.get(indicator=phone).source == "text"


def test_invalid_indicator_values_are_kept_and_flagged():
    report = report_submit(
        data=fraud_call(indicators=[IndicatorInput("phone", "12ab")]), channel="web", ctx=PUBLIC
    ).report
    link = report.indicator_links.get(raw="12ab")
    assert not link.valid and link.error_code == "phone_invalid" and link.indicator.value == "12ab"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "ngắn"}, "description"),
        ({"behaviour": "99.9"}, "behaviour"),
        ({"area": "atlantis"}, "area"),
        ({"occurred_at": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)}, "occurred_at"),
        ({"indicators": [IndicatorInput("smoke-signal", "x")]}, "indicators.0.kind"),
        ({"contact": ContactInput(name="An", phone="0909123456", consent=False)}, "consent"),
        (
            {
                "files": [
                    SimpleUploadedFile("ok.png", PNG),
                    SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200),
                ]
            },
            "files",
        ),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(change, field):
    before, files_before = counts(), evidence_files()
    with pytest.raises(ReportInvalid) as exc:
        report_submit(
            data=fraud_call(**{"files": [SimpleUploadedFile("ok.png", PNG)], **change}), channel="web", ctx=PUBLIC
        )
    assert field in exc.value.errors
    assert counts() == before and evidence_files() == files_before


def test_a_failure_while_storing_files_leaves_no_report_and_no_orphan_file(monkeypatch):
    real_write, calls = services.evidence._write_atomically, []

    def failing_write(upload, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write(upload, path)

    monkeypatch.setattr(services.evidence, "_write_atomically", failing_write)
    before = counts()
    files = [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG + b"2")]
    with pytest.raises(OSError):
        report_submit(data=fraud_call(files=files), channel="web", ctx=PUBLIC)
    assert len(calls) == 2 and counts() == before and evidence_files() == []


def test_evidence_is_stored_with_its_hash_outside_the_web_root():
    import hashlib

    report = report_submit(
        data=fraud_call(files=[SimpleUploadedFile("screen.png", PNG)]), channel="web", ctx=PUBLIC
    ).report
    ev = report.evidence.get()
    assert ev.sha256 == hashlib.sha256(PNG).hexdigest() and ev.content_type == "image/png"
    assert ev.file.read() == PNG


def test_an_enterprise_retry_with_the_same_reference_creates_nothing_new():
    user = User.objects.create_user(
        "viettel.bot", organisation=Organisation.objects.get(code="st-viettel"), role="enterprise_reporter"
    )
    ctx = AuditContext(actor=user)
    first = report_submit(data=fraud_call(external_ref="VT-1"), channel="api", ctx=ctx)
    before = counts()
    again = report_submit(data=fraud_call(external_ref="VT-1"), channel="api", ctx=ctx)
    assert not again.created and again.report.pk == first.report.pk and counts() == before
    assert first.report.reporter_type == "enterprise"


def test_tracking_needs_the_right_secret():
    submitted = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC)
    assert report_track(reference=submitted.report.reference.lower(), secret=submitted.secret) == submitted.report
    assert report_track(reference=submitted.report.reference, secret="guess") is None
    assert report_track(reference="TB26-NOTHING", secret=submitted.secret) is None


def test_bulk_keeps_good_rows_reports_bad_ones_and_replays_create_nothing():
    user = User.objects.create_user(
        "vt.feed", organisation=Organisation.objects.get(code="st-viettel"), role="enterprise_reporter"
    )
    ctx = AuditContext(actor=user)
    rows = [
        fraud_call(external_ref=f"R{i}", indicators=[IndicatorInput("phone", f"09123456{i:02d}")]) for i in range(5)
    ]
    rows[2] = fraud_call(external_ref="R2", behaviour="00.0")
    results = report_submit_many(rows=rows, channel="bulk", ctx=ctx, chunk=2)
    assert [r.created for r in results] == [True, True, False, True, True]
    assert "behaviour" in results[2].errors and results[2].row == 3
    assert Report.objects.filter(reporter_organisation__code="st-viettel").count() == 4
    before = counts()
    replay = report_submit_many(rows=rows, channel="bulk", ctx=ctx)
    assert counts() == before
    assert [r.reference for r in replay if not r.errors] == [r.reference for r in results if not r.errors]
    assert audit_verify().ok


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def run_worker(monkeypatch):
    """The real task worker, once over the queue. It would close the test's connection between tasks
    (it does so to drop stale connections in production), which would end the test's transaction."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_focal_points_get_an_email_over_smtp_without_the_reporters_identity(smtp, monkeypatch):
    dic = Organisation.objects.get(code="st-dic")
    User.objects.create_user("lan", email="lan@dic.example.vn", organisation=dic, role="focal_point")
    contact = ContactInput(name="Trần Thị Bí Mật", phone="0909123456", consent=True)
    report = report_submit(data=fraud_call(contact=contact), channel="web", ctx=PUBLIC).report
    schedule_notifications()  # at start-up; the worker runs the digest
    run_worker(monkeypatch)
    to_lan = [m for rcpt, m in smtp.messages if "lan@dic.example.vn" in rcpt]
    assert len(to_lan) == 1
    body = to_lan[0].get_payload(decode=True).decode()
    assert report.reference in body and "Đ13" in body
    assert "Bí Mật" not in body and "0909" not in body
    assert not Delivery.objects.filter(report=report, notified_at__isnull=True, organisation=dic).exists()
    # the digest queued its next run, and a retried run sends nothing twice
    assert DBTaskResult.objects.filter(task_path=inbox_digest.module_path, status="READY").count() == 1
    inbox_digest.call()
    assert len([m for rcpt, m in smtp.messages if "lan@dic.example.vn" in rcpt]) == 1


def test_unacknowledged_deliveries_escalate_to_the_head(smtp, settings):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 0
    dic = Organisation.objects.get(code="st-dic")
    police = Organisation.objects.get(code="st-police")
    User.objects.create_user("head", email="head@dic.example.vn", organisation=dic, role="head")
    User.objects.create_user("phead", email="head@police.example.vn", organisation=police, role="head")
    focal = User.objects.create_user("pfocal", organisation=police, role="focal_point")
    report = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    police_delivery = report.deliveries.get(organisation=police)
    delivery_acknowledge(delivery=police_delivery, ctx=AuditContext(actor=focal))
    inbox_digest.call()  # the focal points' digest first, then (deadline 0) the escalation
    assert not report.deliveries.filter(escalated_at__isnull=True).exclude(organisation=police).exists()
    rcpts = [r for rcpt, _m in smtp.messages for r in rcpt]
    assert "head@dic.example.vn" in rcpts and "head@police.example.vn" not in rcpts
    assert rcpts.index("dic@soctrang.example.vn") < rcpts.index("head@dic.example.vn")  # Đ3.4 order
    assert report.deliveries.get(organisation=dic).escalated_at is not None
    before = len(smtp.messages)
    inbox_digest.call()
    assert len(smtp.messages) == before  # nothing twice
    report.refresh_from_db()
    assert report.status == "acknowledged"


def test_a_tracking_code_already_taken_is_drawn_again(monkeypatch):
    first = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    codes = iter([first.reference, "TB26-FRESHCODE2"])
    monkeypatch.setattr(services.write, "reference_new", lambda: next(codes))
    second = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    assert second.reference == "TB26-FRESHCODE2" and "tb26-freshcode2" in second.search_text
    assert first.reference not in second.search_text.upper()


def test_an_escalation_counts_only_once_its_email_is_accepted(settings):
    """Đ3.4: SMTP down at the deadline: nothing is recorded as escalated and nothing is lost; once the
    server is back, the focal points hear first, then the head gets the e-mail once and the escalation
    is recorded then, once."""
    from phoihop.inbox.tasks import send_outbox

    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 0
    dic = Organisation.objects.get(code="st-dic")
    User.objects.create_user("dhead", email="head@dic.example.vn", organisation=dic, role="head")
    report = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    ids = [report.deliveries.get(organisation=dic).pk]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # nobody listens yet
    escalations = AuditEvent.objects.filter(action="delivery.escalate", object_id=str(ids[0]))
    assert inbox_digest.call() == 0
    # the focal points' digest did not go, so the head's e-mail is not even written yet
    assert not OutboxMessage.objects.filter(kind="escalation").exists()
    assert Delivery.objects.get(pk=ids[0]).escalated_at is None and not escalations.exists()
    assert DBTaskResult.objects.filter(task_path=send_outbox.module_path, status="READY").exists()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        send_outbox.call()  # the digests go
        assert Delivery.objects.get(pk=ids[0]).notified_at is not None and not escalations.exists()
        inbox_digest.call()  # now the escalation
        inbox_digest.call()  # a retried run sends nothing twice
        send_outbox.call()
    finally:
        controller.stop()
    assert [rcpt for rcpt, _m in inbox.messages if "head@dic.example.vn" in rcpt] == [["head@dic.example.vn"]]
    assert Delivery.objects.get(pk=ids[0]).escalated_at is not None and escalations.count() == 1
    assert audit_verify().ok
