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

One module per family of kinds, each registering its normalisers in the dispatch table of ``base``:
``base`` (kinds, :class:`Indicator`, shared helpers, :func:`normalise`, :func:`related`), ``phone``
(phones, SMS senders), ``web`` (URLs, domains, e-mail addresses; IDNA 2008), ``bank``, ``social``,
``devices`` (IMEI, SIM serial, licence plate, IP address) and ``extract`` (free text). Only the names
in ``__all__`` are meant for the rest of the project.
"""

from __future__ import annotations

# Importing a kind's module registers its normaliser: every one is imported here, and the dispatch
# table is then checked to be complete.
from . import bank, devices, phone, social, web  # noqa: F401
from .bank import bank_choices, resolve_bank
from .base import KIND_LABELS, Indicator, IndicatorKind, _check_registry, normalise, related
from .extract import extract

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

_check_registry()
