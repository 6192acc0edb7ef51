"""Choices of the exchange app: kinds of request, urgency, the states of a request and of each recipient."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    """What is asked (Đ5.5, Đ8.3, Đ11.8: information; Đ5.6: expert assessment; Đ3.3, Đ17.2: hand-over)."""

    INFORMATION = "information", _("Information request")
    ASSESSMENT = "assessment", _("Expert-assessment request")
    HANDOVER = "handover", _("Request to hand over documents or data")


class Urgency(models.TextChoices):
    """Decree 30/2020, Appendix I: the urgency marks; each has its own default period (rule-set data)."""

    NORMAL = "normal", _("Normal")
    URGENT = "khan", _("Urgent (Khẩn)")
    VERY_URGENT = "thuong_khan", _("Very urgent (Thượng khẩn)")
    FLASH = "hoa_toc", _("Flash (Hỏa tốc)")


class RequestStatus(models.TextChoices):
    """The request as its sender sees it; each recipient organisation has its own state (RecipientStatus)."""

    DRAFT = "draft", pgettext_lazy("request status", "Draft")
    SENT = "sent", pgettext_lazy("request status", "Sent")
    CLOSED = "closed", pgettext_lazy("request status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")


class RecipientStatus(models.TextChoices):
    """One recipient organisation's handling of a request."""

    DRAFT = "draft", pgettext_lazy("request status", "Not sent yet")
    SENT = "sent", pgettext_lazy("request status", "Awaiting receipt")
    RECEIVED = "received", pgettext_lazy("request status", "Received")
    ASSIGNED = "assigned", pgettext_lazy("request status", "Assigned")
    ANSWERED = "answered", pgettext_lazy("request status", "Answered")
    RETURNED = "returned", pgettext_lazy("request status", "Returned for more")
    ACCEPTED = "accepted", pgettext_lazy("request status", "Accepted")
    CLOSED = "closed", pgettext_lazy("request status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")


# States in which the recipient owes an answer (a deadline runs, reminders and escalation apply).
AWAITING_ANSWER = frozenset(
    {RecipientStatus.SENT, RecipientStatus.RECEIVED, RecipientStatus.ASSIGNED, RecipientStatus.RETURNED}
)
# States after which nothing more happens.
FINISHED = frozenset({RecipientStatus.CLOSED, RecipientStatus.WITHDRAWN})


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class AttachmentPurpose(models.TextChoices):
    REQUEST = "request", _("Attached to the request")
    ANSWER = "answer", _("Attached to an answer")
    HANDOVER = "handover", _("Handed over")


# The articles a request may rest on, with what they say (the form offers them; the API takes the code).
ARTICLES: dict[str, object] = {
    "Đ3.2": _("Đ3.2: information between agencies as documents confirmed by the head"),
    "Đ3.3": _("Đ3.3: focal points receive, coordinate and hand over documents"),
    "Đ5.5": _("Đ5.5: the DIC provides information to police investigations"),
    "Đ5.6": _("Đ5.6: the DIC receives requests for expert assessment"),
    "Đ6.2": _("Đ6.2: the Police inform the parties of criminals' methods"),
    "Đ7.3": _("Đ7.3: the Border Guard asks the DIC to coordinate"),
    "Đ8.3": _("Đ8.3: the DoIT answers the DIC's and the Police's requests for information"),
    "Đ10.3": _("Đ10.3: district People's Committees inform the investigation agency and the DIC"),
    "Đ11.8": _("Đ11.8: ICT enterprises provide complete, accurate and timely information on request"),
    "Đ17.2": _("Đ17.2: focal points hand over documents and data"),
    "Đ18.2": _("Đ18.2: reports on request to the DIC"),
}
# The article proposed for each kind of request (the sender may choose another).
DEFAULT_ARTICLE = {
    RequestKind.INFORMATION: "Đ11.8",
    RequestKind.ASSESSMENT: "Đ5.6",
    RequestKind.HANDOVER: "Đ17.2",
}
