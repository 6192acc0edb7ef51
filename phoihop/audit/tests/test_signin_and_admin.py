"""Signing in, signing out, failed sign-ins and every change through the Django admin are audited."""

import json

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import audit_verify

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse 42"


@pytest.fixture
def person():
    return get_user_model().objects.create_user(username="officer-a", password=PASSWORD, role="officer")


@pytest.fixture
def admin_client(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "phoihop.audit.middleware.AuditRequestMiddleware"]
    boss = get_user_model().objects.create_superuser(username="root-admin", password=PASSWORD, email="r@example.org")
    client.force_login(boss)
    client.boss = boss
    return client


def test_signing_in_and_out_is_recorded_with_the_address(client, person):
    response = client.post(reverse("login"), {"username": "officer-a", "password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.object_id, event.ip_address) == (person, str(person.pk), "127.0.0.1")

    client.post(reverse("logout"))
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor, event.ip_address) == (person, "127.0.0.1")
    assert audit_verify().ok


def test_a_failed_sign_in_records_the_username_tried_never_the_password(client, person):
    client.post(reverse("login"), {"username": "officer-a", "password": "guessed-wrong-pw"})
    client.post(reverse("login"), {"username": "nobody-here", "password": "guessed-wrong-pw"})
    known, unknown = AuditEvent.objects.filter(action="auth.login_failed").order_by("seq")
    assert known.data == {"username": "officer-a", "known_user": True} and known.object_id == str(person.pk)
    assert unknown.data == {"username": "nobody-here", "known_user": False} and unknown.object_id == ""
    assert known.actor is None and known.ip_address == "127.0.0.1"
    for event in (known, unknown):
        stored = json.dumps([event.summary, event.data, event.actor_label])
        assert "guessed-wrong-pw" not in stored and "*" not in stored
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_role_change_in_the_admin_is_recorded_with_the_new_role(admin_client, person):
    url = reverse("admin:directory_user_change", args=[person.pk])
    form = {
        "username": person.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "organisation": "",
        "role": "head",
        "phone": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.role == "head"

    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == admin_client.boss and event.ip_address == "127.0.0.1"
    assert (event.object_type, event.object_id) == ("directory.user", str(person.pk))
    assert event.data["model"] == "directory.user" and event.data["action_flag"] == CHANGE
    assert "Role" in event.data["change_message"] and event.data["values"]["role"] == "head"
    assert "password" not in event.data["values"]
    assert audit_verify().ok


def test_deleting_several_objects_from_the_admin_list_records_each(admin_client):
    users = [get_user_model().objects.create_user(username=f"leaver-{i}", password=PASSWORD) for i in range(2)]
    response = admin_client.post(
        reverse("admin:directory_user_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in users], "post": "yes"},
    )
    assert response.status_code == 302 and LogEntry.objects.filter(action_flag=DELETION).count() == 2
    events = AuditEvent.objects.filter(action="admin.change", data__action_flag=DELETION)
    assert sorted(e.object_id for e in events) == sorted(str(u.pk) for u in users)
    assert all(e.actor == admin_client.boss for e in events)


def test_deleting_one_object_from_the_admin_records_it_once(admin_client):
    leaver = get_user_model().objects.create_user(username="leaver-x", password=PASSWORD)
    response = admin_client.post(reverse("admin:directory_user_delete", args=[leaver.pk]), {"post": "yes"})
    assert response.status_code == 302
    [event] = AuditEvent.objects.filter(action="admin.change")
    assert (event.object_id, event.data["flag"]) == (str(leaver.pk), "deletion")
