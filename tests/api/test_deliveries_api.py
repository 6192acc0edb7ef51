"""The deliveries API (phoihop/inbox/api): my pending deliveries, and their acknowledgement one by one or many
at once, through the inbox's service (the same people as the inbox page, each audited); all or none in bulk.
(Here, not in phoihop/inbox/tests: a delivery needs a report, which the inbox app may not import.)"""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import make_cast, submit_report
from phoihop.inbox.models import Delivery

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, key: str | None = None, **data):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/{url}", data, content_type="application/json", headers=headers)


@pytest.fixture
def cast():
    return make_cast()


def dic_deliveries(n: int) -> list[Delivery]:
    reports = [submit_report() for _ in range(n)]
    return list(Delivery.objects.filter(report__in=reports, organisation__code="st-dic").order_by("pk"))


def acknowledged(*deliveries: Delivery) -> list[bool]:
    return [Delivery.objects.get(pk=d.pk).acknowledged_at is not None for d in deliveries]


def test_my_pending_deliveries(cast):
    first, second = dic_deliveries(2)
    listed = client_for(cast.dic_focal).get("/api/v1/deliveries/")
    body = listed.json()
    assert listed.status_code == 200 and [d["id"] for d in body["results"]] == [first.pk, second.pk]
    assert body["results"][0]["report"] == first.report.reference and body["results"][0]["organisation"] == "st-dic"
    Delivery.objects.filter(pk=first.pk).update(acknowledged_at=first.delivered_at)
    assert [d["id"] for d in client_for(cast.dic_focal).get("/api/v1/deliveries/").json()["results"]] == [second.pk]
    # Another organisation's inbox is its own; an enterprise's account has none.
    assert second.pk not in [d["id"] for d in client_for(cast.doit_focal).get("/api/v1/deliveries/").json()["results"]]
    assert client_for(cast.viettel).get("/api/v1/deliveries/").json()["results"] == []
    assert client_for(cast.outsider).get("/api/v1/deliveries/").status_code == 403
    assert Client().get("/api/v1/deliveries/").status_code in {401, 403}


def test_acknowledge_one(cast):
    (delivery,) = dic_deliveries(1)
    url = f"deliveries/{delivery.pk}/acknowledge/"
    assert post(client_for(cast.doit_focal), url).status_code == 404  # another organisation's
    assert acknowledged(delivery) == [False]
    done = post(client_for(cast.dic_focal), url, key="a-1")
    assert done.status_code == 200 and done.json()["acknowledged_by"] == "dic.focal"
    assert post(client_for(cast.dic_focal), url, key="a-1")["Idempotent-Replayed"] == "true"
    assert post(client_for(cast.dic_focal), url).status_code == 200  # again: nothing changed
    assert AuditEvent.objects.filter(action="delivery.acknowledge", object_id=str(delivery.pk)).count() == 1
    assert post(client_for(cast.dic_focal), "deliveries/999999/acknowledge/").status_code == 404


def test_an_officer_may_not_acknowledge(cast):
    from phoihop.cases.tests.factories import make_user

    officer = make_user("dic.officer", "st-dic", "officer", "Cán Bộ")
    (delivery,) = dic_deliveries(1)
    assert post(client_for(officer), f"deliveries/{delivery.pk}/acknowledge/").status_code == 403
    assert post(client_for(officer), "deliveries/acknowledge/", deliveries=[delivery.pk]).status_code == 403
    assert acknowledged(delivery) == [False]


def test_acknowledge_many_all_or_none(cast):
    first, second, third = dic_deliveries(3)
    dic = client_for(cast.dic_focal)
    assert post(dic, "deliveries/acknowledge/", deliveries=[]).status_code == 400
    assert post(dic, "deliveries/acknowledge/", deliveries=["x"]).status_code == 400
    assert post(dic, "deliveries/acknowledge/", deliveries=list(range(1, 102))).status_code == 400
    foreign = Delivery.objects.exclude(organisation__code="st-dic").first()
    refused = post(dic, "deliveries/acknowledge/", deliveries=[first.pk, foreign.pk])
    assert refused.status_code == 400 and str(foreign.pk) in refused.json()["errors"]["deliveries"][0]
    assert acknowledged(first, foreign) == [False, False]

    post(dic, f"deliveries/{second.pk}/acknowledge/")
    done = post(dic, "deliveries/acknowledge/", key="b-1", deliveries=[first.pk, second.pk, third.pk])
    body = done.json()
    assert (
        done.status_code == 200
        and body["acknowledged"] == 2
        and [d["id"] for d in body["deliveries"]]
        == [
            first.pk,
            second.pk,
            third.pk,
        ]
    )
    assert acknowledged(first, second, third) == [True, True, True]
    replay = post(dic, "deliveries/acknowledge/", key="b-1", deliveries=[first.pk, second.pk, third.pk])
    assert replay.json() == body and replay["Idempotent-Replayed"] == "true"
    assert post(dic, "deliveries/acknowledge/", key="b-1", deliveries=[first.pk]).status_code == 422
