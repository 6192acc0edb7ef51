"""Routing's rule-set section, and the order in which the apps' sections load."""

from pathlib import Path

import pytest

from phoihop.routing.models import RoutingRule
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.sections import registered_sections
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of the soctrang-2013 folder, one version up."""
    target = copy_ruleset(tmp_path)
    edit(target, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    return target


def test_the_apps_register_their_sections_in_layer_order():
    """Areas, functions and organisations (directory), then taxonomy, then routing, whose rules name them all;
    then the apps above, whose files name organisations, functions and areas."""
    names = [s.name for s in registered_sections()]
    assert names[:5] == ["areas", "functions", "organisations", "taxonomy", "routing"]
    assert names[5:] == [
        "documents",
        "exchange",
        "listing",
        "alerts",
        "countermeasures",
        "boundaries",
        "reporting",
    ]


def test_a_rule_dropped_from_the_file_is_deleted(copy):
    edit(copy, "routing.yaml", lambda d: d.update(rules=[r for r in d["rules"] if r["code"] != "D12-dic"]))
    result = ruleset_load(code_or_path=str(copy))
    assert "- routing rule D12-dic" in result.changes
    assert not RoutingRule.objects.filter(ruleset__code="soctrang-2013", code="D12-dic").exists()
    assert not ruleset_load(code_or_path=str(copy)).changed


def test_a_rule_naming_an_unknown_function_is_refused(copy):
    edit(copy, "routing.yaml", lambda d: d["rules"][0]["recipient"].update(function="no_such_function"))
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    assert str(exc.value) == (
        "routing.yaml, record D5.2-hub (rules #1), field 'recipient.function': unknown function 'no_such_function'"
    )
