"""Sharing the verified indicators (never reports) with enterprises and peer systems (Đ4.2, Đ11.2–11.3):
CSV, a STIX 2.1 bundle and a MISP feed, full or incremental (`since`).

Only listing decisions are shared: a value merely reported is never in a feed. A full export holds the
listings in force; an incremental one (`since`) also holds those that ended since (CSV: their status; STIX:
`revoked`; MISP: the attribute marked deleted), so a subscriber removes them.

Identifiers are stable (UUID 5 of the listing number, of the listing day), so a subscriber that fetches again
updates its copy instead of duplicating it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from .choices import ListingStatus
from .models import Listing

if TYPE_CHECKING:
    import stix2

NAMESPACE = uuid.UUID("7b1f7c64-2d0c-5c55-9a55-0c7d1f4b6a11")  # phoihop listing feeds
PRODUCER = "phoihop"
MISP_ORG = {"name": "Sở Thông tin và Truyền thông Sóc Trăng (phoihop)", "uuid": str(uuid.uuid5(NAMESPACE, "org"))}
MAX_ROWS = 50_000


def shared_listings(*, since: dt.datetime | None = None, ended: bool = False) -> QuerySet[Listing]:
    """The listings a feed carries: those in force; with `since` (or `ended`) also those that ended, so that a
    subscriber removes them; with `since` only what changed after it."""
    qs = Listing.objects.select_related("indicator", "category")
    if since is None and not ended:
        qs = qs.filter(status=ListingStatus.LISTED)
    else:
        qs = qs.filter(status__in=[ListingStatus.LISTED, ListingStatus.DELISTED, ListingStatus.LAPSED])
        qs = qs.filter(listed_at__isnull=False)
    if since is not None:
        qs = qs.filter(updated_at__gt=since)
    return qs.order_by("listed_at", "pk")[:MAX_ROWS]


def _iso(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def _valid_until(listing: Listing) -> dt.datetime | None:
    if listing.ended_at:
        return listing.ended_at
    if listing.review_on:
        return timezone.make_aware(dt.datetime.combine(listing.review_on, dt.time(23, 59, 59)))
    return None


# --- CSV --------------------------------------------------------------------------------------------------

CSV_COLUMNS = ["reference", "kind", "value", "category", "status", "listed_at", "valid_until", "updated_at"]


def to_csv(listings: Iterable[Listing]) -> str:
    """One row per listing; values are the normalised ones (a machine feed: nothing is rewritten for spreadsheets,
    and no normalised value starts with "=")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for x in listings:
        writer.writerow(
            [
                x.reference,
                x.indicator.kind,
                x.indicator.value,
                x.category.code,
                x.status,
                _iso(x.listed_at),
                _iso(_valid_until(x)),
                _iso(x.updated_at),
            ]
        )
    return out.getvalue()


# --- STIX 2.1 -----------------------------------------------------------------------------------------------


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def stix_pattern(kind: str, value: str) -> str:
    """The STIX pattern of a value: standard cyber-observables where STIX has one, custom ones otherwise."""
    v = _quote(value)
    if kind == "url":
        return f"[url:value = '{v}']"
    if kind == "domain":
        return f"[domain-name:value = '{v}']"
    if kind == "email":
        return f"[email-addr:value = '{v}']"
    if kind == "ip_address":
        return f"[{'ipv6-addr' if ':' in value else 'ipv4-addr'}:value = '{v}']"
    if kind == "bank_account":
        bank, _sep, number = value.rpartition(":")
        if bank:
            return f"[x-bank-account:account_number = '{_quote(number)}' AND x-bank-account:bank = '{_quote(bank)}']"
        return f"[x-bank-account:account_number = '{v}']"
    if kind == "phone":
        return f"[x-phone-number:value = '{v}']"
    return f"[x-{kind.replace('_', '-')}:value = '{v}']"


def _identity() -> stix2.Identity:
    import stix2  # the STIX library loads when a feed is asked for, not in every web process

    return stix2.Identity(
        id=f"identity--{uuid.uuid5(NAMESPACE, 'identity')}",
        name=MISP_ORG["name"],
        identity_class="organization",
        created="2013-04-18T00:00:00Z",
        modified="2013-04-18T00:00:00Z",
    )


def to_stix(listings: Iterable[Listing]) -> str:
    """A STIX 2.1 bundle: the producing identity and one indicator per listing."""
    import stix2

    identity = _identity()
    objects: list = [identity]
    for x in listings:
        until = _valid_until(x)
        valid_from = x.listed_at or x.created_at
        if until is not None and until <= valid_from:
            until = valid_from + dt.timedelta(seconds=1)
        objects.append(
            stix2.Indicator(
                id=f"indicator--{uuid.uuid5(NAMESPACE, x.reference)}",
                created=valid_from,
                modified=max(x.updated_at, valid_from),
                created_by_ref=identity.id,
                name=f"{x.indicator.kind}: {x.indicator.value}",
                description=f"{x.category.name_en or x.category.name_vi} ({x.reference}, {x.category.article})",
                indicator_types=["malicious-activity"],
                labels=[x.category.code, x.indicator.kind],
                pattern_type="stix",
                pattern=stix_pattern(x.indicator.kind, x.indicator.value),
                valid_from=valid_from,
                valid_until=until,
                revoked=x.status != ListingStatus.LISTED,
                external_references=[{"source_name": PRODUCER, "external_id": x.reference}],
            )
        )
    return stix2.Bundle(*objects, id=f"bundle--{uuid.uuid4()}", allow_custom=True).serialize(pretty=False)


# --- MISP feed ----------------------------------------------------------------------------------------------

MISP_TYPES = {
    "phone": "phone-number",
    "url": "url",
    "domain": "domain",
    "email": "email-src",
    "bank_account": "bank-account-nr",
    "ip_address": "ip-dst",
    "sms_sender": "text",
    "social_account": "text",
}


def _day(x: Listing) -> dt.date:
    return timezone.localdate(x.listed_at or x.created_at)


def misp_event_uuid(day: dt.date) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp-event-{day.isoformat()}"))


def _attribute(x: Listing) -> dict:
    ended = x.status != ListingStatus.LISTED
    value = x.indicator.value.rpartition(":")[2] if x.indicator.kind == "bank_account" else x.indicator.value
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, f"misp-attribute-{x.reference}")),
        "type": MISP_TYPES.get(x.indicator.kind, "text"),
        "category": "Financial fraud" if x.indicator.kind == "bank_account" else "Network activity",
        "value": value,
        "to_ids": not ended,
        "deleted": ended,
        "distribution": "5",
        "comment": f"{x.reference} {x.category.code}" + (f" {x.indicator.value}" if value != x.indicator.value else ""),
        "timestamp": str(int(x.updated_at.timestamp())),
        "Tag": [{"name": f'phoihop:category="{x.category.code}"'}],
    }


def misp_events(listings: Iterable[Listing]) -> dict[str, dict]:
    """One MISP event per listing day, {uuid: {"Event": ...}}, each with its listings as attributes."""
    by_day: dict[dt.date, list[Listing]] = defaultdict(list)
    for x in listings:
        by_day[_day(x)].append(x)
    events = {}
    for day, rows in sorted(by_day.items()):
        event_uuid = misp_event_uuid(day)
        events[event_uuid] = {
            "Event": {
                "uuid": event_uuid,
                "info": f"phoihop: giá trị được xác minh lừa đảo / verified fraud indicators {day.isoformat()}",
                "date": day.isoformat(),
                "timestamp": str(int(max(r.updated_at for r in rows).timestamp())),
                "publish_timestamp": str(int(max(r.updated_at for r in rows).timestamp())),
                "published": True,
                "analysis": "2",
                "threat_level_id": "2",
                "distribution": "3",
                "Orgc": dict(MISP_ORG),
                "Tag": [{"name": "tlp:green"}],
                "Attribute": [_attribute(r) for r in rows],
            }
        }
    return events


def misp_manifest(events: dict[str, dict], *, since: dt.datetime | None = None) -> dict[str, dict]:
    """manifest.json: what a MISP instance reads first to know which events changed (their timestamps);
    `since` keeps the events changed after it."""
    out = {}
    for event_uuid, wrapped in events.items():
        e = wrapped["Event"]
        if since is not None and int(e["timestamp"]) <= since.timestamp():
            continue
        out[event_uuid] = {
            "info": e["info"],
            "date": e["date"],
            "timestamp": e["timestamp"],
            "analysis": e["analysis"],
            "threat_level_id": e["threat_level_id"],
            "Orgc": e["Orgc"],
            "Tag": e["Tag"],
        }
    return out


def misp_hashes(events: dict[str, dict]) -> str:
    """hashes.csv: the MD5 of each attribute value in force, with its event (MISP's feed overlap look-ups)."""
    lines = []
    for event_uuid, wrapped in events.items():
        for attribute in wrapped["Event"]["Attribute"]:
            if not attribute["deleted"]:
                digest = hashlib.md5(attribute["value"].encode(), usedforsecurity=False).hexdigest()
                lines.append(f"{digest},{event_uuid}")
    return "\n".join(lines) + ("\n" if lines else "")


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
