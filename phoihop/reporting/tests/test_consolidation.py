"""The consolidated report (Đ18.1): its total is the statistics API's, missing parties are named, the DOCX opens
with python-docx and LibreOffice, the head's consolidation is a signed PDF; the CLI gives the same total."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from phoihop.cases.tests.factories import submit_report
from phoihop.core.errors import NotAllowed
from phoihop.dashboards.statistics import report_statistics
from phoihop.directory.services import api_token_issue
from phoihop.reporting.models import Consolidation
from phoihop.reporting.selectors.consolidation import consolidated_figures
from phoihop.reporting.services import REPORT_WORKFLOW, report_save, report_start
from phoihop.reporting.services.consolidation import consolidation_docx, consolidation_make

from .conftest import SECTIONS, ctx

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_in_period(period):
    """Three reports received inside 2026-H1 and one just after it (1 July, outside)."""
    made = []
    for day, behaviour, area in [
        (dt.datetime(2026, 2, 3, 9), "13.4", "st-vinh-chau"),
        (dt.datetime(2026, 5, 20, 15), "15.4", "st-tran-de"),
        (dt.datetime(2026, 6, 30, 23, 30), "13.4", "st-vinh-chau"),
        (dt.datetime(2026, 7, 1, 0, 30), "13.4", "st-vinh-chau"),
    ]:
        report = submit_report(behaviour=behaviour, area=area)
        when = timezone.make_aware(day)
        type(report).objects.filter(pk=report.pk).update(created_at=when)
        report.deliveries.update(delivered_at=when)
        made.append(report)
    _rebuild_aggregates()
    return made


def _rebuild_aggregates():
    """The dashboards' daily aggregates follow the moved dates (as the dashboards' own rebuild does)."""
    from phoihop.dashboards.aggregates import aggregates_rebuild

    aggregates_rebuild()


def _submit(obligation, writer, head):
    report = report_start(obligation=obligation, ctx=ctx(writer))
    report = report_save(report=report, sections=SECTIONS, ctx=ctx(writer))
    return REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(head))


def test_the_total_is_the_statistics_apis_and_missing_parties_are_named(period, people, keys, reports_in_period):
    _submit(period.obligations.get(organisation__code="st-pc-vinh-chau"), people["pc_focal"], people["pc_head"])
    figures = consolidated_figures(period)
    expected = report_statistics(date_from=period.starts_on, date_to=period.ends_on)["total"]
    assert figures["province"]["total"] == expected == 3
    assert figures["submitted"] == 1 and figures["obliged"] == period.obligations.count()
    # Not yet due on 3 July: nobody is missing, everyone else is "not yet due" (named, never zero).
    assert figures["missing"] == [] and len(figures["not_yet_due"]) == figures["obliged"] - 1
    states = {p["code"]: p["state"] for p in figures["parties"]}
    assert states["st-pc-vinh-chau"] == "submitted" and states["st-police"] == "due"


def test_after_the_due_date_the_parties_that_did_not_report_are_named(period, people, keys, clock):
    _submit(period.obligations.get(organisation__code="st-pc-vinh-chau"), people["pc_focal"], people["pc_head"])
    clock.set(dt.date(2026, 7, 15))
    _submit(period.obligations.get(organisation__code="st-viettel"), people["viettel"], people["viettel_head"])
    figures = consolidated_figures(period)
    assert figures["late"] == ["Viettel Sóc Trăng (Chi nhánh Viettel Sóc Trăng)"]
    assert "Công an tỉnh Sóc Trăng" in figures["missing"]
    assert "Ủy ban nhân dân thị xã Vĩnh Châu" not in figures["missing"]
    assert len(figures["missing"]) == figures["obliged"] - 2


def test_the_docx_opens_with_python_docx_and_libreoffice(period, people, keys, reports_in_period, tmp_path):
    import docx

    data = consolidation_docx(figures=consolidated_figures(period))
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in cells
    assert cells[0] == "UBND TỈNH SÓC TRĂNG\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH SÓC TRĂNG"
    assert "Sóc Trăng, ngày 03 tháng 07 năm 2026" in cells
    assert "BÁO CÁO" in text and "Tổng số tin báo tiếp nhận trong kỳ: 3." in text
    assert any(c.startswith("Số:") for c in cells) and cells[-2].startswith("Nơi nhận:")
    assert doc.styles["Normal"].font.name == "Times New Roman"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is required: ./run test installs it")
    src = tmp_path / "consolidated.docx"
    src.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "consolidated.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_the_heads_consolidation_is_signed_and_frozen(period, people, keys, reports_in_period):
    with pytest.raises(NotAllowed):
        consolidation_make(period=period, ctx=ctx(people["pc_head"]))
    item = consolidation_make(period=period, ctx=ctx(people["dic_head"]))
    assert item.version == 1 and item.figures["province"]["total"] == 3
    assert item.document.signed_at and item.document.has_pdf and item.document_number
    submit_report()  # a report arriving later does not change what was frozen
    item.refresh_from_db()
    assert item.figures["province"]["total"] == 3
    draft = consolidation_make(period=period, ctx=ctx(people["dic_focal"]))
    assert draft.version == 2 and draft.document.signed_at is None  # waits for the head's signature


def test_the_cli_prints_the_statistics_apis_total(period, people, keys, reports_in_period, tmp_path, capsys, client):
    out = tmp_path / "bao-cao.docx"
    call_command("reporting", "consolidate", "--period", period.code, "--out", str(out))
    printed = capsys.readouterr().out
    # The DIC is a hub (Đ5.2): every report is delivered to it, so its statistics API total is the province's.
    key = api_token_issue(organisation=people["dic_focal"].organisation, name="t", ctx=ctx(people["dic_focal"]))[1]
    api = client.get(
        f"/api/v1/statistics/?from={period.starts_on}&to={period.ends_on}&group_by=sector",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert api.status_code == 200 and api.json()["total"] == 3
    assert f"total={api.json()['total']}" in printed and out.read_bytes()[:2] == b"PK"
    pdf = tmp_path / "bao-cao.pdf"
    call_command("reporting", "consolidate", "--period", period.code, "--out", str(pdf), "--as", "dic.head")
    assert pdf.read_bytes().startswith(b"%PDF") and Consolidation.objects.filter(period=period).count() == 1
