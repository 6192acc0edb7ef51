"""The bell in the header (its count one query), the notices page, marking read (htmx and plain), opening."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from phoihop.notices.models import Notice
from phoihop.notices.selectors import COUNT_CAP

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def bell(html: str, testid: str = "notice-bell") -> str:
    match = re.search(rf'<a id="[^"]+" class="notice-bell[^>]*data-testid="{testid}".*?</a>', html, re.S)
    assert match, f"no {testid} in the page"
    return match.group(0)


def accessible_name(html: str) -> str:
    return re.search(r'<span class="sr-only">([^<]*)</span>', html).group(1)


def notice_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "notices_notice" in q["sql"]]


def test_the_header_shows_the_unread_count_at_the_cost_of_one_query(alice, bob, tell):
    tell(alice), tell(alice), tell(bob)
    client = signed_in(alice)
    html = client.get("/").content.decode()
    assert accessible_name(bell(html)) == "2 unread notices"
    assert accessible_name(bell(html, "notice-menu")) == "2 unread notices"  # the phone menu's entry
    assert '<span class="count" aria-hidden="true">2</span>' in bell(html)
    queries = notice_queries(client, "/")
    assert len(queries) == 1 and "LIMIT" in queries[0].upper()


def test_the_count_is_capped(alice, tell):
    for _ in range(COUNT_CAP + 3):
        tell(alice)
    html = signed_in(alice).get("/").content.decode()
    assert accessible_name(bell(html)) == "99+ unread notices"


def test_the_bell_speaks_vietnamese(alice, tell, settings):
    settings.LANGUAGE_CODE = "vi"
    tell(alice)
    with translation.override("vi"):
        html = signed_in(alice).get("/").content.decode()
    assert accessible_name(bell(html)) == "1 thông báo chưa đọc"


def test_nobody_signed_in_sees_no_bell(client, db):
    assert "notice-bell" not in client.get("/").content.decode()
    assert client.get("/notices/").status_code == 302


def test_the_page_lists_my_notices_newest_first_and_filters_the_unread(alice, bob, tell):
    first, second = tell(alice, "First"), tell(alice, "Second")
    tell(bob, "Not mine")
    Notice.objects.filter(pk=first.pk).update(read_at=first.created_at)
    client = signed_in(alice)
    html = client.get("/notices/").content.decode()
    assert html.index("Second") < html.index("First") and "Not mine" not in html
    unread = client.get("/notices/?unread=1").content.decode()
    assert "Second" in unread and "First" not in unread
    assert f'data-notice="{second.pk}" data-unread="1"' in unread


def test_the_page_is_paginated(alice, tell):
    for i in range(30):
        tell(alice, f"Notice number {i:02d}")
    client = signed_in(alice)
    page1, page2 = client.get("/notices/").content.decode(), client.get("/notices/?page=2").content.decode()
    assert "Notice number 29" in page1 and "Notice number 04" not in page1
    assert "Notice number 04" in page2 and "Page 2 of 2" in page2


def test_marking_one_read_with_htmx_answers_the_row_and_the_new_count(alice, tell):
    notice, _other = tell(alice), tell(alice)
    response = signed_in(alice).post(f"/notices/{notice.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-notice="{notice.pk}" data-unread="0"' in html
    assert 'hx-swap-oob="true"' in bell(html) and accessible_name(bell(html)) == "1 unread notice"
    assert 'hx-swap-oob="true"' in bell(html, "notice-menu")
    assert Notice.objects.get(pk=notice.pk).read_at is not None


def test_marking_without_script_comes_back_to_the_list(alice, tell):
    notice = tell(alice)
    response = signed_in(alice).post(f"/notices/{notice.pk}/read/", {"unread": "1"})
    assert response.status_code == 302 and response["Location"] == "/notices/?unread=1"


def test_mark_all_read(alice, tell):
    tell(alice), tell(alice)
    client = signed_in(alice)
    html = client.post("/notices/read/", HTTP_HX_REQUEST="true").content.decode()
    assert accessible_name(bell(html)) == "0 unread notices"
    assert 'id="notice-list"' in html and 'data-unread="1"' not in html
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_opening_a_notice_marks_it_read_and_goes_to_its_object(alice, tell):
    notice = tell(alice, link="/requests/YC-1/")
    response = signed_in(alice).post(f"/notices/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/requests/YC-1/"
    assert Notice.objects.get(pk=notice.pk).read_at is not None
    without_link = tell(alice, link="")
    assert signed_in(alice).post(f"/notices/{without_link.pk}/open/")["Location"] == "/notices/"


def test_someone_else_s_notice_is_not_found_and_stays_unread(alice, bob, tell):
    notice = tell(alice)
    client = signed_in(bob)
    assert client.post(f"/notices/{notice.pk}/read/").status_code == 404
    assert client.post(f"/notices/{notice.pk}/open/").status_code == 404
    assert client.get(f"/notices/{notice.pk}/open/").status_code == 405
    assert Notice.objects.get(pk=notice.pk).read_at is None
