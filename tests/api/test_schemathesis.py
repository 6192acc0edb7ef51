"""The OpenAPI schema tells the truth: schemathesis sends generated requests to every operation, in process
through the WSGI app, with the API key of an enterprise and of an agency (and with no key, and a wrong one),
input that fits the schema and input that does not, and checks each answer against the schema
(/api/v1/schema/): no 5xx, every status code documented, its content type documented, its body of
the documented shape (required fields, nullability, problem details for the errors).

The examples are derandomized and bounded per operation, so a run is repeatable and takes about a minute on two cores.
A path naming an object is tried with the generated value and again with a real one (a case, a report), so
the answers about existing objects (200, 403, 409) are checked too, not only the 404s.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import settings as settings_
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from phoihop.audit.services import SYSTEM
from phoihop.cases.tests.factories import make_cast, open_case, submit_report
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.directory.services import api_token_issue

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 20

# Answers of phoihop/intake/api that do not match the schema yet (that API is being reworked):
# {(operation, status code): (checks not run on that answer, why)}. Each is a known mismatch to fix there,
# not behaviour to keep; every other check still runs on these answers, and every check on all others.

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@contextmanager
def _connections_kept():
    """The test database lives in the test's transaction: the WSGI handler must not close the connection
    at the end of a request (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db):
    """A case led by DIC with a report from Viettel; an API key of each of them."""
    cast = make_cast()
    report = submit_report()
    case = open_case(cast.dic_focal, report)
    keys = {}
    for code in ("st-viettel", "st-dic"):
        token, key = api_token_issue(organisation=Organisation.objects.get(code=code), name="schemathesis", ctx=SYSTEM)
        keys[code] = key
    # DIC's key acts as its focal point (Đ3.3), so a move can succeed (200), be refused for the case's state
    # (409) or lack its input (400), not only be refused to the caller (403).
    User.objects.filter(pk=token.user_id).update(role=Role.FOCAL_POINT)
    keys["anonymous"] = None
    keys["wrong-key"] = "00000000.not-a-key"
    return {"keys": keys, "references": {"/cases/": case.reference, "/reports/": report.reference}}


def _with_real_object(case, references: dict[str, str]):
    """The same request naming an object that exists, or None if the path names none."""
    if not case.path_parameters or "reference" not in case.path_parameters:
        return None
    for prefix, reference in references.items():
        if prefix in case.operation.path:
            real = case.operation.Case(
                method=case.method,
                path_parameters={**case.path_parameters, "reference": reference},
                query=case.query,
                headers=case.headers,
                body=case.body,
                media_type=case.media_type,
            )
            return real
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("caller", ["st-viettel", "st-dic", "anonymous", "wrong-key"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_its_schema_says(operation, caller, mode, world, settings_throttle_off):
    """`caller`: an enterprise's key, an agency's key, no key, a key that does not exist (the last two: 401).
    `mode`: input that fits the schema, or input that does not (which must be a documented 4xx, not a 5xx)."""
    app = get_wsgi_application()
    key = world["keys"][caller]
    headers = {"Authorization": f"Token {key}"} if key else {}

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        for one in filter(None, (case, _with_real_object(case, world["references"]))):
            response = one.call(app=app, headers=headers)
            one.validate_response(response, checks=CHECKS, headers=headers)

    with _connections_kept():
        try:
            check()
        except Unsatisfiable:  # only free-form strings (a path's reference): any value is a valid one
            assert mode == GenerationMode.NEGATIVE
            pytest.skip("the operation takes no input that can be invalid")


@pytest.fixture
def settings_throttle_off(settings):
    """The generated calls are many more than a key's hourly budget."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "100000/hour"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_refusals_of_the_protocol_are_documented(operation, world, settings_throttle_off):
    """An Accept header no renderer satisfies (406), a body of a media type no parser reads (415 once the view
    reads it): answered with problem details and documented on the operation; another method on the same path
    is a 405 problem."""
    app = get_wsgi_application()
    headers = {"Authorization": f"Token {world['keys']['st-dic']}"}
    seen: list[int] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=1, derandomize=True, database=None, deadline=None, phases=[Phase.generate])
    def check(case):
        case = _with_real_object(case, world["references"]) or case
        refusals = [({**headers, "Accept": "application/xml"}, case)]
        if operation.body:
            text = operation.Case(
                method=case.method,
                path_parameters=case.path_parameters,
                query=case.query,
                body="plain text",
                media_type="text/plain",
            )
            refusals.append((headers, text))
        for sent, one in refusals:
            response = one.call(app=app, headers=sent)
            seen.append(response.status_code)
            one.validate_response(response, checks=CHECKS, headers=sent)
        other = "DELETE" if case.method.upper() != "DELETE" else "PUT"
        wrong = operation.Case(method=other, path_parameters=case.path_parameters)
        response = wrong.call(app=app, headers=headers)
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        assert (response.status_code, content_type) == (405, [PROBLEM]), response.text

    with _connections_kept():
        check()
    # A body is read only once the request got that far (a move first finds the case and asks who may make it).
    assert seen[0] == 406 and all(400 <= code < 500 for code in seen[1:])


PROBLEM = "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_a_key_over_its_rate_gets_the_documented_429(operation, world, settings):
    """Every operation counts against the key's `api` rate; the call over it is a documented 429 problem."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "1/hour"},
    }
    app = get_wsgi_application()
    headers = {"Authorization": f"Token {world['keys']['st-dic']}"}
    codes: list[int] = []

    @given(case=operation.as_strategy())
    @settings_(max_examples=1, derandomize=True, database=None, deadline=None, phases=[Phase.generate])
    def check(case):
        for _ in range(2):
            response = case.call(app=app, headers=headers)
            codes.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    with _connections_kept():
        check()
    assert codes[-1] == 429


@pytest.mark.django_db
def test_the_schema_served_is_the_one_tested(world):
    """/api/v1/schema/ (what clients read) has the operations and answers this module checks."""
    client = Client(HTTP_AUTHORIZATION=f"Token {world['keys']['st-viettel']}")
    served = client.get("/api/v1/schema/", {"format": "json"}).json()
    tested = SCHEMA.raw_schema

    def shape(schema):
        return {
            (method, url): sorted(operation["responses"])
            for url, path in schema["paths"].items()
            for method, operation in path.items()
        }

    assert shape(served) == shape(tested) and sorted(served["components"]["schemas"]) == sorted(
        tested["components"]["schemas"]
    )
