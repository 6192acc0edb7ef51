"""The report page, the inbox and an API create read a bounded number of queries (no query per row).

Raise a bound only with a reason: each query here is paid by every officer who opens a page, or by every
report a carrier's feed sends.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from phoihop.audit.services import SYSTEM, AuditContext
from phoihop.directory.models import Organisation, User
from phoihop.directory.services import api_token_issue
from phoihop.intake.choices import Channel
from phoihop.intake.services import (
    ContactInput,
    IndicatorInput,
    ReportInput,
    report_follow_up,
    report_submit,
    report_submit_many,
)

pytestmark = pytest.mark.django_db

MAX_REPORT_PAGE_QUERIES = 26  # 23 measured (SQLite), with 2 or 16 indicators alike
MAX_INBOX_PAGE_QUERIES = 11  # 9 measured, any page
MAX_API_CREATE_QUERIES = 44  # 40 measured, with 1 or 20 indicators alike
PUBLIC = AuditContext(label="public")
PASSWORD = "a-long-test-password-1"
SCAM = "Có người gọi từ số lạ giả danh công an, yêu cầu chuyển tiền vào tài khoản để 'xác minh'."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def signed_in_focal(client, org_code: str = "st-dic"):
    user = User.objects.create_user(
        username=f"{org_code}.focal",
        password=PASSWORD,
        organisation=Organisation.objects.get(code=org_code),
        role="focal_point",
    )
    client.force_login(user)
    return user


def busy_report(n: int):
    """A report with `n` indicators, files and follow-ups, and its reporter's contact."""
    data = ReportInput(
        description=SCAM,
        behaviour="13.4",
        area="st-vinh-chau",
        indicators=[IndicatorInput("phone", f"09123456{i:02d}") for i in range(n)]
        + [IndicatorInput("bank_account", f"00710001234{i:02d}", bank="VCB") for i in range(n)],
        contact=ContactInput(name="Lê Thị Hoa", phone="0909 123 456", consent=True),
        files=[SimpleUploadedFile(f"anh-{i}.png", PNG + bytes([i])) for i in range(min(n, 10))],
    )
    report = report_submit(data=data, channel=Channel.WEB, ctx=PUBLIC).report
    for i in range(n):
        report_follow_up(report=report, text=f"Họ gọi lại lần {i}", ctx=PUBLIC)
    return report


def test_the_report_page_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    signed_in_focal(client)
    few, many = busy_report(1), busy_report(8)
    client.get(reverse("intake:detail", args=[few.reference]))  # warm the reference-data caches
    for report in (few, many):
        with django_assert_max_num_queries(MAX_REPORT_PAGE_QUERIES):
            response = client.get(reverse("intake:detail", args=[report.reference]))
        assert response.status_code == 200 and report.reference in response.content.decode()


def test_the_inbox_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    signed_in_focal(client)
    rows = [ReportInput(description=f"{SCAM} #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(60)]
    report_submit_many(rows=rows, channel=Channel.WEB, ctx=PUBLIC)  # more than a page
    client.get(reverse("intake:inbox"))
    for page in ("1", "2"):
        with django_assert_max_num_queries(MAX_INBOX_PAGE_QUERIES):
            response = client.get(reverse("intake:inbox"), {"page": page})
        assert response.status_code == 200


def test_an_api_create_writes_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    _token, key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="feed", ctx=SYSTEM)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {
        "behaviour": "13.4",
        "area": "st-vinh-chau",
        "description": SCAM,
        "indicators": [{"kind": "phone", "value": f"09123456{i:02d}"} for i in range(20)],
    }
    api.post("/api/v1/reports/", {**body, "external_ref": "warm"}, format="json")
    with django_assert_max_num_queries(MAX_API_CREATE_QUERIES):
        response = api.post("/api/v1/reports/", {**body, "external_ref": "Q-1"}, format="json")
    assert response.status_code == 201, response.content
