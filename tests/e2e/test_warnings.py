"""Đ9 in the browser: the DIC's focal point drafts a public warning with a photo, the head of the DIC approves it,
and it appears on the public site, read on a phone (390 px) without signing in, with its share link."""

from __future__ import annotations

import uuid

import pytest

from phoihop.alerts.tests.factories import png_bytes

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000  # ms: a busy two-core machine renders a signed-in page in seconds, not always in fifteen


def test_a_head_approves_a_warning_and_it_appears_on_the_phone(browser, server, phone_page, tmp_path):
    title = f"Cảnh báo lừa đảo khoá SIM {uuid.uuid4().hex[:6]}"
    image = tmp_path / "tin-nhan.png"
    image.write_bytes(png_bytes(40, 30))

    author_context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    author = author_context.new_page()
    author.set_default_timeout(TIMEOUT)
    login(author, server, "dic.focal")
    author.goto(f"{server['url']}/alerts/warnings/new/")
    author.fill("#id_title", title)
    author.fill("#id_summary", "Đối tượng gọi điện báo SIM sắp bị khoá, đòi mã OTP.")
    author.fill("#id_method", "Gọi điện tự xưng nhân viên nhà mạng, yêu cầu đọc mã OTP để “giữ số”.")
    author.fill("#id_protection", "Nhà mạng không bao giờ hỏi mã OTP. Gác máy, gọi tổng đài chính thức.")
    author.set_input_files("#id_images", str(image))
    author.fill("#id_image_alt", "Ảnh chụp tin nhắn giả mạo nhà mạng")
    author.click("[data-testid=warning-save]")
    author.wait_for_selector("[data-testid=warning][data-status=draft]")
    author.click("[data-testid=move-submit]")
    author.wait_for_selector("[data-testid=warning][data-status=submitted]")
    assert author.locator("[data-testid=move-approve]").count() == 0  # a focal point does not approve
    warning_url = author.url
    author_context.close()

    head_context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    head = head_context.new_page()
    head.set_default_timeout(TIMEOUT)
    login(head, server, "dic.head")
    head.goto(f"{server['url']}/alerts/warnings/")
    head.locator("[data-testid=approval-queue]").get_by_text(title).click()
    assert head.url == warning_url
    head.click("[data-testid=move-approve]")
    head.wait_for_selector("[data-testid=warning][data-status=published]")
    ARTIFACTS.mkdir(exist_ok=True)
    head.screenshot(path=str(ARTIFACTS / "warnings-head-approved.png"), full_page=True)
    head_context.close()

    phone = phone_page
    phone.set_default_timeout(TIMEOUT)
    phone.goto(f"{server['url']}/alerts/public/")
    assert phone.locator("[data-testid=who]").count() == 0  # nobody is signed in
    phone.get_by_role("link", name=title).click()
    phone.wait_for_selector("[data-testid=public-warning]")
    assert phone.locator("h1").inner_text() == title
    img = phone.locator("figure.warning-image img")
    assert img.get_attribute("alt") == "Ảnh chụp tin nhắn giả mạo nhà mạng"
    assert img.evaluate("i => i.complete && i.naturalWidth") == 40  # served and decoded
    share = phone.locator("[data-testid=share-url]")
    assert share.input_value() == phone.url
    assert phone.locator("[data-copy]").is_visible()  # the static script ran (no inline script: CSP)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    feeds = phone.locator("link[rel=alternate]")
    assert sorted(feeds.evaluate_all("ls => ls.map(l => l.type)")) == ["application/atom+xml", "application/feed+json"]
