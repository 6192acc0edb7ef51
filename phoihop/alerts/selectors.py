"""Reads of the alerts app that need thought: inboxes, acknowledgement status, the public warnings."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from phoihop.cases.selectors import case_indicators
from phoihop.listing.selectors import listed_indicators

from .choices import AdvisoryStatus, WarningStatus
from .models import Advisory, AdvisoryRecipient, PublicWarning
from .permissions import visible_advisories, visible_warnings
from .services.indicators import indicators_text


def advisory_for(user, reference: str) -> Advisory | None:
    """One advisory by its number, through the permission scope (None: absent or not to be seen)."""
    return (
        visible_advisories(user)
        .filter(reference=reference)
        .select_related("sender", "created_by")
        .prefetch_related("indicators", "audience_functions", "audience_organisations")
        .first()
    )


def advisories_received(user) -> QuerySet[Advisory]:
    """The advisories sent to the user's organisation, unacknowledged first, with its acknowledgement."""
    mine = AdvisoryRecipient.objects.filter(advisory=OuterRef("pk"), organisation_id=user.organisation_id)
    return (
        visible_advisories(user)
        .exclude(status=AdvisoryStatus.DRAFT)
        .filter(Exists(mine))
        .annotate(acknowledged=Exists(mine.filter(acknowledged_at__isnull=False)))
        .select_related("sender")
        .order_by("acknowledged", "-sent_at")
    )


def advisories_sent(user) -> QuerySet[Advisory]:
    """The advisories of the user's organisation (drafts too), with how many recipients acknowledged."""
    return (
        visible_advisories(user)
        .filter(sender_id=user.organisation_id)
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            acknowledged_count=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False), distinct=True),
        )
        .order_by("-created_at")
    )


def advisory_recipients(advisory: Advisory) -> QuerySet[AdvisoryRecipient]:
    """Who has and who has not acknowledged (those who have not first)."""
    return (
        advisory.recipients.select_related("organisation", "acknowledged_by")
        .annotate(pending=Q(acknowledged_at__isnull=True))
        .order_by("-pending", "organisation__name_vi")
    )


def my_recipient_row(user, advisory: Advisory) -> AdvisoryRecipient | None:
    return advisory.recipients.filter(organisation_id=user.organisation_id).first()


def unacknowledged_count(user) -> int:
    if not (user.is_authenticated and user.organisation_id):
        return 0
    return AdvisoryRecipient.objects.filter(
        organisation_id=user.organisation_id, acknowledged_at__isnull=True, advisory__status=AdvisoryStatus.SENT
    ).count()


# --- Public warnings --------------------------------------------------------------------------------------------


def warning_for(user, pk: int) -> PublicWarning | None:
    return visible_warnings(user).filter(pk=pk).select_related("organisation", "case", "created_by").first()


def warnings_for_staff(user) -> QuerySet[PublicWarning]:
    return visible_warnings(user).select_related("organisation").order_by("-updated_at")


def warnings_awaiting(user) -> QuerySet[PublicWarning]:
    """The approval queue of a head: their organisation's submitted warnings."""
    return warnings_for_staff(user).filter(status=WarningStatus.SUBMITTED, organisation_id=user.organisation_id)


def published_warnings() -> QuerySet[PublicWarning]:
    """What the public site, the feeds and the newsrooms see."""
    return (
        PublicWarning.objects.filter(status=WarningStatus.PUBLISHED)
        .select_related("organisation")
        .order_by("-published_at", "-pk")
    )


def published_warning(slug: str) -> PublicWarning | None:
    return published_warnings().filter(slug=slug).prefetch_related("images").first()


def listed_of(warning: PublicWarning) -> list:
    """The warning's indicators that are listed now (verified by a listing decision, never a mere report),
    each with its listing: only these are shown to the public."""
    ids = list(warning.indicators.values_list("pk", flat=True))
    if not ids:
        return []
    return list(listed_indicators().filter(indicator_id__in=ids).order_by("indicator__kind", "indicator__value"))


def case_warnings(user, case) -> QuerySet[PublicWarning]:
    return warnings_for_staff(user).filter(case=case)


def warning_initial_from_case(case) -> dict:
    """A draft pre-filled from a case: its title, its summary and the indicators of its reports."""
    behaviour = case.behaviour.help if getattr(case, "behaviour", None) else ""
    return {
        "title": case.title[:200],
        "summary": (case.summary or behaviour or case.title)[:600],
        "method": case.summary or behaviour,
        "indicators": indicators_text(case_indicators(case)[:100]),
    }


def warnings_naming(indicator_ids: list[int]) -> dict[int, dict[str, str]]:
    """For the public look-up (listing's PUBLIC_WARNING_HOOK): the newest published warning naming each value."""
    through = PublicWarning.indicators.through
    rows = (
        through.objects.filter(indicator_id__in=indicator_ids, publicwarning__status=WarningStatus.PUBLISHED)
        .order_by("indicator_id", "-publicwarning__published_at")
        .values_list("indicator_id", "publicwarning__title", "publicwarning__slug")
    )
    out: dict[int, dict[str, str]] = {}
    for indicator_id, title, slug in rows:
        out.setdefault(indicator_id, {"title": title, "url": reverse("alerts:public_warning", args=[slug])})
    return out
