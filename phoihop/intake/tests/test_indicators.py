"""Tests of indicator normalisation and extraction (pure Python: no database, no Django settings).

Run with ``pytest -p no:django phoihop/intake/tests/test_indicators.py``. Messages are lazy
translations and are never turned into strings here: tests compare ``error_code`` only.
"""

from __future__ import annotations

import random
import re

import pytest
from django.utils.functional import Promise

from phoihop.intake import indicators
from phoihop.intake.indicators import (
    KIND_LABELS,
    Indicator,
    IndicatorKind,
    bank_choices,
    extract,
    normalise,
    related,
    resolve_bank,
)

K = IndicatorKind


# The project's conftest.py isolates file storage and the cache around every test; these tests use
# neither, and must also run without pytest-django (``-p no:django``), so both are replaced here.
@pytest.fixture(autouse=True)
def _isolated_files():
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    yield


def luhn_digit(payload: str) -> str:
    """The Luhn check digit to append to ``payload``."""
    for digit in "0123456789":
        if indicators._luhn_ok(payload + digit):
            return digit
    raise AssertionError("unreachable")


def assert_invalid(kind: IndicatorKind, raw: str, error_code: str) -> None:
    ind = normalise(kind, raw)
    assert not ind.valid, ind
    assert ind.error_code == error_code
    assert ind.value == ind.raw == raw.strip()


def assert_idempotent(kind: IndicatorKind, raw: str, **kwargs: str) -> None:
    first = normalise(kind, raw, **kwargs)
    assert first.valid, first
    again = normalise(kind, first.value)
    assert again.valid and again.value == first.value


# --------------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "0912345678",
        "+84912345678",
        "+84 912 345 678",
        "84-912-345-678",
        "84912345678",
        "(+84) 912 345 678",
        "(+84)912.345.678",
        "0084912345678",
        "0084 912 345 678",
        "+84 (0) 912 345 678",
        "tel:+84912345678",
        "912345678",
        "  0912 345 678  ",
    ],
)
def test_phone_forms_give_e164(raw):
    ind = normalise(K.PHONE, raw)
    assert ind == Indicator(K.PHONE, raw.strip(), "+84912345678", True)
    assert_idempotent(K.PHONE, raw)


@pytest.mark.parametrize(("old", "new"), sorted(indicators._MOBILE_2018.items()))
def test_every_2018_mobile_prefix_is_renumbered(old, new):
    assert normalise(K.PHONE, f"0{old} 234 5678").value == f"+84{new}2345678"
    assert normalise(K.PHONE, f"+84 {old} 234 5678").value == f"+84{new}2345678"
    assert normalise(K.PHONE, f"84{old}2345678").value == f"+84{new}2345678"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0162 345 6789", "+84323456789"),  # Viettel
        ("0169.123.4567", "+84391234567"),
        ("0120 123 4567", "+84701234567"),  # MobiFone
        ("0121 123 4567", "+84791234567"),
        ("0122 123 4567", "+84771234567"),
        ("0126 123 4567", "+84761234567"),
        ("0128 123 4567", "+84781234567"),
        ("0123 123 4567", "+84831234567"),  # VinaPhone
        ("0124 123 4567", "+84841234567"),
        ("0125 123 4567", "+84851234567"),
        ("0127 123 4567", "+84811234567"),
        ("0129 123 4567", "+84821234567"),
        ("0186 123 4567", "+84561234567"),  # Vietnamobile
        ("0188 123 4567", "+84581234567"),
        ("0199 123 4567", "+84591234567"),  # Gmobile
        ("+84 162 345 6789", "+84323456789"),
        ("(+84) 1688 123 456", "+84388123456"),
    ],
)
def test_old_mobile_numbers(raw, expected):
    ind = normalise(K.PHONE, raw)
    assert ind.valid and ind.value == expected
    assert related(ind) == []  # an 11-digit 01xx number has a single reading


def test_renumbering_tables_are_complete():
    assert len(indicators._MOBILE_2018) == 21
    # 63 provinces, 4 of which kept their codes (Vĩnh Phúc, Phú Thọ, Hòa Bình, Hà Giang).
    assert len(indicators._AREA_CODES_2017) == 59
    new_codes = [new for new, _province in indicators._AREA_CODES_2017.values()]
    assert len(set(new_codes)) == 59
    assert all(code.startswith("2") for code in new_codes)


@pytest.mark.parametrize(("old", "entry"), sorted(indicators._AREA_CODES_2017.items()))
def test_every_2017_area_code_maps_to_a_valid_landline(old, entry):
    new, _province = entry
    subscriber = "38221234" if old in ("4", "8") else "3822123"
    # The bracketed area code is how landlines were printed, and settles any mobile ambiguity.
    assert normalise(K.PHONE, f"(0{old}) {subscriber}").value == f"+84{new}{subscriber}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(079) 3822 222", "+842993822222"),  # Sóc Trăng
        ("(079) 3.822.222", "+842993822222"),
        ("04 3825 1234", "+842438251234"),  # Hà Nội: no mobile starts with 04
        ("(04) 3825 1234", "+842438251234"),
        ("(08) 3822 1234", "+842838221234"),  # Hồ Chí Minh City
        ("0710 3812 345", "+842923812345"),  # Cần Thơ
        ("0711 3870 123", "+842933870123"),  # Hậu Giang
        ("0781 3822 123", "+842913822123"),  # Bạc Liêu
        ("0780 3831 123", "+842903831123"),  # Cà Mau
        ("074 3862 123", "+842943862123"),  # Trà Vinh
        ("075 3822 123", "+842753822123"),  # Bến Tre
        ("(070) 3822 123", "+842703822123"),  # Vĩnh Long
        ("(077) 3862 123", "+842973862123"),  # Kiên Giang
        ("(076) 3852 123", "+842963852123"),  # An Giang
        ("0511 3821 234", "+842363821234"),  # Đà Nẵng
        ("+84 71 0381 2345", "+842923812345"),
        ("0299 3822 222", "+842993822222"),  # already renumbered
        ("0210 3812 345", "+842103812345"),  # Phú Thọ never changed
    ],
)
def test_old_and_current_landlines(raw, expected):
    assert normalise(K.PHONE, raw).value == expected
    assert_idempotent(K.PHONE, raw)


def test_number_that_is_both_a_mobile_and_an_old_landline():
    # 079 was Sóc Trăng's area code until 2017 and is a MobiFone prefix since 2018: today's meaning
    # wins, and the old landline reading is offered for indexing.
    ind = normalise(K.PHONE, "079 3822 222")
    assert ind.value == "+84793822222"
    assert [r.value for r in related(ind)] == ["+842993822222"]
    bracketed = normalise(K.PHONE, "(079) 3822 222")
    assert bracketed.value == "+842993822222"
    assert [r.value for r in related(bracketed)] == ["+84793822222"]
    # HCMC's 08 + 8 digits against VinaPhone's 083.
    assert [r.value for r in related(normalise(K.PHONE, "08 3822 1234"))] == ["+842838221234"]
    # No landline reading for a plain current mobile.
    assert related(normalise(K.PHONE, "0912 345 678")) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1900 1234", "19001234"),
        ("1900.545.413", "1900545413"),
        ("1800 1091", "18001091"),
        ("1800-599-920", "1800599920"),
        ("+84 1900 1234", "19001234"),
        ("9029", "9029"),  # SMS short code
        ("8077", "8077"),
        ("19008", "19008"),  # 5-digit short code
        ("113", "113"),  # police emergency number
    ],
)
def test_service_numbers_and_short_codes_stay_digits(raw, expected):
    ind = normalise(K.PHONE, raw)
    assert ind.valid and ind.value == expected
    assert_idempotent(K.PHONE, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 202 555 0123", "+12025550123"),
        ("+1 (202) 555-0123", "+12025550123"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_foreign_numbers(raw, expected):
    assert normalise(K.PHONE, raw).value == expected
    assert_idempotent(K.PHONE, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "0912",
        "0912 345 67",
        "091234567890123",
        "0123 456 789",
        "0912-abc-678",
        "0912345678 / 0987654321",
        "+84 1234",
        "+1 111",
        "++84912345678",
        "84+912345678",
        "(079) 382",
        "00",
        "12",
        "０９１２３４５６７８",  # full-width digits are not what a phone shows
    ],
)
def test_invalid_phones_are_kept_as_written(raw):
    assert_invalid(K.PHONE, raw, "phone_invalid")


# --------------------------------------------------------------------------------------------------
# SMS senders
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("VCB", "VCB"),
        ("Vietcombank", "VIETCOMBANK"),
        ("BO CONG AN", "BO CONG AN"),
        ("bo  cong   an", "BO CONG AN"),
        ("Bộ Công An", "BO CONG AN"),
        ("Điện lực", "DIEN LUC"),
        ("VNPT-Tra Cuu", "VNPT-TRA CUU"),
        ("0912 345 678", "+84912345678"),
        ("+84 162 345 6789", "+84323456789"),
        ("8077", "8077"),
    ],
)
def test_sms_senders(raw, expected):
    ind = normalise(K.SMS_SENDER, raw)
    assert ind.kind is K.SMS_SENDER and ind.valid and ind.value == expected
    assert_idempotent(K.SMS_SENDER, raw)


def test_numeric_sms_sender_relates_to_the_phone():
    assert related(normalise(K.SMS_SENDER, "0912.345.678")) == [
        Indicator(K.PHONE, "+84912345678", "+84912345678", True)
    ]
    assert related(normalise(K.SMS_SENDER, "VCB")) == []


@pytest.mark.parametrize("raw", ["", "!!!", "0912", "A" * 25, "中国银行", "-VCB-"])
def test_invalid_sms_senders(raw):
    assert_invalid(K.SMS_SENDER, raw, "sms_sender_invalid")


# --------------------------------------------------------------------------------------------------
# URLs and domains
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "domain"),
    [
        # Documented choice: query kept as written, trailing slash of the path and fragment dropped.
        ("https://www.Sub.Example.com.vn/a/?q=1#x", "sub.example.com.vn/a?q=1", "example.com.vn"),
        ("HTTP://Example.COM:80/", "example.com", "example.com"),
        ("https://example.com:443/x", "example.com/x", "example.com"),
        ("https://example.com:80/x", "example.com:80/x", "example.com"),
        ("http://example.com:8080/Path/Case/", "example.com:8080/Path/Case", "example.com"),
        ("http://www.example.com", "example.com", "example.com"),
        ("example.com/#top", "example.com", "example.com"),
        ("example.com?x=1&y=2", "example.com?x=1&y=2", "example.com"),
        ("vietcombank-xacminh.com/login", "vietcombank-xacminh.com/login", "vietcombank-xacminh.com"),
        ("hxxp://vietcombank-xacminh[.]com/login", "vietcombank-xacminh.com/login", "vietcombank-xacminh.com"),
        ("hXXps[:]//evil(.)com/a", "evil.com/a", "evil.com"),
        ("hxxps[://]evil[dot]com", "evil.com", "evil.com"),
        ("example[.]com", "example.com", "example.com"),
        ("//cdn.example.net/x.js", "cdn.example.net/x.js", "example.net"),
        ("http://user:pw@evil.com/x", "evil.com/x", "evil.com"),
        ("http://Bóng.vn/Trang", "xn--bng-gna.vn/Trang", "xn--bng-gna.vn"),
        ("xn--bng-gna.vn/Trang", "xn--bng-gna.vn/Trang", "xn--bng-gna.vn"),
        ("http://例子.中国", "xn--fsqu00a.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"),
        ("https://login.scam.web.app/", "login.scam.web.app", "scam.web.app"),  # private suffix
        ("https://a.b.gov.vn/tin-tuc", "a.b.gov.vn/tin-tuc", "b.gov.vn"),
        ("http://www.com.vn", "www.com.vn", "www.com.vn"),  # "www" is the registered label here
        ("http://example.com./x", "example.com/x", "example.com"),
        ("http://1.2.3.4:8080/a", "1.2.3.4:8080/a", None),
        ("http://[2001:DB8::1]/", "[2001:db8::1]", None),
    ],
)
def test_urls(raw, value, domain):
    ind = normalise(K.URL, raw)
    assert ind.valid, ind
    assert (ind.value, ind.domain) == (value, domain)
    assert_idempotent(K.URL, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "not a url",
        "http://",
        "http:///path",
        "ftp://example.com",
        "javascript:alert(1)",
        "http://localhost:8000",
        "http://exa mple.com",
        "http://-bad-.com",
        "http://xn--zz.com",
        "http://xn--０.vn",  # full-width digit: maps to the broken punycode label "xn--0"
        "user@example.com",
        "http://a.com:99999",
        "http://[::1",
        "com.vn",
        "http://example.notarealtld",
        "http://a..com",
        "http://" + "a" * 64 + ".com",
    ],
)
def test_invalid_urls(raw):
    assert_invalid(K.URL, raw, "url_invalid")


def test_url_related():
    url = normalise(K.URL, "https://www.Sub.Example.com.vn/a/?q=1#x")
    assert related(url) == [Indicator(K.DOMAIN, "example.com.vn", "example.com.vn", True, domain="example.com.vn")]
    by_ip = normalise(K.URL, "http://103.21.4.5/login")
    assert related(by_ip) == [Indicator(K.IP_ADDRESS, "103.21.4.5", "103.21.4.5", True)]
    profile = normalise(K.URL, "https://www.facebook.com/profile.php?id=100012345&mibextid=x")
    assert [(r.kind, r.value) for r in related(profile)] == [
        (K.DOMAIN, "facebook.com"),
        (K.SOCIAL_ACCOUNT, "facebook:100012345"),
    ]
    assert related(normalise(K.URL, "not a url")) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("WWW.Example.COM.VN", "example.com.vn"),
        ("https://a.b.example.com/x?y=1", "example.com"),
        ("example[.]com", "example.com"),
        ("bóng.vn", "xn--bng-gna.vn"),
        ("scam.github.io", "scam.github.io"),
        ("example.com.", "example.com"),
    ],
)
def test_domains(raw, expected):
    ind = normalise(K.DOMAIN, raw)
    assert ind.valid and ind.value == ind.domain == expected
    assert_idempotent(K.DOMAIN, raw)


@pytest.mark.parametrize("raw", ["1.2.3.4", "com", "com.vn", "localhost", "a_b", "http://[::1]/", "x@y.com"])
def test_invalid_domains(raw):
    assert_invalid(K.DOMAIN, raw, "domain_invalid")


# --------------------------------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "domain"),
    [
        ("Ten.Nguoi@Example.COM.vn", "ten.nguoi@example.com.vn", "example.com.vn"),
        ("mailto:A@Mail.Example.com", "a@mail.example.com", "example.com"),
        ("hotro[@]vcb-hotro[.]com", "hotro@vcb-hotro.com", "vcb-hotro.com"),
        ("hotro[at]vcb-hotro.com", "hotro@vcb-hotro.com", "vcb-hotro.com"),
        ("a+tag@bóng.vn", "a+tag@xn--bng-gna.vn", "xn--bng-gna.vn"),
        ("x_y-z@sub.scam.web.app", "x_y-z@sub.scam.web.app", "scam.web.app"),
    ],
)
def test_emails(raw, value, domain):
    ind = normalise(K.EMAIL, raw)
    assert ind.valid and (ind.value, ind.domain) == (value, domain)
    assert related(ind) == [Indicator(K.DOMAIN, domain, domain, True, domain=domain)]
    assert_idempotent(K.EMAIL, raw)


@pytest.mark.parametrize(
    "raw",
    ["a@", "@x.com", "a..b@x.com", ".a@x.com", "a b@x.com", "a@localhost", "a@1.2.3.4", "nguyễn@x.com", "a@@x.com"],
)
def test_invalid_emails(raw):
    assert_invalid(K.EMAIL, raw, "email_invalid")


# --------------------------------------------------------------------------------------------------
# Banks and bank accounts
# --------------------------------------------------------------------------------------------------


def test_bank_data_file():
    banks = indicators._banks()
    assert len(banks) >= 40
    codes = [bank.code for bank in banks]
    bins = [bank.bin for bank in banks]
    assert len(set(codes)) == len(codes)
    assert len(set(bins)) == len(bins)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]+", code) for code in codes)
    assert all(re.fullmatch(r"[0-9]{6}", bin_) for bin_ in bins)
    for bank in banks:
        assert bank.aliases and all(alias == alias.lower().strip() for alias in bank.aliases), bank
    indicators._bank_index()  # raises if an alias names two banks
    assert {"VCB", "ICB", "BIDV", "VBA", "TCB", "MB", "ACB", "VPB", "TPB", "STB"} <= set(codes)


def test_bank_choices():
    choices = bank_choices()
    assert ("VCB", "VCB – Vietcombank") in choices
    assert [code for code, _label in choices] == sorted(code for code, _label in choices)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("VCB", "VCB"),
        ("vcb", "VCB"),
        ("970436", "VCB"),
        ("Vietcombank", "VCB"),
        ("Vietcom Bank", "VCB"),
        ("ngoại thương", "VCB"),
        ("Ngoai Thuong", "VCB"),
        ("Ngân hàng Ngoại thương", "VCB"),
        ("NH TMCP Ngoại thương Việt Nam", "VCB"),
        ("Ngân hàng TMCP Ngoại thương Việt Nam", "VCB"),
        ("vietinbank", "ICB"),
        ("CTG", "ICB"),
        ("Agribank", "VBA"),
        ("MB Bank", "MB"),
        ("Quân đội", "MB"),
        ("Sacombank", "STB"),
        ("Sài Gòn Thương Tín", "STB"),
        ("ngân hàng Sài Gòn", "SCB"),
        ("LienVietPostBank", "LPB"),
        ("OceanBank", "MBV"),
        ("Đông Á", "VIKKI"),
        ("Techcombank", "TCB"),
    ],
)
def test_resolve_bank(name, code):
    assert resolve_bank(name) == code


@pytest.mark.parametrize("name", [None, "", "ngân hàng ma", "123456", "x" * 500])
def test_resolve_unknown_bank(name):
    assert resolve_bank(name) is None


@pytest.mark.parametrize("bank", ["VCB", "970436", "vietcombank", "Ngân hàng Ngoại Thương", "ngoai thuong"])
def test_bank_account_with_known_bank(bank):
    ind = normalise(K.BANK_ACCOUNT, "0071 000 123 456", bank=bank)
    assert ind == Indicator(K.BANK_ACCOUNT, "0071 000 123 456", "VCB:0071000123456", True, bank="VCB")
    assert_idempotent(K.BANK_ACCOUNT, "0071 000 123 456", bank=bank)


@pytest.mark.parametrize(
    ("raw", "bank", "value", "code"),
    [
        ("0071000123456", None, "0071000123456", None),
        ("0071.000.123-456", None, "0071000123456", None),
        ("0071000123456", "Ngân hàng Ma", "0071000123456", None),  # unknown bank: still valid
        ("123456", None, "123456", None),
        ("1" * 19, None, "1" * 19, None),
        ("VCB:0071000123456", None, "VCB:0071000123456", "VCB"),
        ("vietcombank: 0071 000 123 456", None, "VCB:0071000123456", "VCB"),
        ("VCB:0071000123456", "ACB", "ACB:0071000123456", "ACB"),  # the explicit bank wins
        ("VCB:0071000123456", "Ngân hàng Ma", "VCB:0071000123456", "VCB"),
        ("STK: 0071000123456", None, "0071000123456", None),
        ("Số tài khoản 0071 000 123 456", "VCB", "VCB:0071000123456", "VCB"),
        ("stk VCB:0071000123456", None, "VCB:0071000123456", "VCB"),
    ],
)
def test_bank_accounts(raw, bank, value, code):
    ind = normalise(K.BANK_ACCOUNT, raw, bank=bank)
    assert ind.valid and (ind.value, ind.bank) == (value, code)


@pytest.mark.parametrize("raw", ["12345", "1" * 20, "abc123456", "12345678x", "XYZ:123456", "VCB:", "0071/000/123"])
def test_invalid_bank_accounts(raw):
    assert_invalid(K.BANK_ACCOUNT, raw, "bank_account_invalid")


def test_bank_account_relates_to_its_bare_digits():
    ind = normalise(K.BANK_ACCOUNT, "0071000123456", bank="VCB")
    assert related(ind) == [Indicator(K.BANK_ACCOUNT, "0071000123456", "0071000123456", True)]
    assert related(normalise(K.BANK_ACCOUNT, "0071000123456")) == []


# --------------------------------------------------------------------------------------------------
# Social network accounts
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("facebook.com/some.name", "facebook:some.name"),
        ("https://www.facebook.com/Some.Name/?ref=bookmarks", "facebook:some.name"),
        ("https://m.facebook.com/profile.php?id=100012345", "facebook:100012345"),
        ("fb.com/profile.php?id=100012345", "facebook:100012345"),
        ("https://www.facebook.com/people/Nguyen-Van-A/100012345678/", "facebook:100012345678"),
        ("facebook.com/groups/LuaDao123/", "facebook:groups/luadao123"),
        ("https://www.facebook.com/100012345678", "facebook:100012345678"),
        ("t.me/Scam_Bot", "telegram:scam_bot"),
        ("https://telegram.me/s/channelx", "telegram:channelx"),
        ("tiktok.com/@Shop.VN/video/7300000000000000000", "tiktok:shop.vn"),
        ("https://www.tiktok.com/@user_1", "tiktok:user_1"),
        ("zalo.me/0912345678", "zalo:+84912345678"),
        ("https://zalo.me/84912345678", "zalo:+84912345678"),
        ("zalo.me/4301234567890123456", "zalo:4301234567890123456"),  # official account id
        ("@Handle_1", "@handle_1"),
        ("facebook:Some.Name", "facebook:some.name"),
        ("fb: some.name", "facebook:some.name"),
        ("tg:@abcd", "telegram:abcd"),
        ("tiktok:@user", "tiktok:user"),
        ("zalo: 0912 345 678", "zalo:+84912345678"),
    ],
)
def test_social_accounts(raw, expected):
    ind = normalise(K.SOCIAL_ACCOUNT, raw)
    assert ind.valid and ind.value == expected
    assert_idempotent(K.SOCIAL_ACCOUNT, raw)


def test_zalo_account_relates_to_its_phone():
    ind = normalise(K.SOCIAL_ACCOUNT, "zalo.me/0912345678")
    assert [(r.kind, r.value) for r in related(ind)] == [(K.PHONE, "+84912345678")]
    assert related(normalise(K.SOCIAL_ACCOUNT, "t.me/scam_bot")) == []


@pytest.mark.parametrize(
    "raw",
    [
        "facebook.com",
        "facebook.com/share/abc123",
        "facebook.com/pages",
        "facebook.com/photo.php?fbid=1",
        "https://www.facebook.com/watch?v=1",
        "facebook.com/profile.php?id=abc",
        "t.me/+AbCdEf",
        "t.me/joinchat/xyz",
        "tiktok.com/foryou",
        "zalo.me/g/abcdef",
        "example.com/user",
        "myspace:abc",
        "hello world",
        "@",
    ],
)
def test_invalid_social_accounts(raw):
    assert_invalid(K.SOCIAL_ACCOUNT, raw, "social_account_invalid")


# --------------------------------------------------------------------------------------------------
# IMEI, SIM serial, licence plate, IP address
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["352099001761481", "35-209900-176148-1", "35 209900 176148 1", "35/209900/176148/1"])
def test_imei(raw):
    assert normalise(K.IMEI, raw).value == "352099001761481"
    assert_idempotent(K.IMEI, raw)


@pytest.mark.parametrize(
    ("raw", "error_code"),
    [
        ("352099001761482", "imei_checksum"),
        ("35209900176148", "imei_invalid"),  # 14 digits: the check digit is not made up
        ("3520990017614810", "imei_invalid"),
        ("35209900176148A", "imei_invalid"),
        ("", "imei_invalid"),
    ],
)
def test_invalid_imei(raw, error_code):
    assert_invalid(K.IMEI, raw, error_code)


ICCID_19 = "898404800012345678" + luhn_digit("898404800012345678")
ICCID_20 = "8984048000123456789" + luhn_digit("8984048000123456789")


@pytest.mark.parametrize(
    "raw",
    [
        ICCID_19,
        ICCID_20,
        ICCID_19 + "0",  # check digit 19th, then a filler digit
        " ".join(re.findall(".{1,4}", ICCID_19)),
    ],
)
def test_sim_serial(raw):
    ind = normalise(K.SIM_SERIAL, raw)
    assert ind.valid and ind.value == raw.replace(" ", "")


@pytest.mark.parametrize(
    ("raw", "error_code"),
    [
        ("9" + ICCID_19[1:], "sim_serial_invalid"),  # does not start with 89
        ("88" + ICCID_19[2:], "sim_serial_invalid"),
        (ICCID_19[:-1], "sim_serial_invalid"),  # 18 digits
        (ICCID_20 + "1", "sim_serial_invalid"),
        (ICCID_19[:-1] + str((int(ICCID_19[-1]) + 1) % 10), "sim_serial_checksum"),
        ("8984abc", "sim_serial_invalid"),
    ],
)
def test_invalid_sim_serial(raw, error_code):
    assert_invalid(K.SIM_SERIAL, raw, error_code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("83C1-123.45", "83C112345"),
        ("83-C1 12345", "83C112345"),
        ("83c1 123.45", "83C112345"),
        ("51F-123.45", "51F12345"),
        ("51f 12345", "51F12345"),
        ("30A-1234", "30A1234"),
        ("29LD-123.45", "29LD12345"),
        ("29-MĐ1 123.45", "29MĐ112345"),
        ("80-NG-123-45", "80NG12345"),
    ],
)
def test_licence_plates(raw, expected):
    assert normalise(K.LICENCE_PLATE, raw).value == expected
    assert_idempotent(K.LICENCE_PLATE, raw)


@pytest.mark.parametrize("raw", ["ABC-123", "05A-12345", "83C1-12", "83C1-1234567", "8C-12345", "83-123.45"])
def test_invalid_licence_plates(raw):
    assert_invalid(K.LICENCE_PLATE, raw, "plate_invalid")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.168.1.1", "192.168.1.1"),
        ("103.21.4[.]5", "103.21.4.5"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("[::1]", "::1"),
    ],
)
def test_ip_addresses(raw, expected):
    assert normalise(K.IP_ADDRESS, raw).value == expected
    assert_idempotent(K.IP_ADDRESS, raw)


@pytest.mark.parametrize("raw", ["256.1.1.1", "1.2.3", "192.168.001.1", "abc", "1.2.3.4/24"])
def test_invalid_ip_addresses(raw):
    assert_invalid(K.IP_ADDRESS, raw, "ip_invalid")


# --------------------------------------------------------------------------------------------------
# API details
# --------------------------------------------------------------------------------------------------


def test_kind_may_be_given_as_string_and_unknown_kinds_are_a_programming_error():
    assert normalise("phone", "0912345678").kind is K.PHONE
    with pytest.raises(ValueError):
        normalise("fax", "0912345678")


def test_labels_and_messages_are_lazy():
    assert set(KIND_LABELS) == set(IndicatorKind)
    assert all(isinstance(label, Promise) for label in KIND_LABELS.values())
    assert normalise(K.PHONE, "0912345678").message == ""
    for kind in IndicatorKind:
        invalid = normalise(kind, "?")
        assert not invalid.valid and isinstance(invalid.message, Promise), kind
    assert isinstance(normalise(K.IMEI, "352099001761482").message, Promise)


def test_oversized_input_is_rejected_quickly():
    huge = "0" * 100_000
    for kind in IndicatorKind:
        assert not normalise(kind, huge).valid


# --------------------------------------------------------------------------------------------------
# Extraction from free text
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Robustness: nothing raises, whatever the input (hypothesis is not a project dependency, so a seeded
# random generator stands in for it)
# --------------------------------------------------------------------------------------------------

FRAGMENTS = [
    *"0123456789",
    "0",
    "84",
    "+",
    "+84",
    "00",
    "(",
    ")",
    " ",
    ".",
    "-",
    "/",
    ":",
    "@",
    "#",
    "?",
    "=",
    "&",
    "[.]",
    "(.)",
    "[@]",
    "[:]",
    "[://]",
    "http://",
    "hxxps://",
    "ftp://",
    "www.",
    ".com",
    ".vn",
    ".com.vn",
    "xn--",
    "xn--zz",
    "[::1]",
    "%",
    "\\",
    "STK ",
    "số tài khoản ",
    "IMEI ",
    "Vietcombank",
    "ngân hàng ",
    "zalo.me/",
    "t.me/+",
    "facebook.com/",
    "profile.php?id=",
    "tiktok.com/@",
    "Đ",
    "ế",
    "\u0301",
    "\u3002",
    "\uff0e",
    "ß",
    "İ",
    "例",
    "٣",
    "０",
    "\x00",
    "\n",
    "\u200b",
    "\U0001f600",
]


def random_strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < 0.7:
            out.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 12))))
        else:
            out.append("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 30))))
    return out


PATHOLOGICAL = [
    "1 " * 3000,
    "1." * 3000,
    "a." * 3000,
    "a" * 5000 + ".com",
    "0" * 10_000,
    "[.]" * 2000,
    "http://" + "a." * 2000 + "com",
    "STK " * 2000,
    "tài khoản " * 1000 + "123456789",
    "IMEI " + "1-" * 3000,
    "::" * 3000,
    "@" * 3000,
    "x@" * 3000,
]


def check_indicator(ind: Indicator) -> None:
    assert isinstance(ind, Indicator)
    if ind.valid:
        assert ind.error_code is None and ind.value
    else:
        assert ind.error_code and ind.value == ind.raw
    for extra in related(ind):
        assert extra.valid


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_normalise_never_raises(seed):
    for raw in random_strings(seed, 300):
        for kind in IndicatorKind:
            ind = normalise(kind, raw, bank=raw[:20] or None)
            check_indicator(ind)
            assert ind.raw == raw.strip() or len(raw.strip()) > indicators._MAX_INPUT


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_extract_never_raises(seed):
    texts = random_strings(100 + seed, 200)
    for text in [" ".join(texts[i : i + 10]) for i in range(0, len(texts), 10)] + texts:
        for ind in extract(text):
            check_indicator(ind)


def test_pathological_inputs_are_handled():
    for text in PATHOLOGICAL:
        for ind in extract(text):
            check_indicator(ind)
        for kind in IndicatorKind:
            check_indicator(normalise(kind, text))
