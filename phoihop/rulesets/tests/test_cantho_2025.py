"""The cantho-2025 rule set: a commune holder naming an unknown area is refused whole, naming file, record and field."""

from __future__ import annotations

import pytest

from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit, snapshot_database

pytestmark = pytest.mark.django_db


def test_a_commune_holder_naming_an_unknown_area_is_refused_naming_file_record_and_field(tmp_path):
    folder = copy_ruleset(tmp_path, "cantho-2025")

    def break_it(doc):
        police = next(o for o in doc["organisations"] if o["code"] == "ct-police-nhon-my")
        police["functions"][0]["area"] = "ct-no-such-commune"
        doc["organisations"][0]["name_en"] = "changed but must not land"

    edit(folder, "organisations.yaml", break_it)
    ruleset_load(code_or_path="cantho-2025")  # the shipped set is in place; the broken copy must not touch it
    before = snapshot_database()
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    assert snapshot_database() == before
    text = str(exc.value)
    assert "organisations.yaml" in text and "ct-police-nhon-my" in text
    assert "field 'functions.0.area'" in text and "unknown area 'ct-no-such-commune'" in text
