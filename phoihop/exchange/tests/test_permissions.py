"""Need-to-know (Đ3.1, Đ17.1): only the sender and the recipients see a request, a recipient only its own
handling, and a request about a restricted case only those who may see the case."""

from __future__ import annotations

import pytest

from phoihop.cases.models import CaseMember
from phoihop.cases.tests.factories import make_cast, open_case, submit_report
from phoihop.core.permissions import can, scope
from phoihop.exchange.models import Request
from phoihop.exchange.permissions import attachments_for, recipients_for

from .factories import make_request, move, pdf_file, recipient, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def seen_by(user) -> set[str]:
    return set(scope(user, Request).values_list("reference", flat=True))


def test_only_the_sender_and_the_recipients_see_a_request(cast):
    req = make_request(cast.dic_focal, ["st-viettel"])
    draft = make_request(cast.dic_focal, ["st-viettel"], send=False)
    assert {req.reference, draft.reference} <= seen_by(cast.dic_head)  # the sender's people
    assert req.reference in seen_by(cast.viettel) and draft.reference not in seen_by(cast.viettel)
    for outsider in ("vnpt", "doit_focal", "police_focal", "outsider", "sysadmin"):
        assert req.reference not in seen_by(cast[outsider]), outsider
        assert not can(cast[outsider], "view", req)


def test_a_recipient_sees_its_own_handling_and_files_not_another_recipients(cast):
    req = make_request(cast.dic_focal, ["st-viettel", "st-vnpt"], files=[pdf_file()])
    move(
        move(recipient(req, "st-viettel"), "receive", cast.viettel),
        "answer",
        cast.viettel,
        text="A",
        files=[text_file("a.txt")],
    )
    move(
        move(recipient(req, "st-vnpt"), "receive", cast.vnpt),
        "answer",
        cast.vnpt,
        text="B",
        files=[text_file("b.txt", b"vnpt data\n")],
    )
    assert set(recipients_for(cast.viettel, req).values_list("organisation__code", flat=True)) == {"st-viettel"}
    assert set(recipients_for(cast.dic_focal, req).values_list("organisation__code", flat=True)) == {
        "st-viettel",
        "st-vnpt",
    }
    assert set(attachments_for(cast.viettel, req).values_list("original_name", flat=True)) == {
        "subscriber.pdf",
        "a.txt",
    }
    assert set(attachments_for(cast.dic_focal, req).values_list("original_name", flat=True)) == {
        "subscriber.pdf",
        "a.txt",
        "b.txt",
    }


def test_a_request_about_a_restricted_case_follows_the_cases_access(cast):
    case = open_case(cast.dic_focal, submit_report(), access_level="restricted")
    CaseMember.objects.get_or_create(case=case, user=cast.viettel)
    req = make_request(cast.dic_focal, ["st-viettel", "st-vnpt"], case=case)
    assert req.reference in seen_by(cast.dic_focal)  # named on the case
    assert req.reference in seen_by(cast.viettel)  # named on the case too
    assert req.reference not in seen_by(cast.dic_hub)  # the sender's organisation, but not named on the case
    assert req.reference not in seen_by(cast.vnpt)  # a recipient, but not named on the case
    assert req.reference in seen_by(cast.dic_head)  # the head of a taking-part organisation


def test_a_request_about_a_report_of_a_restricted_case_is_hidden_too(cast):
    report = submit_report()
    open_case(cast.dic_focal, report, access_level="restricted")
    req = make_request(cast.dic_focal, ["st-viettel"], report=report)
    assert req.reference not in seen_by(cast.viettel)
    assert req.reference in seen_by(cast.dic_focal)
