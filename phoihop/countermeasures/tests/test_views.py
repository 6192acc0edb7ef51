"""The pages: the case page's panel and its request button, the request form (a misfit refused beside the field,
nothing written), the carrier's queue and a move from the page; out of scope is a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.countermeasures.models import Countermeasure

from .conftest import LEGAL, request_block

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_offers_the_request_to_the_leads_staff_only(world):
    page = _as(world.cast.dic_focal).get(f"/cases/{world.case.reference}/")
    assert page.status_code == 200 and b'data-testid="cm-request"' in page.content
    page = _as(world.cast.police_focal).get(f"/cases/{world.case.reference}/")  # a hub, not the lead
    assert page.status_code == 200 and b'data-testid="cm-request"' not in page.content
    assert _as(world.cast.police_focal).get(f"/countermeasures/new/{world.case.reference}/").status_code == 404


def test_a_request_from_the_page_and_a_misfit_refused_beside_its_field(world):
    client = _as(world.cast.dic_focal)
    url = f"/countermeasures/new/{world.case.reference}/"
    form = client.get(url)
    assert form.status_code == 200 and b"+84912345678" in form.content and b"st-bank-demo" in form.content
    bad = client.post(
        url,
        {"indicator": world.phone.pk, "action": "freeze_account", "target": "st-bank-demo", "legal_basis": LEGAL},
    )
    assert bad.status_code == 400 and not Countermeasure.objects.exists()
    assert "Bank account" in bad.context["form"].errors["action"][0]
    good = client.post(
        url, {"indicator": world.phone.pk, "action": "block_number", "target": "st-viettel", "legal_basis": LEGAL}
    )
    assert good.status_code == 302 and good["Location"].endswith(f"/cases/{world.case.reference}/#countermeasures")
    cm = Countermeasure.objects.get()
    page = client.get(f"/cases/{world.case.reference}/")
    assert cm.reference.encode() in page.content and b'data-status="requested"' in page.content


def test_the_carrier_works_its_queue_in_the_page(world):
    cm = request_block(world)
    carrier = _as(world.cast.viettel)
    queue = carrier.get("/countermeasures/")
    assert queue.status_code == 200 and cm.reference.encode() in queue.content
    assert _as(world.cast.vnpt).get("/countermeasures/").content.count(cm.reference.encode()) == 0
    assert _as(world.cast.vnpt).get(f"/countermeasures/{cm.reference}/").status_code == 404
    page = carrier.get(f"/countermeasures/{cm.reference}/")
    assert page.status_code == 200 and b'data-testid="move-acknowledge"' in page.content
    assert b'data-testid="move-lift"' not in page.content
    done = carrier.post(f"/countermeasures/{cm.reference}/move/acknowledge/")
    assert done.status_code == 302
    missing = carrier.post(f"/countermeasures/{cm.reference}/move/execute/", {"move-execute-executed_at": ""})
    assert missing.status_code == 400 and Countermeasure.objects.get(pk=cm.pk).status == "acknowledged"
    refused = _as(world.cast.dic_focal).post(f"/countermeasures/{cm.reference}/move/acknowledge/")
    assert refused.status_code in (403, 409)
    # The case page of the requester shows the state; the case itself stays hidden from the carrier.
    assert b'data-status="acknowledged"' in _as(world.cast.dic_focal).get(f"/cases/{world.case.reference}/").content
    assert carrier.get(f"/cases/{world.case.reference}/").status_code == 404


def test_the_queue_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    request_block(world)
    client = _as(world.cast.viettel)
    client.get("/countermeasures/")
    with django_assert_max_num_queries(20):
        client.get("/countermeasures/")


def test_the_indicator_page_shows_the_measures_and_offers_a_request_from_the_lead(world):
    cm = request_block(world)
    url = "/reports/indicators/phone/+84912345678/"
    page = _as(world.cast.dic_focal).get(url)
    assert page.status_code == 200
    assert b'data-testid="indicator-countermeasures"' in page.content and cm.reference.encode() in page.content
    assert f"/countermeasures/new/{world.case.reference}/?indicator={world.phone.pk}".encode() in page.content
    hub = _as(world.cast.police_focal).get(url)  # sees the measure, may not request on DIC's case
    assert cm.reference.encode() in hub.content and b"cm-request-from-indicator" not in hub.content


def test_a_signed_document_of_the_case_is_the_legal_basis(world):
    from phoihop.documents.models import Document

    signed = Document.objects.create(
        organisation=world.cast.dic_focal.organisation,
        kind="cong_van",
        status="signed",
        reference="215/STTTT-TTra",
        summary="V/v đề nghị chặn thuê bao lừa đảo",
        created_by=world.cast.dic_focal,
        case=world.case,
    )
    draft = Document.objects.create(
        organisation=world.cast.dic_focal.organisation,
        kind="cong_van",
        summary="Dự thảo",
        created_by=world.cast.dic_focal,
        case=world.case,
    )
    from phoihop.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        request_block(world, document=draft)
    assert "document" in refused.value.errors and not Countermeasure.objects.exists()
    cm = request_block(world, document=signed)
    page = _as(world.cast.viettel).get(f"/countermeasures/{cm.reference}/")
    assert b"215/STTTT-TTra" in page.content  # the carrier reads the number, without access to the document
