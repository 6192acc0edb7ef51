"""Organisation pickers (issue 13): the parties of Đ2 grouped by type, labelled by name, with a search box.

The rule sets hold some 230 organisations (Sóc Trăng 2013 and the Cần Thơ 2025 merge, with the police and
People's Committee of every commune), far too many for one flat list. A form keeps its own queryset or list
(who may be picked is the form's business); what is here only shapes how the choices are shown:

- `organisation_choices(orgs)`: choices as <optgroup>s by type, provincial bodies (the hubs) first;
- `OrganisationChoiceField` / `OrganisationMultipleChoiceField`: model fields whose choices come grouped
  from the field's queryset, read in one query;
- `OrganisationSelect`, `OrganisationSelectMultiple`, `OrganisationCheckboxes`: widgets that add a search box
  (accents and capitals optional) and, for checkboxes, a fieldset per type with "select all in this group".

The search is progressive enhancement (phoihop/js/picker.js): without script the box stays hidden and the
grouped list works as it is. The widget's template loads the script and its style itself, so a picker works
in any page or htmx fragment without the page having to know (the script sets itself up once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from phoihop.core.text import fold as core_fold

from .choices import OrganisationType
from .models import Organisation

# Đ2, Đ5: the coordinating departments (the hub among them) first, then the police and the judicial side,
# the border force, the provincial teams and press, the People's Committees down to the communes, and last
# the enterprises asked to act.
TYPE_ORDER: tuple[str, ...] = (
    OrganisationType.STATE_AGENCY,
    OrganisationType.POLICE,
    OrganisationType.PROCURACY,
    OrganisationType.BORDER_GUARD,
    OrganisationType.INTERAGENCY_TEAM,
    OrganisationType.PRESS,
    OrganisationType.PEOPLES_COMMITTEE,
    OrganisationType.ENTERPRISE,
)
_TYPE_RANK = {code: rank for rank, code in enumerate(TYPE_ORDER)}

# Below this many options a list is short enough to read: no search box.
SEARCH_FROM = 10
# A checkbox list longer than this shows its groups folded (those with a ticked box stay open).
FOLD_ABOVE = 30


def fold(text: str) -> str:
    """'Lừa  Đảo' -> 'lua dao', as picker.js folds what is typed: the project's fold, spaces collapsed."""
    return " ".join(core_fold(text).split())


def organisation_label(org: Organisation) -> str:
    """The full Vietnamese name, the English one when the page is in English. Short names are abbreviations
    ("UBND H. Châu Thành", "CA TX Vĩnh Châu") that a list of 230 makes ambiguous; they are searched, not shown."""
    return org.name


def search_text(org: Organisation) -> str:
    """Every name an organisation goes by, so 'ca tp can tho', 'cong an thanh pho' and 'police' all find it."""
    return fold(" ".join(filter(None, (org.short_name, org.name_vi, org.name_en, org.code.replace("-", " ")))))


class OrganisationLabel(str):
    """An option's text that remembers its organisation, so the widget can add the names to search."""

    org: Organisation

    def __new__(cls, org: Organisation, text: str | None = None) -> OrganisationLabel:
        label = super().__new__(cls, organisation_label(org) if text is None else text)
        label.org = org
        return label


def _area_depth(org: Organisation) -> int:
    """0 for a provincial (or city) body, more below; read only when the query brought the area along."""
    field = Organisation._meta.get_field("area")
    return org.area.depth if field.is_cached(org) else 0


def _sort_key(org: Organisation, text: str) -> tuple:
    """Type, then provincial bodies before district and commune ones, a body before its own units, then name."""
    return (_TYPE_RANK.get(org.type, len(TYPE_ORDER)), _area_depth(org), org.parent_id is not None, fold(text))


def organisation_choices(
    orgs: Iterable[Organisation],
    *,
    value: Callable[[Organisation], Any] = lambda o: o.code,
    label: Callable[[Organisation], str] | None = None,
) -> list[tuple[str, list[tuple[Any, OrganisationLabel]]]]:
    """Organisations as (type label, [(value, label)...]) groups: types in TYPE_ORDER; in each, the provincial
    bodies (the hubs among them) first, then the others, by name. Reads nothing from the database."""
    labelled = [OrganisationLabel(org, label(org) if label else None) for org in orgs]
    groups: dict[str, list[tuple[Any, OrganisationLabel]]] = {}
    for text in sorted(labelled, key=lambda t: _sort_key(t.org, t)):
        groups.setdefault(text.org.type, []).append((value(text.org), text))
    return [(str(OrganisationType(code).label), items) for code, items in groups.items()]


class GroupedOrganisationIterator(ModelChoiceIterator):
    """A model field's choices, grouped by organisation type: the field's queryset read once, with its areas."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        orgs = list(self.queryset.select_related("area"))
        yield from organisation_choices(
            orgs,
            value=lambda o: ModelChoiceIteratorValue(self.field.prepare_value(o), o),
            label=self.field.label_from_instance,
        )


class PickerMixin:
    """What the three widgets share: the names to search on each option, and the search box's settings."""

    picker_kind = "select"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)  # type: ignore[misc]
        org = getattr(label, "org", None) or getattr(value, "instance", None)
        if isinstance(org, Organisation):
            option["attrs"]["data-search"] = search_text(org)
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget = context["widget"]
        count = sum(
            1 for _, options, _ in widget["optgroups"] for option in options if option["value"] not in ("", None)
        )
        folded = count > FOLD_ABOVE
        groups = []
        for name, options, _ in widget["optgroups"]:
            chosen = sum(1 for option in options if option["selected"])
            groups.append({"name": name, "options": options, "chosen": chosen, "open": not folded or bool(chosen)})
        widget["picker"] = {"kind": self.picker_kind, "count": count, "search": count >= SEARCH_FROM, "groups": groups}
        return context


class OrganisationSelect(PickerMixin, forms.Select):
    """One organisation, from a grouped drop-down with a search box above it."""

    template_name = "directory/widgets/organisation_select.html"


class OrganisationSelectMultiple(PickerMixin, forms.SelectMultiple):
    """Several organisations from a grouped list box with a search box above it."""

    template_name = "directory/widgets/organisation_select.html"


class OrganisationCheckboxes(PickerMixin, forms.CheckboxSelectMultiple):
    """Several organisations as checkboxes: a fieldset per type (folded when the list is long), a search box,
    and "select all in this group"."""

    picker_kind = "checks"
    template_name = "directory/widgets/organisation_checkboxes.html"


class OrganisationChoiceField(forms.ModelChoiceField):
    """One organisation of the given queryset, offered grouped by type (the queryset decides who)."""

    iterator = GroupedOrganisationIterator
    widget = OrganisationSelect

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several organisations of the given queryset, as grouped checkboxes by default."""

    iterator = GroupedOrganisationIterator
    widget = OrganisationCheckboxes

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)
