"""Every refusal of the API as RFC 9457 problem details (`application/problem+json`), mapped in one place.

    {"type": "urn:phoihop:problem:invalid", "title": "Invalid input", "status": 400,
     "detail": "description: This field is required.", "code": "invalid",
     "errors": {"description": ["This field is required."], "indicators.0.kind": ["..."]}}

- `type` names the kind of problem: `urn:phoihop:problem:<kind>` for the refusals of phoihop itself
  (invalid, not-allowed, conflict, unavailable, refused), `about:blank` for plain HTTP ones (401, 404,
  405, 406, 413, 415, 429), whose `title` is then the HTTP status phrase.
- `errors` (messages by field) comes with every domain error and every validation error, whether DRF's
  serializer or a service refused the input, so a client handles both alike. Nested serializer errors
  are flattened to dotted names (`indicators.0.kind`), the names the services use; an error about no
  field in particular is under `non_field_errors`.
- `code` is the machine-readable reason (DRF's error code or the domain error's `code`).
- Headers stay: `Retry-After` on 429, `WWW-Authenticate` on 401.

Errors not listed (a bug: 500) are left to Django, which logs them.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed, Unavailable

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE = "urn:phoihop:problem:"
BLANK = "about:blank"

# Kind of problem -> title, for the refusals of phoihop itself.
TITLES = {
    "invalid": _("Invalid input"),
    "not-allowed": _("Not allowed"),
    "conflict": _("Conflict"),
    "unavailable": _("Service unavailable"),
    "refused": _("Request refused"),
}


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {dotted field name: [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            for name, messages in flatten(value, f"{prefix}.{key}" if prefix else str(key)).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(item) for item in detail]
        else:  # a list serializer: one entry per item, empty for the items that were fine
            for i, item in enumerate(detail):
                if item:
                    for name, messages in flatten(item, f"{prefix}.{i}" if prefix else str(i)).items():
                        out.setdefault(name, []).extend(messages)
    else:
        out[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(detail)]
    return out


def _summary(errors: dict[str, list[str]]) -> str:
    """The field messages in one line, for `detail`."""
    nfe = api_settings.NON_FIELD_ERRORS_KEY
    return "; ".join(f"{k}: {' '.join(v)}" if k != nfe else " ".join(v) for k, v in errors.items())


def problem(
    status_code: int,
    *,
    kind: str | None = None,
    detail: Any = "",
    code: str = "",
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem-details response; `kind` None means a plain HTTP problem (`about:blank`)."""
    if kind is None:
        body: dict[str, Any] = {"type": BLANK, "title": HTTPStatus(status_code).phrase}
    else:
        body = {"type": PROBLEM_TYPE + kind, "title": str(TITLES[kind])}
    body["status"] = status_code
    body["detail"] = str(detail) or (_summary(errors) if errors else body["title"])
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers)


def validation_problem(errors: dict[str, list[str]], *, code: str = "invalid", detail: Any = "") -> Response:
    return problem(status.HTTP_400_BAD_REQUEST, kind="invalid", errors=errors, code=code, detail=detail)


def _domain(exc: DomainError) -> Response:
    nfe = api_settings.NON_FIELD_ERRORS_KEY
    errors = {k or nfe: v for k, v in exc.errors.items()}
    if isinstance(exc, Invalid):
        return validation_problem(errors, code=exc.code)
    kind = (
        "not-allowed"
        if isinstance(exc, NotAllowed)
        else "conflict"
        if isinstance(exc, Conflict)
        else "unavailable"
        if isinstance(exc, Unavailable)
        else "refused"
    )
    return problem(exc.status_code, kind=kind, detail=exc.message, code=exc.code, errors=errors)


def _http(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else ""
    return problem(exc.status_code, detail=exc.detail, code=code, headers=headers)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: see the module docstring."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    if isinstance(exc, DomainError):
        response = _domain(exc)
    elif isinstance(exc, exceptions.ValidationError):
        response = validation_problem(flatten(exc.detail))
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        response = validation_problem(flatten(detail))
    elif isinstance(exc, exceptions.ParseError):
        # A malformed body is a 400 like the others, so it gets the same `errors` member.
        response = validation_problem({api_settings.NON_FIELD_ERRORS_KEY: [str(exc.detail)]}, code="parse_error")
    elif isinstance(exc, exceptions.APIException):
        response = _http(exc)
    else:
        return None
    set_rollback()
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", "json") == "json":
        response.content_type = PROBLEM_CONTENT_TYPE
    return response


# --- The shapes, for the OpenAPI schema (phoihop.api.schema puts them on every error response) ----------


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details: 401, 403, 404, 405, 409, 413, 415, 429, 503."""

    type = serializers.CharField(help_text="`urn:phoihop:problem:<kind>`, or `about:blank` for plain HTTP errors.")
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request, for a person.")
    code = serializers.CharField(required=False, help_text="Machine-readable reason, e.g. `throttled`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field (dotted names for nested fields), when the problem concerns fields.",
    )


class ValidationProblemSerializer(ProblemSerializer):
    """400: problem details with the messages by field; nested fields are dotted (`indicators.0.kind`)."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field; `non_field_errors` for the request as a whole.",
    )
