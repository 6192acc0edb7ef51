"""The intake pages as their users meet them: citizens, focal points, enterprises and outsiders."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.indicators.models import Indicator
from phoihop.intake.choices import Channel, ReporterType, ReportStatus
from phoihop.intake.models import Evidence, FollowUp, Report, ReporterContact, ReportIndicator
from phoihop.intake.services import (
    ContactInput,
    IndicatorInput,
    ReportInput,
    report_submit,
    report_submit_many,
    report_track,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"
PUBLIC = AuditContext(label="public")
SCAM = "Có người gọi từ số lạ giả danh công an, yêu cầu chuyển tiền vào tài khoản để 'xác minh'."


# --- The cast -----------------------------------------------------------------------------------------


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, org_code: str, role: str = "focal_point"):
        return django_user_model.objects.create_user(
            username=username,
            password=PASSWORD,
            organisation=Organisation.objects.get(code=org_code),
            role=role,
        )

    return make


@pytest.fixture
def dic_focal(make_user):
    """A focal point of the DIC, one of the two hubs (Đ5.2)."""
    return make_user("dic.focal", "st-dic")


@pytest.fixture
def district_police(make_user):
    """A focal point of the Vĩnh Châu police: receives Đ13 reports from its district, but is no hub."""
    return make_user("vc.focal", "st-police-vinh-chau")


@pytest.fixture
def outsider(make_user):
    """A focal point of the Department of Industry and Trade, which a scam call is not sent to."""
    return make_user("doit.focal", "st-doit")


@pytest.fixture
def carrier(make_user):
    return make_user("viettel.reporter", "st-viettel", role="enterprise_reporter")


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Helpers ------------------------------------------------------------------------------------------


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real, tiny PNG image."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def png_upload(name: str = "anh-chup.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def yesterday() -> str:
    return (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides) -> dict:
    """A correct public report as the browser posts it; overrides with None remove a field."""
    data = {
        "sector": "",
        "behaviour": "13.4",
        "area": "st-vinh-chau",
        "address": "Ấp Biển Trên",
        "occurred_at": yesterday(),
        "description": SCAM,
        "indicator-TOTAL_FORMS": "3",  # the formset's management form, as the page renders it
        "indicator-INITIAL_FORMS": "0",
        "indicator-0-kind": "phone",
        "indicator-0-value": "0912 345 678",
        "indicator-0-bank": "",
        "indicator-1-kind": "bank_account",
        "indicator-1-value": "0071000123456",
        "indicator-1-bank": "VCB",
        "indicator-2-kind": "phone",
        "indicator-2-value": "",
        "indicator-2-bank": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(
    *,
    contact: bool = False,
    files=(),
    description: str = SCAM,
    behaviour: str | None = "13.4",
    area: str | None = "st-vinh-chau",
    ctx: AuditContext = PUBLIC,
    external_ref: str = "",
):
    """A report received through the services (for the tests that are not about the form)."""
    return report_submit(
        data=ReportInput(
            description=description,
            behaviour=behaviour,
            area=area,
            indicators=[IndicatorInput("phone", "0912 345 678")],
            contact=ContactInput(name="Nguyễn Văn An", phone="0909 123 456", email="an@example.vn", consent=True)
            if contact
            else None,
            files=list(files),
            external_ref=external_ref,
        ),
        channel=Channel.WEB,
        ctx=ctx,
    )


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Report, Indicator, ReportIndicator, Evidence, Delivery)}


def evidence_files(settings) -> list[Path]:
    folder = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def block(html: str, element_id: str) -> str:
    """The markup of the element with `element_id`, up to the end of its first </div> or </fieldset>."""
    start = html.index(f'id="{element_id}"')
    end = min(i for i in (html.find("</div>", start), html.find("</fieldset>", start)) if i != -1)
    return html[start:end]


def page_of(client, reference: str) -> str:
    return client.get(reverse("intake:detail", args=[reference])).content.decode()


PUBLIC_URL = reverse("intake:public_report")
TRACK_URL = reverse("intake:track")


# --- The public form ----------------------------------------------------------------------------------


def test_the_public_form_needs_no_account_and_offers_everything_a_citizen_needs(client):
    html = client.get(PUBLIC_URL).content.decode()
    assert '<html lang="en">' in html  # the unit tests run in English (conftest); e2e checks Vietnamese
    assert re.search(r'<option value=""( selected)?>Not sure</option>', html)  # left to the authorities
    assert '<optgroup label="Telecommunications">' in html and 'value="13.4"' in html and "Đ13.4" in html
    assert 'value="st-vinh-chau"' in html and "Thị xã Vĩnh Châu" in html
    assert 'type="datetime-local"' in html
    assert html.count("data-indicator-row ") >= 4  # three rows and the template for more
    assert 'name="files"' in html and "multiple" in html and ".png" in html
    assert "91/2025" in html and "13/2023" in html  # the personal-data notice
    assert 'name="consent"' in html
    hp = re.search(r"<input[^>]*name=\"website\"[^>]*>", html).group(0)
    assert 'class="hp"' in hp and 'tabindex="-1"' in hp and 'autocomplete="off"' in hp
    assert 'hx-get="/reports/new/violations/"' in html
    assert 'name="on_behalf_of"' not in html and 'name="external_ref"' not in html


def test_choosing_a_sector_narrows_the_violations(client):
    response = client.get(reverse("intake:behaviour_options"), {"sector": "printing", "behaviour": "13.4"})
    html = response.content.decode()
    assert html.startswith("<select") and 'id="id_behaviour"' in html
    assert 'value="16.1"' in html and 'value="13.4"' not in html
    assert re.search(r'<option value=""( selected)?>Not sure</option>', html)  # back to "not sure"
    assert " selected" not in html.replace('<option value="" selected>', "")


def test_a_citizen_reports_and_gets_a_tracking_code_and_secret(client, settings):
    image = png_bytes()
    response = client.post(
        PUBLIC_URL,
        {**form_data(), "files": [SimpleUploadedFile("anh-chup.png", image, content_type="image/png")]},
        follow=True,
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.behaviour.code, report.area.code, report.channel, report.reporter_type) == (
        "13.4",
        "st-vinh-chau",
        Channel.WEB,
        ReporterType.PUBLIC,
    )
    assert report.submitted_by is None
    recipients = set(report.deliveries.values_list("organisation__code", flat=True))
    assert {"st-dic", "st-police", "st-police-vinh-chau"} <= recipients
    values = set(report.indicator_links.values_list("indicator__value", flat=True))
    assert {"+84912345678", "VCB:0071000123456"} <= values
    evidence = report.evidence.get()
    assert evidence.sha256 == hashlib.sha256(image).hexdigest()
    assert len(evidence_files(settings)) == 1

    html = response.content.decode()
    code = re.search(r'data-testid="tracking-code">([^<]+)<', html).group(1)
    secret = re.search(r'data-testid="tracking-secret">([^<]+)<', html).group(1)
    assert code == report.reference
    assert report_track(reference=code, secret=secret) == report
    assert 'data-status="received"' in html
    assert f"Sent to {len(recipients)} agencies" in html
    assert "Vĩnh Châu Town Police" in html and "Đ13" in html
    assert not ReporterContact.objects.exists()  # left anonymous

    # A reload (or a phone restoring its tabs) shows the receipt again in the same browser, and it downloads.
    again = client.get(reverse("intake:receipt"))
    assert again.status_code == 200 and secret in again.content.decode() and code in again.content.decode()
    download = client.get(reverse("intake:receipt_download"))
    assert download["Content-Disposition"] == f'attachment; filename="{code}.txt"'
    assert code in download.content.decode() and secret in download.content.decode()
    assert "no-store" in again["Cache-Control"] or "no-cache" in again["Cache-Control"]
    # Another browser never sees it; after 24 hours this one does not either.
    stranger = Client().get(reverse("intake:receipt"), follow=True)
    assert secret not in stranger.content.decode() and stranger.redirect_chain[-1][0] == TRACK_URL
    later_now = timezone.now() + dt.timedelta(hours=25)
    with mock.patch("phoihop.intake.views.public.timezone.now", return_value=later_now):
        later = client.get(reverse("intake:receipt"), follow=True)
    assert secret not in later.content.decode() and later.redirect_chain[-1][0] == TRACK_URL


def test_contact_details_with_consent_are_kept_apart(client):
    client.post(PUBLIC_URL, form_data(contact_name="Lê Thị Hoa", contact_phone="0909 123 456", consent="on"))
    contact = Report.objects.get().contact
    assert (contact.name, contact.phone) == ("Lê Thị Hoa", "0909 123 456")
    assert contact.consent_version


WRONG_FIELDS = [
    ("description", {"description": "ngắn quá"}, "field-description", "at least 10 characters"),
    ("unknown behaviour", {"behaviour": "99.9"}, "field-behaviour", "Choose a violation from the list"),
    ("behaviour of another sector", {"sector": "printing"}, "field-behaviour", "does not belong to the chosen sector"),
    ("unknown place", {"area": "atlantis"}, "field-area", "Choose a place from the list"),
    (
        "time in the future",
        {"occurred_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
        "field-occurred_at",
        "cannot be in the future",
    ),
    ("time that is no time", {"occurred_at": "hôm qua"}, "field-occurred_at", "Enter the day and the time"),
    ("address too long", {"address": "x" * 301}, "field-address", "The address is too long"),
    ("indicator of no kind", {"indicator-0-kind": "pigeon"}, "indicator-0-error", "Choose what this is"),
    ("indicator too long", {"indicator-0-value": "0" * 501}, "indicator-0-error", "The value is too long"),
    ("contact without consent", {"contact_phone": "0909 123 456"}, "field-consent", "agree to how they will be used"),
    ("bad e-mail", {"contact_email": "an-at-example", "consent": "on"}, "field-contact_email", "valid e-mail"),
    ("e-mail with no domain", {"contact_email": "hoa@", "consent": "on"}, "field-contact_email", "valid e-mail"),
    ("bad phone", {"contact_phone": "12", "consent": "on"}, "field-contact_phone", "valid phone number"),
]


@pytest.mark.parametrize(("case", "change", "where", "message"), WRONG_FIELDS, ids=[c[0] for c in WRONG_FIELDS])
def test_each_wrong_field_is_explained_beside_it_and_nothing_is_saved(client, settings, case, change, where, message):
    before = counts()
    response = client.post(PUBLIC_URL, {**form_data(**change), "files": [png_upload()]})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in block(html, where), f"{case}: message not beside the field"
    assert re.search(r'<div class="error-summary" role="alert"[^>]*id="error-summary"', html)
    assert message in block(html, "error-summary")
    assert 'aria-invalid="true"' in html
    assert counts() == before
    # The file is kept for the next attempt, in the temporary area only, and listed with a "remove" box.
    assert [p.parent.name for p in evidence_files(settings)] == ["held"]
    assert "anh-chup.png" in block(html, "field-files") or "anh-chup.png" in html
    assert 'name="held_remove"' in html and 'name="held_token"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_identifier_rows_without_the_formset_count_are_refused_not_dropped(client):
    before = counts()
    html = client.post(PUBLIC_URL, form_data(**{"indicator-TOTAL_FORMS": None})).content.decode()
    assert "cut short" in block(html, "indicators") and "cut short" in block(html, "error-summary")
    assert counts() == before


def test_everything_wrong_at_once_is_listed_at_once(client):
    response = client.post(PUBLIC_URL, form_data(description="", area="atlantis", contact_email="x", consent=None))
    summary = block(response.content.decode(), "error-summary")
    assert "at least 10 characters" in summary
    assert "Choose a place from the list" in summary
    assert "agree to how they will be used" in summary


def test_typed_values_survive_a_correction(client):
    html = client.post(PUBLIC_URL, form_data(description="ngắn", address="Ấp <b>Biển</b>")).content.decode()
    assert 'value="0912 345 678"' in html  # the indicator rows come back as typed
    assert '<option value="VCB" selected>' in html
    assert "Ấp &lt;b&gt;Biển&lt;/b&gt;" in html


def test_rows_added_in_the_browser_are_read_and_errors_land_on_the_right_row(client):
    rows = {
        "indicator-0-kind": "phone",
        "indicator-0-value": "",  # left empty
        "indicator-1-kind": "phone",
        "indicator-1-value": "0912 345 678",
        "indicator-2-kind": "phone",
        "indicator-2-value": "",
        "indicator-3-kind": "url",
        "indicator-3-value": "http://" + "a" * 500,  # added by "add another", which raises TOTAL_FORMS
        "indicator-TOTAL_FORMS": "4",
    }
    html = client.post(PUBLIC_URL, {**form_data(), **rows}).content.decode()
    # Shown again as rows 1 and 2 (empty rows dropped); the error is on the URL's row.
    assert 'value="0912 345 678"' in re.search(r'<input[^>]*name="indicator-0-value"[^>]*>', html).group(0)
    assert "The value is too long" in block(html, "indicator-1-error")
    assert Report.objects.count() == 0

    rows["indicator-3-value"] = "https://vietcombank-xacminh.com/otp"
    client.post(PUBLIC_URL, {**form_data(), **rows})
    values = set(Report.objects.get().indicator_links.values_list("indicator__value", flat=True))
    assert {"+84912345678", "vietcombank-xacminh.com/otp"} <= values


def test_a_program_disguised_as_a_photo_is_refused(client, settings):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    exe += b"This program cannot be run in DOS mode"
    before = counts()
    response = client.post(PUBLIC_URL, {**form_data(), "files": [SimpleUploadedFile("photo.jpg", exe)]})
    assert "photo.jpg" in block(response.content.decode(), "field-files")
    assert counts() == before
    assert evidence_files(settings) == []


def test_a_file_over_the_limit_is_refused_and_the_limit_is_shown(client, settings):
    settings.EVIDENCE_MAX_BYTES = 60
    with translation.override("vi"):
        limit = filesizeformat(60)
    assert limit in block(client.get(PUBLIC_URL).content.decode(), "field-files")
    before = counts()
    response = client.post(PUBLIC_URL, {**form_data(), "files": [png_upload()]})
    assert f"the limit is {limit}" in block(response.content.decode(), "field-files")
    assert counts() == before
    assert evidence_files(settings) == []


def test_a_robot_filling_the_honeypot_is_told_nothing_and_nothing_is_saved(client, settings):
    before, events = counts(), AuditEvent.objects.count()
    response = client.post(
        PUBLIC_URL, {**form_data(website="http://spam.example"), "files": [png_upload()]}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tracking-code"' in html and 'data-testid="tracking-secret"' in html
    assert "honeypot" not in html.lower() and "robot" not in html.lower()
    assert counts() == before
    assert AuditEvent.objects.count() == events
    assert evidence_files(settings) == []


def test_more_than_ten_reports_an_hour_from_one_address_are_refused(client):
    # Failed attempts do not spend the budget: a citizen who corrects their report is never blocked.
    for _ in range(10):
        assert client.post(PUBLIC_URL, form_data(description="")).status_code == 200
    for _ in range(10):
        assert client.post(PUBLIC_URL, form_data()).status_code == 302
    response = client.post(PUBLIC_URL, form_data())
    assert response.status_code == 429
    # The form comes back with the citizen's text, and says when it can be sent.
    html = response.content.decode()
    assert "many reports in the last hour" in html and "giả danh công an, yêu cầu chuyển tiền" in html
    assert 'name="description"' in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Report.objects.count() == 10
    # Another address is not affected.
    assert client.post(PUBLIC_URL, form_data(), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_endless_failed_attempts_from_one_address_are_bounded(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_attempt": "5/hour"},
    }
    for _ in range(5):
        assert client.post(PUBLIC_URL, form_data(description="")).status_code == 200
    assert client.post(PUBLIC_URL, form_data()).status_code == 429
    assert Report.objects.count() == 0


def test_a_signed_in_person_is_sent_to_the_signed_in_form(client, carrier):
    response = signed_in(client, carrier).get(PUBLIC_URL)
    assert response.status_code == 302 and response["Location"] == reverse("intake:new_report")


# --- Tracking -----------------------------------------------------------------------------------------


def test_tracking_with_the_right_secret_shows_only_the_public_status(client):
    submitted = submit(contact=True)
    response = client.post(TRACK_URL, {"reference": submitted.report.reference.lower(), "secret": submitted.secret})
    html = response.content.decode()
    assert 'data-testid="public-status" data-status="received"' in html
    assert submitted.report.reference in html
    # Nothing about who receives it, what was reported, or who reported.
    assert "Công an" not in html and "Sở Thông tin" not in html
    assert "Nguyễn Văn An" not in html and "0912" not in html and "Đ13" not in html


def test_tracking_with_a_wrong_secret_or_code_says_the_same_thing(client):
    submitted = submit()
    wrong_secret = client.post(TRACK_URL, {"reference": submitted.report.reference, "secret": "guess"}).content.decode()
    wrong_code = client.post(TRACK_URL, {"reference": "TB26-ZZZZZZZZ", "secret": submitted.secret}).content.decode()
    message = "No report matches this tracking code and secret"
    assert message in wrong_secret and message in wrong_code
    assert "public-status" not in wrong_secret and "public-status" not in wrong_code


def test_the_secret_is_never_taken_from_the_address_bar(client):
    submitted = submit()
    html = client.get(TRACK_URL, {"reference": submitted.report.reference, "secret": submitted.secret}).content.decode()
    assert "public-status" not in html
    assert 'method="post"' in html


def test_tracking_is_rate_limited(client):
    for _ in range(30):
        client.post(TRACK_URL, {"reference": "TB26-ZZZZZZZZ", "secret": "guess"})
    assert client.post(TRACK_URL, {"reference": "TB26-ZZZZZZZZ", "secret": "guess"}).status_code == 429


def test_information_added_later_reaches_the_agencies(client, dic_focal):
    submitted = submit()
    keys = {"reference": submitted.report.reference, "secret": submitted.secret}
    empty = client.post(TRACK_URL, {**keys, "text": " ", "add_information": "1"})
    assert "between 3 and 5,000 characters" in block(empty.content.decode(), "field-text")
    response = client.post(TRACK_URL, {**keys, "text": "Họ lại gọi từ số <b>0987 654 321</b>.", "add_information": "1"})
    assert "your information was added" in response.content.decode()
    assert FollowUp.objects.filter(report=submitted.report).count() == 1
    page = signed_in(client, dic_focal).get(reverse("intake:detail", args=[submitted.report.reference]))
    assert "Họ lại gọi từ số &lt;b&gt;0987 654 321&lt;/b&gt;." in page.content.decode()


def test_a_closed_report_takes_no_more_information(client):
    submitted = submit()
    Report.objects.filter(pk=submitted.report.pk).update(status=ReportStatus.CLOSED)
    keys = {"reference": submitted.report.reference, "secret": submitted.secret}
    html = client.post(TRACK_URL, keys).content.decode()
    assert 'data-status="closed"' in html and "This report is closed" in html and 'name="text"' not in html
    client.post(TRACK_URL, {**keys, "text": "Thêm thông tin mới", "add_information": "1"})
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("unfounded", "found no violation they can act on"),
        ("duplicate", "already been reported"),
        ("no_jurisdiction", "outside what the province"),
        ("case_closed", "finished handling that case"),
        ("", "finished handling your report"),
    ],
)
def test_a_closed_report_shows_its_outcome_in_plain_words(client, reason, words):
    submitted = submit()
    Report.objects.filter(pk=submitted.report.pk).update(
        status=ReportStatus.CLOSED, close_reason=reason, close_note="ghi chú nội bộ: không công bố"
    )
    keys = {"reference": submitted.report.reference, "secret": submitted.secret}
    html = client.post(TRACK_URL, keys).content.decode()
    outcome = html[html.index('data-testid="public-outcome"') :]
    assert words in outcome[: outcome.index("</section>")]
    assert "ghi chú nội bộ" not in html  # the internal note stays internal


def test_a_wrong_secret_cannot_add_information(client):
    submitted = submit()
    client.post(
        TRACK_URL,
        {"reference": submitted.report.reference, "secret": "guess", "text": "Thêm thông tin", "add_information": "1"},
    )
    assert FollowUp.objects.count() == 0


# --- The report page ----------------------------------------------------------------------------------


def test_html_in_a_report_is_shown_as_text(client, dic_focal):
    submitted = submit(description='<script>alert("x")</script> gọi lừa đảo 0912345678\nDòng hai')
    html = page_of(signed_in(client, dic_focal), submitted.report.reference)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<br>Dòng hai" in html  # line breaks are kept


def test_the_report_page_explains_the_violation_the_routing_and_the_correlation(client, dic_focal):
    earlier = submit()
    submitted = submit()
    html = page_of(signed_in(client, dic_focal), submitted.report.reference)
    assert "Đ13.4" in html and "Gọi điện hoặc nhắn tin để lừa đảo" in html  # citation and legal basis
    assert "Member of the public" in html and "Public web form" in html
    routing = block(html, "routing")
    assert "Vĩnh Châu Town Police" in routing and "Đ5.2" in routing and "Đ13" in routing
    assert "must be reported at once to the nearest police" in routing  # the rule's own words
    assert "+84912345678" in html and "Phone number" in html
    assert "in 2 reports" in html
    assert earlier.report.reference in html  # the other report, which DIC may see, is linked


def test_the_correlation_counts_hidden_reports_without_naming_them(client, district_police):
    hidden = submit(area="st-soc-trang")  # another district: not delivered to the Vĩnh Châu police
    submitted = submit()
    html = (
        signed_in(client, district_police)
        .get(reverse("intake:detail", args=[submitted.report.reference]))
        .content.decode()
    )
    assert "in 2 reports" in html
    assert hidden.report.reference not in html


def test_the_report_page_is_not_found_for_an_organisation_it_was_not_sent_to(client, outsider, carrier):
    submitted = submit()
    url = reverse("intake:detail", args=[submitted.report.reference])
    assert signed_in(client, outsider).get(url).status_code == 404
    assert signed_in(client, carrier).get(url).status_code == 404
    assert signed_in(client, outsider).get(reverse("intake:detail", args=["TB26-NOTHERE"])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # sign in first


def test_evidence_is_downloaded_by_a_recipient_and_every_download_is_audited(client, district_police, outsider):
    image = png_bytes()
    submitted = submit(files=[SimpleUploadedFile("anh.png", image, content_type="image/png")])
    evidence = submitted.report.evidence.get()
    url = reverse("intake:evidence", args=[submitted.report.reference, evidence.pk])

    page = signed_in(client, district_police).get(reverse("intake:detail", args=[submitted.report.reference]))
    assert url in page.content.decode() and evidence.sha256 in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="evidence.download")
    assert event.actor == district_police and event.data["sha256"] == evidence.sha256

    assert signed_in(client, outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="evidence.download").count() == 1


def test_the_reporters_contact_is_hidden_by_default(client, dic_focal, district_police):
    submitted = submit(contact=True)
    url = reverse("intake:detail", args=[submitted.report.reference])
    for user in (dic_focal, district_police):
        html = signed_in(client, user).get(url).content.decode()
        assert "Nguyễn Văn An" not in html and "0909 123 456" not in html and "an@example.vn" not in html
        assert "contact details are hidden" in html
    assert "Show who reported" not in html  # the district police is no hub


def test_a_focal_point_outside_the_hubs_cannot_see_who_reported(client, district_police):
    submitted = submit(contact=True)
    response = signed_in(client, district_police).post(
        reverse("intake:reveal_contact", args=[submitted.report.reference]),
        {"reason": "Cần gọi lại để xác minh"},
    )
    assert response.status_code == 403
    assert "0909 123 456" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="report.contact_reveal").exists()


def test_a_dic_focal_point_sees_who_reported_once_with_a_reason_that_is_audited(client, dic_focal):
    submitted = submit(contact=True)
    signed_in(client, dic_focal)
    reveal_url = reverse("intake:reveal_contact", args=[submitted.report.reference])

    no_reason = client.post(reveal_url, {"reason": ""}).content.decode()
    assert "Give the reason" in block(no_reason, "field-reason") and "0909 123 456" not in no_reason
    assert not AuditEvent.objects.filter(action="report.contact_reveal").exists()

    response = client.post(reveal_url, {"reason": "Cần gọi lại để xác minh số tài khoản"})
    html = response.content.decode()
    assert "Nguyễn Văn An" in html and "0909 123 456" in html and "an@example.vn" in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="report.contact_reveal")
    assert event.actor == dic_focal and "xác minh" in event.data["reason"]
    # Shown on that response only: the page hides them again.
    again = client.get(reverse("intake:detail", args=[submitted.report.reference])).content.decode()
    assert "0909 123 456" not in again


# --- Inbox, acknowledgement and the organisation's own reports -------------------------------------------


def test_the_inbox_lists_a_report_for_dic_and_not_for_an_unrelated_organisation(client, dic_focal, outsider):
    submitted = submit()
    html = signed_in(client, dic_focal).get(reverse("intake:inbox")).content.decode()
    assert submitted.report.reference in html
    assert reverse("intake:detail", args=[submitted.report.reference]) in html
    assert "Đ5.2, Đ13" in html  # why it came to DIC
    assert "Scam, extortion, threatening or harassing calls" in html
    assert submitted.report.reference not in signed_in(client, outsider).get(reverse("intake:inbox")).content.decode()


def _inbox_queries(client) -> int:
    client.get(reverse("intake:inbox"))  # warm the reference-data caches (the hubs of the day)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("intake:inbox")).status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_costs_the_same_number_of_queries_for_5_or_30_reports(client, dic_focal):
    rows = [ReportInput(description=f"{SCAM} #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(30)]
    report_submit_many(rows=rows[:5], channel=Channel.WEB, ctx=PUBLIC)
    signed_in(client, dic_focal)
    Delivery.objects.filter(report__in=Report.objects.all()[:2]).update(
        acknowledged_at=timezone.now(), acknowledged_by=dic_focal
    )
    few = _inbox_queries(client)
    report_submit_many(rows=rows[5:], channel=Channel.WEB, ctx=PUBLIC)
    assert Delivery.objects.filter(organisation__code="st-dic").count() == 30
    assert _inbox_queries(client) == few


def test_the_inbox_shows_fifty_reports_a_page(client, dic_focal):
    rows = [ReportInput(description=f"{SCAM} #{i}", behaviour="13.4", area="st-vinh-chau") for i in range(51)]
    report_submit_many(rows=rows, channel=Channel.WEB, ctx=PUBLIC)
    html = signed_in(client, dic_focal).get(reverse("intake:inbox")).content.decode()
    assert html.count('<tr id="delivery-') == 50
    assert "Page 1 of 2" in html
    assert client.get(reverse("intake:inbox"), {"page": 2}).content.decode().count('<tr id="delivery-') == 1


def test_acknowledging_stops_a_delivery_being_overdue(client, dic_focal, settings):
    settings.PHOIHOP_ACK_DEADLINE_MINUTES = 60
    submitted = submit()
    reference = submitted.report.reference
    Delivery.objects.update(delivered_at=timezone.now() - dt.timedelta(hours=2))
    signed_in(client, dic_focal)
    row = block(client.get(reverse("intake:inbox")).content.decode(), f"delivery-{_dic_delivery(reference).pk}")
    assert 'data-testid="overdue"' in row

    response = client.post(reverse("intake:acknowledge", args=[reference]), {"next": reverse("intake:inbox")})
    assert response.status_code == 302 and response["Location"] == reverse("intake:inbox")
    delivery = _dic_delivery(reference)
    assert delivery.acknowledged_by == dic_focal and delivery.acknowledged_at
    assert Report.objects.get(pk=submitted.report.pk).status == ReportStatus.ACKNOWLEDGED
    html = client.get(reverse("intake:inbox")).content.decode()
    assert 'data-testid="overdue"' not in html and "Acknowledged" in html
    assert AuditEvent.objects.filter(action="delivery.acknowledge", actor=dic_focal).count() == 1


def test_acknowledging_from_the_inbox_with_htmx_swaps_the_row(client, dic_focal):
    submitted = submit()
    response = signed_in(client, dic_focal).post(
        reverse("intake:acknowledge", args=[submitted.report.reference]),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith("<tr")
    assert "Acknowledged" in html and "overdue" not in html


def test_acknowledging_is_a_post_for_the_organisation_the_report_was_sent_to(client, outsider, dic_focal):
    submitted = submit()
    url = reverse("intake:acknowledge", args=[submitted.report.reference])
    assert signed_in(client, dic_focal).get(url).status_code == 405
    assert signed_in(client, outsider).post(url).status_code == 404
    assert not Delivery.objects.filter(acknowledged_at__isnull=False).exists()


def _dic_delivery(reference: str) -> Delivery:
    return Delivery.objects.get(report__reference=reference, organisation__code="st-dic")


# --- The signed-in door -------------------------------------------------------------------------------


def test_an_enterprise_reports_through_its_own_form_and_finds_it_among_its_reports(client, carrier):
    signed_in(client, carrier)
    html = client.get(reverse("intake:new_report")).content.decode()
    assert 'name="on_behalf_of"' in html and 'name="external_ref"' in html
    assert 'name="consent"' not in html and 'name="website"' not in html and 'name="contact_phone"' not in html

    data = form_data(external_ref="VT-2026-0042", on_behalf_of="Trung tâm Viettel Vĩnh Châu")
    response = client.post(reverse("intake:new_report"), data, follow=True)
    report = Report.objects.get()
    assert (report.reporter_type, report.reporter_organisation.code, report.submitted_by) == (
        ReporterType.ENTERPRISE,
        "st-viettel",
        carrier,
    )
    assert report.channel == Channel.SIGNED_IN and report.on_behalf_of == "Trung tâm Viettel Vĩnh Châu"
    assert report.reference in response.content.decode()

    mine = client.get(reverse("intake:my_reports")).content.decode()
    assert report.reference in mine and "VT-2026-0042" in mine

    # Sending the same reference again creates nothing and leads to the report.
    again = client.post(reverse("intake:new_report"), data, follow=True)
    assert Report.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("intake:detail", args=[report.reference])
    assert "already received" in again.content.decode()


def test_the_signed_in_form_needs_an_account(client):
    response = client.get(reverse("intake:new_report"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_our_reports_shows_only_the_organisations_own(client, carrier):
    public = submit()
    html = signed_in(client, carrier).get(reverse("intake:my_reports")).content.decode()
    assert public.report.reference not in html
    assert "has not sent any report yet" in html
