"""Phone numbers (E.164, with Vietnam's 2017 and 2018 renumberings) and SMS senders."""

from __future__ import annotations

import re

import phonenumbers

from .base import Indicator, IndicatorKind, _bad, _fold, _ok, normalise, normaliser_for, related_for

# 2018 mobile renumbering (Circular 22/2014/TT-BTTTT numbering plan, carried out under Decision
# 798/QĐ-BTTTT from 15/09/2018): 11-digit 01xx mobile numbers became 10-digit 0xx ones with the same
# last 7 digits. Keys and values are without the trunk 0.
_MOBILE_2018: dict[str, str] = {
    # Viettel
    "162": "32",
    "163": "33",
    "164": "34",
    "165": "35",
    "166": "36",
    "167": "37",
    "168": "38",
    "169": "39",
    # MobiFone
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    # VinaPhone
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    # Vietnamobile
    "186": "56",
    "188": "58",
    # Gmobile
    "199": "59",
}

# 2017 landline renumbering (Decision 2036/QĐ-BTTTT of 2015, carried out in three phases from
# February to June 2017): 59 provinces moved to area codes starting with 2; Vĩnh Phúc (211), Phú Thọ
# (210), Hòa Bình (218) and Hà Giang (219) kept theirs. Old code → (new code, province), without the
# trunk 0. Subscriber numbers did not change: 8 digits in Hà Nội and Hồ Chí Minh City, 7 elsewhere.
# Several old codes (033, 036–039, 052–059, 070, 076, 077, 079, 08) were later reused as mobile
# prefixes in the 2018 renumbering, hence the ambiguity handled in _phone_readings.
_AREA_CODES_2017: dict[str, tuple[str, str]] = {
    # North
    "4": ("24", "Hà Nội"),
    "20": ("214", "Lào Cai"),
    "22": ("212", "Sơn La"),
    "25": ("205", "Lạng Sơn"),
    "26": ("206", "Cao Bằng"),
    "27": ("207", "Tuyên Quang"),
    "29": ("216", "Yên Bái"),
    "30": ("229", "Ninh Bình"),
    "31": ("225", "Hải Phòng"),
    "33": ("203", "Quảng Ninh"),
    "36": ("227", "Thái Bình"),
    "230": ("215", "Điện Biên"),
    "231": ("213", "Lai Châu"),
    "240": ("204", "Bắc Giang"),
    "241": ("222", "Bắc Ninh"),
    "280": ("208", "Thái Nguyên"),
    "281": ("209", "Bắc Kạn"),
    "320": ("220", "Hải Dương"),
    "321": ("221", "Hưng Yên"),
    "350": ("228", "Nam Định"),
    "351": ("226", "Hà Nam"),
    # Centre
    "37": ("237", "Thanh Hóa"),
    "38": ("238", "Nghệ An"),
    "39": ("239", "Hà Tĩnh"),
    "52": ("232", "Quảng Bình"),
    "53": ("233", "Quảng Trị"),
    "54": ("234", "Thừa Thiên Huế"),
    "55": ("255", "Quảng Ngãi"),
    "56": ("256", "Bình Định"),
    "57": ("257", "Phú Yên"),
    "58": ("258", "Khánh Hòa"),
    "62": ("252", "Bình Thuận"),
    "68": ("259", "Ninh Thuận"),
    "510": ("235", "Quảng Nam"),
    "511": ("236", "Đà Nẵng"),
    # Central Highlands
    "59": ("269", "Gia Lai"),
    "60": ("260", "Kon Tum"),
    "63": ("263", "Lâm Đồng"),
    "500": ("262", "Đắk Lắk"),
    "501": ("261", "Đắk Nông"),
    # South-East
    "8": ("28", "TP. Hồ Chí Minh"),
    "61": ("251", "Đồng Nai"),
    "64": ("254", "Bà Rịa – Vũng Tàu"),
    "66": ("276", "Tây Ninh"),
    "650": ("274", "Bình Dương"),
    "651": ("271", "Bình Phước"),
    # Mekong Delta
    "67": ("277", "Đồng Tháp"),
    "70": ("270", "Vĩnh Long"),
    "72": ("272", "Long An"),
    "73": ("273", "Tiền Giang"),
    "74": ("294", "Trà Vinh"),
    "75": ("275", "Bến Tre"),
    "76": ("296", "An Giang"),
    "77": ("297", "Kiên Giang"),
    "79": ("299", "Sóc Trăng"),
    "710": ("292", "Cần Thơ"),
    "711": ("293", "Hậu Giang"),
    "780": ("290", "Cà Mau"),
    "781": ("291", "Bạc Liêu"),
}
_EIGHT_DIGIT_SUBSCRIBERS = frozenset({"4", "8"})

# 1800 (free) and 1900 (premium) service numbers, with 4 or 6 digits after the prefix.
_SERVICE_NUMBER = re.compile(r"1[89]00(?:[0-9]{4}|[0-9]{6})")
# Emergency numbers (113, 114, 115) and 4–5 digit SMS short codes (9029, 8077...).
_SHORT_CODE = re.compile(r"[1-9][0-9]{2,4}")
_PHONE_CHARS = re.compile(r"[0-9\s().\-–+]+")
# "(079) 3822 222": an area code in brackets says the number was written as a landline.
_AREA_HINT = re.compile(r"\(\s*0([0-9]{1,3})\s*\)")


def _e164(number: str) -> str | None:
    """E.164 form of an international ``number`` ("+84...") if phonenumbers says it is valid, else None."""
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _old_landline(nsn: str) -> tuple[str, str] | None:
    """(pre-2017 area code, today's national number) if ``nsn`` has the shape of an old landline."""
    for length in (1, 2, 3):
        code = nsn[:length]
        if code in _AREA_CODES_2017:
            subscriber = nsn[length:]
            if len(subscriber) == (8 if code in _EIGHT_DIGIT_SUBSCRIBERS else 7):
                return code, _AREA_CODES_2017[code][0] + subscriber
    return None


def _phone_readings(raw: str) -> list[str]:
    """Every valid reading of a written phone number, the most likely first ([] if none).

    Most numbers have one reading. The exception is a number that is both a current mobile and an
    old (pre-2017) landline: the Sóc Trăng landline "079 3822 222" has the same digits as a MobiFone
    079 mobile (the 079 prefix was freed in 2017 and reused for 0121 numbers in 2018). Length cannot
    tell them apart, so today's meaning (mobile) comes first unless the area code is written in
    brackets, "(079) 3822 222", which is how landlines were printed; the other reading is returned
    too so that :func:`related` can index it.
    """
    text = raw.strip()
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    if not _PHONE_CHARS.fullmatch(text) or text.count("+") > 1:
        return []
    plus = text.lstrip("( \t").startswith("+")
    if "+" in text and not plus:
        return []
    digits = re.sub(r"[^0-9]", "", text)
    if not 3 <= len(digits) <= 17:
        return []

    if plus:
        international: str | None = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        international = digits  # "84-912-345-678": country code without "+"
    else:
        international = None

    if international is not None:
        if not international.startswith("84"):
            foreign = _e164("+" + international)
            return [foreign] if foreign else []
        # "+84 (0) 912...": people often keep the trunk 0 after the country code.
        nsn = international[2:].removeprefix("0")
    else:
        if _SHORT_CODE.fullmatch(digits):
            return [digits]
        nsn = digits.removeprefix("0")
    if _SERVICE_NUMBER.fullmatch(nsn):
        return [nsn]

    candidates: list[str] = []
    if len(nsn) == 10 and nsn[:3] in _MOBILE_2018:
        # Old 11-digit mobile: no current number starts with 01, so there is no ambiguity.
        candidates.append(_MOBILE_2018[nsn[:3]] + nsn[3:])
    else:
        landline = _old_landline(nsn)
        hint = _AREA_HINT.match(text)
        if landline and hint and hint.group(1) == landline[0]:
            candidates += [landline[1], nsn]
        else:
            candidates.append(nsn)
            if landline:
                candidates.append(landline[1])

    readings: list[str] = []
    for candidate in candidates:
        e164 = _e164("+84" + candidate)
        if e164 and e164 not in readings:
            readings.append(e164)
    return readings


@normaliser_for(IndicatorKind.PHONE, "phone_invalid")
def _phone(raw: str) -> Indicator:
    readings = _phone_readings(raw)
    if not readings:
        return _bad(IndicatorKind.PHONE, raw, "phone_invalid")
    return _ok(IndicatorKind.PHONE, raw, readings[0])


@related_for(IndicatorKind.PHONE)
def _phone_related(ind: Indicator) -> list[Indicator]:
    return [_ok(IndicatorKind.PHONE, ind.raw, value) for value in _phone_readings(ind.raw)[1:]]


# --------------------------------------------------------------------------------------------------
# SMS senders
# --------------------------------------------------------------------------------------------------

# Alphanumeric sender IDs are at most 11 characters on the network; people also type the name the
# phone displays with spaces ("BO CONG AN"), so a little slack is allowed.
_BRANDNAME = re.compile(r"[A-Z0-9](?:[A-Z0-9 .&_\-]{0,18}[A-Z0-9.])?")


@normaliser_for(IndicatorKind.SMS_SENDER, "sms_sender_invalid")
def _sms_sender(raw: str) -> Indicator:
    """Brand names are compared upper-case and without diacritics: "Bộ Công An" = "BO CONG AN"."""
    kind = IndicatorKind.SMS_SENDER
    if _PHONE_CHARS.fullmatch(raw) and re.search(r"[0-9]", raw):
        readings = _phone_readings(raw)
        return _ok(kind, raw, readings[0]) if readings else _bad(kind, raw, "sms_sender_invalid")
    value = " ".join(_fold(raw).upper().split())
    if _BRANDNAME.fullmatch(value) and re.search(r"[A-Z]", value):
        return _ok(kind, raw, value)
    return _bad(kind, raw, "sms_sender_invalid")


@related_for(IndicatorKind.SMS_SENDER)
def _sms_sender_related(ind: Indicator) -> list[Indicator]:
    if ind.value[:1] in "+0123456789":
        return [normalise(IndicatorKind.PHONE, ind.value)]
    return []
