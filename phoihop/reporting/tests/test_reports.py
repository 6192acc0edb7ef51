"""A party's report (Đ18.2, Đ3.2): refusals name the section, the head signs it as an official document, the
figures are frozen at submission, a second report is refused and an amendment keeps the first version."""

from __future__ import annotations

import pytest

from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.documents.models import Document
from phoihop.reporting.choices import ReportStatus
from phoihop.reporting.models import PartyReport
from phoihop.reporting.services import REPORT_WORKFLOW, report_amend, report_save, report_start

from .conftest import SECTIONS, ctx

pytestmark = pytest.mark.django_db


def _ready(obligation, people, sections=SECTIONS):
    report = report_start(obligation=obligation, ctx=ctx(people["pc_focal"]))
    return report_save(report=report, sections=sections, ctx=ctx(people["pc_focal"]))


def test_an_empty_required_section_is_refused_naming_it(pc_obligation, people):
    report = _ready(pc_obligation, people, {**SECTIONS, "difficulties": "   "})
    with pytest.raises(Invalid) as err:
        REPORT_WORKFLOW.run("send", obj=report, ctx=ctx(people["pc_focal"]))
    assert "difficulties" in err.value.errors
    assert "Khó khăn, vướng mắc" in str(err.value.message)
    assert PartyReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_head_signs_it_as_an_official_document_with_frozen_figures(pc_obligation, people, keys):
    report = _ready(pc_obligation, people)
    report = REPORT_WORKFLOW.run("send", obj=report, ctx=ctx(people["pc_focal"]))
    assert report.status == ReportStatus.AWAITING_HEAD
    with pytest.raises(NotAllowed):  # Đ3.2: only its head
        REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["pc_focal"]))
    with pytest.raises(NotAllowed):  # nor another organisation's head
        REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["police_head"]))
    report = REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["pc_head"]))
    assert report.status == ReportStatus.SUBMITTED and report.signed_by == people["pc_head"]
    assert report.figures["reports"]["total"] == 0 and report.figures_as_of is not None
    doc = Document.objects.get(pk=report.document_id)
    assert doc.kind == "bao_cao" and doc.status == "sent" and doc.signed_by == people["pc_head"]
    assert doc.has_pdf and report.document_number == doc.reference
    assert list(doc.recipients.values_list("organisation__code", flat=True)) == ["st-dic"]
    assert "Khó khăn" in doc.body or "KHÓ KHĂN" in doc.body


def test_a_second_report_for_the_same_period_is_refused(pc_obligation, people, keys):
    report = _ready(pc_obligation, people)
    REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["pc_head"]))
    with pytest.raises(Conflict):
        report_start(obligation=pc_obligation, ctx=ctx(people["pc_officer"]))
    with pytest.raises(Conflict):
        REPORT_WORKFLOW.run("sign", obj=PartyReport.objects.get(pk=report.pk), ctx=ctx(people["pc_head"]))
    assert PartyReport.objects.filter(obligation=pc_obligation).count() == 1


def test_an_amendment_is_a_new_version_that_keeps_the_first(pc_obligation, people, keys):
    first = REPORT_WORKFLOW.run("sign", obj=_ready(pc_obligation, people), ctx=ctx(people["pc_head"]))
    frozen = dict(first.figures)
    second = report_amend(report=first, ctx=ctx(people["pc_focal"]))
    assert (second.version, second.amends_id, second.status) == (2, first.pk, ReportStatus.DRAFT)
    report_save(report=second, sections={"results": "Bổ sung: thêm 1 vụ việc."}, ctx=ctx(people["pc_focal"]))
    with pytest.raises(Conflict):  # the submitted version cannot be written to
        report_save(report=first, sections={"results": "changed"}, ctx=ctx(people["pc_focal"]))
    second = REPORT_WORKFLOW.run("sign", obj=PartyReport.objects.get(pk=second.pk), ctx=ctx(people["pc_head"]))
    first.refresh_from_db()
    assert first.status == ReportStatus.SUBMITTED and first.sections["results"] == SECTIONS["results"]
    assert first.figures == frozen and first.document_id != second.document_id
    with pytest.raises(Conflict):
        report_amend(report=first, ctx=ctx(people["pc_focal"]))


def test_without_a_signing_key_nothing_is_submitted(pc_obligation, people, var_dir):
    report = _ready(pc_obligation, people)
    with pytest.raises(Conflict):
        REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["pc_head"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.figures == {} and report.document_id is None
    assert not Document.objects.exists()


def test_only_the_organisation_writes_its_report(pc_obligation, people):
    with pytest.raises(NotAllowed):
        report_start(obligation=pc_obligation, ctx=ctx(people["police_focal"]))
    with pytest.raises(NotAllowed):
        report_start(obligation=pc_obligation, ctx=ctx(people["dic_focal"]))
    report = _ready(pc_obligation, people)
    with pytest.raises(NotAllowed):
        report_save(report=report, sections={"results": "x"}, ctx=ctx(people["dic_head"]))
    with pytest.raises(Invalid):
        report_save(report=report, sections={"nonsense": "x"}, ctx=ctx(people["pc_focal"]))
