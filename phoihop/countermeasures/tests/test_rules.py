"""countermeasures.yaml is rule-set data: shipped in both folders, checked by its schema (errors name file, record and
field), loaded per rule set; the cantho-2025 set answers once in force."""

from __future__ import annotations

import shutil

import pytest

from phoihop.countermeasures.models import CountermeasureRule
from phoihop.countermeasures.rules import rules_in_force
from phoihop.rulesets.loader import DATA_DIR, RuleSetInvalid, read_ruleset
from phoihop.rulesets.services import ruleset_load

pytestmark = pytest.mark.django_db


def test_both_shipped_folders_carry_the_file_and_it_loads():
    for code in ("soctrang-2013", "cantho-2025"):
        data = read_ruleset(DATA_DIR / code)
        codes = [a["code"] for a in data.records("countermeasures", "actions")]
        assert codes == ["block_number", "block_site", "take_down", "freeze_account"]
    rules = rules_in_force()
    assert rules["freeze_account"].enterprise_kinds == ["bank"]
    assert rules["block_number"].indicator_kinds[0] == "phone"


def test_an_error_names_file_record_and_field(tmp_path):
    folder = tmp_path / "soctrang-2013"
    shutil.copytree(DATA_DIR / "soctrang-2013", folder)
    path = folder / "countermeasures.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("enterprise_kinds: [bank]", "enterprise_kinds: [bakery]"),
        encoding="utf-8",
    )
    with pytest.raises(RuleSetInvalid) as bad:
        read_ruleset(folder)
    message = str(bad.value)
    assert "countermeasures.yaml" in message and "freeze_account (actions #4)" in message
    assert "enterprise_kinds" in message


def test_a_duplicate_action_is_refused(tmp_path):
    folder = tmp_path / "soctrang-2013"
    shutil.copytree(DATA_DIR / "soctrang-2013", folder)
    path = folder / "countermeasures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("code: take_down", "code: block_site"), encoding="utf-8")
    with pytest.raises(RuleSetInvalid) as bad:
        read_ruleset(folder)
    assert "duplicate code 'block_site'" in str(bad.value)


def test_the_2025_folder_loads_its_own_rules():
    ruleset_load(code_or_path="cantho-2025")
    assert CountermeasureRule.objects.filter(ruleset__code="cantho-2025").count() == 4
    assert set(rules_in_force()) == {"block_number", "block_site", "take_down", "freeze_account"}
