"""Idempotency keys (phoihop.api.idempotency): a retry replays the first answer and does nothing twice; the same
key with another request is a 422, while the first runs a 409; a refusal frees the key; keys expire in 24 h."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from django.utils import timezone
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from config.urls import urlpatterns as _site
from phoihop.api.base import OrganisationApiMixin
from phoihop.api.idempotency import ABANDONED_AFTER, HEADER, REPLAYED_HEADER, idempotent, sweep
from phoihop.api.models import IdempotencyRecord
from phoihop.audit.services import SYSTEM
from phoihop.core.errors import Invalid
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CALLS: list[dict] = []


class CountingView(OrganisationApiMixin, APIView):
    """Stands for any service: each run is counted; `{"refuse": true}` is refused like bad input."""

    parser_classes = [JSONParser, MultiPartParser]

    @idempotent
    def post(self, request):
        if request.data.get("refuse"):
            raise Invalid({"refuse": ["Refused."]})
        upload = request.FILES.get("file")
        CALLS.append({"n": len(CALLS) + 1, "file": upload.read().decode() if upload else None})
        return Response(
            {"run": len(CALLS), "at": timezone.now()}, status=201, headers={"Location": f"/x/{len(CALLS)}/"}
        )


urlpatterns = [path("api/v1/counting/", CountingView.as_view()), *_site]
URL = "/api/v1/counting/"


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def client_of(code: str) -> APIClient:
    _token, key = api_token_issue(organisation=Organisation.objects.get(code=code), name="test", ctx=SYSTEM)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def send(client: APIClient, body: dict, key: str | None = "k-1", **extra):
    headers = {HEADER: key} if key is not None else {}
    return client.post(URL, body, format="json", headers=headers, **extra)


def test_a_retry_replays_the_first_response_without_running_again():
    client = client_of("st-viettel")
    first = send(client, {"amount": 1, "note": "a"})
    assert first.status_code == 201 and REPLAYED_HEADER not in first
    again = send(client, {"note": "a", "amount": 1})  # the same body, keys in another order
    assert again.status_code == 201 and again[REPLAYED_HEADER] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"] == "/x/1/"
    assert len(CALLS) == 1
    assert send(client, {"amount": 1, "note": "a"}, key="k-2").json()["run"] == 2  # a new key is new work


def test_without_a_key_every_post_runs():
    client = client_of("st-viettel")
    send(client, {"a": 1}, key=None)
    send(client, {"a": 1}, key=None)
    assert len(CALLS) == 2 and not IdempotencyRecord.objects.exists()


def test_the_same_key_with_another_body_is_a_422_naming_the_key():
    client = client_of("st-viettel")
    send(client, {"amount": 1})
    refused = send(client, {"amount": 2})
    body = refused.json()
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert body["code"] == "idempotency_key_reused" and HEADER in body["errors"] and "POST" in body["detail"]
    assert len(CALLS) == 1


def test_a_retry_while_the_first_still_runs_is_a_409():
    client = client_of("st-viettel")
    send(client, {"amount": 1})
    IdempotencyRecord.objects.update(response_status=None, response_body="")  # as if still running
    refused = send(client, {"amount": 1})
    assert refused.status_code == 409 and refused.json()["code"] == "idempotency_key_in_use"
    assert len(CALLS) == 1
    # A first request left running by a process that died is taken over after a while.
    IdempotencyRecord.objects.update(created_at=timezone.now() - ABANDONED_AFTER - dt.timedelta(seconds=1))
    assert send(client, {"amount": 1}).status_code == 201 and len(CALLS) == 2


def test_keys_belong_to_the_organisation():
    send(client_of("st-viettel"), {"amount": 1})
    other = send(client_of("st-vnpt"), {"amount": 2})  # the same key string, another organisation
    assert other.status_code == 201 and REPLAYED_HEADER not in other and len(CALLS) == 2


def test_a_refusal_is_not_kept_so_the_corrected_request_may_use_the_key():
    client = client_of("st-viettel")
    assert send(client, {"refuse": True}).status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert send(client, {"amount": 1}).status_code == 201 and len(CALLS) == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "khóa"])
def test_a_bad_key_is_a_400(key):
    refused = client_of("st-viettel").post(
        URL, {"a": 1}, format="json", headers={HEADER: key.encode().decode("latin-1")}
    )
    assert refused.status_code == 400 and HEADER in refused.json()["errors"] and not CALLS


def test_a_refused_caller_never_reaches_the_key():
    refused = APIClient().post(URL, {"a": 1}, format="json", headers={HEADER: "k"})
    assert refused.status_code == 401 and not IdempotencyRecord.objects.exists()


def test_files_are_compared_by_content():
    client = client_of("st-viettel")

    def upload(content: bytes):
        file = SimpleUploadedFile("a.txt", content, content_type="text/plain")
        return client.post(URL, {"file": file, "note": "x"}, format="multipart", headers={HEADER: "f-1"})

    assert upload(b"one").status_code == 201 and CALLS[0]["file"] == "one"  # the view still reads the file
    assert upload(b"one")[REPLAYED_HEADER] == "true"
    assert upload(b"two").status_code == 422
    assert len(CALLS) == 1


def test_keys_expire_after_24_hours_and_the_sweep_forgets_them():
    client = client_of("st-viettel")
    send(client, {"amount": 1})
    send(client, {"amount": 1}, key="k-2")
    IdempotencyRecord.objects.filter(key="k-1").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # An expired key is a new key: the request runs again, even with another body.
    assert send(client, {"amount": 5}).status_code == 201 and len(CALLS) == 3
    IdempotencyRecord.objects.filter(key="k-2").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert sweep in hook_handlers(PERIODIC_SWEEP_HOOK)
    assert sweep() == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-1"]


def test_a_text_and_a_file_under_one_name_are_fingerprinted():
    client = client_of("st-viettel")
    body = {"file": [SimpleUploadedFile("a.txt", b"one"), "text"], "note": "x"}
    assert client.post(URL, body, format="multipart", headers={HEADER: "m-1"}).status_code == 201
