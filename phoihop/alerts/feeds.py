"""Đ9: the published warnings as an Atom feed and a JSON Feed (https://jsonfeed.org/version/1.1), for the
Newspaper and Radio-TV to republish (Django's syndication framework)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed, rfc3339_date
from django.utils.translation import gettext_lazy as _

from .models import WarningImage
from .selectors import published_warnings

FEED_ITEMS = 50


class JSONFeedGenerator(SyndicationFeed):
    """JSON Feed 1.1, written by the same syndication framework as the Atom feed."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding) -> None:
        feed = self.feed
        out = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": str(feed["title"]),
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": str(feed["description"]),
            "language": feed["language"],
            "items": [self._item(item) for item in self.items],
        }
        if feed.get("author_name"):
            out["authors"] = [{"name": feed["author_name"]}]
        outfile.write(json.dumps(out, ensure_ascii=False, indent=1))

    @staticmethod
    def _item(item: dict) -> dict:
        out = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "summary": item["description"],
            "content_text": item.get("content_text") or item["description"],
            "date_published": rfc3339_date(item["pubdate"]),
        }
        if item.get("updateddate"):
            out["date_modified"] = rfc3339_date(item["updateddate"])
        if item.get("author_name"):
            out["authors"] = [{"name": item["author_name"]}]
        if item.get("image"):
            out["image"] = item["image"]
        if item.get("categories"):
            out["tags"] = [str(c) for c in item["categories"]]
        return out


class WarningsAtomFeed(Feed):
    feed_type = Atom1Feed
    title = _("Scam warnings")
    subtitle = description = _("Warnings to the public about scams and crimes in information and communications.")

    def link(self):
        return reverse("alerts:public_list")

    def feed_url(self):
        return reverse("alerts:feed_atom")

    def items(self):
        images = Prefetch("images", queryset=WarningImage.objects.defer("data").order_by("pk"))
        return published_warnings().prefetch_related(images)[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("alerts:public_warning", args=[item.slug])

    def item_guid(self, item):
        return f"{settings.SITE_URL.rstrip('/')}{self.item_link(item)}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_extra_kwargs(self, item):
        content = "\n\n".join([item.summary, item.method, item.protection])
        image = next(iter(item.images.all()), None)
        url = ""
        if image is not None:
            path = reverse("alerts:public_image", args=[item.slug, image.pk])
            url = f"{settings.SITE_URL.rstrip('/')}{path}"
        return {"content_text": content, "image": url}


class WarningsJSONFeed(WarningsAtomFeed):
    feed_type = JSONFeedGenerator

    def feed_url(self):
        return reverse("alerts:feed_json")
