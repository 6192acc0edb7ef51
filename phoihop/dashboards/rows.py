"""The dimensions of the dashboards' day rows and the one way they are added to (aggregates and restricted)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection

WAITING = "w"  # an organisation's deliveries received that day and not yet acknowledged (key 0)
# Đ11.5, Đ18.2: the reports an organisation made itself (an enterprise's own reports), by the same dimensions as
# what it received (t, s, b, a), and, of those, the ones also delivered to it (a staff member's scope adds only
# the others to its deliveries).
MADE = {"t": "T", "s": "S", "b": "B", "a": "A"}
MADE_DELIVERED = {"t": "U", "s": "V", "b": "X", "a": "Y"}
# Đ18: dim r counts, for a recipient organisation X and key Y, the reports of the day delivered to both X and Y
# (Y = X included): the figure "by organisation" of what X received is then a sum of X's r rows, not a count
# over the deliveries of every report X received.
WITH = "r"


CHUNK = 400  # rows per statement (at most 6 values each: under SQLite's and PostgreSQL's parameter limits)


def upsert(model, keys: tuple[str, ...], counts: Counter) -> None:
    """Add `counts` ({key tuple: n}) to `model`'s rows, creating the missing ones (one statement per 400 rows).

    The rows go in key order: two writers adding to the same rows (two reports delivered to the same
    organisations) then lock them in the same order, so on PostgreSQL neither waits for the other in a circle
    (a deadlock, which would fail one of the two reports)."""
    if not counts:
        return
    rows = [(*key, counts[key]) for key in sorted(counts)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column, unnested in order: the statement's text is the same whatever the number of
            # rows and has one parameter per column, so psycopg keeps its parsed form (it parses anew every
            # statement of more than 50 parameters: a report's dozen day rows, ~3 % of an API create's CPU).
            cursor.execute(_statement(model, keys, 0), [_pg_array(column) for column in zip(*rows, strict=True)])
            return
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            cursor.execute(_statement(model, keys, len(part)), [value for row in part for value in row])


def _pg_array(column: tuple) -> str | list:
    """A column's values as one PostgreSQL array parameter. Integers and dates are written as the array's text
    ('{3,7}', '{2026-12-01}': digits, signs and dashes need no quoting), three times cheaper than psycopg adapting
    each element; anything else (text, None) goes as a list for psycopg to quote."""
    if all(type(v) is int or type(v) is dt.date for v in column):
        return "{" + ",".join(map(str, column)) + "}"
    return list(column)


_STATEMENTS: dict[tuple, str] = {}


def _statement(model, keys: tuple[str, ...], rows: int) -> str:
    """The upsert's SQL for `rows` rows (0: PostgreSQL's one for any number of rows, from arrays), built once."""
    cache_key = (model, keys, connection.vendor, rows)
    sql = _STATEMENTS.get(cache_key)
    if sql is not None:
        return sql
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    cols = (*keys, "count")
    col_sql = ", ".join(quote(c) for c in cols)
    key_sql = ", ".join(quote(c) for c in keys)
    count = quote("count")
    update = f"ON CONFLICT ({key_sql}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    if rows == 0:
        # unnest() yields the arrays' elements in order: the rows are inserted (and locked) in key order.
        types = [model._meta.get_field(c).db_type(connection) for c in cols]
        source = "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + ")"  # noqa: S608
    else:
        placeholders = "(" + ", ".join(["%s"] * len(cols)) + ")"
        source = "VALUES " + ", ".join([placeholders] * rows)
    # Only quoted table and column names and column types of this module's models are formatted in; the values
    # are parameters.
    sql = _STATEMENTS[cache_key] = f"INSERT INTO {table} ({col_sql}) {source} {update}"
    return sql
