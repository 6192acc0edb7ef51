"""Loading rule sets: idempotent, refused whole when broken, updated in place when changed."""

import shutil
from pathlib import Path

import pytest
import yaml

from phoihop.audit.models import AuditEvent
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.rulesets import services
from phoihop.rulesets.loader import DATA_DIR, RuleSetInvalid
from phoihop.rulesets.models import RuleSet, RuleSetLoad
from phoihop.rulesets.services import ruleset_load
from phoihop.taxonomy.models import Behaviour

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of the soctrang-2013 folder."""
    target = tmp_path / "soctrang-2013"
    shutil.copytree(DATA_DIR / "soctrang-2013", target)
    return target


def edit(folder: Path, file: str, change) -> None:
    path = folder / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot():
    return (
        list(AdministrativeUnit.objects.order_by("pk").values()),
        list(Organisation.objects.order_by("pk").values()),
        list(Behaviour.objects.order_by("pk").values()),
        RuleSetLoad.objects.count(),
        AuditEvent.objects.count(),
    )


def test_loading_twice_changes_nothing():
    before = snapshot()
    result = ruleset_load(code_or_path="soctrang-2013")
    assert not result.changed
    assert snapshot() == before


def test_a_changed_file_updates_in_place_and_records_the_version(copy):
    old = Behaviour.objects.get(code="13.4")
    old_version = RuleSet.objects.get(code="soctrang-2013").version
    edit(
        copy,
        "taxonomy.yaml",
        lambda d: next(b for b in d["behaviours"] if b["code"] == "13.4").update(help_vi="Cuộc gọi lừa đảo (đã sửa)"),
    )
    edit(copy, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    result = ruleset_load(code_or_path=str(copy))
    assert result.changed
    new = Behaviour.objects.get(code="13.4")
    assert new.pk == old.pk and new.help_vi == "Cuộc gọi lừa đảo (đã sửa)"
    ruleset = RuleSet.objects.get(code="soctrang-2013")
    assert ruleset.version == old_version + 1
    load = ruleset.loads.first()
    assert load.version == ruleset.version and any("13.4" in c for c in load.changes)
    assert AuditEvent.objects.filter(action="ruleset.load").exists()
    assert not ruleset_load(code_or_path=str(copy)).changed  # and loading it again is a no-op


def test_a_broken_field_is_refused_naming_file_record_and_field(copy):
    def break_it(doc):
        next(a for a in doc["areas"] if a["code"] == "st-vinh-chau")["coastal"] = "yes"

    edit(copy, "areas.yaml", break_it)
    before = snapshot()
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    message = str(exc.value)
    assert "areas.yaml" in message and "st-vinh-chau" in message and "'coastal'" in message
    assert snapshot() == before


def test_an_unknown_reference_is_refused_and_nothing_is_half_loaded(copy):
    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(help_vi="changed but must not land"))
    edit(copy, "organisations.yaml", lambda d: d["organisations"][0].update(area="no-such-area"))
    before = snapshot()
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    assert "organisations.yaml" in str(exc.value) and "'area'" in str(exc.value) and "no-such-area" in str(exc.value)
    assert snapshot() == before


def test_a_failure_mid_load_rolls_everything_back(copy, monkeypatch):
    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(help_vi="changed but must not land"))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_load_routing", explode)
    before = snapshot()
    with pytest.raises(RuntimeError):
        ruleset_load(code_or_path=str(copy))
    assert snapshot() == before


def test_invalid_yaml_is_refused_with_the_line(copy):
    (copy / "functions.yaml").write_text("functions:\n  - code: hub\n    name_vi: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    assert "functions.yaml" in str(exc.value) and "line" in str(exc.value)


def test_a_missing_file_is_refused(copy):
    (copy / "routing.yaml").unlink()
    with pytest.raises(RuleSetInvalid, match=r"routing\.yaml"):
        ruleset_load(code_or_path=str(copy))
