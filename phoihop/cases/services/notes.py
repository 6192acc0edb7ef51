"""Notes on a case (refused on a case with a state-secret dossier, Law 29/2018)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import DomainError, NotAllowed

from ..events import record as _record
from ..models import Case, Note
from ..permissions import Action, can
from .guards import refuse_free_text_on_secret


def note_add(*, case: Case, text: str, ctx: AuditContext) -> Note:
    if not can(ctx.actor, Action.WORK, case):
        raise NotAllowed(_("Only the people of the case's organisations may add notes."))
    refuse_free_text_on_secret(case)
    if len((text or "").strip()) < 2:
        raise DomainError(_("Write the note."), field="text")
    with transaction.atomic():
        note = Note.objects.create(case=case, author=ctx.actor, text=text.strip())
        _record(ctx, case, "note", text[:80])
    return note
