"""The import page: a file sent by an organisation's staff, read strictly, imported by the worker with progress."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from phoihop.audit.models import AuditEvent
from phoihop.core.registry import nav_items
from phoihop.directory.models import Organisation
from phoihop.intake.imports import batch, jobs
from phoihop.intake.imports.jobs import import_job_run
from phoihop.intake.models import ImportJob, Report

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"
IMPORT_URL = reverse("intake:import_reports")
SCAM = "Cuộc gọi giả danh nhân viên nhà mạng yêu cầu cung cấp mã OTP"

GOOD_FILE = (
    "description,behaviour,area,phone\n"
    f"{SCAM} số 1,13.4,st-vinh-chau,0912345678\n"
    "ngắn,13.4,st-vinh-chau,0912345679\n"  # row 2: too short
    f"{SCAM} số 3,13.4,st-vinh-chau,0912345670\n"
    f'"{SCAM} số 4",13.4,,0987654321\n'
).encode()


@pytest.fixture
def member(django_user_model):
    def make(org: str = "st-viettel", role: str = "enterprise_reporter", username: str = "viettel.desk"):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, organisation=Organisation.objects.get(code=org), role=role
        )
        return user

    return make


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def send(client, content: bytes, name: str = "tin-bao.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def test_a_file_is_queued_for_the_worker_and_its_page_polls_the_progress(client, member):
    signed_in(client, member())
    response = send(client, GOOD_FILE)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake:import_job", args=[job.pk])
    assert (job.status, job.rows_total, job.file_name) == (ImportJob.Status.QUEUED, 4, "tin-bao.csv")
    assert DBTaskResult.objects.filter(task_path=import_job_run.module_path, status="READY").exists()
    assert AuditEvent.objects.filter(action="report.import_queued").count() == 1
    assert Report.objects.count() == 0  # the worker imports, not the request
    html = client.get(response["Location"]).content.decode()
    progress = reverse("intake:import_job_progress", args=[job.pk])
    assert f'hx-get="{progress}"' in html and 'hx-trigger="every 2s"' in html
    assert "0 of 4 rows" in html


def test_the_task_reports_progress_row_by_row_then_the_result(client, member, monkeypatch):
    signed_in(client, member())
    send(client, GOOD_FILE)
    job = ImportJob.objects.get()
    monkeypatch.setattr(batch, "CHUNK_ROWS", 1)  # one progress step per good row
    seen: list[tuple[int, int, int, int]] = []
    save = jobs._save_progress

    def spy(job, state):
        save(job, state)
        row = ImportJob.objects.get(pk=job.pk)  # what the page reads at that moment
        seen.append((row.rows_done, row.rows_total, row.created_count, row.error_count))

    monkeypatch.setattr(jobs, "_save_progress", spy)
    assert import_job_run.call(job.pk) == ImportJob.Status.DONE
    # Told once the file is read, then after each row (the too-short description is refused by the service).
    assert seen == [(0, 4, 0, 0), (1, 4, 1, 0), (2, 4, 1, 1), (3, 4, 2, 1), (4, 4, 3, 1)]
    job.refresh_from_db()
    assert (job.status, job.created_count, job.existing_count, job.error_count) == ("done", 3, 0, 1)
    assert [e["row"] for e in job.errors] == [2] and "description" in job.errors[0]["errors"]
    assert job.content == b"" and job.batch is not None and job.finished_at is not None
    assert Report.objects.filter(reporter_organisation__code="st-viettel").count() == 3
    # The finished page stops polling, gives the result and the list of errors to download.
    partial = client.get(reverse("intake:import_job_progress", args=[job.pk])).content.decode()
    assert "hx-get" not in partial and "3 reports created" in partial
    errors = client.get(reverse("intake:import_job_errors", args=[job.pk]))
    assert errors["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Field", "Problem"] and rows[1][:2] == ["2", "description"]


def test_the_same_file_again_imports_nothing_and_a_corrected_file_only_the_new_rows(client, member):
    signed_in(client, member())
    send(client, GOOD_FILE)
    import_job_run.call(ImportJob.objects.get().pk)
    send(client, GOOD_FILE)
    again = ImportJob.objects.latest("pk")
    import_job_run.call(again.pk)
    again.refresh_from_db()
    assert again.replayed and Report.objects.count() == 3
    assert "imported before" in client.get(reverse("intake:import_job", args=[again.pk])).content.decode()
    fixed = GOOD_FILE.replace("ngắn,".encode(), f"{SCAM} số 2,".encode())
    send(client, fixed)
    corrected = ImportJob.objects.latest("pk")
    import_job_run.call(corrected.pk)
    corrected.refresh_from_db()
    assert (corrected.created_count, corrected.existing_count, corrected.error_count) == (1, 3, 0)
    assert Report.objects.count() == 4


def test_a_file_that_fails_strict_parsing_is_refused_naming_the_line_and_nothing_is_written(client, member):
    signed_in(client, member())
    broken = GOOD_FILE.replace(f'"{SCAM} số 4"'.encode(), f'"{SCAM} số 4'.encode())  # a quote never closed
    response = send(client, broken)
    assert response.status_code == 400
    html = response.content.decode()
    assert "line 5" in html and "double quotes" in html
    assert ImportJob.objects.count() == 0 and Report.objects.count() == 0
    assert not DBTaskResult.objects.filter(task_path=import_job_run.module_path).exists()


def test_another_organisations_import_is_not_found_and_the_administrator_has_no_import(client, member):
    signed_in(client, member())
    send(client, GOOD_FILE)
    job = ImportJob.objects.get()
    other = client_for(member("st-dic", "focal_point", "dic.focal"))
    for name in ("intake:import_job", "intake:import_job_progress", "intake:import_job_errors"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert "tin-bao.csv" not in other.get(IMPORT_URL).content.decode()
    admin = client_for(member("st-dic", "sysadmin", "dic.admin"))
    assert admin.get(IMPORT_URL).status_code == 403


def test_the_page_is_in_the_staff_navigation():
    item = next(i for i in nav_items() if i.url_name == "intake:import_reports")
    assert {"focal_point", "officer", "enterprise_reporter"} <= set(item.roles) and "sysadmin" not in item.roles


def client_for(user):
    return signed_in(Client(), user)
