"""The cantho-2025 organisations as shipped: a police and a People's Committee for each of the 103 units."""

from __future__ import annotations

import pytest

from phoihop.directory.models import Organisation
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import snapshot_database

pytestmark = pytest.mark.django_db


def test_the_2025_rule_set_loads_a_police_and_a_peoples_committee_per_unit_and_reloads_as_a_no_op():
    ruleset_load(code_or_path="cantho-2025")
    new = Organisation.objects.filter(ruleset__code="cantho-2025")
    police = new.filter(code__startswith="ct-police-", type="police").exclude(code="ct-police-investigation")
    assert police.count() == 103
    assert new.filter(code__startswith="ct-pc-", type="peoples_committee").count() == 103
    assert all(email.endswith(".example.vn") for email in new.values_list("email", flat=True))
    before = snapshot_database()
    assert not ruleset_load(code_or_path="cantho-2025").changed
    assert snapshot_database() == before
