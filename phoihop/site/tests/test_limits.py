"""Request bodies refused from their headers, before Django reads or parses them (phoihop.site.limits)."""

from __future__ import annotations

import os

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse

from phoihop.cases.models import EVIDENCE_FILES_AT_ONCE, CaseEvidence, Task
from phoihop.cases.services import task_create
from phoihop.cases.tests.factories import ctx, make_cast, open_case, org, submit_report
from phoihop.intake.services import MAX_FILES
from phoihop.site.limits import body_limit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _post(client, path: str, *, length: int | None, **extra):
    meta = {"CONTENT_LENGTH": "" if length is None else str(length), **extra}
    return client.generic("POST", path, b"x" * 10, content_type="multipart/form-data; boundary=b", **meta)


def test_an_oversized_report_form_is_refused_before_csrf_or_parsing(settings):
    client = Client(enforce_csrf_checks=True)  # a parsed, unprotected post would be a 403 instead
    limit = settings.EVIDENCE_MAX_BYTES * MAX_FILES + MB
    response = _post(client, reverse("intake:public_report"), length=limit + 1)
    assert response.status_code == 413
    assert 'data-testid="request-refused"' in response.content.decode()
    assert f"at most {MAX_FILES} files" in response.content.decode()
    # Under the limit the request goes on to Django (here: refused by CSRF, as before).
    assert client.post(reverse("intake:public_report"), {"description": "x"}).status_code == 403
    assert _post(client, reverse("intake:new_report"), length=limit + 1).status_code == 413


def test_the_refusal_page_is_in_vietnamese_by_default():
    response = _post(Client(), reverse("intake:public_report"), length=10**10, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 413 and '<html lang="vi">' in response.content.decode()


def test_a_chunked_body_without_length_is_refused_on_limited_paths(client):
    response = _post(client, reverse("intake:public_report"), length=None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    api = _post(client, "/api/v1/reports/", length=None, HTTP_TRANSFER_ENCODING="chunked")
    assert api.status_code == 411 and api["Content-Type"] == "application/problem+json"


def test_the_json_api_takes_one_megabyte_and_answers_with_problem_details(client):
    response = _post(client, "/api/v1/reports/", length=MB + 1)
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 413 and body["code"] == "too_large" and "1.0" in body["detail"]
    assert _post(client, "/api/v1/reports/", length=MB).status_code == 401  # on to the API: no token


def test_imports_take_the_import_limit(client):
    from phoihop.intake.imports import MAX_BYTES

    path = reverse("api:report-import")
    assert _post(client, path, length=MAX_BYTES).status_code == 401  # more than JSON's limit, still allowed
    assert _post(client, path, length=MAX_BYTES + MB).status_code == 413


def test_other_pages_are_left_to_django_s_own_limits():
    assert body_limit(reverse("login")) is None and body_limit("/cases/") is None


def test_the_public_form_budget_is_spent_before_the_body_is_parsed(client, settings, monkeypatch):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_attempt": "2/hour"},
    }
    parsed = []
    real_parse = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or real_parse(self))
    path = reverse("intake:public_report")
    for _ in range(2):
        assert client.post(path, {"description": ""}).status_code == 200
    assert len(parsed) == 2
    response = client.post(path, {"description": ""})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert len(parsed) == 2  # refused from the headers: the body was never parsed
    assert client.post(path, {"description": ""}, REMOTE_ADDR="198.51.100.7").status_code == 200


# --- Files on a case and on a task's result (the cases app's own count of files per upload) -----------------


def _case_uploads():
    """A DIC case with an open task, and the four paths that take files on it (page and API)."""
    cast = make_cast()
    case = open_case(cast.dic_focal, submit_report())
    task = task_create(case=case, title="Chụp màn hình", organisation=org("st-dic"), ctx=ctx(cast.dic_focal))
    paths = {
        "page evidence": (reverse("cases:evidence_add", args=[case.reference]), "evidence-files"),
        "page task result": (reverse("cases:task_complete", args=[case.reference, task.pk]), f"task-{task.pk}-files"),
        "api evidence": (reverse("api:case-evidence-add", args=[case.reference]), "files"),
        "api task result": (reverse("api:case-task-complete", args=[case.reference, task.pk]), "files"),
    }
    return cast, case, paths


def test_case_uploads_take_the_cases_count_of_files_and_other_case_pages_keep_their_limits(settings):
    _cast, case, paths = _case_uploads()
    limit = settings.EVIDENCE_MAX_BYTES * EVIDENCE_FILES_AT_ONCE + MB
    assert {name: body_limit(path) for name, (path, _field) in paths.items()} == dict.fromkeys(paths, limit)
    assert body_limit(reverse("cases:note_add", args=[case.reference])) is None
    assert body_limit(reverse("cases:detail", args=[case.reference])) is None
    assert body_limit("/cases/VV26-NOPE/evidence/extra/") is None
    assert body_limit(reverse("api:case-note-add", args=[case.reference])) == MB  # the API's JSON limit


def test_an_oversized_case_upload_gets_413_before_it_is_read_and_nothing_is_stored(settings, monkeypatch):
    settings.EVIDENCE_MAX_BYTES = 1000  # ten files of 1000 bytes and the margin: a little over 1 MB in all
    cast, case, paths = _case_uploads()
    parsed = []
    real_parse = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or real_parse(self))
    client = Client()
    client.force_login(cast.dic_focal)
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (MB + 64 * 1024)
    for name, (path, field) in paths.items():
        response = client.post(path, {field: SimpleUploadedFile("big.png", big), "result": "Xong"})
        assert response.status_code == 413, name
        if name.startswith("api"):
            assert response["Content-Type"] == "application/problem+json" and response.json()["code"] == "too_large"
        else:
            html = response.content.decode()
            assert 'data-testid="request-refused"' in html and f"at most {EVIDENCE_FILES_AT_ONCE} files" in html
    assert parsed == []  # refused from the headers: no body was read
    assert not CaseEvidence.objects.exists() and Task.objects.get(case=case).done_at is None
    location = storages["evidence"].location
    assert not any(files for _root, _dirs, files in os.walk(location))
