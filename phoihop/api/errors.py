"""One error shape for every refused input: `{"errors": {"field": ["message", ...]}}`.

DRF's validation errors, the services' Invalid errors and the other domain errors all come out alike, so a
client handles a 400 from the serializer and a 400 from the service with the same code. Nested
serializer errors are flattened to dotted names (`indicators.0.kind`), the names the services use.
Everything else (401, 403, 404, 405, 415, 429...) is DRF's own `{"detail": "..."}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from phoihop.core.errors import DomainError, Invalid


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


def errors_response(errors: dict[str, list[str]], status_code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": errors}, status=status_code)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: see the module docstring."""
    if isinstance(exc, Invalid):
        response = errors_response({k or api_settings.NON_FIELD_ERRORS_KEY: v for k, v in exc.errors.items()})
    elif isinstance(exc, DomainError):
        field = exc.field or api_settings.NON_FIELD_ERRORS_KEY
        response = errors_response({field: [str(exc.message)]}, exc.status_code)
    elif isinstance(exc, exceptions.ValidationError):
        response = errors_response(flatten(exc.detail))
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        response = errors_response(flatten(detail))
    elif isinstance(exc, exceptions.ParseError):
        # A malformed body is a 400 like the others, so it gets the same shape.
        response = errors_response({api_settings.NON_FIELD_ERRORS_KEY: [str(exc.detail)]})
    else:
        return drf_exception_handler(exc, context)
    set_rollback()
    return response
