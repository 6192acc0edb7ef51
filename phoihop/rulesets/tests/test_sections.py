"""The section registry: order, replacement, and references published by one section, checked by another."""

import pytest

from phoihop.rulesets import sections
from phoihop.rulesets.loader import RuleSetData
from phoihop.rulesets.sections import References, check_references, register_section, registered_sections


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the real one restored afterwards."""
    monkeypatch.setattr(sections, "_registry", {})
    return sections._registry


def nothing(data, ruleset, writer):
    """A load that writes nothing."""


def data(**files) -> RuleSetData:
    """A parsed folder made of the given files, without touching the disk."""
    return RuleSetData(path=None, code="test", checksum="", files={"ruleset": {}, **files})


def test_sections_run_in_order_and_reregistering_replaces(registry):
    register_section("late", order=20, load=nothing)
    register_section("early", order=10, load=nothing)
    register_section("late", order=30, load=nothing)
    assert [(s.name, s.order) for s in registered_sections()] == [("early", 10), ("late", 30)]


def test_two_sections_cannot_share_an_order(registry):
    register_section("one", order=10, load=nothing)
    with pytest.raises(ValueError, match="both have order 10"):
        register_section("two", order=10, load=nothing)


def test_a_section_checks_against_codes_another_publishes_whatever_their_order(registry):
    def check_rules(d, refs: References):
        for i, rec in enumerate(d.records("rules", "rules")):
            refs.check("rules.yaml", "rules", i, rec, "thing", rec["thing"], "thing")

    register_section("rules", order=10, load=nothing, check_references=check_rules)
    register_section("things", order=20, load=nothing, known_codes=lambda d: {"thing": {"a", "b"}})
    folder = data(rules={"rules": [{"code": "r1", "thing": "a"}, {"code": "r2", "thing": "z"}]})
    errors = check_references(folder, registered_sections())
    assert [str(e) for e in errors] == ["rules.yaml, record r2 (rules #2), field 'thing': unknown thing 'z'"]


def test_checking_against_a_kind_nobody_publishes_is_a_programming_error(registry):
    register_section("rules", order=10, load=nothing, check_references=lambda d, refs: refs.known("ghost"))
    with pytest.raises(LookupError, match="ghost"):
        check_references(data(), registered_sections())
