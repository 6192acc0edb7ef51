"""Indicators of a reported violation: extraction from free text and normalisation to match keys.

A citizen's report mentions phone numbers, web sites, bank accounts... written in every possible way
("0162 345 6789", "(+84) 912.345.678", "vietcombank-xacminh[.]com"). Two reports about the same scam
must meet on the same key, so each indicator is normalised to one canonical ``value``:

========================  ====================================================================
kind                      canonical value
========================  ====================================================================
phone                     E.164 ``+84912345678``; service numbers/short codes as digits ``19001234``
sms_sender                brand name upper-case, ASCII, spaces collapsed ``BO CONG AN``; numeric
                          senders like a phone
url                       scheme-less, lower-case punycode host without ``www.``, default port,
                          fragment and trailing ``/`` removed; path and query kept as written:
                          ``https://www.Sub.Example.com.vn/a/?q=1#x`` → ``sub.example.com.vn/a?q=1``
domain                    registered domain ``example.com.vn`` (Public Suffix List, private
                          suffixes included so ``scam.web.app`` is not merged with all of web.app)
email                     lower-case, punycode host ``ten@example.com``
bank_account              ``VCB:0071000123456`` when the bank is known, else the digits
social_account            ``facebook:some.name``, ``facebook:100012345``, ``telegram:x``,
                          ``tiktok:x``, ``zalo:+84912345678``; a bare handle ``@x`` stays ``@x``
imei                      15 digits (Luhn-checked)
sim_serial                ICCID digits (19–20 digits starting 89, Luhn-checked)
licence_plate             ``83C112345``
ip_address                compressed form (``2001:db8::1``)
========================  ====================================================================

An invalid input never raises: it comes back with ``valid=False``, ``value == raw`` and an
``error_code`` so the intake form can show :attr:`Indicator.message` and still keep what was written.

Nothing here touches the network or Django settings: the Public Suffix List is the snapshot bundled
with ``tldextract``, the banks come from ``data/vn_banks.yaml`` and messages are lazy translations.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import phonenumbers
import tldextract
import yaml
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "KIND_LABELS",
    "Indicator",
    "IndicatorKind",
    "bank_choices",
    "extract",
    "normalise",
    "related",
    "resolve_bank",
]


class IndicatorKind(StrEnum):
    """What an indicator identifies; the string values are stored in the database."""

    PHONE = "phone"
    SMS_SENDER = "sms_sender"
    URL = "url"
    DOMAIN = "domain"
    EMAIL = "email"
    BANK_ACCOUNT = "bank_account"
    SOCIAL_ACCOUNT = "social_account"
    IMEI = "imei"
    SIM_SERIAL = "sim_serial"
    LICENCE_PLATE = "licence_plate"
    IP_ADDRESS = "ip_address"


KIND_LABELS: dict[IndicatorKind, Promise] = {
    IndicatorKind.PHONE: _("Phone number"),
    IndicatorKind.SMS_SENDER: _("SMS sender"),
    IndicatorKind.URL: _("Web address (URL)"),
    IndicatorKind.DOMAIN: _("Domain name"),
    IndicatorKind.EMAIL: _("E-mail address"),
    IndicatorKind.BANK_ACCOUNT: _("Bank account"),
    IndicatorKind.SOCIAL_ACCOUNT: _("Social network account"),
    IndicatorKind.IMEI: _("IMEI"),
    IndicatorKind.SIM_SERIAL: _("SIM serial number (ICCID)"),
    IndicatorKind.LICENCE_PLATE: _("Licence plate"),
    IndicatorKind.IP_ADDRESS: _("IP address"),
}

_ERROR_MESSAGES: dict[str, Promise] = {
    "phone_invalid": _("This is not a valid phone number."),
    "sms_sender_invalid": _("This is neither an SMS brand name nor a phone number."),
    "url_invalid": _("This is not a valid web address."),
    "domain_invalid": _("This is not a valid domain name."),
    "email_invalid": _("This is not a valid e-mail address."),
    "bank_account_invalid": _("A bank account number has 6 to 19 digits."),
    "social_account_invalid": _("This is not a recognised Facebook, Zalo, Telegram or TikTok account."),
    "imei_invalid": _("An IMEI has exactly 15 digits."),
    "imei_checksum": _("The last digit of this IMEI does not match the others: check for a typing error."),
    "sim_serial_invalid": _("A SIM serial number (ICCID) has 19 or 20 digits and starts with 89."),
    "sim_serial_checksum": _(
        "The check digit of this SIM serial number does not match the others: check for a typing error."
    ),
    "plate_invalid": _("This is not a valid Vietnamese licence plate."),
    "ip_invalid": _("This is not a valid IP address."),
}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One normalised indicator; ``(kind, value)`` is the match key."""

    kind: IndicatorKind
    raw: str
    value: str
    valid: bool
    error_code: str | None = None
    domain: str | None = None
    bank: str | None = None

    @property
    def message(self) -> Promise | str:
        """Translatable explanation of :attr:`error_code`, or ``""`` for a valid indicator."""
        return _ERROR_MESSAGES.get(self.error_code, "") if self.error_code else ""


# Inputs longer than this are not indicators (the longest real ones are tracking URLs); refusing them
# early keeps every call cheap whatever is pasted into a form.
_MAX_INPUT = 4096


def _ok(kind: IndicatorKind, raw: str, value: str, **extra: str | None) -> Indicator:
    return Indicator(kind=kind, raw=raw, value=value, valid=True, **extra)


def _bad(kind: IndicatorKind, raw: str, error_code: str) -> Indicator:
    return Indicator(kind=kind, raw=raw, value=raw, valid=False, error_code=error_code)


# --------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character lower-cased without its diacritics ("Ế" → "e", "đ" → "d"), always 1 character."""
    if char in "đĐ":  # đ has no Unicode decomposition, so NFD alone would keep it
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def _fold(text: str) -> str:
    """Lower-case, diacritic-free copy of ``text`` of the same length, so match offsets carry over."""
    return "".join(map(_fold_char, text))


def _compact(text: str) -> str:
    """Folded letters and digits only: "Vietcom Bank" and "vietcombank" give the same key."""
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def _luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check used by IMEIs and ICCIDs; ``digits`` includes the check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _digits_of(text: str, separators: str) -> str | None:
    """The ASCII digits of ``text`` once the allowed ``separators`` are removed, or None."""
    digits = re.sub(f"[{re.escape(separators)}]", "", text)
    return digits if re.fullmatch(r"[0-9]+", digits) else None


# Defanged forms analysts use so that indicators are not clickable: hxxp://, example[.]com, a[@]b.
_REFANG = (
    (re.compile(r"\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\}", re.IGNORECASE), "."),
    (re.compile(r"\[\s*://\s*\]"), "://"),
    (re.compile(r"\[\s*:\s*\]"), ":"),
    (re.compile(r"\[\s*(?:@|at)\s*\]|\(\s*(?:@|at)\s*\)", re.IGNORECASE), "@"),
    (re.compile(r"^h(?:xx|\*\*)p(s?)://", re.IGNORECASE), r"http\1://"),
)


def _refang(text: str) -> str:
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


# --------------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------------

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


def _phone(raw: str) -> Indicator:
    readings = _phone_readings(raw)
    if not readings:
        return _bad(IndicatorKind.PHONE, raw, "phone_invalid")
    return _ok(IndicatorKind.PHONE, raw, readings[0])


# --------------------------------------------------------------------------------------------------
# SMS senders
# --------------------------------------------------------------------------------------------------

# Alphanumeric sender IDs are at most 11 characters on the network; people also type the name the
# phone displays with spaces ("BO CONG AN"), so a little slack is allowed.
_BRANDNAME = re.compile(r"[A-Z0-9](?:[A-Z0-9 .&_\-]{0,18}[A-Z0-9.])?")


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


# --------------------------------------------------------------------------------------------------
# URLs, domains and e-mail addresses
# --------------------------------------------------------------------------------------------------

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?")
_LABEL_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")  # the dots IDNA accepts


@cache
def _tld_extractor() -> tldextract.TLDExtract:
    """Offline extractor: the Public Suffix List snapshot bundled with tldextract, never fetched.

    Private suffixes (web.app, blogspot.com, github.io...) count as public ones, so two phishing
    sites on a free hosting platform get two registered domains instead of being merged.
    """
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _registered_domain(host: str) -> str:
    """Registered domain of an ASCII host ("" for "com.vn", "localhost" or an unknown suffix)."""
    return _tld_extractor()(host).top_domain_under_public_suffix


def _ascii_host(host: str) -> str | None:
    """Lower-case punycode form of a host name, or None if it is not a syntactically valid one."""
    labels = _LABEL_SEPARATORS.split(host)
    if len(labels) > 1 and not labels[-1]:
        labels.pop()  # "example.com." is the fully qualified form of example.com
    out: list[str] = []
    for label in labels:
        try:
            # IDNA 2003 nameprep lower-cases and maps look-alikes (full-width "ｅ" → "e").
            label = label.lower() if label.isascii() else label.encode("idna").decode("ascii")
            if label.startswith("xn--"):
                label.encode("ascii").decode("idna")  # raises on broken punycode
        except UnicodeError:
            return None
        if not _LABEL.fullmatch(label):
            return None
        out.append(label)
    ascii_host = ".".join(out)
    return ascii_host if len(ascii_host) <= 253 else None


class _UrlParts(NamedTuple):
    host: str  # punycode, without "www."; an IPv6 address is in brackets
    port: str  # ":8080", or "" for none or the scheme's default
    path: str  # as written, trailing slashes removed
    query: str  # as written, without "?"
    domain: str | None  # registered domain, None when the host is an IP address
    ip: str | None  # canonical address when the host is an IP literal

    @property
    def value(self) -> str:
        return self.host + self.port + self.path + (f"?{self.query}" if self.query else "")


def _split_url(raw: str) -> _UrlParts | None:
    """Parse a possibly defanged, possibly scheme-less http(s) URL; None if it is not one."""
    text = _refang(raw.strip())
    if not text or any(char.isspace() or ord(char) < 32 for char in text):
        return None
    scheme_match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*)://", text)
    if scheme_match:
        scheme = scheme_match.group(1).lower()
        if scheme not in ("http", "https"):
            return None
    else:
        scheme = ""
        text = text.removeprefix("//")
        # Without a scheme, "name@host" is an e-mail address, not a URL with user info.
        if "@" in re.split(r"[/?#]", text, maxsplit=1)[0]:
            return None
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # bad IPv6 literal, port out of range, NFKC tricks in the host
        return None
    hostname = parts.hostname or ""
    ip: str | None = None
    domain: str | None = None
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        host = _ascii_host(hostname)
        if not host:
            return None
        domain = _registered_domain(host)
        if not domain:
            return None
        if host.startswith("www.") and host != domain:
            host = host[4:]
    else:
        ip = address.compressed
        host = f"[{ip}]" if address.version == 6 else ip
    # Without a scheme there is no default port to drop: values are scheme-less themselves, and
    # "https://x:80" → "x:80" must stay "x:80" when normalised again.
    default_port = {"": None, "http": 80, "https": 443}[scheme]
    port_text = "" if port is None or port == default_port else f":{port}"
    return _UrlParts(host, port_text, parts.path.rstrip("/"), parts.query, domain, ip)


def _url(raw: str) -> Indicator:
    parts = _split_url(raw)
    if parts is None:
        return _bad(IndicatorKind.URL, raw, "url_invalid")
    return _ok(IndicatorKind.URL, raw, parts.value, domain=parts.domain)


def _domain(raw: str) -> Indicator:
    """A host name or a whole URL gives its registered domain ("a.b.example.com.vn" → example.com.vn)."""
    parts = _split_url(raw)
    if parts is None or parts.domain is None:
        return _bad(IndicatorKind.DOMAIN, raw, "domain_invalid")
    return _ok(IndicatorKind.DOMAIN, raw, parts.domain, domain=parts.domain)


# RFC 5322 dot-atom local part, ASCII only (internationalised local parts are not seen in reports).
_EMAIL_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*")


def _email(raw: str) -> Indicator:
    kind = IndicatorKind.EMAIL
    text = _refang(raw)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    local, at, host = text.rpartition("@")
    local = local.lower()
    if not at or len(local) > 64 or not _EMAIL_LOCAL.fullmatch(local):
        return _bad(kind, raw, "email_invalid")
    ascii_host = _ascii_host(host)
    domain = _registered_domain(ascii_host) if ascii_host else ""
    if not ascii_host or not domain:
        return _bad(kind, raw, "email_invalid")
    return _ok(kind, raw, f"{local}@{ascii_host}", domain=domain)


# --------------------------------------------------------------------------------------------------
# Banks and bank accounts
# --------------------------------------------------------------------------------------------------

_BANKS_FILE = Path(__file__).parent / "data" / "vn_banks.yaml"
# Words that precede a bank's own name: "Ngân hàng TMCP Ngoại thương", "NH Quân đội".
_BANK_PREFIX = r"(?:ngan\s*hang|nh)(?:\s+(?:tmcp|tnhh\s+mtv|tnhh|thuong\s+mai\s+co\s+phan))?"


@dataclass(frozen=True, slots=True)
class _Bank:
    """A bank from ``data/vn_banks.yaml``."""

    code: str
    bin: str
    name: str
    name_vi: str
    aliases: tuple[str, ...]


@cache
def _banks() -> tuple[_Bank, ...]:
    with _BANKS_FILE.open(encoding="utf-8") as stream:
        rows = yaml.safe_load(stream)
    return tuple(
        _Bank(
            code=str(row["code"]),
            bin=str(row["bin"]),
            name=str(row["name"]),
            name_vi=str(row["name_vi"]),
            aliases=tuple(str(alias) for alias in row["aliases"]),
        )
        for row in rows
    )


def _strip_bank_prefix(folded: str) -> str:
    return re.sub(rf"^\s*{_BANK_PREFIX}\s+", "", folded)


@cache
def _bank_index() -> dict[str, str]:
    """Compact key (code, BIN, names, aliases) → bank code; a key shared by two banks is a data error."""
    index: dict[str, str] = {}
    for bank in _banks():
        keys = {bank.code, bank.bin, bank.name, bank.name_vi, _strip_bank_prefix(_fold(bank.name_vi))}
        keys.update(bank.aliases)
        for key in filter(None, map(_compact, keys)):
            if index.setdefault(key, bank.code) != bank.code:
                raise ValueError(f"vn_banks.yaml: {key!r} names both {index[key]} and {bank.code}")
    return index


def resolve_bank(name: str | None) -> str | None:
    """Bank code for a code, a NAPAS BIN, a name or an alias ("Ngân hàng Ngoại Thương" → "VCB")."""
    if not name or len(name) > 200:
        return None
    index = _bank_index()
    folded = _fold(name)
    return index.get(_compact(folded)) or index.get(_compact(_strip_bank_prefix(folded)))


@cache
def _bank_mention() -> re.Pattern[str]:
    """Finds a bank named in folded free text.

    Codes, single words and anything containing "bank" ("vcb", "vietcombank", "mb bank") count on
    their own; other multi-word names ("ngoai thuong", "dai duong") only after "ngân hàng"/"NH",
    because they double as people's names and the account holder's name sits next to the number.
    """
    strong: set[str] = set()
    weak: set[str] = set()
    for bank in _banks():
        for name in (bank.code, bank.name, *bank.aliases):
            tokens = re.findall(r"[a-z0-9]+", _fold(name))
            if not tokens:
                continue
            pattern = r"[\s\-–.&]*".join(tokens)
            is_strong = len(tokens) == 1 or "bank" in "".join(tokens)
            (strong if is_strong else weak).add(pattern)

    def alternation(patterns: set[str]) -> str:
        return "|".join(sorted(patterns, key=lambda p: (-len(p), p)))  # longest first

    return re.compile(
        rf"(?<![a-z0-9])(?:{_BANK_PREFIX}[\s:\-]*(?P<weak>{alternation(weak)})"
        rf"|(?P<strong>{alternation(strong)}))(?![a-z0-9])"
    )


def _banks_mentioned(folded: str) -> list[str]:
    """Codes of the banks named in a folded text fragment, in order."""
    codes = []
    for match in _bank_mention().finditer(folded):
        code = _bank_index().get(_compact(match.group("weak") or match.group("strong")))
        if code:
            codes.append(code)
    return codes


def bank_choices() -> list[tuple[str, str]]:
    """(code, "VCB – Vietcombank") pairs for a form select, sorted by code."""
    return [(bank.code, f"{bank.code} – {bank.name}") for bank in sorted(_banks(), key=lambda b: b.code)]


def _bank_account(raw: str, bank: str | None) -> Indicator:
    """Account digits, prefixed with the bank code when the bank is known ("VCB:0071000123456").

    The bank comes from ``bank`` or else from a ``CODE:`` prefix, which makes values idempotent. An
    unknown bank is no reason to reject the account: it is kept with ``bank=None``.
    """
    kind = IndicatorKind.BANK_ACCOUNT
    number = raw
    label = _ACCOUNT_KEYWORD.match(_fold(raw))
    if label:  # "STK: 0071000123456" typed into the account field
        number = raw[label.end() :].lstrip(" \t:.#")
    prefix_code = None
    prefixed = re.fullmatch(r"([A-Za-z][A-Za-z0-9\-]{0,15})\s*:\s*(.+)", number)
    if prefixed:
        prefix_code = resolve_bank(prefixed.group(1))
        if prefix_code is None:
            return _bad(kind, raw, "bank_account_invalid")
        number = prefixed.group(2)
    digits = _digits_of(number, " \t.-")
    if digits is None or not 6 <= len(digits) <= 19:
        return _bad(kind, raw, "bank_account_invalid")
    code = resolve_bank(bank) or prefix_code
    return _ok(kind, raw, f"{code}:{digits}" if code else digits, bank=code)


# --------------------------------------------------------------------------------------------------
# Social network accounts
# --------------------------------------------------------------------------------------------------

_PLATFORM_DOMAINS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "zalo.me": "zalo",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "tiktok.com": "tiktok",
}
# Platform names accepted before a colon ("fb: some.name"), as in the normalised values themselves.
_PLATFORM_NAMES = {
    "facebook": "facebook",
    "fb": "facebook",
    "zalo": "zalo",
    "telegram": "telegram",
    "tg": "telegram",
    "tiktok": "tiktok",
}
# Facebook paths that are features, not accounts (people/pages/groups only count with their id).
_FACEBOOK_RESERVED = frozenset(
    {"share", "sharer", "watch", "reel", "reels", "photo", "events", "marketplace", "gaming", "login"}
    | {"help", "policies", "hashtag", "search", "people", "pages", "groups", "stories", "home"}
)
_FACEBOOK_NAME = re.compile(r"[a-z0-9][a-z0-9.\-_]{0,79}")
_TELEGRAM_NAME = re.compile(r"[a-z0-9_]{3,32}")
_TIKTOK_NAME = re.compile(r"[a-z0-9_.]{1,24}")
_ZALO_ID = re.compile(r"[a-z0-9_.]{1,64}")
_HANDLE = re.compile(r"@([a-z0-9_.]{1,64})")


def _facebook(segments: list[str], query: str) -> str | None:
    first = segments[0].lower()
    if first == "profile.php":
        account = parse_qs(query).get("id", [""])[0]
        return account if re.fullmatch(r"[0-9]{5,20}", account) else None
    if first in ("people", "pages") and len(segments) >= 3:
        # facebook.com/people/Some-Name/100012345: the number is the stable part.
        return segments[2] if re.fullmatch(r"[0-9]{5,20}", segments[2]) else None
    if first == "groups" and len(segments) >= 2 and _FACEBOOK_NAME.fullmatch(segments[1].lower()):
        return "groups/" + segments[1].lower()
    if first in _FACEBOOK_RESERVED or first.endswith(".php"):
        return None
    return first if _FACEBOOK_NAME.fullmatch(first) else None


def _zalo(segments: list[str], query: str) -> str | None:
    first = segments[0]
    readings = _phone_readings(first)
    if readings:
        return readings[0]  # zalo.me/0912345678: the account *is* the phone number
    if first == "g":  # zalo.me/g/...: a group invitation, not an account
        return None
    return first.lower() if _ZALO_ID.fullmatch(first.lower()) else None


def _telegram(segments: list[str], query: str) -> str | None:
    if segments[0] == "s" and len(segments) >= 2:  # t.me/s/channel: web preview of the channel
        segments = segments[1:]
    first = segments[0].lower()
    if first == "joinchat" or first.startswith("+"):  # invitation links, not accounts
        return None
    return first if _TELEGRAM_NAME.fullmatch(first) else None


def _tiktok(segments: list[str], query: str) -> str | None:
    first = segments[0].lower()
    if not first.startswith("@"):  # tiktok.com/@name is the profile; other paths are not accounts
        return None
    return first[1:] if _TIKTOK_NAME.fullmatch(first[1:]) else None


_PLATFORM_PARSERS: dict[str, Callable[[list[str], str], str | None]] = {
    "facebook": _facebook,
    "zalo": _zalo,
    "telegram": _telegram,
    "tiktok": _tiktok,
}


def _social_value(raw: str) -> str | None:
    """``platform:account`` for a profile link or an already normalised value; ``@x`` for a bare handle."""
    canonical = re.fullmatch(r"([A-Za-z]+)\s*:\s*(@?)(\S.*)", raw)
    if canonical and canonical.group(1).lower() in _PLATFORM_NAMES:
        platform = _PLATFORM_NAMES[canonical.group(1).lower()]
        segments = canonical.group(3).split("/")
        if platform == "tiktok":
            segments[0] = "@" + segments[0]
        query = ""
    else:
        handle = _HANDLE.fullmatch(raw.lower())
        if handle:
            return "@" + handle.group(1)
        parts = _split_url(raw)
        if parts is None or parts.domain not in _PLATFORM_DOMAINS:
            return None
        platform = _PLATFORM_DOMAINS[parts.domain]
        segments = [segment for segment in parts.path.split("/") if segment]
        query = parts.query
    if not segments or not segments[0]:
        return None
    account = _PLATFORM_PARSERS[platform](segments, query)
    return f"{platform}:{account}" if account else None


def _social_account(raw: str) -> Indicator:
    value = _social_value(raw)
    if value is None:
        return _bad(IndicatorKind.SOCIAL_ACCOUNT, raw, "social_account_invalid")
    return _ok(IndicatorKind.SOCIAL_ACCOUNT, raw, value)


# --------------------------------------------------------------------------------------------------
# Devices, vehicles, IP addresses
# --------------------------------------------------------------------------------------------------


def _imei(raw: str) -> Indicator:
    """15 digits whose last one is a Luhn check digit. A 14-digit IMEI (check digit missing) is
    flagged rather than completed: the report must say what the victim actually saw."""
    kind = IndicatorKind.IMEI
    digits = _digits_of(raw, " \t-/.")
    if digits is None or len(digits) != 15:
        return _bad(kind, raw, "imei_invalid")
    if not _luhn_ok(digits):
        return _bad(kind, raw, "imei_checksum")
    return _ok(kind, raw, digits)


def _sim_serial(raw: str) -> Indicator:
    """ICCID (ITU-T E.118): 89 (telecom), country (84 for Vietnam), issuer, account, check digit.

    19-digit ICCIDs end with their Luhn check digit. For 20-digit ones issuers differ on where the
    check digit sits (last, or 19th followed by one more digit), so either placement is accepted.
    """
    kind = IndicatorKind.SIM_SERIAL
    digits = _digits_of(raw, " \t-")
    if digits is None or len(digits) not in (19, 20) or not digits.startswith("89"):
        return _bad(kind, raw, "sim_serial_invalid")
    if not (_luhn_ok(digits[:19]) or (len(digits) == 20 and _luhn_ok(digits))):
        return _bad(kind, raw, "sim_serial_checksum")
    return _ok(kind, raw, digits)


# Province code (11–99), series (one or two letters, possibly a digit: "C1", "LD", "MĐ1"), then a
# 4- or 5-digit number. Separators are dropped: "83C1-123.45" and "83-C1 12345" are one plate.
_PLATE = re.compile(r"([1-9][0-9])([A-ZĐ]{1,2}[0-9]?)([0-9]{4,5})")


def _licence_plate(raw: str) -> Indicator:
    compact = re.sub(r"[\s.\-_/]", "", raw).upper()
    plate = _PLATE.fullmatch(compact)
    if not plate or int(plate.group(1)) < 11:
        return _bad(IndicatorKind.LICENCE_PLATE, raw, "plate_invalid")
    return _ok(IndicatorKind.LICENCE_PLATE, raw, compact)


def _ip_address(raw: str) -> Indicator:
    text = _refang(raw).removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return _bad(IndicatorKind.IP_ADDRESS, raw, "ip_invalid")
    return _ok(IndicatorKind.IP_ADDRESS, raw, address.compressed)


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------

_NORMALISERS: dict[IndicatorKind, Callable[[str], Indicator]] = {
    IndicatorKind.PHONE: _phone,
    IndicatorKind.SMS_SENDER: _sms_sender,
    IndicatorKind.URL: _url,
    IndicatorKind.DOMAIN: _domain,
    IndicatorKind.EMAIL: _email,
    IndicatorKind.SOCIAL_ACCOUNT: _social_account,
    IndicatorKind.IMEI: _imei,
    IndicatorKind.SIM_SERIAL: _sim_serial,
    IndicatorKind.LICENCE_PLATE: _licence_plate,
    IndicatorKind.IP_ADDRESS: _ip_address,
}
_INVALID_CODES = {
    IndicatorKind.PHONE: "phone_invalid",
    IndicatorKind.SMS_SENDER: "sms_sender_invalid",
    IndicatorKind.URL: "url_invalid",
    IndicatorKind.DOMAIN: "domain_invalid",
    IndicatorKind.EMAIL: "email_invalid",
    IndicatorKind.BANK_ACCOUNT: "bank_account_invalid",
    IndicatorKind.SOCIAL_ACCOUNT: "social_account_invalid",
    IndicatorKind.IMEI: "imei_invalid",
    IndicatorKind.SIM_SERIAL: "sim_serial_invalid",
    IndicatorKind.LICENCE_PLATE: "plate_invalid",
    IndicatorKind.IP_ADDRESS: "ip_invalid",
}


def normalise(kind: IndicatorKind | str, raw: str, *, bank: str | None = None) -> Indicator:
    """Normalise one indicator typed into a form. Never raises on any ``raw`` string.

    ``bank`` (a code, a BIN, a name or an alias) only matters for bank accounts. An unknown ``kind``
    raises ``ValueError``: kinds come from code or a validated choice field, never from free text.
    """
    kind = IndicatorKind(kind)
    raw = raw.strip()
    if not raw or len(raw) > _MAX_INPUT:
        return _bad(kind, raw, _INVALID_CODES[kind])
    if kind is IndicatorKind.BANK_ACCOUNT:
        return _bank_account(raw, bank)
    return _NORMALISERS[kind](raw)


def related(ind: Indicator) -> list[Indicator]:
    """Derived indicators to index alongside ``ind`` so that more reports meet.

    * URL → its DOMAIN (or its IP_ADDRESS when the host is an IP), and the SOCIAL_ACCOUNT when it is
      a profile link (facebook.com/x → facebook:x);
    * EMAIL → its DOMAIN;
    * PHONE → the other reading of a number that is both a current mobile and a pre-2017 landline
      (see :func:`_phone_readings`);
    * SMS_SENDER written as a number → that PHONE;
    * SOCIAL_ACCOUNT zalo:+84... → that PHONE;
    * BANK_ACCOUNT with a bank → the bare digits, so that it meets a report that did not name the bank.
    """
    if not ind.valid:
        return []
    found: list[Indicator] = []
    if ind.kind is IndicatorKind.URL:
        parts = _split_url(ind.value)
        if parts is not None:
            if parts.ip:
                found.append(normalise(IndicatorKind.IP_ADDRESS, parts.ip))
            elif parts.domain:
                found.append(normalise(IndicatorKind.DOMAIN, parts.domain))
        found.append(normalise(IndicatorKind.SOCIAL_ACCOUNT, ind.value))
    elif ind.kind is IndicatorKind.EMAIL and ind.domain:
        found.append(normalise(IndicatorKind.DOMAIN, ind.domain))
    elif ind.kind is IndicatorKind.PHONE:
        found += [_ok(IndicatorKind.PHONE, ind.raw, value) for value in _phone_readings(ind.raw)[1:]]
    elif ind.kind is IndicatorKind.SMS_SENDER and ind.value[:1] in "+0123456789":
        found.append(normalise(IndicatorKind.PHONE, ind.value))
    elif ind.kind is IndicatorKind.SOCIAL_ACCOUNT and ind.value.startswith("zalo:+"):
        found.append(normalise(IndicatorKind.PHONE, ind.value.removeprefix("zalo:")))
    elif ind.kind is IndicatorKind.BANK_ACCOUNT and ind.bank:
        found.append(normalise(IndicatorKind.BANK_ACCOUNT, ind.value.partition(":")[2]))
    return [indicator for indicator in found if indicator.valid and indicator != ind]


# --------------------------------------------------------------------------------------------------
# Extraction from free text
# --------------------------------------------------------------------------------------------------

# A dot as written, or defanged: "[.]", "(.)", "{.}", "[dot]".
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
# A host name in running text: labels joined by dots, ending with an alphabetic or punycode TLD. Each
# label is atomic so that a long dotless word fails at once instead of being re-split.
_HOST = rf"(?:(?>[^\W_][\w\-]{{0,62}}){_DOT})+(?:[a-z]{{2,24}}|xn--[a-z0-9\-]{{1,59}})(?![\w\-]|{_DOT}\w)"
_URL_TAIL = r"""[^\s<>"'`]"""
_SCHEME_URL = re.compile(rf"(?<!\w)h(?:tt|xx|\*\*)ps?(?:://|\[://\]|\[:\]//){_URL_TAIL}+", re.IGNORECASE)
_EMAIL_RE = re.compile(rf"(?<![\w.+\-])[a-z0-9](?>[\w.+\-]*)(?:@|\[@\]|\(@\)|\[at\]|\(at\)){_HOST}", re.IGNORECASE)
_BARE_URL = re.compile(rf"(?<![\w@.\-/\[(]){_HOST}(?::[0-9]{{1,5}})?(?:/{_URL_TAIL}*)?", re.IGNORECASE)
_IPV4_RE = re.compile(rf"(?<![\w.])(?:[0-9]{{1,3}}{_DOT}){{3}}[0-9]{{1,3}}(?!\w|{_DOT}[0-9])")
_IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"»”’…"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

# On folded text. "IMEI 1: 35...", "imei: 35-209900-176148-1".
_IMEI_RE = re.compile(
    r"(?<![a-z0-9])imei\s*(?:[12](?![0-9])|so)?\s*[:#=.\-]?\s*((?>[0-9](?:[ \-/]?[0-9]){13,16}))(?![0-9])"
)
# "STK", "số TK", "tài khoản", "số tài khoản", "TK" — folded. Letters may not follow ("TKB"),
# digits may ("STK0071000123456").
_ACCOUNT_KEYWORD = re.compile(r"(?<![a-z0-9])(?:so\s+tai\s+khoan|so\s+tk|tai\s+khoan|stk|tk)(?![a-z])")
# Up to four words between the keyword and the number: "STK Vietcombank:", "tài khoản của tôi là".
_ACCOUNT_TAIL = re.compile(
    r"(?P<gap>(?:[^\w\n]{0,4}[^\W\d_]+){0,4}?)[^\w\n]{0,4}"
    r"(?P<number>(?>[0-9](?:[ .\-]?[0-9]){5,18}))(?![0-9])"
)
# An amount is not an account: "tài khoản bị trừ 5.000.000 đồng".
_AMOUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_CURRENCY_AFTER = re.compile(r"\s*(?:d|vnd|dong|k|tr|trieu|ty|usd)(?![a-z])")
# "tài khoản Zalo 0912345678" names a social account (the phone is extracted as such), not a bank one;
# "mat" is "mật khẩu" (password).
_NOT_BANK_WORDS = frozenset(
    {"facebook", "fb", "zalo", "telegram", "tiktok", "instagram", "email", "gmail", "game", "mat"}
)
_SENTENCE_END = re.compile(r"[\n;!?]|\.(?:\s|$)")

# A run of digits as phones are written: groups separated by one space, dot or dash, optionally
# led by "+" or by a bracketed prefix ("(+84)", "(079)"). Atomic so that "50.000.000d" is rejected
# whole instead of shortened into something phone-like.
_PHONE_RUN = re.compile(r"(?<![\w+/.\-])(?>(?:\(\s*\+?[0-9]{1,4}\s*\)\s*)?\+?[0-9]+(?:[ \u00a0.\-–][0-9]+)*)(?!\w)")
_PHONE_GROUP = re.compile(r"\(\s*\+?[0-9]{1,4}\s*\)|\+?[0-9]+")

_Found = tuple[int, int, Indicator]


def _trim_url(candidate: str) -> str:
    """Drop sentence punctuation glued to a URL ("... tại http://x.com/a)." → "http://x.com/a")."""
    while candidate:
        last = candidate[-1]
        if last in _URL_TRAILING or (last in _CLOSERS and candidate.count(_CLOSERS[last]) < candidate.count(last)):
            candidate = candidate[:-1]
        else:
            break
    return candidate


def _plausible_bare_host(candidate: str) -> bool:
    """Whether a scheme-less "x.y" in running text is meant as a web address.

    Vietnamese abbreviations glue words with dots ("TX.Ba Đồn", "chị.Ba"), and "ba" is a TLD. A host
    written without a scheme must therefore be ASCII and have its TLD in one case ("shopee.vn",
    "ABC.COM.VN"); an IDN host is still found when written with its scheme or in punycode.
    """
    host = _refang(re.split(r"[/:]", candidate, maxsplit=1)[0])
    tld = host.rsplit(".", 1)[-1]
    return host.isascii() and (tld.islower() or tld.isupper())


def _find_urls(text: str, folded: str) -> Iterator[_Found]:
    for match in _SCHEME_URL.finditer(text):
        candidate = _trim_url(match.group())
        indicator = normalise(IndicatorKind.URL, candidate)
        if indicator.valid:
            yield match.start(), match.start() + len(candidate), indicator


def _find_bare_urls(text: str, folded: str) -> Iterator[_Found]:
    for match in _BARE_URL.finditer(text):
        candidate = _trim_url(match.group())
        if not _plausible_bare_host(candidate):
            continue
        indicator = normalise(IndicatorKind.URL, candidate)
        if indicator.valid:
            yield match.start(), match.start() + len(candidate), indicator


def _find_emails(text: str, folded: str) -> Iterator[_Found]:
    for match in _EMAIL_RE.finditer(text):
        indicator = normalise(IndicatorKind.EMAIL, match.group())
        if indicator.valid:
            yield match.start(), match.end(), indicator


def _find_imeis(text: str, folded: str) -> Iterator[_Found]:
    # Kept even when the check digit is wrong: the keyword says it is meant as an IMEI, and the
    # flagged indicator tells the officer to double-check it.
    for match in _IMEI_RE.finditer(folded):
        start, end = match.span(1)
        yield start, end, normalise(IndicatorKind.IMEI, text[start:end])


def _find_bank_accounts(text: str, folded: str) -> Iterator[_Found]:
    for keyword in _ACCOUNT_KEYWORD.finditer(folded):
        tail = _ACCOUNT_TAIL.match(folded, keyword.end())
        if not tail:
            continue
        gap = tail.group("gap")
        number_start, number_end = tail.span("number")
        number = folded[number_start:number_end]
        if (
            _AMOUNT.fullmatch(number)
            or _CURRENCY_AFTER.match(folded, number_end)
            or _NOT_BANK_WORDS.intersection(re.findall(r"[a-z]+", gap))
        ):
            continue
        after = folded[number_end : number_end + 60]
        after = _SENTENCE_END.split(after, maxsplit=1)[0]
        before = folded[max(0, keyword.start() - 40) : keyword.start()]
        before = _SENTENCE_END.split(before)[-1]
        # The bank closest to the number wins: between keyword and number, then right after the
        # number ("STK 0071000123456 Vietcombank"), then just before the keyword.
        banks = _banks_mentioned(gap) or _banks_mentioned(after) or _banks_mentioned(before)[-1:]
        indicator = normalise(
            IndicatorKind.BANK_ACCOUNT, text[number_start:number_end], bank=banks[0] if banks else None
        )
        if indicator.valid:
            yield number_start, number_end, indicator


def _find_ips(text: str, folded: str) -> Iterator[_Found]:
    for pattern in (_IPV4_RE, _IPV6_RE):
        for match in pattern.finditer(text):
            candidate = match.group()
            if pattern is _IPV6_RE and "::" not in candidate and candidate.count(":") != 7:
                continue
            indicator = normalise(IndicatorKind.IP_ADDRESS, candidate)
            if indicator.valid:
                yield match.start(), match.end(), indicator


def _phone_shaped(candidate: str) -> bool:
    """Digit count and prefix of a phone number, checked before asking phonenumbers.

    This is what keeps amounts ("5.000.000"), dates and long account numbers out: a Vietnamese
    number is 0 + 9–10 digits, 84/+84/0084 + 9–10 digits or a 1800/1900 service number; a foreign one
    must be written with "+".
    """
    digits = re.sub(r"[^0-9]", "", candidate)
    if candidate.lstrip("( ").startswith("+"):
        return 8 <= len(digits) <= 15
    if digits.startswith("0084"):
        return len(digits) in (13, 14)
    if digits.startswith("84"):
        return len(digits) in (11, 12)
    if digits.startswith("0"):
        return len(digits) in (10, 11)
    return bool(_SERVICE_NUMBER.fullmatch(digits))


def _find_phones(text: str, folded: str) -> Iterator[_Found]:
    for run in _PHONE_RUN.finditer(text):
        groups = list(_PHONE_GROUP.finditer(text, run.start(), run.end()))
        # Several numbers may be written one after the other ("0912 345 678 0987 654 321"), or a
        # number may be followed by an unrelated one ("0912 345 678 5 lần"): take, from each
        # group, the longest sequence of groups that is a valid phone number.
        first = 0
        while first < len(groups):
            for last in range(min(len(groups), first + 15), first, -1):
                start, end = groups[first].start(), groups[last - 1].end()
                candidate = text[start:end]
                if _phone_shaped(candidate):
                    indicator = normalise(IndicatorKind.PHONE, candidate)
                    if indicator.valid:
                        yield start, end, indicator
                        first = last
                        break
            else:
                first += 1


# Order matters: a span claimed by an earlier finder is not reused by a later one, so URLs keep the
# digits and dots of their paths, e-mail addresses keep their host ("a[@]b[.]com" is not the URL
# "b.com"), keyword-led IMEIs and accounts win over phone-shaped digit runs.
_FINDERS: tuple[Callable[[str, str], Iterator[_Found]], ...] = (
    _find_urls,
    _find_emails,
    _find_bare_urls,
    _find_imeis,
    _find_bank_accounts,
    _find_ips,
    _find_phones,
)


def extract(text: str) -> list[Indicator]:
    """Indicators found in free text (a report, a pasted SMS), de-duplicated by (kind, value), in
    order of appearance.

    Phones, URLs (also defanged and scheme-less), e-mail addresses and IP addresses are found
    anywhere; bank accounts only after "STK", "số tài khoản", "tài khoản" or "TK" (with the bank
    named nearby, if any) and IMEIs only after "IMEI", since a bare digit run could be anything.
    Related indicators (a URL's domain...) are not included: see :func:`related`.
    """
    # NFC so that decomposed diacritics fold like precomposed ones; _fold keeps offsets aligned.
    text = unicodedata.normalize("NFC", text)
    folded = _fold(text)
    claimed: list[tuple[int, int]] = []
    found: list[tuple[int, Indicator]] = []
    for finder in _FINDERS:
        for start, end, indicator in finder(text, folded):
            if any(start < taken_end and taken_start < end for taken_start, taken_end in claimed):
                continue
            claimed.append((start, end))
            found.append((start, indicator))
    found.sort(key=lambda item: item[0])
    seen: set[tuple[IndicatorKind, str]] = set()
    result: list[Indicator] = []
    for _start, indicator in found:
        key = (indicator.kind, indicator.value)
        if key not in seen:
            seen.add(key)
            result.append(indicator)
    return result
