"""The countermeasures section of a rule set (countermeasures.yaml): which action may be asked of which kind of
enterprise for which kind of value, and by when (Đ4.2, Đ11.3, Đ11.6). Loaded into CountermeasureRule rows per
rule set; a request reads the rules of the rule set in force (or of the one it extends, when its folder has
no such file)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid
from phoihop.directory.choices import EnterpriseKind, OrganisationType
from phoihop.directory.models import Organisation
from phoihop.indicators.models import Indicator
from phoihop.indicators.normalise import KIND_LABELS, IndicatorKind
from phoihop.routing.reference import active_ruleset
from phoihop.rulesets.loader import RuleSetData, register_file
from phoihop.rulesets.models import RuleSet
from phoihop.rulesets.sections import register_section
from phoihop.rulesets.writer import RecordWriter

from .models import CountermeasureRule

KIND = "countermeasures"
FILENAME = "countermeasures.yaml"
ORDER = 150


def load_countermeasures(data: RuleSetData, ruleset: RuleSet, w: RecordWriter) -> None:
    """Write this rule set's actions in file order; an action the file no longer lists is deleted."""
    if KIND not in data.files:
        return  # an older folder without the file: the rule set it extends answers (rules_in_force)
    actions = data.records(KIND, "actions")
    for i, rec in enumerate(actions):
        w.upsert(
            CountermeasureRule,
            {"ruleset": ruleset, "code": rec["code"]},
            {
                "article": rec["article"],
                "name_vi": rec["name_vi"],
                "name_en": rec.get("name_en") or "",
                "indicator_kinds": list(rec["indicator_kinds"]),
                "enterprise_kinds": list(rec["enterprise_kinds"]),
                "deadline_working_days": rec["deadline_working_days"],
                "escalate_after_working_days": rec["escalate_after_working_days"],
                "position": i,
            },
        )
    stale = CountermeasureRule.objects.filter(ruleset=ruleset).exclude(code__in=[r["code"] for r in actions])
    for rule in stale:
        w.removed(f"countermeasure rule {rule.code}")
    stale.delete()


def register() -> None:
    register_file(
        KIND,
        filename=FILENAME,
        schema=Path(__file__).parent / "schemas" / "countermeasures.schema.json",
        record_keys=("actions",),
    )
    register_section(KIND, order=ORDER, load=load_countermeasures)


# --- Reading the rules ---------------------------------------------------------------------------------------


def rules_in_force() -> dict[str, CountermeasureRule]:
    """The actions of the rule set in force by code, in file order (following `extends` while a folder has none)."""
    ruleset = active_ruleset()
    seen: set[int] = set()
    while ruleset is not None and ruleset.pk not in seen:
        seen.add(ruleset.pk)
        rules = list(CountermeasureRule.objects.filter(ruleset=ruleset).order_by("position"))
        if rules:
            return {r.code: r for r in rules}
        ruleset = ruleset.extends
    return {}


def action_labels() -> dict[str, str]:
    """Every action code ever loaded and its name in the active language (for lists of older measures)."""
    labels: dict[str, str] = {}
    for rule in CountermeasureRule.objects.order_by("ruleset__effective_from", "position"):
        labels[rule.code] = rule.name
    return labels


def kind_label(kind: str) -> str:
    try:
        return str(KIND_LABELS.get(IndicatorKind(kind), kind))
    except ValueError:
        return kind


def enterprise_kind_label(kind: str) -> str:
    return str(EnterpriseKind(kind).label) if kind in EnterpriseKind.values else kind


def check_fit(*, rule: CountermeasureRule, indicator: Indicator, target: Organisation) -> None:
    """Refuse, naming the field and the reason, an action that does not apply to this kind of value or that this
    organisation cannot carry out (freezing a phone number at a bank). The rule set decides (countermeasures.yaml)."""
    if indicator.kind not in rule.indicator_kinds:
        allowed = ", ".join(kind_label(k) for k in rule.indicator_kinds)
        raise Invalid(
            {
                "action": [
                    _("'%(action)s' applies to: %(allowed)s; not to a %(kind)s.")
                    % {"action": rule.name, "allowed": allowed, "kind": kind_label(indicator.kind).lower()}
                ]
            }
        )
    if target.type != OrganisationType.ENTERPRISE or target.enterprise_kind not in rule.enterprise_kinds:
        allowed = ", ".join(enterprise_kind_label(k) for k in rule.enterprise_kinds)
        what = enterprise_kind_label(target.enterprise_kind) if target.enterprise_kind else target.get_type_display()
        raise Invalid(
            {
                "target": [
                    _("%(target)s (%(what)s) cannot '%(action)s': only a %(allowed)s can.")
                    % {"target": target.display_name, "what": what, "action": rule.name, "allowed": allowed}
                ]
            }
        )


def fitting_targets(rules: dict[str, CountermeasureRule], indicator: Indicator | None = None) -> set[str]:
    """The enterprise kinds some action in force fits (for `indicator`'s kind when given)."""
    kinds: set[str] = set()
    for rule in rules.values():
        if indicator is None or indicator.kind in rule.indicator_kinds:
            kinds.update(rule.enterprise_kinds)
    return kinds
