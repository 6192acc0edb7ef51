"""The indicators an advisory or a warning names: typed one per line, normalised by the indicators app."""

from __future__ import annotations

from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid
from phoihop.indicators.normalise import extract
from phoihop.indicators.services import indicators_record

MAX_INDICATORS = 100


def parse_indicators(text: str, *, field: str = "indicators") -> list[tuple[str, str]]:
    """(kind, value) of each line (a phone number, a web address, an e-mail, "STK <number> <bank>"...), in the
    indicators app's normal form; a line in which none is found is refused, naming its number."""
    keys: list[tuple[str, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = extract(line)
        if not found:
            raise Invalid(
                {
                    field: [
                        _("Line %(n)d: no phone number, web address, e-mail or account was found in “%(line)s”.")
                        % {"n": number, "line": line.strip()[:80]}
                    ]
                }
            )
        for ind in found:
            key = (str(ind.kind), ind.value)
            if key not in keys:
                keys.append(key)
    if len(keys) > MAX_INDICATORS:
        raise Invalid({field: [_("At most %(n)d indicators.") % {"n": MAX_INDICATORS}]})
    return keys


def indicator_rows(keys: list[tuple[str, str]]) -> list[int]:
    """The ids of the shared Indicator rows of `keys` (created when new, with no report counted); in the
    caller's transaction."""
    if not keys:
        return []
    rows = indicators_record(dict.fromkeys(keys, 0))
    return [rows[k].pk for k in keys]


def indicator_line(kind: str, value: str) -> str:
    """One indicator written back as a line that parse_indicators reads again (accounts after "STK")."""
    if kind == "bank_account":
        bank, _sep, digits = value.rpartition(":")
        return f"STK {digits} {bank}".strip()
    return value


def indicators_text(indicators) -> str:
    return "\n".join(indicator_line(i.kind, i.value) for i in indicators)
