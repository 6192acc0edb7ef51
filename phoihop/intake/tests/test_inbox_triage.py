"""The inbox that triages: what each row says, the filters, paging without counting, bulk acknowledgement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit, report_submit_many

pytestmark = pytest.mark.django_db

PUBLIC = AuditContext(label="public")
INBOX = "/reports/inbox/"


def _user(django_user_model, username: str, org: str, role: str = "focal_point"):
    return django_user_model.objects.create_user(
        username=username, password="a-long-test-password-1", organisation=Organisation.objects.get(code=org), role=role
    )


@pytest.fixture
def dic(django_user_model):
    return _user(django_user_model, "dic.focal", "st-dic")


@pytest.fixture
def dic_officer(django_user_model):
    """An officer of the DIC: sees the inbox, but acknowledging is for the focal point and the head."""
    return _user(django_user_model, "dic.officer", "st-dic", role="officer")


@pytest.fixture
def outsider(django_user_model):
    return _user(django_user_model, "doit.focal", "st-doit")


def _report(description: str, *, behaviour: str = "13.4", area: str = "st-vinh-chau", phone: str = "") -> Report:
    data = ReportInput(
        description=description,
        behaviour=behaviour,
        area=area,
        indicators=[IndicatorInput("phone", phone)] if phone else [],
    )
    return report_submit(data=data, channel="web", ctx=PUBLIC).report


def _dic_delivery(report: Report) -> Delivery:
    return Delivery.objects.get(report=report, organisation__code="st-dic")


def _page(client, user, **params) -> str:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return response.content.decode()


def _rows(html: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in html.split('data-reference="')[1:]]


def test_each_row_says_what_the_report_is_about_where_how_old_and_when_it_is_due(client, dic, settings):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 60
    report = _report("Có người gọi giả danh công an Vĩnh Châu, yêu cầu chuyển 7.500.000 đồng để xác minh.")
    Delivery.objects.filter(report=report).update(delivered_at=timezone.now() - dt.timedelta(hours=3))
    html = _page(client, dic)
    assert "giả danh công an Vĩnh Châu" in html  # the excerpt
    assert "13.4" in html and "Vĩnh Châu" in html
    assert 'data-testid="age"' in html and "3\xa0hours ago" in html
    assert 'data-testid="overdue"' in html and "due " in html


def test_filters_by_acknowledgement_overdue_sector_violation_area_and_indicator(client, dic, settings):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 60
    call = _report("Cuộc gọi lừa đảo giả danh ngân hàng.", phone="0912 345 678")
    site = _report("Trang web giả mạo cổng dịch vụ công.", behaviour="15.4", area="st-soc-trang")
    late = _report("Tin nhắn rác quảng cáo cờ bạc.", behaviour="13.4")
    Delivery.objects.filter(report=late).update(delivered_at=timezone.now() - dt.timedelta(hours=5))
    _dic_delivery(site).__class__.objects.filter(pk=_dic_delivery(site).pk).update(
        acknowledged_at=timezone.now(), acknowledged_by=dic
    )
    every = {call.reference, site.reference, late.reference}
    assert set(_rows(_page(client, dic))) == every
    assert set(_rows(_page(client, dic, status="waiting"))) == {call.reference, late.reference}
    assert set(_rows(_page(client, dic, status="acknowledged"))) == {site.reference}
    assert set(_rows(_page(client, dic, overdue="on"))) == {late.reference}
    assert set(_rows(_page(client, dic, behaviour="15.4"))) == {site.reference}
    sector = Report.objects.get(pk=site.pk).sector
    if sector is not None:
        assert site.reference in _rows(_page(client, dic, sector=sector.code))
    assert set(_rows(_page(client, dic, area="st-soc-trang"))) == {site.reference}
    assert set(_rows(_page(client, dic, has_indicator="on"))) == {call.reference}
    assert set(_rows(_page(client, dic, status="waiting", has_indicator="on"))) == {call.reference}


def test_a_district_filter_includes_its_communes(client, dic):
    from phoihop.directory.models import AdministrativeUnit

    commune = AdministrativeUnit.objects.filter(parent__code="st-vinh-chau").first()
    if commune is None:
        pytest.skip("the rule set has no commune under Vĩnh Châu")
    report = _report("Gọi điện đe dọa đòi nợ.", area=commune.code)
    assert report.reference in _rows(_page(client, dic, area="st-vinh-chau"))


def test_an_unknown_filter_value_is_named_and_lists_nothing(client, dic):
    _report("Cuộc gọi lừa đảo.")
    html = _page(client, dic, behaviour="99.99")
    assert _rows(html) == []
    assert 'class="errors"' in html and "Violation" in html


def test_a_filtered_inbox_pages_without_counting(client, dic, monkeypatch):
    from phoihop.intake.views import triage

    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    rows = [ReportInput(description=f"Lừa đảo #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(5)]
    report_submit_many(rows=rows, channel="web", ctx=PUBLIC)
    first = _page(client, dic, status="waiting")
    assert len(_rows(first)) == 2 and 'rel="next"' in first and "of" not in first.split('class="pager"')[1][:200]
    third = _page(client, dic, status="waiting", page=3)
    assert len(_rows(third)) == 1 and 'rel="next"' not in third and 'rel="prev"' in third
    assert 'href="?status=waiting&amp;page=2"' in third  # the filters stay on every page


def test_a_filtered_inbox_costs_the_same_queries_for_few_or_many_rows(client, dic):
    rows = [ReportInput(description=f"Lừa đảo #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(20)]
    report_submit_many(rows=rows[:3], channel="web", ctx=PUBLIC)
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    params = {"status": "waiting", "behaviour": "13.4", "has_indicator": ""}
    client.get(INBOX, params)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INBOX, params).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    report_submit_many(rows=rows[3:], channel="web", ctx=PUBLIC)
    assert queries() == few


def test_bulk_acknowledgement_goes_through_the_service_once_per_delivery(client, dic):
    a, b, c = (_report(f"Lừa đảo qua điện thoại #{i}") for i in range(3))
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    ids = [_dic_delivery(a).pk, _dic_delivery(b).pk]
    response = client.post(reverse("intake:inbox_acknowledge"), {"delivery": ids, "next": INBOX + "?status=waiting"})
    assert response.status_code == 302 and response["Location"] == INBOX + "?status=waiting"
    assert all(_dic_delivery(r).acknowledged_by == dic for r in (a, b))
    assert _dic_delivery(c).acknowledged_at is None
    assert AuditEvent.objects.filter(action="delivery.acknowledge", actor=dic).count() == 2
    assert {Report.objects.get(pk=r.pk).status for r in (a, b)} == {ReportStatus.ACKNOWLEDGED}
    # Again: nothing twice.
    client.post(reverse("intake:inbox_acknowledge"), {"delivery": ids})
    assert AuditEvent.objects.filter(action="delivery.acknowledge", actor=dic).count() == 2


def test_bulk_acknowledgement_of_anything_not_ours_changes_nothing(client, dic, outsider, dic_officer):
    a = _report("Lừa đảo qua điện thoại.")
    ours = _dic_delivery(a).pk
    police = Delivery.objects.filter(report=a).exclude(organisation__code="st-dic").first()
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    if police is not None:
        assert client.post(reverse("intake:inbox_acknowledge"), {"delivery": [ours, police.pk]}).status_code == 403
    assert not Delivery.objects.filter(acknowledged_at__isnull=False).exists()
    client.force_login(dic_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("intake:inbox_acknowledge"), {"delivery": [ours]}).status_code == 403
    client.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("intake:inbox_acknowledge"), {"delivery": [ours]}).status_code == 403
    assert not Delivery.objects.filter(acknowledged_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="delivery.acknowledge").exists()
    # Nothing chosen, or not a number: told so, nothing done.
    client.force_login(dic, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("intake:inbox_acknowledge"), {"delivery": ["x"]}, follow=True)
    assert "Choose the reports to acknowledge first." in response.content.decode()
    assert client.get(reverse("intake:inbox_acknowledge")).status_code == 405


def test_the_officer_sees_no_boxes_and_the_focal_point_does(client, dic, dic_officer):
    _report("Lừa đảo qua điện thoại.")
    assert 'name="delivery"' in _page(client, dic)
    html = _page(client, dic_officer)
    assert 'name="delivery"' not in html and 'data-testid="bulk-acknowledge"' not in html
