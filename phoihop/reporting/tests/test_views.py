"""The reporting pages: each object through its permission scope (out of scope = 404), refusals beside the field,
the journey of a party's report from the pages, and the DIC's consolidation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phoihop.reporting.choices import ReportStatus
from phoihop.reporting.models import AwarenessActivity, Difficulty, PartyReport
from phoihop.reporting.services import REPORT_WORKFLOW, difficulty_raise, report_save, report_start

from .conftest import SECTIONS, ctx

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_a_party_writes_and_its_head_signs_from_the_pages(client, period, people, keys, pc_obligation):
    _login(client, people["pc_focal"])
    page = client.get(reverse("reporting:period", args=[period.code]))
    assert page.status_code == 200 and b"start-report" in page.content
    response = client.post(reverse("reporting:report_begin", args=[pc_obligation.pk]))
    report = PartyReport.objects.get(obligation=pc_obligation)
    assert response.url == reverse("reporting:report", args=[report.pk])
    # A required section left empty: sending is refused naming it, nothing changes.
    client.post(reverse("reporting:report", args=[report.pk]), {**SECTIONS, "proposals": ""})
    response = client.post(reverse("reporting:report_move", args=[report.pk, "send"]), follow=True)
    assert "Đề xuất, kiến nghị" in response.content.decode()
    assert PartyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    client.post(reverse("reporting:report", args=[report.pk]), SECTIONS)
    client.post(reverse("reporting:report_move", args=[report.pk, "send"]))
    assert PartyReport.objects.get(pk=report.pk).status == ReportStatus.AWAITING_HEAD
    _login(client, people["pc_head"])
    page = client.get(reverse("reporting:report", args=[report.pk]))
    assert b"move-sign" in page.content and b"move-return" in page.content
    client.post(reverse("reporting:report_move", args=[report.pk, "sign"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.document_number
    # The DIC sees it submitted on the period's page, the others named as not yet due.
    _login(client, people["dic_focal"])
    page = client.get(reverse("reporting:period", args=[period.code])).content.decode()
    assert 'data-org="st-pc-vinh-chau" data-state="submitted"' in page
    assert 'data-org="st-police" data-state="due"' in page


def test_drafts_are_the_organisations_own(client, period, people, pc_obligation):
    report = report_start(obligation=pc_obligation, ctx=ctx(people["pc_focal"]))
    url = reverse("reporting:report", args=[report.pk])
    for name in ("dic_focal", "police_focal", "viettel"):
        assert _login(client, people[name]).get(url).status_code == 404
    assert _login(client, people["pc_officer"]).get(url).status_code == 200
    # The sysadmin and someone without an organisation see nothing of the cycle.
    for name in ("sysadmin", "outsider"):
        assert _login(client, people[name]).get(reverse("reporting:period", args=[period.code])).status_code == 404
    # Only the organisation's head may sign: a move posted by another person is refused, nothing changes.
    report_save(report=report, sections=SECTIONS, ctx=ctx(people["pc_focal"]))
    _login(client, people["pc_focal"]).post(reverse("reporting:report_move", args=[report.pk, "sign"]))
    assert PartyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_dic_sees_submitted_reports_of_all_parties(client, period, people, keys, pc_obligation):
    report = report_start(obligation=pc_obligation, ctx=ctx(people["pc_focal"]))
    report = report_save(report=report, sections=SECTIONS, ctx=ctx(people["pc_focal"]))
    REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["pc_head"]))
    assert _login(client, people["dic_focal"]).get(reverse("reporting:report", args=[report.pk])).status_code == 200
    assert _login(client, people["police_focal"]).get(reverse("reporting:report", args=[report.pk])).status_code == 404


def test_consolidation_by_the_dic_only(client, period, people, keys):
    url = reverse("reporting:consolidate", args=[period.code])
    _login(client, people["pc_head"]).post(url)
    _login(client, people["police_focal"]).post(url)
    assert not period.consolidations.exists()
    assert (
        _login(client, people["pc_head"])
        .get(reverse("reporting:consolidation_preview", args=[period.code]))
        .status_code
        == 404
    )
    _login(client, people["dic_head"]).post(url)
    item = period.consolidations.get()
    docx = client.get(reverse("reporting:consolidation_file", args=[item.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(reverse("reporting:consolidation_file", args=[item.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _login(client, people["pc_head"]).get(reverse("reporting:consolidation", args=[item.pk])).status_code == 404


def test_difficulties_need_to_know_and_the_dic_answers(client, people, today):
    item = difficulty_raise(what="Khó khăn", article="Đ14", proposal="Đề xuất", ctx=ctx(people["pc_focal"]))
    url = reverse("reporting:difficulty", args=[item.pk])
    assert _login(client, people["police_focal"]).get(url).status_code == 404
    _login(client, people["pc_focal"]).post(
        reverse("reporting:difficulty_move", args=[item.pk, "answer"]), {"move-answer-answer": "x"}
    )
    assert Difficulty.objects.get(pk=item.pk).status == "open"
    response = _login(client, people["dic_focal"]).post(
        reverse("reporting:difficulty_move", args=[item.pk, "accept"]), {"move-accept-answer": "Tiếp thu."}
    )
    assert response.status_code == 302 and Difficulty.objects.get(pk=item.pk).status == "accepted"
    # A form with a field missing is refused naming it, and nothing is written.
    response = _login(client, people["pc_focal"]).post(
        reverse("reporting:difficulties"), {"what": "x", "article": "", "proposal": "y"}
    )
    assert response.status_code == 400 and Difficulty.objects.count() == 1
    assert "Article concerned" in response.content.decode()
    page = client.get(reverse("reporting:rulesets")).content.decode()
    assert "Quyết định số 11/2013/QĐ-UBND" in page


def test_an_activity_file_is_checked_by_its_content(client, people, today):
    _login(client, people["pc_focal"])
    fake = SimpleUploadedFile("poster.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    data = {"kind": "campaign", "title": "Tuyên truyền", "held_on": "2026-06-01", "audience": "Người dân", "file": fake}
    response = client.post(reverse("reporting:activities"), data)
    assert response.status_code == 400 and not AwarenessActivity.objects.exists()
    pdf = SimpleUploadedFile("poster.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = client.post(reverse("reporting:activities"), {**data, "file": pdf})
    assert response.status_code == 302
    item = AwarenessActivity.objects.get()
    assert item.held_on == dt.date(2026, 6, 1) and item.file_type == "application/pdf"
    assert client.get(reverse("reporting:activity_file", args=[item.pk])).status_code == 200
    assert _login(client, people["sysadmin"]).get(reverse("reporting:activity_file", args=[item.pk])).status_code == 404


def test_the_period_page_does_not_query_per_party(client, period, people, keys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, people["dic_focal"])
    url = reverse("reporting:period", args=[period.code])
    client.get(url)  # warm the per-process caches (rule set, function holders)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for org_code, writer, head in [
        ("st-pc-vinh-chau", "pc_focal", "pc_head"),
        ("st-police", "police_focal", "police_head"),
    ]:
        obligation = period.obligations.get(organisation__code=org_code)
        report = report_save(
            report=report_start(obligation=obligation, ctx=ctx(people[writer])),
            sections=SECTIONS,
            ctx=ctx(people[writer]),
        )
        REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people[head]))
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert page.content.decode().count('data-state="submitted"') == 2
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]
