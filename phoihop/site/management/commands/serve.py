"""`phoihop serve`: everything a first start needs, then the task worker and the web server.

Migrates, creates the cache table, loads the rule sets, creates the demo data when asked (`--demo`, as
`./run start` does; a production start never seeds accounts), collects static files, queues the
periodic work, starts the background task worker as its own process (and its own mail catcher on a free
local port when no EMAIL_HOST is configured), both restarted with back-off whenever they die, then serves the app with
gunicorn: pre-forked web processes, one per core by default (PHOIHOP_WEB_PROCESSES), each with a few
threads, so every core serves requests.

Memory (issue 9: a web process under 150 MB): the web processes are forked from this one, so whatever it
holds they start with. The set-up (migrations' graph, the rule-set loader, collectstatic's manifest: some
55 MB that Python keeps once freed) therefore runs in a child process of its own (`serve --setup-only`), and
glibc's malloc is held to two arenas before the fork (`mallopt(M_ARENA_MAX)`, as MALLOC_ARENA_MAX does):
by default every thread of a web process gets an arena of its own, each keeping its freed memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
import socket
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.backends.sqlite3.creation import DatabaseCreation
from gunicorn.app.base import BaseApplication

from phoihop.site.supervise import Supervised, Supervisor


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _free_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_processes() -> int:
    """How many web processes: PHOIHOP_WEB_PROCESSES, else one per core (at least one)."""
    value = os.environ.get("PHOIHOP_WEB_PROCESSES", "")
    return max(int(value), 1) if value.strip() else max(os.cpu_count() or 1, 1)


class WebServer(BaseApplication):
    """gunicorn, configured here rather than from a file (the app is the project's WSGI application)."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from phoihop.site.wsgi import build

        return build()


def malloc_arenas_limit(arenas: int) -> bool:
    """Hold glibc's malloc to `arenas` arenas in this process and the ones it forks; False elsewhere.

    glibc gives each thread that meets a locked arena one of its own (up to 8 per core), and each keeps
    the memory its thread freed: four threads in a web process grew it by tens of MB that no other thread
    could reuse. MALLOC_ARENA_MAX, when the environment sets it, is left as it is (glibc read it at start).
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS): nothing to hold
        return False
    m_arena_max = -8  # malloc.h
    return bool(mallopt(m_arena_max, arenas))


def _close_connections(*args: Any) -> None:
    """A forked web process must not share the parent's database connections."""
    from django.db import connections

    connections.close_all()


class Command(BaseCommand):
    help = "Set up (idempotent) and serve the app with its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--demo", action="store_true", help="create the demo accounts and data (never in production)"
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument("--processes", type=int, default=None, help="web processes (default: one per core)")
        parser.add_argument("--threads", type=int, default=4, help="threads per web process")
        parser.add_argument(
            "--setup-only",
            action="store_true",
            help="set up (migrations, rule sets, demo data with --demo, static files, periodic work) and exit",
        )

    def handle(self, *args, host, port, demo, no_worker, processes, threads, setup_only, **options):
        if setup_only:
            self._setup(demo=demo)
            return
        # The set-up runs in a process of its own: what it leaves in memory is not inherited by every web
        # process forked from this one (the module docstring).
        argv = [sys.executable, "-m", "phoihop.cli", "serve", "--setup-only", *(["--demo"] if demo else [])]
        done = subprocess.run(argv, check=False)  # our own interpreter and arguments
        if done.returncode:
            sys.exit(done.returncode)  # the child said why on stderr
        if demo:
            # The web processes are forked from this one: only a --demo start waives the second factor of
            # the demo accounts (and shows the DEMO banner); no environment variable can turn it on.
            settings.PHOIHOP_DEMO = True
        supervisor = Supervisor(self._children(no_worker=no_worker))
        supervisor.start()  # a child that dies is restarted with back-off (site.supervise)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        processes = processes or web_processes()
        self.stdout.write(
            f"phoihop is serving on http://{host}:{port}/ with {processes} web processes × {threads} threads"
            "  (Ctrl-C to stop)"
        )
        proxy = settings.TRUSTED_PROXY_OPTIONS
        if proxy.get("trusted_proxy"):
            self.stdout.write(f"trusting X-Forwarded-* from {proxy['trusted_proxy']}")
        _close_connections()
        malloc_arenas_limit(2)
        # What this process holds is shared with the forked web processes until written: kept out of the
        # collector's reach, so a collection in a web process does not copy every page it walks.
        gc.collect()
        gc.freeze()
        try:
            WebServer(
                {
                    "bind": f"{host}:{port}",
                    "workers": processes,
                    "threads": threads,
                    "worker_class": "gthread",
                    "proc_name": "phoihop-web",
                    "accesslog": None,
                    "errorlog": "-",
                    "loglevel": "warning",
                    "timeout": 60,
                    "graceful_timeout": 20,
                    "keepalive": 30,
                    # A long-lived process is renewed now and then, so memory never creeps up unbounded.
                    "max_requests": 20000,
                    "max_requests_jitter": 2000,
                    "post_fork": lambda server, worker: _close_connections(),
                }
            ).run()
        finally:
            supervisor.stop(timeout=10)

    def _setup(self, *, demo: bool) -> None:
        """Everything a first start needs, idempotent: run by `serve --setup-only` in a child process."""
        call_command("migrate", interactive=False, verbosity=0)
        from phoihop.site.maintenance import var_files_restrict

        var_files_restrict()  # the database is not for other users of the machine to read
        call_command("createcachetable", verbosity=0)  # the shared cache of rate limits (a no-op with Redis)
        call_command("load_rules")
        if demo:
            call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        self._schedule()

    def _schedule(self) -> None:
        """Queue the periodic work of each app once (each task re-queues itself)."""
        from phoihop.audit.tasks import schedule_checkpoints
        from phoihop.inbox.tasks import schedule_notifications
        from phoihop.intake.tasks import schedule_evidence_sweep
        from phoihop.site.maintenance import database_optimize
        from phoihop.site.tasks import schedule_maintenance

        database_optimize()  # planner statistics before the first request, then hourly by the worker
        schedule_maintenance()
        schedule_evidence_sweep()
        schedule_checkpoints()
        schedule_notifications()  # digests to focal points, escalation to heads (Đ3.3, Đ3.4)

    def _children(self, *, no_worker: bool) -> list[Supervised]:
        children: list[Supervised] = []
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and not settings.EMAIL_HOST_CONFIGURED:
            # No EMAIL_HOST: our own catcher on a free local port chosen now, and the web processes (forked
            # from this one) and the worker (its environment) pointed at exactly that port, so mail never
            # goes to whatever else may listen on a well-known one.
            port = _free_local_port()
            settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
            os.environ.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"})
            argv = [sys.executable, "-m", "phoihop.site.mailcatcher", "127.0.0.1", str(port)]
            children.append(Supervised("mail catcher", [*argv, str(settings.VAR_DIR / "mail")]))
            self.stdout.write(f"mail: no EMAIL_HOST, catching mail on 127.0.0.1:{port} in {settings.VAR_DIR / 'mail'}")
        database = settings.DATABASES["default"]
        name = database["NAME"]
        if database["ENGINE"] == "phoihop.core.sqlite" and name and not DatabaseCreation.is_in_memory_db(name):
            # SQLite's log copied into the database beside the writers, not by the commit that fills it while
            # it holds the write lock (issue 9).
            argv = [sys.executable, "-m", "phoihop.core.sqlite.checkpoint", os.path.abspath(name)]
            children.append(Supervised("SQLite checkpoints", argv))
        if not no_worker:
            children.append(Supervised("task worker", [sys.executable, "-m", "phoihop.cli", "worker"]))
        return children
