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
from django.utils import timezone
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


def test_the_audit_event_of_a_report_names_every_organisation_it_was_delivered_to():
    report = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    delivered = set(report.deliveries.values_list("organisation__code", flat=True))
    assert len(delivered) >= 3 and set(event.data["recipients"]) == delivered
    assert event.data["indicators"] == report.indicator_links.count() and event.data["files"] == 0


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


def test_unacknowledged_deliveries_escalate_to_the_head(smtp, settings, monkeypatch):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 0
    # Only the deliveries' digest and escalation: the other apps' periodic sweeps (a six-monthly report due,
    # a listing to review...) would mail heads too, depending on the day the test runs.
    monkeypatch.setattr("phoihop.inbox.tasks.hook_handlers", lambda name: [])
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


# Notification digests (Đ3.3), urgent notices (Đ3.1) and the escalation sweep (Đ3.4), end to end.
# st-vinh-chau's telecom reports go to five organisations: both hubs, the town police and two border posts.


class Refusing(Inbox):
    def __init__(self, refuse=()):
        super().__init__()
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """start(refuse=...) runs a local SMTP server on a port chosen now (nobody listens before start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    controllers = []

    def start(refuse=()) -> Refusing:
        box = Refusing(refuse)
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return box

    yield start
    for controller in controllers:
        controller.stop()


def _bodies(box, address):
    return [m.get_payload(decode=True).decode() for rcpt, m in box.messages if address in rcpt]


def test_a_bulk_import_sends_one_digest_per_organisation_and_notifies_each_delivery_once(smtp):
    rows = [fraud_call(description=f"Cuộc gọi lừa đảo số {i}, đòi chuyển tiền vào tài khoản.") for i in range(200)]
    results = report_submit_many(rows=rows, channel="bulk", ctx=PUBLIC)
    assert all(r.created for r in results)
    deliveries = Delivery.objects.filter(report__channel="bulk")
    organisations = set(deliveries.values_list("organisation__code", flat=True))
    assert len(organisations) == 5 and deliveries.count() == 1000
    assert not OutboxMessage.objects.exists() and not DBTaskResult.objects.exists()  # nothing per report

    assert inbox_digest.call() == 5
    assert len(smtp.messages) == 5  # one per organisation, not one per report
    assert OutboxMessage.objects.filter(kind="digest", sent_at__isnull=False).count() == 5
    assert not deliveries.filter(notified_at__isnull=True).exists()
    assert set(deliveries.values_list("notice__kind", flat=True)) == {"digest"}
    (dic_body,) = _bodies(smtp, "dic@soctrang.example.vn")
    assert dic_body.count("/reports/TB") == 50 and "150 more" in dic_body and "/inbox/" in dic_body
    assert "Đ13" in dic_body

    assert inbox_digest.call() == 0  # the next run: nothing new, nothing twice
    assert len(smtp.messages) == 5


def test_sent_digests_older_than_the_retention_go_and_their_deliveries_are_not_emailed_again(smtp):
    report_submit_many(rows=[fraud_call() for _ in range(3)], channel="bulk", ctx=PUBLIC)
    inbox_digest.call()
    deliveries = Delivery.objects.filter(report__channel="bulk")
    emailed = dict(deliveries.values_list("pk", "notified_at"))
    assert len(smtp.messages) == 5 and all(emailed.values())
    long_ago = timezone.now() - dt.timedelta(days=181)
    OutboxMessage.objects.update(created_at=long_ago, sent_at=long_ago)

    assert inbox_digest.call() == 0  # the periodic sweep purges them; nothing is written or sent again
    assert not OutboxMessage.objects.exists() and len(smtp.messages) == 5
    assert dict(deliveries.values_list("pk", "notified_at")) == emailed  # still e-mailed, at the same time
    assert not deliveries.filter(notice__isnull=False).exists()


def test_smtp_down_then_up_delivers_each_digest_once_and_loses_nothing(smtp_server):
    from phoihop.inbox.tasks import send_outbox

    for i in range(3):
        report_submit(
            data=fraud_call(description=f"Cuộc gọi lừa đảo lần {i}, đòi chuyển tiền."), channel="web", ctx=PUBLIC
        )
    assert inbox_digest.call() == 0  # nobody listens
    assert OutboxMessage.objects.filter(kind="digest", sent_at__isnull=True).count() == 5
    assert not Delivery.objects.filter(notified_at__isnull=False).exists()
    assert inbox_digest.call() == 0  # a second run writes no second digest for the same deliveries
    assert OutboxMessage.objects.count() == 5

    box = smtp_server()
    assert send_outbox.call() == 5
    assert len(box.messages) == 5 and not Delivery.objects.filter(notified_at__isnull=True).exists()
    assert all(body.count("/reports/TB") == 3 for body in _bodies(box, "dic@soctrang.example.vn"))
    inbox_digest.call()
    send_outbox.call()
    assert len(box.messages) == 5


def test_an_urgent_delivery_is_emailed_at_once_and_not_again_in_the_digest(smtp, monkeypatch):
    """Đ13.1 content against the state: the hubs' delivery is urgent (rule D6.3-national-security)."""
    report = report_submit(data=fraud_call(behaviour="13.1"), channel="web", ctx=PUBLIC).report
    urgent = set(report.deliveries.filter(urgent=True).values_list("organisation__code", flat=True))
    assert urgent == {"st-dic", "st-police"}
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["phoihop.inbox.tasks.notify_deliveries"]
    run_worker(monkeypatch)
    rcpts = sorted(r for rcpt, _m in smtp.messages for r in rcpt)
    assert rcpts == ["dic@soctrang.example.vn", "police@soctrang.example.vn"]  # the others wait for the digest
    (body,) = _bodies(smtp, "dic@soctrang.example.vn")
    assert "URGENT" in body and report.reference in body and "Đ6.3" in body
    assert not report.deliveries.filter(urgent=True, notified_at__isnull=True).exists()

    inbox_digest.call()
    rcpts = [r for rcpt, _m in smtp.messages for r in rcpt]
    assert len(rcpts) == report.deliveries.count()  # the digest adds the others, not the hubs again
    assert not report.deliveries.filter(notified_at__isnull=True).exists()


def _urgent_report(i):
    data = fraud_call(behaviour="13.1", description=f"Giả danh công an lần {i}, đòi chuyển tiền vào tài khoản.")
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


NOTIFY = "phoihop.inbox.tasks.notify_deliveries"


def test_urgent_reports_waiting_for_the_worker_go_out_in_one_notice_per_organisation(smtp, monkeypatch):
    """Reports faster than the worker: one notice task waits for them all (not one per report), and each
    hub gets one message listing every report that came meanwhile."""
    reports = [_urgent_report(i) for i in range(3)]
    assert DBTaskResult.objects.filter(task_path=NOTIFY).count() == 1
    run_worker(monkeypatch)
    rcpts = sorted(r for rcpt, _m in smtp.messages for r in rcpt)
    assert rcpts == ["dic@soctrang.example.vn", "police@soctrang.example.vn"]
    (body,) = _bodies(smtp, "police@soctrang.example.vn")
    assert all(r.reference in body for r in reports)
    assert not Delivery.objects.filter(urgent=True, notified_at__isnull=True).exists()


def test_an_urgent_report_queues_its_own_task_once_the_waiting_one_is_taken_or_deferred(smtp, monkeypatch):
    """The worker has taken the waiting task (it may have read the deliveries already), or that task waits
    for a retry minutes away: a new report's notice must not wait on it."""
    _urgent_report(0)
    DBTaskResult.objects.filter(task_path=NOTIFY).update(status="RUNNING")
    _urgent_report(1)
    assert DBTaskResult.objects.filter(task_path=NOTIFY, status="READY").count() == 1
    DBTaskResult.objects.filter(task_path=NOTIFY, status="READY").update(
        run_after=timezone.now() + dt.timedelta(minutes=4)
    )
    _urgent_report(2)
    assert DBTaskResult.objects.filter(task_path=NOTIFY, status="READY").count() == 2


def test_hundreds_of_urgent_reports_waiting_are_all_noticed_by_one_task(smtp, monkeypatch):
    """More than one batch (URGENT_BATCH) waiting: the one task covers them all, each delivery once."""
    monkeypatch.setattr("phoihop.inbox.notifications.URGENT_BATCH", 3)
    for i in range(5):
        _urgent_report(i)
    assert DBTaskResult.objects.filter(task_path=NOTIFY).count() == 1
    run_worker(monkeypatch)
    urgent = Delivery.objects.filter(urgent=True)
    assert urgent.count() == 10 and not urgent.filter(notified_at__isnull=True).exists()
    notices = set(urgent.values_list("notice", flat=True))
    assert len(smtp.messages) == len(notices) < 10  # each message sent once, several reports a message


def test_an_urgent_notice_covers_only_what_no_other_message_took_while_it_was_being_written(smtp, monkeypatch):
    """The notice is rendered before its write transaction (issue 9: the write lock is not held to render).
    A delivery another message covered meanwhile is left out of it: no delivery is in two messages."""
    from phoihop.inbox import notifications

    first, second = _urgent_report(0), _urgent_report(1)
    taken = first.deliveries.get(organisation__code="st-police")
    compose = notifications._compose

    def compose_then_someone_else_covers_one(pending, **kwargs):
        composed = compose(pending, **kwargs)
        if not Delivery.objects.filter(pk=taken.pk, notice__isnull=False).exists():
            other = OutboxMessage.objects.create(
                dedup_key="elsewhere",
                kind=OutboxMessage.Kind.NEW_REPORT,
                recipients=["x@example.vn"],
                subject="s",
                body="b",
            )
            Delivery.objects.filter(pk=taken.pk).update(notice=other)
        return composed

    monkeypatch.setattr(notifications, "_compose", compose_then_someone_else_covers_one)
    run_worker(monkeypatch)
    taken.refresh_from_db()
    assert taken.notice.dedup_key == "elsewhere"  # kept by the message that took it first
    (body,) = _bodies(smtp, "police@soctrang.example.vn")
    assert second.reference in body and first.reference not in body
    (body,) = _bodies(smtp, "dic@soctrang.example.vn")
    assert first.reference in body and second.reference in body


def test_the_head_hears_only_after_the_focal_points_notice_was_accepted(smtp_server, settings):
    """Đ3.4 order, even when the focal points' mail is refused; the escalation is recorded once the
    head's e-mail is accepted, not before."""
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 0
    dic = Organisation.objects.get(code="st-dic")
    User.objects.create_user("dfocal", email="focal@dic.example.vn", organisation=dic, role="focal_point")
    User.objects.create_user("dhead", email="head@dic.example.vn", organisation=dic, role="head")
    report = report_submit(data=fraud_call(), channel="web", ctx=PUBLIC).report
    delivery = report.deliveries.get(organisation=dic)
    escalations = AuditEvent.objects.filter(action="delivery.escalate", object_id=str(delivery.pk))
    box = smtp_server(refuse={"focal@dic.example.vn"})

    inbox_digest.call()
    inbox_digest.call()
    delivery.refresh_from_db()
    assert delivery.notified_at is None and delivery.escalation_notice_id is None
    assert not _bodies(box, "head@dic.example.vn") and not escalations.exists()
    # the other organisations' focal points were told, so their escalations went
    assert report.deliveries.exclude(organisation=dic).filter(escalated_at__isnull=True).count() == 0

    box.refuse.clear()
    from phoihop.inbox.tasks import send_outbox

    send_outbox.call()  # the focal points' digest goes at last
    delivery.refresh_from_db()
    assert delivery.notified_at is not None and delivery.escalated_at is None
    inbox_digest.call()
    delivery.refresh_from_db()
    (body,) = _bodies(box, "head@dic.example.vn")
    assert report.reference in body and "3.4" in body
    assert delivery.escalated_at is not None and escalations.count() == 1
    assert delivery.escalated_at >= delivery.notified_at
    inbox_digest.call()
    assert len(_bodies(box, "head@dic.example.vn")) == 1 and escalations.count() == 1
    assert audit_verify().ok


@pytest.mark.parametrize(
    ("behaviour", "task_waiting", "task_statements"),
    [("13.4", False, []), ("13.1", False, ["SELECT", "INSERT"]), ("13.1", True, ["SELECT"])],
)
def test_an_api_create_writes_nothing_for_notifications_but_the_deliveries(behaviour, task_waiting, task_statements):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from phoihop.audit.services import SYSTEM
    from phoihop.directory.services import api_token_issue

    _token, key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="feed", ctx=SYSTEM)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {"behaviour": behaviour, "area": "st-vinh-chau", "description": fraud_call().description}
    api.post("/api/v1/reports/", {**body, "external_ref": "warm"}, format="json")
    if not task_waiting:
        DBTaskResult.objects.all().delete()  # the worker took the warm-up's task
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/reports/", {**body, "external_ref": "Q-1"}, format="json")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    inbox = [s for s in sql if "inbox_" in s]
    assert len(inbox) == 1 and inbox[0].startswith("INSERT INTO") and "inbox_delivery" in inbox[0]
    tasks = [s for s in sql if DBTaskResult._meta.db_table in s]
    assert [s.split(None, 1)[0] for s in tasks] == task_statements  # an urgent one: is a notice task waiting?
    assert not [s for s in sql if User._meta.db_table in s.split("FROM", 1)[-1][:60]]  # no recipients looked up


def test_a_reports_search_text_holds_each_word_once_and_is_found_by_every_word_of_the_whole_text():
    from phoihop.core.search import search
    from phoihop.core.text import fold

    data = fraud_call(
        description="Lừa đảo qua trang vnpt-hoantien236.vn/nhan-thuong?id=2026, gọi từ số 0162 345 6789 rồi "
        "0162 345 6789.",
        address="Số 65 đường Nguyễn Văn Linh",
        indicators=[
            IndicatorInput("phone", "0162 345 6789"),
            IndicatorInput("url", "vnpt-hoantien236.vn/nhan-thuong?id=2026"),
        ],
    )
    report = report_submit(data=data, channel="web", ctx=PUBLIC).report
    behaviour, links = report.behaviour, list(report.indicator_links.select_related("indicator"))
    whole = fold(
        " ".join(
            [report.reference, report.description, report.address, behaviour.code, behaviour.help_vi]
            + [behaviour.help_en, report.area.name]
            + [link.indicator.value for link in links]
            + [link.raw for link in links]
        )
    )
    tokens = report.search_text.split()
    assert tokens[0] == report.reference.lower() and len(tokens) == len(set(tokens))
    assert len(report.search_text) < len(whole)
    for word in set(whole.split()):  # what the whole text would have matched, the compact one matches
        assert search(Report.objects.all(), word).filter(pk=report.pk).exists(), word
