"""Issue 4's "done when", in the browser: a citizen's fraud report becomes a case that the DIC, the carrier
and the police work through to prosecution; the citizen sees it closed; the audit chain verifies.

Each person works in a browser context of their own, as they would on their own machine.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from .conftest import ARTIFACTS, ROOT, login

pytestmark = pytest.mark.e2e

DESCRIPTION = (
    "Tôi nhận cuộc gọi từ số máy bàn 0299 3861 234 ở Vĩnh Châu, người gọi xưng là nhân viên ngân hàng, "
    "nói tài khoản của tôi bị khóa và đòi tôi đọc mã OTP. Lừa đảo qua điện thoại."
)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"case-journey-{name}.png"), full_page=True)


def move(
    page, name: str, fields: dict[str, str] | None = None, selects: dict[str, str] | None = None, expect: str = ""
) -> None:
    """Open a move's form on the case page, fill it in and send it; wait for the new status."""
    page.click(f"[data-testid=move-{name}]")
    form = f"[data-testid=move-form-{name}]"
    page.wait_for_selector(form)
    for field, value in (selects or {}).items():
        page.select_option(f"{form} [name=move-{name}-{field}]", value)
    for field, value in (fields or {}).items():
        page.fill(f"{form} [name=move-{name}-{field}]", value)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f"[data-testid=case-status][data-status={expect}]")


def test_a_fraud_call_from_vinh_chau_goes_from_report_to_prosecution(people, server):
    url = server["url"]

    # A citizen reports the call on the public form, and keeps the tracking code and secret.
    citizen = people(None)
    citizen.goto(f"{url}/reports/new/public/")
    citizen.select_option("#id_behaviour", "13.4")
    citizen.select_option("#id_area", label="Thị xã Vĩnh Châu")
    citizen.select_option("#indicator-0-kind", "phone")
    citizen.fill("#indicator-0-value", "0299 3861 234")
    citizen.fill("#id_description", DESCRIPTION)
    citizen.click("form[data-testid=report-form] button[type=submit]")
    citizen.wait_for_selector("[data-testid=receipt]")
    reference = citizen.inner_text("[data-testid=receipt] [data-testid=tracking-code]").strip()
    secret = citizen.inner_text("[data-testid=tracking-secret]").strip()
    assert reference.startswith("TB") and secret

    # The two hubs find it in their inboxes (Đ5.2).
    dic = people("dic.focal")
    police = people("police.focal")
    for page in (dic, police):
        page.goto(f"{url}/reports/inbox/")
        assert page.locator(f"[data-testid=inbox] tr[data-reference='{reference}']").count() == 1
    # Vĩnh Châu is coastal: a border post received it too, under Đ13 (no demo account sits there).
    dic.goto(f"{url}/reports/{reference}/")
    routing = dic.locator("[data-testid=routing] > li", has_text="Biên phòng")
    assert routing.count() >= 1 and "Đ13" in routing.first.inner_text()

    # The DIC's focal point opens a case from the report (the triage panel, on the report page once it is
    # included there, and on its own page in any case).
    if dic.locator("[data-testid=triage]").count() == 0:
        dic.goto(f"{url}/cases/triage/{reference}/")
    dic.click("[data-testid=triage-open] > summary")
    dic.fill("[data-testid=triage-open-form] [name=triage-open-title]", "Cuộc gọi giả danh ngân hàng từ Vĩnh Châu")
    dic.click("[data-testid=triage-open-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=case-page]")
    case_number = dic.inner_text("[data-testid=case-number]").strip()
    case_url = f"{url}/cases/{case_number}/"
    assert dic.get_attribute("[data-testid=case-status]", "data-status") == "new"
    assert dic.locator(f"[data-testid=case-reports] tr[data-reference='{reference}']").count() == 1

    # It asks the carrier (Đ11.8) to verify the subscriber: Viettel takes part, its reporter is named,
    # and gets the task. Each form updates its own section in place.
    dic.click("[data-testid=participant-add-open]")
    dic.select_option("[data-testid=participant-form] select", "st-viettel")
    dic.click("[data-testid=participant-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=participants] [data-organisation=st-viettel]")
    dic.click("[data-testid=member-add-open]")
    dic.select_option("[data-testid=member-form] select", "carrier.reporter")
    dic.click("[data-testid=member-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=members] [data-username='carrier.reporter']")
    dic.click("[data-testid=task-add-open]")
    dic.fill("[data-testid=task-form] [name=task-title]", "Xác minh chủ thuê bao 0299 3861 234 (verify the subscriber)")
    dic.select_option("[data-testid=task-form] [name=task-organisation]", "st-viettel")
    dic.select_option("[data-testid=task-form] [name=task-owner]", "carrier.reporter")
    dic.fill("[data-testid=task-form] [name=task-due_date]", (dt.date.today() + dt.timedelta(days=3)).isoformat())
    dic.click("[data-testid=task-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=task][data-done=false]")
    assert dic.locator("[data-testid=timeline] li[data-action='case.task_create']").count() == 1
    shot(dic, "1-dic-case-opened")

    # The carrier sees the case in its list and reports the task done.
    carrier = people("carrier.reporter")
    carrier.goto(f"{url}/cases/")
    carrier.click(f"[data-testid=case-list] tr[data-reference='{case_number}'] a")
    carrier.wait_for_selector("[data-testid=case-page]")
    carrier.click("[data-testid=task-complete-open]")
    carrier.fill(
        "[data-testid=task-complete-form] textarea",
        "Thuê bao đăng ký bằng giấy tờ giả; đã khóa hai chiều ngày hôm nay.",
    )
    carrier.click("[data-testid=task-complete-form] button[type=submit]")
    carrier.wait_for_selector("[data-testid=task][data-done=true]")
    shot(carrier, "2-carrier-task-done")

    # The DIC verifies, finds signs of crime and transfers the file to the Police investigation agency
    # (Đ5.4), then names the investigating officer on the case.
    dic.goto(case_url)
    assert dic.locator("[data-testid=task][data-done=true]").count() == 1
    move(dic, "verify", expect="verifying")
    move(
        dic,
        "transfer",
        selects={"receiving_police_unit": "st-police-investigation"},
        fields={"transfer_dossier": "HS-CA-2026/015"},
        expect="transferred",
    )
    assert "HS-CA-2026/015" in dic.inner_text("[data-testid=transferred-to]")
    dic.click("[data-testid=member-add-open]")
    dic.select_option("[data-testid=member-form] select", "police.officer")
    dic.click("[data-testid=member-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=members] [data-username='police.officer']")

    # The police investigate, recommend prosecution to the Procuracy (Đ3.4), and close the case.
    officer = people("police.officer")
    officer.goto(f"{url}/cases/")
    officer.click(f"[data-testid=case-list] tr[data-reference='{case_number}'] a")
    officer.wait_for_selector("[data-testid=case-page]")
    move(officer, "investigate", expect="investigating")
    assert "Cơ quan điều tra" in officer.inner_text("[data-testid=case-lead]")
    move(
        officer,
        "recommend",
        selects={"procuracy": "st-procuracy"},
        fields={"recommendation_ref": "KN-15/2026"},
        expect="recommended",
    )
    move(
        officer,
        "close",
        selects={"outcome": "prosecuted"},
        fields={"outcome_note": "VKSND tỉnh đã khởi tố vụ án."},
        expect="closed",
    )
    assert officer.get_attribute("[data-testid=case-outcome]", "data-outcome") == "prosecuted"
    for action in (
        "case.open",
        "case.task_complete",
        "case.move.transfer",
        "case.move.investigate",
        "case.move.recommend",
        "case.move.close",
    ):
        assert officer.locator(f"[data-testid=timeline] li[data-action='{action}']").count() == 1, action
    shot(officer, "3-police-closed")

    # The DIC's list shows it closed; a search without accents finds it.
    dic.goto(f"{url}/cases/?q=gia+danh+ngan+hang&status=closed")
    assert dic.locator(f"[data-testid=case-list] tr[data-reference='{case_number}']").count() == 1

    # The citizen's tracking page says "closed".
    citizen.goto(f"{url}/reports/track/")
    citizen.fill("#id_reference", reference)
    citizen.fill("#id_secret", secret)
    citizen.click("[data-testid=track-form] button[type=submit]")
    citizen.wait_for_selector("[data-testid=public-status]")
    assert citizen.get_attribute("[data-testid=public-status]", "data-status") == "closed"

    # And the audit chain verifies.
    result = subprocess.run(
        [sys.executable, "-m", "phoihop.cli", "audit", "verify"],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_case_list_filters_in_place_with_a_stable_url(page, server):
    login(page, server, "dic.hub")
    page.goto(f"{server['url']}/cases/")
    page.wait_for_selector("[data-testid=case-filters]")
    page.fill("#id_q", "lua dao")
    page.wait_for_url(lambda u: "q=lua" in u)
    # The address names only the filters in use, so it is short enough to share.
    assert "status=" not in page.url and "sector=" not in page.url
    page.wait_for_load_state("networkidle")

    def listed() -> list[str]:
        return page.eval_on_selector_all(
            "[data-testid=case-list] tbody tr", "rows => rows.map(r => r.dataset.reference)"
        )

    before = listed()
    # The filtered state has its own address: loading it again gives the same list, without JavaScript's help.
    page.reload()
    assert listed() == before and page.input_value("#id_q") == "lua dao"


def test_opening_a_case_from_several_reports_on_a_phone(phone_page, server):
    p = phone_page
    login(p, server, "dic.hub")
    p.goto(f"{server['url']}/cases/new/")
    boxes = p.locator("[data-testid=case-new-form] input[name=reports]")
    assert boxes.count() >= 2, "the demo inbox has open reports"
    boxes.nth(0).check()
    boxes.nth(1).check()
    p.fill("#id_title", "Hai tin báo cùng một đường dây")
    p.click("[data-testid=case-new-form] button[type=submit]")
    p.wait_for_selector("[data-testid=case-page]")
    assert p.locator("[data-testid=case-reports] tbody tr").count() == 2
    for path, name in ((p.url, "phone-case-page"), (f"{server['url']}/cases/", "phone-case-list")):
        p.goto(path)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390, f"no sideways scrolling on {path}"
        shot(p, name)
