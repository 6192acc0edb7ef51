"""Choices of the intake app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    SIGNED_IN = "signed_in", _("Signed-in form")
    API = "api", _("API")
    BULK = "bulk", _("Bulk import")


class ReporterType(models.TextChoices):
    PUBLIC = "public", _("Member of the public")
    ENTERPRISE = "enterprise", _("ICT enterprise")
    AGENCY = "agency", _("State agency")


class ReportStatus(models.TextChoices):
    """Where a report stands; the public sees only PublicStatus."""

    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_CASE = "in_case", _("In a case")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded")
    DUPLICATE = "duplicate", _("Duplicate")
    NO_JURISDICTION = "no_jurisdiction", _("Outside jurisdiction")
    CASE_CLOSED = "case_closed", _("Its case was closed")


class PublicStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


# What the public sees of each status (the report's machine is in status.py).
PUBLIC_STATUS = {
    ReportStatus.RECEIVED: PublicStatus.RECEIVED,
    ReportStatus.ACKNOWLEDGED: PublicStatus.HANDLING,
    ReportStatus.IN_CASE: PublicStatus.HANDLING,
    ReportStatus.CLOSED: PublicStatus.CLOSED,
}


class IndicatorSource(models.TextChoices):
    FIELD = "field", _("Entered")
    TEXT = "text", _("Found in the text")
    DERIVED = "derived", _("Derived")


# What a closed report's reporter reads on the tracking page: the outcome in plain words, never the internal note.
PUBLIC_OUTCOME = {
    CloseReason.UNFOUNDED: _(
        "The authorities examined your report and found no violation they can act on. Thank you for reporting: "
        "if something new happens, send a new report."
    ),
    CloseReason.DUPLICATE: _(
        "The same facts had already been reported: your report was handled together with the earlier one."
    ),
    CloseReason.NO_JURISDICTION: _(
        "The facts you reported are outside what the province's agencies can handle, so they did not act on it "
        "here. If you lost money, you can also report it to the police where you live or call 113."
    ),
    CloseReason.CASE_CLOSED: _(
        "Your report was handled as part of a case, and the agencies have now finished handling that case."
    ),
}
PUBLIC_OUTCOME_DEFAULT = _("The agencies have finished handling your report.")
