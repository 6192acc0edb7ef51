"""The registry of rule-set sections: each app registers, in its AppConfig.ready(), how it checks and loads its part.

A rule-set folder is one regulation's reference data (Đ19: amendments are data); the rulesets app reads,
checks and records it, while the app that owns each kind of record (directory, taxonomy, routing) loads it.
`services.ruleset_load` runs the registered sections by `order` in one transaction, after every section's
reference check has passed: first each section publishes the codes it knows (from the files and the
database), then each checks the codes its records point at against what every section published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .loader import DataError, RuleSetData, record_label

if TYPE_CHECKING:
    from .models import RuleSet
    from .writer import RecordWriter

LoadFunction = Callable[[RuleSetData, "RuleSet", "RecordWriter"], None]
KnownCodesFunction = Callable[[RuleSetData], Mapping[str, Iterable[str]]]
CheckFunction = Callable[[RuleSetData, "References"], None]


@dataclass(frozen=True)
class Section:
    """One part of a rule set, loaded by the app that owns its records."""

    name: str
    order: int
    load: LoadFunction
    known_codes: KnownCodesFunction | None = None
    check_references: CheckFunction | None = None
    after_load: Callable[[], None] | None = None


class References:
    """The codes the sections know, by kind ("area", "function"...), and the reference errors found."""

    def __init__(self) -> None:
        self._known: dict[str, set[str]] = {}
        self.errors: list[DataError] = []

    def publish(self, kind: str, codes: Iterable[str]) -> None:
        """Add codes of one kind that records may point at (from this rule set's files or the database)."""
        self._known.setdefault(kind, set()).update(codes)

    def known(self, kind: str) -> set[str]:
        """Every published code of one kind; a kind no section publishes is a programming error."""
        if kind not in self._known:
            raise LookupError(f"no rule-set section publishes {kind!r} codes")
        return self._known[kind]

    def check(self, file: str, key: str, index: int, rec: dict[str, Any], fld: str, value: Any, kind: str) -> None:
        """Record an error when `value` is given and is not a known code of `kind`."""
        if value and value not in self.known(kind):
            self.unknown(file, key, index, rec, fld, value, kind)

    def unknown(self, file: str, key: str, index: int, rec: dict[str, Any], fld: str, value: Any, what: str) -> None:
        """Record that field `fld` of record `index` of list `key` in `file` names an unknown `what`."""
        self.errors.append(DataError(file, record_label(rec, key, index), fld, f"unknown {what} '{value}'"))


_registry: dict[str, Section] = {}


def register_section(
    name: str,
    *,
    order: int,
    load: LoadFunction,
    known_codes: KnownCodesFunction | None = None,
    check_references: CheckFunction | None = None,
    after_load: Callable[[], None] | None = None,
) -> Section:
    """Register a section (registering the same name again replaces it, so ready() may run twice)."""
    clash = next((s for s in _registry.values() if s.order == order and s.name != name), None)
    if clash is not None:
        raise ValueError(f"rule-set sections {clash.name!r} and {name!r} both have order {order}")
    section = Section(name, order, load, known_codes, check_references, after_load)
    _registry[name] = section
    return section


def registered_sections() -> list[Section]:
    """The registered sections in the order they load."""
    return sorted(_registry.values(), key=lambda s: s.order)


def get_section(name: str) -> Section:
    """One registered section by name (KeyError if no app registered it)."""
    return _registry[name]


def check_references(data: RuleSetData, sections: Iterable[Section]) -> list[DataError]:
    """Every code a record points at must exist in this rule set or already in the database."""
    sections = list(sections)
    refs = References()
    for section in sections:
        if section.known_codes is not None:
            for kind, codes in section.known_codes(data).items():
                refs.publish(kind, codes)
    for section in sections:
        if section.check_references is not None:
            section.check_references(data, refs)
    return refs.errors
