"""Counting SQL statements per request, for benchmarks: `X-Phoihop-Queries: N` on every response.

Off unless PHOIHOP_QUERY_COUNT_HEADER is set (settings add the middleware then). The count covers every
database connection the request used, through Django's execute_wrapper, so it costs one function call
per statement and nothing when off. bench/http.py reads the header to report statements per request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections

HEADER = "X-Phoihop-Queries"


class QueryCountMiddleware:
    """Adds the number of SQL statements the request ran as a response header."""

    def __init__(self, get_response: Callable[[Any], Any]):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
