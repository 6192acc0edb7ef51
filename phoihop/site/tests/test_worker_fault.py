"""Real processes: a `phoihop worker` killed with SIGKILL mid-task, its task taken again by another worker
and its effect happening once; `phoihop serve`'s supervision restarting a child that died.

The worker runs on a file SQLite database under a temporary PHOIHOP_VAR_DIR (whatever DATABASE_URL the
suite runs with), so nothing here touches the test database.
"""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from phoihop.site.supervise import Supervised, Supervisor

ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


PG_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture
def postgres_url():
    """A database of its own on the suite's PostgreSQL server, dropped afterwards."""
    if not PG_URL.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://...")
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    name = f"{name.split('?')[0]}_fault_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(request, tmp_path):
    """Run `phoihop` commands and workers on a database of their own (SQLite file, or PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    engine = getattr(request, "param", "sqlite")
    if engine == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    env.update(
        PHOIHOP_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="config.settings",
        PHOIHOP_TASK_LEASE_SECONDS="1",
        PHOIHOP_TASK_SWEEP_SECONDS="0.5",
        PHOIHOP_WORKER_HEARTBEAT_SECONDS="0.2",
        PHOIHOP_WORKER_STALE_SECONDS="1.5",
        LOG_LEVEL="WARNING",
    )

    def phoihop(*args, **kwargs):
        return subprocess.run(
            [sys.executable, "-m", "phoihop.cli", *args], env=env, cwd=ROOT, check=True, capture_output=True, **kwargs
        )

    def worker():
        return subprocess.Popen(
            [sys.executable, "-m", "phoihop.cli", "worker", "--no-startup-delay", "--interval", "0.1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    query = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"

    def rows():
        if engine == "postgres":
            import psycopg

            with psycopg.connect(env["DATABASE_URL"]) as db:
                found = db.execute(query).fetchall()
        else:
            with sqlite3.connect(tmp_path / "var" / "phoihop.sqlite3") as db:
                found = db.execute(query).fetchall()
        return [(status, json.loads(ids) if isinstance(ids, str) else ids) for status, ids in found]

    phoihop("migrate", "--verbosity", "0")
    return phoihop, worker, rows


@pytest.mark.parametrize("site", ["sqlite", "postgres"], indirect=True)
def test_a_worker_killed_mid_task_loses_nothing_and_the_task_runs_once_more(site, tmp_path):
    phoihop, worker, rows = site
    effect = tmp_path / "effect"
    enqueue = f"from phoihop.site.tests.faulttasks import slow_mark; slow_mark.enqueue({str(effect)!r}, 3)"
    phoihop("shell", "-c", enqueue)
    first = worker()
    try:
        wait_for(lambda: Path(f"{effect}.started").exists(), 60, "the first worker to start the task")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        [(status, _)] = rows()
        assert status == "RUNNING", "django-tasks-db alone would leave it so for ever"
    finally:
        first.kill()
    second = worker()
    try:
        wait_for(lambda: rows()[0][0] == "SUCCESSFUL", 60, "the second worker to run the task again")
    finally:
        second.terminate()
        second.wait(timeout=10)
    [(status, worker_ids)] = rows()
    assert len(worker_ids) == 2, "two attempts: the killed one and the finished one"
    assert Path(f"{effect}.started").read_text().count("started") == 2
    assert effect.read_text() == "done\n", "its effect happened once"


def test_serve_restarts_a_child_that_dies(tmp_path):
    child = Supervised("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], first_backoff=0.2)
    supervisor = Supervisor([child], interval=0.1)
    supervisor.start()
    try:
        pid = child.process.pid
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: child.restarts == 1 and child.process.poll() is None, 10, "the restart")
        assert child.process.pid != pid
    finally:
        supervisor.stop(timeout=5)
    assert child.process.poll() is not None, "stopping serve stops its children"


def test_a_child_that_keeps_dying_is_restarted_ever_more_slowly():
    now = [0.0]
    child = Supervised("crasher", [sys.executable, "-c", "raise SystemExit(3)"], clock=lambda: now[0])
    child.start()
    waits = []
    for _ in range(5):
        child.process.wait(timeout=10)
        child.poll()  # notices the death, schedules the restart
        waits.append(child.restart_at - now[0])
        now[0] = child.restart_at
        child.poll()  # restarts
    assert waits == [1, 2, 4, 8, 16] and child.restarts == 5
    child.process.wait(timeout=10)
    now[0] += 120  # it had stayed up a while before this death: back to a short wait
    child.started_at = now[0] - 100
    child.poll()
    assert child.restart_at - now[0] == 1


def test_a_worker_outlives_a_database_outage_and_recovers_at_once(site, tmp_path):
    """The database locked for longer than the busy timeout (10 s): the worker neither exits nor stays
    stuck; time to recover = from the lock's release to its next heartbeat written."""
    phoihop, worker, _ = site
    running = worker()
    path = tmp_path / "var" / "phoihop.sqlite3"

    def last_beat():
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT max(last_seen) FROM phoihop_site_workerheartbeat").fetchone()
        return row[0] and dt.datetime.fromisoformat(row[0]).replace(tzinfo=dt.UTC)

    try:
        wait_for(last_beat, 60, "the first heartbeat")
        lock = sqlite3.connect(path, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        time.sleep(12)  # past the 10-second busy timeout: the worker's queries fail with "database is locked"
        lock.execute("ROLLBACK")
        lock.close()
        released, released_at = time.monotonic(), dt.datetime.now(dt.UTC)
        wait_for(lambda: (beat := last_beat()) and beat > released_at, 30, "a heartbeat after the outage")
        recovered = time.monotonic() - released
        print(f"\nworker: heartbeat written again {recovered * 1000:.0f} ms after the database came back")
        assert running.poll() is None, "the worker did not exit"
        effect = tmp_path / "after"
        phoihop(
            "shell", "-c", f"from phoihop.site.tests.faulttasks import slow_mark; slow_mark.enqueue({str(effect)!r}, 0)"
        )
        wait_for(effect.exists, 30, "a task queued after the outage to run")
        assert recovered < 5
    finally:
        running.terminate()
        running.wait(timeout=10)
