"""Models of the reporting cycle (Đ18, Đ19, Đ4.1, Đ5.3, Đ9), split by sub-domain."""

from .activities import AwarenessActivity
from .difficulties import Difficulty
from .meetings import Conclusion, MeetingParticipant, ReviewMeeting
from .periods import Obligation, Period, ReminderSent, ReportingSchedule
from .reports import Consolidation, PartyReport

__all__ = [
    "AwarenessActivity",
    "Conclusion",
    "Consolidation",
    "Difficulty",
    "MeetingParticipant",
    "Obligation",
    "PartyReport",
    "Period",
    "ReminderSent",
    "ReportingSchedule",
    "ReviewMeeting",
]
