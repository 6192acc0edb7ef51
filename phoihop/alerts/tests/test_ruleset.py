"""alerts.yaml: loaded with the rule set (who issues which kind, reminders); a wrong file is refused naming the
file, the record and the field, and nothing is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from phoihop.alerts.models import AdvisoryKindRule
from phoihop.alerts.permissions import issuable_kinds
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "rulesets" / "data"


def test_the_shipped_rules_are_loaded():
    rules = {r.kind: r for r in AdvisoryKindRule.objects.all()}
    assert set(rules) == {"crime_method", "banned_goods", "guidance"}
    assert "trade_market_regulator" in rules["banned_goods"].issuer_functions
    assert rules["crime_method"].article == "Đ6.2"


@pytest.mark.parametrize("folder", ["soctrang-2013", "cantho-2025"])
def test_both_shipped_folders_carry_the_file(folder):
    assert (SHIPPED / folder / "alerts.yaml").is_file()


def _folder(tmp_path, text: str) -> Path:
    folder = tmp_path / "soctrang-2013"
    shutil.copytree(SHIPPED / "soctrang-2013", folder)
    (folder / "alerts.yaml").write_text(text, encoding="utf-8")
    return folder


def test_an_unknown_function_is_named(tmp_path):
    folder = _folder(
        tmp_path,
        "advisory_kinds:\n"
        "  - code: crime_method\n    issuer_functions: [no_such_function]\n    reminder_hours: 24\n"
        "    max_reminders: 1\n",
    )
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_load(code_or_path=str(folder))
    message = str(refused.value)
    assert "alerts.yaml" in message and "crime_method (advisory_kinds #1)" in message
    assert "issuer_functions.0" in message and "no_such_function" in message
    assert AdvisoryKindRule.objects.get(kind="crime_method").issuer_functions != ["no_such_function"]


def test_a_duplicate_kind_and_a_bad_interval_are_named(tmp_path):
    rec = "  - code: guidance\n    issuer_functions: [hub]\n    reminder_hours: {h}\n    max_reminders: 1\n"
    folder = _folder(tmp_path, "advisory_kinds:\n" + rec.format(h=24) + rec.format(h=24))
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_load(code_or_path=str(folder))
    assert "record guidance (advisory_kinds #2), field 'code': duplicate code 'guidance'" in str(refused.value)
    folder = _folder(tmp_path / "2", "advisory_kinds:\n" + rec.format(h=0))
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_load(code_or_path=str(folder))
    assert "alerts.yaml" in str(refused.value) and "reminder_hours" in str(refused.value)


def test_who_issues_follows_the_rule_set(cast):
    assert issuable_kinds(cast.doit_focal) == ["banned_goods"]
    AdvisoryKindRule.objects.filter(kind="banned_goods").update(issuer_functions=["hub"])
    assert issuable_kinds(cast.doit_focal) == []
    assert "banned_goods" in issuable_kinds(cast.dic_focal)
