"""First journeys: the shell in Vietnamese, role-dependent navigation, switching to English."""

import pytest

from .conftest import login

pytestmark = pytest.mark.e2e

# What each demo role must (and must not) find in its navigation.
EXPECTED_NAV = {
    "dic.hub": ({"taxonomy:behaviours", "routing:rules", "directory:organisations"}, {"admin:index"}),
    "dic.focal": ({"taxonomy:behaviours", "routing:rules"}, {"admin:index"}),
    "dic.head": ({"routing:rules"}, {"admin:index"}),
    "police.focal": ({"routing:rules"}, {"admin:index"}),
    "police.officer": ({"routing:rules"}, {"admin:index"}),
    "carrier.reporter": ({"taxonomy:behaviours"}, {"routing:rules", "admin:index"}),
    "admin": ({"admin:index", "routing:rules"}, set()),
}


def test_home_page_is_vietnamese(page, server):
    page.goto(server["url"] + "/")
    assert page.get_attribute("html", "lang") == "vi"
    assert "Báo cáo vi phạm" in page.inner_text("main")
    assert page.is_visible("text=Đăng nhập")


def test_home_page_works_on_a_phone(phone_page, server):
    phone_page.goto(server["url"] + "/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"


@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_each_role_sees_its_own_navigation(page, server, username):
    login(page, server, username)
    shown = set(page.eval_on_selector_all("nav.mainnav a", "els => els.map(e => e.dataset.nav)"))
    must, must_not = EXPECTED_NAV[username]
    assert must <= shown, f"{username} misses {must - shown}"
    assert not (must_not & shown), f"{username} must not see {must_not & shown}"


def test_switching_to_english(page, server):
    page.goto(server["url"] + "/")
    page.click("form.lang button[value=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert "Report violations in information and communications" in page.inner_text("main")
    page.click("form.lang button[value=vi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "vi"


def test_password_guessing_is_locked_out(page, server):
    for _ in range(6):
        page.goto(server["url"] + "/accounts/login/")
        page.fill("#id_username", "guess.victim")
        page.fill("#id_password", "not-the-password")
        page.click("form.form button[type=submit]")
    text = page.inner_text("main")
    assert "Quá nhiều lần đăng nhập" in text
