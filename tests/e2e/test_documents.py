"""Issue 10 in the browser, the official-document part: on a phone, the DIC's head opens the "to sign" queue the
demo left a draft in, approves and signs it, sends it, and sees the signature "valid"; the Police's focal point
finds it in their incoming register with its arrival number, verified, and downloads the signed PDF, which
`phoihop documents verify` accepts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT, login

pytestmark = pytest.mark.e2e


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"documents-{name}.png"), full_page=True)


def test_the_head_signs_from_the_queue_and_sees_valid(browser, server, tmp_path):
    head_ctx = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    head = head_ctx.new_page()
    head.set_default_timeout(20000)
    login(head, server, "dic.head")
    head.goto(f"{server['url']}/documents/to-sign/")
    queue = head.locator("[data-testid=sign-queue] li").first
    summary = queue.locator("a").first.inner_text()
    doc_id = queue.get_attribute("data-document")
    shot(head, "queue")
    head.click(f"[data-testid=sign-{doc_id}]")
    head.wait_for_url("**/documents/to-sign/")
    head.goto(f"{server['url']}/documents/{doc_id}/")
    assert head.get_attribute("[data-testid=document-page]", "data-status") == "signed"
    reference = head.inner_text("[data-testid=reference]")
    assert reference.endswith("/GM-STTTT")  # a giấy mời of the DIC, numbered at signing
    head.click("[data-testid=move-send]")
    head.wait_for_selector("[data-testid=verification] [data-verdict=valid]")
    assert head.get_attribute("[data-testid=document-page]", "data-status") == "sent"
    shot(head, "signed-and-sent")
    head_ctx.close()

    police_ctx = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, accept_downloads=True)
    police = police_ctx.new_page()
    police.set_default_timeout(20000)
    login(police, server, "police.focal")
    police.goto(f"{server['url']}/documents/")
    row = police.locator(f"[data-testid=incoming-register] tr[data-document='{doc_id}']")
    assert summary in row.inner_text()
    assert row.locator("[data-verdict=valid]").count() == 1
    row.locator("a").first.click()
    police.wait_for_selector("[data-testid=arrival]")
    with police.expect_download() as download:
        police.click("[data-testid=download-pdf]")
    path = tmp_path / "signed.pdf"
    download.value.save_as(path)
    shot(police, "received")
    police_ctx.close()
    done = subprocess.run(
        [sys.executable, "-m", "phoihop.cli", "documents", "verify", str(path)],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "valid" and report["integrity"] == "intact" and report["trust"] == "trusted"
