"""Issue 11's journey, in one browser test: a citizen looks up a number nobody knows and reports it; the DIC's focal
point (the case's lead) opens a case and proposes the number for listing; the DIC's hub coordinator approves it;
the look-up now says listed; the focal point asks Viettel to block it and Viettel's system executes the block over
the API with its key; the new owner of the number appeals on the public form; the hub coordinator upholds the
appeal: the number is delisted and the block lifted (on the pages and over the API).

Each person works in a browser context of their own. The number is fresh (not the demo's 0912 345 678).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.e2e

TYPED = "0933 221 144"
NUMBER = "+84933221144"
DESCRIPTION = (
    "Tôi nhận cuộc gọi từ số 0933 221 144, người gọi xưng là cán bộ công an phường, nói tôi liên quan một vụ "
    "rửa tiền và bắt chuyển tiền vào tài khoản tạm giữ. Lừa đảo qua điện thoại."
)


def api(server, method: str, path: str, *, key: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Token {key}"
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(f"{server['url']}{path}", data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the local test server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def look_up(server, q: str) -> dict:
    status, body = api(server, "GET", "/api/v1/public/lookup/?" + urllib.parse.urlencode({"q": q}))
    assert status == 200, body
    return body


# Each web process keeps the listings in force in memory and revalidates them every
# PHOIHOP_REFERENCE_CACHE_SECONDS (5 s; at once in the process that made the change): a look-up served by
# another process sees a listing or a delisting within that time.
SETTLE_SECONDS = 12


def settled(read, want, what: str):
    """`read()` until `want(answer)` holds, within SETTLE_SECONDS; the last answer."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        answer = read()
        if want(answer) or time.monotonic() > deadline:
            assert want(answer), f"{what}: {answer}"
            return answer
        time.sleep(0.5)


def page_status(page, url: str) -> str:
    page.goto(url)
    return page.get_attribute("[data-testid=lookup-answer]", "data-status")


def carrier_key(server) -> str:
    """Viettel's system gets its API key as an operator issues it (`phoihop issue-api-token`)."""
    done = subprocess.run(
        [sys.executable, "-m", "phoihop.cli", "issue-api-token", "--org", "st-viettel", "--name", "chặn thuê bao"],
        cwd=ROOT,
        env=server["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    return lines[lines.index(next(line for line in lines if line.startswith("API key for"))) + 1]


def test_a_number_goes_from_a_citizens_look_up_to_listed_blocked_appealed_delisted_and_lifted(people, server):
    url = server["url"]

    # 1. A citizen looks the number up: nothing known; "report it" opens the public form with the number in it.
    citizen = people(None)
    citizen.goto(f"{url}/listing/lookup/")
    citizen.fill("#id_q", TYPED)
    citizen.click("form[data-testid=lookup-form] button[type=submit]")
    assert citizen.get_attribute("[data-testid=lookup-answer]", "data-status") == "unknown"
    assert look_up(server, TYPED)["status"] == "unknown"
    citizen.click("[data-testid=report-link]")
    citizen.wait_for_selector("form[data-testid=report-form]")
    assert citizen.input_value("#indicator-0-value") == TYPED
    citizen.select_option("#id_behaviour", "13.4")
    citizen.select_option("#id_area", label="Thị xã Vĩnh Châu")
    citizen.fill("#id_description", DESCRIPTION)
    citizen.click("form[data-testid=report-form] button[type=submit]")
    citizen.wait_for_selector("[data-testid=receipt]")
    report = citizen.inner_text("[data-testid=receipt] [data-testid=tracking-code]").strip()
    assert report.startswith("TB")
    assert look_up(server, TYPED)["status"] == "reported"

    # 2. The DIC's focal point opens a case from the report (the DIC leads it) and proposes the number.
    dic = people("dic.focal")
    dic.goto(f"{url}/cases/triage/{report}/")
    dic.click("[data-testid=triage-open] > summary")
    dic.fill("[data-testid=triage-open-form] [name=triage-open-title]", "Giả danh công an gọi từ 0933 221 144")
    dic.click("[data-testid=triage-open-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=case-page]")
    case_url = dic.url
    dic.click("[data-testid=propose-link]")
    dic.wait_for_selector("form[data-testid=propose-form]")
    option = dic.eval_on_selector(
        "#id_indicator", "(s, v) => [...s.options].find(o => o.text.includes(v)).value", NUMBER
    )
    dic.select_option("#id_indicator", option)
    dic.select_option("#id_category", "scam-call")
    dic.fill("#id_reason", "Nhiều người dân phản ánh; nhà mạng xác nhận thuê bao gọi hàng loạt.")
    dic.click("form[data-testid=propose-form] button[type=submit]")
    dic.wait_for_selector("[data-testid=listing-status][data-status=proposed]")
    listing_url = dic.url

    # 3. The hub coordinator approves: listed, on the look-up page and over the API.
    hub = people("dic.hub")
    hub.goto(listing_url)
    hub.click("details.move:has([data-testid=move-approve]) > summary")
    hub.fill("[name=move-approve-note]", "Đủ căn cứ: hai phản ánh, nhà mạng xác nhận.")
    hub.click("[data-testid=move-approve]")
    hub.wait_for_selector("[data-testid=listing-status][data-status=listed]")
    lookup_page = f"{url}/listing/lookup/?" + urllib.parse.urlencode({"q": TYPED})
    settled(lambda: page_status(citizen, lookup_page), lambda s: s == "listed", "the look-up page after listing")
    answer = settled(lambda: look_up(server, "+84 933 221 144"), lambda a: a["status"] == "listed", "listed")
    assert answer["category"] == "scam-call" and answer["appeal_url"]

    # 4. The focal point asks Viettel to block the number (Đ11.3).
    dic.goto(case_url)
    dic.click("[data-testid=cm-request]")
    dic.wait_for_selector("[data-testid=cm-form]")
    dic.select_option("#id_indicator", label=f"Số điện thoại: {NUMBER}")
    dic.select_option("#id_action", value="block_number")
    dic.select_option("#id_target", value="st-viettel")
    dic.fill("#id_legal_basis", "Điều 11 khoản 3 Quyết định 11/2013/QĐ-UBND")
    dic.click("[data-testid=cm-submit]")
    row = dic.locator("[data-testid=case-countermeasures] tr[data-testid=cm-row][data-status=requested]")
    row.first.wait_for()
    measure = row.first.get_attribute("data-reference")
    assert measure and measure.startswith("BP")

    # 5. Viettel's system works its queue over the API with its key: acknowledge, then executed.
    key = carrier_key(server)
    status, pending = api(server, "GET", "/api/v1/countermeasures/?queue=incoming&status=pending", key=key)
    assert status == 200 and measure in json.dumps(pending)
    status, body = api(server, "POST", f"/api/v1/countermeasures/{measure}/acknowledge/", key=key)
    assert status == 200 and body["status"] == "acknowledged", body
    executed_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    status, body = api(
        server,
        "POST",
        f"/api/v1/countermeasures/{measure}/execute/",
        key=key,
        body={"executed_at": executed_at, "execution_reference": "VTST-CHAN-1144"},
    )
    assert status == 200 and body["status"] == "executed", body
    dic.goto(f"{url}/countermeasures/{measure}/")
    assert dic.get_attribute("[data-testid=cm-page]", "data-status") == "executed"

    # 6. The number's new owner looks it up, follows the appeal link and appeals.
    owner = people(None, key="owner")
    owner.goto(f"{url}/listing/lookup/?" + urllib.parse.urlencode({"q": "0933.221.144"}))
    owner.click("[data-testid=appeal-link]")
    owner.wait_for_selector("form[data-testid=appeal-form]")
    owner.fill("#id_name", "Đặng Thị Chủ")
    owner.fill("#id_email", "chu-so-moi@example.vn")
    owner.fill("#id_explanation", "Tôi mới mua lại số này của nhà mạng tuần trước, có hợp đồng thuê bao.")
    owner.click("form[data-testid=appeal-form] button[type=submit]")
    owner.wait_for_selector("[data-testid=appeal-received]")
    appeal = owner.inner_text("[data-testid=appeal-code]").strip()
    assert appeal.startswith("KN")

    # 7. The hub coordinator upholds the appeal: delisted, the block lifted.
    hub.goto(f"{url}/listing/appeals/{appeal}/")
    hub.select_option("#id_decision", "uphold")
    hub.fill("#id_reason", "Nhà mạng xác nhận số đã đổi chủ sau khi bị thu hồi.")
    hub.click("form[data-testid=decide-form] button[type=submit]")
    hub.wait_for_selector("[data-testid=appeal-state][data-status=upheld]")
    hub.goto(listing_url)
    assert hub.get_attribute("[data-testid=listing-status]", "data-status") == "delisted"

    settled(lambda: page_status(citizen, lookup_page), lambda s: s != "listed", "the look-up page after delisting")
    settled(lambda: look_up(server, TYPED), lambda a: a["status"] != "listed", "the JSON look-up after delisting")

    dic.goto(f"{url}/countermeasures/{measure}/")
    assert dic.get_attribute("[data-testid=cm-page]", "data-status") == "lifted"
    status, body = api(server, "GET", f"/api/v1/countermeasures/{measure}/", key=key)
    assert status == 200 and body["status"] == "lifted", body
    dic.goto(case_url)
    lifted = dic.locator(f"[data-testid=case-countermeasures] tr[data-reference='{measure}'] [data-testid=cm-status]")
    assert lifted.get_attribute("data-status") == "lifted"
