"""Choices of the documents app: kinds and urgency of Decree 30/2020/NĐ-CP, states, verification results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """Decree 30/2020, Đ7: the kinds of administrative document the parties exchange (Đ3.2, Đ4.5, Đ5.4, Đ5.6)."""

    OFFICIAL_LETTER = "cong_van", _("Official letter")  # công văn
    DECISION = "quyet_dinh", _("Decision")  # quyết định (e.g. the sanction decision, Đ4.5)
    MINUTES = "bien_ban", _("Minutes")  # biên bản
    REPORT = "bao_cao", _("Report")  # báo cáo (Đ18: six-monthly reports)
    PROPOSAL = "to_trinh", _("Submission")  # tờ trình
    INVITATION = "giay_moi", _("Invitation")  # giấy mời
    ASSESSMENT = "ket_luan_giam_dinh", _("Expert-assessment conclusion")  # kết luận giám định (Đ5.6)


class Urgency(models.TextChoices):
    """Decree 30/2020, Appendix I, 7: the urgency marks of a document."""

    NORMAL = "", _("Normal")
    URGENT = "khan", _("Urgent (Khẩn)")
    VERY_URGENT = "thuong_khan", _("Very urgent (Thượng khẩn)")
    FLASH = "hoa_toc", _("Flash (Hỏa tốc)")


# The mark as printed on the document (Decree 30, Appendix I: capitals, bold, in a box).
URGENCY_MARK = {Urgency.URGENT: "KHẨN", Urgency.VERY_URGENT: "THƯỢNG KHẨN", Urgency.FLASH: "HỎA TỐC"}


class DocumentStatus(models.TextChoices):
    """The lifecycle of an outgoing document (workflow.py), and a paper one registered on arrival."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting signature")
    RETURNED = "returned", _("Returned for changes")
    SIGNED = "signed", _("Signed")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received (registered by hand)")


class Origin(models.TextChoices):
    ELECTRONIC = "electronic", _("Drafted and signed here")
    PAPER = "paper", _("Received on paper or from outside, registered by hand")


class Verdict(models.TextChoices):
    """What the verification of a signed PDF found (shown on the document page and by `documents verify`)."""

    VALID = "valid", _("Valid")
    UNTRUSTED = "untrusted", _("Valid, but the signer is not trusted")
    MODIFIED = "modified", _("Modified after signing")
    UNSIGNED = "unsigned", _("Not signed")
