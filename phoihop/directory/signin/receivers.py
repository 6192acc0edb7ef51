"""At each password sign-in: when it happened and what the second step still owes, kept in the session."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in

from .policy import STATE_KEY, second_factor_state

SIGNED_IN_AT = "phoihop.signed_in_at"
SEEN_AT = "phoihop.seen_at"


def on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session[STATE_KEY] = second_factor_state(user)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="phoihop.signin.on_login")
