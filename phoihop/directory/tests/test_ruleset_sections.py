"""The directory's rule-set sections: areas, functions, organisations and their holdings."""

from pathlib import Path

import pytest

from phoihop.directory.models import Function, Organisation, OrganisationFunction
from phoihop.directory.selectors import hub_organisation_ids
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of the soctrang-2013 folder."""
    return copy_ruleset(tmp_path)


def dic(doc) -> dict:
    """The Department of Information and Communications (a Đ5.2 hub) in organisations.yaml."""
    return next(o for o in doc["organisations"] if o["code"] == "st-dic")


def bump(folder: Path) -> None:
    """Raise the rule set's version, as every change to its files must."""
    edit(folder, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))


def test_an_organisation_naming_an_unknown_function_or_area_is_refused(copy):
    def break_it(doc):
        dic(doc)["functions"][0] = {"function": "no_such_function", "area": "no-such-area"}
        dic(doc)["parent"] = "no-such-org"

    edit(copy, "organisations.yaml", break_it)
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    message = str(exc.value)
    assert "organisations.yaml, record st-dic (organisations #1), field 'functions.0.function'" in message
    assert "unknown function 'no_such_function'" in message
    assert "field 'functions.0.area': unknown area 'no-such-area'" in message
    assert "field 'parent': unknown organisation 'no-such-org'" in message


def test_an_area_naming_an_unknown_parent_is_refused(copy):
    edit(copy, "areas.yaml", lambda d: d["areas"][1].update(parent="no-such-area"))
    with pytest.raises(RuleSetInvalid, match=r"areas\.yaml, record .*field 'parent': unknown area 'no-such-area'"):
        ruleset_load(code_or_path=str(copy))


def test_a_dropped_holding_is_deleted_and_the_hub_cache_cleared(copy):
    """Đ5.2: the hubs are the holders of `hub`; a load that changes them must not leave a stale cache."""
    dic_org = Organisation.objects.get(code="st-dic")
    assert dic_org.pk in hub_organisation_ids()  # now cached
    edit(copy, "organisations.yaml", lambda d: dic(d)["functions"].remove({"function": "hub"}))
    bump(copy)
    result = ruleset_load(code_or_path=str(copy))
    hub = Function.objects.get(code="hub")
    assert f"- holding st-dic/{hub.pk}" in result.changes
    assert not OrganisationFunction.objects.filter(organisation=dic_org, function__code="hub").exists()
    assert dic_org.pk not in hub_organisation_ids()
    assert not ruleset_load(code_or_path=str(copy)).changed
