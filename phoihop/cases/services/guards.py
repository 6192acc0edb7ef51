"""The refusals several services of the cases app share: who may act, and what a state-secret case refuses."""

from __future__ import annotations

from django.utils.translation import gettext as _

from phoihop.core.errors import Conflict, NotAllowed

from ..models import Case
from ..permissions import may_act


def require_acting(user) -> None:
    if not may_act(user):
        raise NotAllowed(_("Only a focal point, a head of agency or a hub coordinator may do this."))


def refuse_free_text_on_secret(case: Case) -> None:
    if case.has_secret_dossier:
        raise Conflict(
            _(
                "This case has a state-secret dossier. Under Law 29/2018 on protecting state secrets, its content may "
                "not be kept on a networked computer: record it in the paper dossier, not here."
            )
        )
