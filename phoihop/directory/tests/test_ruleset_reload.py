"""Reloading a shipped rule set that did not change writes nothing and reads each section's records once,
not once per record (the organisations and their holdings were ~1,250 statements for cantho-2025); a changed
holding is still reported and written as before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.directory.models import Function, OrganisationFunction
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit

pytestmark = pytest.mark.django_db

# Measured on SQLite: soctrang-2013 412 -> 179, cantho-2025 1,250 -> 103 (most of the rest: other sections).
RELOAD_BOUNDS = {"soctrang-2013": 200, "cantho-2025": 125}


@pytest.mark.parametrize("code", sorted(RELOAD_BOUNDS))
def test_reloading_an_unchanged_rule_set_costs_a_bounded_number_of_statements(code, django_assert_max_num_queries):
    ruleset_load(code_or_path=code)
    with django_assert_max_num_queries(RELOAD_BOUNDS[code]), CaptureQueriesContext(connection) as reload:
        assert not ruleset_load(code_or_path=code).changed
    holdings = [q for q in reload.captured_queries if 'FROM "directory_organisationfunction"' in q["sql"]]
    assert len(holdings) == 1  # the holdings of the file's organisations, read once


def test_changed_holdings_are_reported_and_written_and_a_reload_is_then_a_no_op(tmp_path):
    folder = copy_ruleset(tmp_path)

    def change(doc):
        dic, police = doc["organisations"][0], doc["organisations"][1]
        assert (dic["code"], police["code"]) == ("st-dic", "st-police")
        dic["functions"].remove({"function": "printing_regulator"})  # dropped: deleted
        dic["functions"] += [{"function": "local_police", "area": "st-vinh-chau"}] * 2  # new, listed twice
        police["functions"][0]["valid_to"] = "2030-12-31"  # changed: updated

    edit(folder, "organisations.yaml", change)
    edit(folder, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    result = ruleset_load(code_or_path=str(folder))
    printing = Function.objects.get(code="printing_regulator")
    holdings = [c for c in result.changes if "holding " in c or "organisationfunction " in c]  # in file order
    assert len(holdings) == 3 and (result.created, result.updated) == (1, 3)  # the version's change is an update
    assert holdings[0].startswith("+ organisationfunction ") and "/Thị xã Vĩnh Châu/" in holdings[0]
    assert holdings[1] == f"- holding st-dic/{printing.pk}"
    assert holdings[2].startswith("~ organisationfunction Sóc Trăng Provincial Police/") and holdings[2].endswith(
        ": valid_to"
    )
    dic_holdings = OrganisationFunction.objects.filter(organisation__code="st-dic")
    assert not dic_holdings.filter(function=printing).exists()
    assert dic_holdings.filter(function__code="local_police", area__code="st-vinh-chau").count() == 1
    hub = OrganisationFunction.objects.get(organisation__code="st-police", function__code="hub")
    assert str(hub.valid_to) == "2030-12-31"
    assert not ruleset_load(code_or_path=str(folder)).changed
