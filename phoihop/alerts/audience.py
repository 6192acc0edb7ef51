"""Who an advisory goes to: chosen by function, by type of organisation, or by name, resolved on the day it is sent.

A type is an organisation type ("police") or an enterprise kind ("enterprise:telecom"); the kinds offered
are those of the organisations in the directory, so a type added as data (banks, platforms) is offered
without code.
"""

from __future__ import annotations

from django.db.models import Q

from phoihop.directory.choices import EnterpriseKind, OrganisationType
from phoihop.directory.models import Organisation, OrganisationFunction
from phoihop.directory.selectors import today

from .models import Advisory

ENTERPRISE_PREFIX = "enterprise:"


def _label(org_type: str, kind: str) -> str:
    type_label = str(OrganisationType(org_type).label) if org_type in OrganisationType.values else org_type
    if not kind:
        return type_label
    kind_label = str(EnterpriseKind(kind).label) if kind in EnterpriseKind.values else kind
    return f"{type_label}: {kind_label}"


def audience_type_choices() -> list[tuple[str, str]]:
    """The types of organisation present today: each organisation type, and each kind of enterprise."""
    pairs = set(
        Organisation.objects.valid_on(today()).values_list("type", "enterprise_kind").order_by("type").distinct()
    )
    choices: dict[str, str] = {}
    for org_type, kind in sorted(pairs, key=lambda p: (p[0], p[1] or "")):
        choices.setdefault(org_type, _label(org_type, ""))
        if kind:
            choices[f"{org_type}:{kind}"] = _label(org_type, kind)
    return sorted(choices.items(), key=lambda c: c[1])


def type_query(types: list[str]) -> Q:
    q = Q(pk__in=[])
    for value in types:
        org_type, _sep, kind = value.partition(":")
        q |= Q(type=org_type, enterprise_kind=kind) if kind else Q(type=org_type)
    return q


def resolve_audience(advisory: Advisory) -> list[Organisation]:
    """The organisations valid today that hold a chosen function, are of a chosen type, or are named;
    the sender itself excluded."""
    day = today()
    function_ids = list(advisory.audience_functions.values_list("pk", flat=True))
    named = list(advisory.audience_organisations.values_list("pk", flat=True))
    holders = (
        OrganisationFunction.objects.valid_on(day).filter(function_id__in=function_ids).values("organisation_id")
        if function_ids
        else []
    )
    rule = type_query(list(advisory.audience_types or [])) | Q(pk__in=named)
    if function_ids:
        rule |= Q(pk__in=holders)
    return list(Organisation.objects.valid_on(day).filter(rule).exclude(pk=advisory.sender_id).order_by("code"))
