"""Shared plumbing of the REST API that every app's views use: who may call, who acts, body limits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission, IsAuthenticated

from phoihop.audit.services import AuditContext
from phoihop.directory.models import ApiToken

from .negotiation import ApiContentNegotiation
from .throttles import TokenRateThrottle


class HasOrganisation(BasePermission):
    """The API is for organisations (Đ2 parties): an account without one has nothing to send or see."""

    message = _("This account does not belong to an organisation.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.organisation_id)


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class OrganisationApiMixin:
    """Token (or session) authentication, an organisation, and the `api` rate per token."""

    permission_classes = [IsAuthenticated, HasOrganisation]
    throttle_classes = [TokenRateThrottle]
    content_negotiation_class = ApiContentNegotiation


# The refusals an operation documents (`extend_schema(responses={**ok, **problems(400, 404)})`); the body of
# each is problem details, put on by phoihop.api.schema. 401 is added there to every operation with security.
_REFUSALS = {
    400: "Invalid input: `errors` names the fields (a filter, a page size, the body).",
    403: "The account has no organisation, or may not do this (the problem's `detail` says why).",
    404: "No such object or page, or not visible to the caller.",
    409: "Not possible in the object's present state (e.g. a move not from this status).",
    413: "The request body is too large.",
    415: "The body is not of a media type the operation takes.",
    429: "Too many requests for this key; `Retry-After` says when to try again.",
}


def problems(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses `codes`, plus 403 and 429 that every organisation operation may answer."""
    return {code: OpenApiResponse(description=_REFUSALS[code]) for code in sorted({*codes, 403, 429})}


def audit_context(request) -> AuditContext:
    """Who acts: the organisation's API account, labelled with the key's name so the log tells keys apart."""
    token = request.auth if isinstance(request.auth, ApiToken) else None
    return AuditContext.from_request(request, label=f"api:{token.name}" if token else None)


def content_length(request) -> int:
    try:
        return int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return 0
