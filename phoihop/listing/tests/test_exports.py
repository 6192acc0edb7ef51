"""Sharing verified indicators (never reports): CSV, a STIX 2.1 bundle that stix2-validator accepts, a MISP
feed; behind a key with the feed scope; incremental by `since`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from stix2validator import ValidationOptions, validate_string

from phoihop.audit.services import SYSTEM
from phoihop.cases.tests.factories import ctx, org, submit_report
from phoihop.directory.services import api_token_issue

from ..services import listing_move
from ..services.feeds import feed_revoke, feed_token_issue
from .helpers import listed

pytestmark = pytest.mark.django_db
FEED = "/api/v1/listing/feed/"


@pytest.fixture
def key(db):
    return feed_token_issue(organisation=org("st-viettel"), name="Viettel anti-fraud", ctx=SYSTEM)


def get(client, path, key, **params):
    _token, secret = key
    return client.get(FEED + path, params, HTTP_AUTHORIZATION=f"Token {secret}")


@pytest.fixture
def world(cast):
    listing = listed(cast)
    submit_report(phone="0977 111 222")  # reported, never listed: never shared
    return listing


def test_csv_has_the_listed_values_only(client, key, world):
    response = get(client, "csv/", key)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["kind"], r["value"], r["category"], r["status"]) for r in rows] == [
        ("phone", "+84912345678", "scam-call", "listed")
    ]
    assert "+84977111222" not in response.content.decode()


def test_the_stix_bundle_validates(client, key, world):
    response = get(client, "stix/", key)
    assert response.status_code == 200
    result = validate_string(response.content.decode(), ValidationOptions(strict=False))
    assert result.is_valid, [str(e) for e in result.errors]
    bundle = json.loads(response.content)
    indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
    assert len(indicators) == 1
    ind = indicators[0]
    assert ind["pattern"] == "[x-phone-number:value = '+84912345678']"
    assert ind["labels"] == ["scam-call", "phone"] and ind["valid_until"] > ind["valid_from"]
    assert not ind.get("revoked")


def test_misp_feed_manifest_event_and_hashes(client, key, world):
    manifest = get(client, "misp/manifest.json", key).json()
    assert len(manifest) == 1
    ((event_uuid, entry),) = manifest.items()
    assert entry["Orgc"]["name"] and entry["timestamp"].isdigit()
    event = get(client, f"misp/{event_uuid}.json", key).json()["Event"]
    assert event["uuid"] == event_uuid
    assert [(a["type"], a["value"], a["to_ids"]) for a in event["Attribute"]] == [
        ("phone-number", "+84912345678", True)
    ]
    hashes = get(client, "misp/hashes.csv", key).content.decode().split()
    assert len(hashes) == 1 and hashes[0].endswith(f",{event_uuid}")
    assert get(client, "misp/00000000-0000-4000-8000-000000000000.json", key).status_code == 404


def test_since_gives_what_changed_including_the_ended(client, key, cast, world):
    before = timezone.now() - dt.timedelta(seconds=1)
    later = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
    assert get(client, "csv/", key, since=later).content.decode().count("\n") == 1  # the header only
    listing_move(listing=world, move="delist", ctx=ctx(cast.dic_hub), note="Chủ mới.")
    rows = list(csv.DictReader(io.StringIO(get(client, "csv/", key, since=before.isoformat()).content.decode())))
    assert [r["status"] for r in rows] == ["delisted"]
    assert get(client, "csv/", key).content.decode().count("\n") == 1  # a full export: nothing in force
    bundle = json.loads(get(client, "stix/", key, since=before.isoformat()).content)
    assert [o.get("revoked") for o in bundle["objects"] if o["type"] == "indicator"] == [True]
    event = next(iter(get(client, "misp/manifest.json", key).json()))
    attribute = get(client, f"misp/{event}.json", key).json()["Event"]["Attribute"][0]
    assert attribute["deleted"] is True and attribute["to_ids"] is False
    assert get(client, "csv/", key, since="not a date").status_code == 400
    assert "since" in get(client, "csv/", key, since="0001-01-01T00:00:00Z").json()["errors"]


def test_a_key_without_the_feed_scope_reads_no_feed(client, world):
    _token, secret = api_token_issue(organisation=org("st-viettel"), name="reports", ctx=SYSTEM)
    response = client.get(FEED + "csv/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    assert client.get(FEED + "stix/").status_code == 401


def test_a_revoked_scope_stops_the_feed(client, key, world):
    assert get(client, "csv/", key).status_code == 200
    feed_revoke(token=key[0], ctx=SYSTEM)
    assert get(client, "csv/", key).status_code == 403
