"""Request body parsers of the API: JSON that cannot exhaust the server."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # a report is three levels deep; anything far deeper is an attack or a mistake


def _too_deep(data: Any, limit: int) -> bool:
    """Is `data` nested deeper than `limit`? (Iterative: a deep value cannot exhaust the stack here.)"""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing with a 400 a body nested deeper than MAX_DEPTH (or than Python can parse)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(stream.read().decode(encoding), parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply.")) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        if _too_deep(data, MAX_DEPTH):
            raise ParseError(_("The JSON is nested too deeply (at most %(n)d levels).") % {"n": MAX_DEPTH})
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
