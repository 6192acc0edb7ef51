"""Session limits (idle, absolute), the demo's waiver of the second factor, and the password policy."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from phoihop.directory.choices import Role
from phoihop.directory.demo import DEMO_ACCOUNTS, demo_accounts_ensure
from phoihop.directory.models import User
from phoihop.directory.signin.receivers import SEEN_AT, SIGNED_IN_AT

from .test_second_factor import INBOX, person, signed_in

pytestmark = pytest.mark.django_db


def age_session(client, **seconds_ago) -> None:
    session, now = client.session, int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_a_session_idle_longer_than_the_limit_is_signed_out(settings):
    assert settings.PHOIHOP_SESSION_IDLE_MINUTES == 30 and settings.SESSION_COOKIE_AGE == 30 * 60
    person("focal.idle", Role.FOCAL_POINT)
    client = signed_in("focal.idle")
    age_session(client, signed_in=40 * 60, seen=29 * 60)
    assert client.get(INBOX).status_code == 200  # 29 minutes idle: still in, and the activity is recorded
    assert int(time.time()) - client.session[SEEN_AT] < 5

    age_session(client, seen=31 * 60)
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get(INBOX).url.startswith(reverse("login"))


def test_a_session_ends_after_the_absolute_limit_whatever_the_activity(settings):
    settings.PHOIHOP_SESSION_MAX_HOURS = 12
    person("focal.long", Role.FOCAL_POINT)
    client = signed_in("focal.long")
    age_session(client, signed_in=12 * 3600 - 60, seen=10)
    assert client.get(INBOX).status_code == 200
    age_session(client, signed_in=12 * 3600 + 1, seen=10)
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_demo_waives_the_second_factor_only_for_flagged_demo_accounts(settings):
    person("demo.head", Role.HEAD, demo_account=True)
    person("real.head", Role.HEAD)

    # A start without --demo: the flag on the account changes nothing, and no banner.
    assert settings.PHOIHOP_DEMO is False
    plain = signed_in("demo.head")
    assert plain.get(INBOX).url.startswith(reverse("signin:setup"))
    assert b"demo-banner" not in plain.get(reverse("login")).content

    settings.PHOIHOP_DEMO = True  # what `phoihop serve --demo` sets in its web processes
    demo = signed_in("demo.head")
    page = demo.get(INBOX)
    assert page.status_code == 200 and b'data-testid="demo-banner"' in page.content
    assert signed_in("real.head").get(INBOX).url.startswith(reverse("signin:setup"))

    settings.PHOIHOP_DEMO = False  # the same session loses the waiver when the demo is not running
    assert demo.get(INBOX).url.startswith(reverse("signin:setup"))


def test_the_demo_seeding_flags_its_own_accounts_only(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    person("someone.else", Role.HEAD)
    demo_accounts_ensure()
    flagged = set(User.objects.filter(demo_account=True).values_list("username", flat=True))
    assert flagged == {a.username for a in DEMO_ACCOUNTS}


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("ngay mai troi", True),  # 13 characters, lower-case letters only: no composition rules
        ("x7Kp!w2Lq9z", False),  # 11 characters
        ("b" * 40 + "ngan hang 64 ky tu ok" + "c" * 3, True),  # 64 characters
        ("d" * 128, True),
        ("d" * 129, False),
        ("password1234", False),  # in the list of common passwords
        ("qwerty123456", False),  # common
    ],
)
def test_the_password_policy(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_a_password_like_the_persons_own_name_is_refused():
    user = User(username="nguyenthilan", first_name="Lan", last_name="Nguyễn Thị", email="lan@example.vn")
    with pytest.raises(ValidationError):
        validate_password("nguyenthilan1", user=user)
