"""GET /api/v1/notices/ and POST /api/v1/notices/<id>/read/: the caller's own notices only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from phoihop.notices.models import Notice

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_has_only_my_notices_newest_first_with_the_unread_count(alice, bob, tell):
    older, newer = tell(alice, "Older"), tell(alice, "Newer", link="/cases/1/", article="Đ3.3")
    tell(bob, "Bob's")
    Notice.objects.filter(pk=older.pk).update(read_at=older.created_at)
    body = api(alice).get("/api/v1/notices/").json()
    assert [n["title"] for n in body["results"]] == ["Newer", "Older"]
    assert body["unread_count"] == 1
    first = body["results"][0]
    assert first["id"] == newer.pk and first["unread"] is True and first["link"] == "/cases/1/"
    assert first["article"] == "Đ3.3" and first["read_at"] is None
    unread = api(alice).get("/api/v1/notices/?unread=true").json()
    assert [n["title"] for n in unread["results"]] == ["Newer"]


def test_a_bad_filter_is_a_400(alice):
    response = api(alice).get("/api/v1/notices/?unread=perhaps")
    assert response.status_code == 400
    assert "unread" in response.json()["errors"]


def test_marking_read_by_the_api(alice, bob, tell):
    notice = tell(alice)
    assert api(bob).post(f"/api/v1/notices/{notice.pk}/read/").status_code == 404
    response = api(alice).post(f"/api/v1/notices/{notice.pk}/read/")
    assert response.status_code == 200 and response.json()["unread"] is False
    assert api(alice).post(f"/api/v1/notices/{notice.pk}/read/").status_code == 200  # again: same answer
    assert api(alice).get("/api/v1/notices/").json()["unread_count"] == 0


def test_an_id_that_is_no_number_is_the_api_s_own_404(alice):
    for bad in ("abc", "0", "9" * 30):
        response = api(alice).post(f"/api/v1/notices/{bad}/read/")
        assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")


def test_signed_out_is_refused(db):
    assert APIClient().get("/api/v1/notices/").status_code == 401
