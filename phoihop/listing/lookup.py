"""The public look-up: "is this number / this site a scam?" (Đ4.1, Đ9: warning the public).

Anyone types a phone number, a web address or domain, a bank account (with its bank) or an e-mail address in
any common writing; it is normalised by the same code as intake (phoihop.indicators.normalise), with the
related readings intake indexes too (a URL's domain, a number's other reading, an account without its bank).
The answer is one of:

- listed: verified as used for fraud by a listing decision, with its category, the date, the public warning
  that names it (PUBLIC_WARNING_HOOK) and how to appeal;
- reported: reports name it, not verified (never a count, a text, a reporter or a case);
- unknown: nothing known.

A value whose listing ended (delisted on appeal, or lapsed: a recycled number) answers "reported" only for
reports received after that end: its new owner does not inherit the old reports.

Cheap by construction: the listings in force are an in-process index (a dict keyed by (kind, value)) rebuilt
when the named generation INDEX_GENERATION_KEY changes (core.refcache), so a listed value costs no query; any
other value costs one indexed query on the indicators' (kind, value) key. A listing or delisting shows at once
in the web process that made it and in the others within PHOIHOP_REFERENCE_CACHE_SECONDS (5 s).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from phoihop.core.refcache import ReferenceCache
from phoihop.core.registry import run_hook
from phoihop.indicators.models import Indicator as IndicatorRow
from phoihop.indicators.normalise import Indicator, normalise, related, resolve_bank

from .choices import ListingStatus, LookupStatus
from .hooks import INDEX_GENERATION_KEY, PUBLIC_WARNING_HOOK
from .models import Listing

MAX_QUERY = 300
HINT = _(
    "Type a phone number (0912 345 678), a web address or domain (example.com), an e-mail address, or a bank "
    "account number with its bank (Vietcombank 0071000123456)."
)
_PHONE_OR_DIGITS = re.compile(r"[\s\d().+\-–]+")
_BANK_THEN_NUMBER = re.compile(r"(?P<bank>.*?[^\W\d_].*?)[\s:.,\-]*(?P<number>\d[\d .\-]{4,}\d)")
_NUMBER_THEN_BANK = re.compile(r"(?P<number>\d[\d .\-]{4,}\d)[\s:.,\-]*(?P<bank>[^\W\d_].*)")


@dataclass(frozen=True)
class Entry:
    """What the public may know of a listed value."""

    reference: str
    category: str
    name_vi: str
    name_en: str
    listed_on: dt.date
    warning: dict[str, str] | None

    @property
    def category_name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi


@dataclass
class Snapshot:
    listed: dict[tuple[str, str], Entry] = field(default_factory=dict)
    cleared: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)  # ended listings: since when


def _build(_key: Any = None) -> Snapshot:
    snap = Snapshot()
    rows = list(
        Listing.objects.filter(status=ListingStatus.LISTED).values_list(
            "indicator_id",
            "indicator__kind",
            "indicator__value",
            "reference",
            "category__code",
            "category__name_vi",
            "category__name_en",
            "listed_at",
        )
    )
    warnings: dict[int, dict[str, str]] = {}
    if rows:
        for answer in run_hook(PUBLIC_WARNING_HOOK, indicator_ids=[r[0] for r in rows]):
            for indicator_id, warning in (answer or {}).items():
                warnings.setdefault(indicator_id, warning)
    for indicator_id, kind, value, reference, code, name_vi, name_en, listed_at in rows:
        entry = Entry(
            reference,
            code,
            name_vi,
            name_en,
            timezone.localdate(listed_at) if listed_at else timezone.localdate(),
            warnings.get(indicator_id),
        )
        snap.listed[(kind, value)] = entry
        if kind == "bank_account" and ":" in value:  # an account looked up without its bank
            snap.listed.setdefault((kind, value.split(":", 1)[1]), entry)
    ended = (
        Listing.objects.filter(status__in=[ListingStatus.DELISTED, ListingStatus.LAPSED], ended_at__isnull=False)
        .order_by("ended_at")
        .values_list("indicator__kind", "indicator__value", "ended_at")
    )
    for kind, value, ended_at in ended:
        if (kind, value) not in snap.listed:
            snap.cleared[(kind, value)] = ended_at
    return snap


_index: ReferenceCache[Snapshot] = ReferenceCache(_build, INDEX_GENERATION_KEY)


def snapshot() -> Snapshot:
    return _index.get()


def _with_related(ind: Indicator) -> list[Indicator]:
    return [ind, *related(ind)] if ind.valid else []


def _bank_account(number: str, bank: str | None) -> list[Indicator]:
    return _with_related(normalise("bank_account", number, bank=bank))


@lru_cache(maxsize=4096)
def read_query(q: str, bank: str | None = None) -> tuple[Indicator, ...]:
    """The readings of what was typed, the most likely first (empty: no kind of value we know).

    A pure function of its input (the normalisers read no database), so it is memoised: the same writings
    of the same scam numbers come back again and again."""
    return tuple(_read_query(q, bank))


def _read_query(q: str, bank: str | None) -> list[Indicator]:
    q = unicodedata.normalize("NFC", q or "").strip()
    if not q or len(q) > MAX_QUERY:
        return []
    bank = (bank or "").strip() or None
    if bank:
        found = _bank_account(q, bank)
        if found:
            return found
    if "@" in q or re.search(r"\[\s*(?:@|at)\s*\]", q, re.IGNORECASE):
        return _with_related(normalise("email", q))
    if _PHONE_OR_DIGITS.fullmatch(q):
        # A number: a phone first; a digit string could also be an account at an unnamed bank.
        readings = _with_related(normalise("phone", q))
        account = normalise("bank_account", q)
        return readings + ([account] if account.valid else [])
    for pattern in (_BANK_THEN_NUMBER, _NUMBER_THEN_BANK):  # "Vietcombank 0071000123456", "0071000123456 VCB"
        match = pattern.fullmatch(q)
        if match and resolve_bank(match["bank"]):
            found = _bank_account(match["number"], match["bank"])
            if found:
                return found
    url = normalise("url", q)
    if url.valid:
        readings = _with_related(url)
        domain = next((r for r in readings if r.kind == "domain"), None)
        if domain is not None and domain.value == url.value:  # "example.com": a domain, as typed
            return [domain, url]
        return readings
    return _with_related(normalise("domain", q))


_TABLE = IndicatorRow._meta.db_table


def _reported(keys: list[tuple[str, str]]) -> dict[tuple[str, str], dt.datetime]:
    """{(kind, value): last report} of those `keys` that reports named: one statement on the (kind, value)
    unique index, written out (the ORM's query building would cost more than the query itself)."""
    where = " OR ".join(["(kind = %s AND value = %s)"] * len(keys))
    params = [part for key in keys for part in key]
    with connection.cursor() as cursor:
        # The table and column names are the model's own; every value is a parameter.
        cursor.execute(
            f"SELECT kind, value, last_seen FROM {_TABLE} WHERE report_count > 0 AND ({where})",  # noqa: S608
            params,
        )
        rows = cursor.fetchall()
    return {(kind, value): _moment(last_seen) for kind, value, last_seen in rows}


def _moment(value: Any) -> dt.datetime:
    """A timestamp as the raw cursor gives it (text on SQLite), aware."""
    if isinstance(value, str):
        value = parse_datetime(value) or dt.datetime.min
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


@lru_cache(maxsize=4096)
def _path(prefix: str, urlconf: str, name: str, reference: str | None = None) -> str:
    return reverse(name, urlconf=urlconf, kwargs={"reference": reference} if reference else None)


def path_of(name: str, reference: str | None = None) -> str:
    """reverse(name), memoised per script prefix and URL configuration: the answer's links are the same few
    paths again and again, and reverse() costs more than the rest of the answer."""
    return _path(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, reference)


@dataclass(frozen=True)
class Answer:
    query: str
    kind: str | None
    normalised: str | None
    status: str
    entry: Entry | None = None
    bank: str | None = None

    @property
    def listed(self) -> bool:
        return self.status == LookupStatus.LISTED

    @property
    def report_url(self) -> str:
        """The public report form, pre-filled with the value (intake takes kind/value/bank)."""
        params = {"kind": self.kind or "", "value": self.query}
        if self.bank:
            params["bank"] = self.bank
        return f"{path_of('intake:public_report')}?{urlencode(params)}"

    @property
    def appeal_url(self) -> str | None:
        if self.entry is None:
            return None
        return path_of("listing:appeal", self.entry.reference)


def lookup(q: str, bank: str | None = None) -> Answer | None:
    """The public answer for what was typed, or None when it is no kind of value we know (show HINT)."""
    readings = read_query(q, bank)
    if not readings:
        return None
    query = unicodedata.normalize("NFC", q).strip()
    snap = snapshot()
    for reading in readings:
        entry = snap.listed.get((reading.kind, reading.value))
        if entry is not None:
            return Answer(query, str(reading.kind), reading.value, LookupStatus.LISTED, entry, bank)
    keys = [(str(r.kind), r.value) for r in readings]
    found = _reported(keys)
    for key in keys:
        if key in found:
            cleared = snap.cleared.get(key)
            if cleared is None or found[key] > cleared:
                return Answer(query, key[0], key[1], LookupStatus.REPORTED, bank=bank)
    first = readings[0]
    return Answer(query, str(first.kind), first.value, LookupStatus.UNKNOWN, bank=bank)


def answer_json(answer: Answer, *, absolute=lambda path: path) -> dict[str, Any]:
    """The API's answer: exactly these keys, whatever the status (null where they do not apply). No count, no
    text, no reporter, no case: nothing but what the public may know."""
    entry = answer.entry
    return {
        "query": answer.query,
        "kind": answer.kind,
        "normalised": answer.normalised,
        "status": str(answer.status),
        "category": entry.category if entry else None,
        "category_name": entry.category_name if entry else None,
        "listed_on": entry.listed_on.isoformat() if entry else None,
        "warning_url": absolute(entry.warning["url"]) if entry and entry.warning else None,
        "warning_title": entry.warning["title"] if entry and entry.warning else None,
        "appeal_url": absolute(answer.appeal_url) if answer.appeal_url else None,
        "report_url": absolute(answer.report_url),
    }
