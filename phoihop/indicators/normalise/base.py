"""What every kind shares: the kinds, the :class:`Indicator` record, text helpers and the dispatch tables.

Each kind's module registers its normaliser with :func:`normaliser_for` (and, if it has derived
indicators, a function with :func:`related_for`); :func:`normalise` and :func:`related` only look
the kind up. The package ``__init__`` imports every kind's module, so the tables are complete as soon
as any part of the package is imported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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
# Dispatch: kind → normaliser, kind → derived indicators
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Normaliser:
    func: Callable[..., Indicator]  # (raw) -> Indicator, or (raw, bank) -> Indicator if takes_bank
    invalid_code: str  # error code for an empty or oversized input
    takes_bank: bool


_NORMALISERS: dict[IndicatorKind, _Normaliser] = {}
_RELATED: dict[IndicatorKind, Callable[[Indicator], list[Indicator]]] = {}

_F = Callable[..., Indicator]
_R = Callable[[Indicator], list[Indicator]]


def normaliser_for(kind: IndicatorKind, invalid_code: str, *, takes_bank: bool = False) -> Callable[[_F], _F]:
    """Register the decorated function as the normaliser of ``kind``.

    It receives the stripped, non-empty ``raw`` string of at most ``_MAX_INPUT`` characters (and the
    ``bank`` argument of :func:`normalise` if ``takes_bank``) and must not raise.
    """

    def register(func: _F) -> _F:
        if kind in _NORMALISERS:
            raise RuntimeError(f"two normalisers for {kind}")
        _NORMALISERS[kind] = _Normaliser(func, invalid_code, takes_bank)
        return func

    return register


def related_for(kind: IndicatorKind) -> Callable[[_R], _R]:
    """Register the decorated function as the source of derived indicators of a valid ``kind`` one."""

    def register(func: _R) -> _R:
        if kind in _RELATED:
            raise RuntimeError(f"two related functions for {kind}")
        _RELATED[kind] = func
        return func

    return register


def _check_registry() -> None:
    """Raise unless every kind has a normaliser: called once all the kind modules are imported."""
    missing = set(IndicatorKind) - set(_NORMALISERS)
    if missing:
        raise RuntimeError(f"no normaliser for {', '.join(sorted(missing))}")


def normalise(kind: IndicatorKind | str, raw: str, *, bank: str | None = None) -> Indicator:
    """Normalise one indicator typed into a form. Never raises on any ``raw`` string.

    ``bank`` (a code, a BIN, a name or an alias) only matters for bank accounts. An unknown ``kind``
    raises ``ValueError``: kinds come from code or a validated choice field, never from free text.
    """
    return _normalise(IndicatorKind(kind), raw.strip(), bank)


@lru_cache(maxsize=4096)
def _normalise(kind: IndicatorKind, raw: str, bank: str | None) -> Indicator:
    # Memoised: the normalisers are pure functions of their text (and the shipped bank list), their answer
    # is immutable, and one report meets the same value several times (its field, its description, the
    # indicators derived from another).
    entry = _NORMALISERS[kind]
    if not raw or len(raw) > _MAX_INPUT:
        return _bad(kind, raw, entry.invalid_code)
    return entry.func(raw, bank) if entry.takes_bank else entry.func(raw)


def related(ind: Indicator) -> list[Indicator]:
    """Derived indicators to index alongside ``ind`` so that more reports meet.

    * URL → its DOMAIN (or its IP_ADDRESS when the host is an IP), and the SOCIAL_ACCOUNT when it is
      a profile link (facebook.com/x → facebook:x);
    * EMAIL → its DOMAIN;
    * PHONE → the other reading of a number that is both a current mobile and a pre-2017 landline
      (see :func:`phoihop.indicators.normalise.phone._phone_readings`);
    * SMS_SENDER written as a number → that PHONE;
    * SOCIAL_ACCOUNT zalo:+84... → that PHONE;
    * BANK_ACCOUNT with a bank → the bare digits, so that it meets a report that did not name the bank.
    """
    derive = _RELATED.get(ind.kind)
    if not ind.valid or derive is None:
        return []
    return [indicator for indicator in derive(ind) if indicator.valid and indicator != ind]
