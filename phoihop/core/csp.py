"""The Content-Security-Policy headers, built once.

django-csp's middleware builds the policy text from the settings for every response (twice: the policy and the
report-only one), which was a few per cent of an API call's CPU. Almost every response carries the site
policy as it is: no view changed it (`@csp_update`, `@csp_replace`, `@csp_override`) and no template asked for a
nonce. For those, `CSPMiddleware` writes the headers built once (again after a settings change); any other
response goes through django-csp's own code. `site_headers` also serves the public look-up's lean path.
"""

from __future__ import annotations

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

_RESPONSE_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def site_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy, exempt attribute, excluded path prefixes) of each policy the settings define."""
    out = []
    for header, report_only, setting, exempt in (
        (HEADER, False, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
        (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            out.append((header, policy, exempt, excluded))
    return tuple(out)


def _settings_changed(setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_headers.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="phoihop.core.csp")


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        nonce_used = getattr(request, "_csp_nonce", None) is not None
        if nonce_used or any(getattr(response, name, None) is not None for name in _RESPONSE_CHANGES):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:  # django-csp leaves Django's debug pages alone
            return response
        for header, policy, exempt, excluded in site_headers():
            exempted = getattr(response, exempt, False) is not False  # django-csp's own test
            if header not in response and not exempted and not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is a programming error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
