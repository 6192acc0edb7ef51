"""The API's reads answer from rows read by statements built once (issue 9): a look-up costs one statement, the
query is checked as its serializer checks it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.api import authentication
from phoihop.intake.api.serializers import IndicatorLookupQuerySerializer

from .test_api import FRAUD_CALL, client_with, issue_key, send

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/indicators/lookup/"


@pytest.fixture
def viettel():
    return client_with(issue_key("st-viettel")[1])


def test_a_look_up_of_a_number_never_reported_costs_one_statement(settings, viettel):
    settings.PHOIHOP_REFERENCE_CACHE_SECONDS = 60  # the key is kept by the process, as outside tests
    authentication._tokens.invalidate()
    viettel.get(LOOKUP, {"kind": "phone", "value": "0912 000 111"})  # the first call of the minute notes the key's use
    with CaptureQueriesContext(connection) as ctx:
        body = viettel.get(LOOKUP, {"kind": "phone", "value": "0987 000 111"}).json()
    assert body["found"] is False and body["value"] == "+84987000111"
    assert len(ctx) == 1
    authentication._tokens.invalidate()


@pytest.mark.parametrize(
    "value",
    ["  0912 345 678  ", "0912\t345 678", "", "   ", "9" * 500, " " + "9" * 500 + " ", "9" * 501, "09\x0012"],
)
def test_the_query_is_checked_as_its_serializer_checks_it(viettel, value):
    send(viettel, FRAUD_CALL)  # 0912 345 678
    response = viettel.get(LOOKUP, {"kind": "phone", "value": value})
    query = IndicatorLookupQuerySerializer(data={"kind": "phone", "value": value})
    if query.is_valid():
        assert response.status_code == 200
        trimmed = viettel.get(LOOKUP, {"kind": "phone", "value": query.validated_data["value"]}).json()
        assert response.json() == trimmed
    else:
        assert response.status_code == 400
        assert set(response.json()["errors"]) == set(query.errors)
