"""Issue 13's desk, in the browser: one search from the header by a number typed the usual way, the indicator
page, the inbox filtered on a phone, the Vietnamese UI for an English browser, a localised 404."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e


def test_search_from_the_header_by_a_number_finds_the_demo_report_case_and_indicator(page, server):
    login(page, server, "dic.focal")
    page.fill("#top-q", "0912345678")
    page.press("#top-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=0912345678"))
    reports = page.locator("[data-testid=search-reports] li.exact")
    assert reports.count() >= 1, "the demo report naming 0912 345 678 is an exact match"
    indicator = page.locator("[data-testid=search-indicators] a").first
    assert indicator.inner_text() == "+84912345678"
    indicator.click()
    page.wait_for_selector("[data-testid=indicator-page]")
    assert page.locator("[data-testid=indicator-timeline] li").count() >= 2
    # The number of the demo case, written without spaces, finds the case.
    page.fill("#top-q", "0323456789")
    page.press("#top-q", "Enter")
    page.wait_for_selector("[data-testid=search-cases] li.exact")
    page.locator("[data-testid=search-cases] li.exact a").first.click()
    page.wait_for_url(re.compile(r"/cases/VV"))


def test_the_inbox_filters_on_a_phone(phone_page, server):
    page = phone_page
    # Signing in as conftest.login does, but the name shown after it is inside the folded menu on a phone.
    page.goto(f"{server['url']}/accounts/login/")
    page.fill("#id_username", "dic.focal")
    page.fill("#id_password", server["passwords"]["dic.focal"])
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=who]", state="attached")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 844 * 0.2, f"the staff header takes {header['height']} px of 844"
    toggle = page.locator("[data-testid=menu-toggle]")
    assert toggle.is_visible() and not page.locator(".mainnav").is_visible()
    toggle.click()
    assert page.locator(".mainnav").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not page.locator(".mainnav").is_visible()

    page.goto(f"{server['url']}/reports/inbox/")
    page.locator("[data-testid=inbox-filters] summary").click()
    page.select_option("#id_status", "waiting")
    page.locator("[data-testid=inbox-filters] button[type=submit]").click()
    page.wait_for_url(re.compile(r"status=waiting"))
    rows = page.locator("table.inbox tbody tr")
    assert rows.count() >= 1
    assert not page.locator("table.inbox thead").is_visible(), "rows are cards on a phone"
    first = rows.first
    assert first.locator("[data-testid=excerpt]").inner_text().strip()
    button = first.locator("button.ack")
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, "acknowledge is reachable on a phone"
    reference = first.get_attribute("data-reference")
    button.click()
    page.wait_for_selector(f"tr[data-reference='{reference}'] .tag.green")
    ARTIFACTS.mkdir(exist_ok=True)


def test_an_english_browser_gets_the_vietnamese_ui_and_a_localised_404(browser, server):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    page = context.new_page()
    try:
        page.goto(f"{server['url']}/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator("text=Tra cứu tin báo").first.is_visible()
        response = page.goto(f"{server['url']}/khong-co-trang-nay/")
        assert response.status == 404
        assert page.locator("[data-testid=error-404] h1").inner_text() == "Không tìm thấy trang"
        assert page.locator("[data-testid=error-404] a[href='/']").count() >= 1
        # The switch still works.
        page.goto(f"{server['url']}/")
        page.locator("form.lang button[value=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
