"""Reads whose SQL is built once: the API's frequent reads (one report, a page's rows, an indicator look-up).

Django builds a statement's SQL anew for every queryset evaluated; on the API's reads that compiling (joins,
column lists, converters) cost more CPU than running the statements (issue 9: ~40 % of a read). A
`PreparedRead` wraps a `values_list` queryset written as a function of its parameters: the first call on a
database connection builds it with placeholder values, compiles it and remembers the SQL, where each
parameter goes and the column converters (a date-time read from SQLite, say); each later call runs that SQL
with the new values through the connection's cursor (so query counting, logging and the outage middleware
see it as any other statement) and converts the rows as `values_list` would.

Parameters are plain strings or integers, or a list of integers (an `__in` filter: the SQL is kept per list
length). Kept per connection object: Django gives each thread its own, and the converters are bound to it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable

Param = str | int | Sequence[int]
_INT_BASE = -(2**62)  # placeholder integers: no real key or count is near this
_MAX_SHAPES = 64  # list lengths kept per read and connection (a page of 1 to 200 rows)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, int | None], ...]  # (position in params, which argument, index in a list)
    compiler: Any
    converters: dict


def _placeholder(arg: int, value: Param, index: int | None = None) -> str | int:
    n = 1000 * arg + (index or 0)
    return f"\x00prepared-{n}\x00" if isinstance(value, str) else _INT_BASE + n


class PreparedRead:
    """A values_list read, `build(*params)`, compiled once per connection and parameter shape."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._by_connection: weakref.WeakKeyDictionary[Any, dict[tuple, _Compiled]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def rows(self, *params: Param, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The rows of `build(*params)`, as `list(build(*params))` would give them."""
        if any(not isinstance(p, str | int) and len(p) == 0 for p in params):
            return []  # `__in` an empty list matches nothing (Django does not run such a query either)
        connection = connections[using]
        shape = tuple(type(p).__name__ if isinstance(p, str | int) else len(p) for p in params)
        compiled = self._by_connection.get(connection, {}).get(shape)
        if compiled is None:
            compiled = self._compile(connection, using, params, shape)
        sql_params = list(compiled.params)
        for position, arg, index in compiled.slots:
            value = params[arg]
            sql_params[position] = value if index is None else value[index]  # type: ignore[index]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, sql_params)
            rows = cursor.fetchall()
        if compiled.converters:
            return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
        return [tuple(row) for row in rows]

    def _compile(self, connection, using: str, params: Sequence[Param], shape: tuple) -> _Compiled:
        placeholders: list[Any] = []
        where: dict[Any, tuple[int, int | None]] = {}
        for arg, value in enumerate(params):
            if isinstance(value, str | int):
                placeholders.append(_placeholder(arg, value))
                where[placeholders[-1]] = (arg, None)
            else:
                items = [_placeholder(arg, 0, i) for i in range(len(value))]
                placeholders.append(items)
                where.update({item: (arg, i) for i, item in enumerate(items)})
        qs = self.build(*placeholders)
        if qs._iterable_class is not ValuesListIterable:
            raise TypeError("a PreparedRead builds a values_list() queryset (neither flat nor named)")
        compiler = qs.query.get_compiler(using=using, connection=connection)
        sql, sql_params = compiler.as_sql()
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_extra_select or compiler.has_composite_fields(fields):
            raise TypeError("a PreparedRead reads plain columns (no extra select, no composite key)")
        slots = []
        for position, value in enumerate(sql_params):
            if isinstance(value, str | int) and value in where:
                slots.append((position, *where.pop(value)))
        if where:
            raise ValueError("a parameter of a PreparedRead does not reach its SQL as given")
        compiled = _Compiled(sql, tuple(sql_params), tuple(slots), compiler, compiler.get_converters(fields))
        with self._lock:
            kept = self._by_connection.setdefault(connection, {})
            if len(kept) >= _MAX_SHAPES:
                kept.clear()
            kept[shape] = compiled
        return compiled
