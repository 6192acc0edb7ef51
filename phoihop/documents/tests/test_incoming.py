"""Registering a document received by hand: a PDF by its content; a broken signature refused with the reason;
the incoming register's next number; nothing written on a refusal."""

from __future__ import annotations

import pytest
from django.utils import timezone

from phoihop.cases.tests.factories import org
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.documents import services
from phoihop.documents.choices import DocumentKind, DocumentStatus, Origin, Verdict
from phoihop.documents.models import Document, DocumentRecipient
from phoihop.documents.render.pdf import render_pdf
from phoihop.documents.render.sheet import Sheet

from .helpers import ctx, signed

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def register(user, file, **extra):
    values = {
        "kind": DocumentKind.REPORT,
        "summary": "Kết quả xác minh thuê bao",
        "reference": "58/BC-VTST",
        "issuer": org("st-viettel"),
        **extra,
    }
    return services.document_register_incoming(ctx=ctx(user), organisation=user.organisation, file=file, **values)


def test_a_scan_gets_the_next_incoming_number(people):
    scan = render_pdf(Sheet("", "VIETTEL SÓC TRĂNG", "58/BC-VTST", "", "BÁO CÁO", "Kết quả", "Nội dung")).pdf
    doc = register(people["police_focal"], scan)
    assert doc.origin == Origin.PAPER and doc.status == DocumentStatus.RECEIVED and doc.verdict == Verdict.UNSIGNED
    entry = doc.recipients.get()
    assert (entry.organisation.code, entry.incoming_number, entry.incoming_year) == (
        "st-police",
        1,
        timezone.localdate().year,
    )
    assert register(people["police_focal"], scan).recipients.get().incoming_number == 2


def test_a_signed_pdf_is_verified_on_registration(people, demo_keys):
    pdf = bytes(signed(people["dic_focal"], people["dic_head"]).pdf)
    doc = register(people["doit_focal"], pdf, issuer=org("st-dic"), reference="1/STTTT-TTra")
    assert doc.verdict == Verdict.VALID and doc.verification["trust"] == "trusted"


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Invalid) as refused:
        register(people["police_focal"], SimpleUploadedFile("cong-van.pdf", PNG, content_type="application/pdf"))
    assert "file" in refused.value.errors and "not a PDF" in refused.value.errors["file"][0]
    assert not Document.objects.exists() and not DocumentRecipient.objects.exists()


def test_a_pdf_with_a_broken_signature_is_refused_with_the_reason(people, demo_keys):
    pdf = bytearray(signed(people["dic_focal"], people["dic_head"]).pdf)
    pdf[pdf.index(b"stream") + 40] ^= 0x01
    before = Document.objects.count()
    with pytest.raises(Invalid) as refused:
        register(people["police_focal"], bytes(pdf), issuer=org("st-dic"))
    assert "file" in refused.value.errors and "modified after signing" in refused.value.errors["file"][0]
    assert Document.objects.count() == before
    assert not DocumentRecipient.objects.filter(organisation__code="st-police", incoming_number__isnull=False).exists()


@pytest.mark.parametrize("field", ["summary", "reference", "issuer", "kind", "issued_on"])
def test_missing_fields_are_named(people, field):
    scan = render_pdf(Sheet("", "X", "", "", "", "Y", "Z")).pdf
    bad = {
        "summary": "",
        "reference": "",
        "issuer": None,
        "kind": "khac",
        "issued_on": timezone.localdate().replace(year=2999),
    }
    with pytest.raises(Invalid) as refused:
        register(people["police_focal"], scan, **{field: bad[field]})
    assert field in refused.value.errors
    assert not Document.objects.exists()


def test_only_focal_points_and_heads_register(people):
    scan = render_pdf(Sheet("", "X", "", "", "", "Y", "Z")).pdf
    for who in ("viettel", "dic_officer"):
        with pytest.raises(NotAllowed):
            register(people[who], scan)
