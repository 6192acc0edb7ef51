"""Requests on the one search page: found by their subject or reference, only by the sender and the recipients."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phoihop.cases.tests.factories import make_cast

from .factories import make_request

pytestmark = pytest.mark.django_db


def _search(client, user, q: str) -> str:
    client.force_login(user)
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_is_found_by_a_word_of_its_subject_and_by_its_reference_by_sender_and_recipient(client):
    cast = make_cast()
    request = make_request(cast.dic_focal, ("st-viettel",), subject="Nhật ký cuộc gọi thuê bao Mobifone")

    for user in (cast.dic_focal, cast.viettel):
        html = _search(client, user, "nhật ký mobifone")
        assert request.reference in html and reverse("exchange:detail", args=[request.reference]) in html
        assert request.reference in _search(client, user, request.reference)
    # Another carrier is neither sender nor recipient: the search shows it nothing.
    assert request.reference not in _search(client, cast.vnpt, "nhật ký mobifone")
