"""The database down then up: 503 with Retry-After (a page, or problem+json for the API), then 200 again;
/health/ says 503 when the worker is silent or the queue waits too long."""

import datetime as dt
import errno
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.directory.models import Organisation, User
from phoihop.site import taskqueue
from phoihop.site.outage import outage_kind
from phoihop.site.tests.faulttasks import slow_mark

pytestmark = pytest.mark.django_db


class Outage:
    """Every new query fails as when the database server is gone (or the disk under it is full)."""

    def __init__(self, monkeypatch, message="connection refused"):
        self.monkeypatch, self.message = monkeypatch, message

    def __enter__(self):
        def refuse(*args, **kwargs):
            raise OperationalError(self.message)

        self.monkeypatch.setattr(connection, "cursor", refuse)
        return self

    def __exit__(self, *exc):
        self.monkeypatch.undo()


@pytest.fixture
def live_worker():
    taskqueue.heartbeat(worker_id="live", started_at=timezone.now())


def signed_in(client):
    user = User.objects.create_user(
        "outage-focal", password="x", role="focal_point", organisation=Organisation.objects.get(code="st-dic")
    )
    client.force_login(user)
    # The session is read by a middleware: Django turns that error into a 500 response, which the outage
    # middleware replaces; the test client would re-raise the error it saw on the way (not a server would).
    client.raise_request_exception = False
    return user


def test_a_page_answers_503_with_retry_after_while_the_database_is_down_then_200(client, monkeypatch):
    signed_in(client)
    with Outage(monkeypatch):
        response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = response.content.decode()
    assert 'data-testid="unavailable"' in html and "nothing was saved" in html
    assert "<nav" in html and 'data-nav="' not in html, "the page queries nothing, not even the navigation"
    assert client.get("/").status_code == 200


def test_the_api_answers_problem_json_while_the_database_is_down(client, monkeypatch):
    with Outage(monkeypatch):
        response = client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Token abcd.efgh")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503 and body["code"] == "database-unavailable"
    assert body["type"] == "urn:phoihop:problem:unavailable"
    assert client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Token abcd.efgh").status_code == 401


def test_a_full_disk_says_so(client, monkeypatch):
    signed_in(client)
    with Outage(monkeypatch, "database or disk is full"):
        page = client.get("/")
        api = client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Token abcd.efgh")
    assert page.status_code == 503 and "disk is full or read-only" in page.content.decode()
    assert api.status_code == 503 and api.json()["code"] == "disk-unavailable"


def test_which_errors_are_outages():
    assert outage_kind(OperationalError("database is locked")) == "database"
    assert outage_kind(OSError(errno.ENOSPC, "No space left on device")) == "disk"
    assert outage_kind(OSError(errno.EROFS, "Read-only file system")) == "disk"
    assert outage_kind(OperationalError("no such table: x")) is None, "a bug stays a 500"
    assert outage_kind(OSError(errno.ENOENT, "missing")) is None
    assert outage_kind(ValueError("x")) is None


def test_health_is_200_with_a_live_worker_and_503_when_its_heartbeat_is_stale(client, settings, live_worker):
    assert client.get("/health/").status_code == 200
    old = timezone.now() - dt.timedelta(seconds=settings.PHOIHOP_WORKER_STALE_SECONDS + 30)
    taskqueue.WorkerHeartbeat.objects.update(last_seen=old)
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["worker"]["last_seen_s"] >= 150
    taskqueue.WorkerHeartbeat.objects.all().delete()
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["worker"] == {"last_seen_s": None}


def test_health_is_503_when_the_oldest_ready_task_waits_too_long(client, settings, live_worker, tmp_path):
    result = slow_mark.enqueue(str(tmp_path / "w"), 0)
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["queue"]["ready"] == 1
    waited = timezone.now() - dt.timedelta(seconds=settings.PHOIHOP_QUEUE_STALE_SECONDS + 60)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=waited)
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["queue"]["oldest_ready_s"] >= 660
    DBTaskResult.objects.filter(id=result.id).update(run_after=timezone.now() + dt.timedelta(hours=1))
    assert client.get("/health/").status_code == 200, "a task due later is not waiting"


def test_health_is_503_while_the_database_is_down_and_recovers_at_once(client, monkeypatch, live_worker):
    """Time to recover after an outage: from the database answering again to /health/ saying 200."""
    with Outage(monkeypatch):
        response = client.get("/health/")
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "database": "unavailable",
            "worker": {"last_seen_s": None},
            "queue": {"oldest_ready_s": None, "ready": None},
        }
    back = time.monotonic()
    while client.get("/health/").status_code != 200:
        assert time.monotonic() - back < 5
        time.sleep(0.05)
    recovered = time.monotonic() - back
    print(f"\nweb: /health/ 200 again {recovered * 1000:.0f} ms after the database came back")
    assert recovered < 1
