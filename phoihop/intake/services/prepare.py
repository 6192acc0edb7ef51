"""Validation of a report: every field checked and resolved, every problem named, nothing written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.indicators import normalise as ind

from ..choices import IndicatorSource
from ..uploads import UploadRejected, check_upload
from .inputs import (
    MAX_FILES,
    MAX_INDICATORS,
    IntakeContext,
    Prepared,
    ReportInput,
    ReportInvalid,
)


def _valid_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def report_prepare(*, data: ReportInput, ictx: IntakeContext) -> Prepared:
    """Check every field; raise ReportInvalid naming each wrong one. Writes nothing."""
    errors: dict[str, list[str]] = defaultdict(list)
    description = (data.description or "").strip()
    if len(description) < 10:
        errors["description"].append(_("Describe what happened (at least 10 characters)."))
    elif len(description) > 20000:
        errors["description"].append(_("The description is too long (at most 20,000 characters)."))
    behaviour = None
    if data.behaviour:
        behaviour = ictx.behaviours.get(data.behaviour)
        if behaviour is None:
            errors["behaviour"].append(_("Unknown violation code '%(code)s'.") % {"code": data.behaviour})
    sector = behaviour.sector if behaviour else None
    if data.sector:
        sector = ictx.sectors.get(data.sector)
        if sector is None:
            errors["sector"].append(_("Unknown sector '%(code)s'.") % {"code": data.sector})
        elif behaviour and behaviour.sector_id != sector.pk:
            errors["behaviour"].append(_("This violation does not belong to the chosen sector."))
    area = None
    if data.area:
        area = ictx.area(data.area)
        if area is None:
            errors["area"].append(_("Unknown place '%(code)s'.") % {"code": data.area})
    if data.occurred_at and data.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"].append(_("The time it happened cannot be in the future."))
    if len(data.address) > 300:
        errors["address"].append(_("The address is too long."))
    if len(data.indicators) > MAX_INDICATORS:
        errors["indicators"].append(_("At most %(n)d indicators per report.") % {"n": MAX_INDICATORS})
    found: dict[tuple[str, str], tuple[ind.Indicator, str]] = {}
    for i, given in enumerate(data.indicators[:MAX_INDICATORS]):
        if given.kind not in ind.IndicatorKind.__members__.values():
            errors[f"indicators.{i}.kind"].append(_("Unknown kind of indicator '%(k)s'.") % {"k": given.kind})
            continue
        if not (given.value or "").strip():
            errors[f"indicators.{i}.value"].append(_("Enter a value."))
            continue
        if len(given.value) > 500:
            errors[f"indicators.{i}.value"].append(_("The value is too long."))
            continue
        # Invalid values are kept as written and flagged, never dropped.
        parsed = ind.normalise(given.kind, given.value, bank=given.bank)
        found.setdefault((parsed.kind, parsed.value), (parsed, IndicatorSource.FIELD))
    for parsed in ind.extract(description):
        found.setdefault((parsed.kind, parsed.value), (parsed, IndicatorSource.TEXT))
    for parsed, _source in list(found.values()):
        for extra in ind.related(parsed):
            found.setdefault((extra.kind, extra.value), (extra, IndicatorSource.DERIVED))
    contact = data.contact
    if contact and contact.given:
        if not contact.consent:
            errors["consent"].append(_("To leave contact details, agree to how they will be used."))
        if contact.email and not _valid_email(contact.email.strip()):
            errors["contact_email"].append(_("Enter a valid e-mail address."))
        if contact.phone and not ind.normalise("phone", contact.phone).valid:
            errors["contact_phone"].append(_("Enter a valid phone number."))
    if len(data.external_ref) > 100:
        errors["external_ref"].append(_("The reference is too long (at most 100 characters)."))
    if len(data.files) > MAX_FILES:
        errors["files"].append(_("At most %(n)d files per report.") % {"n": MAX_FILES})
    uploads = []
    for upload in data.files[:MAX_FILES]:
        try:
            uploads.append(check_upload(upload))
        except UploadRejected as exc:
            errors["files"].append(str(exc))
    if errors:
        raise ReportInvalid(dict(errors))
    return Prepared(data, behaviour, sector, area, list(found.values()), uploads)
