"""Giving an open task to another person of its organisation (issue 13): the service, the case page's action and
the write API. Who may: whoever may give a task (the people who work on the case); to whom: the people of the
task's organisation only; a task done or cancelled stays as it is; the new and previous owners are told."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from phoihop.audit.models import AuditEvent
from phoihop.cases.models import Case, CaseMember, Task
from phoihop.cases.services import case_register_secret_dossier, task_complete, task_create, task_reassign
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.inbox.models import OutboxMessage
from phoihop.notices.models import Notice

from .factories import ctx, make_cast, open_case, org, submit_report
from .factories import run_queued_case_events as run_queued_notices

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def case(cast):
    """A DIC case in which Viettel takes part."""
    return open_case(cast.dic_focal, submit_report(), participants=["st-viettel"])


@pytest.fixture
def task(cast, case):
    """An open task of DIC's, given to its hub coordinator."""
    return task_create(
        case=case, title="Xác minh thuê bao", organisation=org("st-dic"), owner=cast.dic_hub, ctx=ctx(cast.dic_focal)
    )


def reassigns(case: Case) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="case.task_reassign")
    )


# --- The service ----------------------------------------------------------------------------------------------


def test_a_task_given_to_someone_else_names_them_records_why_and_tells_both_owners(cast, case, task):
    DBTaskResult.objects.all().delete()  # the case's opening and the task's creation are not the point here

    task_reassign(task=task, owner=cast.dic_head, reason="Chị Lan nghỉ phép", ctx=ctx(cast.dic_focal))

    task.refresh_from_db()
    assert task.owner == cast.dic_head and task.done_at is None
    assert CaseMember.objects.filter(case=case, user=cast.dic_head).exists()  # may now see and work on the case
    [event] = reassigns(case)
    assert event.data["owner"] == "dic.head" and event.data["previous_owner"] == "dic.hub"
    assert event.data["reason"] == "Chị Lan nghỉ phép" and event.actor == cast.dic_focal

    runs = run_queued_notices()
    assert {r["event"] for r in runs} == {"task_assigned", "task_unassigned"}
    new_owner = Notice.objects.get(user=cast.dic_head)
    previous = Notice.objects.get(user=cast.dic_hub)
    assert new_owner.link == previous.link == f"/cases/{case.reference}/"
    assert new_owner.title != previous.title
    # E-mail through the outbox, to the two owners only (not every focal point of the case).
    recipients = [m.recipients for m in OutboxMessage.objects.filter(kind__startswith="case.task_")]
    assert sorted(recipients) == sorted([[cast.dic_head.email], [cast.dic_hub.email]])
    assert not Notice.objects.filter(user__in=[cast.dic_focal, cast.viettel]).exists()


def test_a_task_given_to_no_one_in_particular_is_given_and_only_the_new_owner_told(cast, case):
    task = task_create(case=case, title="Khoá thuê bao", organisation=org("st-viettel"), ctx=ctx(cast.dic_focal))
    DBTaskResult.objects.all().delete()
    task_reassign(task=task, owner=cast.viettel, ctx=ctx(cast.dic_focal))
    assert Task.objects.get(pk=task.pk).owner == cast.viettel
    assert [r["event"] for r in run_queued_notices()] == ["task_assigned"]
    assert reassigns(case)[0].data["previous_owner"] is None


def test_only_a_person_of_the_task_s_organisation_may_take_it(cast, case, task):
    with pytest.raises(Invalid) as refused:
        task_reassign(task=task, owner=cast.viettel, ctx=ctx(cast.dic_focal))
    assert "owner" in refused.value.errors
    cast.dic_head.is_active = False
    cast.dic_head.save(update_fields=["is_active"])
    with pytest.raises(Invalid):
        task_reassign(task=task, owner=cast.dic_head, ctx=ctx(cast.dic_focal))
    with pytest.raises(Invalid, match="already"):
        task_reassign(task=task, owner=cast.dic_hub, ctx=ctx(cast.dic_focal))
    assert Task.objects.get(pk=task.pk).owner == cast.dic_hub and not reassigns(case)


def test_a_task_done_or_cancelled_cannot_be_reassigned(cast, case, task):
    task_complete(task=task, result="Đã xác minh", ctx=ctx(cast.dic_hub))
    with pytest.raises(Conflict):
        task_reassign(task=Task.objects.get(pk=task.pk), owner=cast.dic_head, ctx=ctx(cast.dic_focal))
    # A caller's copy older than the completion: the task is read again under its lock.
    with pytest.raises(Conflict):
        task_reassign(task=task, owner=cast.dic_head, ctx=ctx(cast.dic_focal))
    assert Task.objects.get(pk=task.pk).owner == cast.dic_hub and not reassigns(case)


def test_who_may_not_give_a_task_may_not_reassign_one(cast, case, task):
    # The Provincial Police (a hub) sees the case but does not work on it; VNPT does not see it at all.
    for outsider in (cast.police_focal, cast.vnpt, cast.sysadmin):
        with pytest.raises(NotAllowed):
            task_reassign(task=task, owner=cast.dic_head, ctx=ctx(outsider))
    assert Task.objects.get(pk=task.pk).owner == cast.dic_hub and not reassigns(case)


def test_on_a_state_secret_case_a_task_is_reassigned_without_a_written_reason(cast, case, task):
    case_register_secret_dossier(
        case=case, number="12/M", level="mat", holder="Văn thư", location="Tủ sắt", ctx=ctx(cast.dic_focal)
    )
    task = Task.objects.select_related("case").get(pk=task.pk)
    with pytest.raises(Conflict, match="state-secret"):
        task_reassign(task=task, owner=cast.dic_head, reason="Lý do mật", ctx=ctx(cast.dic_focal))
    task_reassign(task=task, owner=cast.dic_head, ctx=ctx(cast.dic_focal))
    assert Task.objects.get(pk=task.pk).owner == cast.dic_head


# --- The case page ----------------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_offers_the_action_to_who_may_with_the_organisation_s_people_only(cast, case, task):
    page = client_for(cast.dic_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="task-reassign-form"' in page
    form = page[page.index('data-testid="task-reassign-form"') :]
    form = form[: form.index("</form>")]
    assert 'value="dic.head"' in form and 'value="dic.focal"' in form
    assert 'value="dic.hub"' not in form  # already its owner
    assert 'value="viettel"' not in form  # another organisation's person
    # The Provincial Police sees the case (a hub) but may not give its tasks to anyone.
    hub_page = client_for(cast.police_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "task-reassign-form" not in hub_page
    # A task done is not offered.
    task_complete(task=task, result="Xong", ctx=ctx(cast.dic_hub))
    page = client_for(cast.dic_focal).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'data-testid="task-reassign-form"' not in page


def test_the_action_reassigns_through_htmx_and_a_wrong_person_is_refused_in_place(cast, case, task):
    url = reverse("cases:task_reassign", args=[case.reference, task.pk])
    dic = client_for(cast.dic_focal)
    # htmx swaps the section in place (a 2xx), the form open with its error; without it the page says 400.
    wrong = dic.post(url, {f"reassign-{task.pk}-owner": "viettel"}, **HTMX).content.decode()
    assert 'data-testid="task-reassign-form"' in wrong and "has-error" in wrong
    assert dic.post(url, {f"reassign-{task.pk}-owner": "viettel"}).status_code == 400
    assert Task.objects.get(pk=task.pk).owner == cast.dic_hub
    done = dic.post(url, {f"reassign-{task.pk}-owner": "dic.head", f"reassign-{task.pk}-reason": "Nghỉ phép"}, **HTMX)
    assert done.status_code == 200 and 'id="tasks"' in done.content.decode()
    assert Task.objects.get(pk=task.pk).owner == cast.dic_head
    assert cast.dic_head.get_full_name() in done.content.decode()
    # Who may not: refused, nothing changed.
    refused = client_for(cast.police_focal).post(url, {f"reassign-{task.pk}-owner": "dic.focal"})
    assert refused.status_code == 403 and Task.objects.get(pk=task.pk).owner == cast.dic_head
    other = reverse("cases:task_reassign", args=[case.reference, 999999])
    assert dic.post(other, {"reassign-999999-owner": "dic.focal"}).status_code == 404


# --- The write API ----------------------------------------------------------------------------------------------


def api_post(client: Client, url: str, key: str | None = None, **data):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/{url}", data, content_type="application/json", headers=headers)


def test_the_api_reassigns_replays_on_its_key_and_refuses_with_problem_details(cast, case, task):
    url = f"cases/{case.reference}/tasks/{task.pk}/reassign/"
    dic = client_for(cast.dic_focal)
    wrong = api_post(dic, url, owner="viettel")
    assert wrong.status_code == 400 and wrong["Content-Type"] == "application/problem+json"
    assert "owner" in wrong.json()["errors"]
    assert api_post(dic, url).status_code == 400  # no owner
    assert api_post(dic, url, owner="nobody").status_code == 400
    assert api_post(client_for(cast.police_focal), url, owner="dic.head").status_code == 403
    assert api_post(client_for(cast.vnpt), url, owner="dic.head").status_code == 404
    assert api_post(dic, f"cases/{case.reference}/tasks/999999/reassign/", owner="dic.head").status_code == 404
    assert Task.objects.get(pk=task.pk).owner == cast.dic_hub and not reassigns(case)

    given = api_post(dic, url, key="re-1", owner="dic.head", reason="Nghỉ phép")
    assert given.status_code == 200 and given.json()["owner"] == "dic.head"
    again = api_post(dic, url, key="re-1", owner="dic.head", reason="Nghỉ phép")
    assert again["Idempotent-Replayed"] == "true" and again.json() == given.json()
    assert len(reassigns(case)) == 1

    task_complete(task=Task.objects.get(pk=task.pk), result="Xong", ctx=ctx(cast.dic_head))
    closed = api_post(dic, url, owner="dic.focal")
    assert closed.status_code == 409 and closed["Content-Type"] == "application/problem+json"


def test_the_api_schema_documents_the_reassignment(cast):
    schema = client_for(cast.dic_focal).get("/api/v1/schema/", {"format": "json"})
    operation = schema.json()["paths"]["/api/v1/cases/{reference}/tasks/{task_id}/reassign/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("CaseTaskReassignInput")
