"""Two-step sign-in: required for heads, hub coordinators and system administrators, offered to everyone."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue

pytestmark = pytest.mark.django_db
PASSWORD = "tre xanh bong mat 2013"
INBOX = "/reports/inbox/"


def person(username: str, role: str, **extra):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        organisation=Organisation.objects.get(code="st-dic"),
        **extra,
    )


def signed_in(username: str) -> Client:
    """A browser that gave the right password (the first step only)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password step must succeed"
    return client


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show (steps_ahead: a later 30-second window)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def set_up(client: Client, *, next_url: str = INBOX) -> tuple[TOTPDevice, list[str], object]:
    page = client.get(reverse("signin:setup"), {"next": next_url})
    assert page.status_code == 200 and b"<svg" in page.content  # the QR code, drawn by the server
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    response = client.post(reverse("signin:setup"), {"code": code_of(device), "password": PASSWORD, "next": next_url})
    codes = re.findall(r'<code class="code">([a-z2-7]{8})</code>', response.content.decode())
    return device, codes, response


def test_a_head_cannot_reach_the_inbox_before_setting_up_and_passing_the_second_step():
    person("head.a", Role.HEAD)
    client = signed_in("head.a")

    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("signin:setup"))
    assert client.get(reverse("home")).url.startswith(reverse("signin:setup"))  # nor any other page
    assert client.get(reverse("signin:security")).status_code == 302

    device, codes, shown = set_up(client)
    assert shown.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert f'href="{INBOX}"' in shown.content.decode()  # then on to the page first asked for
    assert device.__class__.objects.get(pk=device.pk).confirmed
    assert client.get(INBOX).status_code == 200
    assert AuditEvent.objects.filter(action="user.second_factor_add", object_id=str(device.user_id)).exists()

    # The next sign-in asks for a code before anything else.
    again = signed_in("head.a")
    assert again.get(INBOX).url.startswith(reverse("signin:verify"))
    response = again.post(reverse("signin:verify"), {"code": code_of(device, steps_ahead=1), "next": INBOX})
    assert response.status_code == 302 and response.url == INBOX
    assert again.get(INBOX).status_code == 200


@pytest.mark.parametrize("extra", [{"role": Role.HUB_COORDINATOR}, {"role": Role.SYSADMIN}, {"is_superuser": True}])
def test_hub_coordinators_administrators_and_superusers_must_set_it_up(extra):
    role = extra.pop("role", Role.OFFICER)
    person("someone", role, **extra)
    assert signed_in("someone").get(INBOX).url.startswith(reverse("signin:setup"))


def test_a_focal_point_without_a_device_signs_in_with_the_password_only():
    person("focal.a", Role.FOCAL_POINT)
    client = signed_in("focal.a")
    assert client.get(INBOX).status_code == 200
    page = client.get(reverse("signin:security"))
    assert page.status_code == 200 and b'data-testid="second-factor-status"' in page.content


def test_a_focal_point_may_turn_it_on_and_then_is_asked_for_a_code():
    user = person("focal.b", Role.FOCAL_POINT)
    device, codes, shown = set_up(signed_in("focal.b"), next_url="")
    # then on to the first page after sign-in (the user's dashboard)
    landing = resolve_url(settings.LOGIN_REDIRECT_URL)
    assert len(codes) == 10 and f'class="button primary" href="{landing}"' in shown.content.decode()
    client = signed_in("focal.b")
    assert client.get(INBOX).url.startswith(reverse("signin:verify"))

    # Removing it asks for the password, and is audited.
    client.post(reverse("signin:verify"), {"code": code_of(device, steps_ahead=1)})
    refused = client.post(reverse("signin:security"), {"action": "remove", "password": "not my password"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("signin:security"), {"action": "remove", "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticToken.objects.filter(device__user=user)
    assert AuditEvent.objects.filter(action="user.second_factor_remove", object_id=str(user.pk)).exists()
    assert signed_in("focal.b").get(INBOX).status_code == 200


def test_a_wrong_code_is_refused_and_audited():
    user = person("head.b", Role.HEAD)
    device, _, _ = set_up(signed_in("head.b"))
    client = signed_in("head.b")
    right = code_of(device, steps_ahead=1)
    wrong = f"{(int(right) + 1) % 1000000:06d}"

    response = client.post(reverse("signin:verify"), {"code": wrong, "next": INBOX})
    assert response.status_code == 200 and b"This code is not correct" in response.content
    assert client.get(INBOX).url.startswith(reverse("signin:verify"))
    event = AuditEvent.objects.get(action="user.second_factor_failed")
    assert (event.object_id, event.ip_address) == (str(user.pk), "127.0.0.1")
    assert wrong not in str(event.data) + event.summary


def test_a_recovery_code_works_once():
    user = person("hub.a", Role.HUB_COORDINATOR)
    _, codes, _ = set_up(signed_in("hub.a"))

    client = signed_in("hub.a")
    response = client.post(reverse("signin:verify"), {"code": codes[0].upper(), "next": INBOX})
    assert response.status_code == 302 and client.get(INBOX).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert AuditEvent.objects.get(action="user.recovery_code_used").data == {"left": 9}

    reused = signed_in("hub.a")
    response = reused.post(reverse("signin:verify"), {"code": codes[0], "next": INBOX})
    assert response.status_code == 200 and reused.get(INBOX).status_code == 302


def test_a_password_alone_cannot_replace_an_existing_device():
    person("head.c", Role.HEAD)
    set_up(signed_in("head.c"))
    client = signed_in("head.c")
    response = client.get(reverse("signin:setup"))
    assert response.status_code == 302 and response.url == reverse("signin:verify")


def test_api_token_requests_are_not_affected():
    person("head.d", Role.HEAD)
    _, key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="feed", ctx=SYSTEM)
    client = signed_in("head.d")  # a session still owing its second step
    assert client.get("/api/v1/behaviours/").status_code == 403
    assert client.get("/api/v1/behaviours/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert Client().get("/api/v1/behaviours/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
