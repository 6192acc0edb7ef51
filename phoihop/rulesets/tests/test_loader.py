"""Loading rule sets: idempotent, refused whole when broken, updated in place when changed."""

from dataclasses import replace
from pathlib import Path

import pytest

from phoihop.audit.models import AuditEvent
from phoihop.rulesets import sections
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit, snapshot_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of the soctrang-2013 folder."""
    return copy_ruleset(tmp_path)


def refused(folder: Path) -> str:
    """Load `folder`, expecting it refused with nothing written; return the error message."""
    before = snapshot_database()
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    assert snapshot_database() == before
    return str(exc.value)


def test_loading_twice_changes_nothing():
    before = snapshot_database()
    result = ruleset_load(code_or_path="soctrang-2013")
    assert not result.changed
    assert snapshot_database() == before


def test_a_changed_file_updates_in_place_and_records_the_version(copy):
    old_version = RuleSet.objects.get(code="soctrang-2013").version
    edit(
        copy,
        "taxonomy.yaml",
        lambda d: next(b for b in d["behaviours"] if b["code"] == "13.4").update(help_vi="Cuộc gọi lừa đảo (đã sửa)"),
    )
    edit(copy, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    result = ruleset_load(code_or_path=str(copy))
    assert result.changed and result.created == 0  # updated in place, nothing new
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
    message = refused(copy)
    assert "areas.yaml" in message and "st-vinh-chau" in message and "'coastal'" in message


def test_an_unknown_reference_is_refused_and_nothing_is_half_loaded(copy):
    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(help_vi="changed but must not land"))
    edit(copy, "organisations.yaml", lambda d: d["organisations"][0].update(area="no-such-area"))
    message = refused(copy)
    assert "organisations.yaml" in message and "'area'" in message and "no-such-area" in message


def test_references_across_sections_are_checked_before_anything_loads(copy):
    """A routing rule names a function, a sector and behaviours that other sections define."""

    def break_it(doc):
        doc["rules"][0]["recipient"]["function"] = "no_such_function"
        doc["rules"][1]["when"] = {"sectors": ["no_such_sector"], "behaviours": ["99.1", "98.*"]}

    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(help_vi="changed but must not land"))
    edit(copy, "routing.yaml", break_it)
    message = refused(copy)
    assert "routing.yaml" in message and "'recipient.function'" in message and "no_such_function" in message
    assert "'when.sectors'" in message and "unknown sector 'no_such_sector'" in message
    assert "unknown behaviour '99.1'" in message and "unknown behaviour prefix '98.*'" in message


def test_a_failure_mid_load_rolls_everything_back(copy, monkeypatch):
    edit(copy, "taxonomy.yaml", lambda d: d["behaviours"][0].update(help_vi="changed but must not land"))
    edit(copy, "areas.yaml", lambda d: d["areas"][0].update(name="changed but must not land"))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    last = sections.registered_sections()[-1]
    monkeypatch.setitem(sections._registry, last.name, replace(last, load=explode))
    before = snapshot_database()
    with pytest.raises(RuntimeError):
        ruleset_load(code_or_path=str(copy))
    assert snapshot_database() == before


def test_invalid_yaml_is_refused_with_the_line(copy):
    (copy / "functions.yaml").write_text("functions:\n  - code: hub\n    name_vi: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(copy))
    assert "functions.yaml" in str(exc.value) and "line" in str(exc.value)


def test_a_missing_file_is_refused(copy):
    (copy / "routing.yaml").unlink()
    with pytest.raises(RuleSetInvalid, match=r"routing\.yaml"):
        ruleset_load(code_or_path=str(copy))


def test_a_date_that_does_not_exist_is_refused_naming_file_record_and_field(copy):
    edit(
        copy,
        "areas.yaml",
        lambda d: next(a for a in d["areas"] if a["code"] == "st-vinh-chau").update(valid_from="2025-02-30"),
    )
    message = refused(copy)
    assert "areas.yaml, record st-vinh-chau (areas #" in message
    assert "field 'valid_from': '2025-02-30' is not a date" in message


def test_a_date_that_does_not_exist_in_a_nested_field_is_refused(copy):
    """Also in a function holding of an organisation, and in the rule set's own dates."""

    def break_holding(doc):
        org = next(o for o in doc["organisations"] if o.get("functions"))
        org["functions"][0]["valid_to"] = "2023-02-29"
        return org["code"]

    codes = []
    edit(copy, "organisations.yaml", lambda d: codes.append(break_holding(d)))
    edit(copy, "ruleset.yaml", lambda d: d.update(effective_to="2014-04-31"))
    message = refused(copy)
    assert f"organisations.yaml, record {codes[0]} (organisations #" in message
    assert "field 'functions.0.valid_to': '2023-02-29' is not a date" in message
    assert "ruleset.yaml, field 'effective_to': '2014-04-31' is not a date" in message


def test_an_unquoted_date_that_does_not_exist_is_refused_naming_the_field(copy):
    path = copy / "areas.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index('valid_from: "')
    end = text.index("\n", first)
    path.write_text(text[:first] + "valid_from: 2013-02-30" + text[end:], encoding="utf-8")
    message = refused(copy)
    assert "areas.yaml, record" in message and "field 'valid_from': '2013-02-30' is not a date" in message


def test_a_duplicate_code_in_a_list_is_refused_naming_file_record_and_field(copy):
    def duplicate(doc):
        twin = dict(next(a for a in doc["areas"] if a["code"] == "st-vinh-chau"), name="Thị xã Vĩnh Châu (bis)")
        doc["areas"].append(twin)

    edit(copy, "areas.yaml", duplicate)
    edit(copy, "routing.yaml", lambda d: d["rules"].append(dict(d["rules"][0])))
    message = refused(copy)
    assert "areas.yaml, record st-vinh-chau (areas #" in message
    assert "field 'code': duplicate code 'st-vinh-chau', already used by areas #" in message
    assert "routing.yaml, record D5.2-hub (rules #" in message
    assert "field 'code': duplicate code 'D5.2-hub', already used by rules #1" in message


def test_the_same_code_in_two_lists_of_a_file_is_not_a_duplicate(copy):
    """An area defined in `areas` may be ended in `closes` of the same file."""
    edit(
        copy,
        "areas.yaml",
        lambda d: d.setdefault("closes", []).append({"code": "st-vinh-chau", "valid_to": "2030-01-01"}),
    )
    edit(copy, "ruleset.yaml", lambda d: d.update(version=d["version"] + 1))
    result = ruleset_load(code_or_path=str(copy))
    assert result.changed and any("st-vinh-chau" in c for c in result.changes)
