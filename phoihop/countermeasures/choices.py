"""Choices of the countermeasures app: the states of a countermeasure and why one was lifted."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class Status(models.TextChoices):
    """Đ4.2, Đ11.2–11.3: requested → acknowledged → executed or refused → lifted (workflow.py)."""

    REQUESTED = "requested", _("Requested")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXECUTED = "executed", _("Executed")
    REFUSED = "refused", _("Refused")
    LIFTED = "lifted", _("Lifted")


# States in which the measure is asked for or in force: one such measure per value, target and action.
ACTIVE = (Status.REQUESTED, Status.ACKNOWLEDGED, Status.EXECUTED)
# States in which the target organisation still has something to do.
PENDING = (Status.REQUESTED, Status.ACKNOWLEDGED)


class LiftCause(models.TextChoices):
    DELISTING = "delisting", _("The value was delisted")
    DECISION = "decision", _("Decision of the requesting organisation")


# The two enterprise kinds this app added to the directory (directory.choices.EnterpriseKind): their Vietnamese
# names live in this app's catalogue, as phoihop/locale is not this app's to change.
ENTERPRISE_KIND_NAMES = (gettext_noop("Bank or payment provider"), gettext_noop("Online platform"))
