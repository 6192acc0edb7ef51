"""Reads of the exchange app that need thought: the focal points' queues, a request by reference, a case's."""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .choices import AWAITING_ANSWER, RecipientStatus, RequestStatus
from .models import Answer, Recipient, Request
from .permissions import visible_requests


def request_for(user, reference: str) -> Request | None:
    """One request by its reference, through the permission scope (None when out of scope)."""
    return (
        visible_requests(user)
        .select_related("sender", "created_by", "case", "report")
        .filter(reference=reference)
        .first()
    )


def to_answer(user) -> QuerySet[Recipient]:
    """'Requests to answer': what the user's organisation owes an answer to, the soonest due first."""
    if not getattr(user, "organisation_id", None):
        return Recipient.objects.none()
    return (
        Recipient.objects.filter(
            organisation_id=user.organisation_id,
            status__in=[*AWAITING_ANSWER, RecipientStatus.ANSWERED],
            request__in=visible_requests(user),
        )
        .select_related("request__sender", "assignee", "organisation")
        .order_by("due_date", "pk")
    )


def awaiting_answers(user) -> QuerySet[Request]:
    """'Requests awaiting answers': what the user's organisation sent and is still open, with the earliest
    due date of its open recipients, how many are open and how many overdue."""
    if not getattr(user, "organisation_id", None):
        return Request.objects.none()
    today = timezone.localdate()
    open_rows = Q(recipients__status__in=[*AWAITING_ANSWER, RecipientStatus.ANSWERED])
    return (
        visible_requests(user)
        .filter(sender_id=user.organisation_id, status__in=[RequestStatus.DRAFT, RequestStatus.SENT])
        .annotate(
            next_due=Min("recipients__due_date", filter=Q(recipients__status__in=list(AWAITING_ANSWER))),
            open_count=Count("recipients", filter=open_rows, distinct=True),
            overdue_count=Count(
                "recipients",
                filter=Q(recipients__status__in=list(AWAITING_ANSWER), recipients__due_date__lt=today),
                distinct=True,
            ),
            answered_count=Count("recipients", filter=Q(recipients__status=RecipientStatus.ANSWERED), distinct=True),
        )
        .order_by("status", "next_due", "-created_at")
    )


def requests_of_case(user, case) -> QuerySet[Request]:
    """The requests about `case` that `user` may see, with whether any of their answers is overdue."""
    today = timezone.localdate()
    overdue = Recipient.objects.filter(request_id=OuterRef("pk"), status__in=list(AWAITING_ANSWER), due_date__lt=today)
    return (
        visible_requests(user)
        .filter(case=case)
        .exclude(status=RequestStatus.DRAFT)
        .select_related("sender")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.select_related("organisation")))
        .annotate(overdue=Exists(overdue))
        .order_by("-created_at")
    )


def answers_of(recipient: Recipient) -> list[Answer]:
    return list(
        recipient.answers.select_related("created_by", "returned_by", "reply_document")
        .prefetch_related("attachments")
        .order_by("round")
    )
