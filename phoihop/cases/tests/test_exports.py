"""Exports of the case list: the filtered list as CSV (streamed) and XLSX, within the permission scope,
each one recorded in the audit log with its filters and row count; formulas never leak into a sheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import audit_verify
from phoihop.cases.choices import AccessLevel
from phoihop.cases.exports import safe_cell

from .test_views import client_for, fraud_report, make_cast, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def _csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # spreadsheet programs then read the accents right
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def _xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_csv_export_of_the_filtered_list_is_audited(cast):
    vinh_chau = open_case(cast.dic_focal, title="Lừa đảo Vĩnh Châu")
    open_case(
        cast.dic_focal, title="Web giả mạo", reports=[fraud_report(area="st-soc-trang", behaviour="15.4", phone="")]
    )
    response = client_for(cast.dic_focal).get(
        reverse("cases:list"), {"area": "st-vinh-chau", "format": "csv", "page": "3"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Case number", "Title", "Status"]
    assert [r[0] for r in rows[1:]] == [vinh_chau.reference]  # the filters apply, not the page
    assert rows[1][1] == "Lừa đảo Vĩnh Châu" and rows[1][5] == "Sở TTTT"
    event = AuditEvent.objects.get(action="case.export")
    assert event.actor_id == cast.dic_focal.pk
    assert event.data == {"format": "csv", "filters": {"area": "st-vinh-chau"}, "rows": 1, "restricted": []}
    assert audit_verify().ok


def test_xlsx_export_has_the_same_rows(cast):
    cases = [open_case(cast.dic_focal, title=f"Vụ {i}", reports=[fraud_report(phone="")]) for i in range(3)]
    response = client_for(cast.dic_head).get(reverse("cases:list"), {"format": "xlsx", "sort": "oldest"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = _xlsx_rows(response)
    assert rows[0][0] == "Case number" and [r[0] for r in rows[1:]] == [c.reference for c in cases]
    assert rows[1][1] == "Vụ 0"
    assert AuditEvent.objects.get(action="case.export").data["rows"] == 3


def test_exports_stay_within_the_permission_scope(cast):
    seen = open_case(cast.dic_focal, title="Công khai")
    hidden = open_case(
        cast.dic_head, title="Hạn chế", access_level=AccessLevel.RESTRICTED, reports=[fraud_report(phone="")]
    )
    rows = _csv_rows(client_for(cast.police_focal).get(reverse("cases:list"), {"format": "csv"}))
    refs = {r[0] for r in rows[1:]}
    assert seen.reference in refs and hidden.reference not in refs
    # Whoever may see the restricted case exports it, and the record names it (an export is a view).
    rows = _csv_rows(client_for(cast.dic_head).get(reverse("cases:list"), {"format": "csv"}))
    assert hidden.reference in {r[0] for r in rows[1:]}
    record = AuditEvent.objects.filter(action="case.export", actor=cast.dic_head).get()
    assert record.data["restricted"] == [hidden.reference] and record.data["rows"] == 2


def test_only_focal_points_heads_and_hub_coordinators_export(cast):
    open_case(cast.dic_focal)
    for user in (cast.dic_officer, cast.carrier):
        assert client_for(user).get(reverse("cases:list"), {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="case.export").exists()
    # A filter that cannot be applied never widens an export.
    response = client_for(cast.dic_focal).get(reverse("cases:list"), {"format": "csv", "sector": "no-such"})
    assert response.status_code == 400 and not AuditEvent.objects.filter(action="case.export").exists()
    # The link is offered only to those who may use it.
    assert 'data-testid="export-csv"' not in client_for(cast.dic_officer).get(reverse("cases:list")).content.decode()
    assert 'data-testid="export-csv"' in client_for(cast.dic_hub).get(reverse("cases:list")).content.decode()


def test_a_title_never_becomes_a_formula(cast):
    open_case(cast.dic_focal, title='=HYPERLINK("http://evil.example","bấm")')
    c = client_for(cast.dic_focal)
    rows = _csv_rows(c.get(reverse("cases:list"), {"format": "csv"}))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","bấm")'
    book = load_workbook(io.BytesIO(b"".join(c.get(reverse("cases:list"), {"format": "xlsx"}).streaming_content)))
    cell = book.active["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil.example","bấm")'
    assert safe_cell("+84 123") == "'+84 123" and safe_cell("Lừa đảo") == "Lừa đảo" and safe_cell(5) == 5
