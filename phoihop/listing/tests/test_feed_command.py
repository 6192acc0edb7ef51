"""`phoihop issue-feed-token`: from the operator's side, a key with the feed scope: issued, granted to an existing
key, revoked (the key stays good for the rest of the API), listed; each step audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM
from phoihop.cases.tests.factories import org
from phoihop.directory.services import api_token_issue

pytestmark = pytest.mark.django_db
CSV = "/api/v1/listing/feed/csv/"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("issue_feed_token", *args, stdout=out)
    return out.getvalue()


def csv_status(client, key: str) -> int:
    return client.get(CSV, HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_new_key_with_the_feed_scope_reads_the_feeds_and_says_how(client, cast):
    out = run("--org", "st-viettel", "--name", "Viettel anti-fraud")
    lines = out.splitlines()
    assert lines[0].startswith("API key with the feed scope for st-viettel (Viettel anti-fraud), prefix ")
    key = lines[1]
    assert csv_status(client, key) == 200
    assert "Authorization: Token <key>" in out and CSV in out and "since=" in out
    assert AuditEvent.objects.filter(
        action="listing.feed_grant", actor_label__startswith="cli:issue-feed-token"
    ).exists()
    prefix = lines[0].rsplit(" ", 1)[1].rstrip(":")
    assert prefix in run("--list") and "st-viettel" in run("--list")


def test_grant_and_revoke_the_scope_of_an_existing_key(client, cast):
    token, key = api_token_issue(organisation=org("st-viettel"), name="reports", ctx=SYSTEM)
    assert csv_status(client, key) == 403
    assert "may now read" in run("--grant", token.prefix)
    assert csv_status(client, key) == 200
    assert "may no longer read" in run("--revoke", token.prefix)
    assert csv_status(client, key) == 403
    assert (
        client.get("/api/v1/public/lookup/", {"q": "0912345678"}, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    )
    assert run("--list") == "No key holds the feed scope.\n"


def test_bad_input_is_refused_naming_it(cast):
    with pytest.raises(CommandError, match="no organisation with code 'nope'"):
        run("--org", "nope")
    with pytest.raises(CommandError, match="no API key with prefix 'zzz'"):
        run("--revoke", "zzz")
    with pytest.raises(CommandError):
        run()  # one of --org, --grant, --revoke, --list
