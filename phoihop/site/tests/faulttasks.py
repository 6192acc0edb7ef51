"""Tasks for the fault tests: their effects are lines appended to a file, so a test can count them."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_mark(path: str, seconds: float) -> str:
    """Note the start, sleep, then write the effect (one line "done") at the very end."""
    with Path(f"{path}.started").open("a") as fh:
        fh.write("started\n")
    time.sleep(seconds)
    with Path(path).open("a") as fh:
        fh.write("done\n")
    return "done"


@task()
def flaky(path: str, failures: int) -> int:
    """Fails its first `failures` runs, then succeeds; each run leaves one line."""
    file = Path(path)
    runs = len(file.read_text().splitlines()) + 1 if file.exists() else 1
    with file.open("a") as fh:
        fh.write(f"run {runs}\n")
    if runs <= failures:
        raise RuntimeError(f"failure {runs} of {failures}")
    return runs
