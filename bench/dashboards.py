#!/usr/bin/env python
"""Dashboards benchmark: server time of each dashboard, the map and the statistics API at N reports.

Run from the project root (one command):

    .venv/bin/python bench/dashboards.py --reports 100000 --db sqlite
    .venv/bin/python bench/dashboards.py --reports 100000 --db postgres
    .venv/bin/python bench/dashboards.py --reports 20000 --db sqlite --samples 5     # a quick check

The first --through-intake reports (10,000) are written through the real bulk intake path (bench/intake.py's
BulkRunner), so the daily aggregates are written by the same hook as in production (their cost is inside the
reported intake rate); the rest are SQL copies of them (clone_reports). Then, as data-generation shortcuts:
the reports and their deliveries are spread over the last 365 days (the bulk path stamps them all "now"),
90% of the deliveries are acknowledged after 1 to 600 minutes, one case is opened per 20 reports
(bench/cases.py, 10% restricted), and the aggregates are rebuilt from the rows (aggregates_rebuild, timed:
what `manage.py dashboards_rebuild` costs at that size).
Pages are requested through Django's test client as signed-in users, so each figure is the server time of
the whole request: middleware, permission scope, queries, template.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, and bench/http.py would shadow the standard
# library's `http` package (Django imports it): take the folder off first.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import json
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import open_cases  # bench/cases.py, beside this file
from intake import (  # bench/intake.py, beside this file
    DB_LABELS,
    DEFAULT_PG_URL,
    OUT_DIR,
    BulkRunner,
    Target,
    grow,
    machine,
    new_dataset,
    prepare_database,
    setup_django,
    timing_stats,
)


def clone_reports(total: int, kind: str) -> dict[str, Any]:
    """Copy the reports written by the bulk path (with their deliveries and indicator links) until there are
    `total`: INSERT ... SELECT, a data-generation shortcut that keeps the real path's mix of kinds, places
    and recipients without paying its cost a million times. Each round copies every report there is (so the
    table doubles: 3,000 → 1M in 9 rounds), a copy's id being the original's plus the largest id, so its
    deliveries and links follow without a join. A copy's tracking code is "K" and its id; its external
    reference gets a "-<round>" suffix."""
    from django.db import connection, transaction

    from phoihop.inbox.models import Delivery
    from phoihop.intake.models import Report, ReportIndicator

    start = time.perf_counter()
    q = connection.ops.quote_name
    count = Report.objects.count()
    rounds = 0

    def columns(model, skip=("id",)):
        return [f.column for f in model._meta.concrete_fields if f.column not in skip]

    report_cols = columns(Report, skip=())
    delivery_cols = columns(Delivery, skip=("id", "report_id"))
    link_cols = columns(ReportIndicator, skip=("id", "report_id"))
    while count < total:
        rounds += 1
        take = min(count, total - count)
        offset = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cutoff = Report.objects.order_by("pk").values_list("pk", flat=True)[take - 1]
        exprs = []
        for col in report_cols:
            if col == "id":
                exprs.append(f"id + {offset}")
            elif col == "reference":
                exprs.append(f"'K' || CAST(id + {offset} AS TEXT)")
            elif col == "external_ref":
                exprs.append(f"CASE WHEN {q(col)} = '' THEN '' ELSE {q(col)} || '-{rounds}' END")
            else:
                exprs.append(q(col))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO intake_report ({', '.join(q(c) for c in report_cols)}) "
                f"SELECT {', '.join(exprs)} FROM intake_report WHERE id <= {cutoff}"
            )
            cursor.execute(
                f"INSERT INTO inbox_delivery (report_id, {', '.join(q(c) for c in delivery_cols)}) "
                f"SELECT report_id + {offset}, {', '.join(q(c) for c in delivery_cols)} FROM inbox_delivery "
                f"WHERE report_id <= {cutoff}"
            )
            cursor.execute(
                f"INSERT INTO intake_reportindicator (report_id, {', '.join(q(c) for c in link_cols)}) "
                f"SELECT report_id + {offset}, {', '.join(q(c) for c in link_cols)} FROM intake_reportindicator "
                f"WHERE report_id <= {cutoff}"
            )
            if kind == "postgres":  # the ids were given: move the sequence past them
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('intake_report', 'id'), MAX(id)) FROM intake_report"
                )
        count = Report.objects.count()
        print(f"  round {rounds}: {count:,} reports ({time.perf_counter() - start:.0f} s)", flush=True)
    return {"rounds": rounds, "reports": count, "seconds": round(time.perf_counter() - start, 1)}


def spread_over_a_year(kind: str) -> dict[str, Any]:
    """Received on one of the last 365 days (by id), 90% of deliveries acknowledged 1–600 minutes later."""
    from django.db import connection, transaction

    start = time.perf_counter()
    if kind == "sqlite":
        statements = [
            "UPDATE intake_report SET created_at = strftime('%Y-%m-%d %H:%M:%f', created_at, "
            "'-' || (id % 365) || ' days', '-' || ((id * 37) % 1440) || ' minutes')",
            "UPDATE inbox_delivery SET delivered_at = (SELECT created_at FROM intake_report r "
            "WHERE r.id = inbox_delivery.report_id)",
            "UPDATE inbox_delivery SET acknowledged_at = strftime('%Y-%m-%d %H:%M:%f', delivered_at, "
            "'+' || (1 + (id * 7919) % 600) || ' minutes') WHERE id % 10 <> 0",
        ]
    else:
        statements = [
            "UPDATE intake_report SET created_at = created_at - (id % 365) * interval '1 day' "
            "- ((id * 37) % 1440) * interval '1 minute'",
            "UPDATE inbox_delivery d SET delivered_at = r.created_at FROM intake_report r WHERE r.id = d.report_id",
            "UPDATE inbox_delivery SET acknowledged_at = delivered_at + (1 + (id * 7919) % 600) * interval '1 minute' "
            "WHERE id % 10 <> 0",
        ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return {"seconds": round(time.perf_counter() - start, 1)}


def rebuild() -> dict[str, Any]:
    from phoihop.dashboards.aggregates import aggregates_rebuild

    start = time.perf_counter()
    rows = aggregates_rebuild()
    return {**rows, "seconds": round(time.perf_counter() - start, 1)}


def people() -> dict[str, Any]:
    from phoihop.directory.choices import Role
    from phoihop.directory.models import Organisation, User

    def person(username: str, org: str, role: str):
        return User.objects.get_or_create(
            username=username, defaults={"organisation": Organisation.objects.get(code=org), "role": role}
        )[0]

    return {
        "DIC focal point (hub)": User.objects.get(username="dic.focal"),
        "DIC head": person("bench.dichead", "st-dic", Role.HEAD),
        "Vĩnh Châu police officer": person("bench.vc", "st-police-vinh-chau", Role.OFFICER),
        "Viettel (enterprise)": person("bench.viettel", "st-viettel", Role.ENTERPRISE_REPORTER),
    }


# Issue 13's daily desk at scale: the inbox (whole, filtered as triage does), the report list and the one search
# (a word most reports contain, and a phone number in another writing than the stored one).
DESK_PAGES = [
    ("inbox", "/reports/inbox/"),
    ("inbox: waiting, Đ13.4, overdue", "/reports/inbox/?status=waiting&behaviour=13.4&overdue=on"),
    ("inbox: sector internet, with indicator", "/reports/inbox/?sector=internet&has_indicator=on"),
    ("inbox: page 5", "/reports/inbox/?page=5"),
    ("report list", "/dashboard/reports/"),
    ("report list: sector telecom", "/dashboard/reports/?sector=telecom"),
    ("search: common words", "/search/?q=kh%C3%A1ch+h%C3%A0ng"),
    ("search: a phone number", "/search/?q=%2B84+912+345+678"),
]

PAGES = {
    "DIC focal point (hub)": [
        ("hub dashboard", "/dashboard/hub/"),
        ("map", "/dashboard/map/"),
        *[(f"API statistics by {g}", f"/api/v1/statistics/?group_by={g}") for g in ("sector", "area", "organisation")],
        *[(name, url) for name, url in DESK_PAGES],
    ],
    "DIC head": [("head dashboard", "/dashboard/head/")],
    "Vĩnh Châu police officer": [
        ("my work", "/dashboard/work/"),
        ("map", "/dashboard/map/"),
        *[(f"API statistics by {g}", f"/api/v1/statistics/?group_by={g}") for g in ("behaviour", "organisation")],
        *[(name, url) for name, url in DESK_PAGES],
    ],
    "Viettel (enterprise)": [
        ("my work", "/dashboard/work/"),
        ("API statistics by behaviour", "/api/v1/statistics/?group_by=behaviour"),
    ],
}


class QueryTimer:
    """The SQL statements a request runs and the time each takes (the test client resets Django's own log)."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(((time.perf_counter() - start) * 1000, sql))


def page_times(client, url: str, samples: int) -> dict[str, float]:
    """Wall time (median, p95) and the Python process's CPU time (median) of `samples` requests after a warm-up.
    On SQLite the CPU time includes the database's work (it runs in the process); on PostgreSQL it does not."""
    import statistics

    client.get(url)  # warm-up: template loading, caches
    times, cpu = [], []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {**timing_stats(times), "cpu_median_ms": round(statistics.median(cpu), 1)}


def measure(samples: int, slowest: int = 0, only: list[str] | None = None) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # pages link the hashed static files
    out: dict[str, Any] = {}
    from phoihop.directory.signin.policy import PASSED, STATE_KEY

    for label, user in people().items():
        client = Client()
        client.force_login(user)
        session = client.session  # a complete sign-in: the second step too (heads must use one)
        session[STATE_KEY] = PASSED
        session.save()
        for page, url in PAGES[label]:
            if only and not any(word in f"{label}: {page}" for word in only):
                continue
            stats = page_times(client, url, samples)
            counter = QueryTimer()  # after the warm-up: the statements of a steady request
            with connection.execute_wrapper(counter):
                client.get(url)
            stats["queries"] = counter.count
            stats["sql_ms"] = round(sum(ms for ms, _sql in counter.statements), 1)
            out[f"{label}: {page}"] = stats
            print(
                f"  {label:<26} {page:<34} median {stats['median_ms']:8.1f} ms  p95 {stats['p95_ms']:8.1f} ms"
                f"  CPU {stats['cpu_median_ms']:6.1f} ms  ({counter.count} queries, {stats['sql_ms']:.0f} ms in SQL)",
                flush=True,
            )
            for ms, sql in sorted(counter.statements, reverse=True)[:slowest]:
                print(f"      {ms:8.1f} ms  {' '.join(sql.split())[:300]}", flush=True)
    return out


def summary(result: dict[str, Any]) -> str:
    lines = [
        f"### Dashboards, {DB_LABELS[result['db']]}, {result['reports']:,} reports over 365 days,"
        f" {result['cases']['cases']:,} cases",
        "",
        f"load average at the start: {result.get('load_start', '?')}, at the end: {result.get('load', '?')}",
        "",
        "| page (server time, signed in; default period: this half-year) | median ms | p95 ms | CPU ms (median) "
        "| SQL statements | SQL ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, s in result["measure"].items():
        lines.append(
            f"| {key} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | {s.get('cpu_median_ms', '?')} | {s['queries']}"
            f" | {s.get('sql_ms', '?')} |"
        )
    r = result.get("rebuild")
    if "grow" in result:
        lines += [
            "",
            f"Bulk intake with the aggregate hook: {result['grow']['rate']} reports/s (the first"
            f" {result['grow']['to']:,}; the rest copied by SQL in {result.get('clone', {}).get('seconds', 0)} s).",
        ]
    if r:
        lines.append(
            f"Full rebuild of the aggregates from the rows: {r['seconds']} s ({r['day_counts']:,} day counts,"
            f" {r['delay_buckets']:,} delay buckets, {r.get('delay_months', 0):,} monthly delay buckets)."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--reports", type=int, default=100_000)
    p.add_argument(
        "--through-intake",
        type=int,
        default=10_000,
        help="reports written through the real bulk path; the rest are copies of them (default 10,000)",
    )
    p.add_argument("--samples", type=int, default=20)
    p.add_argument("--slice", type=int, default=10_000)
    p.add_argument("--chunk", type=int, default=500)
    p.add_argument("--seed", type=int, default=2013)
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--pg-name", default="", help="PostgreSQL: build into this database name (dropped first)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--queries", type=int, default=0, metavar="N", help="print each page's N slowest SQL statements")
    p.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="measure an existing database (one kept by an earlier run, migrated to this code) instead of building one",
    )
    p.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild the aggregates before measuring")
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORDS",
        help="measure only the pages whose 'person: page' contains these words (repeatable)",
    )
    args = p.parse_args(argv)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if args.reuse:
        return measure_existing(args)

    target = Target(args.db, pg_url=args.pg_url)
    target.create()
    if args.db == "postgres" and args.pg_name and args.pg_name != target.pg_name:
        target._admin(f'DROP DATABASE IF EXISTS "{target.pg_name}"')
        target.pg_name = args.pg_name
        target._admin(f'DROP DATABASE IF EXISTS "{args.pg_name}" WITH (FORCE)', f'CREATE DATABASE "{args.pg_name}"')
    result: dict[str, Any] = {"db": args.db, "reports": args.reports, "options": vars(args)}
    try:
        setup_django(target)
        result["machine"] = machine()
        result["db_version"] = target.server_version()
        actors = prepare_database()
        runner = BulkRunner(data=new_dataset(args.seed, args.reports), user=actors.enterprise, chunk=args.chunk)
        seeded = min(args.reports, args.through_intake)
        result["grow"] = {k: v for k, v in grow(runner, seeded, args.slice).items() if k != "batches"}
        if args.reports > seeded:
            print(f"\n== Copying them to {args.reports:,} reports", flush=True)
            result["clone"] = clone_reports(args.reports, args.db)
        print("\n== Spreading the reports over a year, acknowledging 90% of deliveries", flush=True)
        result["spread"] = spread_over_a_year(args.db)
        print("\n== Opening cases", flush=True)
        result["cases"] = open_cases(20, 0.1, args.seed)
        print(f"  {result['cases']['cases']:,} cases in {result['cases']['seconds']} s", flush=True)
        print("\n== Rebuilding the aggregates from the rows", flush=True)
        result["rebuild"] = rebuild()
        print(f"  {result['rebuild']}", flush=True)
        target.analyze()
        print("\n== Dashboards and statistics", flush=True)
        result["measure"] = measure(args.samples, args.queries)
        result["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        result["db_size_bytes"] = target.size_bytes()
    finally:
        if args.keep:
            print(f"\nkept: {target.url} (PHOIHOP_VAR_DIR={target.var_dir})", flush=True)
        else:
            target.drop()
    _write(result, f"dashboards-{args.db}-{args.reports}")


def measure_existing(args: argparse.Namespace) -> None:
    """--reuse: migrate an existing database to this code (and --rebuild its aggregates), then measure it."""
    import tempfile
    from types import SimpleNamespace

    kind = "postgres" if args.reuse.startswith("postgres") else "sqlite"
    var_dir = Path(args.reuse.removeprefix("sqlite:///")).parent if kind == "sqlite" else None
    target = SimpleNamespace(url=args.reuse, var_dir=var_dir or Path(tempfile.mkdtemp(prefix="phoihop_bench_")))
    setup_django(target)
    from django.core.management import call_command

    from phoihop.cases.models import Case
    from phoihop.intake.models import Report

    call_command("migrate", interactive=False, verbosity=0)
    result: dict[str, Any] = {"db": kind, "reports": Report.objects.count(), "options": vars(args)}
    result["cases"] = {"cases": Case.objects.count()}
    result["machine"] = machine()
    result["rebuild"] = rebuild() if args.rebuild else None
    print(f"# {DB_LABELS[kind]}: {result['reports']:,} reports, {result['cases']['cases']:,} cases", flush=True)
    result["load_start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    result["measure"] = measure(args.samples, args.queries, args.only)
    result["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    _write(result, f"dashboards-{kind}-{result['reports']}-reused")


def _write(result: dict[str, Any], name: str) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print("\n" + summary(result))
    print(f"\nraw numbers: {path}")


if __name__ == "__main__":
    main()
