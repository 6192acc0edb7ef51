"""A JSON body nested without end is a 400, never a server error (the parser is the API's default)."""

import io

import pytest
from rest_framework.exceptions import ParseError

from phoihop.api.parsers import MAX_DEPTH, BoundedJSONParser


def parse(text: str):
    return BoundedJSONParser().parse(io.BytesIO(text.encode()), parser_context={"encoding": "utf-8"})


def test_an_ordinary_body_parses():
    assert parse('{"indicators": [{"kind": "phone", "value": "0912345678"}]}')["indicators"][0]["kind"] == "phone"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 200_000])
def test_a_body_nested_too_deep_is_refused(depth):
    with pytest.raises(ParseError, match="nested too deeply"):
        parse('{"a":' * depth + "null" + "}" * depth)


def test_nan_and_infinity_are_not_json():
    with pytest.raises(ParseError):
        parse('{"fine": NaN}')
