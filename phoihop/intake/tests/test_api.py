"""The REST API as an organisation's client sees it: keys, sending reports, errors, reading back, docs."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM, AuditContext
from phoihop.directory.choices import Role
from phoihop.directory.models import ApiToken, Organisation, User
from phoihop.directory.services import api_token_issue
from phoihop.indicators.models import Indicator
from phoihop.intake.choices import Channel, ReporterType
from phoihop.intake.models import Report
from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"
FRAUD_CALL = {
    "behaviour": "13.4",
    "area": "st-vinh-chau",
    "occurred_at": "2025-01-10T14:30:00+07:00",
    "description": "Gọi điện giả danh công an, yêu cầu chuyển tiền vào tài khoản lạ.",
    "indicators": [{"kind": "phone", "value": "0912 345 678"}],
}


def issue_key(org_code: str, name: str = "fraud feed") -> tuple[ApiToken, str]:
    organisation = Organisation.objects.get(code=org_code)
    return api_token_issue(organisation=organisation, name=name, ctx=SYSTEM)


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def viettel_token():
    return issue_key("st-viettel")


@pytest.fixture
def viettel(viettel_token) -> APIClient:
    return client_with(viettel_token[1])


def send(client: APIClient, body: dict | None = None, **headers):
    return client.post(REPORTS, FRAUD_CALL if body is None else body, format="json", **headers)


def public_report(description: str = "Có người gọi điện lừa đảo trúng thưởng xe máy.") -> Report:
    data = ReportInput(description=description, behaviour="13.4", area="st-vinh-chau")
    return report_submit(data=data, channel=Channel.WEB, ctx=AuditContext(label="public")).report


# --- Keys and sending a report --------------------------------------------------------------------


def test_issued_key_sends_a_report_routed_to_the_hubs_district_police_and_border_post():
    out = io.StringIO()
    call_command("issue_api_token", "--org", "st-viettel", "--name", "fraud feed", stdout=out)
    key = next(line for line in out.getvalue().splitlines() if re.fullmatch(r"[0-9a-f]{8}\.\S+", line))
    assert key not in "".join(ApiToken.objects.values_list("key_hash", flat=True))  # only the hash is kept

    response = send(client_with(key))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert re.fullmatch(r"TB\d\d-[A-Z0-9]{10}", body["reference"])
    assert response["Location"] == f"{REPORTS}{body['reference']}/"
    assert body["status"] == "received" and body["behaviour"] == "13.4" and body["area"] == "st-vinh-chau"
    recipients = {r["organisation"]: r["articles"] for r in body["recipients"]}
    # Đ5.2: both hubs always hear; Đ13: the nearest police and border post of a coastal district.
    assert "Đ5.2" in recipients["st-dic"] and "Đ5.2" in recipients["st-police"]
    assert recipients["st-police-vinh-chau"] == ["Đ13"]
    border_posts = [code for code in recipients if code.startswith("st-bp-")]
    assert border_posts and all("Đ13" in recipients[code] for code in border_posts)
    phone = next(i for i in body["indicators"] if i["kind"] == "phone" and i["raw"] == "0912 345 678")
    assert phone["value"] == "+84912345678" and phone["valid"] is True and phone["error_code"] == ""
    # The answer carries each indicator's count (from the write); cases and references on request.
    assert {"kind": "phone", "value": "+84912345678", "total_reports": 1} in body["correlation"]

    report = Report.objects.get(reference=body["reference"])
    token = ApiToken.objects.get()
    assert report.channel == Channel.API and report.reporter_type == ReporterType.ENTERPRISE
    assert report.reporter_organisation.code == "st-viettel" and report.submitted_by == token.user
    assert token.last_used_at is not None
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert event.actor == token.user and event.actor_label == "api:fraud feed"


def test_no_token_is_401():
    response = send(APIClient())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "detail" in response.json()


def test_bad_token_is_401(viettel_token):
    token, key = viettel_token
    for wrong in (f"{token.prefix}.not-the-secret", "deadbeef.whatever", "no-dot-at-all", f"{key} extra"):
        response = send(client_with(wrong))
        assert response.status_code == 401, wrong
    assert Report.objects.count() == 0


def test_revoked_token_is_401(viettel_token):
    token, key = viettel_token
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = send(client_with(key))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json" and response["WWW-Authenticate"]
    assert response.json()["status"] == 401 and "revoked" in response.json()["detail"]


def test_account_without_organisation_is_403():
    client = APIClient()
    client.force_login(User.objects.create_user("outsider", password="x" * 12, role=Role.OFFICER))
    response = client.get(REPORTS)
    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden" and "organisation" in response.json()["detail"]


def test_malformed_json_is_400_in_the_errors_shape(viettel):
    response = viettel.post(REPORTS, '{"description": "broken', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "urn:phoihop:problem:invalid"
    assert "JSON" in response.json()["errors"]["non_field_errors"][0]


def test_non_json_body_is_415(viettel):
    response = viettel.post(REPORTS, "description=hello", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["type"] == "about:blank" and response.json()["status"] == 415
    assert "application/x-www-form-urlencoded" in response.json()["detail"]


def test_missing_description_is_400(viettel):
    body = {k: v for k, v in FRAUD_CALL.items() if k != "description"}
    response = send(viettel, body)
    assert response.status_code == 400
    assert response.json()["errors"]["description"]


def test_too_short_description_is_refused_by_the_service_with_the_same_shape(viettel):
    response = send(viettel, {**FRAUD_CALL, "description": "ngắn"})
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert (body["type"], body["title"], body["status"]) == ("urn:phoihop:problem:invalid", "Invalid input", 400)
    assert "10" in body["errors"]["description"][0] and "10" in body["detail"]
    serializer_refusal = send(viettel, {k: v for k, v in FRAUD_CALL.items() if k != "description"}).json()
    assert set(body) == set(serializer_refusal)  # the serializer's refusal and the service's look alike


def test_unknown_behaviour_is_400(viettel):
    response = send(viettel, {**FRAUD_CALL, "behaviour": "99.9"})
    assert response.status_code == 400
    assert "99.9" in response.json()["errors"]["behaviour"][0]


def test_unknown_area_is_400(viettel):
    response = send(viettel, {**FRAUD_CALL, "area": "atlantis"})
    assert response.status_code == 400
    assert response.json()["errors"]["area"]


def test_future_occurred_at_is_400(viettel):
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = send(viettel, {**FRAUD_CALL, "occurred_at": tomorrow})
    assert response.status_code == 400
    assert response.json()["errors"]["occurred_at"]


def test_bad_indicator_kind_is_400_with_a_dotted_field(viettel):
    response = send(viettel, {**FRAUD_CALL, "indicators": [{"kind": "pigeon", "value": "coo"}]})
    assert response.status_code == 400
    assert response.json()["errors"]["indicators.0.kind"]


def test_too_many_indicators_is_400(viettel):
    many = [{"kind": "phone", "value": f"09123456{i:02d}"} for i in range(51)]
    response = send(viettel, {**FRAUD_CALL, "indicators": many})
    assert response.status_code == 400
    assert "50" in response.json()["errors"]["indicators"][0]
    assert Report.objects.count() == 0


def test_replay_with_idempotency_key_returns_the_same_report(viettel):
    first = send(viettel, HTTP_IDEMPOTENCY_KEY="2b0c6f7e-retry-me")
    again = send(viettel, HTTP_IDEMPOTENCY_KEY="2b0c6f7e-retry-me")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1
    assert first.json()["external_ref"] == "2b0c6f7e-retry-me"


def test_replay_with_the_same_external_ref_returns_the_same_report(viettel):
    body = {**FRAUD_CALL, "external_ref": "VT-2025-0001"}
    first, again = send(viettel, body), send(viettel, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1


def test_too_many_calls_are_429(settings, viettel):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "2/minute"},
    }
    assert [viettel.get(REPORTS).status_code for _ in range(2)] == [200, 200]
    response = viettel.get(REPORTS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429 and response.json()["code"] == "throttled"
    # The budget is per key: another organisation's key is not held back.
    assert client_with(issue_key("st-mobifone")[1]).get(REPORTS).status_code == 200


# --- Reading back --------------------------------------------------------------------------------


def test_an_enterprise_lists_only_its_own_reports(viettel):
    own = send(viettel).json()["reference"]
    other = send(client_with(issue_key("st-mobifone")[1])).json()["reference"]
    public = public_report().reference

    listed = viettel.get(REPORTS).json()
    assert [r["reference"] for r in listed["results"]] == [own] and listed["count"] == 1

    # The hub sees everything delivered to it (Đ5.2).
    hub = client_with(issue_key("st-dic")[1]).get(REPORTS).json()
    assert {r["reference"] for r in hub["results"]} == {own, other, public}


def test_list_filters(viettel):
    first = send(viettel, {**FRAUD_CALL, "external_ref": "A-1"}).json()["reference"]
    second = send(viettel, {**FRAUD_CALL, "behaviour": "13.2", "external_ref": "A-2"}).json()["reference"]

    def refs(**params):
        response = viettel.get(REPORTS, params)
        assert response.status_code == 200, response.json()
        return [r["reference"] for r in response.json()["results"]]

    assert refs(behaviour="13.2") == [second]
    assert refs(external_ref="A-1") == [first]
    assert refs(status="received") == [second, first]
    assert refs(created_after=(timezone.now() + dt.timedelta(hours=1)).isoformat()) == []
    assert refs(created_before="2099-01-01") == [second, first]
    response = viettel.get(REPORTS, {"created_after": "yesterday"})
    assert response.status_code == 400 and response.json()["errors"]["created_after"]


def test_detail_of_another_organisations_report_is_404(viettel):
    own = send(viettel).json()["reference"]
    other = send(client_with(issue_key("st-mobifone")[1])).json()["reference"]

    response = viettel.get(f"{REPORTS}{own}/")
    assert response.status_code == 200 and response.json()["reference"] == own
    assert viettel.get(f"{REPORTS}{other}/").status_code == 404
    missing = viettel.get(f"{REPORTS}TB25-NOSUCH00/")
    assert missing.status_code == 404 and missing.json()["title"] == "Not Found"


def test_the_list_makes_the_same_number_of_queries_for_3_or_20_reports(viettel):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert viettel.get(REPORTS).status_code == 200
        return len(ctx)

    for i in range(3):
        send(viettel, {**FRAUD_CALL, "external_ref": f"Q-{i}"})
    count_queries()  # the first call of the minute also records last_used_at
    few = count_queries()
    for i in range(3, 20):
        send(viettel, {**FRAUD_CALL, "external_ref": f"Q-{i}"})
    assert viettel.get(REPORTS).json()["count"] == 20
    assert count_queries() == few


def test_indicator_lookup_counts_one_number_written_two_ways(viettel):
    send(viettel, {**FRAUD_CALL, "indicators": [{"kind": "phone", "value": "0912 345 678"}]})
    send(
        viettel,
        {
            **FRAUD_CALL,
            "description": "Tin nhắn đe dọa khách hàng từ số lạ nhiều lần.",
            "indicators": [{"kind": "phone", "value": "+84912345678"}],
        },
    )

    response = viettel.get("/api/v1/indicators/lookup/", {"kind": "phone", "value": "0912345678"})
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == "+84912345678" and body["found"] and body["total_reports"] == 2
    assert len(body["reports"]) == 2
    assert Indicator.objects.get(kind="phone", value="+84912345678").report_count == 2

    # Another organisation learns the count, not which reports.
    other = (
        client_with(issue_key("st-mobifone")[1])
        .get("/api/v1/indicators/lookup/", {"kind": "phone", "value": "84-912-345-678"})
        .json()
    )
    assert other["total_reports"] == 2 and other["reports"] == []


def test_indicator_lookup_of_an_unknown_value_and_a_bad_kind(viettel):
    unknown = viettel.get("/api/v1/indicators/lookup/", {"kind": "phone", "value": "0987 000 111"}).json()
    assert unknown["found"] is False and unknown["total_reports"] == 0
    response = viettel.get("/api/v1/indicators/lookup/", {"kind": "pigeon", "value": "x"})
    assert response.status_code == 400 and response.json()["errors"]["kind"]


def test_behaviours_are_the_taxonomy(viettel):
    assert APIClient().get("/api/v1/behaviours/").status_code == 401
    response = viettel.get("/api/v1/behaviours/")
    assert response.status_code == 200
    fraud = next(b for b in response.json() if b["code"] == "13.4")
    assert fraud["article"] == "Đ13.4" and fraud["sector"] and fraud["help_vi"] and fraud["help_en"]
    assert fraud["citation"].startswith("Đ13.4")


def test_a_public_report_is_invisible_to_an_enterprise(viettel):
    public = public_report()
    assert viettel.get(f"{REPORTS}{public.reference}/").status_code == 404
    # ...even when it shares an indicator: the count is shared, the reference is not.
    report_submit(
        data=ReportInput(
            description="Gọi điện lừa đảo từ số máy lạ nhiều lần.", indicators=[IndicatorInput("phone", "0912345678")]
        ),
        channel=Channel.WEB,
        ctx=AuditContext(label="public"),
    )
    reference = send(viettel).json()["reference"]
    detail = viettel.get(f"{REPORTS}{reference}/", {"expand": "correlations"}).json()
    phone = next(c for c in detail["correlation"] if c["kind"] == "phone")
    assert phone["total_reports"] == 2 and phone["reports"] == []
    # Without expand, the count alone (from the indicator's counter): nothing to scope.
    plain = viettel.get(f"{REPORTS}{reference}/").json()
    assert {"kind": "phone", "value": "+84912345678", "total_reports": 2} in plain["correlation"]


# --- Schema and docs ------------------------------------------------------------------------------


def test_schema_is_valid_openapi_3_with_the_paths(viettel):
    assert APIClient().get("/api/v1/schema/").status_code == 401
    response = viettel.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/reports/",
        "/api/v1/reports/{reference}/",
        "/api/v1/reports/import/",
        "/api/v1/indicators/lookup/",
        "/api/v1/behaviours/",
    } <= set(schema["paths"])
    create = schema["paths"]["/api/v1/reports/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert {"201", "200", "400", "401", "415", "429"} <= set(create["responses"])
    problem = create["responses"]["400"]["content"]["application/problem+json"]["schema"]["$ref"]
    assert problem == "#/components/schemas/ValidationProblem"
    assert "errors" in schema["components"]["schemas"]["ValidationProblem"]["required"]
    assert "application/problem+json" in create["responses"]["429"]["content"]
    assert "phone" in schema["paths"]["/api/v1/reports/import/"]["post"]["description"]
    assert "OrganisationToken" in schema["components"]["securitySchemes"]
    yaml_response = viettel.get("/api/v1/schema/", {"format": "yaml"})
    assert yaml_response.status_code == 200 and b"openapi: 3" in yaml_response.content


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_use_local_assets(page):
    client = APIClient()
    client.force_login(
        User.objects.create_user(
            "dic", password="x" * 12, organisation=Organisation.objects.get(code="st-dic"), role=Role.FOCAL_POINT
        )
    )
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "no CDN"
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_a_create_answers_from_what_it_wrote_and_expands_correlations_on_request(viettel):
    first = send(viettel).json()
    again = {**FRAUD_CALL, "external_ref": "", "description": FRAUD_CALL["description"] + " (lần 2)"}
    plain = send(viettel, again).json()
    phone = next(c for c in plain["correlation"] if c["kind"] == "phone")
    assert phone == {"kind": "phone", "value": "+84912345678", "total_reports": 2}
    expanded = viettel.post(
        f"{REPORTS}?expand=correlations", {**again, "description": again["description"] + "!"}, format="json"
    )
    phone = next(c for c in expanded.json()["correlation"] if c["kind"] == "phone")
    assert phone["total_reports"] == 3 and phone["total_cases"] == 0
    assert first["reference"] in phone["reports"] and plain["reference"] in phone["reports"]


def test_a_body_nested_without_end_is_a_400_not_a_server_error(viettel):
    body = '{"description": "Gọi điện lừa đảo nhiều lần.", "indicators": ' + '{"a":' * 5000 + "null" + "}" * 5000 + "}"
    response = viettel.post(REPORTS, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [{"created_before": "2026-01-01T00:00:00+20:57"}, {"created_after": "0001-01-01T00:00:00Z"}],
)
def test_a_moment_the_database_cannot_hold_is_a_400_naming_the_filter(viettel, query):
    response = viettel.get(REPORTS, query)
    assert response.status_code == 400
    assert set(query) <= set(response.json()["errors"])
