"""Official documents on the one search page: by number and symbol or a word of the summary, in scope only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import draft, sent

pytestmark = pytest.mark.django_db


def _search(client, user, q: str) -> str:
    client.force_login(user)
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_sent_document_is_found_by_its_number_and_summary_by_issuer_and_recipient_only(client, people, demo_keys):
    doc = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",), summary="Xác minh trang web giả mạo")
    url = reverse("documents:detail", args=[doc.pk])

    for user in (people["dic_focal"], people["police_focal"]):
        assert url in _search(client, user, "trang web giả mạo")
        assert url in _search(client, user, doc.reference)
    assert url not in _search(client, people["vnpt"], "trang web giả mạo")
    # A draft is the drafting organisation's only.
    other = draft(people["dic_focal"], recipients=("st-police",), summary="Dự thảo công văn về kho số")
    assert reverse("documents:detail", args=[other.pk]) not in _search(client, people["police_focal"], "kho số")
