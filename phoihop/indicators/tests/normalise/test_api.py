"""The package's entry points: kinds, labels, messages, dispatch."""

from __future__ import annotations

import pytest
from django.utils.functional import Promise

import phoihop.indicators.normalise as package
from phoihop.indicators.normalise import KIND_LABELS, IndicatorKind, normalise
from phoihop.indicators.normalise.base import _ERROR_MESSAGES, _NORMALISERS, _RELATED, normaliser_for, related_for

K = IndicatorKind


def test_kind_may_be_given_as_string_and_unknown_kinds_are_a_programming_error():
    assert normalise("phone", "0912345678").kind is K.PHONE
    with pytest.raises(ValueError):
        normalise("fax", "0912345678")


def test_labels_and_messages_are_lazy():
    assert set(KIND_LABELS) == set(IndicatorKind)
    assert all(isinstance(label, Promise) for label in KIND_LABELS.values())
    assert normalise(K.PHONE, "0912345678").message == ""
    for kind in IndicatorKind:
        invalid = normalise(kind, "?")
        assert not invalid.valid and isinstance(invalid.message, Promise), kind
    assert isinstance(normalise(K.IMEI, "352099001761482").message, Promise)


def test_oversized_input_is_rejected_quickly():
    huge = "0" * 100_000
    for kind in IndicatorKind:
        assert not normalise(kind, huge).valid


def test_public_api():
    assert package.__all__ == [
        "KIND_LABELS",
        "Indicator",
        "IndicatorKind",
        "bank_choices",
        "extract",
        "normalise",
        "related",
        "resolve_bank",
    ]
    assert all(callable(getattr(package, name)) or name == "KIND_LABELS" for name in package.__all__)


def test_every_kind_has_a_registered_normaliser():
    assert set(_NORMALISERS) == set(IndicatorKind)
    for kind, entry in _NORMALISERS.items():
        assert entry.invalid_code in _ERROR_MESSAGES
        assert normalise(kind, "").error_code == entry.invalid_code
    assert [kind for kind, entry in _NORMALISERS.items() if entry.takes_bank] == [K.BANK_ACCOUNT]
    assert set(_RELATED) == {K.PHONE, K.SMS_SENDER, K.URL, K.EMAIL, K.BANK_ACCOUNT, K.SOCIAL_ACCOUNT}


def test_a_kind_is_registered_once():
    with pytest.raises(RuntimeError):
        normaliser_for(K.PHONE, "phone_invalid")(lambda raw: normalise(K.PHONE, raw))
    with pytest.raises(RuntimeError):
        related_for(K.URL)(lambda ind: [])
