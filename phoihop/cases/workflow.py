"""The case workflow, declared once: every move, who may make it, what it requires, what it notifies.

The UI reads MOVES to show which moves are possible; services.case_transition applies them.

    new -> verifying -> administrative handling (DIC or DoIT: sanction)        -> closed
                     -> transferred to the police (Đ5.4, Đ10.3) -> under investigation
                        -> recommended for prosecution (Đ3.4: the Procuracy) -> closed
    any open state -> closed (with an outcome); closed -> verifying (re-open)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import CaseStatus as S
from .choices import Outcome

OPEN = frozenset(s for s in S.values if s != S.CLOSED)


class Actor:
    """Who may make a move (checked in permissions.can_move)."""

    LEAD = "lead"  # staff of the lead organisation (focal point, head, hub coordinator, or a named officer)
    LEAD_REGULATOR = "lead_regulator"  # the lead must be an administrative regulator (DIC or DoIT)
    RECEIVING_POLICE = "receiving_police"  # staff of the police unit the case was transferred to
    LEAD_HEAD_OR_HUB = "lead_head_or_hub"  # the head of the lead organisation or a hub coordinator


# Functions whose holders may impose administrative sanctions (Đ5.4 DIC, Đ8.2 DoIT).
REGULATOR_FUNCTIONS = frozenset(
    {"postal_telecom_regulator", "internet_regulator", "it_regulator", "printing_regulator", "trade_market_regulator"}
)


@dataclass(frozen=True)
class Move:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    actor: str
    requires: tuple[str, ...] = ()
    article: str = ""
    notifies: str = "participants"


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("verify", _("Start verification"), frozenset({S.NEW}), S.VERIFYING, Actor.LEAD, (), "Đ4.4"),
        Move(
            "administrative",
            _("Handle administratively"),
            frozenset({S.VERIFYING}),
            S.ADMINISTRATIVE,
            Actor.LEAD_REGULATOR,
            ("sanction_decision", "measures"),
            "Đ4.5, Đ5.4",
        ),
        Move(
            "transfer",
            _("Transfer to the police"),
            frozenset({S.VERIFYING, S.ADMINISTRATIVE}),
            S.TRANSFERRED,
            Actor.LEAD,
            ("receiving_police_unit", "transfer_dossier"),
            "Đ5.4, Đ10.3",
        ),
        Move(
            "investigate",
            _("Open an investigation"),
            frozenset({S.TRANSFERRED}),
            S.INVESTIGATING,
            Actor.RECEIVING_POLICE,
            (),
            "Đ6.3",
        ),
        Move(
            "recommend",
            _("Recommend prosecution"),
            frozenset({S.INVESTIGATING}),
            S.RECOMMENDED,
            Actor.LEAD,
            ("procuracy", "recommendation_ref"),
            "Đ3.4",
        ),
        Move("close", _("Close"), OPEN, S.CLOSED, Actor.LEAD, ("outcome",), ""),
        Move("reopen", _("Re-open"), frozenset({S.CLOSED}), S.VERIFYING, Actor.LEAD_HEAD_OR_HUB, ("reason",), ""),
    ]
}

# Outcomes and the states a case must have reached to close with them.
OUTCOME_REQUIRES_STATE = {
    Outcome.SANCTIONED: frozenset({S.ADMINISTRATIVE}),
    Outcome.PROSECUTED: frozenset({S.RECOMMENDED}),
}


def moves_from(status: str) -> list[Move]:
    """The moves the workflow allows from `status` (before asking who may make them)."""
    return [m for m in MOVES.values() if status in m.sources]
