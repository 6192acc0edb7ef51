"""Banks and bank accounts."""

from __future__ import annotations

import re

import pytest

from phoihop.indicators.normalise import Indicator, IndicatorKind, bank_choices, normalise, related, resolve_bank
from phoihop.indicators.normalise.bank import _bank_index, _banks

from .helpers import assert_idempotent, assert_invalid

K = IndicatorKind


def test_bank_data_file():
    banks = _banks()
    assert len(banks) >= 40
    codes = [bank.code for bank in banks]
    bins = [bank.bin for bank in banks]
    assert len(set(codes)) == len(codes)
    assert len(set(bins)) == len(bins)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]+", code) for code in codes)
    assert all(re.fullmatch(r"[0-9]{6}", bin_) for bin_ in bins)
    for bank in banks:
        assert bank.aliases and all(alias == alias.lower().strip() for alias in bank.aliases), bank
    _bank_index()  # raises if an alias names two banks
    assert {"VCB", "ICB", "BIDV", "VBA", "TCB", "MB", "ACB", "VPB", "TPB", "STB"} <= set(codes)


def test_bank_choices():
    choices = bank_choices()
    assert ("VCB", "VCB – Vietcombank") in choices
    assert [code for code, _label in choices] == sorted(code for code, _label in choices)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("VCB", "VCB"),
        ("vcb", "VCB"),
        ("970436", "VCB"),
        ("Vietcombank", "VCB"),
        ("Vietcom Bank", "VCB"),
        ("ngoại thương", "VCB"),
        ("Ngoai Thuong", "VCB"),
        ("Ngân hàng Ngoại thương", "VCB"),
        ("NH TMCP Ngoại thương Việt Nam", "VCB"),
        ("Ngân hàng TMCP Ngoại thương Việt Nam", "VCB"),
        ("vietinbank", "ICB"),
        ("CTG", "ICB"),
        ("Agribank", "VBA"),
        ("MB Bank", "MB"),
        ("Quân đội", "MB"),
        ("Sacombank", "STB"),
        ("Sài Gòn Thương Tín", "STB"),
        ("ngân hàng Sài Gòn", "SCB"),
        ("LienVietPostBank", "LPB"),
        ("OceanBank", "MBV"),
        ("Đông Á", "VIKKI"),
        ("Techcombank", "TCB"),
    ],
)
def test_resolve_bank(name, code):
    assert resolve_bank(name) == code


@pytest.mark.parametrize("name", [None, "", "ngân hàng ma", "123456", "x" * 500])
def test_resolve_unknown_bank(name):
    assert resolve_bank(name) is None


@pytest.mark.parametrize("bank", ["VCB", "970436", "vietcombank", "Ngân hàng Ngoại Thương", "ngoai thuong"])
def test_bank_account_with_known_bank(bank):
    ind = normalise(K.BANK_ACCOUNT, "0071 000 123 456", bank=bank)
    assert ind == Indicator(K.BANK_ACCOUNT, "0071 000 123 456", "VCB:0071000123456", True, bank="VCB")
    assert_idempotent(K.BANK_ACCOUNT, "0071 000 123 456", bank=bank)


@pytest.mark.parametrize(
    ("raw", "bank", "value", "code"),
    [
        ("0071000123456", None, "0071000123456", None),
        ("0071.000.123-456", None, "0071000123456", None),
        ("0071000123456", "Ngân hàng Ma", "0071000123456", None),  # unknown bank: still valid
        ("123456", None, "123456", None),
        ("1" * 19, None, "1" * 19, None),
        ("VCB:0071000123456", None, "VCB:0071000123456", "VCB"),
        ("vietcombank: 0071 000 123 456", None, "VCB:0071000123456", "VCB"),
        ("VCB:0071000123456", "ACB", "ACB:0071000123456", "ACB"),  # the explicit bank wins
        ("VCB:0071000123456", "Ngân hàng Ma", "VCB:0071000123456", "VCB"),
        ("STK: 0071000123456", None, "0071000123456", None),
        ("Số tài khoản 0071 000 123 456", "VCB", "VCB:0071000123456", "VCB"),
        ("stk VCB:0071000123456", None, "VCB:0071000123456", "VCB"),
    ],
)
def test_bank_accounts(raw, bank, value, code):
    ind = normalise(K.BANK_ACCOUNT, raw, bank=bank)
    assert ind.valid and (ind.value, ind.bank) == (value, code)


@pytest.mark.parametrize("raw", ["12345", "1" * 20, "abc123456", "12345678x", "XYZ:123456", "VCB:", "0071/000/123"])
def test_invalid_bank_accounts(raw):
    assert_invalid(K.BANK_ACCOUNT, raw, "bank_account_invalid")


def test_bank_account_relates_to_its_bare_digits():
    ind = normalise(K.BANK_ACCOUNT, "0071000123456", bank="VCB")
    assert related(ind) == [Indicator(K.BANK_ACCOUNT, "0071000123456", "0071000123456", True)]
    assert related(normalise(K.BANK_ACCOUNT, "0071000123456")) == []
