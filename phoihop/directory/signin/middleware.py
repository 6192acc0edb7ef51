"""Session limits (idle and absolute) and the second step of signing in, enforced on every request."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policy import OPEN_STATES, STATE_KEY, VERIFY, WAIVED, second_factor_state, second_factor_waived
from .receivers import SEEN_AT, SIGNED_IN_AT

# The last activity is written at most once a minute (a session write, not one per request).
SEEN_TOUCH_SECONDS = 60

# Pages a person half-way through signing in may open: the sign-in steps themselves, signing out,
# the language switch and the health check (static files are served before any middleware).
ALLOWED_VIEWS = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "health",
        "signin:verify",
        "signin:setup",
    }
)


class SessionLimitsMiddleware:
    """Sign out after PHOIHOP_SESSION_IDLE_MINUTES without a request, and PHOIHOP_SESSION_MAX_HOURS after
    signing in whatever the activity. The session cookie's age is the idle time, renewed with the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        response = self.get_response(request)
        # Only a session that signed someone in is stamped: an API request authenticated by its token (DRF
        # sets request.user too) must not create a session row and a cookie on every call.
        if SESSION_KEY in request.session and SIGNED_IN_AT not in request.session:
            now = int(time.time())  # a session from before this check was in place
            request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now
        return response

    @staticmethod
    def _check(request) -> None:
        session, now = request.session, int(time.time())
        signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
        if signed_in is None:
            return  # recorded after the response
        idle = settings.PHOIHOP_SESSION_IDLE_MINUTES * 60
        limit = settings.PHOIHOP_SESSION_MAX_HOURS * 3600
        if now - signed_in > limit or (seen is not None and now - seen > idle):
            logout(request)  # audited as a sign-out (audit.signals)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return
        if seen is None or now - seen >= SEEN_TOUCH_SECONDS:
            session[SEEN_AT] = now  # the session is saved: its expiry and the cookie's are pushed back


class SecondFactorMiddleware:
    """After the password, nothing but the sign-in steps until the second factor is passed (or set up).

    Requests of the API that carry an organisation's token are not concerned: the token authenticates
    them (DRF), never the session. The state is read from the session, so this costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        in_api = match is not None and "api" in match.namespaces
        if in_api and request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("token "):
            return None
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        state = request.session.get(STATE_KEY)
        if state is None or (state == WAIVED and not second_factor_waived(user)):
            state = request.session[STATE_KEY] = second_factor_state(user)
        if state in OPEN_STATES:
            return None
        if in_api:
            return JsonResponse({"detail": _("Finish signing in with your second factor first.")}, status=403)
        target = reverse("signin:verify" if state == VERIFY else "signin:setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
