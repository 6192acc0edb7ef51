"""Banks (from ``data/vn_banks.yaml``) and bank account numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .base import (
    Indicator,
    IndicatorKind,
    _bad,
    _compact,
    _digits_of,
    _fold,
    _ok,
    normalise,
    normaliser_for,
    related_for,
)

# phoihop/indicators/data/vn_banks.yaml
_BANKS_FILE = Path(__file__).parent.parent / "data" / "vn_banks.yaml"
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


# "STK", "số TK", "tài khoản", "số tài khoản", "TK" — folded. Letters may not follow ("TKB"),
# digits may ("STK0071000123456"). Also used to find accounts in free text.
_ACCOUNT_KEYWORD = re.compile(r"(?<![a-z0-9])(?:so\s+tai\s+khoan|so\s+tk|tai\s+khoan|stk|tk)(?![a-z])")


@normaliser_for(IndicatorKind.BANK_ACCOUNT, "bank_account_invalid", takes_bank=True)
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


@related_for(IndicatorKind.BANK_ACCOUNT)
def _bank_account_related(ind: Indicator) -> list[Indicator]:
    """The bare digits, so that the account meets a report that did not name the bank."""
    return [normalise(IndicatorKind.BANK_ACCOUNT, ind.value.partition(":")[2])] if ind.bank else []
