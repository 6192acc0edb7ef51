"""What the three doors (a form, the API, the demo) hand to the services: plain data, objects already resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from phoihop.directory.models import Organisation, User
from phoihop.intake.models import Report

from .choices import Urgency


@dataclass
class RequestInput:
    """What a request is made of (organisations, case and report resolved through the permission scope)."""

    kind: str
    subject: str
    article: str
    body: str
    recipients: Sequence[Organisation]
    urgency: str = Urgency.NORMAL
    due_date: dt.date | None = None
    case: Any = None
    report: Report | None = None
    files: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class MemberInput:
    """A council member: a person of the directory (`user`), or an outside expert named by hand (`name`)."""

    role: str
    user: User | None = None
    name: str = ""
    position: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class HandoverItemInput:
    """An item handed over on a medium (a disk, a paper file): what it is and the SHA-256 of its data."""

    description: str
    sha256: str
    size: int | None = None
