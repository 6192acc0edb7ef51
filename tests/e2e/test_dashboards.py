"""Each role's first page after sign-in is its dashboard, at phone (390 px) and desktop widths, in Chromium.

The dashboards are read as a person reads them: the role's panels are there, the charts are SVG drawn by
the server (nothing fetched), the page does not scroll sideways on a phone, and a figure leads to its list.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

FIRST_PAGES = [
    ("dic.hub", "/dashboard/hub/", "dashboard-hub"),
    ("dic.focal", "/dashboard/hub/", "dashboard-hub"),
    ("police.focal", "/dashboard/hub/", "dashboard-hub"),
    ("dic.head", "/dashboard/head/", "dashboard-head"),
    ("police.officer", "/dashboard/work/", "dashboard-work"),
    ("carrier.reporter", "/dashboard/work/", "dashboard-work"),
]


def sign_in(page, server, username: str) -> None:
    """The sign-in form, then wherever it leads (on a phone the account menu is folded, so no wait for it)."""
    page.goto(f"{server['url']}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", server["passwords"][username])
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _check(page, server, username: str, path: str, testid: str, width: int) -> None:
    sign_in(page, server, username)
    page.wait_for_selector(f"[data-testid={testid}]")
    assert page.url == f"{server['url']}{path}", (username, page.url)
    assert page.locator("h1").first.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{username}: the page scrolls sideways by {overflow} px at {width} px"
    if testid == "dashboard-hub":
        assert page.locator("svg.chart").count() >= 2
        assert page.locator("[data-testid=panel-timeliness] table").is_visible()
    if testid == "dashboard-head":
        assert page.locator("[data-testid=panel-timeliness]").is_visible()
        assert page.locator("[data-testid=panel-documents]").is_visible()
    if testid == "dashboard-work":
        assert page.locator("[data-testid=panel-tasks]").is_visible()


@pytest.mark.parametrize(("username", "path", "testid"), FIRST_PAGES)
def test_first_page_after_sign_in_on_a_desktop(page, server, username, path, testid):
    _check(page, server, username, path, testid, 1280)


@pytest.mark.parametrize(("username", "path", "testid"), FIRST_PAGES)
def test_first_page_after_sign_in_on_a_phone(phone_page, server, username, path, testid):
    _check(phone_page, server, username, path, testid, 390)


def test_a_figure_of_the_hub_opens_the_list_of_its_reports(page, server):
    sign_in(page, server, "dic.focal")
    total = page.locator("[data-testid=period-total]")
    expected = int(total.inner_text())
    total.click()
    page.wait_for_selector("[data-testid=figure-reports]")
    assert f"{expected} " in page.locator("[data-testid=report-count]").inner_text()
    page.goto(f"{server['url']}/dashboard/map/")
    assert page.locator("svg.map path").count() >= 7
