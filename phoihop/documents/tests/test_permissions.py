"""Need-to-know (Đ3.1, Đ17.1): who sees a document in each state; a restricted case's documents follow the case."""

from __future__ import annotations

import pytest

from phoihop.cases.models import CaseMember
from phoihop.cases.tests.factories import open_case, submit_report
from phoihop.core.permissions import can, scope
from phoihop.documents import services
from phoihop.documents.models import Document

from .helpers import ctx, draft, sent

pytestmark = pytest.mark.django_db


def sees(user, doc) -> bool:
    return scope(user, Document, "view").filter(pk=doc.pk).exists()


def test_who_sees_a_draft_and_a_sent_document(people, demo_keys):
    d = draft(people["dic_focal"], recipients=("st-police",))
    assert [n for n in people if sees(people[n], d)] == ["dic_focal", "dic_head", "dic_officer"]
    d = services.document_submit(ctx=ctx(people["dic_focal"]), document=d)
    d = services.document_sign(ctx=ctx(people["dic_head"]), document=d)
    assert not sees(people["police_focal"], d)  # signed but not sent: not yet theirs
    d = services.document_send(ctx=ctx(people["dic_head"]), document=d)
    assert [n for n in people if sees(people[n], d)] == [
        "dic_focal",
        "dic_head",
        "dic_officer",
        "police_focal",
        "police_head",
    ]
    # The per-object check agrees with the scope for everyone.
    assert all(can(people[n], "view", d) == sees(people[n], d) for n in people)
    assert can(people["dic_head"], "sign", d) and not can(people["police_head"], "sign", d)


def test_a_restricted_cases_document_follows_the_case(people, demo_keys):
    case = open_case(people["dic_focal"], submit_report(), participants=["st-police"], access_level="restricted")
    CaseMember.objects.get_or_create(case=case, user=people["dic_focal"])
    d = sent(people["dic_focal"], people["dic_head"], recipients=("st-police", "st-viettel"), case=case)
    seen = [n for n in people if sees(people[n], d)]
    # The head of a taking-part organisation and the people named see a restricted case; the carrier, a recipient,
    # and the police focal point (not named) do not.
    assert seen == ["dic_focal", "dic_head", "police_head"]
    assert all(can(people[n], "view", d) == (n in seen) for n in people)
