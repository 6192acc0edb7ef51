"""Drafting a document (Đ3.2): a focal point or an officer of the issuing organisation writes it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.cases.models import AdministrativeHandling, Case, PoliceTransfer, ProcuracyRecommendation
from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.permissions import scope
from phoihop.directory.models import Organisation
from phoihop.intake.models import Report

from .. import permissions as perm
from ..choices import DocumentStatus as S
from ..models import Document, DocumentRecipient
from ..validation import field_errors

STAGES = {
    AdministrativeHandling: "administrative_handling",  # Đ4.5, Đ5.4: the sanction decision
    PoliceTransfer: "police_transfer",  # Đ5.4, Đ10.3: the transfer dossier
    ProcuracyRecommendation: "recommendation",  # Đ3.4: the recommendation to the Procuracy
}


def _recipients(organisation: Organisation, recipients: Any, errors: dict) -> list[Organisation]:
    out: list[Organisation] = []
    for org in recipients or []:
        if not isinstance(org, Organisation):
            errors["recipients"] = [_("Recipients must be organisations of the directory.")]
            return []
        if org.pk == organisation.pk:
            errors["recipients"] = [_("The issuing organisation cannot be one of its own recipients.")]
            return []
        if org.pk not in {o.pk for o in out}:
            out.append(org)
    return out


def _links(actor, *, case, report, stage, errors: dict) -> dict[str, Any]:
    links: dict[str, Any] = {"case": None, "report": None, **dict.fromkeys(STAGES.values())}
    if stage is not None:
        field = STAGES.get(type(stage))
        if field is None:
            errors["stage"] = [_("A stage is a sanction, a transfer to the police or a recommendation of a case.")]
        elif case is not None and stage.case_id != case.pk:
            errors["stage"] = [_("This stage belongs to another case.")]
        else:
            links[field] = stage
            case = case or stage.case
    if case is not None:
        if not isinstance(case, Case) or not visible_cases(actor).filter(pk=case.pk).exists():
            errors["case"] = [_("Choose a case you can see.")]
        else:
            links["case"] = case
    if report is not None:
        if not isinstance(report, Report) or not scope(actor, Report, "view").filter(pk=report.pk).exists():
            errors["report"] = [_("Choose a report you can see.")]
        else:
            links["report"] = report
    return links


def _check_actor(ctx: AuditContext, organisation) -> None:
    actor = ctx.actor
    if (
        not perm.may_draft(actor)
        or not isinstance(organisation, Organisation)
        or actor.organisation_id != organisation.pk
    ):
        raise NotAllowed(_("Only the staff of the issuing organisation may draft its documents."))


@transaction.atomic
def document_draft(
    *,
    ctx: AuditContext,
    organisation: Organisation,
    kind: str,
    summary: str,
    body: str,
    recipients: list[Organisation],
    urgency: str = "",
    signer_position: str = "",
    case: Case | None = None,
    report: Report | None = None,
    stage: Any = None,
    drafting_unit: str = "",
    other_recipients: str = "",
) -> Document:
    """A new draft of `organisation` (see the package docstring)."""
    _check_actor(ctx, organisation)
    summary, body, urgency = (summary or "").strip(), (body or "").strip(), urgency or ""
    signer_position, drafting_unit = (signer_position or "").strip(), (drafting_unit or "").strip()
    other_recipients = (other_recipients or "").strip()
    errors = field_errors(
        kind=kind,
        summary=summary,
        body=body,
        urgency=urgency,
        signer_position=signer_position,
        has_recipients=bool(recipients) or bool(other_recipients),
        drafting_unit=drafting_unit,
    )
    orgs = _recipients(organisation, recipients, errors)
    links = _links(ctx.actor, case=case, report=report, stage=stage, errors=errors)
    if errors:
        raise Invalid(errors)
    doc = Document.objects.create(
        organisation=organisation,
        kind=kind,
        summary=summary,
        body=body,
        urgency=urgency,
        signer_position=signer_position,
        drafting_unit=drafting_unit,
        other_recipients=other_recipients,
        created_by=ctx.actor,
        **links,
    )
    DocumentRecipient.objects.bulk_create(
        [DocumentRecipient(document=doc, organisation=o, position=i) for i, o in enumerate(orgs)]
    )
    audit_record(
        ctx=ctx,
        action="document.draft",
        obj=doc,
        summary=summary[:200],
        data={"kind": kind, "recipients": [o.code for o in orgs]},
    )
    return doc


EDITABLE = {"kind", "summary", "body", "urgency", "signer_position", "drafting_unit", "other_recipients", "recipients"}


@transaction.atomic
def document_update(*, ctx: AuditContext, document: Document, **changes: Any) -> Document:
    """Change a draft (or a returned one): the same checks as a new draft."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise Invalid({sorted(unknown)[0]: [_("This field cannot be changed.")]})
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if not perm.can(ctx.actor, perm.Action.EDIT, doc):
        raise NotAllowed(_("You may not change this document."))
    if doc.status not in (S.DRAFT, S.RETURNED):
        raise Conflict(_("Only a draft or a returned document can be changed."))
    values = {f: changes.get(f, getattr(doc, f)) for f in EDITABLE - {"recipients"}}
    values = {k: (v or "").strip() if isinstance(v, str) or v is None else v for k, v in values.items()}
    recipients = (
        changes["recipients"]
        if "recipients" in changes
        else [r.organisation for r in doc.recipients.select_related("organisation")]
    )
    errors = field_errors(
        kind=values["kind"],
        summary=values["summary"],
        body=values["body"],
        urgency=values["urgency"],
        signer_position=values["signer_position"],
        has_recipients=bool(recipients) or bool(values["other_recipients"]),
        drafting_unit=values["drafting_unit"],
    )
    orgs = _recipients(doc.organisation, recipients, errors)
    if errors:
        raise Invalid(errors)
    for k, v in values.items():
        setattr(doc, k, v)
    doc.save(update_fields=[*values, "updated_at"])
    if "recipients" in changes:
        doc.recipients.all().delete()
        DocumentRecipient.objects.bulk_create(
            [DocumentRecipient(document=doc, organisation=o, position=i) for i, o in enumerate(orgs)]
        )
    audit_record(
        ctx=ctx, action="document.update", obj=doc, summary=doc.summary[:200], data={"fields": sorted(changes)}
    )
    return doc
