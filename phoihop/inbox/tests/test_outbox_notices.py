"""The outbox and the bell: every e-mail queued for a person is also an in-app notice (issue 13).

Here rather than in the notices app, which sits below the inbox and never imports it."""

from __future__ import annotations

import pytest
from django.db import transaction

from phoihop.inbox.outbox import Outgoing, outbox_write
from phoihop.notices.models import Notice
from phoihop.notices.services import NoticeDraft, mail_link, notices_send, site_path

pytestmark = pytest.mark.django_db

BODY = (
    "Sở Công Thương sent your organisation a request (Đ5.6).\n"
    "\n"
    "Reference: YC-2026-0001\n"
    "Due: 12/12/2026\n"
    "http://127.0.0.1:8000/requests/YC-2026-0001/\n"
)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


def mail(key: str, recipients: list[str], **extra) -> Outgoing:
    return Outgoing(key, "request_new", recipients, "New request YC-2026-0001", BODY, **extra)


def test_every_person_an_email_goes_to_gets_a_notice_with_its_link(alice, bob, make_person):
    carol = make_person("carol", active=False)
    outbox_write([mail("req:1", ["ALICE@phoihop.example.vn", bob.email, carol.email, "office@dic.example.vn"])])
    notices = {n.user_id: n for n in Notice.objects.all()}
    assert set(notices) == {alice.pk, bob.pk}  # not the inactive person, nothing for an organisation's address
    n = notices[alice.pk]
    assert n.title == "New request YC-2026-0001"
    assert n.link == "/requests/YC-2026-0001/"
    assert n.kind == "request_new" and n.article == "Đ5.6" and n.key == "req:1"
    assert n.text.startswith("Sở Công Thương sent your organisation a request") and "http" not in n.text
    assert n.read_at is None


def test_a_notice_is_written_in_the_transaction_of_the_e_mail(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_write([mail("req:2", [alice.email])])
        assert Notice.objects.filter(user=alice).count() == 1
        raise RuntimeError("the business change failed")
    assert not Notice.objects.exists()


def test_a_retried_write_adds_no_second_notice(alice):
    outbox_write([mail("req:3", [alice.email])])
    outbox_write([mail("req:3", [alice.email, alice.email.upper()])])
    notices_send(user_ids=[alice.pk], draft=NoticeDraft(key="req:3", title="again"))
    assert Notice.objects.filter(user=alice).count() == 1


def test_the_message_link_wins_and_a_link_elsewhere_is_never_kept(alice, bob):
    outbox_write([mail("req:4", [alice.email], link="/cases/7/")])
    assert Notice.objects.get(user=alice).link == "/cases/7/"
    outbox_write([Outgoing("x:1", "other", [bob.email], "Subject", "See https://evil.example/requests/1/ now")])
    assert Notice.objects.get(user=bob).link == ""
    assert site_path("//evil.example/") == site_path("https://evil.example/a") == site_path("/a b") == ""
    assert mail_link("x http://127.0.0.1:8000/cases/3/, y") == "/cases/3/"
