"""The taxonomy's rule-set section: sectors and behaviours, updated in place, retired rather than deleted."""

from pathlib import Path

import pytest

from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit
from phoihop.taxonomy.models import Behaviour

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of the soctrang-2013 folder."""
    target = copy_ruleset(tmp_path)
    edit(target, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    return target


def test_a_changed_behaviour_is_updated_in_place(copy):
    old = Behaviour.objects.get(code="13.4")
    edit(
        copy,
        "taxonomy.yaml",
        lambda d: next(b for b in d["behaviours"] if b["code"] == "13.4").update(help_vi="Cuộc gọi lừa đảo (đã sửa)"),
    )
    result = ruleset_load(code_or_path=str(copy))
    assert "~ behaviour 13.4: help_vi" in result.changes
    new = Behaviour.objects.get(code="13.4")
    assert new.pk == old.pk and new.help_vi == "Cuộc gọi lừa đảo (đã sửa)"


def test_a_behaviour_dropped_from_the_file_is_retired_not_deleted(copy):
    """Reports cite behaviours, so one the regulation no longer lists stays, inactive."""
    edit(copy, "taxonomy.yaml", lambda d: d.update(behaviours=[b for b in d["behaviours"] if b["code"] != "13.4"]))
    ruleset_load(code_or_path=str(copy))
    assert Behaviour.objects.get(code="13.4").is_active is False


def test_a_behaviour_of_an_unknown_sector_is_refused(copy):
    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(sector="no_such_sector"))
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    assert "taxonomy.yaml, record" in str(exc.value) and "(behaviours #1), field 'sector'" in str(exc.value)
    assert "unknown sector 'no_such_sector'" in str(exc.value)
