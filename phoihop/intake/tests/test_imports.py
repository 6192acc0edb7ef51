"""Bulk import as a carrier's fraud desk uses it: a file of numbers in, one result per row out."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from phoihop.audit.services import SYSTEM
from phoihop.directory.models import Organisation
from phoihop.directory.services import api_token_issue
from phoihop.indicators.models import Indicator
from phoihop.intake import imports
from phoihop.intake.choices import Channel
from phoihop.intake.models import ImportBatch, Report

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/reports/import/"
FIXTURES = Path(__file__).parent / "fixtures"
CSV_FILE = FIXTURES / "carrier_fraud_numbers.csv"
JSON_FILE = FIXTURES / "carrier_fraud_numbers.json"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


@pytest.fixture
def viettel() -> APIClient:
    _token, key = api_token_issue(
        organisation=Organisation.objects.get(code="st-viettel"), name="fraud feed", ctx=SYSTEM
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def upload(client: APIClient, content: bytes, *, key: str | None = "batch-1", name: str = "numbers.csv"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)}, format="multipart", **headers)


def xlsx_of_the_csv() -> bytes:
    """The fixture's rows as a workbook, with real date cells where Excel would make them."""
    book = openpyxl.Workbook()
    sheet = book.active
    rows = list(csv.reader(io.StringIO(CSV_FILE.read_text(encoding="utf-8"))))
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list = list(row)
        if cells[2] == "2025-01-10 14:30":
            cells[2] = dt.datetime(2025, 1, 10, 14, 30)
        sheet.append([c if c != "" else None for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def assert_the_fixture_result(body: dict) -> None:
    """5 rows: 1, 2 and 4 are good; 3 has an unknown violation; 5 is wrong in three places."""
    assert body["rows"] == 5 and body["created"] == 3 and body["existing"] == 0
    assert [r["row"] for r in body["results"]] == [1, 2, 4] and all(r["created"] for r in body["results"])
    errors = {e["row"]: e["errors"] for e in body["errors"]}
    assert list(errors) == [3, 5]
    assert "99.9" in errors[3]["behaviour"][0]
    assert {"area", "occurred_at", "description"} <= set(errors[5])
    assert Report.objects.filter(channel=Channel.BULK).count() == 3


def test_csv_with_two_bad_rows_keeps_the_three_good_ones(viettel):
    response = upload(viettel, CSV_FILE.read_bytes())

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["batch"] == "batch-1" and body["format"] == "csv"
    assert_the_fixture_result(body)
    by_row = {r["row"]: Report.objects.get(reference=r["reference"]) for r in body["results"]}
    assert by_row[1].external_ref == "VT-FRAUD-001"
    # No reference in the file: the fingerprint of the row's content stands for it.
    assert by_row[4].external_ref == imports.row_fingerprint(imports.parse_file(CSV_FILE.read_bytes()).rows[3].data)
    assert by_row[4].external_ref.startswith("fp:") and len(by_row[4].external_ref) == 35
    assert by_row[1].area.code == "st-vinh-chau" and by_row[2].area.code == "st-tran-de"
    assert by_row[2].occurred_at.date() == dt.date(2025, 1, 11)  # dd/mm/yyyy
    assert by_row[1].reporter_organisation.code == "st-viettel"
    assert {d.organisation.code for d in by_row[1].deliveries.all()} >= {"st-dic", "st-police", "st-police-vinh-chau"}
    assert ImportBatch.objects.get().created_count == 3


def test_xlsx_with_the_same_content_gives_the_same_result(viettel):
    response = upload(viettel, xlsx_of_the_csv(), name="numbers.xlsx")
    assert response.status_code == 200, response.json()
    assert response.json()["format"] == "xlsx"
    assert_the_fixture_result(response.json())


def test_json_with_the_same_content_gives_the_same_result(viettel):
    # The name says .txt: the type is read from the content.
    response = upload(viettel, JSON_FILE.read_bytes(), name="numbers.txt")
    assert response.status_code == 200, response.json()
    assert response.json()["format"] == "json"
    assert_the_fixture_result(response.json())


def test_a_retry_with_the_same_key_returns_the_same_body_and_imports_nothing(viettel):
    first = upload(viettel, CSV_FILE.read_bytes())
    again = upload(viettel, CSV_FILE.read_bytes())
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Report.objects.count() == 3 and ImportBatch.objects.count() == 1


def test_rows_with_their_own_reference_are_not_created_again_under_a_new_key(viettel):
    upload(viettel, CSV_FILE.read_bytes(), key="batch-1")
    body = upload(viettel, CSV_FILE.read_bytes().replace(b"\n13.2,", b"\n13.2 ,"), key="batch-2").json()
    # Rows 1 and 2 carry their own references, row 4 the fingerprint of its content: all already received.
    assert body["existing"] == 3 and body["created"] == 0
    assert Report.objects.count() == 3


def test_the_same_key_with_a_different_file_is_409(viettel):
    upload(viettel, CSV_FILE.read_bytes())
    response = upload(viettel, JSON_FILE.read_bytes())
    assert response.status_code == 409
    assert "batch-1" in response.json()["errors"]["non_field_errors"][0]
    assert Report.objects.count() == 3


def test_an_unknown_file_type_is_400(viettel):
    response = upload(viettel, PNG, name="numbers.csv")
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not ImportBatch.objects.exists()


def test_a_header_only_csv_is_an_empty_import(viettel):
    response = upload(viettel, b"behaviour,area,description,phone\r\n")
    assert response.status_code == 200
    assert response.json()["rows"] == 0 and response.json()["created"] == 0 and response.json()["errors"] == []


def test_a_csv_with_a_bom_semicolons_and_vietnamese_area_names(viettel):
    decomposed = unicodedata.normalize("NFD", "Thị xã Vĩnh Châu")  # as a Mac may save it
    text = (
        "Hành vi;Area;Description;Phone\r\n"
        "13.4;Vĩnh Châu;Gọi điện giả danh nhân viên nhà mạng để lấy mã OTP;0912 345 678\r\n"
        f'13.4;{decomposed};Nhắn tin lừa đảo cài ứng dụng giả mạo ngân hàng;"0987 654 321; 0912345678"\r\n'
    )
    response = upload(viettel, codecs.BOM_UTF8 + text.encode())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["created"] == 2 and body["errors"] == [] and body["ignored_columns"] == ["Hành vi"]
    reports = Report.objects.filter(reference__in=[r["reference"] for r in body["results"]])
    assert {r.area.code for r in reports} == {"st-vinh-chau"}


def test_rows_sharing_a_phone_number_are_correlated(viettel):
    upload(viettel, CSV_FILE.read_bytes())
    # Rows 1 and 4 write +84912345678 two ways; row 5 (refused) does not count.
    assert Indicator.objects.get(kind="phone", value="+84912345678").report_count == 2
    assert not Indicator.objects.filter(kind="phone", value="+84911222333").exists()


def test_the_key_is_required_and_may_come_as_a_form_field(viettel):
    response = upload(viettel, CSV_FILE.read_bytes(), key=None)
    assert response.status_code == 400 and response.json()["errors"]["Idempotency-Key"]
    response = viettel.post(
        IMPORT, {"file": SimpleUploadedFile("n.csv", CSV_FILE.read_bytes()), "key": "form-key"}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["batch"] == "form-key"


def test_missing_file_non_multipart_and_no_token(viettel):
    assert viettel.post(IMPORT, {}, format="multipart", HTTP_IDEMPOTENCY_KEY="k").json()["errors"]["file"]
    assert viettel.post(IMPORT, [{"description": "x"}], format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 415
    assert upload(APIClient(), CSV_FILE.read_bytes()).status_code == 401


def test_size_and_row_limits(viettel, monkeypatch):
    monkeypatch.setattr(imports.formats, "MAX_ROWS", 4)
    response = upload(viettel, CSV_FILE.read_bytes(), key="too-many")
    assert response.status_code == 400 and "4" in response.json()["errors"]["file"][0]
    monkeypatch.setattr(imports.formats, "MAX_BYTES", 100)
    response = upload(viettel, CSV_FILE.read_bytes(), key="too-big")
    assert response.status_code == 400 and "large" in response.json()["errors"]["file"][0]
    assert not Report.objects.exists()


def test_the_documented_format_matches_the_limits_and_columns():
    assert "10 MB" in imports.FORMAT_HELP and f"{imports.MAX_ROWS:,} rows" in imports.FORMAT_HELP
    for column in (*imports.REPORT_COLUMNS, *imports.INDICATOR_COLUMNS, imports.BANK_COLUMN):
        assert f"`{column}`" in imports.FORMAT_HELP, column


def test_json_rows_that_are_not_objects_and_cells_that_are_not_text(viettel):
    content = json.dumps(
        [
            "not an object",
            {"description": "Gọi điện lừa đảo nhận quà tri ân khách hàng", "phone": ["0912345678", "0987654321"]},
            {"description": {"nested": True}, "area": "st-vinh-chau"},
        ]
    ).encode()
    body = upload(viettel, content).json()
    assert body["created"] == 1 and [r["row"] for r in body["results"]] == [2]
    errors = {e["row"]: e["errors"] for e in body["errors"]}
    assert errors[1]["non_field_errors"] and errors[3]["description"]


def test_import_reports_command(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="issue-api-token"):
        call_command("import_reports", str(CSV_FILE), "--org", "st-viettel", stdout=out)
    api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="desk", ctx=SYSTEM)

    # Rows 3 and 5 fail: the good rows are kept and the command exits 1, so a script notices.
    with pytest.raises(CommandError, match="2 rows were not imported") as failed:
        call_command("import_reports", str(CSV_FILE), "--org", "st-viettel", stdout=out)
    assert failed.value.returncode == 1
    text = out.getvalue()
    assert "row 1: created TB" in text and "row 3: ERROR behaviour:" in text and "row 5: ERROR" in text
    assert "5 rows (csv): 3 created, 0 existing, 2 with errors" in text
    report = Report.objects.get(external_ref="VT-FRAUD-001")
    assert report.channel == Channel.BULK and report.submitted_by.username == "api@st-viettel"

    again = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(CSV_FILE), "--org", "st-viettel", stdout=again)
    assert "imported before" in again.getvalue() and Report.objects.count() == 3

    png = tmp_path / "photo.png"
    png.write_bytes(PNG)
    with pytest.raises(CommandError, match="CSV"):
        call_command("import_reports", str(png), "--org", "st-viettel", stdout=out)


# --- Strict CSV, encodings and fingerprints (a corrected or re-encoded file never duplicates) ---------------

GOOD_ROWS = [
    ("13.4", "Vĩnh Châu", "Thuê bao gọi giả danh công an, yêu cầu chuyển tiền vào tài khoản lạ", "0912 345 678"),
    ("13.4", "st-tran-de", "Tin nhắn mạo danh ngân hàng kèm đường dẫn đăng nhập giả mạo", "0987 111 222"),
]


def csv_text(rows, sep: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(["behaviour", "area", "description", "phone"])
    writer.writerows(rows)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed vowels, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
            out += base.encode("cp1258") + "".join(m for m in parts[1:] if m in tones).encode("cp1258")
    return out


def test_an_unclosed_quote_is_refused_naming_the_line_not_merged_into_one_report(viettel):
    text = csv_text(GOOD_ROWS).replace('"Thuê bao', '"Thuê bao').replace('lạ",', "lạ,", 1)
    assert text.count('"') % 2 == 1  # one quote opened and never closed
    response = upload(viettel, text.encode())
    assert response.status_code == 400
    assert "line" in response.json()["errors"]["file"][0]
    assert not Report.objects.exists()


def test_a_row_with_too_few_cells_is_refused_naming_it(viettel):
    text = csv_text(GOOD_ROWS) + "13.4,Vĩnh Châu\r\n"
    body = upload(viettel, text.encode()).json()
    assert body["created"] == 2
    assert [e["row"] for e in body["errors"]] == [3]
    assert "2 cells but the header has 4" in body["errors"][0]["errors"]["non_field_errors"][0]


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode(), id="utf-8 with a BOM"),
        pytest.param(lambda t: csv_text(GOOD_ROWS, sep=";").encode(), id="semicolons"),
        pytest.param(cp1258, id="windows-1258"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16"),
    ],
)
def test_the_same_rows_re_encoded_under_a_new_key_create_nothing_new(viettel, encode):
    first = upload(viettel, csv_text(GOOD_ROWS).encode(), key="first").json()
    assert first["created"] == 2 and first["encoding"] == "utf-8"

    again = upload(viettel, encode(csv_text(GOOD_ROWS)), key="second").json()
    assert again["errors"] == [] and again["created"] == 0 and again["existing"] == 2
    assert {r["reference"] for r in again["results"]} == {r["reference"] for r in first["results"]}
    assert Report.objects.count() == 2


def test_a_windows_1258_file_is_read_and_named(viettel):
    body = upload(viettel, cp1258(csv_text(GOOD_ROWS))).json()
    assert body["created"] == 2 and body["encoding"] == "cp1258"
    assert Report.objects.filter(description__startswith="Thuê bao gọi giả danh công an").exists()


def test_a_corrected_file_creates_only_the_rows_that_failed(viettel):
    bad = [*GOOD_ROWS, ("99.9", "Vĩnh Châu", "Số lạ gọi đe dọa khách hàng nhiều lần trong đêm", "0988 000 111")]
    first = upload(viettel, csv_text(bad).encode(), key="monday").json()
    assert first["created"] == 2 and [e["row"] for e in first["errors"]] == [3]

    fixed = [*GOOD_ROWS, ("13.4", *bad[2][1:])]
    second = upload(viettel, csv_text(fixed).encode(), key="monday-fixed").json()
    assert second["created"] == 1 and second["existing"] == 2 and second["errors"] == []
    assert Report.objects.count() == 3


def test_bytes_no_encoding_can_read_are_refused_naming_the_line(viettel):
    content = csv_text(GOOD_ROWS).encode() + "13.4,Vĩnh Châu,".encode() + bytes(range(0x80, 0xA0)) * 4 + b",0912\r\n"
    response = upload(viettel, content)
    assert response.status_code == 400
    message = response.json()["errors"]["file"][0]
    assert "line 4" in message and "UTF-8" in message
    assert not Report.objects.exists()
