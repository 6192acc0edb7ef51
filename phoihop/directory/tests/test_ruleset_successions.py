"""A record has one successor in a rule set: an organisation (or an area) listed in the `replaces` of two
records of the same rule set is refused, naming file, record and field, and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import snapshot_database

pytestmark = pytest.mark.django_db


def _write(folder: Path, name: str, doc: dict[str, Any]) -> None:
    (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def area(code: str, *, replaces=(), merged_from=()) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "code": code,
        "name": f"Huyện {code}",
        "kind": "district",
        "parent": "st",
        "coastal": False,
        "valid_from": "2026-01-01",
        "valid_to": None,
        "replaces": list(replaces),
    }
    if merged_from:
        rec["merged_from"] = list(merged_from)
    return rec


def organisation(code: str, *, replaces=()) -> dict[str, Any]:
    return {
        "code": code,
        "name_vi": f"Cơ quan {code}",
        "name_en": f"Agency {code}",
        "short_name": code,
        "type": "state_agency",
        "enterprise_kind": None,
        "parent": None,
        "area": "st",
        "valid_from": "2026-01-01",
        "valid_to": None,
        "email": f"{code}@soctrang.example.vn",
        "replaces": list(replaces),
        "functions": [{"function": "hub"}],
    }


def tiny_ruleset(tmp_path: Path, *, areas=(), organisations=()) -> Path:
    """A rule set of a few records extending soctrang-2013 (whose codes it may name)."""
    folder = tmp_path / "tiny-2026"
    folder.mkdir()
    _write(
        folder,
        "ruleset.yaml",
        {
            "code": "tiny-2026",
            "version": 1,
            "title_vi": "Bộ quy tắc thử",
            "title_en": "A test rule set",
            "legal_source": "Quyết định số 11/2013/QĐ-UBND",
            "effective_from": "2026-01-01",
            "effective_to": None,
            "extends": "soctrang-2013",
        },
    )
    _write(folder, "areas.yaml", {"areas": list(areas)})
    _write(folder, "functions.yaml", {"functions": []})
    _write(folder, "organisations.yaml", {"organisations": list(organisations)})
    _write(folder, "taxonomy.yaml", {"sectors": [], "behaviours": []})
    _write(folder, "routing.yaml", {"rules": []})
    return folder


def refused(folder: Path) -> str:
    """Load `folder`, expect a refusal, check nothing changed, and return the message."""
    before = snapshot_database()
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    assert snapshot_database() == before
    assert not RuleSet.objects.filter(code="tiny-2026").exists()
    return str(exc.value)


def test_the_tiny_rule_set_loads_when_each_record_has_one_successor(tmp_path):
    folder = tiny_ruleset(
        tmp_path,
        areas=[area("st-new-a", replaces=["st-chau-thanh"]), area("st-new-b", merged_from=["st-ke-sach"])],
        organisations=[organisation("st-new-dic", replaces=["st-dic"]), organisation("st-new-police")],
    )
    assert ruleset_load(code_or_path=str(folder)).changed
    assert Organisation.objects.get(code="st-dic").successor == Organisation.objects.get(code="st-new-dic")
    assert AdministrativeUnit.objects.get(code="st-ke-sach").successor.code == "st-new-b"


def test_an_organisation_replaced_by_two_organisations_is_refused(tmp_path):
    folder = tiny_ruleset(
        tmp_path,
        organisations=[
            organisation("st-new-dic", replaces=["st-dic"]),
            organisation("st-other-dic", replaces=["st-police", "st-dic"]),
        ],
    )
    text = refused(folder)
    assert "organisations.yaml, record st-other-dic (organisations #2), field 'replaces'" in text
    assert "'st-dic' is already replaced by 'st-new-dic'" in text
    assert "st-police" not in text  # replaced once: no error


@pytest.mark.parametrize(
    ("first", "second", "field", "message"),
    [
        ({"replaces": ["st-chau-thanh"]}, {"replaces": ["st-chau-thanh"]}, "replaces", "replaced by 'st-new-a'"),
        ({"merged_from": ["st-chau-thanh"]}, {"replaces": ["st-chau-thanh"]}, "replaces", "merged into 'st-new-a'"),
        ({"replaces": ["st-chau-thanh"]}, {"merged_from": ["st-chau-thanh"]}, "merged_from", "replaced by 'st-new-a'"),
    ],
)
def test_an_area_given_two_successors_is_refused(tmp_path, first, second, field, message):
    folder = tiny_ruleset(tmp_path, areas=[area("st-new-a", **first), area("st-new-b", **second)])
    text = refused(folder)
    assert f"areas.yaml, record st-new-b (areas #2), field '{field}'" in text
    assert f"'st-chau-thanh' is already {message}" in text
