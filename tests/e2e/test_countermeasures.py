"""Countermeasures in the browser: the DIC focal point requests a block of the scam number from the case page, the
carrier's user acknowledges it and reports it executed in their queue (on a phone-sized screen), and the case page
shows it executed. Each person works in a browser context of their own."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

NUMBER = "+84323456789"  # the demo case "0323 456 789" (cases/demo.py); its block is not in the demo data


def _page(browser, server, username: str, width: int = 1280):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, server, username)  # the account name it waits for shows on a wide screen
    page.set_viewport_size({"width": width, "height": 900})
    return context, page


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"countermeasures-{name}.png"), full_page=True)


def test_an_officer_requests_a_block_and_the_carrier_executes_it(browser, server):
    officer_ctx, officer = _page(browser, server, "dic.focal")
    carrier_ctx, carrier = _page(browser, server, "carrier.reporter", width=390)
    try:
        # The officer finds the case of the number and asks Viettel to block it.
        officer.goto(f"{server['url']}/cases/")
        officer.click("tr:has-text('0323 456 789') a.code")
        officer.wait_for_selector("[data-testid=case-page]")
        case_url = officer.url
        officer.click("[data-testid=cm-request]")
        officer.wait_for_selector("[data-testid=cm-form]")
        officer.select_option("#id_indicator", label=f"Số điện thoại: {NUMBER}")
        officer.select_option("#id_action", value="block_number")
        officer.select_option("#id_target", value="st-viettel")
        officer.fill("#id_legal_basis", "Điều 11 khoản 3 Quyết định 11/2013/QĐ-UBND; Công văn 301/STTTT-TTra")
        officer.click("[data-testid=cm-submit]")
        officer.wait_for_selector("[data-testid=case-countermeasures]")
        row = officer.locator("[data-testid=case-countermeasures] tr[data-testid=cm-row][data-status=requested]")
        reference = row.first.get_attribute("data-reference")
        assert reference and reference.startswith("BP")
        _shot(officer, "requested")

        # The carrier sees it in its queue (pending, asked of it) on a phone, acknowledges and executes it.
        carrier.goto(f"{server['url']}/countermeasures/")
        carrier.click(f"tr[data-reference='{reference}'] a.code")
        carrier.wait_for_selector(f"[data-testid=cm-page][data-reference='{reference}']")
        assert carrier.inner_text("[data-testid=cm-value]") == NUMBER
        carrier.click("[data-testid=move-acknowledge]")
        carrier.click("[data-testid=move-submit-acknowledge]")
        carrier.wait_for_selector("[data-testid=cm-page][data-status=acknowledged]")
        carrier.click("[data-testid=move-execute]")
        carrier.fill("#id_move-execute-execution_reference", "VTST-CHAN-0420")
        carrier.click("[data-testid=move-submit-execute]")
        carrier.wait_for_selector("[data-testid=cm-page][data-status=executed]")
        assert "VTST-CHAN-0420" in carrier.inner_text("[data-testid=cm-executed]")
        assert carrier.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # fits a phone's width
        _shot(carrier, "executed-phone")

        # The case page shows it executed.
        officer.goto(case_url)
        status = officer.locator(
            f"[data-testid=case-countermeasures] tr[data-reference='{reference}'] [data-testid=cm-status]"
        )
        assert status.get_attribute("data-status") == "executed"
        assert status.inner_text().strip() == "Đã thực hiện"
        _shot(officer, "case-executed")
    finally:
        officer_ctx.close()
        carrier_ctx.close()
