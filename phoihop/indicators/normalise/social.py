"""Social network accounts: Facebook, Zalo, Telegram and TikTok profile links and handles."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs

from .base import Indicator, IndicatorKind, _bad, _ok, normalise, normaliser_for, related_for
from .phone import _phone_readings
from .web import _split_url

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


@normaliser_for(IndicatorKind.SOCIAL_ACCOUNT, "social_account_invalid")
def _social_account(raw: str) -> Indicator:
    value = _social_value(raw)
    if value is None:
        return _bad(IndicatorKind.SOCIAL_ACCOUNT, raw, "social_account_invalid")
    return _ok(IndicatorKind.SOCIAL_ACCOUNT, raw, value)


@related_for(IndicatorKind.SOCIAL_ACCOUNT)
def _social_account_related(ind: Indicator) -> list[Indicator]:
    """zalo:+84... → that PHONE: a Zalo account is its phone number."""
    if ind.value.startswith("zalo:+"):
        return [normalise(IndicatorKind.PHONE, ind.value.removeprefix("zalo:"))]
    return []
