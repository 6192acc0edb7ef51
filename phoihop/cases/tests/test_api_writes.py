"""The cases write API (phoihop/cases/api/write_views.py): each write through the same service as the page, so
the same people may make it (403 otherwise, 404 for a case out of scope) and bad input is refused naming the
field with nothing changed; every POST replays on its Idempotency-Key."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from phoihop.audit.models import AuditEvent
from phoihop.cases.models import Case, CaseEvidence, CaseMember, CaseParticipant, CaseReport, Note, Task

from .factories import make_cast, open_case, org, submit_report

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, key: str | None = None, **data):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/{url}", data, content_type="application/json", headers=headers)


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def case(cast):
    """A case led by DIC, from one report."""
    return open_case(cast.dic_focal, submit_report())


def actions(case: Case, action: str) -> int:
    return AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action=action).count()


def test_open_a_case_from_reports(cast):
    first, second = submit_report(), submit_report()
    dic = client_for(cast.dic_focal)
    body = {
        "title": "Gọi giả danh",
        "reports": [first.reference, second.reference.lower()],
        "participants": ["st-viettel"],
    }
    opened = post(dic, "cases/", key="open-1", **body)
    data = opened.json()
    assert opened.status_code == 201 and opened["Location"] == f"/api/v1/cases/{data['reference']}/"
    assert data["lead"]["code"] == "st-dic" and sorted(data["reports"]) == sorted([first.reference, second.reference])
    assert {p["organisation"]["code"] for p in data["participants"]} == {"st-dic", "st-viettel"}
    case = Case.objects.get(reference=data["reference"])
    assert actions(case, "case.open") == 1
    # A retry of the same call: the same answer, no second case.
    again = post(dic, "cases/", key="open-1", **body)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == data
    assert Case.objects.count() == 1
    # Without the key, the service itself refuses reports already in a case.
    assert post(dic, "cases/", **body).status_code == 409


def test_opening_is_refused_to_who_may_not_and_for_bad_input(cast):
    report = submit_report()
    assert post(client_for(cast.vnpt), "cases/", title="x", reports=[report.reference]).status_code == 400
    dic = client_for(cast.dic_focal)
    missing = post(dic, "cases/", reports=[report.reference])
    assert missing.status_code == 400 and "title" in missing.json()["errors"]
    unknown = post(dic, "cases/", title="x", reports=["PH-NOPE"])
    assert unknown.status_code == 400 and "PH-NOPE" in unknown.json()["errors"]["reports"][0]
    past = post(dic, "cases/", title="x", reports=[report.reference], due_date="2001-01-01")
    assert past.status_code == 400 and "due_date" in past.json()["errors"]
    assert post(dic, "cases/", title="x", reports=[report.reference], participants=["nope"]).status_code == 400
    assert not Case.objects.exists() and not CaseReport.objects.exists()


def test_attach_reports(cast, case):
    other = submit_report()
    url = f"cases/{case.reference}/reports/"
    assert post(client_for(cast.police_focal), url, reports=[other.reference]).status_code == 403  # not the lead
    assert post(client_for(cast.dic_focal), url, reports=["PH-NOPE"]).status_code == 400
    assert not CaseReport.objects.filter(report=other).exists()
    done = post(client_for(cast.dic_focal), url, reports=[other.reference])
    assert done.status_code == 200 and other.reference in done.json()["reports"]
    assert post(client_for(cast.vnpt), url, reports=[other.reference]).status_code == 404  # never seen


def test_add_and_remove_a_participant(cast, case):
    dic = client_for(cast.dic_focal)
    url = f"cases/{case.reference}/participants/"
    assert post(client_for(cast.police_focal), url, organisation="st-viettel").status_code == 403
    assert post(dic, url, organisation="nope").status_code == 400
    added = post(dic, url, organisation="st-viettel")
    assert added.status_code == 200 and "st-viettel" in {
        p["organisation"]["code"] for p in added.json()["participants"]
    }

    remove = f"cases/{case.reference}/participants/st-viettel/remove/"
    short = post(dic, remove, reason="no")
    assert short.status_code == 400 and "reason" in short.json()["errors"]
    assert post(client_for(cast.police_focal), remove, reason="Không còn liên quan").status_code == 403
    assert CaseParticipant.objects.filter(case=case, organisation=org("st-viettel")).exists()
    removed = post(dic, remove, key="rm-1", reason="Không còn liên quan")
    assert removed.status_code == 200
    assert "st-viettel" not in {p["organisation"]["code"] for p in removed.json()["participants"]}
    assert post(dic, remove, key="rm-1", reason="Không còn liên quan")["Idempotent-Replayed"] == "true"
    assert actions(case, "case.participant_remove") == 1
    lead = post(dic, f"cases/{case.reference}/participants/st-dic/remove/", reason="Không còn liên quan")
    assert lead.status_code == 409
    assert post(dic, f"cases/{case.reference}/participants/nope/remove/", reason="Không còn").status_code == 404


def test_name_a_person_on_the_case(cast, case):
    url = f"cases/{case.reference}/members/"
    assert post(client_for(cast.dic_focal), url, user="nobody").status_code == 400
    assert post(client_for(cast.police_focal), url, user="dic.hub").status_code == 403
    assert post(client_for(cast.dic_focal), url, user="dic.hub").status_code == 200
    assert CaseMember.objects.filter(case=case, user=cast.dic_hub).exists()


def test_tasks_created_assigned_and_completed(cast, case):
    dic = client_for(cast.dic_focal)
    url = f"cases/{case.reference}/tasks/"
    assert post(dic, url, organisation="st-dic").status_code == 400  # no title
    assert post(dic, url, title="Xác minh", organisation="st-dic", due_date="2001-01-01").status_code == 400
    assert post(dic, url, title="Xác minh", organisation="st-viettel").status_code == 409  # not taking part
    wrong_owner = post(dic, url, title="Xác minh", organisation="st-dic", owner="viettel")
    assert wrong_owner.status_code == 400 and "owner" in wrong_owner.json()["errors"]
    assert post(client_for(cast.vnpt), url, title="Xác minh", organisation="st-dic").status_code == 404
    assert not Task.objects.exists()

    created = post(dic, url, key="t-1", title="Xác minh thuê bao", organisation="st-dic", owner="dic.hub")
    task = created.json()
    assert created.status_code == 201 and task["owner"] == "dic.hub" and task["done_at"] is None
    assert post(dic, url, key="t-1", title="Xác minh thuê bao", organisation="st-dic", owner="dic.hub").json() == task
    assert Task.objects.count() == 1

    complete = f"cases/{case.reference}/tasks/{task['id']}/complete/"
    assert post(client_for(cast.police_focal), complete, result="Xong").status_code == 403  # not the task's org
    assert post(dic, complete).status_code == 400
    done = post(dic, complete, result="Thuê bao đã xác minh")
    assert done.status_code == 200 and done.json()["result"] == "Thuê bao đã xác minh" and done.json()["done_at"]
    assert post(dic, complete, result="Lần nữa").status_code == 409
    assert post(dic, f"cases/{case.reference}/tasks/999999/complete/", result="x").status_code == 404


def test_a_task_completed_with_files(cast, case):
    task = post(client_for(cast.dic_focal), f"cases/{case.reference}/tasks/", title="Ảnh", organisation="st-dic")
    url = f"/api/v1/cases/{case.reference}/tasks/{task.json()['id']}/complete/"
    shot = SimpleUploadedFile("screen.png", PNG)
    done = client_for(cast.dic_focal).post(url, {"result": "Đã chụp màn hình", "files": [shot]})
    assert done.status_code == 200
    assert [e["sha256"] for e in done.json()["evidence"]] == [hashlib.sha256(PNG).hexdigest()]


def test_notes(cast, case):
    url = f"cases/{case.reference}/notes/"
    assert post(client_for(cast.dic_focal), url, text="").status_code == 400
    assert post(client_for(cast.vnpt), url, text="Ghi chú").status_code == 404
    assert not Note.objects.exists()
    added = post(client_for(cast.dic_focal), url, text="Đã gọi lại cho người báo")
    assert added.status_code == 201 and added.json()["author"] == "dic.focal"
    assert Note.objects.get().text == "Đã gọi lại cho người báo"


def test_evidence_upload(cast, case):
    url = f"/api/v1/cases/{case.reference}/evidence/"
    dic = client_for(cast.dic_focal)
    shot = SimpleUploadedFile("screen.png", PNG)
    stored = dic.post(url, {"files": [shot]}, headers={"Idempotency-Key": "ev-1"})
    (row,) = stored.json()
    assert stored.status_code == 201 and row["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert row["original_name"] == "screen.png" and row["uploaded_by"] == "dic.focal"
    again = dic.post(url, {"files": [SimpleUploadedFile("screen.png", PNG)]}, headers={"Idempotency-Key": "ev-1"})
    assert again["Idempotent-Replayed"] == "true" and CaseEvidence.objects.count() == 1

    assert dic.post(url, {}).status_code == 400  # no file
    program = SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 60)
    assert dic.post(url, {"files": [program]}).status_code == 400
    assert dic.post(url, {"files": [SimpleUploadedFile("a.png", PNG)], "task": "x"}).status_code == 400
    assert client_for(cast.vnpt).post(url, {"files": [SimpleUploadedFile("a.png", PNG)]}).status_code == 404
    assert dic.post(url, {"files": "x"}, content_type="application/json").status_code == 415
    assert CaseEvidence.objects.count() == 1
