"""The reporting API: the periods and where the parties stand, through the same scope as the pages."""

from __future__ import annotations

import pytest

from phoihop.directory.services import api_token_issue

from .conftest import ctx

pytestmark = pytest.mark.django_db


def _key(people, code):
    from phoihop.cases.tests.factories import org

    return api_token_issue(organisation=org(code), name="test", ctx=ctx(people["dic_focal"]))[1]


def test_the_dic_sees_every_party_and_a_party_its_own(client, period, people):
    dic = client.get("/api/v1/reporting/periods/", HTTP_AUTHORIZATION=f"Token {_key(people, 'st-dic')}")
    assert dic.status_code == 200
    [row] = [p for p in dic.json() if p["code"] == period.code]
    assert row["counts"]["due"] == period.obligations.count() and len(row["obligations"]) == row["counts"]["due"]
    pc = client.get(
        f"/api/v1/reporting/periods/{period.code}/", HTTP_AUTHORIZATION=f"Token {_key(people, 'st-pc-vinh-chau')}"
    )
    assert pc.status_code == 200
    assert [o["organisation"] for o in pc.json()["obligations"]] == ["st-pc-vinh-chau"]
    missing = client.get("/api/v1/reporting/periods/1999-H1/", HTTP_AUTHORIZATION=f"Token {_key(people, 'st-dic')}")
    assert missing.status_code == 404
    assert client.get("/api/v1/reporting/periods/").status_code == 401
