"""End-to-end harness: a real `phoihop serve` process and Debian's headless Chromium via Playwright.

The server runs on its own database (a temporary SQLite file, or a fresh PostgreSQL database when
DATABASE_URL points at PostgreSQL), set up exactly as a user's first start would set it up.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    path = os.environ.get("PHOIHOP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is required for the browser tests (./run test installs it)")
    return path


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'e2e.sqlite3'}"
        return
    import psycopg

    name = f"phoihop_e2e_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server(tmp_path_factory, e2e_database):
    """A running server: base URL, the var folder and the demo accounts' passwords."""
    var = tmp_path_factory.mktemp("e2e-var")
    port, smtp_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "PHOIHOP_VAR_DIR": str(var),
        "DATABASE_URL": e2e_database,
        "EMAIL_PORT": str(smtp_port),
        "PYTHONUNBUFFERED": "1",
        # Every browser test comes from 127.0.0.1: lift the per-client limits for the suite.
        "PHOIHOP_RATE_PUBLIC_REPORT": "1000/hour",
        "PHOIHOP_RATE_TRACK": "1000/hour",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(var / "server.log", "w")  # noqa: SIM115 (kept open for the server's lifetime)
    proc = subprocess.Popen(
        [sys.executable, "-m", "phoihop.cli", "serve", "--demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # `serve --demo` migrates and creates the whole demo set (DEMO keys, signed documents...) before it serves;
    # on a shared machine under heavy load that can take longer than the ten minutes allowed by default.
    deadline = time.time() + int(os.environ.get("PHOIHOP_E2E_START_SECONDS", "600"))
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited early:\n{(var / 'server.log').read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2) as resp:  # noqa: S310 (local test server)
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail(f"server did not start:\n{(var / 'server.log').read_text()[-4000:]}")
    passwords = json.loads((var / "demo-accounts.json").read_text())
    yield {"url": base, "var": var, "passwords": passwords, "env": env}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=_chromium(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, request):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def people(browser, server, request):
    """One browser page per person, each in a context of its own as on their own machine: `people(username)`
    signs that account in, `people(None)` is someone without an account (a citizen), and `key=` tells two such
    apart. A screenshot of each at the end, named after the test module (`case-journey-dic.focal.png`)."""
    contexts = {}
    shots = request.module.__name__.rpartition(".")[2].removeprefix("test_").replace("_", "-")

    def as_(username: str | None, key: str = ""):
        key = key or username or "citizen"
        if key not in contexts:
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(20000)
            if username:
                login(page, server, username)
            contexts[key] = (context, page)
        return contexts[key][1]

    yield as_
    ARTIFACTS.mkdir(exist_ok=True)
    for key, (context, page) in contexts.items():
        page.screenshot(path=str(ARTIFACTS / f"{shots}-{key}.png"), full_page=True)
        context.close()


def login(page, server, username: str) -> None:
    page.goto(f"{server['url']}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", server["passwords"][username])
    page.click("form.form button[type=submit]")
    # Signed in when the account's name is in the page: on a phone it sits in the folded menu (not visible).
    page.wait_for_selector("[data-testid=who]", state="attached")
