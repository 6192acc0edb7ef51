"""URLs, domains and e-mail addresses."""

from __future__ import annotations

import pytest

from phoihop.indicators.normalise import Indicator, IndicatorKind, normalise, related
from phoihop.indicators.normalise.web import _ascii_host

from .helpers import assert_idempotent, assert_invalid

K = IndicatorKind


@pytest.mark.parametrize(
    ("raw", "value", "domain"),
    [
        # Documented choice: query kept as written, trailing slash of the path and fragment dropped.
        ("https://www.Sub.Example.com.vn/a/?q=1#x", "sub.example.com.vn/a?q=1", "example.com.vn"),
        ("HTTP://Example.COM:80/", "example.com", "example.com"),
        ("https://example.com:443/x", "example.com/x", "example.com"),
        ("https://example.com:80/x", "example.com:80/x", "example.com"),
        ("http://example.com:8080/Path/Case/", "example.com:8080/Path/Case", "example.com"),
        ("http://www.example.com", "example.com", "example.com"),
        ("example.com/#top", "example.com", "example.com"),
        ("example.com?x=1&y=2", "example.com?x=1&y=2", "example.com"),
        ("vietcombank-xacminh.com/login", "vietcombank-xacminh.com/login", "vietcombank-xacminh.com"),
        ("hxxp://vietcombank-xacminh[.]com/login", "vietcombank-xacminh.com/login", "vietcombank-xacminh.com"),
        ("hXXps[:]//evil(.)com/a", "evil.com/a", "evil.com"),
        ("hxxps[://]evil[dot]com", "evil.com", "evil.com"),
        ("example[.]com", "example.com", "example.com"),
        ("//cdn.example.net/x.js", "cdn.example.net/x.js", "example.net"),
        ("http://user:pw@evil.com/x", "evil.com/x", "evil.com"),
        ("http://Bóng.vn/Trang", "xn--bng-gna.vn/Trang", "xn--bng-gna.vn"),
        ("xn--bng-gna.vn/Trang", "xn--bng-gna.vn/Trang", "xn--bng-gna.vn"),
        ("http://例子.中国", "xn--fsqu00a.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"),
        ("https://login.scam.web.app/", "login.scam.web.app", "scam.web.app"),  # private suffix
        ("https://a.b.gov.vn/tin-tuc", "a.b.gov.vn/tin-tuc", "b.gov.vn"),
        ("http://www.com.vn", "www.com.vn", "www.com.vn"),  # "www" is the registered label here
        ("http://example.com./x", "example.com/x", "example.com"),
        ("http://1.2.3.4:8080/a", "1.2.3.4:8080/a", None),
        ("http://[2001:DB8::1]/", "[2001:db8::1]", None),
    ],
)
def test_urls(raw, value, domain):
    ind = normalise(K.URL, raw)
    assert ind.valid, ind
    assert (ind.value, ind.domain) == (value, domain)
    assert_idempotent(K.URL, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "not a url",
        "http://",
        "http:///path",
        "ftp://example.com",
        "javascript:alert(1)",
        "http://localhost:8000",
        "http://exa mple.com",
        "http://-bad-.com",
        "http://xn--zz.com",
        "http://xn--０.vn",  # full-width digit: maps to the broken punycode label "xn--0"
        "user@example.com",
        "http://a.com:99999",
        "http://[::1",
        "com.vn",
        "http://example.notarealtld",
        "http://a..com",
        "http://" + "a" * 64 + ".com",
    ],
)
def test_invalid_urls(raw):
    assert_invalid(K.URL, raw, "url_invalid")


def test_url_related():
    url = normalise(K.URL, "https://www.Sub.Example.com.vn/a/?q=1#x")
    assert related(url) == [Indicator(K.DOMAIN, "example.com.vn", "example.com.vn", True, domain="example.com.vn")]
    by_ip = normalise(K.URL, "http://103.21.4.5/login")
    assert related(by_ip) == [Indicator(K.IP_ADDRESS, "103.21.4.5", "103.21.4.5", True)]
    profile = normalise(K.URL, "https://www.facebook.com/profile.php?id=100012345&mibextid=x")
    assert [(r.kind, r.value) for r in related(profile)] == [
        (K.DOMAIN, "facebook.com"),
        (K.SOCIAL_ACCOUNT, "facebook:100012345"),
    ]
    assert related(normalise(K.URL, "not a url")) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("WWW.Example.COM.VN", "example.com.vn"),
        ("https://a.b.example.com/x?y=1", "example.com"),
        ("example[.]com", "example.com"),
        ("bóng.vn", "xn--bng-gna.vn"),
        ("scam.github.io", "scam.github.io"),
        ("example.com.", "example.com"),
    ],
)
def test_domains(raw, expected):
    ind = normalise(K.DOMAIN, raw)
    assert ind.valid and ind.value == ind.domain == expected
    assert_idempotent(K.DOMAIN, raw)


@pytest.mark.parametrize("raw", ["1.2.3.4", "com", "com.vn", "localhost", "a_b", "http://[::1]/", "x@y.com"])
def test_invalid_domains(raw):
    assert_invalid(K.DOMAIN, raw, "domain_invalid")


# --------------------------------------------------------------------------------------------------
# Internationalised host names: IDNA 2008 with the UTS #46 mapping
# --------------------------------------------------------------------------------------------------

BUCHER = "xn--bcher-kva.com"
THUONG_MAI = "xn--thng-mi-e5b8k9433a.vn"  # thương-mại.vn


@pytest.mark.parametrize(
    ("kind", "raw", "value", "domain"),
    [
        (K.URL, f"https://{BUCHER}/x", f"{BUCHER}/x", BUCHER),
        (K.URL, "bücher.com/x", f"{BUCHER}/x", BUCHER),
        (K.URL, "https://BÜCHER.com", BUCHER, BUCHER),  # UTS #46 folds the case
        (K.URL, "http://bücher\u3002com", BUCHER, BUCHER),  # ideographic full stop
        (K.URL, "http://ｂüｃｈｅｒ.com", BUCHER, BUCHER),  # full-width letters
        (K.URL, "http://bu\u0308cher.com", BUCHER, BUCHER),  # decomposed ü
        (K.DOMAIN, "thương-mại.vn", THUONG_MAI, THUONG_MAI),
        (K.DOMAIN, "https://www.THƯƠNG-MẠI.vn/gio-hang", THUONG_MAI, THUONG_MAI),
        (K.DOMAIN, THUONG_MAI, THUONG_MAI, THUONG_MAI),
        (K.EMAIL, "lienhe@thương-mại.vn", f"lienhe@{THUONG_MAI}", THUONG_MAI),
        # IDNA 2008 keeps ß (IDNA 2003 turned faß.de into fass.de, another domain).
        (K.DOMAIN, "faß.de", "xn--fa-hia.de", "xn--fa-hia.de"),
        # Underscores are not IDNA but DNS allows them: an ASCII label keeps them.
        (K.DOMAIN, "my_shop.blogspot.com", "my_shop.blogspot.com", "my_shop.blogspot.com"),
    ],
)
def test_idn_hosts(kind, raw, value, domain):
    ind = normalise(kind, raw)
    assert ind.valid, ind
    assert (ind.value, ind.domain) == (value, domain)
    assert_idempotent(kind, raw)


def test_idn_host_conversion_does_not_depend_on_the_suffix():
    assert _ascii_host("bücher.example") == _ascii_host("xn--bcher-kva.example") == "xn--bcher-kva.example"
    # .example is reserved, not a public suffix: there is no registered domain, so no valid URL.
    assert_invalid(K.URL, "https://xn--bcher-kva.example", "url_invalid")


@pytest.mark.parametrize(
    "host",
    [
        "☃.com",  # symbols and emoji were valid in IDNA 2003, not in IDNA 2008
        "xn--n3h.com",  # the same host as an A-label
        "i❤.ws",
        "xn--i-7iq.ws",
        "a\u200db.com",  # zero-width joiner outside the scripts that need it (CONTEXTJ)
        "bóng_x.vn",  # an underscore in a U-label
        "٣.com",  # Arabic-Indic digit: breaks the bidi rule
        "xn---bbk.com",  # non-canonical punycode for the same U-label as xn--bbk
        "xn--bng-gna-.vn",  # A-label ending with a hyphen
    ],
)
def test_hosts_invalid_under_idna_2008(host):
    assert _ascii_host(host) is None
    assert_invalid(K.URL, host, "url_invalid")
    assert_invalid(K.URL, f"https://{host}/login", "url_invalid")
    assert_invalid(K.DOMAIN, host, "domain_invalid")
    assert_invalid(K.EMAIL, f"hotro@{host}", "email_invalid")
    assert related(normalise(K.URL, host)) == []


# --------------------------------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "domain"),
    [
        ("Ten.Nguoi@Example.COM.vn", "ten.nguoi@example.com.vn", "example.com.vn"),
        ("mailto:A@Mail.Example.com", "a@mail.example.com", "example.com"),
        ("hotro[@]vcb-hotro[.]com", "hotro@vcb-hotro.com", "vcb-hotro.com"),
        ("hotro[at]vcb-hotro.com", "hotro@vcb-hotro.com", "vcb-hotro.com"),
        ("a+tag@bóng.vn", "a+tag@xn--bng-gna.vn", "xn--bng-gna.vn"),
        ("x_y-z@sub.scam.web.app", "x_y-z@sub.scam.web.app", "scam.web.app"),
    ],
)
def test_emails(raw, value, domain):
    ind = normalise(K.EMAIL, raw)
    assert ind.valid and (ind.value, ind.domain) == (value, domain)
    assert related(ind) == [Indicator(K.DOMAIN, domain, domain, True, domain=domain)]
    assert_idempotent(K.EMAIL, raw)


@pytest.mark.parametrize(
    "raw",
    ["a@", "@x.com", "a..b@x.com", ".a@x.com", "a b@x.com", "a@localhost", "a@1.2.3.4", "nguyễn@x.com", "a@@x.com"],
)
def test_invalid_emails(raw):
    assert_invalid(K.EMAIL, raw, "email_invalid")
