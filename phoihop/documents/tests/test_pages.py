"""The documents pages: registers, the head's queue and signing from it, the document page with its
verification, drafting with a field named on refusal, downloads, the case panel, 404 out of scope."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import open_case, submit_report
from phoihop.documents.choices import DocumentStatus
from phoihop.documents.models import Document

from .helpers import ctx, draft, sent

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_head_signs_from_the_queue_and_the_page_says_valid(people, demo_keys):
    from phoihop.documents import services

    doc = services.document_submit(ctx=ctx(people["dic_focal"]), document=draft(people["dic_focal"]))
    head = browser(people["dic_head"])
    queue = head.get("/documents/to-sign/")
    assert queue.status_code == 200 and f'data-document="{doc.pk}"' in queue.content.decode()
    done = head.post(f"/documents/{doc.pk}/move/sign/", {"next": "queue"})
    assert done.status_code == 302 and done["Location"] == "/documents/to-sign/"
    assert "Nothing awaits your signature." in head.get("/documents/to-sign/").content.decode()
    head.post(f"/documents/{doc.pk}/move/send/")
    page = head.get(f"/documents/{doc.pk}/").content.decode()
    assert 'data-verdict="valid"' in page and "1/STTTT-TTra" in page
    assert head.get(f"/documents/{doc.pk}/pdf/").content.startswith(b"%PDF-")
    assert head.get(f"/documents/{doc.pk}/docx/").content.startswith(b"PK")


def test_the_queue_is_the_heads_only(people):
    assert browser(people["dic_focal"]).get("/documents/to-sign/").status_code == 403


def test_registers_list_what_went_out_and_came_in(people, demo_keys):
    doc = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",))
    out = browser(people["dic_focal"]).get("/documents/?register=outgoing").content.decode()
    assert f'data-document="{doc.pk}"' in out
    incoming = browser(people["police_focal"]).get("/documents/").content.decode()
    assert f'data-document="{doc.pk}"' in incoming and 'data-verdict="valid"' in incoming
    assert f'data-document="{doc.pk}"' not in browser(people["doit_focal"]).get("/documents/").content.decode()
    assert browser(people["doit_focal"]).get(f"/documents/{doc.pk}/").status_code == 404


def test_drafting_on_the_page_names_the_missing_field(people):
    client = browser(people["dic_focal"])
    assert client.get("/documents/new/").status_code == 200
    answer = client.post(
        "/documents/new/",
        {"kind": "cong_van", "summary": "V/v phối hợp", "body": "Nội dung", "signer_position": "GIÁM ĐỐC"},
    )
    assert answer.status_code == 400
    assert "Name at least one recipient" in answer.content.decode()
    assert not Document.objects.exists()
    police = str(__import__("phoihop.cases.tests.factories", fromlist=["org"]).org("st-police").pk)
    made = client.post(
        "/documents/new/",
        {
            "kind": "cong_van",
            "summary": "V/v phối hợp",
            "body": "Nội dung",
            "signer_position": "GIÁM ĐỐC",
            "recipients": [police],
        },
    )
    doc = Document.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/documents/{doc.pk}/"
    assert browser(people["dic_focal"]).get(f"/documents/{doc.pk}/pdf/").content.startswith(b"%PDF-")  # the preview
    client.post(f"/documents/{doc.pk}/move/submit/")
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.SUBMITTED


def test_the_case_page_shows_its_documents(people, demo_keys):
    case = open_case(people["dic_focal"], submit_report())
    doc = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",), case=case)
    page = browser(people["dic_focal"]).get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="case-documents"' in page and f'data-document="{doc.pk}"' in page


def test_a_view_of_a_restricted_cases_document_is_audited(people, demo_keys):
    case = open_case(people["dic_focal"], submit_report(), access_level="restricted")
    from phoihop.cases.models import CaseMember

    CaseMember.objects.get_or_create(case=case, user=people["dic_focal"])
    doc = sent(people["dic_focal"], people["dic_head"], recipients=("st-police",), case=case)
    assert browser(people["dic_focal"]).get(f"/documents/{doc.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="document.view", object_id=str(doc.pk)).count() == 1
    # The Police received it, but the case is restricted and nobody of theirs is named on it.
    assert browser(people["police_focal"]).get(f"/documents/{doc.pk}/").status_code == 404
