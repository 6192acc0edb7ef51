"""What every door hands the intake services: the input shapes, the error, the reference data of a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.indicators import normalise as ind
from phoihop.routing.engine import Router
from phoihop.taxonomy.models import Behaviour, Sector

from ..choices import ReporterType
from ..models import Report
from ..uploads import CheckedUpload

CONSENT_VERSION = "2026-01"  # the notice under the Personal Data Protection Law 91/2025
MAX_INDICATORS = 50
MAX_FILES = 10
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone


class ReportInvalid(Invalid):
    """The report cannot be accepted; `errors` maps each field to its messages."""


@dataclass
class IndicatorInput:
    kind: str
    value: str
    bank: str | None = None


@dataclass
class ContactInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False

    @property
    def given(self) -> bool:
        return bool(self.name.strip() or self.phone.strip() or self.email.strip())


@dataclass
class ReportInput:
    """What a report says, whichever door it came through."""

    description: str
    behaviour: str | None = None  # a behaviour code; None = "not sure"
    sector: str | None = None
    area: str | None = None  # an area code
    address: str = ""
    occurred_at: dt.datetime | None = None
    indicators: list[IndicatorInput] = field(default_factory=list)
    contact: ContactInput | None = None
    on_behalf_of: str = ""
    external_ref: str = ""
    files: list[Any] = field(default_factory=list)


@dataclass
class Submitted:
    report: Report
    secret: str | None  # shown once to a public reporter; None for a replayed idempotent submission
    created: bool = True


@dataclass
class Prepared:
    """A validated report, ready to be written: everything resolved, nothing saved yet."""

    data: ReportInput
    behaviour: Behaviour | None
    sector: Sector | None
    area: AdministrativeUnit | None
    indicators: list[tuple[ind.Indicator, str]]  # (indicator, source)
    uploads: list[CheckedUpload]


class IntakeContext:
    """Reference data for a run of submissions (one request, or one bulk batch).

    It is the day's routing table, which each process keeps in memory (routing.reference): validating
    and routing a report reads no reference row from the database.
    """

    def __init__(self, day: dt.date | None = None):
        self.router = Router(day=day)
        table = self.router.table
        self.behaviours: dict[str, Behaviour] = table.behaviours
        self.sectors: dict[str, Sector] = table.sectors
        self._areas = table.areas

    def area(self, code: str) -> AdministrativeUnit | None:
        return self._areas.get(code)


def reporter_of(ctx: AuditContext) -> tuple[str, Organisation | None]:
    """Who is reporting: the public, an enterprise (Đ11.5) or an agency (Đ3.4, Đ10.3)."""
    user = ctx.actor
    org = getattr(user, "organisation", None) if user is not None else None
    if org is None:
        return ReporterType.PUBLIC, None
    return (ReporterType.ENTERPRISE if org.is_enterprise else ReporterType.AGENCY), org
