"""Issue 13 in the browser: an officer uploads evidence on a case, sees its SHA-256 and downloads it (the same
bytes); the page also works on a phone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

# A small PNG (the type is read from the content, so it must really be one).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PNG_DIGEST = hashlib.sha256(PNG).hexdigest()
STEP = 60_000  # a busy two-core machine: each step may take a while


def _open_first_case(page, server) -> None:
    page.goto(f"{server['url']}/cases/")
    page.locator("a[href^='/cases/VV']").first.click()
    page.wait_for_selector("[data-testid=case-page]", timeout=STEP)


def test_an_officer_uploads_evidence_sees_its_sha256_and_downloads_it(page, server, tmp_path: Path):
    page.set_default_timeout(STEP)
    login(page, server, "dic.focal")
    _open_first_case(page, server)

    screenshot = tmp_path / "tin-nhan-lua-dao.png"
    screenshot.write_bytes(PNG)
    page.click("[data-testid=evidence-add-open]")
    page.set_input_files("[data-testid=evidence-form] input[type=file]", str(screenshot))
    page.click("[data-testid=evidence-form] button[type=submit]")

    row = page.locator(f"[data-testid=case-file][data-sha256='{PNG_DIGEST}']")
    row.wait_for()
    assert row.locator("[data-testid=case-file-sha256]").inner_text().strip() == PNG_DIGEST
    assert "tin-nhan-lua-dao.png" in row.inner_text()
    # The timeline says a file was added (swapped in with the section).
    page.wait_for_selector("#timeline [data-action='case.evidence_add']")

    with page.expect_download() as download_info:
        row.locator("[data-testid=case-file-link]").click()
    download = download_info.value
    assert download.suggested_filename == "tin-nhan-lua-dao.png"
    saved = tmp_path / "downloaded.png"
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == PNG_DIGEST

    # The download is on the case's timeline after a reload (audited).
    page.reload()
    page.wait_for_selector("#timeline [data-action='case.evidence_download']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#evidence").screenshot(path=str(ARTIFACTS / "case-evidence-1280.png"))


def test_the_files_of_a_case_read_on_a_phone(phone_page, server):
    phone_page.set_default_timeout(STEP)
    login(phone_page, server, "dic.focal")
    _open_first_case(phone_page, server)
    section = phone_page.locator("#evidence")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    # Nothing wider than the screen: the table stacks its cells on a phone.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "case-evidence-390.png"))
