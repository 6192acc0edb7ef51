"""Issue 13's organisation pickers on a phone: typing a name without accents narrows the list of organisations
(a case's "add an organisation" drop-down, the parties of an ad-hoc report request), and what is chosen stays."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
OPTIONS = "(s) => [...s.options].filter(o => o.value).map(o => o.text)"
# How many organisations the case's "add an organisation" drop-down offers now.
OFFERED = "document.querySelectorAll('[data-testid=participant-form] option:not([value=\"\"])').length"


def test_typing_without_accents_narrows_an_organisation_picker_on_a_phone(people, server):
    dic = people("dic.focal")
    dic.set_viewport_size(PHONE)

    # A case the DIC leads: "add an organisation" offers every organisation in office, grouped by type.
    dic.goto(f"{server['url']}/cases/")
    dic.locator("[data-testid=case-list] a[href*='/cases/VV']").first.click()
    dic.click("[data-testid=participant-add-open]")
    form = dic.locator("[data-testid=participant-form]")
    select = form.locator("select")
    everyone = select.evaluate(OPTIONS)
    assert len(everyone) > 20 and select.locator("optgroup").count() > 3
    search = form.locator("input[type=search]")
    assert search.is_visible() and search.bounding_box()["width"] <= PHONE["width"]

    search.fill("vinh chau")
    dic.wait_for_function(f"() => {OFFERED} < {len(everyone)}")
    narrowed = select.evaluate(OPTIONS)
    assert narrowed and len(narrowed) < len(everyone)
    assert all("Vĩnh Châu" in text for text in narrowed), narrowed
    assert form.locator("[data-picker-status]").inner_text().strip()

    # Enter takes the first match; clearing the box brings the whole list back and keeps the choice.
    search.press("Enter")
    chosen = select.input_value()
    assert chosen and select.evaluate("(s) => s.options[s.selectedIndex].text") == narrowed[0]
    search.fill("")
    dic.wait_for_function(f"() => {OFFERED} === {len(everyone)}")
    assert select.evaluate(OPTIONS) == everyone and select.input_value() == chosen

    # The parties of an ad-hoc report request: checkboxes folded by type; a search opens the group it finds.
    dic.goto(f"{server['url']}/reporting/ad-hoc/")
    picker = dic.locator("[data-picker=checks]")
    assert picker.locator("details[data-picker-group][open]").count() == 0
    picker.locator("input[type=search]").fill("ca tx vinh chau")
    visible = picker.locator("[data-picker-option]:visible")
    visible.first.wait_for()
    assert visible.count() == 1 and "Vĩnh Châu" in visible.first.inner_text()
    visible.first.locator("input").check()
    assert picker.locator("details[data-picker-group][open] [data-picker-chosen]").first.inner_text().strip()
