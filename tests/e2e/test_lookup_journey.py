"""A citizen on a phone looks up the number that called them, sees that it is listed, follows the appeal link
and submits an appeal (as the new owner of a recycled number would); the report link pre-fills the form."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .test_public_report import png_bytes

pytestmark = pytest.mark.e2e


def test_a_citizen_looks_up_a_listed_number_and_appeals(phone_page, server, tmp_path):
    p = phone_page
    p.goto(f"{server['url']}/listing/lookup/")
    assert p.get_attribute("html", "lang") == "vi"
    assert p.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    p.fill("#id_q", "+84 912 345 678")
    p.click("form[data-testid=lookup-form] button[type=submit]")
    answer = p.locator("[data-testid=lookup-answer]")
    assert answer.get_attribute("data-status") == "listed"
    assert p.locator("[data-testid=lookup-category]").inner_text().strip()
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "lookup-listed-phone.png"), full_page=True)

    # "Report it" opens the public form with the number already in its first row.
    report_href = p.locator("[data-testid=report-link]").get_attribute("href")
    assert "kind=phone" in report_href

    p.click("[data-testid=appeal-link]")
    p.wait_for_selector("form[data-testid=appeal-form]")
    assert "+84912345678" in p.inner_text("main")

    # Without contact or explanation: refused, each field named, nothing sent.
    p.click("form[data-testid=appeal-form] button[type=submit]")
    p.wait_for_selector(".error-summary")
    assert p.locator("#field-email.has-error").count() == 1
    assert p.locator("#field-explanation.has-error").count() == 1

    proof = tmp_path / "hop-dong-thue-bao.png"
    proof.write_bytes(png_bytes())
    p.fill("#id_name", "Lê Văn Chủ")
    p.fill("#id_email", "chu-moi@example.vn")
    p.fill("#id_explanation", "Tôi là chủ thuê bao mới của số này từ tháng trước, có hợp đồng với nhà mạng.")
    p.set_input_files("#id_proof", str(proof))
    p.click("form[data-testid=appeal-form] button[type=submit]")
    p.wait_for_selector("[data-testid=appeal-received]")
    code = p.inner_text("[data-testid=appeal-code]").strip()
    assert code.startswith("KN")
    assert p.locator("[data-testid=appeal-status] [data-status=open]").count() == 1
    assert p.evaluate("document.documentElement.scrollWidth") <= 390

    p.goto(f"{server['url']}{report_href}")
    assert p.input_value("#indicator-0-value") == "+84 912 345 678"
    assert p.input_value("#indicator-0-kind") == "phone"
