"""Evidence files: stored by content before the report's transaction, once per content, never orphaned."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from phoihop.audit.services import AuditContext
from phoihop.intake import services
from phoihop.intake.models import Evidence, Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit
from phoihop.intake.tasks import evidence_sweep_orphans

pytestmark = pytest.mark.django_db
PUBLIC = AuditContext(label="public")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PNG_DIGEST = hashlib.sha256(PNG).hexdigest()


def report_with(*files):
    return ReportInput(
        description="Cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản.",
        behaviour="13.4",
        indicators=[IndicatorInput("phone", "0162 345 6789")],
        files=[SimpleUploadedFile(name, content) for name, content in files],
    )


def stored_files() -> list[str]:
    location = Path(storages["evidence"].location)
    return sorted(str(p.relative_to(location)) for p in location.rglob("*") if p.is_file())


def test_identical_content_is_stored_once_under_its_hash():
    first = report_submit(data=report_with(("screen.png", PNG)), channel="web", ctx=PUBLIC).report
    second = report_submit(data=report_with(("copy.PNG", PNG)), channel="web", ctx=PUBLIC).report
    name = f"sha256/{PNG_DIGEST[:2]}/{PNG_DIGEST[2:4]}/{PNG_DIGEST}.png"
    assert stored_files() == [name]
    assert [e.file.name for e in Evidence.objects.filter(report__in=[first, second])] == [name, name]
    assert second.evidence.get().original_name == "copy.PNG" and second.evidence.get().file.read() == PNG


def test_files_are_written_before_the_transaction_opens(monkeypatch):
    depth_at_file, depth_at_rows = [], []
    real_write, real_rows = services.evidence._write_atomically, services.submit.evidence_rows_create
    monkeypatch.setattr(
        services.evidence,
        "_write_atomically",
        lambda upload, path: (depth_at_file.append(len(connection.atomic_blocks)), real_write(upload, path))[1],
    )
    monkeypatch.setattr(
        services.submit,
        "evidence_rows_create",
        lambda **kw: (depth_at_rows.append(len(connection.atomic_blocks)), real_rows(**kw))[1],
    )
    outer = len(connection.atomic_blocks)  # the test's own transaction
    report_submit(data=report_with(("screen.png", PNG)), channel="web", ctx=PUBLIC)
    assert depth_at_file == [outer] and depth_at_rows == [outer + 1]
    assert not [n for n in stored_files() if ".part-" in n]  # the temporary file was renamed


def test_a_failed_transaction_removes_the_files_it_wrote_but_not_shared_ones(monkeypatch):
    kept = report_submit(data=report_with(("screen.png", PNG)), channel="web", ctx=PUBLIC).report

    def failing_write(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.submit, "reports_write", failing_write)
    with pytest.raises(RuntimeError):
        report_submit(data=report_with(("same.png", PNG), ("new.png", PNG + b"new")), channel="web", ctx=PUBLIC)
    assert Report.objects.count() == 1 and Evidence.objects.count() == 1
    assert stored_files() == [kept.evidence.get().file.name]


def _age(name: str, hours: float) -> None:
    path = storages["evidence"].path(name)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_the_sweep_deletes_old_unreferenced_files_only():
    referenced = report_submit(data=report_with(("screen.png", PNG)), channel="web", ctx=PUBLIC).report
    storage = storages["evidence"]
    old_orphan = storage.save("sha256/aa/bb/aabb-old.pdf", SimpleUploadedFile("x", b"%PDF-old"))
    fresh_orphan = storage.save("sha256/aa/bb/aabb-fresh.pdf", SimpleUploadedFile("x", b"%PDF-fresh"))
    left_over = storage.save("sha256/aa/bb/.part-crashed", SimpleUploadedFile("x", b"half"))
    _age(old_orphan, 2)
    _age(left_over, 2)
    _age(referenced.evidence.get().file.name, 2)

    assert evidence_sweep_orphans.call() == 2
    assert stored_files() == sorted([fresh_orphan, referenced.evidence.get().file.name])
    assert referenced.evidence.get().file.read() == PNG
    # It queues its own next run, an hour on.
    assert DBTaskResult.objects.filter(task_path=evidence_sweep_orphans.module_path, status="READY").exists()
    assert evidence_sweep_orphans.call() == 0
