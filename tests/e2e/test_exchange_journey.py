"""Issue 10 in the browser, the requests part: the Police ask the DIC for an expert assessment (Đ5.6); the DIC's
focal point acknowledges it, forms the council and records its session, drafts the conclusion ("kết luận giám
định") which the DIC's head signs, adopts it and answers; the Police see the answer with the signed conclusion,
verified on arrival, and the document in their incoming register. Each person in a browser of their own; the
Police's focal point on a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

SUBJECT = "Trưng cầu giám định trạm phát sóng giả thu giữ tại Vĩnh Châu"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"exchange-{name}.png"), full_page=True)


def open_as(browser, server, username: str, *, phone: bool = False):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        login(page, server, username)  # signed in at a desk (the account sits in the phone menu below 800 px)
    except Exception:
        shot(page, f"login-{username}")
        raise
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
    return context, page


def option_containing(page, select: str, text: str) -> str:
    return page.eval_on_selector(select, "(s, t) => [...s.options].find(o => o.text.includes(t)).value", text)


def tick_organisation(page, picker: str, text: str) -> None:
    """Tick the organisation whose name contains `text` in a checkbox picker, opening its folded group."""
    label = page.locator(f"{picker} label", has_text=text).first
    label.evaluate("l => { const group = l.closest('details'); if (group) group.open = true; }")
    label.check()


def recipient_move(page, name: str, fields: dict[str, str] | None = None) -> None:
    page.click(f"[data-testid=move-{name}]")
    form = page.locator(f"[data-testid=move-{name}-form]")
    for suffix, value in (fields or {}).items():
        form.locator(f"[name$='-{suffix}']").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector(".msg.success")


def test_police_request_an_assessment_and_see_the_signed_conclusion_verified(browser, server):
    # 1. The Police's focal point, on a phone, sends the request to the DIC.
    police_ctx, police = open_as(browser, server, "police.focal", phone=True)
    police.goto(f"{server['url']}/requests/new/?kind=assessment")
    police.select_option("#id_recipients", option_containing(police, "#id_recipients", "Sở Thông tin"))
    police.fill("#id_subject", SUBJECT)
    assert police.input_value("#id_article") == "Đ5.6"
    police.fill("#id_body", "Đề nghị giám định thiết bị thu giữ: có phải trạm BTS giả phát tin nhắn lừa đảo không.")
    with police.expect_navigation():
        police.click("[data-testid=request-send]")
    police.wait_for_selector("[data-testid=request-page][data-status=sent]")
    reference = police.get_attribute("[data-testid=request-page]", "data-reference")
    url = f"{server['url']}/requests/{reference}/"
    shot(police, "sent")

    # 2. The DIC's focal point acknowledges, forms the council, records its session, drafts the conclusion.
    dic_ctx, dic = open_as(browser, server, "dic.focal")
    dic.goto(f"{server['url']}/requests/")
    assert reference in dic.inner_text("[data-testid=to-answer]")
    dic.goto(url)
    recipient_move(dic, "receive")
    dic.click("[data-testid=council-form-open]")
    dic.fill("#id_council-form-decision_ref", "25/QĐ-STTTT")
    dic.select_option("#id_council-form-user", "dic.head")
    dic.select_option("#id_council-form-role", "chair")
    with dic.expect_navigation():
        dic.locator("[data-testid=council-form] button[type=submit]").click()
    dic.wait_for_selector("[data-testid=council-session-open]")
    dic.click("[data-testid=council-session-open]")
    dic.fill("#id_council-session-held_on", dt.date.today().isoformat())
    dic.fill("#id_council-session-place", "Phòng họp Sở Thông tin và Truyền thông")
    dic.fill("#id_council-session-attendees", "Đủ thành viên")
    dic.fill("#id_council-session-minutes", "Đo kiểm thiết bị; đối chiếu tần số và nhật ký phát sóng.")
    with dic.expect_navigation():
        dic.locator("[data-testid=council-session-form] button[type=submit]").click()
    dic.wait_for_selector(".msg.success")
    dic.goto(f"{server['url']}/documents/new/")
    dic.select_option("#id_kind", "ket_luan_giam_dinh")
    dic.fill("#id_summary", "Kết luận giám định trạm phát sóng giả")
    tick_organisation(dic, "#id_recipients", "Công an tỉnh Sóc Trăng")  # a document's recipients are checkboxes
    dic.fill("#id_body", "Hội đồng giám định kết luận: thiết bị là trạm BTS giả, phát tin nhắn lừa đảo./.")
    dic.fill("#id_signer_position", "GIÁM ĐỐC")
    with dic.expect_navigation():
        dic.click("[data-testid=save-draft]")
    dic.wait_for_selector("[data-testid=document-page]")
    doc_id = dic.url.rstrip("/").split("/")[-1]
    with dic.expect_navigation():
        dic.click("[data-testid=move-submit]")
    dic.wait_for_selector("[data-testid=document-page][data-status=submitted]")

    # 3. The DIC's head signs it from the "to sign" queue.
    head_ctx, head = open_as(browser, server, "dic.head")
    head.goto(f"{server['url']}/documents/to-sign/")
    head.click(f"[data-testid=sign-{doc_id}]")
    head.wait_for_url("**/documents/to-sign/")
    head_ctx.close()

    # 4. The focal point adopts the signed conclusion and answers with it (it is sent to the Police).
    dic.goto(url)
    dic.click("[data-testid=council-adopt-open]")
    dic.fill("#id_council-adopt-conclusion", "Thiết bị là trạm BTS giả, phát tin nhắn lừa đảo.")
    dic.select_option("#id_council-adopt-conclusion_document", doc_id)
    with dic.expect_navigation():
        dic.locator("[data-testid=council-adopt-form] button[type=submit]").click()
    dic.wait_for_selector("[data-testid=council-adopted]")
    recipient_move(dic, "answer", {"answer-text": "Kết luận giám định của Hội đồng kèm theo."})
    dic.wait_for_selector("[data-testid=recipient][data-status=answered]")
    shot(dic, "answered")
    dic_ctx.close()

    # 5. The Police see the answer with the conclusion signed by the DIC's head, verified on arrival.
    police.goto(url)
    police.wait_for_selector("[data-testid=recipient][data-status=answered]")
    verdict = police.locator("[data-testid=answer] [data-testid=reply-verdict]")
    assert verdict.get_attribute("data-verdict") == "valid"
    assert "Lê Hoàng Phúc" in police.inner_text("[data-testid=answer] [data-testid=reply-document]")
    shot(police, "verified")
    police.locator("[data-testid=answer] [data-testid=reply-document] a").click()
    police.wait_for_selector("[data-testid=arrival]")
    police.wait_for_selector("[data-testid=verification] [data-verdict=valid]")
    police.goto(url)
    recipient_move(police, "accept")
    police.wait_for_selector("[data-testid=recipient][data-status=accepted]")
    police_ctx.close()
