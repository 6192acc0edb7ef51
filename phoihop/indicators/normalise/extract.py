"""Finding indicators in free text: a report's description, a pasted SMS."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from .bank import _ACCOUNT_KEYWORD, _banks_mentioned
from .base import Indicator, IndicatorKind, _fold, _refang, normalise
from .phone import _SERVICE_NUMBER

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
# After an account keyword (bank._ACCOUNT_KEYWORD), up to four words before the number:
# "STK Vietcombank:", "tài khoản của tôi là".
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
