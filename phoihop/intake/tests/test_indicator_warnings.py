"""A value that does not parse as its kind comes back with a warning beside its row, to correct or keep."""

from __future__ import annotations

import re

import pytest

from phoihop.intake.models import Report

from .test_views import PUBLIC_URL, block, form_data

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    ("phone", "abc", "not a valid phone number"),
    ("phone", "0912 345 67", "It has 9 digits"),
    ("email", "a@b", "ten@example.com"),
    ("url", "https:///duong-dan", "has a site name"),
]


@pytest.mark.parametrize(("kind", "value", "message"), BAD_VALUES, ids=[v[1] for v in BAD_VALUES])
def test_a_value_that_does_not_parse_comes_back_with_a_warning_beside_it(client, kind, value, message):
    response = client.post(PUBLIC_URL, form_data(**{"indicator-0-kind": kind, "indicator-0-value": value}))
    assert response.status_code == 200
    html = response.content.decode()
    warning = block(html, "indicator-0-warning")
    assert message in warning
    assert 'name="indicator-0-keep"' in warning  # "keep as written"
    assert message in block(html, "error-summary")
    assert f'value="{value}"' in html  # the value comes back as typed, to correct
    assert Report.objects.count() == 0


def test_keep_as_written_sends_the_value_as_it_is(client):
    data = form_data(**{"indicator-0-value": "0912 345 67", "indicator-0-keep": "on"})
    assert client.post(PUBLIC_URL, data).status_code == 302
    link = Report.objects.get().indicator_links.get(indicator__kind="phone", source="field")
    assert link.raw == "0912 345 67" and not link.valid


def test_a_corrected_value_is_accepted(client):
    html = client.post(PUBLIC_URL, form_data(**{"indicator-0-value": "0912 345 67"})).content.decode()
    assert "indicator-0-warning" in html
    assert client.post(PUBLIC_URL, form_data(**{"indicator-0-value": "0912 345 678"})).status_code == 302


def test_the_warning_is_in_vietnamese_and_a_value_that_parses_shows_how_it_is_recorded(client, settings):
    settings.LANGUAGE_CODE = "vi"
    data = form_data(description="ngắn", **{"indicator-0-value": "abc", "indicator-2-value": "0912 345 678"})
    html = client.post(PUBLIC_URL, data).content.decode()
    assert "Số điện thoại không hợp lệ" in block(html, "indicator-0-warning")
    assert "Giữ nguyên như đã nhập" in block(html, "indicator-0-warning")
    # The second row (the bank account is the row in between) parses: it says how it will be recorded.
    assert re.search(r"\+84912345678", html)
