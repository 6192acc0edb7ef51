"""Choices of the listing app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingStatus(models.TextChoices):
    """The states of a listing decision (moves in workflow.py)."""

    PROPOSED = "proposed", _("Proposed")
    LISTED = "listed", _("Listed")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed")
    DELISTED = "delisted", _("Delisted")


# A listing in one of these states holds its indicator: a second proposal for the same value waits for it.
ACTIVE_STATES = (ListingStatus.PROPOSED, ListingStatus.LISTED)


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Being examined")
    UPHELD = "upheld", _("Upheld: the value was delisted")
    DISMISSED = "dismissed", _("Dismissed: the listing stays")


class LookupStatus(models.TextChoices):
    """The public answer about a value (no count, no text, no reporter, no case)."""

    LISTED = "listed", _("Listed")
    REPORTED = "reported", _("Reported, not verified")
    UNKNOWN = "unknown", _("Nothing known")


# Kinds the public may look up (Đ9: what a citizen meets in a scam); the rest are for officers.
PUBLIC_KINDS = ("phone", "url", "domain", "bank_account", "email")
