"""URLs, domains and e-mail addresses.

Host names are converted with IDNA 2008 and the UTS #46 mapping (the ``idna`` package), not with the
IDNA 2003 codec built into Python: "faß.de" is ``xn--fa-hia.de`` (2003 made it ``fass.de``, another
domain) and hosts IDNA 2008 disallows ("☃.com", emoji) are invalid. Registered domains come from the
Public Suffix List snapshot bundled with ``tldextract``.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

import idna
import tldextract

from .base import Indicator, IndicatorKind, _bad, _ok, _refang, normalise, normaliser_for, related_for

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?")
_LABEL_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")  # the dots UTS #46 maps to "."


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


def _ascii_label(label: str) -> str | None:
    """One label of a host name as DNS sees it (lower-case, punycode), or None if it is not valid.

    ASCII labels are only lower-cased, so that names DNS accepts but IDNA does not ("_dmarc",
    "my_shop.blogspot.com") are kept; an "xn--" label must be the canonical punycode of a U-label
    that IDNA 2008 allows. Other labels go through the UTS #46 mapping (case folding, full-width
    "ｅ" → "e") and IDNA 2008.
    """
    try:
        if label.isascii():
            label = label.lower()
            if label.startswith("xn--"):
                idna.ulabel(label)  # raises on broken punycode or a disallowed U-label
            return label
        return idna.encode(label, uts46=True).decode("ascii")
    except UnicodeError:  # idna.IDNAError is one, with a ``code`` saying why
        return None


def _ascii_host(host: str) -> str | None:
    """Lower-case punycode form of a host name, or None if it is not a syntactically valid one."""
    labels = _LABEL_SEPARATORS.split(host)
    if len(labels) > 1 and not labels[-1]:
        labels.pop()  # "example.com." is the fully qualified form of example.com
    out: list[str] = []
    for label in labels:
        ascii_label = _ascii_label(label)
        if ascii_label is None or not _LABEL.fullmatch(ascii_label):
            return None
        out.append(ascii_label)
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


@lru_cache(maxsize=1024)
def _split_url(raw: str) -> _UrlParts | None:
    """Parse a possibly defanged, possibly scheme-less http(s) URL; None if it is not one.

    Memoised (a pure function, its answer immutable): one report's URL is split by the normaliser, its
    related domain and social account, and the search of the description, four times in all."""
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


@normaliser_for(IndicatorKind.URL, "url_invalid")
def _url(raw: str) -> Indicator:
    parts = _split_url(raw)
    if parts is None:
        return _bad(IndicatorKind.URL, raw, "url_invalid")
    return _ok(IndicatorKind.URL, raw, parts.value, domain=parts.domain)


@normaliser_for(IndicatorKind.DOMAIN, "domain_invalid")
def _domain(raw: str) -> Indicator:
    """A host name or a whole URL gives its registered domain ("a.b.example.com.vn" → example.com.vn)."""
    parts = _split_url(raw)
    if parts is None or parts.domain is None:
        return _bad(IndicatorKind.DOMAIN, raw, "domain_invalid")
    return _ok(IndicatorKind.DOMAIN, raw, parts.domain, domain=parts.domain)


# RFC 5322 dot-atom local part, ASCII only (internationalised local parts are not seen in reports).
_EMAIL_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*")


@normaliser_for(IndicatorKind.EMAIL, "email_invalid")
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


@related_for(IndicatorKind.URL)
def _url_related(ind: Indicator) -> list[Indicator]:
    found: list[Indicator] = []
    parts = _split_url(ind.value)
    if parts is not None:
        if parts.ip:
            found.append(normalise(IndicatorKind.IP_ADDRESS, parts.ip))
        elif parts.domain:
            found.append(normalise(IndicatorKind.DOMAIN, parts.domain))
    found.append(normalise(IndicatorKind.SOCIAL_ACCOUNT, ind.value))  # a profile link
    return found


@related_for(IndicatorKind.EMAIL)
def _email_related(ind: Indicator) -> list[Indicator]:
    return [normalise(IndicatorKind.DOMAIN, ind.domain)] if ind.domain else []
