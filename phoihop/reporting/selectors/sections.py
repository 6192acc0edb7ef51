"""The narrative sections of a party's report: rule-set data (reporting.yaml) of the period's rule set."""

from __future__ import annotations

from typing import Any

from ..models import Obligation, PartyReport, ReportingSchedule


def report_sections(report_or_obligation: PartyReport | Obligation) -> list[dict[str, Any]]:
    """The narrative sections of the schedule the period was opened under (rule-set data)."""
    obligation = getattr(report_or_obligation, "obligation", report_or_obligation)
    schedule = ReportingSchedule.objects.filter(ruleset_id=obligation.period.ruleset_id).first()
    return list(schedule.sections) if schedule else []


def missing_sections(report: PartyReport) -> list[dict[str, Any]]:
    return [s for s in report_sections(report) if s["required"] and not str(report.sections.get(s["code"], "")).strip()]
