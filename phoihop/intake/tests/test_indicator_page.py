"""The indicator page: one value, every writing of it, what the viewer may see, and the panels of other apps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phoihop.audit.services import AuditContext
from phoihop.core.registry import Panel, _panels, register_panel
from phoihop.directory.models import Organisation
from phoihop.intake.models import Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

pytestmark = pytest.mark.django_db

PUBLIC = AuditContext(label="public")
PHONE_URL = "/reports/indicators/phone/+84912345678/"


def _user(django_user_model, username: str, org: str, role: str = "focal_point"):
    return django_user_model.objects.create_user(
        username=username, password="a-long-test-password-1", organisation=Organisation.objects.get(code=org), role=role
    )


@pytest.fixture
def dic(django_user_model, client):
    return _user(django_user_model, "dic.focal", "st-dic")


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "doit.focal", "st-doit")


def _report(phone: str, description: str = "Gọi điện giả danh công an đòi chuyển tiền.") -> Report:
    data = ReportInput(
        description=description, behaviour="13.4", area="st-vinh-chau", indicators=[IndicatorInput("phone", phone)]
    )
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


def _get(client, user, url: str, **params):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url, params)


def test_the_url_of_the_normalised_value_is_the_one_reverse_gives():
    assert reverse("intake:indicator", kwargs={"kind": "phone", "value": "+84912345678"}) == PHONE_URL
    url = reverse("intake:indicator", kwargs={"kind": "url", "value": "scam.vn/a?b=1"})
    assert url == "/reports/indicators/url/scam.vn/a%3Fb=1/"


def test_the_page_shows_counts_dates_writings_and_the_visible_reports(client, dic):
    first = _report("0912 345 678")
    second = _report("+84 912.345.678", description="Lại gọi từ số này, dọa bắt giam.")
    response = _get(client, dic, PHONE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="indicator-value">+84912345678<' in html
    assert "in 2 reports" in html and "0 cases" in html
    for report in (first, second):
        assert reverse("intake:detail", args=[report.reference]) in html
    # Newest first on the timeline, with how it was written each time.
    assert html.index(second.reference) < html.index(first.reference)
    assert "0912 345 678" in html and "+84 912.345.678" in html


def test_any_writing_of_the_value_leads_to_the_normalised_page(client, dic):
    _report("0912 345 678")
    response = _get(client, dic, "/reports/indicators/phone/0912-345-678/")
    assert response.status_code == 302 and response["Location"] == PHONE_URL


def test_a_value_never_reported_or_an_unknown_kind_is_not_found(client, dic):
    response = _get(client, dic, "/reports/indicators/phone/0987654321/")
    assert response.status_code == 404 and 'data-testid="indicator-missing"' in response.content.decode()
    assert _get(client, dic, "/reports/indicators/nonsense/x/").status_code == 404


def test_an_organisation_that_received_none_sees_the_counts_but_no_report(client, outsider):
    report = _report("0912 345 678")
    html = _get(client, outsider, PHONE_URL).content.decode()
    assert "in 1 report" in html
    assert reverse("intake:detail", args=[report.reference]) not in html
    assert 'data-testid="indicator-none-visible"' in html


def test_signing_in_is_needed(client):
    _report("0912 345 678")
    response = client.get(PHONE_URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_report_page_links_each_indicator_to_its_page(client, dic):
    report = _report("0912 345 678")
    html = _get(client, dic, reverse("intake:detail", args=[report.reference])).content.decode()
    assert f'href="{PHONE_URL}"' in html


def test_apps_above_add_their_panels(client, dic):
    _report("0912 345 678")
    seen = []

    def context(request, indicator):
        seen.append(indicator.value)
        return {"panel_note": "listed on the blocklist"}

    register_panel(Panel("indicators.indicator_detail", "intake/partials/pagination.html", context))
    try:
        assert _get(client, dic, PHONE_URL).status_code == 200
        assert seen == ["+84912345678"]
    finally:
        _panels.pop("indicators.indicator_detail", None)


def test_the_timeline_pages_back_without_counting(client, dic, monkeypatch):
    from phoihop.intake.views import indicators

    monkeypatch.setattr(indicators, "PAGE_SIZE", 2)
    reports = [_report("0912 345 678", description=f"Lần thứ {i}: gọi điện đe dọa.") for i in range(3)]
    first = _get(client, dic, PHONE_URL).content.decode()
    assert reports[2].reference in first and reports[1].reference in first and reports[0].reference not in first
    assert 'rel="next"' in first
    older = _get(client, dic, PHONE_URL, page=2).content.decode()
    assert reports[0].reference in older and 'rel="next"' not in older and "First reported" in older
