"""The shell: health check, navigation by role, language, login throttling, settings defaults."""

import pytest
from django.urls import reverse

from phoihop.directory.models import Organisation, User
from phoihop.site.context_processors import nav_for

pytestmark = pytest.mark.django_db


def test_health_answers_ok_and_says_nothing_else(client):
    from django.utils import timezone

    from phoihop.site.taskqueue import heartbeat

    heartbeat(worker_id="w1", started_at=timezone.now())  # a live worker
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "database", "worker", "queue"}
    assert body["status"] == "ok" and body["database"] == "ok" and body["worker"]["last_seen_s"] < 5
    assert body["queue"] == {"oldest_ready_s": None, "ready": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_home_is_vietnamese_by_default_and_english_on_request(client, settings):
    from config import settings as conf

    settings.LANGUAGE_CODE = conf.LANGUAGE_CODE
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="vi">' in html and "Báo cáo vi phạm" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def _user(role, org="st-dic", **extra):
    return User.objects.create_user(
        f"u-{role}-{org}", password="x", role=role, organisation=Organisation.objects.get(code=org), **extra
    )


def test_navigation_depends_on_the_role():
    names = lambda user: {item["name"] for item in nav_for(user)}  # noqa: E731
    reporter = names(_user("enterprise_reporter", "st-viettel"))
    focal = names(_user("focal_point"))
    assert "routing:rules" in focal and "routing:rules" not in reporter
    assert "admin:index" not in focal
    assert "admin:index" in names(_user("sysadmin", is_staff=True))


def test_static_assets_are_served_by_the_app_with_no_cdn(client):
    html = client.get("/").content.decode()
    assert "https://" not in html and "http://" not in html.replace('xmlns="http://www.w3.org', "")


def test_login_is_throttled_after_repeated_failures(client, settings):
    _user("focal_point")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "u-focal_point-st-dic", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "u-focal_point-st-dic", "password": "x"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    import importlib
    import os
    import stat

    monkeypatch.setenv("PHOIHOP_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    from config import settings as conf

    first = importlib.reload(conf).SECRET_KEY
    second = importlib.reload(conf).SECRET_KEY
    assert first == second and len(first) > 40
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    monkeypatch.undo()
    importlib.reload(conf)
