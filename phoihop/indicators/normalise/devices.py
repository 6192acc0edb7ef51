"""Devices, vehicles and IP addresses: IMEI, SIM serial (ICCID), licence plate, IP address."""

from __future__ import annotations

import ipaddress
import re

from .base import Indicator, IndicatorKind, _bad, _digits_of, _luhn_ok, _ok, _refang, normaliser_for


@normaliser_for(IndicatorKind.IMEI, "imei_invalid")
def _imei(raw: str) -> Indicator:
    """15 digits whose last one is a Luhn check digit. A 14-digit IMEI (check digit missing) is
    flagged rather than completed: the report must say what the victim actually saw."""
    kind = IndicatorKind.IMEI
    digits = _digits_of(raw, " \t-/.")
    if digits is None or len(digits) != 15:
        return _bad(kind, raw, "imei_invalid")
    if not _luhn_ok(digits):
        return _bad(kind, raw, "imei_checksum")
    return _ok(kind, raw, digits)


@normaliser_for(IndicatorKind.SIM_SERIAL, "sim_serial_invalid")
def _sim_serial(raw: str) -> Indicator:
    """ICCID (ITU-T E.118): 89 (telecom), country (84 for Vietnam), issuer, account, check digit.

    19-digit ICCIDs end with their Luhn check digit. For 20-digit ones issuers differ on where the
    check digit sits (last, or 19th followed by one more digit), so either placement is accepted.
    """
    kind = IndicatorKind.SIM_SERIAL
    digits = _digits_of(raw, " \t-")
    if digits is None or len(digits) not in (19, 20) or not digits.startswith("89"):
        return _bad(kind, raw, "sim_serial_invalid")
    if not (_luhn_ok(digits[:19]) or (len(digits) == 20 and _luhn_ok(digits))):
        return _bad(kind, raw, "sim_serial_checksum")
    return _ok(kind, raw, digits)


# Province code (11–99), series (one or two letters, possibly a digit: "C1", "LD", "MĐ1"), then a
# 4- or 5-digit number. Separators are dropped: "83C1-123.45" and "83-C1 12345" are one plate.
_PLATE = re.compile(r"([1-9][0-9])([A-ZĐ]{1,2}[0-9]?)([0-9]{4,5})")


@normaliser_for(IndicatorKind.LICENCE_PLATE, "plate_invalid")
def _licence_plate(raw: str) -> Indicator:
    compact = re.sub(r"[\s.\-_/]", "", raw).upper()
    plate = _PLATE.fullmatch(compact)
    if not plate or int(plate.group(1)) < 11:
        return _bad(IndicatorKind.LICENCE_PLATE, raw, "plate_invalid")
    return _ok(IndicatorKind.LICENCE_PLATE, raw, compact)


@normaliser_for(IndicatorKind.IP_ADDRESS, "ip_invalid")
def _ip_address(raw: str) -> Indicator:
    text = _refang(raw).removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return _bad(IndicatorKind.IP_ADDRESS, raw, "ip_invalid")
    return _ok(IndicatorKind.IP_ADDRESS, raw, address.compressed)
