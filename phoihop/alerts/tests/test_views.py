"""The pages: forms refuse naming the field and write nothing, lists keep a bounded number of queries, files are
downloaded only within the scope, the public subscription form is rate limited."""

from __future__ import annotations

import pytest

from phoihop.alerts.models import Advisory, NewsroomSubscription

from .factories import advisory_to_carriers, png_upload, published_warning

pytestmark = pytest.mark.django_db


def test_the_advisory_form_refuses_naming_the_field(cast, client):
    client.force_login(cast.police_focal)
    page = client.get("/alerts/advisories/new/")
    assert page.status_code == 200 and 'name="types"' in page.content.decode()
    response = client.post(
        "/alerts/advisories/new/",
        {
            "kind": "crime_method",
            "title": "Thủ đoạn mới",
            "method": "Mô tả",
            "access_level": "normal",
            "indicators": "không có gì",
            "send": "1",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the recipients" in body and "Line 1" in body
    assert not Advisory.objects.exists()


def test_the_advisory_form_sends_with_a_file(cast, client):
    client.force_login(cast.police_focal)
    response = client.post(
        "/alerts/advisories/new/",
        {
            "kind": "crime_method",
            "title": "Thủ đoạn mới",
            "method": "Mô tả",
            "types": ["enterprise:telecom"],
            "access_level": "normal",
            "files": [png_upload()],
            "send": "1",
        },
    )
    advisory = Advisory.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alerts/advisories/{advisory.reference}/"
    assert advisory.status == "sent" and advisory.files.count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="recipients"' in detail and "st-viettel" in detail


def test_a_recipient_acknowledges_on_the_page_and_downloads_the_file(cast, client):
    advisory = advisory_to_carriers(cast.police_focal, files=[png_upload()])
    stored = advisory.files.get()
    client.force_login(cast.viettel)
    inbox = client.get("/alerts/advisories/").content.decode()
    assert advisory.reference in inbox and 'data-testid="to-acknowledge"' in inbox
    download = client.get(f"/alerts/advisories/{advisory.reference}/files/{stored.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client.post(f"/alerts/advisories/{advisory.reference}/acknowledge/").status_code == 302
    assert advisory.recipients.get(organisation__code="st-viettel").acknowledged_at is not None
    client.force_login(cast.bp_focal)  # neither sender, recipient nor hub
    assert client.get(f"/alerts/advisories/{advisory.reference}/").status_code == 404
    assert client.get(f"/alerts/advisories/{advisory.reference}/files/{stored.pk}/").status_code == 404
    assert client.post(f"/alerts/advisories/{advisory.reference}/acknowledge/").status_code == 404


def test_lists_keep_their_queries_bounded(cast, client, django_assert_max_num_queries):
    for i in range(6):
        advisory_to_carriers(cast.police_focal, title=f"Thủ đoạn {i}")
        published_warning(cast.dic_focal, cast.dic_head, title=f"Cảnh báo {i}")
    client.force_login(cast.viettel)
    with django_assert_max_num_queries(15):
        assert client.get("/alerts/advisories/").status_code == 200
    client.force_login(cast.police_focal)
    with django_assert_max_num_queries(15):
        assert client.get("/alerts/advisories/sent/").status_code == 200
    client.force_login(cast.dic_head)
    with django_assert_max_num_queries(15):
        assert client.get("/alerts/warnings/").status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        assert client.get("/alerts/public/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/alerts/public/feed.atom").status_code == 200


def test_staff_pages_are_for_staff(cast, client):
    assert client.get("/alerts/warnings/").status_code == 302  # to sign in
    client.force_login(cast.viettel)
    assert client.get("/alerts/warnings/").status_code == 403
    assert client.get("/alerts/warnings/new/").status_code == 403
    assert client.get("/alerts/advisories/new/").status_code == 403
    assert client.get("/alerts/newsrooms/").status_code == 403


def test_the_public_subscription_form_is_rate_limited(client, settings, db):
    settings.PHOIHOP_RATE_NEWSROOM_SUBSCRIBE = "2/h"
    for i in range(2):
        response = client.post("/alerts/newsrooms/subscribe/", {"name": "Báo", "email": f"a{i}@bao.example.vn"})
        assert response.status_code == 200
    response = client.post("/alerts/newsrooms/subscribe/", {"name": "Báo", "email": "a9@bao.example.vn"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert NewsroomSubscription.objects.count() == 2
    bad = client.post("/alerts/newsrooms/subscribe/", {"name": "", "email": "x"}, REMOTE_ADDR="198.51.100.9")
    assert bad.status_code == 400
