"""A document as it is printed: its Decree-30 parts, with the conventions of the rule set in force
(documents.yaml: the kinds' symbols and titles, each organisation's symbol, governing body, place)."""

from __future__ import annotations

import re
import unicodedata

from .choices import URGENCY_MARK, DocumentKind
from .models import Document, KindConvention, OrganisationConvention
from .render.sheet import Sheet, place_and_date


def kind_convention(kind: str) -> KindConvention:
    found = KindConvention.objects.filter(kind=kind).first()
    if found is not None:
        return found
    # Before any rule set with documents.yaml was loaded: no symbol, the kind's name as the title.
    title = "" if kind == DocumentKind.OFFICIAL_LETTER else str(DocumentKind(kind).label).upper()
    return KindConvention(kind=kind, symbol="", title=title)


def _initials(text: str) -> str:
    ascii_text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", ascii_text)).upper()[:12]


def organisation_convention(organisation) -> OrganisationConvention:
    found = OrganisationConvention.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    # Not in the rule set's documents.yaml: initials of its short name, the rule set's place.
    place = OrganisationConvention.objects.exclude(place="").values_list("place", flat=True).first() or ""
    return OrganisationConvention(
        organisation=organisation, symbol=_initials(organisation.short_name or organisation.name_vi), place=place
    )


def reference_for(doc: Document, number: int) -> str:
    """Decree 30, Appendix I, 3: "15/QĐ-STTTT"; an official letter: "15/STTTT-TTra" (the drafting unit)."""
    kind = kind_convention(doc.kind).symbol
    org = organisation_convention(doc.organisation).symbol
    parts = [kind, org] if kind else [org, doc.drafting_unit]
    return f"{number}/" + "-".join(p for p in parts if p)


def _recipient_names(doc: Document) -> list[str]:
    return [r.organisation.name_vi for r in doc.recipients.select_related("organisation").order_by("position", "pk")]


def sheet_for(doc: Document) -> Sheet:
    """What goes on the page of `doc` (a draft shows no number, no date, and a DỰ THẢO mark)."""
    org = organisation_convention(doc.organisation)
    kind = kind_convention(doc.kind)
    names = _recipient_names(doc)
    others = [line.strip(" -;.") for line in doc.other_recipients.splitlines() if line.strip(" -;.")]
    letter = doc.kind == DocumentKind.OFFICIAL_LETTER
    recipients = (["Như trên"] if letter and names else names) + others
    recipients.append("Lưu: VT" + (f", {doc.drafting_unit}" if doc.drafting_unit else ""))
    signed = bool(doc.issued_on and doc.reference)
    return Sheet(
        parent_line=org.parent_line,
        issuer_line=doc.organisation.name_vi,
        reference=doc.reference if signed else "",
        place_date=place_and_date(doc.place or org.place, doc.issued_on) if signed and doc.issued_on else "",
        kind_title="" if letter else (kind.title or str(DocumentKind(doc.kind).label).upper()),
        summary=doc.summary,
        body=doc.body,
        urgency_mark=URGENCY_MARK.get(doc.urgency, ""),
        addressees=names if letter else [],
        recipients=recipients,
        signer_lines=[line.strip() for line in re.split(r"\s*[/\n]\s*", doc.signer_position) if line.strip()],
        signer_name=doc.signer_name,
        draft=not signed,
    )
