"""The Atom feed (parsed as Atom by feedparser) and the JSON Feed 1.1 of published warnings; the demo data."""

from __future__ import annotations

import json

import feedparser
import pytest

from phoihop.alerts.demo import demo_alerts_ensure
from phoihop.alerts.models import Advisory, PublicWarning
from phoihop.cases.tests.factories import make_user
from phoihop.directory.choices import Role

from .factories import draft_warning, published_warning

pytestmark = pytest.mark.django_db


def test_atom_feed_parses_as_atom(cast, client):
    first = published_warning(cast.dic_focal, cast.dic_head)
    draft = draft_warning(cast.dic_focal, title="Bản nháp chưa duyệt")
    response = client.get("/alerts/public/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == [first.title] and draft.title not in titles
    entry = feed.entries[0]
    assert entry.link.endswith(f"/alerts/public/{first.slug}/") and entry.summary == first.summary
    assert entry.author == first.organisation.name


def test_json_feed_shape(cast, client):
    warning = published_warning(cast.dic_focal, cast.dic_head)
    response = client.get("/alerts/public/feed.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {"title", "home_page_url", "feed_url", "items"} <= set(feed)
    assert feed["feed_url"].endswith("/alerts/public/feed.json")
    (item,) = feed["items"]
    assert set(item) >= {"id", "url", "title", "summary", "content_text", "date_published", "authors"}
    assert item["url"].endswith(f"/alerts/public/{warning.slug}/") and item["title"] == warning.title
    assert warning.protection in item["content_text"]
    assert item["date_published"][:4].isdigit() and "T" in item["date_published"]


def test_public_pages_link_to_the_feeds(cast, client):
    warning = published_warning(cast.dic_focal, cast.dic_head)
    for url in ("/alerts/public/", f"/alerts/public/{warning.slug}/"):
        page = client.get(url).content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in page
        assert 'rel="alternate" type="application/feed+json"' in page


def test_demo_data_once_and_in_the_feed(db, client):
    for username, code, role in [
        ("police.focal", "st-police", Role.FOCAL_POINT),
        ("dic.focal", "st-dic", Role.FOCAL_POINT),
        ("dic.head", "st-dic", Role.HEAD),
        ("carrier.reporter", "st-viettel", Role.ENTERPRISE_REPORTER),
    ]:
        make_user(username, code, role, "Người Thử")
    summary = demo_alerts_ensure()
    assert summary == "2 advisories, 3 published warnings"
    assert demo_alerts_ensure() == ""  # once
    assert Advisory.objects.filter(status="sent").count() == 2
    feed = feedparser.parse(client.get("/alerts/public/feed.atom").content)
    assert len(feed.entries) == 3 and not feed.bozo
    assert any("0912 345 678" in e.title for e in feed.entries)
    assert set(PublicWarning.objects.values_list("status", flat=True)) == {"published"}
