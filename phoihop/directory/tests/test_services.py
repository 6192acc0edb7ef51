"""API keys: issued to an organisation, acting through one API account, kept only as a hash."""

from __future__ import annotations

import hashlib

import pytest

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.directory.choices import Role
from phoihop.directory.models import ApiToken, User
from phoihop.directory.services import api_token_issue

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx() -> AuditContext:
    return AuditContext(actor=UserFactory.of("st-dic", Role.SYSADMIN), ip_address="192.0.2.10")


def test_issuing_a_key_creates_the_organisations_api_account_and_keeps_only_a_hash(ctx):
    carrier = OrganisationFactory(code="test-carrier", enterprise=True)

    token, key = api_token_issue(organisation=carrier, name="  Hệ thống báo cáo  ", ctx=ctx)

    account = User.objects.get(username="api@test-carrier")
    assert token.user == account and token.organisation == carrier
    assert account.organisation == carrier and account.role == Role.ENTERPRISE_REPORTER
    assert not account.has_usable_password()
    assert token.name == "Hệ thống báo cáo"
    prefix, _, secret = key.partition(".")
    assert token.prefix == prefix and len(secret) >= 32
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(secret in str(value) for value in stored.values())


def test_a_second_key_reuses_the_account_and_differs(ctx):
    agency = OrganisationFactory(code="test-agency")
    first, first_key = api_token_issue(organisation=agency, name="", ctx=ctx)
    second, second_key = api_token_issue(organisation=agency, name="Backup", ctx=ctx)

    assert first.user == second.user and first.user.role == Role.OFFICER
    assert User.objects.filter(username="api@test-agency").count() == 1
    assert first.name == "API"
    assert first_key != second_key and first.prefix != second.prefix


def test_issuing_a_key_is_audited_without_the_key(ctx):
    agency = OrganisationFactory(code="test-agency")
    token, key = api_token_issue(organisation=agency, name="Portal", ctx=ctx)

    event = AuditEvent.objects.get(action="api_token.issue", object_id=str(token.pk))
    assert event.actor == ctx.actor and event.ip_address == "192.0.2.10"
    assert "test-agency" in event.summary
    assert key not in event.summary and key.partition(".")[2] not in str(event.data)
