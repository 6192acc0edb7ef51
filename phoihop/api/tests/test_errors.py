"""One error mapping for the API: every refusal is RFC 9457 problem details."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed, Unavailable


def answer(exc: Exception, **headers):
    """What the API sends when a view raises `exc`."""

    class View(APIView):
        permission_classes = [AllowAny]

        def get(self, request):
            raise exc

    response = View.as_view()(APIRequestFactory().get("/api/v1/x/", **headers))
    response.render()
    return response


class _Nested(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["phone"])


class _Body(serializers.Serializer):
    description = serializers.CharField()
    indicators = _Nested(many=True)


@pytest.mark.parametrize(
    ("exc", "status", "kind"),
    [
        (Invalid({"description": ["Too short."]}), 400, "urn:phoihop:problem:invalid"),
        (NotAllowed("Only the lead hub may verify."), 403, "urn:phoihop:problem:not-allowed"),
        (Conflict("The case is closed.", code="closed"), 409, "urn:phoihop:problem:conflict"),
        (Unavailable("The evidence store is full."), 503, "urn:phoihop:problem:unavailable"),
        (DomainError("No."), 400, "urn:phoihop:problem:refused"),
    ],
)
def test_domain_errors_are_problem_details_with_their_status(exc, status, kind):
    response = answer(exc)
    body = response.data
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert body["type"] == kind and body["status"] == status and body["title"]
    assert body["detail"] and body["code"] == exc.code
    assert all(messages for messages in body["errors"].values())


def test_a_domain_error_about_a_field_names_it():
    body = answer(Conflict("The key was used for another file.", field="Idempotency-Key")).data
    assert body["errors"] == {"Idempotency-Key": ["The key was used for another file."]}
    assert body["detail"] == "The key was used for another file."


def test_a_serializer_refusal_keeps_the_dotted_field_names():
    data = _Body(data={"indicators": [{"kind": "phone"}, {"kind": "pigeon"}]})
    assert not data.is_valid()
    body = answer(exceptions.ValidationError(data.errors)).data
    assert body["type"] == "urn:phoihop:problem:invalid" and body["status"] == 400
    assert set(body["errors"]) == {"description", "indicators.1.kind"}
    assert "description" in body["detail"] and "indicators.1.kind" in body["detail"]


def test_a_django_validation_error_is_a_400_with_its_fields():
    body = answer(DjangoValidationError({"area": ["Unknown area."]})).data
    assert body["status"] == 400 and body["errors"] == {"area": ["Unknown area."]}


@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (Http404("No such report."), 404, "Not Found"),
        (PermissionDenied("Not yours."), 403, "Forbidden"),
        (exceptions.NotAuthenticated(), 401, "Unauthorized"),
        (exceptions.MethodNotAllowed("PUT"), 405, "Method Not Allowed"),
        (exceptions.UnsupportedMediaType("text/plain"), 415, "Unsupported Media Type"),
    ],
)
def test_http_errors_are_plain_problems(exc, status, title):
    response = answer(exc)
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert response.data["type"] == "about:blank" and response.data["title"] == title
    assert response.data["status"] == status and response.data["detail"]
    assert "errors" not in response.data


def test_throttling_is_429_with_retry_after():
    response = answer(exceptions.Throttled(wait=42))
    assert response.status_code == 429 and response["Retry-After"] == "42"
    assert response.data["code"] == "throttled" and "42" in response.data["detail"]


def test_a_browser_on_the_browsable_api_gets_html_not_a_problem_content_type():
    response = answer(NotAllowed("No."), HTTP_ACCEPT="text/html")
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_a_bug_is_left_to_django():
    with pytest.raises(ZeroDivisionError):
        answer(ZeroDivisionError())
