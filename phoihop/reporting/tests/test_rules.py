"""The reporting section of a rule-set folder: a bad period file is refused naming file, record and field, and
nothing is loaded; a good one is kept with its rule set."""

from __future__ import annotations

import shutil

import pytest

from phoihop.reporting.models import ReportingSchedule
from phoihop.rulesets.loader import DATA_DIR, RuleSetInvalid
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "soctrang-2013"
    shutil.copytree(DATA_DIR / "soctrang-2013", path)
    return path


def _edit(folder, old: str, new: str) -> None:
    path = folder / "reporting.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'ends: "06-30"',
            'ends: "06-31"',
            "reporting.yaml, record H1 (periods #1), field 'ends': '06-31' is not a day",
        ),
        ('due: "07-10"', 'due: "7/10"', "reporting.yaml, record H1 (periods #1), field 'due'"),
        ('starts: "07-01"', 'starts: "06-15"', "reporting.yaml, record H2 (periods #2), field 'starts': overlaps H1"),
        (
            "function: trade_market_regulator",
            "function: no_such_function",
            "reporting.yaml, record industry-trade (obliged #2), field 'function': unknown function",
        ),
        (
            "    required: true\n",
            "    required: maybe\n",
            "reporting.yaml, record results (sections #1), field 'required'",
        ),
    ],
)
def test_a_bad_period_file_is_refused_naming_file_record_and_field(folder, old, new, where):
    before = ReportingSchedule.objects.get().pk
    _edit(folder, old, new)
    with pytest.raises(RuleSetInvalid) as err:
        ruleset_load(code_or_path=str(folder))
    assert where in str(err.value)
    assert ReportingSchedule.objects.get().pk == before


def test_the_schedule_is_kept_with_its_rule_set():
    schedule = ReportingSchedule.objects.select_related("ruleset").get()
    assert schedule.ruleset.code == "soctrang-2013" and schedule.article == "Đ18"
    assert [p["code"] for p in schedule.periods] == ["H1", "H2"]
    assert schedule.reminder_days == [7, 1]
    assert {s["code"] for s in schedule.sections if s["required"]} == {"results", "difficulties", "proposals"}
