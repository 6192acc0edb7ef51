"""Forms of the intake app: they shape what a person typed into a ReportInput; the services decide.

report: the report form of both HTML doors; indicators: its repeatable rows (a formset); others: tracking,
follow-up and contact reveal.
"""

from .indicators import IndicatorForm, IndicatorFormSet, indicator_formset, indicator_kind_choices
from .others import FollowUpForm, RevealContactForm, TrackForm
from .report import ReportChoices, ReportForm, area_choices, behaviour_choices, behaviour_label

__all__ = [
    "FollowUpForm",
    "IndicatorForm",
    "IndicatorFormSet",
    "ReportChoices",
    "ReportForm",
    "RevealContactForm",
    "TrackForm",
    "area_choices",
    "behaviour_choices",
    "behaviour_label",
    "indicator_formset",
    "indicator_kind_choices",
]
