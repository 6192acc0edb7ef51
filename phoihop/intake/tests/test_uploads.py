"""Evidence files that would run something are refused, each with its name and the reason, and nothing is kept."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.intake.tests.test_views import district_police, make_user  # noqa: F401 (fixtures)
from phoihop.intake.uploads import UploadRejected, check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(_upload(name, content))
    return str(caught.value.message)


def test_a_zip_of_photos_and_notes_is_accepted():
    checked = check_upload(_upload("anh-chup.zip", _zip({"tin-nhan.png": PNG, "ghi-chu.txt": "Tin nhắn".encode()})))
    assert checked.content_type == "application/zip"


@pytest.mark.parametrize("inner", ["hoa-don.exe", "setup.MSI", "run.sh", "app.apk", "x.js", "tools/a.jar"])
def test_a_zip_holding_a_program_by_name_is_refused(inner):
    message = _refusal("bang-chung.zip", _zip({"anh.png": PNG, inner: b"harmless bytes"}))
    assert "bang-chung.zip" in message and inner.rsplit("/", 1)[-1] in message and "program" in message


@pytest.mark.parametrize("magic", [b"MZ\x90\x00", b"\x7fELF\x02\x01", b"#!/bin/sh\n"])
def test_a_zip_holding_a_program_under_another_name_is_refused(magic):
    message = _refusal("bang-chung.zip", _zip({"anh-dep.png": magic + b"\0" * 100}))
    assert "bang-chung.zip" in message and "anh-dep.png" in message


def test_a_compression_bomb_is_refused_by_its_ratio():
    message = _refusal("bom.zip", _zip({"zeros.txt": b"\0" * (20 * 1024 * 1024)}))
    assert "bom.zip" in message and "bomb" in message


def test_an_archive_that_unpacks_past_the_limit_is_refused(settings, monkeypatch):
    monkeypatch.setattr("phoihop.intake.uploads.ARCHIVE_MAX_UNPACKED", 1000)
    message = _refusal("lon.zip", _zip({"a.txt": b"x" * 2000}, compression=zipfile.ZIP_STORED))
    assert "lon.zip" in message and "too large" in message


def test_an_archive_in_an_archive_is_accepted_but_not_deeper():
    inner = _zip({"anh.png": PNG})
    assert check_upload(_upload("hai-lop.zip", _zip({"trong.zip": inner})))
    message = _refusal("ba-lop.zip", _zip({"giua.zip": _zip({"trong.zip": inner})}))
    assert "ba-lop.zip" in message and "deep" in message


def test_a_program_inside_a_nested_archive_is_found():
    message = _refusal("hai-lop.zip", _zip({"trong.zip": _zip({"virus.scr": b"x"})}))
    assert "virus.scr" in message


def test_a_damaged_archive_is_refused():
    good = _zip({"anh.png": PNG})
    assert "damaged" in _refusal("hong.zip", good[:40] + b"\0" * 40)


def _pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def test_a_plain_pdf_is_accepted():
    image = b"<< /Type /XObject /Subtype /Image /Length 12 >>\nstream\n/JS /Launch \nendstream"
    assert check_upload(_upload("don.pdf", _pdf(CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>", image)))


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        (b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
        (b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS 5 0 R >> >>", "JavaScript"),
        (b"<< /S /Launch /F (cmd.exe) >>", "launch"),
        (b"<< /Names << /EmbeddedFiles 6 0 R >> >>", "embedded file"),
        (b"<< /S /J#61vaScript /J#53 (x) >>", "JavaScript"),  # names written with #xx escapes
    ],
)
def test_a_pdf_that_runs_or_carries_something_is_refused(obj, reason):
    message = _refusal("don-to-cao.pdf", _pdf(CATALOG, obj))
    assert "don-to-cao.pdf" in message and reason in message


def test_a_script_hidden_in_a_compressed_object_stream_is_found():
    packed = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    objstm = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
    message = _refusal("nen.pdf", _pdf(CATALOG, objstm + packed + b"\nendstream"))
    assert "nen.pdf" in message and "JavaScript" in message


@pytest.mark.django_db
def test_a_refused_file_refuses_the_report_and_keeps_nothing(client, settings):
    from django.urls import reverse

    from phoihop.intake.models import Evidence, Report

    storage = settings.STORAGES["evidence"]["OPTIONS"]["location"]
    response = client.post(
        reverse("intake:public_report"),
        {"description": "Họ gửi tệp lạ qua Zalo", "files": _upload("hoa-don.zip", _zip({"hoa-don.exe": b"MZ"}))},
    )
    assert response.status_code == 200
    assert "hoa-don.zip" in response.content.decode()
    assert not Report.objects.exists() and not Evidence.objects.exists()
    from pathlib import Path

    assert not [p for p in Path(storage).rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_an_evidence_download_keeps_its_sandbox_policy_under_the_site_policy(client, district_police):  # noqa: F811
    from django.urls import reverse

    from phoihop.intake.tests.test_views import png_bytes, signed_in, submit

    submitted = submit(files=[SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")])
    evidence = submitted.report.evidence.get()
    response = signed_in(client, district_police).get(
        reverse("intake:evidence", args=[submitted.report.reference, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
