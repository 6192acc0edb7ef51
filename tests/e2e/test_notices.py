"""In-app notices in the browser: the Police's focal point sends a request to the DIC; the DIC's focal point sees
the bell's unread count go up, opens the notice from the notices page, lands on the request, and the count goes
down. On a phone the bell sits beside the menu button and the menu has its entry too."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

SUBJECT = "Đề nghị xác minh thuê bao gọi giả danh công an tại Mỹ Xuyên"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"notices-{name}.png"), full_page=True)


def open_as(browser, server, username: str):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    login(page, server, username)
    return context, page


def unread(page) -> int:
    """The number the bell says, read from its accessible name ("N thông báo chưa đọc")."""
    return int(re.match(r"(\d+)", page.locator("#notice-menu .sr-only").inner_text()).group(1))


def option_containing(page, select: str, text: str) -> str:
    return page.eval_on_selector(select, "(s, t) => [...s.options].find(o => o.text.includes(t)).value", text)


def test_a_request_to_my_organisation_rings_the_bell_and_opening_it_lowers_the_count(browser, server):
    dic_ctx, dic = open_as(browser, server, "dic.focal")
    dic.goto(f"{server['url']}/notices/")
    before = unread(dic)

    # The Police's focal point sends a request to the DIC.
    police_ctx, police = open_as(browser, server, "police.focal")
    police.goto(f"{server['url']}/requests/new/?kind=assessment")
    police.select_option("#id_recipients", option_containing(police, "#id_recipients", "Sở Thông tin"))
    police.fill("#id_subject", SUBJECT)
    police.fill("#id_body", "Đề nghị xác minh chủ thuê bao và vị trí phát sinh cuộc gọi.")
    with police.expect_navigation():
        police.click("[data-testid=request-send]")
    police.wait_for_selector("[data-testid=request-page][data-status=sent]")
    reference = police.get_attribute("[data-testid=request-page]", "data-reference")

    # The DIC's focal point: one more unread notice, named for screen readers.
    dic.reload()
    assert unread(dic) == before + 1
    bell = dic.get_by_role("link", name=f"{before + 1} thông báo chưa đọc").first
    assert bell.is_visible()
    bell.click()
    dic.wait_for_selector("[data-testid=notices-page]")
    dic.click("[data-testid=notices-unread]")
    item = dic.locator("[data-testid=notice][data-unread='1']", has_text=reference).first
    assert "Đ3.3" in item.inner_text()
    shot(dic, "list")
    with dic.expect_navigation():
        item.locator("[data-testid=notice-open]").click()
    assert dic.url.endswith(f"/requests/{reference}/")
    assert unread(dic) == before

    # On a phone: the bell beside the menu button, and the entry in the menu.
    dic.set_viewport_size({"width": 390, "height": 844})
    dic.goto(f"{server['url']}/notices/")
    assert dic.locator("[data-testid=notice-bell]").is_visible()
    dic.click("[data-testid=menu-toggle]")
    assert dic.locator("[data-testid=notice-menu]").is_visible()
    assert "Thông báo" in dic.locator("[data-testid=notice-menu]").inner_text()
    shot(dic, "phone-menu")

    # Mark all read (htmx): the bell says 0 without a reload.
    dic.set_viewport_size({"width": 1280, "height": 900})
    dic.click("[data-testid=notices-read-all]")
    dic.wait_for_selector("#notice-menu .sr-only:text-is('0 thông báo chưa đọc')", state="attached")
    assert dic.locator("[data-testid=notice][data-unread='1']").count() == 0
    police_ctx.close()
    dic_ctx.close()
