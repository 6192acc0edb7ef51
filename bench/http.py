#!/usr/bin/env python
"""HTTP benchmark: reports created and read through the real API, as an enterprise's system would.

    .venv/bin/python bench/http.py                       # SQLite (the README's default), 1 and 8 clients
    .venv/bin/python bench/http.py --db postgres --json  # one JSON object on stdout
    .venv/bin/python bench/http.py --url http://host:8000 --token KEY   # a server that runs already

Without --url it starts the product as the README does (`phoihop serve`, without demo data, on a new
var folder and, for PostgreSQL, a new database), issues an API key for Viettel Sóc Trăng with
`phoihop issue-api-token`, and measures, for each client count, keep-alive clients that for a fixed time:

- create reports with `POST /api/v1/reports/` (a phone number and a URL each, routed to 3–4 organisations,
  correlated, audited, notifications queued: the whole pipeline);
- read one report (`GET /api/v1/reports/<ref>/`; again with `?expand=correlations`, the other reports
  the caller may see for each indicator), the newest 50 (`GET /api/v1/reports/?page_size=50`) and
  look up a phone number (`GET /api/v1/indicators/lookup/`).

It prints requests/s, p50/p95/p99 latency, **server CPU ms per request** (user+system time of the web
processes from /proc, the task worker counted apart: stable on a noisy machine, unlike requests/s) and
**SQL statements per request** (the server is started with PHOIHOP_QUERY_COUNT_HEADER=1, which adds an
`X-Phoihop-Queries` header). Memory: the largest web process's RSS (the gunicorn master among them, its RSS
also apart) and the web processes' PSS together. After each create phase, the **tasks waiting at the end of
the phase** (ready tasks from `/health/`: does the worker keep up?), and the **database bytes per report**:
what the database grew by over the whole run per report created, split by table with its indexes
(SQLite's `dbstat`, PostgreSQL's `pg_total_relation_size`; with --url, give --database-url).
A benchmark, not a test: nothing in pytest runs it.
"""

from __future__ import annotations

import os
import sys

# Run as `python bench/http.py`, this folder comes first on sys.path and this file would shadow the
# standard library's `http` package: take the folder off before importing it.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import http.client
import json
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PHOIHOP = ROOT / ".venv" / "bin" / "phoihop"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432"
CLK_TCK = os.sysconf("SC_CLK_TCK")
AREAS = ["st-vinh-chau", "st-tran-de", "st-soc-trang", "st-my-xuyen", "st-long-phu", "st-nga-nam"]
BEHAVIOURS = ["13.4", "13.1", "14.2", None]


# --- The server and its processes -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out += [int(c) for c in text]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    pids, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        pids.append(p)
        frontier += _children(p)
    return pids


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime + stime, and cutime + cstime: the time of its children that have ended. gunicorn replaces a web
    # process after max_requests; without the ended ones' time the phase's sum would drop (a negative figure).
    return sum(int(f) for f in fields[11:15]) / CLK_TCK


def _proc_mb(pid: int, file: str, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _rss_mb(pid: int) -> float:
    """Resident memory of one process (pages shared with the forking master counted in full)."""
    return _proc_mb(pid, "status", "VmRSS:")


def _pss_mb(pid: int) -> float:
    """Proportional share: a page shared by n processes counts 1/n in each (sums to what the tree holds)."""
    return _proc_mb(pid, "smaps_rollup", "Pss:")


# PostgreSQL's processes that write for every database: counted with the benchmark's database's backends.
PG_SHARED = ("postgres: walwriter", "postgres: checkpointer", "postgres: background writer")


def _postgres_cpu(database: str | None) -> dict[int, float]:
    """CPU seconds of each PostgreSQL process serving `database` (its backends and autovacuum workers, whose
    command line names it, and the shared WAL writer, checkpointer and background writer), by process id. None
    on SQLite, whose work runs inside the web processes."""
    if not database:
        return {}
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            cmd = _cmdline(int(entry.name))
            if cmd.startswith("postgres: ") and (f" {database} " in cmd or cmd.startswith(PG_SHARED)):
                found[int(entry.name)] = _cpu_seconds(int(entry.name))
    return found


def _postgres_cpu_since(before: dict[int, float], database: str | None) -> float:
    """What those processes spent since `before`: a backend that started since counts whole, one that ended
    (a web thread's connection renewed after DB_CONN_MAX_AGE) is missed for its last part (a slight undercount,
    never the negative a difference of sums gives)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _postgres_cpu(database).items())


def _machine_busy_seconds() -> float:
    """CPU time every core spent not idle (/proc/stat), in seconds: over a phase, divided by its length, how
    many of the machine's cores were busy (the benchmark's own clients, the server, the database, the rest)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / CLK_TCK


@dataclass
class Processes:
    """The server's process tree, split into web processes and background ones (worker, mail catcher).

    SQLite's checkpoint process counts with the web ones: the log it copies is theirs, and they copied it
    themselves before it ran apart."""

    root: int | None
    pg_database: str | None = None  # the PostgreSQL database the server uses, for its processes' CPU

    def split(self) -> tuple[list[int], list[int]]:
        if self.root is None:
            return [], []
        web, background = [], []
        for pid in _tree(self.root):
            cmd = _cmdline(pid)
            (background if ("worker" in cmd or "mailcatcher" in cmd) else web).append(pid)
        return web, background

    def cpu(self) -> tuple[float, float]:
        web, background = self.split()
        return sum(map(_cpu_seconds, web)), sum(map(_cpu_seconds, background))

    def rss_mb(self) -> tuple[float, float]:
        """The largest web process's RSS, and the web processes' memory together (PSS)."""
        web, _ = self.split()
        return max(map(_rss_mb, web), default=0.0), sum(map(_pss_mb, web))

    def master_rss_mb(self) -> float:
        """The gunicorn master's RSS (the `phoihop serve` process the web processes are forked from)."""
        return _rss_mb(self.root) if self.root is not None else 0.0


class Server:
    """`phoihop serve` on a new var folder (and a new PostgreSQL database), stopped and removed at the end."""

    def __init__(self, db: str, pg_url: str, keep: bool, serve_args: list[str] = ()):
        self.db, self.keep = db, keep
        self.var = Path(tempfile.mkdtemp(prefix="phoihop-http-"))
        self.port = _free_port()
        # The API key's fair-use budget (6000/hour) would refuse a benchmark after a few seconds: it
        # measures capacity, so the budget is lifted for the server it starts.
        self.env = {
            **os.environ,
            "PHOIHOP_VAR_DIR": str(self.var),
            "PHOIHOP_QUERY_COUNT_HEADER": "1",
            "PHOIHOP_RATE_API": "100000000/hour",
        }
        self.env.pop("DATABASE_URL", None)
        self.database_url = f"sqlite:///{self.var / 'phoihop.sqlite3'}"
        self.pg_db = None
        if db == "postgres":
            self.pg_db = f"phoihop_http_{os.getpid()}"
            self.pg_url = pg_url
            self._psql(f"CREATE DATABASE {self.pg_db}")
            self.env["DATABASE_URL"] = self.database_url = f"{pg_url}/{self.pg_db}"
        self.log = open(self.var / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(PHOIHOP), "serve", "--host", "127.0.0.1", "--port", str(self.port), *serve_args],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait()
        out = subprocess.run(
            [str(PHOIHOP), "issue-api-token", "--org", "st-viettel", "--name", "bench-http"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.token = next(line.strip() for line in out.splitlines() if "." in line and " " not in line.strip())

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.pg_url}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def _wait(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.var / 'server.log'}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
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
        if self.pg_db and not self.keep:
            self._psql(f"DROP DATABASE IF EXISTS {self.pg_db} WITH (FORCE)")
        elif self.pg_db:
            print(f"kept: {self.database_url}", file=sys.stderr)
        if not self.keep:
            shutil.rmtree(self.var, ignore_errors=True)


# --- The clients ------------------------------------------------------------------------------------


def report_body(rng: random.Random, n: int) -> dict[str, Any]:
    phone = f"09{rng.randrange(10**7, 10**8)}"
    site = f"khuyen-mai-{rng.randrange(10**6)}.com"
    behaviour = rng.choice(BEHAVIOURS)
    return {
        "behaviour": behaviour,
        "area": rng.choice(AREAS),
        "description": f"Cuộc gọi từ {phone} giả danh nhà mạng, yêu cầu vào {site} để nhận quà (#{n}).",
        "indicators": [{"kind": "phone", "value": phone}, {"kind": "url", "value": f"https://{site}/qua"}],
    }


@dataclass
class Sample:
    ms: float
    status: int
    queries: int | None


@dataclass
class Phase:
    """One kind of request, at one client count, for a fixed time."""

    name: str
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    web_cpu_s: float = 0.0
    worker_cpu_s: float = 0.0
    database_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    busy_s: float = 0.0
    rss_mb: float = 0.0
    pss_mb: float = 0.0
    master_rss_mb: float = 0.0
    tasks_waiting: int | None = None

    def figures(self) -> dict[str, Any]:
        ok = [s for s in self.samples if 200 <= s.status < 300]
        ms = sorted(s.ms for s in ok)
        queries = [s.queries for s in ok if s.queries is not None]

        def pct(p: float) -> float:
            return round(ms[min(len(ms) - 1, int(p * len(ms)))], 1) if ms else 0.0

        n = len(ok)
        return {
            "requests": n,
            "errors": len(self.samples) - n,
            "per_s": round(n / self.seconds, 1),
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "cpu_ms_per_request": round(1000 * self.web_cpu_s / n, 2) if n else None,
            "worker_cpu_ms_per_request": round(1000 * self.worker_cpu_s / n, 2) if n else None,
            # The rest of a request's CPU on this machine: PostgreSQL's processes, and the benchmark's own
            # clients (they share the cores with the server). With the web's and worker's, the whole budget:
            # two cores busy at `cores_busy` 2.0 serve at most 2000 / (the four together) requests a second.
            "database_cpu_ms_per_request": round(1000 * self.database_cpu_s / n, 2) if n else None,
            "client_cpu_ms_per_request": round(1000 * self.client_cpu_s / n, 2) if n else None,
            "cores_busy": round(self.busy_s / self.seconds, 2),
            "statements_per_request": round(statistics.mean(queries), 1) if queries else None,
            "web_rss_mb": round(self.rss_mb, 1),  # the largest web process
            "web_pss_mb": round(self.pss_mb, 1),  # all web processes together
            "master_rss_mb": round(self.master_rss_mb, 1),
            "tasks_waiting": self.tasks_waiting,  # ready tasks left when the phase ended (create phases)
        }


class Client(threading.Thread):
    """One keep-alive connection sending requests until the deadline."""

    def __init__(self, url: str, token: str, make_request, deadline: float, seed: int):
        super().__init__(daemon=True)
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.make_request, self.deadline = make_request, deadline
        self.rng = random.Random(seed)
        self.samples: list[Sample] = []
        self.created: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        n = 0
        while time.monotonic() < self.deadline:
            method, path, body = self.make_request(self.rng, n)
            n += 1
            start = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=self.headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.samples.append(Sample((time.perf_counter() - start) * 1000, 0, None))
                continue
            elapsed = (time.perf_counter() - start) * 1000
            header = response.getheader("X-Phoihop-Queries")
            self.samples.append(Sample(elapsed, response.status, int(header) if header else None))
            if method == "POST" and response.status == 201:
                self.created.append(json.loads(data)["reference"])
        conn.close()


def run_phase(name, url, token, processes: Processes, clients: int, seconds: float, make_request) -> Phase:
    phase = Phase(name, clients, seconds)
    web0, bg0 = processes.cpu()
    db0, client0, busy0 = _postgres_cpu(processes.pg_database), time.process_time(), _machine_busy_seconds()
    deadline = time.monotonic() + seconds
    threads = [Client(url, token, make_request, deadline, seed=1000 * clients + i) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    web1, bg1 = processes.cpu()
    phase.web_cpu_s, phase.worker_cpu_s = web1 - web0, bg1 - bg0
    phase.database_cpu_s = _postgres_cpu_since(db0, processes.pg_database)
    phase.client_cpu_s = time.process_time() - client0
    phase.busy_s = _machine_busy_seconds() - busy0
    phase.rss_mb, phase.pss_mb = processes.rss_mb()
    phase.master_rss_mb = processes.master_rss_mb()
    if name == "create":
        phase.tasks_waiting = tasks_waiting(url)
    for t in threads:
        phase.samples += t.samples
    phase.created = [ref for t in threads for ref in t.created]  # type: ignore[attr-defined]
    return phase


def tasks_waiting(url: str) -> int | None:
    """Ready tasks the worker has not taken yet, from `/health/` (its body also when it answers 503)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    try:
        conn.request("GET", "/health/")
        return json.loads(conn.getresponse().read())["queue"]["ready"]
    except (OSError, http.client.HTTPException, ValueError, KeyError):
        return None
    finally:
        conn.close()


def _pg_database(database_url: str | None) -> str | None:
    if not database_url or not database_url.startswith(("postgres://", "postgresql://")):
        return None
    return urllib.parse.urlsplit(database_url).path.lstrip("/") or None


def database_bytes(database_url: str) -> tuple[int, dict[str, int]]:
    """The reports stored, and the database's bytes by table (its indexes counted with it)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        path = database_url.removeprefix("sqlite:///")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE tbl_name IS NOT NULL"))
            split: dict[str, int] = {}
            for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
                table = owner.get(name, name)
                split[table] = split.get(table, 0) + size
            reports = conn.execute("SELECT COUNT(*) FROM intake_report").fetchone()[0]
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(database_url) as conn:
            split = dict(
                conn.execute("SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables").fetchall()
            )
            reports = conn.execute("SELECT COUNT(*) FROM intake_report").fetchone()[0]
    return reports, split


def database_growth(before: tuple[int, dict[str, int]], after: tuple[int, dict[str, int]]) -> dict[str, Any]:
    """Bytes the database grew by per report created between two looks, split by table, largest first.

    The growth, not the total: the rule set's reference data (areas and their outlines, the taxonomy) would
    otherwise swamp a benchmark's few thousand reports. Pages are allocated in steps (SQLite 4 KB pages,
    PostgreSQL 8 KB pages and index splits), so a short run reads a little high or low per table."""
    reports = after[0] - before[0]
    growth = {t: b - before[1].get(t, 0) for t, b in after[1].items()}
    growth = {t: g for t, g in sorted(growth.items(), key=lambda kv: -kv[1]) if g}
    total = sum(growth.values())
    return {
        "reports": reports,
        "reports_stored": after[0],
        "bytes": total,
        "bytes_per_report": round(total / reports) if reports else None,
        "per_report_by_table": {t: round(g / reports) for t, g in list(growth.items())[:15]} if reports else {},
    }


def measure(
    url: str, token: str, processes: Processes, client_counts: list[int], seconds: float, reads: bool = True
) -> dict:
    results: dict[str, Any] = {"url": url, "seconds_per_phase": seconds, "phases": {}}
    create = lambda rng, n: ("POST", "/api/v1/reports/", report_body(rng, n))  # noqa: E731
    run_phase("warm-up", url, token, processes, 1, min(5.0, seconds), create)
    references: list[str] = []
    for clients in client_counts:
        phase = run_phase("create", url, token, processes, clients, seconds, create)
        references += phase.created  # type: ignore[attr-defined]
        results["phases"][f"create@{clients}"] = phase.figures()
    if not references:
        raise SystemExit("no report was created: is the token right? (see the server log)")
    if not reads:
        return results
    phones = [f"09{random.Random(i).randrange(10**7, 10**8)}" for i in range(50)]
    reads = {
        "read_one": lambda rng, n: ("GET", f"/api/v1/reports/{rng.choice(references)}/", None),
        "read_one_expanded": lambda rng, n: (
            "GET",
            f"/api/v1/reports/{rng.choice(references)}/?expand=correlations",
            None,
        ),
        "newest_50": lambda rng, n: ("GET", "/api/v1/reports/?page_size=50", None),
        "lookup": lambda rng, n: ("GET", f"/api/v1/indicators/lookup/?kind=phone&value={rng.choice(phones)}", None),
    }
    for clients in client_counts:
        for name, make in reads.items():
            results["phases"][f"{name}@{clients}"] = run_phase(
                name, url, token, processes, clients, seconds, make
            ).figures()
    return results


def calibration_ms() -> float:
    """How fast this machine runs plain Python: the median of 5 × `sum(range(10**6))`, in ms.

    CPU per request scales with it, so figures from two machines compare through it (a figure measured
    where this reads 30 ms would be about a third of it where it reads 10 ms)."""
    times = []
    for _ in range(5):
        t0 = time.process_time()
        sum(range(10**6))
        times.append((time.process_time() - t0) * 1000)
    return round(statistics.median(times), 1)


def headline(results: dict, client_counts: list[int]) -> dict[str, Any]:
    """The figures the issue asks for, from the highest client count's create phase."""
    top = results["phases"][f"create@{max(client_counts)}"]
    one = results["phases"][f"create@{min(client_counts)}"]
    return {
        "creates_per_s": top["per_s"],
        "p99_ms": top["p99_ms"],
        "cpu_ms_per_create": top["cpu_ms_per_request"],
        "statements_per_create": top["statements_per_request"],
        "scaling": round(top["per_s"] / one["per_s"], 2) if one["per_s"] else None,
        "web_rss_mb": max(f["web_rss_mb"] for f in results["phases"].values()),
        "tasks_waiting": top["tasks_waiting"],
    }


def table(results: dict) -> str:
    rows = [
        "| request @ clients | req/s | p50 / p95 / p99 ms | web CPU ms/req | worker / database / client CPU ms/req "
        "| cores busy | SQL/req | errors | largest web process RSS (master's) / all web PSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in results["phases"].items():
        rows.append(
            f"| {name} | {f['per_s']} | {f['p50_ms']} / {f['p95_ms']} / {f['p99_ms']} | {f['cpu_ms_per_request']} "
            f"| {f['worker_cpu_ms_per_request']} / {f['database_cpu_ms_per_request']} "
            f"/ {f['client_cpu_ms_per_request']} "
            f"| {f['cores_busy']} | {f['statements_per_request']} | {f['errors']} "
            f"| {f['web_rss_mb']} ({f['master_rss_mb']}) / {f['web_pss_mb']} |"
        )
    for name, f in results["phases"].items():
        if f["tasks_waiting"] is not None:
            rows.append(f"tasks waiting at the end of the phase {name}: {f['tasks_waiting']}")
    disk = results.get("database")
    if disk:
        split = ", ".join(f"{t} {b}" for t, b in disk["per_report_by_table"].items())
        rows.append(
            f"database bytes per report: {disk['bytes_per_report']} (grew {disk['bytes']} bytes for "
            f"{disk['reports']} reports created, {disk['reports_stored']} stored); by table with its indexes: {split}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite", help="default: the README's (SQLite)")
    p.add_argument("--url", help="measure a server that runs already (then --token is needed)")
    p.add_argument("--token", help="an API key of an enterprise, with --url")
    p.add_argument("--pid", type=int, help="with --url: the server's process id, for the CPU figures")
    p.add_argument(
        "--database-url", help="with --url: its DATABASE_URL (sqlite:////path or postgres://...), for the disk figure"
    )
    p.add_argument("--clients", default="1,8", help="client counts, comma-separated (default 1,8)")
    p.add_argument("--seconds", type=float, default=20.0, help="length of each phase (default 20)")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--processes", type=int, help="web processes of the server it starts (default: serve's)")
    p.add_argument("--threads", type=int, help="threads per web process of the server it starts (default: serve's)")
    p.add_argument("--creates-only", action="store_true", help="measure the creates only, not the reads")
    p.add_argument(
        "--keep", action="store_true", help="keep the var folder (its server.log) and the PostgreSQL database"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = p.parse_args(argv)
    counts = [int(c) for c in args.clients.split(",")]
    server = None
    if args.url:
        if not args.token:
            p.error("--url needs --token")
        url, token = args.url.rstrip("/"), args.token
        processes = Processes(args.pid, _pg_database(args.database_url))
    else:
        serve_args = [
            *(["--processes", str(args.processes)] if args.processes else []),
            *(["--threads", str(args.threads)] if args.threads else []),
        ]
        server = Server(args.db, args.pg_url, args.keep, serve_args)
        url, token = server.url, server.token
        processes = Processes(server.proc.pid, _pg_database(server.database_url))
    try:
        database_url = server.database_url if server else args.database_url
        before = database_bytes(database_url) if database_url else None
        results = measure(url, token, processes, counts, args.seconds, reads=not args.creates_only)
        if database_url and before:
            results["database"] = database_growth(before, database_bytes(database_url))
    finally:
        if server:
            server.stop()
    results |= {
        "db": args.db if not args.url else None,
        "cores": os.cpu_count(),
        "calibration_ms": calibration_ms(),
        "load_average": os.getloadavg()[0],
        **headline(results, counts),
    }
    if args.json:
        print(json.dumps(results))
    else:
        print(table(results))
        print(
            f"this machine: sum(range(10**6)) in {results['calibration_ms']} ms of CPU, "
            f"load average {results['load_average']:.1f} at the end"
        )
        print(json.dumps(headline(results, counts)))


if __name__ == "__main__":
    sys.exit(main())
