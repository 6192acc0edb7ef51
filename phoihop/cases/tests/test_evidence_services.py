"""Issue 13, the case on the desk (services): evidence on a case and on task results, removing a participant,
closing with open tasks, task owners of the task's organisation only."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import audit_verify
from phoihop.cases import services
from phoihop.cases.choices import AccessLevel, CaseStatus, Outcome, SecretLevel
from phoihop.cases.models import Case, CaseEvidence, CaseMember, CaseParticipant, Task
from phoihop.cases.permissions import visible_cases
from phoihop.cases.services import (
    add_case_evidence,
    case_add_member,
    case_add_participant,
    case_evidence_open,
    case_register_secret_dossier,
    case_set_access,
    case_transition,
    remove_participant,
    task_complete,
    task_create,
    task_owner_choices,
)
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.intake.services.evidence import evidence_orphans_delete

from .factories import built_once, ctx, make_cast, open_case, org, submit_report

pytestmark = pytest.mark.django_db


def _build():
    cast = make_cast()
    return cast, open_case(cast.dic_focal, submit_report(), participants=["st-viettel"])


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, _build) as made:
        yield made


@pytest.fixture
def cast(built):
    return built[0].fresh()


@pytest.fixture
def case(built):
    """A case led by DIC (status new) with the carrier Viettel taking part (Đ11.8)."""
    return Case.objects.get(pk=built[1].pk)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PNG_DIGEST = hashlib.sha256(PNG).hexdigest()
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00" + b"\x00" * 60


def png(name: str = "screen.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files() -> list[str]:
    location = Path(storages["evidence"].location)
    if not location.exists():
        return []
    return sorted(str(p.relative_to(location)) for p in location.rglob("*") if p.is_file())


def events(case: Case, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action=action))


# --- Evidence on a case -------------------------------------------------------------------------------------


def test_an_officer_of_the_lead_adds_files_stored_by_content_with_their_sha256(cast, case):
    rows = add_case_evidence(case=case, files=[png(), SimpleUploadedFile("decision.pdf", PDF)], ctx=ctx(cast.dic_focal))
    assert [(r.original_name, r.content_type) for r in rows] == [
        ("screen.png", "image/png"),
        ("decision.pdf", "application/pdf"),
    ]
    assert rows[0].sha256 == PNG_DIGEST and rows[0].size == len(PNG) and rows[0].uploaded_by == cast.dic_focal
    assert f"sha256/{PNG_DIGEST[:2]}/{PNG_DIGEST[2:4]}/{PNG_DIGEST}.png" in stored_files()
    (event,) = events(case, "case.evidence_add")
    assert event.actor == cast.dic_focal
    assert [f["sha256"] for f in event.data["files"]] == [r.sha256 for r in rows]
    assert audit_verify().ok


def test_a_participating_organisations_officer_may_add_evidence(cast, case):
    case_add_participant(case=case, organisation=org("st-police-vinh-chau"), ctx=ctx(cast.dic_focal))
    (row,) = add_case_evidence(case=case, files=[png()], ctx=ctx(cast.vc_officer))
    assert row.uploaded_by == cast.vc_officer


def test_someone_outside_the_case_may_not_add_evidence_and_nothing_is_stored(cast, case):
    with pytest.raises(NotAllowed):
        add_case_evidence(case=case, files=[png()], ctx=ctx(cast.doit_focal))
    assert not CaseEvidence.objects.exists() and stored_files() == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose at least one file"),
        ([SimpleUploadedFile("setup.png", PROGRAM)], "setup.png"),
        ([png(), SimpleUploadedFile("empty.pdf", b"")], "empty.pdf is empty"),
        ([SimpleUploadedFile("photo.pdf", PNG)], "does not match its name"),
    ],
)
def test_a_bad_file_refuses_the_whole_upload_naming_it_and_nothing_is_kept(cast, case, files, message):
    with pytest.raises(Invalid) as refused:
        add_case_evidence(case=case, files=files, ctx=ctx(cast.dic_focal))
    assert message in str(refused.value.errors["files"][0])
    assert not CaseEvidence.objects.exists() and stored_files() == [] and not events(case, "case.evidence_add")


def test_a_refusal_after_the_files_were_stored_leaves_no_orphan_file(cast, case, monkeypatch):
    def fail(*args, **kwargs):
        raise Conflict("refused at the last moment")

    monkeypatch.setattr(services.evidence, "evidence_rows", fail)
    with pytest.raises(Conflict):
        add_case_evidence(case=case, files=[png()], ctx=ctx(cast.dic_focal))
    assert stored_files() == []


def test_a_closed_case_and_a_secret_case_take_no_evidence(cast, case):
    case_register_secret_dossier(
        case=case, number="12/M", level=SecretLevel.MAT, holder="Văn thư", location="Tủ sắt", ctx=ctx(cast.dic_focal)
    )
    with pytest.raises(Conflict, match="state-secret"):
        add_case_evidence(case=Case.objects.get(pk=case.pk), files=[png()], ctx=ctx(cast.dic_focal))
    other = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=other.pk).update(has_secret_dossier=False, status=CaseStatus.CLOSED)
    with pytest.raises(Conflict, match="closed"):
        add_case_evidence(case=Case.objects.get(pk=case.pk), files=[png()], ctx=ctx(cast.dic_focal))
    assert stored_files() == []


def test_the_hourly_sweep_keeps_the_files_of_cases_and_removes_them_once_unreferenced(cast, case):
    (row,) = add_case_evidence(case=case, files=[png()], ctx=ctx(cast.dic_focal))
    path = Path(storages["evidence"].path(row.file))
    old = time.time() - 3 * 3600
    os.utime(path, (old, old))
    assert evidence_orphans_delete(older_than=dt.timedelta(hours=1)) == 0
    assert path.exists()
    CaseEvidence.objects.all().delete()
    assert evidence_orphans_delete(older_than=dt.timedelta(hours=1)) == 1
    assert not path.exists()


def test_download_is_scoped_need_to_know_and_audited(cast, case):
    (row,) = add_case_evidence(case=case, files=[png()], ctx=ctx(cast.dic_focal))
    case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=ctx(cast.dic_focal))
    row = CaseEvidence.objects.select_related("case").get(pk=row.pk)
    # A hub sees an unrestricted case, not a restricted one it is not named on.
    assert services.case_evidence_for(cast.police_focal, row.case, row.pk) is None
    with pytest.raises(NotAllowed):
        case_evidence_open(evidence=row, ctx=ctx(cast.police_focal))
    assert not events(case, "case.evidence_download")
    with case_evidence_open(evidence=row, ctx=ctx(cast.dic_focal)) as handle:
        assert handle.read() == PNG
    (event,) = events(case, "case.evidence_download")
    assert event.actor == cast.dic_focal and event.data["sha256"] == PNG_DIGEST


# --- Evidence on a task's result ----------------------------------------------------------------------------


def test_a_tasks_result_carries_files(cast, case):
    task = task_create(case=case, title="Xác minh thuê bao", organisation=org("st-viettel"), ctx=ctx(cast.dic_focal))
    case_add_member(case=case, user=cast.viettel, ctx=ctx(cast.dic_focal))
    task = task_complete(task=task, result="Thuê bao đã bị khoá.", files=[png("subscriber.png")], ctx=ctx(cast.viettel))
    (row,) = task.evidence.all()
    assert row.case_id == case.pk and row.original_name == "subscriber.png" and row.sha256 == PNG_DIGEST
    (event,) = events(case, "case.task_complete")
    assert event.data["files"] == [{"name": "subscriber.png", "sha256": PNG_DIGEST}]


def test_a_bad_file_on_a_tasks_result_leaves_the_task_open(cast, case):
    task = task_create(case=case, title="Xác minh thuê bao", organisation=org("st-dic"), ctx=ctx(cast.dic_focal))
    with pytest.raises(Invalid):
        task_complete(task=task, result="Xong", files=[SimpleUploadedFile("a.png", PROGRAM)], ctx=ctx(cast.dic_focal))
    assert Task.objects.get(pk=task.pk).done_at is None and stored_files() == []


# --- Removing a participant ---------------------------------------------------------------------------------


def test_removing_a_participant_needs_a_reason_and_the_lead_cannot_be_removed(cast, case):
    with pytest.raises(Invalid) as refused:
        remove_participant(case=case, organisation=org("st-viettel"), reason="  ", ctx=ctx(cast.dic_focal))
    assert "reason" in refused.value.errors
    with pytest.raises(Conflict, match="leads the case"):
        remove_participant(case=case, organisation=org("st-dic"), reason="Nhầm đơn vị", ctx=ctx(cast.dic_focal))
    with pytest.raises(Conflict, match="does not take part"):
        remove_participant(case=case, organisation=org("st-doit"), reason="Nhầm đơn vị", ctx=ctx(cast.dic_focal))
    with pytest.raises(NotAllowed):
        remove_participant(case=case, organisation=org("st-viettel"), reason="Nhầm đơn vị", ctx=ctx(cast.viettel))
    assert CaseParticipant.objects.filter(case=case, organisation=org("st-viettel")).exists()
    assert not events(case, "case.participant_remove")


def test_the_removed_organisation_loses_access_its_people_and_open_tasks_go(cast, case):
    viettel = org("st-viettel")
    case_add_member(case=case, user=cast.viettel, ctx=ctx(cast.dic_focal))
    task = task_create(
        case=case, title="Khoá thuê bao", organisation=viettel, owner=cast.viettel, ctx=ctx(cast.dic_focal)
    )
    assert visible_cases(cast.viettel).filter(pk=case.pk).exists()
    done = remove_participant(case=case, organisation=viettel, reason="Không liên quan", ctx=ctx(cast.dic_focal))
    assert done == {"members": ["viettel"], "tasks": ["Khoá thuê bao"]}
    assert not CaseParticipant.objects.filter(case=case, organisation=viettel).exists()
    assert not CaseMember.objects.filter(case=case, user=cast.viettel).exists()
    assert not visible_cases(cast.viettel).filter(pk=case.pk).exists()
    task.refresh_from_db()
    assert task.cancelled and task.done_at is not None and "Không liên quan" in task.result
    (event,) = events(case, "case.participant_remove")
    assert event.data["reason"] == "Không liên quan" and event.data["organisation"] == "st-viettel"
    assert audit_verify().ok


def test_a_removed_hub_still_sees_the_unrestricted_case_on_its_own_grounds(cast, case):
    police = org("st-police")
    case_add_participant(case=case, organisation=police, ctx=ctx(cast.dic_focal))
    remove_participant(case=case, organisation=police, reason="Chuyển giao nhầm", ctx=ctx(cast.dic_focal))
    assert visible_cases(cast.police_focal).filter(pk=case.pk).exists()  # Đ5.2: a hub sees every unrestricted case


# --- Closing with open tasks --------------------------------------------------------------------------------


def test_closing_with_open_tasks_is_refused_naming_them_unless_confirmed(cast, case):
    task = task_create(case=case, title="Xác minh thuê bao", organisation=org("st-viettel"), ctx=ctx(cast.dic_focal))
    with pytest.raises(Conflict, match="“Xác minh thuê bao”"):
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.UNFOUNDED)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW
    closed = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.UNFOUNDED, force=True)
    assert closed.status == CaseStatus.CLOSED
    task.refresh_from_db()
    assert task.cancelled and task.done_at and "closed" in task.result
    (event,) = events(case, "case.move.close")
    assert event.data["tasks_cancelled"] == str([task.pk])


def test_closing_without_open_tasks_needs_no_confirmation(cast, case):
    closed = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.UNFOUNDED)
    assert closed.status == CaseStatus.CLOSED


# --- Task owners ---------------------------------------------------------------------------------------------


def test_the_owner_of_a_task_must_be_one_of_the_tasks_organisation(cast, case):
    with pytest.raises(Invalid) as refused:
        task_create(
            case=case, title="Xác minh", organisation=org("st-viettel"), owner=cast.dic_focal, ctx=ctx(cast.dic_focal)
        )
    assert "is not one of the people of" in str(refused.value.errors["owner"][0])
    assert not Task.objects.filter(case=case).exists()
    assert set(task_owner_choices(org("st-viettel"))) == {cast.viettel}
    assert list(task_owner_choices(None)) == []
