"""`phoihop serve` sets up in a child process of its own (so the web processes it forks stay small, issue 9)."""

from __future__ import annotations

import subprocess

import pytest

from phoihop.site.management.commands import serve
from phoihop.site.management.commands.serve import Command, malloc_arenas_limit


def test_serve_runs_its_setup_in_a_child_and_stops_with_its_exit_code_when_it_fails(monkeypatch):
    calls = []

    def failed_setup(argv, check):
        calls.append(argv)
        return subprocess.CompletedProcess(argv, 2)

    def no_server(*args, **kwargs):
        raise AssertionError("nothing may be served after a failed set-up")

    monkeypatch.setattr(serve.subprocess, "run", failed_setup)
    monkeypatch.setattr(serve, "Supervisor", no_server)
    monkeypatch.setattr(serve, "WebServer", no_server)
    with pytest.raises(SystemExit) as stopped:
        Command().handle(host="127.0.0.1", port=0, demo=True, no_worker=True, processes=1, threads=1, setup_only=False)
    assert stopped.value.code == 2
    (argv,) = calls
    assert argv[-3:] == ["serve", "--setup-only", "--demo"]  # the demo data too, in the child


def test_setup_only_sets_up_and_serves_nothing(monkeypatch):
    done = []
    monkeypatch.setattr(Command, "_setup", lambda self, *, demo: done.append(demo))
    monkeypatch.setattr(serve, "WebServer", lambda *a, **k: pytest.fail("--setup-only must not serve"))
    Command().handle(host="127.0.0.1", port=0, demo=False, no_worker=True, processes=1, threads=1, setup_only=True)
    assert done == [False]


def test_malloc_arenas_are_left_alone_when_the_environment_sets_them(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert malloc_arenas_limit(2) is False
