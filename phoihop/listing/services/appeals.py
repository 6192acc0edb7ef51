"""Appeals: the owner of a listed value asks for it to be delisted; a hub coordinator decides with a reason.

The appellant needs no account. They get a tracking link (a secret, kept only as a hash) and, when they gave
an e-mail address, the outcome by e-mail through the outbox. Their contact is personal data: it is never in
the audit log, the look-up or an export, and only the hubs' coordinators and heads see it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.inbox.outbox import Outgoing
from phoihop.indicators.normalise import normalise
from phoihop.intake.uploads import UploadRejected, check_upload

from ..choices import AppealStatus, ListingStatus
from ..models import Appeal, AppealProof, Listing
from ..permissions import may_decide
from ..workflow import LISTING_WORKFLOW
from .common import MAIL_APPEAL, create_with_reference, mail_queue, new_secret, secret_hash

MIN_EXPLANATION = 20
MAX_PROOF_BYTES = 5 * 1024 * 1024
DECISIONS = ("uphold", "dismiss")


@dataclass(frozen=True)
class AppealSubmitted:
    appeal: Appeal
    secret: str  # shown once (the tracking link); only its hash is kept

    @property
    def track_path(self) -> str:
        return reverse("listing:appeal_status", kwargs={"reference": self.appeal.reference, "secret": self.secret})


def _checked_proof(proof) -> Any:
    if proof is None:
        return None
    if proof.size > MAX_PROOF_BYTES:
        raise Invalid({"proof": [_("The proof file is larger than 5 MB.")]})
    try:
        return check_upload(proof)
    except UploadRejected as exc:
        raise Invalid({"proof": exc.errors.get("files", [str(exc.message)])}) from exc


def _contact_errors(email: str, phone: str) -> list[str]:
    if not email and not phone:
        return [_("Give an e-mail address or a phone number, so that we can tell you the outcome.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return [_("This is not a valid e-mail address.")]
    if phone and not normalise("phone", phone).valid:
        return [_("This is not a valid phone number.")]
    return []


def appeal_submit(
    *,
    listing: Listing,
    explanation: str,
    ctx: AuditContext,
    name: str = "",
    email: str = "",
    phone: str = "",
    proof=None,
) -> AppealSubmitted:
    """Record an appeal against `listing` (which must be listed). Every missing or wrong field is named at once;
    nothing is written unless all are right."""
    name, email, phone = (name or "").strip()[:200], (email or "").strip()[:254], (phone or "").strip()[:32]
    explanation = (explanation or "").strip()
    errors: dict[str, list[str]] = {}
    contact = _contact_errors(email, phone)
    if contact:
        errors["contact"] = contact
    if len(explanation) < MIN_EXPLANATION:
        errors["explanation"] = [_("Explain why the value should be delisted (at least 20 characters).")]
    try:
        checked = _checked_proof(proof)
    except Invalid as exc:
        errors.update(exc.errors)
        checked = None
    if errors:
        raise Invalid(errors)
    secret = new_secret()
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status != ListingStatus.LISTED:
            raise Conflict(_("This value is not listed any more: there is nothing to appeal."))
        appeal = create_with_reference(
            Appeal,
            "KN",
            8,
            {
                "listing": listing,
                "name": name,
                "email": email,
                "phone": phone,
                "explanation": explanation[:5000],
                "secret_hash": secret_hash(secret),
            },
        )
        if checked is not None:
            checked.file.seek(0)
            AppealProof.objects.create(
                appeal=appeal,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                content=checked.file.read(),
            )
        # No personal data in the audit log: the appeal's code and the listing only.
        audit_record(
            ctx=ctx,
            action="appeal.submit",
            obj=appeal,
            summary=f"{appeal.reference} → {listing.reference}",
            data={"listing": listing.reference, "proof": checked is not None},
        )
        submitted = AppealSubmitted(appeal, secret)
        if email:
            mail_queue([_mail(appeal, "received", submitted.track_path)])
    return submitted


def appeal_track(*, reference: str, secret: str) -> Appeal | None:
    """The appeal for a code and secret, or None (the same answer for a wrong code or a wrong secret)."""
    appeal = (
        Appeal.objects.select_related("listing__indicator", "listing__category")
        .filter(reference=(reference or "").strip().upper())
        .first()
    )
    expected = appeal.secret_hash if appeal else secret_hash("decoy")
    if not hmac.compare_digest(expected, secret_hash((secret or "").strip())) or appeal is None:
        return None
    return appeal


def appeal_decide(*, appeal: Appeal, decision: str, reason: str, ctx: AuditContext) -> Appeal:
    """A hub coordinator or head upholds the appeal (the value is delisted: DELISTED_HOOK lifts what depended on
    it) or dismisses it, with a reason; the appellant is told by e-mail and on the tracking page."""
    if not may_decide(ctx.actor):
        raise NotAllowed(_("Only a hub coordinator or the head of DIC or the Provincial Police may decide appeals."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = [_("Choose to uphold or dismiss the appeal.")]
    if len(reason) < 5:
        errors["reason"] = [_("Give the reason of the decision; the appellant reads it.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("listing").get(pk=appeal.pk)
        if appeal.status != AppealStatus.OPEN:
            raise Conflict(_("This appeal was decided already."))
        decided = [appeal]
        if decision == "uphold":
            if appeal.listing.status == ListingStatus.LISTED:
                LISTING_WORKFLOW.run(
                    "delist", obj=appeal.listing, data={"note": reason, "appeal": appeal.reference}, ctx=ctx
                )
            # The value is no longer listed: the other open appeals against this listing are answered too.
            decided += list(
                Appeal.objects.select_for_update()
                .filter(listing=appeal.listing, status=AppealStatus.OPEN)
                .exclude(pk=appeal.pk)
            )
        now = timezone.now()
        status = AppealStatus.UPHELD if decision == "uphold" else AppealStatus.DISMISSED
        mails = []
        for one in decided:
            one.status, one.decided_by, one.decided_at, one.decision_reason = status, ctx.actor, now, reason[:2000]
            one.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
            audit_record(
                ctx=ctx,
                action="appeal.decide",
                obj=one,
                summary=f"{one.reference}: {status}",
                data={"decision": decision, "listing": appeal.listing.reference, "reason": reason[:500]},
            )
            if one.email:
                mails.append(_mail(one, "decided", reverse("listing:appeal_lookup")))
        mail_queue(mails)
    appeal.refresh_from_db()
    return appeal


def _mail(appeal: Appeal, event: str, path: str) -> Outgoing:
    """The appellant's e-mail, in Vietnamese (the public's language)."""
    context = {"appeal": appeal, "listing": appeal.listing, "event": event, "link": f"{settings.SITE_URL}{path}"}
    with override("vi"):
        subject = render_to_string("listing/email/appeal_subject.txt", context).strip()
        body = render_to_string("listing/email/appeal.txt", context)
    return Outgoing(f"listing:appeal:{appeal.pk}:{event}", MAIL_APPEAL, [appeal.email], subject, body)
