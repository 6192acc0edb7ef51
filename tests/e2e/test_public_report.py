"""A citizen reports a scam call from a phone; the DIC's focal point finds it, with the file intact.

Each test makes its own report, so they may run in any order or alone.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

DESCRIPTION = (
    "Sáng nay tôi nhận cuộc gọi từ số 0912 345 678, người gọi xưng là công an Vĩnh Châu, "
    "nói tôi liên quan đến đường dây rửa tiền và yêu cầu chuyển 20 triệu đồng để 'xác minh'."
)


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A real PNG image, made here so the test needs no file of its own."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes((x * 30, y * 30, 128)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _fill_report(p, server, image_path) -> None:
    p.goto(f"{server['url']}/reports/new/public/")
    assert p.get_attribute("html", "lang") == "vi"
    p.select_option("#id_behaviour", "13.4")
    p.select_option("#id_area", label="Thị xã Vĩnh Châu")
    p.select_option("#indicator-0-kind", "phone")
    p.fill("#indicator-0-value", "0912 345 678")
    p.fill("#id_description", DESCRIPTION)
    p.set_input_files("#id_files", str(image_path))


def test_the_public_form_fits_a_phone_and_its_helpers_work(phone_page, server):
    p = phone_page
    p.goto(f"{server['url']}/reports/new/public/")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    # Touch targets are big enough to hit with a thumb.
    for selector in (
        "#id_behaviour",
        "#id_area",
        "#id_description",
        "#indicator-0-value",
        "form[data-testid=report-form] button[type=submit]",
    ):
        assert p.locator(selector).bounding_box()["height"] >= 44, selector

    # The sector narrows the violations (htmx), and "not sure" stays available.
    p.select_option("#id_sector", "printing")
    # A locator, not wait_for_function: the page's Content-Security-Policy forbids the eval that uses.
    p.locator('#id_behaviour option[value="13.4"]').wait_for(state="detached")
    values = p.eval_on_selector_all("#id_behaviour option", "els => els.map(e => e.value)")
    assert "" in values and "16.1" in values and all(v == "" or v.startswith("16.") for v in values)

    # The bank appears only for a bank account; "add another" adds a row.
    assert not p.is_visible("#indicator-0-bank")
    p.select_option("#indicator-0-kind", "bank_account")
    assert p.is_visible("#indicator-0-bank")
    rows = p.locator("[data-indicator-rows] [data-indicator-row]").count()
    p.click("[data-add-indicator]")
    assert p.locator("[data-indicator-rows] [data-indicator-row]").count() == rows + 1
    assert p.evaluate("document.activeElement.id") == f"indicator-{rows}-value"

    # Sending it empty explains what is missing, at the top, and saves nothing.
    p.click("form[data-testid=report-form] button[type=submit]")
    p.wait_for_selector("[data-testid=error-summary]")
    assert p.evaluate("document.activeElement.id") == "error-summary"
    p.goto(f"{server['url']}/reports/new/public/")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "public-form-phone.png"), full_page=True)


def test_a_citizen_reports_from_a_phone_tracks_it_and_dic_finds_it(phone_page, page, server, tmp_path):
    image = png_bytes()
    image_path = tmp_path / "anh-tin-nhan.png"
    image_path.write_bytes(image)

    # The citizen, on a phone, without an account.
    p = phone_page
    _fill_report(p, server, image_path)
    p.click("form[data-testid=report-form] button[type=submit]")
    p.wait_for_selector("[data-testid=receipt]")
    code = p.inner_text("[data-testid=tracking-code]").strip()
    secret = p.inner_text("[data-testid=tracking-secret]").strip()
    assert code.startswith("TB") and len(secret) >= 12
    assert p.get_attribute("[data-testid=public-status]", "data-status") == "received"
    assert p.evaluate("document.documentElement.scrollWidth") <= 390

    # A phone browser restores its tabs by reloading them: the receipt, code and secret, is still there.
    p.reload()
    p.wait_for_selector("[data-testid=receipt]")
    assert p.inner_text("[data-testid=tracking-code]").strip() == code
    assert p.inner_text("[data-testid=tracking-secret]").strip() == secret
    assert code in p.input_value("[data-testid=receipt-text]")

    # Later, the tracking page with the code and the secret.
    p.goto(f"{server['url']}/reports/track/")
    p.fill("#id_reference", code)
    p.fill("#id_secret", secret)
    p.click("form[data-testid=track-form] button[type=submit]")
    p.wait_for_selector("[data-testid=tracked-report]")
    assert p.inner_text("[data-testid=tracked-report] [data-testid=tracking-code]").strip() == code
    assert p.get_attribute("[data-testid=public-status]", "data-status") == "received"
    assert secret not in p.url

    # The DIC's focal point, at a desk.
    login(page, server, "dic.focal")
    page.goto(f"{server['url']}/reports/inbox/")
    row = page.locator(f"tr[data-reference='{code}']")
    assert row.count() == 1
    row.locator(f"a:has-text('{code}')").click()
    page.wait_for_selector("[data-testid=report-detail]")
    assert "Đ13" in page.inner_text("[data-testid=routing]")
    assert "Công an thị xã Vĩnh Châu" in page.inner_text("[data-testid=routing]")
    assert page.inner_text("[data-testid=sha256]").strip() == hashlib.sha256(image).hexdigest()
    assert "+84912345678" in page.inner_text("[data-testid=indicators]")
