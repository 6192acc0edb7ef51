"""Telling a recipient organisation that a document arrived: e-mail to its focal points and head through the
outbox (written in the sending transaction, sent by the worker, never twice)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.inbox.outbox import Outgoing, outbox_write

from .models import Document

KIND = "document"


def document_delivered(doc: Document) -> int:
    """One message per recipient organisation to its focal points and head (an enterprise: its reporters); a
    restricted case's document names no summary (need to know). Returns how many were queued."""
    restricted = bool(doc.case_id and doc.case.access_level == "restricted")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for r in doc.recipients.select_related("organisation"):
            to = sorted(
                set(
                    User.objects.filter(
                        organisation_id=r.organisation_id,
                        is_active=True,
                        role__in=[Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER],
                    )
                    .exclude(email="")
                    .values_list("email", flat=True)
                )
            )
            if not to:
                continue
            subject = _("Document %(reference)s arrived (incoming no. %(number)s)") % {
                "reference": doc.reference,
                "number": r.incoming_number,
            }
            lines = [
                _("%(issuer)s sent your organisation a document.") % {"issuer": doc.issuer_label},
                _("Number and symbol: %(reference)s") % {"reference": doc.reference},
                _("Incoming register: no. %(number)s/%(year)s")
                % {"number": r.incoming_number, "year": r.incoming_year},
            ]
            if not restricted:
                lines.append(_("Summary: %(summary)s") % {"summary": doc.summary})
            lines.append(f"{settings.SITE_URL.rstrip('/')}/documents/{doc.pk}/")
            messages.append(
                Outgoing(
                    dedup_key=f"document:{doc.pk}:to:{r.organisation_id}",
                    kind=KIND,
                    recipients=to,
                    subject=subject,
                    body="\n".join(lines),
                )
            )
    outbox_write(messages)
    return len(messages)
