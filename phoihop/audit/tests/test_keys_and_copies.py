"""The chain is keyed with a secret outside the database and survives a faithful copy of the database."""

import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from phoihop.audit.keys import ENV_NAME, _load, audit_key
from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext, PendingEvent, audit_record_many, audit_verify

from .tamper import empty_log

pytestmark = pytest.mark.django_db


def test_without_the_environment_the_key_is_created_once_in_var_and_kept_private(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_NAME, raising=False)
    settings.VAR_DIR = tmp_path
    key = audit_key()
    path = tmp_path / "audit_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) >= 32
    _load.cache_clear()
    assert audit_key() == key and path.read_bytes().strip() == key  # read back, not made again
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".audit_key")]  # no spare left behind


def test_the_environment_key_wins_over_the_file(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv(ENV_NAME, "k" * 40)
    assert audit_key() == b"k" * 40 and not (tmp_path / "audit_key").exists()


def test_a_chain_checked_with_another_key_fails_at_the_first_event(monkeypatch):
    empty_log()
    monkeypatch.setenv(ENV_NAME, "the-right-key-" + "r" * 30)
    audit_record_many(ctx=AuditContext(label="t"), events=[PendingEvent("test.event", "t", str(i)) for i in range(3)])
    assert audit_verify().ok
    monkeypatch.setenv(ENV_NAME, "another-key-" + "w" * 30)
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 1


def test_dumpdata_then_loaddata_into_an_emptied_log_still_verifies(tmp_path):
    user = get_user_model().objects.create_user(username="copy-check", password="x")
    ctx = AuditContext(actor=user, ip_address="2001:DB8:0:0:0:0:0:0001")
    events = [
        PendingEvent("test.event", "test", "1", "Báo cáo lừa đảo", {"z": 1, "a": {"y": [1.5, 1e20, "đ"]}}),
        PendingEvent("test.event", "test", "2", "second", {"when": "2026-11-30", "n": None, "ok": True}),
    ]
    audit_record_many(ctx=ctx, events=events)
    audit_record_many(ctx=AuditContext(label="system", ip_address="192.0.2.7"), events=[PendingEvent("test.other")])
    before = list(AuditEvent.objects.values_list("seq", "hash"))
    dump = tmp_path / "audit.json"
    call_command("dumpdata", "audit", output=str(dump))

    empty_log()  # as in a fresh database
    call_command("loaddata", str(dump))

    assert list(AuditEvent.objects.values_list("seq", "hash")) == before
    report = audit_verify()
    assert report.ok and report.checked == len(before) >= 3, report.problem
    call_command("audit_verify")
