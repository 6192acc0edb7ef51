"""Issue 12's reporting "done when", in the browser: a district People's Committee writes its six-monthly report,
its head signs it (on a phone) as an official document and it reaches the DIC; the DIC consolidates the period and
sees which parties are late or have not reported (named, never counted as zero)."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PERIOD = "2026-H1"  # the demo's previous period: due on 10/07/2026, so a report sent now is late


def _context(browser, *, phone: bool = False):
    if phone:
        return browser.new_context(
            locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
    return browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})


def login(page, server, username: str) -> None:
    """Sign in straight to the reporting pages (the account line is in the page even where a phone's header
    folds it away)."""
    page.goto(f"{server['url']}/accounts/login/?next=/reporting/")
    page.fill("#id_username", username)
    page.fill("#id_password", server["passwords"][username])
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=who]", state="attached")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reporting-journey-{name}.png"), full_page=True)


def test_a_district_committee_reports_and_the_dic_consolidates(browser, server):
    base = server["url"]
    # 1. The focal point of the Vĩnh Châu People's Committee writes the report and sends it to the head.
    ctx = _context(browser)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    login(page, server, "ubnd.vinhchau.focal")
    page.goto(f"{base}/reporting/")
    page.click(f"tr[data-period='{PERIOD}'] a")
    page.click("[data-testid=start-report]")
    page.wait_for_selector("[data-testid=party-report][data-status=draft]")
    assert page.locator("[data-testid=fig-reports]").inner_text().strip().isdigit()  # prefilled from the system
    page.fill("#id_results", "Phối hợp xác minh các tin báo lừa đảo qua điện thoại tại các phường ven biển.")
    page.fill("#id_difficulties", "")
    page.fill("#id_proposals", "Đề nghị tập huấn nhận diện trang web giả mạo cho cán bộ phường.")
    page.click("[data-testid=sections-form] button[type=submit]")
    page.click("[data-testid=move-send] button[type=submit]")
    # A required section left empty is refused, naming it; the report stays a draft.
    page.wait_for_selector(".messages .msg")
    assert "Khó khăn, vướng mắc" in page.locator(".messages").inner_text()
    assert page.get_attribute("[data-testid=party-report]", "data-status") == "draft"
    page.fill("#id_difficulties", "Thiếu cán bộ chuyên trách công nghệ thông tin.")
    page.click("[data-testid=sections-form] button[type=submit]")
    page.click("[data-testid=move-send] button[type=submit]")
    page.wait_for_selector("[data-testid=party-report][data-status=awaiting_head]")
    report_url = page.url
    _shot(page, "1-focal-point")
    ctx.close()

    # 2. Its head approves and signs it on a phone: an official document, numbered, sent to the DIC.
    ctx = _context(browser, phone=True)
    page = ctx.new_page()
    page.set_default_timeout(30000)
    login(page, server, "ubnd.vinhchau.head")
    page.goto(report_url)
    page.click("[data-testid=move-sign] button[type=submit]")
    page.wait_for_selector("[data-testid=party-report][data-status=submitted]")
    number = page.locator("[data-testid=document-number]").inner_text()
    assert "/BC-" in number
    assert "Trần Văn Dũng" in page.locator("[data-testid=signed-by]").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the report page is {width}px wide on a 390px phone"
    _shot(page, "2-head-phone")
    ctx.close()

    # 3. The DIC sees it (late), consolidates, and sees the parties that have not reported, by name.
    ctx = _context(browser)
    page = ctx.new_page()
    page.set_default_timeout(60000)
    login(page, server, "dic.head")
    page.goto(f"{base}/reporting/{PERIOD}/")
    assert page.get_attribute("tr[data-org='st-pc-vinh-chau']", "data-state") == "late_submitted"
    # The demo's Trần Đề report was signed by its head when the demo was made (after the due date: late).
    assert page.get_attribute("tr[data-org='st-pc-tran-de']", "data-state") in ("submitted", "late_submitted")
    assert page.get_attribute("tr[data-org='st-doit']", "data-state") == "missing"
    page.click("[data-testid=consolidate]")
    page.wait_for_selector("[data-testid=consolidations] a")
    page.click("[data-testid=consolidations] a")
    missing = page.locator("[data-testid=missing-parties]").inner_text()
    assert "Sở Công Thương tỉnh Sóc Trăng" in missing and "Ủy ban nhân dân thị xã Vĩnh Châu" not in missing
    assert "Ủy ban nhân dân thị xã Vĩnh Châu" in page.locator("[data-testid=late-parties]").inner_text()
    with page.expect_download() as download:
        page.click("text=DOCX")
    assert download.value.suggested_filename.endswith(".docx")
    _shot(page, "3-dic-consolidation")
    ctx.close()
