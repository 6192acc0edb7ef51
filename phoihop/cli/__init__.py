"""The `phoihop` console command: friendly verbs over Django's management commands.

phoihop serve [--port 8000]       migrate, load rule sets, demo data, start worker + web server
phoihop load-rules [CODE ...]     load (or reload) rule-set folders
phoihop route --behaviour 13.4 --district "Vĩnh Châu" [--reporter-type enterprise]
phoihop audit verify              check the audit log's hash chain
phoihop worker                    run the background task worker
phoihop <any manage.py command>   e.g. phoihop createsuperuser

A refusal (phoihop.core.errors.DomainError) ends the command with its message on stderr and its exit
code: 1 refused, 2 invalid input, 3 not allowed, 4 conflict, 5 unavailable.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "load-rules": ["load_rules"],
    "route": ["route"],
    "worker": ["worker"],  # site's wrapper of db_worker: heartbeat, leases, retries
    "seed-demo": ["seed_demo"],
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Whatever a command creates under var/ (the SQLite file and its journal, evidence, keys, mail) is
    # readable by the service's own user and group only: 0640 files, 0750 folders.
    os.umask(0o027)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    verb, rest = argv[0], argv[1:]
    if verb == "audit" and rest[:1] == ["verify"]:
        command = ["audit_verify", *rest[1:]]
    else:
        command = [*ALIASES.get(verb, [verb.replace("-", "_")]), *rest]
    from phoihop.core.errors import DomainError

    try:
        execute_from_command_line(["phoihop", *command])
    except DomainError as exc:
        sys.stderr.write(f"{_message(exc)}\n")
        sys.exit(exc.exit_code)


def _message(exc) -> str:
    """The refusal for a person: its message, then one line per field when there are several."""
    lines = [str(exc.message)]
    if len(exc.errors) > 1:
        lines += [f"  {field or '-'}: {' '.join(messages)}" for field, messages in exc.errors.items()]
    return "\n".join(lines)
