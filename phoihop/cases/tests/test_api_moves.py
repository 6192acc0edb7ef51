"""Workflow moves through the API: the same move objects as the pages, so the same people, input and refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from config.urls import urlpatterns as _site
from phoihop.cases.choices import CaseStatus
from phoihop.cases.models import Case

from .factories import make_cast, open_case, submit_report

pytestmark = pytest.mark.django_db

urlpatterns = [path("api/v1/", include("phoihop.cases.api.urls")), *_site]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, case: Case, name: str, **data):
    return client.post(f"/api/v1/cases/{case.reference}/moves/{name}/", data, content_type="application/json")


@pytest.mark.urls(__name__)
def test_moves_through_the_api():
    cast = make_cast()
    case = open_case(cast.dic_focal, submit_report())
    dic = client_for(cast.dic_focal)
    detail = dic.get(f"/api/v1/cases/{case.reference}/").json()
    assert detail["moves"] == ["verify", "close"]

    assert post(client_for(cast.police_focal), case, "verify").status_code == 403  # a hub that does not lead
    done = post(dic, case, "verify")
    assert done.status_code == 200 and done.json()["status"] == CaseStatus.VERIFYING
    assert post(dic, case, "verify").status_code == 409  # not from "verifying"

    missing = post(dic, case, "transfer", receiving_police_unit="st-police-investigation")
    assert missing.status_code == 400 and "transfer_dossier" in missing.content.decode()
    moved = post(dic, case, "transfer", receiving_police_unit="st-police-investigation", transfer_dossier="HS-7")
    body = moved.json()
    assert moved.status_code == 200 and body["status"] == CaseStatus.TRANSFERRED
    assert body["receiving_police_unit"]["code"] == "st-police-investigation" and body["transfer_dossier"] == "HS-7"
    assert Case.objects.get(pk=case.pk).police_transfer.recorded_by == cast.dic_focal

    assert post(dic, case, "archive").status_code == 404
    assert post(client_for(cast.viettel), case, "close", outcome="unfounded").status_code == 404  # never seen
