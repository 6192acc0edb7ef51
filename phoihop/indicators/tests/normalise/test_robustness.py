"""Nothing raises, whatever the input (hypothesis is not a project dependency, so a seeded random
generator stands in for it)."""

from __future__ import annotations

import random

import pytest

from phoihop.indicators.normalise import Indicator, IndicatorKind, extract, normalise, related
from phoihop.indicators.normalise.base import _MAX_INPUT

K = IndicatorKind


FRAGMENTS = [
    *"0123456789",
    "0",
    "84",
    "+",
    "+84",
    "00",
    "(",
    ")",
    " ",
    ".",
    "-",
    "/",
    ":",
    "@",
    "#",
    "?",
    "=",
    "&",
    "[.]",
    "(.)",
    "[@]",
    "[:]",
    "[://]",
    "http://",
    "hxxps://",
    "ftp://",
    "www.",
    ".com",
    ".vn",
    ".com.vn",
    "xn--",
    "xn--zz",
    "[::1]",
    "%",
    "\\",
    "STK ",
    "số tài khoản ",
    "IMEI ",
    "Vietcombank",
    "ngân hàng ",
    "zalo.me/",
    "t.me/+",
    "facebook.com/",
    "profile.php?id=",
    "tiktok.com/@",
    "Đ",
    "ế",
    "\u0301",
    "\u3002",
    "\uff0e",
    "ß",
    "İ",
    "例",
    "٣",
    "０",
    "\x00",
    "\n",
    "\u200b",
    "\U0001f600",
]


def random_strings(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < 0.7:
            out.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 12))))
        else:
            out.append("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 30))))
    return out


PATHOLOGICAL = [
    "1 " * 3000,
    "1." * 3000,
    "a." * 3000,
    "a" * 5000 + ".com",
    "0" * 10_000,
    "[.]" * 2000,
    "http://" + "a." * 2000 + "com",
    "STK " * 2000,
    "tài khoản " * 1000 + "123456789",
    "IMEI " + "1-" * 3000,
    "::" * 3000,
    "@" * 3000,
    "x@" * 3000,
]


def check_indicator(ind: Indicator) -> None:
    assert isinstance(ind, Indicator)
    if ind.valid:
        assert ind.error_code is None and ind.value
    else:
        assert ind.error_code and ind.value == ind.raw
    for extra in related(ind):
        assert extra.valid


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_normalise_never_raises(seed):
    for raw in random_strings(seed, 300):
        for kind in IndicatorKind:
            ind = normalise(kind, raw, bank=raw[:20] or None)
            check_indicator(ind)
            assert ind.raw == raw.strip() or len(raw.strip()) > _MAX_INPUT


@pytest.mark.parametrize("seed", range(4))
def test_fuzz_extract_never_raises(seed):
    texts = random_strings(100 + seed, 200)
    for text in [" ".join(texts[i : i + 10]) for i in range(0, len(texts), 10)] + texts:
        for ind in extract(text):
            check_indicator(ind)


def test_pathological_inputs_are_handled():
    for text in PATHOLOGICAL:
        for ind in extract(text):
            check_indicator(ind)
        for kind in IndicatorKind:
            check_indicator(normalise(kind, text))
