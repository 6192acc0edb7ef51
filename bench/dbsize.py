#!/usr/bin/env python
"""Database bytes per report, by table and by index (issue 9: ≤ 3 KB per report, indexes included).

Run from the project root on a database built by bench/dashboards.py --keep (or any phoihop database):

    .venv/bin/python bench/dbsize.py sqlite:////tmp/phoihop_bench_XXXX/bench.sqlite3
    .venv/bin/python bench/dbsize.py postgres://postgres@127.0.0.1:5432/phoihop_bench --vacuum-full
    .venv/bin/python bench/dbsize.py URL --json > new.json; .venv/bin/python bench/dbsize.py URL2 --compare new.json

SQLite: `dbstat` (every page of each table, index and full-text shadow table; a shadow table counts with the
table it indexes). PostgreSQL: `pg_relation_size` of each table's heap (with its TOAST table) and of each
index, after `VACUUM FULL` with --vacuum-full (otherwise dead rows left by updates count too, which is what a
database holds until autovacuum comes by). Bytes per report divide by the reports stored; tables of fewer
than --min bytes per report are summed on one line.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any


def sqlite_sizes(url: str) -> dict[str, Any]:
    path = url.removeprefix("sqlite:///")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        master = conn.execute("SELECT name, type, tbl_name FROM sqlite_master").fetchall()
        kind = {name: t for name, t, _tbl in master}
        owner = {name: tbl for name, _t, tbl in master}
        # FTS5 shadow tables (intake_report_fts_data...) belong to the virtual table, which indexes a table.
        fts = {name: tbl for name, t, tbl in master if t == "table" and name.endswith("_fts")}
        tables: dict[str, dict[str, Any]] = {}
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            part = "heap" if kind.get(name) == "table" and name == table else name
            for v in fts:
                if name.startswith(v + "_"):
                    table, part = v.removesuffix("_fts"), name
            if name.startswith("sqlite_autoindex_"):
                part = name
            entry = tables.setdefault(table, {"bytes": 0, "parts": {}})
            entry["bytes"] += size
            entry["parts"][part] = entry["parts"].get(part, 0) + size
        reports = conn.execute("SELECT COUNT(*) FROM intake_report").fetchone()[0]
    finally:
        conn.close()
    return {"db": "sqlite", "reports": reports, "tables": tables}


def postgres_sizes(url: str, vacuum_full: bool) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if vacuum_full:
            conn.execute("VACUUM FULL")
        rows = conn.execute(
            """SELECT c.relname,
                      pg_relation_size(c.oid) + COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')"""
        ).fetchall()
        tables: dict[str, dict[str, Any]] = {name: {"bytes": size, "parts": {"heap": size}} for name, size in rows}
        for table, index, size in conn.execute(
            """SELECT t.relname, i.relname, pg_relation_size(i.oid)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'"""
        ):
            tables[table]["bytes"] += size
            tables[table]["parts"][index] = size
        reports = conn.execute("SELECT COUNT(*) FROM intake_report").fetchone()[0]
    return {"db": "postgres", "reports": reports, "tables": tables}


def sizes(url: str, vacuum_full: bool = False) -> dict[str, Any]:
    if url.startswith("sqlite:///"):
        return sqlite_sizes(url)
    return postgres_sizes(url, vacuum_full)


def per_report(n: int, reports: int) -> float:
    return n / max(reports, 1)


def table_lines(result: dict[str, Any], old: dict[str, Any] | None, minimum: float, indexes: bool) -> list[str]:
    r = result["reports"]
    total = sum(t["bytes"] for t in result["tables"].values())
    head = f"# {result['db']}: {r:,} reports, {total:,} bytes, {per_report(total, r):,.0f} B/report"
    if old:
        old_total = sum(t["bytes"] for t in old["tables"].values())
        head += f" (was {per_report(old_total, old['reports']):,.0f} at {old['reports']:,} reports)"
    lines = [head, "", "| table / index | B/report |" + (" was |" if old else "")]
    lines.append("|---|---:|" + ("---:|" if old else ""))
    names = set(result["tables"]) | set(old["tables"] if old else ())
    empty = {"bytes": 0, "parts": {}}

    def was(table: str, part: str | None = None) -> str:
        if not old:
            return ""
        t = old["tables"].get(table, empty)
        n = t["bytes"] if part is None else t["parts"].get(part, 0)
        return f" {per_report(n, old['reports']):,.0f} |"

    small = small_old = 0.0
    for name in sorted(names, key=lambda t: -max(result["tables"].get(t, empty)["bytes"], 1)):
        t = result["tables"].get(name, empty)
        b = per_report(t["bytes"], r)
        o = per_report(old["tables"].get(name, empty)["bytes"], old["reports"]) if old else 0.0
        if max(b, o) < minimum:
            small, small_old = small + b, small_old + o
            continue
        lines.append(f"| **{name}** | **{b:,.0f}** |" + was(name))
        if indexes:
            parts = set(t["parts"]) | set(old["tables"].get(name, empty)["parts"] if old else ())
            for part in sorted(parts, key=lambda p: -t["parts"].get(p, 0)):
                lines.append(f"| &nbsp; {part} | {per_report(t['parts'].get(part, 0), r):,.0f} |" + was(name, part))
    lines.append(f"| (tables under {minimum:g} B/report) | {small:,.0f} |" + (f" {small_old:,.0f} |" if old else ""))
    return lines


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("database_url")
    p.add_argument("--vacuum-full", action="store_true", help="PostgreSQL: VACUUM FULL first")
    p.add_argument("--json", action="store_true", help="print one JSON object (for --compare)")
    p.add_argument("--compare", metavar="OLD_JSON", help="a JSON printed by an earlier run: show old beside new")
    p.add_argument("--min", type=float, default=10.0, help="B/report under which a table is not listed (10)")
    p.add_argument("--tables-only", action="store_true", help="no line per index")
    args = p.parse_args(argv)
    result = sizes(args.database_url, args.vacuum_full)
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return
    old = json.loads(Path(args.compare).read_text()) if args.compare else None
    print("\n".join(table_lines(result, old, args.min, not args.tables_only)))


if __name__ == "__main__":
    main()
