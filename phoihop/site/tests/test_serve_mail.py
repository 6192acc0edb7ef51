"""`phoihop serve` without EMAIL_HOST: mail goes to its own catcher, on a port it chose, and nowhere else."""

from __future__ import annotations

import os
import socket
import time

from django.core.mail import send_mail

from phoihop.site.management.commands.serve import Command

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_without_email_host_mail_goes_to_the_catcher_serve_started(settings, monkeypatch, tmp_path):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST_CONFIGURED, settings.VAR_DIR = SMTP, False, tmp_path
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS"):
        monkeypatch.setenv(name, "")  # recorded, so the command's values are taken back afterwards
        monkeypatch.delenv(name)
    with socket.socket() as decoy:  # someone else listening where mail used to go by default
        decoy.bind(("127.0.0.1", 0))
        decoy.listen()
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", decoy.getsockname()[1]
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
        (catcher,) = [c for c in Command()._children(no_worker=True) if c.name == "mail catcher"]
        port = settings.EMAIL_PORT
        assert port != decoy.getsockname()[1]
        # The worker, started as a child process, reads the same address from its environment.
        assert (os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"]) == ("127.0.0.1", str(port))
        catcher.start()
        try:
            deadline = time.monotonic() + 20
            while not _listening(port) and time.monotonic() < deadline:
                time.sleep(0.1)
            send_mail("Báo cáo mới", "Nội dung", "no-reply@phoihop.example.vn", ["dau-moi@example.vn"])
        finally:
            catcher.process.terminate()
            catcher.process.wait(timeout=10)
    (saved,) = (tmp_path / "mail").glob("*.eml")
    assert "dau-moi@example.vn" in saved.read_text()


def test_with_email_host_serve_starts_no_catcher_even_if_nothing_answers(settings):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST_CONFIGURED = SMTP, True
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: mail waits in the outbox
    assert "mail catcher" not in [c.name for c in Command()._children(no_worker=True)]
    assert settings.EMAIL_PORT == 9
