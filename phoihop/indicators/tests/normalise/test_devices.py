"""IMEI, SIM serial, licence plate and IP address."""

from __future__ import annotations

import re

import pytest

from phoihop.indicators.normalise import IndicatorKind, normalise

from .helpers import assert_idempotent, assert_invalid, luhn_digit

K = IndicatorKind


@pytest.mark.parametrize("raw", ["352099001761481", "35-209900-176148-1", "35 209900 176148 1", "35/209900/176148/1"])
def test_imei(raw):
    assert normalise(K.IMEI, raw).value == "352099001761481"
    assert_idempotent(K.IMEI, raw)


@pytest.mark.parametrize(
    ("raw", "error_code"),
    [
        ("352099001761482", "imei_checksum"),
        ("35209900176148", "imei_invalid"),  # 14 digits: the check digit is not made up
        ("3520990017614810", "imei_invalid"),
        ("35209900176148A", "imei_invalid"),
        ("", "imei_invalid"),
    ],
)
def test_invalid_imei(raw, error_code):
    assert_invalid(K.IMEI, raw, error_code)


ICCID_19 = "898404800012345678" + luhn_digit("898404800012345678")
ICCID_20 = "8984048000123456789" + luhn_digit("8984048000123456789")


@pytest.mark.parametrize(
    "raw",
    [
        ICCID_19,
        ICCID_20,
        ICCID_19 + "0",  # check digit 19th, then a filler digit
        " ".join(re.findall(".{1,4}", ICCID_19)),
    ],
)
def test_sim_serial(raw):
    ind = normalise(K.SIM_SERIAL, raw)
    assert ind.valid and ind.value == raw.replace(" ", "")


@pytest.mark.parametrize(
    ("raw", "error_code"),
    [
        ("9" + ICCID_19[1:], "sim_serial_invalid"),  # does not start with 89
        ("88" + ICCID_19[2:], "sim_serial_invalid"),
        (ICCID_19[:-1], "sim_serial_invalid"),  # 18 digits
        (ICCID_20 + "1", "sim_serial_invalid"),
        (ICCID_19[:-1] + str((int(ICCID_19[-1]) + 1) % 10), "sim_serial_checksum"),
        ("8984abc", "sim_serial_invalid"),
    ],
)
def test_invalid_sim_serial(raw, error_code):
    assert_invalid(K.SIM_SERIAL, raw, error_code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("83C1-123.45", "83C112345"),
        ("83-C1 12345", "83C112345"),
        ("83c1 123.45", "83C112345"),
        ("51F-123.45", "51F12345"),
        ("51f 12345", "51F12345"),
        ("30A-1234", "30A1234"),
        ("29LD-123.45", "29LD12345"),
        ("29-MĐ1 123.45", "29MĐ112345"),
        ("80-NG-123-45", "80NG12345"),
    ],
)
def test_licence_plates(raw, expected):
    assert normalise(K.LICENCE_PLATE, raw).value == expected
    assert_idempotent(K.LICENCE_PLATE, raw)


@pytest.mark.parametrize("raw", ["ABC-123", "05A-12345", "83C1-12", "83C1-1234567", "8C-12345", "83-123.45"])
def test_invalid_licence_plates(raw):
    assert_invalid(K.LICENCE_PLATE, raw, "plate_invalid")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.168.1.1", "192.168.1.1"),
        ("103.21.4[.]5", "103.21.4.5"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("[::1]", "::1"),
    ],
)
def test_ip_addresses(raw, expected):
    assert normalise(K.IP_ADDRESS, raw).value == expected
    assert_idempotent(K.IP_ADDRESS, raw)


@pytest.mark.parametrize("raw", ["256.1.1.1", "1.2.3", "192.168.001.1", "abc", "1.2.3.4/24"])
def test_invalid_ip_addresses(raw):
    assert_invalid(K.IP_ADDRESS, raw, "ip_invalid")
