"""Child processes of `phoihop serve` (the task worker, the mail catcher, SQLite's checkpoint process) kept alive.

Each child is polled every second; one that exited is started again after a back-off that doubles with
each quick death (1 s, 2 s, 4 s... up to a minute) and starts over once a child stayed up a minute.
Every death and restart is logged, with the exit code.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger("phoihop.serve")


class Supervised:
    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        first_backoff: float = 1.0,
        max_backoff: float = 60.0,
        stable_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.name, self.argv = name, list(argv)
        self.first_backoff, self.max_backoff, self.stable_after = first_backoff, max_backoff, stable_after
        self.clock = clock
        self.process: subprocess.Popen | None = None
        self.backoff = first_backoff
        self.restarts = 0
        self.started_at = 0.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own interpreter and arguments
        self.started_at = self.clock()
        self.restart_at = None

    def poll(self) -> None:
        """Restart the child when it died and its back-off has passed."""
        if self.process is None:
            return
        now = self.clock()
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at >= self.stable_after:
                self.backoff = self.first_backoff  # it had been running well: this is a fresh failure
            self.restart_at = now + self.backoff
            logger.error(
                "%s (pid %s) exited with %s: restarting in %.0f s", self.name, self.process.pid, code, self.backoff
            )
            self.backoff = min(self.backoff * 2, self.max_backoff)
        if now >= self.restart_at:
            self.start()
            self.restarts += 1
            logger.warning("%s restarted (pid %s, restart %d)", self.name, self.process.pid, self.restarts)

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Supervisor:
    """Polls its children from a daemon thread until stopped, then stops them."""

    def __init__(self, children: Sequence[Supervised], *, interval: float = 1.0):
        self.children = list(children)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="phoihop-supervisor", daemon=True)

    def start(self) -> None:
        for child in self.children:
            child.start()
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            for child in self.children:
                try:
                    child.poll()
                except OSError as exc:  # could not even start it: try again after the back-off
                    logger.error("%s could not be started: %s", child.name, exc)
                    child.restart_at = child.clock() + child.backoff

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 1)
        for child in self.children:
            child.terminate()
        for child in self.children:
            child.wait(timeout)
