"""Content-Security-Policy without inline scripts, relaxed only for the API's documentation; HSTS behind TLS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders

from phoihop.site.tests.test_plumbing import reload_settings  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[3]


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_allow_only_the_site_s_own_scripts_and_styles(client):
    for path in ("/", "/reports/new/public/"):
        policy = _policy(client.get(path))
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_the_report_form_loads_its_behaviour_from_a_static_file(client):
    html = client.get("/reports/new/public/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert any(src.endswith("intake/js/report_form.js") for src in sources)
    assert any(src.endswith("phoihop/js/app.js") for src in sources)
    assert finders.find("intake/js/report_form.js") and finders.find("phoihop/js/app.js")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@pytest.mark.django_db
def test_only_the_api_documentation_allows_its_inline_script(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("doc-reader", password="x" * 12))
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(path)
        assert response.status_code == 200
        policy = _policy(response)
        assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"]
        assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in _policy(client.get("/"))["script-src"]


def test_no_template_has_an_inline_script_handler_or_style():
    """Inline code would be blocked by the policy: behaviour lives in static files, looks in app.css."""
    offenders = []
    for template in (ROOT / "phoihop").rglob("templates/**/*.html"):
        text = template.read_text()
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
        handler = re.search(r"\s(on[a-z]+|hx-on[:\-][\w:\-]*|style)\s*=", text)
        if inline_script or handler or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    """docs/operations.md, "Production environment": `manage.py check --deploy` has nothing to say."""
    env = {
        **os.environ,
        "PHOIHOP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECURE_COOKIES": "1",
        "TRUSTED_PROXY": "127.0.0.1",
        "DJANGO_SECRET_KEY": "k3y-" + "x9Qz" * 20,
        "ALLOWED_HOSTS": "phoihop.soctrang.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://phoihop.soctrang.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_and_the_https_redirect_follow_secure_cookies(reload_settings):  # noqa: F811
    conf = reload_settings(SECURE_COOKIES="1", TRUSTED_PROXY="127.0.0.1", PHOIHOP_HSTS_SECONDS=None)
    assert conf.SECURE_HSTS_SECONDS == 31536000 and conf.SECURE_HSTS_INCLUDE_SUBDOMAINS and conf.SECURE_SSL_REDIRECT
    conf = reload_settings(SECURE_COOKIES="1", PHOIHOP_HSTS_SECONDS="600", TRUSTED_PROXY=None)
    assert conf.SECURE_HSTS_SECONDS == 600
    assert not conf.SECURE_SSL_REDIRECT  # no proxy says the scheme: every request would look like HTTP
    conf = reload_settings(SECURE_COOKIES=None, TRUSTED_PROXY=None)
    assert conf.SECURE_HSTS_SECONDS == 0 and not conf.SECURE_SSL_REDIRECT  # plain HTTP on a laptop works
    assert django_settings.SECURE_PROXY_SSL_HEADER is None  # the trusted-proxy wrapper sets the scheme
