"""The public look-up, page and API: listed for every writing of a listed value, reported (nothing more) for a
reported one, unknown for the rest, a hint for what is no kind of value; the exact keys; no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from phoihop.cases.tests.factories import ctx, submit_report
from phoihop.intake.services import ContactInput

from ..services import appeal_decide, appeal_submit, listing_move
from .helpers import listed

pytestmark = pytest.mark.django_db

API = "/api/v1/public/lookup/"
KEYS = {
    "query",
    "kind",
    "normalised",
    "status",
    "category",
    "category_name",
    "listed_on",
    "warning_url",
    "warning_title",
    "appeal_url",
    "report_url",
}
WRITINGS = [
    "0912 345 678",
    "0912345678",
    "+84 912 345 678",
    "84912345678",
    "+84912345678",
    "0912.345.678",
    "(+84) 912-345-678",
    "0084 912 345 678",
    " 0912-345-678 ",
]


@pytest.fixture
def listing(cast):
    return listed(cast)


@pytest.mark.parametrize("q", WRITINGS)
def test_every_writing_of_a_listed_number_answers_listed(client, listing, q):
    response = client.get(API, {"q": q})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == KEYS
    assert body["status"] == "listed" and body["kind"] == "phone" and body["normalised"] == "+84912345678"
    assert body["category"] == "scam-call" and body["listed_on"] == timezone.localdate(listing.listed_at).isoformat()
    assert body["appeal_url"].endswith(reverse("listing:appeal", args=[listing.reference]))
    assert "kind=phone" in body["report_url"]


def test_an_unknown_value_answers_nothing_known_with_the_same_keys(client, listing):
    body = client.get(API, {"q": "0987 000 111"}).json()
    assert set(body) == KEYS
    assert body["status"] == "unknown" and body["normalised"] == "+84987000111"
    assert body["category"] is None and body["appeal_url"] is None and body["listed_on"] is None


def test_a_reported_value_answers_reported_and_nothing_about_the_reports(client, cast):
    submit_report(
        phone="0977 111 222",
        description="Kẻ gian tên Nguyễn Văn A gọi từ số 0977 111 222 đòi tiền.",
        contact=ContactInput(name="Trần Thị B", phone="0909 123 456", email="b@example.vn", consent=True),
    )
    submit_report(phone="0977111222")
    response = client.get(API, {"q": "0977-111-222"})
    body = response.json()
    assert set(body) == KEYS and body["status"] == "reported"
    text = response.content.decode()
    for secret in ("Nguyễn Văn A", "Trần Thị B", "0909", "b@example.vn", "TB", "VV", '"2"'):
        assert secret not in text


def test_input_that_is_no_kind_of_value_gets_a_hint_naming_q(client):
    for q in ("xin chào", "???"):
        response = client.get(API, {"q": q})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/problem+json")
        assert "phone number" in response.json()["errors"]["q"][0]
    assert client.get(API).json()["errors"]["q"]


def test_sites_accounts_and_addresses(client, cast):
    from phoihop.cases.tests.factories import open_case
    from phoihop.intake.choices import Channel
    from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

    from .helpers import indicator

    report = report_submit(
        data=ReportInput(
            description="Trang giả mạo ngân hàng và tài khoản nhận tiền lừa đảo của nhiều người.",
            behaviour="15.4",
            area="st-vinh-chau",
            indicators=[
                IndicatorInput("url", "https://vietcombank-xacminh.com/dang-nhap"),
                IndicatorInput("bank_account", "0071000123456", "Vietcombank"),
                IndicatorInput("email", "hotro@vietcombank-xacminh.com"),
            ],
        ),
        channel=Channel.WEB,
        ctx=ctx(None),
    ).report
    case = open_case(cast.dic_focal, report)
    listed(cast, case, indicator("vietcombank-xacminh.com", "domain"), category="phishing-site")
    listed(cast, case, indicator("VCB:0071000123456", "bank_account"), category="mule-account")

    def status(q, **extra):
        return client.get(API, {"q": q, **extra}).json()

    assert status("hxxps://vietcombank-xacminh[.]com/khac")["status"] == "listed"  # on a listed domain
    assert status("VIETCOMBANK-XACMINH.COM")["kind"] == "domain"
    assert status("0071000123456", bank="VCB")["status"] == "listed"
    assert status("Vietcombank 0071 000 123 456")["status"] == "listed"
    assert status("0071000123456")["status"] == "listed"  # without its bank
    assert status("hotro@vietcombank-xacminh.com")["status"] == "listed"  # an address on the listed domain
    assert status("other@example.com")["status"] == "unknown"


def test_a_value_delisted_on_appeal_no_longer_shows_its_old_reports(client, cast, listing):
    appeal = appeal_submit(
        listing=listing,
        email="chu-moi@example.vn",
        explanation="Tôi là chủ thuê bao mới của số này từ tháng trước, có hợp đồng với nhà mạng.",
        ctx=ctx(None),
    ).appeal
    appeal_decide(appeal=appeal, decision="uphold", reason="Nhà mạng xác nhận đã đổi chủ.", ctx=ctx(cast.dic_hub))
    assert client.get(API, {"q": "0912345678"}).json()["status"] == "unknown"
    submit_report(phone="0912 345 678")  # a new report after the delisting
    assert client.get(API, {"q": "0912345678"}).json()["status"] == "reported"


def test_the_index_follows_decisions(client, cast, listing):
    assert client.get(API, {"q": "0912345678"}).json()["status"] == "listed"
    listing_move(listing=listing, move="delist", ctx=ctx(cast.dic_hub), note="Quyết định của tổ liên ngành.")
    assert client.get(API, {"q": "0912345678"}).json()["status"] != "listed"


def test_the_public_warning_comes_from_the_hook(client, listing):
    from phoihop.core.registry import _hooks, register_hook

    from ..hooks import PUBLIC_WARNING_HOOK

    def warnings(indicator_ids):
        return {listing.indicator_id: {"title": "Cảnh báo giả danh công an", "url": "/alerts/w/1/"}}

    register_hook(PUBLIC_WARNING_HOOK, warnings)
    try:
        body = client.get(API, {"q": "0912345678"}).json()
    finally:
        _hooks[PUBLIC_WARNING_HOOK].handlers.remove(warnings)
    assert body["warning_title"] == "Cảnh báo giả danh công an" and body["warning_url"].endswith("/alerts/w/1/")


def test_the_api_is_rate_limited_per_address(client, listing, settings, monkeypatch):
    from ..api import throttles

    monkeypatch.setattr(throttles.time, "time", lambda: 1_800_000_000.0)  # one window for the whole test
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/minute"},
    }
    from django.core.cache import caches

    caches["throttle"].clear()
    responses = [client.get(API, {"q": "0912345678"}, REMOTE_ADDR="198.51.100.9") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1]["Retry-After"] == "60"  # the window's end (1_800_000_000 is a whole minute)
    assert client.get(API, {"q": "0912345678"}, REMOTE_ADDR="198.51.100.10").status_code == 200
    caches["throttle"].clear()


def test_the_page_answers_in_vietnamese_with_the_appeal_and_report_links(client, listing, settings):
    settings.LANGUAGE_CODE = "vi"
    response = client.get(reverse("listing:lookup"), {"q": "+84 912 345 678"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="listed"' in html
    assert reverse("listing:appeal", args=[listing.reference]) in html
    assert reverse("intake:public_report") + "?kind=phone" in html


def test_the_page_gives_a_hint_for_no_kind_of_value(client):
    response = client.get(reverse("listing:lookup"), {"q": "xin chào"})
    assert response.status_code == 200 and b"q-hint" in response.content and b"lookup-answer" not in response.content


def test_the_page_without_a_query_is_the_form(client):
    response = client.get(reverse("listing:lookup"))
    assert response.status_code == 200 and b"lookup-form" in response.content


def test_the_report_link_prefills_the_public_form(client):
    body = client.get(API, {"q": "0912 345 678"}).json()
    page = client.get(body["report_url"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="indicator-0-value"' in html and 'value="0912 345 678"' in html
    assert '<option value="phone" selected>' in html
    plain = client.get(reverse("intake:public_report"), {"kind": "no-such-kind", "value": "x"})
    assert plain.status_code == 200 and 'value="x"' not in plain.content.decode()
