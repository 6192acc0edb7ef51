"""Who may see and do what with advisories and public warnings (Đ3.1, Đ17.1: need to know).

Advisories
- the sender's people see its advisories, drafts included; the recipients' people see what was sent to them;
- the hubs (DIC, Provincial Police, Đ5.2) see every sent advisory that is not restricted;
- a restricted advisory is seen only by the sender's and the recipients' people (every view is recorded);
- Đ6.2 the Police, Đ8.1 the DoIT, Đ5.1 and Đ5.7 the DIC issue them: which organisations may issue which kind
  follows from the functions they hold today and the functions alerts.yaml names for each kind (rule-set data).
Public warnings (Đ9)
- drafted by the people of a state organisation, seen by its people and by the hubs;
- approved (published), returned or withdrawn by the head of the issuing organisation only;
- once published, anyone sees it on the public site (selectors.published_warnings).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.core.permissions import memo, register_policy
from phoihop.directory.choices import OrganisationType, Role
from phoihop.directory.models import OrganisationFunction
from phoihop.directory.selectors import today

from .choices import AccessLevel, AdvisoryKind, AdvisoryStatus, WarningStatus
from .models import Advisory, AdvisoryKindRule, AdvisoryRecipient, PublicWarning

STAFF_ROLES = {Role.OFFICER, Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}
ACTING_ROLES = {Role.FOCAL_POINT, Role.HEAD, Role.HUB_COORDINATOR}
ACKNOWLEDGING_ROLES = STAFF_ROLES | {Role.ENTERPRISE_REPORTER}


def issuer_functions() -> dict[str, set[str]]:
    """Each kind of advisory -> the functions whose holders issue it: rule-set data (alerts.yaml)."""
    return {rule.kind: set(rule.issuer_functions) for rule in AdvisoryKindRule.objects.all()}


class Action:
    VIEW = "view"
    EDIT = "edit"
    SEND = "send"
    ACKNOWLEDGE = "acknowledge"
    TRACK = "track"  # who acknowledged and who did not


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def _hub(user) -> bool:
    return user.role != Role.ENTERPRISE_REPORTER and memo(user, "alerts.hub", lambda: user.is_hub_member)


def issuable_kinds(user) -> list[str]:
    """The kinds of advisory `user`'s organisation may issue today (from the functions it holds)."""
    if not _active(user) or user.role not in STAFF_ROLES:
        return []

    def compute() -> list[str]:
        held = set(
            OrganisationFunction.objects.valid_on(today())
            .filter(organisation_id=user.organisation_id)
            .values_list("function__code", flat=True)
        )
        rules = issuer_functions()
        return [kind for kind in AdvisoryKind.values if held & rules.get(kind, set())]

    return memo(user, "alerts.issuable_kinds", compute)


def may_issue(user) -> bool:
    return bool(issuable_kinds(user))


def visible_advisories(user, qs: QuerySet[Advisory] | None = None) -> QuerySet[Advisory]:
    qs = Advisory.objects.all() if qs is None else qs
    if not _active(user) or user.role == Role.SYSADMIN:
        return qs.none()
    own = Q(sender_id=user.organisation_id)
    sent = ~Q(status=AdvisoryStatus.DRAFT)
    recipient = Q(
        Exists(AdvisoryRecipient.objects.filter(advisory=OuterRef("pk"), organisation_id=user.organisation_id))
    )
    rule = own | (sent & recipient)
    if _hub(user):
        rule |= sent & ~Q(access_level=AccessLevel.RESTRICTED)
    return qs.filter(rule)


def _recipient_row(user, advisory: Advisory) -> AdvisoryRecipient | None:
    return AdvisoryRecipient.objects.filter(advisory=advisory, organisation_id=user.organisation_id).first()


def can_advisory(user, action: str, advisory: Advisory) -> bool:
    if not visible_advisories(user).filter(pk=advisory.pk).exists():
        return False
    own = advisory.sender_id == user.organisation_id
    if action == Action.VIEW:
        return True
    if action == Action.TRACK:
        return own
    if action == Action.EDIT:
        return own and advisory.status == AdvisoryStatus.DRAFT and advisory.kind in issuable_kinds(user)
    if action == Action.SEND:
        return own and user.role in ACTING_ROLES and advisory.kind in issuable_kinds(user)
    if action == Action.ACKNOWLEDGE:
        row = _recipient_row(user, advisory)
        return (
            advisory.status == AdvisoryStatus.SENT
            and user.role in ACKNOWLEDGING_ROLES
            and row is not None
            and row.acknowledged_at is None
        )
    return False


def advisory_sender_may_move(user, advisory: Advisory) -> bool:
    """The sender's focal point, head or hub coordinator sends and withdraws (its officers draft)."""
    return _active(user) and can_advisory(user, Action.SEND, advisory)


# --- Public warnings ------------------------------------------------------------------------------------------

WARNING_ORG_TYPES = {t for t in OrganisationType.values if t != OrganisationType.ENTERPRISE}


def may_draft_warning(user) -> bool:
    """Đ9: the state agencies warn the public (an enterprise reports, it does not publish warnings here)."""
    return bool(
        _active(user)
        and user.role in STAFF_ROLES
        and memo(user, "alerts.org_type", lambda: user.organisation.type) in WARNING_ORG_TYPES
    )


def visible_warnings(user, qs: QuerySet[PublicWarning] | None = None) -> QuerySet[PublicWarning]:
    """The warnings `user` sees in the staff pages (the public sees the published ones elsewhere)."""
    qs = PublicWarning.objects.all() if qs is None else qs
    if not _active(user) or user.role not in STAFF_ROLES:
        return qs.none()
    rule = Q(organisation_id=user.organisation_id)
    if _hub(user):
        rule |= ~Q(status=WarningStatus.DRAFT)
    return qs.filter(rule)


def _own_warning(user, warning: PublicWarning) -> bool:
    return _active(user) and warning.organisation_id == user.organisation_id and user.role in STAFF_ROLES


def warning_author_may_move(user, warning: PublicWarning) -> bool:
    """The issuing organisation's people edit and submit their drafts."""
    return _own_warning(user, warning)


def warning_head_may_move(user, warning: PublicWarning) -> bool:
    """Đ9: only the head of the issuing organisation approves, returns or withdraws a public warning."""
    return _own_warning(user, warning) and user.role == Role.HEAD


def can_warning(user, action: str, warning: PublicWarning) -> bool:
    if not visible_warnings(user).filter(pk=warning.pk).exists():
        return False
    if action == Action.VIEW:
        return True
    if action == Action.EDIT:
        return warning_author_may_move(user, warning) and warning.status in {
            WarningStatus.DRAFT,
            WarningStatus.RETURNED,
        }
    return False


class AdvisoryPolicy:
    def scope(self, user, qs, action: str = Action.VIEW):
        return visible_advisories(user, qs)

    def can(self, user, action: str, obj) -> bool:
        return can_advisory(user, str(action).removeprefix("advisory."), obj)


class WarningPolicy:
    def scope(self, user, qs, action: str = Action.VIEW):
        return visible_warnings(user, qs)

    def can(self, user, action: str, obj) -> bool:
        return can_warning(user, str(action).removeprefix("warning."), obj)


def register() -> None:
    register_policy(Advisory, AdvisoryPolicy())
    register_policy(PublicWarning, WarningPolicy())
