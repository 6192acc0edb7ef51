#!/usr/bin/env python
"""HTTP benchmark of the public look-up (`GET /api/v1/public/lookup/?q=...`), against the real server.

    .venv/bin/python bench/lookup.py                      # SQLite (the README's default): 8 clients, 20 s
    .venv/bin/python bench/lookup.py --db postgres --clients 16 --seconds 30 --json

It starts the product as the README does (`phoihop serve`, on a new var folder and, for PostgreSQL, a new
database) with the look-up's per-address rate lifted (it measures capacity), and seeds what it needs through
the product's services: the listing app's demo data (0912 345 678 and two more values listed through the
decision path) and one reported value. Client *processes* (not threads: a client must not be held back by its
own GIL) each keep one connection alive and ask, in turn, a listed value in one of its writings, the
reported-but-unverified value and an unknown number, for a fixed time.

It prints look-ups/s, p50/p95/p99 latency, **server CPU ms per look-up** (user+system time of the web
processes from /proc: the stable figure on a shared machine) and SQL statements per look-up (the
`X-Phoihop-Queries` header). The clients run on the same machine and take CPU from the server: look-ups/s
is a floor. A benchmark, not a test.
"""

from __future__ import annotations

import os
import sys

# Run as `python bench/lookup.py`, this folder comes first on sys.path and bench/http.py would shadow the
# standard library's `http` package: take the folder off before importing it.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import http.client
import importlib.util
import json
import multiprocessing as mp
import random
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOIHOP = ROOT / ".venv" / "bin" / "phoihop"

# bench/http.py's helpers: the server's process tree and its CPU time (loaded by path: the file's name is
# the standard library's `http`).
_spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
assert _spec and _spec.loader
bench_http = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bench_http  # its dataclasses look their module up
_spec.loader.exec_module(bench_http)

LISTED = [
    "0912 345 678",
    "0912345678",
    "+84 912 345 678",
    "84912345678",
    "vietcombank-xacminh.com",
    "Vietcombank 0071000123456",
]
REPORTED = ["0977 111 222"]  # reported by the seed below, not listed

# The data the benchmark needs, made through the product's own services: the demo accounts, the listing app's
# demo (three values reported, a case opened, proposed and approved: 0912 345 678 among them) and one report
# of a value that stays unverified.
SEED = """
from phoihop.audit.services import AuditContext
from phoihop.directory.demo import demo_accounts_ensure
from phoihop.intake.choices import Channel
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit
from phoihop.listing.demo import demo_listings_ensure
demo_accounts_ensure()
print(demo_listings_ensure())
report_submit(
    data=ReportInput(description="Cuoc goi tu 0977 111 222 gia danh nha mang.", behaviour="13.4",
                     area="st-vinh-chau", indicators=[IndicatorInput("phone", "0977 111 222")]),
    channel=Channel.WEB, ctx=AuditContext(label="bench"),
)
"""


def queries(rng: random.Random, n: int) -> str:
    which = n % 3
    if which == 0:
        return rng.choice(LISTED)
    if which == 1:
        return rng.choice(REPORTED)
    return f"09{rng.randrange(10**7, 10**8)}"


class Server:
    def __init__(self, db: str, pg_url: str, keep: bool):
        self.db, self.keep = db, keep
        self.var = Path(tempfile.mkdtemp(prefix="phoihop-lookup-"))
        self.port = bench_http._free_port()
        self.env = {
            **os.environ,
            "PHOIHOP_VAR_DIR": str(self.var),
            "PHOIHOP_QUERY_COUNT_HEADER": "1",
            "PHOIHOP_RATE_PUBLIC_LOOKUP": "1000000000/hour",
        }
        self.env.pop("DATABASE_URL", None)
        self.pg_db = None
        self.pg_url = pg_url
        if db == "postgres":
            self.pg_db = f"phoihop_lookup_{os.getpid()}"
            self._psql(f"CREATE DATABASE {self.pg_db}")
            self.env["DATABASE_URL"] = f"{pg_url}/{self.pg_db}"
        self.log = open(self.var / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(PHOIHOP), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait("/health/")
        seeded = subprocess.run(
            [str(PHOIHOP), "shell", "-c", SEED], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if seeded.returncode:
            self.stop()
            raise SystemExit(f"seeding failed:\n{seeded.stderr[-3000:]}")
        self._wait("/api/v1/public/lookup/?q=0912345678", listed=True)

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.pg_url}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def _wait(self, path: str, *, listed: bool = False, timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.var / 'server.log'}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status == 200 and (not listed or json.loads(body)["status"] == "listed"):
                    return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        raise SystemExit("the server did not answer in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        if self.pg_db:
            self._psql(f"DROP DATABASE IF EXISTS {self.pg_db} WITH (FORCE)")
        if not self.keep:
            shutil.rmtree(self.var, ignore_errors=True)


def client(url: str, seconds: float, seed: int, start_at: float, out) -> None:
    """One process, one keep-alive connection: look-ups until the deadline; (ms, status, queries, answer)."""
    parts = urllib.parse.urlsplit(url)
    rng = random.Random(seed)
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = time.monotonic() + seconds
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    samples, n = [], seed
    while time.monotonic() < deadline:
        path = "/api/v1/public/lookup/?" + urllib.parse.urlencode({"q": queries(rng, n)})
        n += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            samples.append((0.0, 0, None, ""))
            continue
        ms = (time.perf_counter() - t0) * 1000
        header = response.getheader("X-Phoihop-Queries")
        status = json.loads(body).get("status", "") if response.status == 200 else ""
        samples.append((ms, response.status, int(header) if header else None, status))
    conn.close()
    out.put(samples)


def measure(url: str, processes, clients: int, seconds: float) -> dict:
    out: mp.Queue = mp.Queue()
    start_at = time.time() + 1.0
    workers = [mp.Process(target=client, args=(url, seconds, 1000 + i, start_at, out)) for i in range(clients)]
    for w in workers:
        w.start()
    time.sleep(max(0.0, start_at - time.time()))
    cpu0 = processes.cpu()[0]
    samples = [s for _ in workers for s in out.get()]
    cpu1 = processes.cpu()[0]
    for w in workers:
        w.join()
    ok = [s for s in samples if s[1] == 200]
    ms = sorted(s[0] for s in ok)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p * len(ms)))], 2) if ms else 0.0

    statements = [s[2] for s in ok if s[2] is not None]
    by_status: dict[str, int] = {}
    for s in ok:
        by_status[s[3]] = by_status.get(s[3], 0) + 1
    return {
        "clients": clients,
        "seconds": seconds,
        "lookups": len(ok),
        "errors": len(samples) - len(ok),
        "lookups_per_s": round(len(ok) / seconds, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "server_cpu_ms_per_lookup": round(1000 * (cpu1 - cpu0) / len(ok), 3) if ok else None,
        "statements_per_lookup": round(sum(statements) / len(statements), 2) if statements else None,
        "answers": by_status,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--url", help="measure a server that runs already (with the demo data)")
    p.add_argument("--pid", type=int, help="with --url: the server's process id, for the CPU figures")
    p.add_argument("--clients", type=int, default=8, help="client processes (default 8)")
    p.add_argument("--seconds", type=float, default=20.0, help="length of the measured phase (default 20)")
    p.add_argument("--pg-url", default=bench_http.DEFAULT_PG_URL)
    p.add_argument("--keep", action="store_true", help="keep the var folder (and its server.log)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    server = None
    if args.url:
        url, processes = args.url.rstrip("/"), bench_http.Processes(args.pid)
    else:
        server = Server(args.db, args.pg_url, args.keep)
        url, processes = server.url, bench_http.Processes(server.proc.pid)
    try:
        measure(url, processes, min(args.clients, 2), min(3.0, args.seconds))  # warm-up: every process's index
        result = measure(url, processes, args.clients, args.seconds)
    finally:
        if server:
            server.stop()
    result |= {"db": args.db if not args.url else None, "cores": os.cpu_count()}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>26}: {value}")


if __name__ == "__main__":
    main()
