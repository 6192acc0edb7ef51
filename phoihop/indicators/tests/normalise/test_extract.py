"""Extraction of indicators from free text."""

from __future__ import annotations

import pytest

from phoihop.indicators.normalise import IndicatorKind, extract, related

K = IndicatorKind


def kinds_values(text: str) -> list[tuple[IndicatorKind, str]]:
    return [(ind.kind, ind.value) for ind in extract(text)]


def test_extract_scam_message():
    text = (
        "Ban da trung thuong 50.000.000d, lien he 0162 345 6789 hoac truy cap "
        "http://vietcombank-xacminh[.]com, chuyen phi vao STK 0071000123456 Vietcombank"
    )
    found = extract(text)
    assert [(ind.kind, ind.raw, ind.value) for ind in found] == [
        (K.PHONE, "0162 345 6789", "+84323456789"),
        (K.URL, "http://vietcombank-xacminh[.]com", "vietcombank-xacminh.com"),
        (K.BANK_ACCOUNT, "0071000123456", "VCB:0071000123456"),
    ]
    assert found[2].bank == "VCB"
    assert found[1].domain == "vietcombank-xacminh.com"


def test_extract_vietnamese_text_with_diacritics():
    text = (
        "Tôi nhận được cuộc gọi từ số 0912.345.678 lúc 10:30 ngày 05/12/2024, tự xưng công an, "
        "yêu cầu chuyển 15.000.000 đồng vào Số tài khoản: 1903 5555 1234 56 tại Ngân hàng Kỹ Thương. "
        "Họ gửi thêm đường link https://bocongan-gov.vn/xac-thuc và email hotro@bocongan-gov.vn."
    )
    assert kinds_values(text) == [
        (K.PHONE, "+84912345678"),
        (K.BANK_ACCOUNT, "TCB:19035555123456"),
        (K.URL, "bocongan-gov.vn/xac-thuc"),
        (K.EMAIL, "hotro@bocongan-gov.vn"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Số tiền 5.000.000 đồng, ngày 12-05-2024, năm 2023",
        "tài khoản của tôi bị trừ 5.000.000 đồng",
        "tài khoản bị trừ 2000000đ",
        "mã OTP 123456, giá 84.000.000, 1.500.000.000đ",
        "Tổng 0912.345 nghìn",
        "Liên hệ anh Ba, TX.Ba Đồn, Tp.HCM, v.v.",
        "máy có số 352099001761481",  # an IMEI-shaped number without the keyword
    ],
)
def test_extract_ignores_amounts_dates_and_abbreviations(text):
    assert extract(text) == []


def test_extract_bank_account_keywords_and_bank_names():
    assert kinds_values("chuyển khoản Vietcombank, STK: 0071000123456") == [(K.BANK_ACCOUNT, "VCB:0071000123456")]
    assert kinds_values("số TK 123456789 (ACB)") == [(K.BANK_ACCOUNT, "ACB:123456789")]
    assert kinds_values("tài khoản nhận tiền là 123 456 789 MB Bank") == [(K.BANK_ACCOUNT, "MB:123456789")]
    assert kinds_values("STK0071000123456 VCB") == [(K.BANK_ACCOUNT, "VCB:0071000123456")]
    assert kinds_values("STK 123456789") == [(K.BANK_ACCOUNT, "123456789")]
    assert kinds_values("so tai khoan 123456789 ngan hang nong nghiep") == [(K.BANK_ACCOUNT, "VBA:123456789")]
    # A holder's name that is also a bank name does not count without "ngân hàng" before it.
    assert kinds_values("STK 123456789 NGUYEN DAI DUONG") == [(K.BANK_ACCOUNT, "123456789")]
    assert kinds_values("STK 123456789 - NGUYEN DAI DUONG - ngân hàng Đại Dương") == [(K.BANK_ACCOUNT, "MBV:123456789")]
    # Without a keyword, a long digit run is not taken for anything.
    assert extract("mã giao dịch 0071000123456") == []


def test_extract_account_shaped_like_a_phone():
    # Many people use their phone number as account number: after "STK" it is a bank account.
    assert kinds_values("STK 0912345678 MB") == [(K.BANK_ACCOUNT, "MB:0912345678")]
    # "tài khoản Zalo" is a social account, so the number is read as a phone.
    assert kinds_values("tài khoản Zalo 0987654321 tên Hoa") == [(K.PHONE, "+84987654321")]


def test_extract_phones_in_many_forms():
    text = (
        "Gọi (+84) 912 345 678 hoặc 0084 912 345 679, hotline 1900 545 413, tổng đài 1800.1091, "
        "máy bàn (079) 3822 222, số Mỹ +1 202 555 0123."
    )
    assert kinds_values(text) == [
        (K.PHONE, "+84912345678"),
        (K.PHONE, "+84912345679"),
        (K.PHONE, "1900545413"),
        (K.PHONE, "18001091"),
        (K.PHONE, "+842993822222"),
        (K.PHONE, "+12025550123"),
    ]


def test_extract_splits_runs_of_numbers():
    assert kinds_values("Hai số 0912 345 678 0987 654 321 gọi 0912345678 5 lần") == [
        (K.PHONE, "+84912345678"),
        (K.PHONE, "+84987654321"),
    ]


def test_extract_deduplicates_keeping_first_appearance():
    found = extract("Số 0162.345.6789, tức là 0323 456 789 hay +84323456789")
    assert [(ind.raw, ind.value) for ind in found] == [("0162.345.6789", "+84323456789")]


def test_extract_urls_emails_and_ips():
    text = (
        "vào trang vietcombank-xacminh.com/login?id=1. Sau đó (xem https://example.com/a(b)c). "
        "Mail hotro[@]vcb-hotro[.]com, IP 103.21.4[.]5 và 2001:db8::1, lúc 10:30:45, "
        "MAC aa:bb:cc:dd:ee:ff, bản 1.2.3.4.5, link http://1.2.3.4/0912345678"
    )
    assert kinds_values(text) == [
        (K.URL, "vietcombank-xacminh.com/login?id=1"),
        (K.URL, "example.com/a(b)c"),
        (K.EMAIL, "hotro@vcb-hotro.com"),
        (K.IP_ADDRESS, "103.21.4.5"),
        (K.IP_ADDRESS, "2001:db8::1"),
        (K.URL, "1.2.3.4/0912345678"),
    ]


def test_extract_idn_urls():
    # With a scheme an IDN host is found; one that IDNA 2008 refuses is skipped, not raised on.
    text = "Khuyến mãi tại https://Thương-Mại.vn/qua-tang, http://☃.com/x và https://xn--bcher-kva.com."
    assert kinds_values(text) == [
        (K.URL, "xn--thng-mi-e5b8k9433a.vn/qua-tang"),
        (K.URL, "xn--bcher-kva.com"),
    ]


def test_extract_social_links_as_urls_and_related_accounts():
    found = extract("Nick https://www.facebook.com/profile.php?id=100012345, zalo.me/0912345678 và t.me/scam_bot")
    assert [ind.kind for ind in found] == [K.URL, K.URL, K.URL]
    derived = [(r.kind, r.value) for ind in found for r in related(ind)]
    assert (K.SOCIAL_ACCOUNT, "facebook:100012345") in derived
    assert (K.SOCIAL_ACCOUNT, "zalo:+84912345678") in derived
    assert (K.SOCIAL_ACCOUNT, "telegram:scam_bot") in derived


def test_extract_imei_only_after_keyword():
    text = "IMEI 1: 35-209900-176148-1, IMEI2: 352099001761482; máy khác 352099001761481"
    found = extract(text)
    assert [(ind.kind, ind.value, ind.error_code) for ind in found] == [
        (K.IMEI, "352099001761481", None),
        (K.IMEI, "352099001761482", "imei_checksum"),  # flagged, for the officer to check
    ]


def test_extract_handles_decomposed_diacritics_and_empty_text():
    decomposed = "so\u0302\u0301 ta\u0300i khoa\u0309n 123456789 Vietcombank"
    assert kinds_values(decomposed) == [(K.BANK_ACCOUNT, "VCB:123456789")]
    assert extract("") == []
    assert extract("   \n\t") == []
