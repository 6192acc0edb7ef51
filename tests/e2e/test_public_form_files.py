"""A citizen's chosen file survives a form that comes back with an error; the violation list is searched by a word.

Each test makes its own report, so they may run in any order or alone.
"""

from __future__ import annotations

import pytest

from .test_public_report import DESCRIPTION, png_bytes

pytestmark = pytest.mark.e2e


def test_a_chosen_file_is_kept_when_the_form_comes_back_and_reaches_the_receipt(phone_page, server, tmp_path):
    p = phone_page
    image = tmp_path / "anh-tin-nhan.png"
    image.write_bytes(png_bytes())
    p.goto(f"{server['url']}/reports/new/public/")
    p.select_option("#id_behaviour", "13.4")
    p.fill("#id_description", "ngắn quá")  # too short: the form comes back
    p.set_input_files("#id_files", str(image))
    p.click("form[data-testid=report-form] button[type=submit]")
    p.wait_for_selector("[data-testid=error-summary]")
    kept = p.locator("[data-testid=kept-file]")
    assert kept.count() == 1 and "anh-tin-nhan.png" in kept.inner_text()
    assert p.locator("input[name=held_remove]").is_visible()  # the citizen may still remove it
    # The citizen fixes the text and sends again, without choosing the file a second time.
    p.fill("#id_description", DESCRIPTION)
    p.click("form[data-testid=report-form] button[type=submit]")
    p.wait_for_selector("[data-testid=receipt]")
    assert "anh-tin-nhan.png" in p.locator("[data-testid=receipt-files]").inner_text()


def test_the_violations_are_searched_by_a_word_without_accents(page, server):
    p = page
    p.goto(f"{server['url']}/reports/new/public/")
    assert p.locator("#id_behaviour optgroup").count() > 1  # grouped by sector
    total = p.locator("#id_behaviour option[value]:not([value=''])").count()
    p.fill("#behaviour-search", "lua dao")
    shown = p.eval_on_selector_all(
        "#id_behaviour option:not([hidden])", "els => els.filter(e => e.value).map(e => e.textContent.toLowerCase())"
    )
    assert 2 <= len(shown) < total
    assert all("lừa đảo" in text for text in shown)
    assert p.locator("#behaviour-search-status").inner_text().strip()
    # From the keyboard: Enter goes to the list with the first match chosen, and does not send the form.
    p.press("#behaviour-search", "Enter")
    assert p.evaluate("document.activeElement.id") == "id_behaviour"
    assert p.input_value("#id_behaviour") != ""
    assert p.locator("[data-testid=error-summary]").count() == 0
