"""The task worker yields the cores to the web: it lowers its own CPU priority by PHOIHOP_WORKER_NICE."""

import os
import subprocess
import sys

import pytest

CHILD = """
import os
import django
django.setup()
from phoihop.site.management.commands.worker import lower_priority
before = os.getpriority(os.PRIO_PROCESS, 0)
lower_priority({nice})
print(before, os.getpriority(os.PRIO_PROCESS, 0))
"""


@pytest.mark.parametrize(("nice", "added"), [(5, 5), (0, 0)])
def test_the_worker_lowers_its_priority(nice, added):
    # In a child process: a process cannot raise its priority again, and the test runner's must stay as it is.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(nice=nice)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    before, after = int(out[0]), int(out[1])
    assert after == min(19, before + added)


def test_the_setting_defaults_to_five(settings):
    assert settings.PHOIHOP_WORKER_NICE == 5
