"""Issue 13, the case on the desk (pages): files on a case and on a task's result, removing a participant,
the close move's warning about open tasks, the owner list of a new task limited to its organisation."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.cases import services
from phoihop.cases.choices import AccessLevel, CaseStatus
from phoihop.cases.models import Case, CaseEvidence, CaseParticipant, Task

from .test_views import HTMX, client_for, open_case, org
from .test_views import cast as cast  # the fixture

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PNG_DIGEST = hashlib.sha256(PNG).hexdigest()


def stored_files() -> list[Path]:
    location = Path(storages["evidence"].location)
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


def test_an_officer_uploads_files_sees_their_sha256_and_downloads_them(cast):
    case = open_case(cast.dic_focal)
    c = client_for(cast.dic_focal)
    page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="evidence-form"' in page and 'enctype="multipart/form-data"' in page
    response = c.post(
        reverse("cases:evidence_add", args=[case.reference]),
        {"evidence-files": [SimpleUploadedFile("screen.png", PNG), SimpleUploadedFile("log.txt", b"cuoc goi 09:14")]},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="evidence"' in html and PNG_DIGEST in html
    assert 'id="timeline"' in html  # the timeline comes along out of band
    assert CaseEvidence.objects.filter(case=case).count() == 2
    row = CaseEvidence.objects.get(original_name="screen.png")
    download = c.get(reverse("cases:evidence_download", args=[case.reference, row.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="case.evidence_download", object_id=str(case.pk)).count() == 1


def test_a_bad_file_comes_back_with_its_reason_and_nothing_is_kept(cast):
    case = open_case(cast.dic_focal)
    response = client_for(cast.dic_focal).post(
        reverse("cases:evidence_add", args=[case.reference]),
        {"evidence-files": [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("tool.png", b"MZ" + b"\0" * 80)]},
    )
    assert response.status_code == 400
    assert "tool.png" in response.content.decode()
    assert not CaseEvidence.objects.exists() and stored_files() == []


def test_no_file_chosen_is_refused(cast):
    case = open_case(cast.dic_focal)
    url = reverse("cases:evidence_add", args=[case.reference])
    response = client_for(cast.dic_focal).post(url, {})
    assert response.status_code == 400 and "has-error" in response.content.decode()
    # Through htmx the section comes back in place (status 200, which htmx swaps) with the error.
    response = client_for(cast.dic_focal).post(url, {}, **HTMX)
    assert 'id="evidence"' in response.content.decode() and "has-error" in response.content.decode()


def test_files_of_a_restricted_case_are_need_to_know(cast):
    case = open_case(cast.dic_focal)
    (row,) = services.add_case_evidence(
        case=case, files=[SimpleUploadedFile("a.png", PNG)], ctx=AuditContext(actor=cast.dic_focal)
    )
    url = reverse("cases:evidence_download", args=[case.reference, row.pk])
    assert client_for(cast.police_focal).get(url).status_code == 200  # a hub sees an unrestricted case
    services.case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=AuditContext(actor=cast.dic_focal))
    assert client_for(cast.police_focal).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.outsider).post(reverse("cases:evidence_add", args=[case.reference])).status_code == 404
    # Another case's number does not reach this file either.
    other = open_case(cast.dic_focal)
    assert (
        client_for(cast.dic_focal).get(reverse("cases:evidence_download", args=[other.reference, row.pk])).status_code
        == 404
    )


def test_a_task_is_completed_with_files(cast):
    case = open_case(cast.dic_focal)
    task = services.task_create(
        case=case, title="Trích xuất cuộc gọi", organisation=org("st-dic"), ctx=AuditContext(actor=cast.dic_focal)
    )
    c = client_for(cast.dic_focal)
    response = c.post(
        reverse("cases:task_complete", args=[case.reference, task.pk]),
        {f"task-{task.pk}-result": "Đã trích xuất.", f"task-{task.pk}-files": SimpleUploadedFile("calls.png", PNG)},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="task-files"' in html and PNG_DIGEST in html
    assert 'id="evidence" data-testid="case-files" aria-labelledby="evidence-title" hx-swap-oob="true"' in html
    assert CaseEvidence.objects.get().task == task


def test_the_lead_removes_a_participant_with_a_reason(cast):
    case = open_case(cast.dic_focal)
    ctx = AuditContext(actor=cast.dic_focal)
    services.case_add_participant(case=case, organisation=org("st-viettel"), ctx=ctx)
    services.case_add_member(case=case, user=cast.carrier, ctx=ctx)
    services.task_create(case=case, title="Khoá thuê bao", organisation=org("st-viettel"), ctx=ctx)
    c = client_for(cast.dic_focal)
    page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="participant-remove-form"' in page
    url = reverse("cases:participant_remove", args=[case.reference])
    response = c.post(url, {"remove-organisation": "st-viettel", "remove-reason": ""})
    assert response.status_code == 400 and "has-error" in response.content.decode()
    # The lead is not offered.
    response = c.post(url, {"remove-organisation": "st-dic", "remove-reason": "Thử xoá đơn vị chủ trì"})
    assert response.status_code == 400
    assert (
        client_for(cast.carrier).post(url, {"remove-organisation": "st-viettel", "remove-reason": "Tự rút"}).status_code
        == 403
    )
    response = c.post(url, {"remove-organisation": "st-viettel", "remove-reason": "Không liên quan đến nhà mạng"})
    assert response.status_code == 302
    assert not CaseParticipant.objects.filter(case=case, organisation__code="st-viettel").exists()
    assert client_for(cast.carrier).get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert Task.objects.get(case=case).cancelled
    page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Không liên quan đến nhà mạng" in page and 'data-testid="task-cancelled"' in page


def test_closing_with_open_tasks_warns_lists_them_and_needs_the_checkbox(cast):
    case = open_case(cast.dic_focal)
    services.task_create(
        case=case, title="Xác minh thuê bao", organisation=org("st-dic"), ctx=AuditContext(actor=cast.dic_focal)
    )
    c = client_for(cast.dic_focal)
    url = reverse("cases:move", args=[case.reference, "close"])
    page = c.get(url).content.decode()
    assert 'data-testid="close-open-tasks"' in page and "Xác minh thuê bao" in page
    assert 'name="move-close-force"' in page
    response = c.post(url, {"move-close-outcome": "unfounded"})
    assert response.status_code == 409 and "Xác minh thuê bao" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW
    response = c.post(url, {"move-close-outcome": "unfounded", "move-close-force": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert Task.objects.get(case=case).cancelled


def test_the_close_form_has_no_checkbox_without_open_tasks(cast):
    case = open_case(cast.dic_focal)
    page = client_for(cast.dic_focal).get(reverse("cases:move", args=[case.reference, "close"])).content.decode()
    assert 'name="move-close-force"' not in page and 'data-testid="close-open-tasks"' not in page


def test_the_owner_list_holds_only_the_people_of_the_chosen_organisation(cast):
    case = open_case(cast.dic_focal)
    ctx = AuditContext(actor=cast.dic_focal)
    services.case_add_participant(case=case, organisation=org("st-viettel"), ctx=ctx)
    c = client_for(cast.dic_focal)
    page = c.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'hx-get="' + reverse("cases:task_owners", args=[case.reference]) in page
    owner_select = re.search(r'<select name="task-owner".*?</select>', page, re.S).group(0)
    assert "<option" in owner_select and 'value=""' in owner_select
    assert owner_select.count("<option") == 1  # nobody offered before an organisation is chosen
    url = reverse("cases:task_owners", args=[case.reference])
    html = c.get(url, {"task-organisation": "st-viettel"}, **HTMX).content.decode()
    assert 'id="field-task-owner"' in html and 'value="carrier.reporter"' in html and "dic.officer" not in html
    html = c.get(url, {"task-organisation": "st-dic"}, **HTMX).content.decode()
    assert 'value="dic.officer"' in html and "carrier.reporter" not in html
    assert client_for(cast.outsider).get(url, {"task-organisation": "st-dic"}).status_code == 404
    # A person of another organisation is refused with a clear message, by the form.
    response = c.post(
        reverse("cases:task_create", args=[case.reference]),
        {"task-title": "Sai người", "task-organisation": "st-viettel", "task-owner": "dic.officer"},
    )
    assert response.status_code == 400 and "is not one of the people of" in response.content.decode()
    assert not Task.objects.filter(case=case).exists()
