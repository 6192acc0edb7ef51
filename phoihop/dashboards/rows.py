"""The dimensions of the dashboards' day rows and the one way they are added to (aggregates and restricted)."""

from __future__ import annotations

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
    table = connection.ops.quote_name(model._meta.db_table)
    cols = (*keys, "count")
    col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
    key_sql = ", ".join(connection.ops.quote_name(c) for c in keys)
    quoted_count = connection.ops.quote_name("count")
    update = f"ON CONFLICT ({key_sql}) DO UPDATE SET {quoted_count} = {table}.{quoted_count} + excluded.{quoted_count}"
    rows = [(*key, counts[key]) for key in sorted(counts)]
    placeholders = "(" + ", ".join(["%s"] * len(cols)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            # Only quoted table and column names of this module's models are formatted in; the values are parameters.
            sql = f"INSERT INTO {table} ({col_sql}) VALUES {', '.join([placeholders] * len(part))} {update}"  # noqa: S608
            cursor.execute(sql, [value for row in part for value in row])
