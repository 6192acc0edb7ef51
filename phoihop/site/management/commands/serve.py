"""`phoihop serve`: everything a first start needs, then the worker and the web server.

Migrates, creates the cache table, loads the rule sets, creates the demo data, collects static files,
starts the background task worker as its own process (and a local mail catcher when no SMTP server
answers), then serves the app with waitress on http://127.0.0.1:8000 (see proxy_options behind a proxy).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def proxy_options() -> dict:
    """Waitress's proxy settings (settings.WAITRESS_PROXY, from TRUSTED_PROXY and friends).

    Without a trusted proxy waitress ignores X-Forwarded-* entirely (REMOTE_ADDR is the peer), so the
    options are passed only when one is configured.
    """
    options = dict(getattr(settings, "WAITRESS_PROXY", {}))
    if not options.get("trusted_proxy"):
        return {}
    return options


class Command(BaseCommand):
    help = "Set up (idempotent) and serve the app with its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="skip the demo accounts and data")
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, no_demo, no_worker, threads, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # the shared cache of rate limits (a no-op with Redis)
        call_command("load_rules")
        if not no_demo:
            call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        from phoihop.site.maintenance import database_optimize
        from phoihop.site.tasks import schedule_maintenance

        database_optimize()  # planner statistics before the first request, then hourly by the worker
        schedule_maintenance()
        children: list[subprocess.Popen] = []
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and not _port_open(
            settings.EMAIL_HOST, settings.EMAIL_PORT
        ):
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "phoihop.site.mailcatcher",
                        settings.EMAIL_HOST,
                        str(settings.EMAIL_PORT),
                        str(settings.VAR_DIR / "mail"),
                    ]
                )
            )
            self.stdout.write(f"mail: no SMTP server answered, catching mail in {settings.VAR_DIR / 'mail'}")
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "phoihop.cli", "worker"]))
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        from waitress import serve

        from config.wsgi import application

        self.stdout.write(f"phoihop is serving on http://{host}:{port}/  (Ctrl-C to stop)")
        if proxy_options():
            self.stdout.write(f"trusting X-Forwarded-* from {settings.WAITRESS_PROXY['trusted_proxy']}")
        try:
            serve(application, host=host, port=port, threads=threads, ident="phoihop", **proxy_options())
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)
