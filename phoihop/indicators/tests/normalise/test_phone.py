"""Phone numbers and SMS senders."""

from __future__ import annotations

import pytest

from phoihop.indicators.normalise import Indicator, IndicatorKind, normalise, related
from phoihop.indicators.normalise.phone import _AREA_CODES_2017, _MOBILE_2018

from .helpers import assert_idempotent, assert_invalid

K = IndicatorKind


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


@pytest.mark.parametrize(("old", "new"), sorted(_MOBILE_2018.items()))
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
    assert len(_MOBILE_2018) == 21
    # 63 provinces, 4 of which kept their codes (Vĩnh Phúc, Phú Thọ, Hòa Bình, Hà Giang).
    assert len(_AREA_CODES_2017) == 59
    new_codes = [new for new, _province in _AREA_CODES_2017.values()]
    assert len(set(new_codes)) == 59
    assert all(code.startswith("2") for code in new_codes)


@pytest.mark.parametrize(("old", "entry"), sorted(_AREA_CODES_2017.items()))
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
