#!/usr/bin/env python
"""Cases benchmark: the inbox and the case list at 1M reports (server time per page), the search that
ignores diacritics, and the permission-filtered list against the unfiltered one.

Run from the project root (one command; see bench/README.md):

    .venv/bin/python bench/cases.py --reports 1000000 --db sqlite
    .venv/bin/python bench/cases.py --reports 20000 --db postgres          # a quick check

The first ``--through-intake`` reports (10,000) go through the real bulk intake path (bench/intake.py's
BulkRunner); the rest are SQL copies of them with their deliveries and indicator links (bench/dashboards.py's
clone_reports: a million reports in minutes rather than half an hour), spread over the last year with 90 % of
the deliveries acknowledged. Then one case is opened for every ``--cases-every`` reports with bulk inserts (a
data-generation shortcut: the product opens cases one at a time through cases.services.case_open), a share of
them restricted.
Pages are requested through Django's test client as signed-in users, so each figure is the server
time of the whole request: middleware, permission scope, queries, template.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, and bench/http.py would shadow the standard
# library's `http` package (Django imports it): take the folder off first.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

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

SEARCHES = ["lua dao", "LỪA ĐẢO", "gia danh cong an", "0912"]
# The pages of issue 13 for each person: the inbox (plain and filtered), the one search box with a common word
# and with a phone number typed the usual way, then the case list and its search.
PAGES = [
    ("inbox", "/reports/inbox/"),
    ("inbox, not acknowledged", "/reports/inbox/?status=waiting"),
    ("inbox, sector 13 + indicator", "/reports/inbox/?sector=13&has_indicator=on"),
    ("search 'lua dao'", "/search/?q=lua+dao"),
    ("search '0912345678'", "/search/?q=0912345678"),
    ("reports API, newest 50", "/api/v1/reports/"),
    ("reports API, page 3", "/api/v1/reports/?page=3"),
    ("reports API, status filter", "/api/v1/reports/?status=in_case"),
    ("our reports page", "/reports/mine/"),
    ("case list", "/cases/"),
] + [(f"case search '{q}'", f"/cases/?q={q}") for q in SEARCHES]


ONLY: list[str] = []  # --only: measure just the pages whose name contains one of these words


def open_cases(every: int, restricted_share: float, seed: int) -> dict[str, Any]:
    """One case per ``every`` reports (oldest first), led alternately by DIC and the Provincial Police."""
    from django.db import transaction

    from phoihop.cases.choices import AccessLevel, ParticipantRole
    from phoihop.cases.models import Case, CaseMember, CaseParticipant, CaseReport
    from phoihop.directory.models import Organisation, User
    from phoihop.intake.choices import ReportStatus
    from phoihop.intake.models import Report

    rng = random.Random(seed)
    dic, police = Organisation.objects.get(code="st-dic"), Organisation.objects.get(code="st-police")
    creator = User.objects.get(username="dic.focal")
    start, made = time.perf_counter(), 0
    ids = list(Report.objects.order_by("pk").values_list("pk", flat=True)[::every])
    for i in range(0, len(ids), 2000):
        part = list(
            Report.objects.filter(pk__in=ids[i : i + 2000]).only("pk", "search_text", "behaviour_id", "area_id")
        )
        with transaction.atomic():
            cases = [
                Case(
                    reference=f"VVB-{r.pk:09d}",
                    title=f"Vụ việc {r.pk}",
                    lead_organisation=dic if n % 2 else police,
                    access_level=AccessLevel.RESTRICTED if rng.random() < restricted_share else AccessLevel.NORMAL,
                    behaviour_id=r.behaviour_id,
                    area_id=r.area_id,
                    created_by=creator,
                    search_text=r.search_text,
                )
                for n, r in enumerate(part)
            ]
            Case.objects.bulk_create(cases)
            if cases[0].pk is None:
                by_ref = dict(
                    Case.objects.filter(reference__in=[c.reference for c in cases]).values_list("reference", "pk")
                )
                for c in cases:
                    c.pk = by_ref[c.reference]
            CaseParticipant.objects.bulk_create(
                [CaseParticipant(case=c, organisation=c.lead_organisation, role=ParticipantRole.LEAD) for c in cases]
            )
            CaseReport.objects.bulk_create([CaseReport(case=c, report=r) for c, r in zip(cases, part, strict=True)])
            CaseMember.objects.bulk_create(
                [CaseMember(case=c, user=creator) for c in cases if c.access_level == AccessLevel.RESTRICTED]
            )
            Report.objects.filter(pk__in=[r.pk for r in part]).update(status=ReportStatus.IN_CASE)
        made += len(cases)
    return {"cases": made, "seconds": round(time.perf_counter() - start, 1)}


def people() -> dict[str, Any]:
    from phoihop.directory.choices import Role
    from phoihop.directory.models import Organisation, User

    def person(username: str, org: str, role: str):
        return User.objects.get_or_create(
            username=username, defaults={"organisation": Organisation.objects.get(code=org), "role": role}
        )[0]

    return {
        "DIC focal point (hub)": User.objects.get(username="dic.focal"),
        "Vĩnh Châu police officer": person("bench.vc", "st-police-vinh-chau", Role.OFFICER),
        "DoIT focal point": person("bench.doit", "st-doit", Role.FOCAL_POINT),
    }


class QueryCounter:
    """Counts the SQL statements a request runs (the test client resets Django's own query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def page_times(client, url: str, samples: int) -> dict[str, float]:
    client.get(url)  # warm-up: template loading, caches
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timing_stats(times)


def query_times(make_qs, samples: int) -> dict[str, float]:
    list(make_qs())
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        rows = list(make_qs())
        times.append((time.perf_counter() - start) * 1000)
    out = timing_stats(times)
    out["rows"] = len(rows)
    return out


def measure(samples: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from phoihop.cases.models import Case
    from phoihop.cases.permissions import visible_cases
    from phoihop.core.permissions import newest_ids
    from phoihop.intake.models import Report
    from phoihop.intake.permissions import visible_report_branches, visible_reports

    call_command("collectstatic", interactive=False, verbosity=0)  # pages link the hashed static files
    out: dict[str, Any] = {"pages": {}, "scope": {}, "load_average_before": os.getloadavg()}
    for label, user in people().items():
        client = Client()
        client.force_login(user)
        for page, url in PAGES:
            if ONLY and not any(word in page for word in ONLY):
                continue
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                client.get(url)
            stats = page_times(client, url, samples)
            stats["queries"] = counter.count
            out["pages"][f"{label}: {page}"] = stats
            print(
                f"  {label:<28} {page:<28} median {stats['median_ms']:8.1f} ms  p95 {stats['p95_ms']:8.1f} ms"
                f"  ({counter.count} queries)",
                flush=True,
            )
        out["scope"][f"{label}: reports, newest 50"] = query_times(
            lambda user=user: visible_reports(user).order_by("-created_at")[:50], samples
        )
        out["scope"][f"{label}: reports, newest 50, merged branches"] = query_times(
            lambda user=user: newest_ids(visible_report_branches(user), ("-created_at", "-pk"), limit=50), samples
        )
        out["scope"][f"{label}: cases, newest 50"] = query_times(
            lambda user=user: visible_cases(user).order_by("-created_at")[:50], samples
        )
    out["scope"]["unfiltered: reports, newest 50"] = query_times(
        lambda: Report.objects.order_by("-created_at")[:50], samples
    )
    out["scope"]["unfiltered: cases, newest 50"] = query_times(
        lambda: Case.objects.order_by("-created_at")[:50], samples
    )
    out["load_average_after"] = os.getloadavg()
    print(f"  load average before {out['load_average_before']}, after {out['load_average_after']}", flush=True)
    for key, stats in out["scope"].items():
        print(f"  {key:<58} median {stats['median_ms']:8.2f} ms  p95 {stats['p95_ms']:8.2f} ms", flush=True)
    return out


def summary(result: dict[str, Any]) -> str:
    lines = [
        f"### Cases and inbox, {DB_LABELS[result['db']]}, {result['reports']:,} reports,"
        f" {result['cases']['cases']:,} cases",
        "",
        "| page (server time, signed in) | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for key, s in result["measure"]["pages"].items():
        lines.append(f"| {key} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | {s['queries']} |")
    lines += ["", "| permission scope, newest 50 rows | median ms | p95 ms |", "|---|---:|---:|"]
    for key, s in result["measure"]["scope"].items():
        lines.append(f"| {key} | {s['median_ms']:.2f} | {s['p95_ms']:.2f} |")
    return "\n".join(lines)


def _dashboards_loaders():
    """bench/dashboards.py's clone_reports and spread_over_a_year (that file imports this one, so it is loaded
    here by path, once the setup has run)."""
    import importlib.util
    import inspect

    spec = importlib.util.spec_from_file_location("bench_dashboards", Path(__file__).resolve().parent / "dashboards.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    clone, spread = module.clone_reports, module.spread_over_a_year
    if "kind" not in inspect.signature(clone).parameters:  # the older form took no database kind
        return (lambda total, kind: clone(total)), spread
    return clone, spread


def measure_existing(args: argparse.Namespace) -> None:
    """--reuse: migrate an existing database to this code, then measure it."""
    import tempfile
    from types import SimpleNamespace

    from django.core.management import call_command

    kind = "postgres" if args.reuse.startswith("postgres") else "sqlite"
    target = SimpleNamespace(url=args.reuse, var_dir=Path(tempfile.mkdtemp(prefix="phoihop_bench_")))
    setup_django(target)
    call_command("migrate", interactive=False, verbosity=0)
    from phoihop.cases.models import Case
    from phoihop.intake.models import Report

    result: dict[str, Any] = {"db": kind, "reports": Report.objects.count(), "options": vars(args)}
    result["cases"] = {"cases": Case.objects.count()}
    result["machine"] = machine()
    print(f"# {DB_LABELS[kind]}: {result['reports']:,} reports, {result['cases']['cases']:,} cases", flush=True)
    result["measure"] = measure(args.samples)
    _write(result, f"cases-{kind}-{result['reports']}-reused")


def _write(result: dict[str, Any], name: str) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print("\n" + summary(result))
    print(f"\nraw numbers: {path}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--reports", type=int, default=1_000_000)
    p.add_argument(
        "--through-intake",
        type=int,
        default=10_000,
        help="reports written through the real bulk path; the rest are SQL copies of them (default 10,000)",
    )
    p.add_argument("--cases-every", type=int, default=20, help="one case per N reports (default 20)")
    p.add_argument("--restricted-share", type=float, default=0.1)
    p.add_argument("--samples", type=int, default=30)
    p.add_argument("--slice", type=int, default=10_000)
    p.add_argument("--chunk", type=int, default=500)
    p.add_argument("--seed", type=int, default=2013)
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--pg-name", default="", help="PostgreSQL: build into this database name (dropped first)")
    p.add_argument("--keep", action="store_true")
    p.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="measure an existing database (one kept by an earlier run) instead of building one",
    )
    p.add_argument("--only", default="", help="comma-separated words: measure only the pages whose name has one")
    args = p.parse_args(argv)
    ONLY[:] = [w for w in args.only.split(",") if w]
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
        clone_reports, spread_over_a_year = _dashboards_loaders()
        if args.reports > seeded:
            print(f"\n== Copying them to {args.reports:,} reports", flush=True)
            result["clone"] = clone_reports(args.reports, args.db)
        print("\n== Spreading the reports over a year, acknowledging 90% of deliveries", flush=True)
        result["spread"] = spread_over_a_year(args.db)
        print("\n== Opening cases", flush=True)
        result["cases"] = open_cases(args.cases_every, args.restricted_share, args.seed)
        print(f"  {result['cases']['cases']:,} cases in {result['cases']['seconds']} s", flush=True)
        target.analyze()
        print("\n== Pages and scopes", flush=True)
        result["measure"] = measure(args.samples)
        result["db_size_bytes"] = target.size_bytes()
    finally:
        if args.keep:
            print(f"\nkept: {target.url} (PHOIHOP_VAR_DIR={target.var_dir})", flush=True)
        else:
            target.drop()
    _write(result, f"cases-{args.db}-{args.reports}")


if __name__ == "__main__":
    main()
