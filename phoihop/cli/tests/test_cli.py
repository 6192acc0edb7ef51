"""The `phoihop` command: a refusal of the domain ends the command with its exit code, no traceback."""

from __future__ import annotations

import pytest
from django.core.management import BaseCommand

from phoihop import cli
from phoihop.core.errors import Conflict, Invalid


class _Refusing(BaseCommand):
    error: Exception

    def handle(self, *args, **options):
        raise self.error


@pytest.fixture
def refusing_command(monkeypatch):
    """`phoihop refuse` runs a command that raises the error the test sets."""
    from django.core import management

    command = _Refusing()
    real, known = management.load_command_class, management.get_commands()
    monkeypatch.setattr(management, "get_commands", lambda: {**known, "refuse": "test"})
    monkeypatch.setattr(
        management,
        "load_command_class",
        lambda app, name: command if name == "refuse" else real(app, name),
    )
    return command


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (Conflict("The case is already closed."), 4, "The case is already closed."),
        (Invalid({"org": ["Unknown organisation."], "name": ["Required."]}), 2, "org: Unknown organisation."),
    ],
)
def test_a_refusal_exits_with_its_code_and_message_on_stderr(refusing_command, capsys, error, code, message):
    refusing_command.error = error
    with pytest.raises(SystemExit) as exit_:
        cli.main(["refuse"])
    assert exit_.value.code == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_bug_still_raises(refusing_command):
    refusing_command.error = ZeroDivisionError()
    with pytest.raises(ZeroDivisionError):
        cli.main(["refuse"])
