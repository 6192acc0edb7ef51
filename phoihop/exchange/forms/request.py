"""The forms of a request, its council (Đ5.6) and its hand-overs (Đ17.2). Every code a form receives (an
organisation, a case, a report, a person) is resolved again here, and a case or report through the permission
scope, so a crafted POST cannot reach an object the user may not see."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.cases.forms.common import DateInput, grouped_organisations
from phoihop.cases.permissions import visible_cases
from phoihop.core.permissions import scope
from phoihop.directory.models import Organisation, User
from phoihop.directory.widgets import OrganisationSelectMultiple
from phoihop.intake.models import Report

from ..choices import ARTICLES, CouncilRole, RequestKind, Urgency
from ..inputs import HandoverItemInput, MemberInput, RequestInput
from ..permissions import PARTY_ROLES, may_receive_requests
from .moves import MultipleFileField


def _recipient_choices(exclude_id: int | None):
    day = timezone.localdate()
    orgs = [
        o
        for o in Organisation.objects.valid_on(day).order_by("type", "name_vi").select_related("area")
        if o.pk != exclude_id and may_receive_requests(o)
    ]
    return orgs, grouped_organisations(orgs)


class RequestForm(forms.Form):
    """A request: its kind, recipients, subject, article, what is asked, links, urgency, due date, files."""

    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    recipients = forms.MultipleChoiceField(
        label=_("Recipient organisations"),
        help_text=_("Each organisation answers on its own, with its own deadline."),
        widget=OrganisationSelectMultiple(attrs={"size": 10}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    article = forms.ChoiceField(label=_("Article it rests on"), choices=list(ARTICLES.items()))
    body = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the rule set's period for this kind and urgency, counted in working days."),
    )
    case = forms.CharField(label=_("Case number"), required=False, max_length=20)
    report = forms.CharField(label=_("Report tracking code"), required=False, max_length=40)
    files = MultipleFileField(label=_("Files"), required=False, help_text=_("Checked by their content; SHA-256 kept."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        orgs, grouped = _recipient_choices(user.organisation_id)
        self._orgs = {o.code: o for o in orgs}
        self.fields["recipients"].choices = grouped

    def clean_case(self):
        reference = (self.cleaned_data.get("case") or "").strip()
        if not reference:
            return None
        case = visible_cases(self.user).filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(_("No case with this number that you may see."))
        return case

    def clean_report(self):
        reference = (self.cleaned_data.get("report") or "").strip()
        if not reference:
            return None
        report = scope(self.user, Report).filter(reference=reference).first()
        if report is None:
            raise forms.ValidationError(_("No report with this tracking code that you may see."))
        return report

    def to_input(self) -> RequestInput:
        d = self.cleaned_data
        return RequestInput(
            kind=d["kind"],
            subject=d["subject"],
            article=d["article"],
            body=d["body"],
            recipients=[self._orgs[c] for c in d["recipients"]],
            urgency=d["urgency"],
            due_date=d.get("due_date"),
            case=d.get("case"),
            report=d.get("report"),
            files=d.get("files") or [],
        )

    def add_domain_error(self, exc) -> None:
        for name, messages in exc.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _directory_people(exclude: set[int] = frozenset()):  # type: ignore[assignment]
    return (
        User.objects.filter(is_active=True, role__in=list(PARTY_ROLES), organisation__isnull=False)
        .exclude(pk__in=exclude)
        .select_related("organisation")
        .order_by("organisation__name_vi", "last_name", "first_name")
    )


class CouncilMemberForm(forms.Form):
    """One member: a person of the directory, or an outside expert by name."""

    user = forms.ChoiceField(label=_("Person of the directory"), required=False)
    name = forms.CharField(label=_("Or an outside expert: name"), required=False, max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    affiliation = forms.CharField(label=_("Organisation"), required=False, max_length=300)
    role = forms.ChoiceField(label=_("Role in the council"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = list(_directory_people())
        self._people = {p.get_username(): p for p in people}
        groups: dict[str, list] = {}
        for p in people:
            groups.setdefault(p.organisation.display_name, []).append(
                (p.get_username(), f"{p.get_full_name() or p.get_username()} ({p.get_role_display()})")
            )
        self.fields["user"].choices = [("", "—"), *groups.items()]

    def to_input(self) -> MemberInput:
        d = self.cleaned_data
        return MemberInput(
            role=d["role"],
            user=self._people.get(d.get("user") or ""),
            name=d.get("name") or "",
            position=d.get("position") or "",
            affiliation=d.get("affiliation") or "",
        )


class CouncilForm(CouncilMemberForm):
    """Form the council: the decision that forms it and its chair (more members are added afterwards)."""

    decision_ref = forms.CharField(label=_("Decision forming the council"), max_length=100, required=False)
    field_order = ["decision_ref", "user", "name", "position", "affiliation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = CouncilRole.CHAIR


class CouncilSessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}))


class CouncilAdoptForm(forms.Form):
    """Adopt the conclusion: its text, and the document "kết luận giám định" signed by the head (Đ5.6)."""

    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}))
    conclusion_document = forms.ChoiceField(
        label=_("Signed conclusion document"),
        help_text=_(
            "Draft it in Documents (kind: expert-assessment conclusion, addressed to the requester); once the head "
            "has signed it, choose it here."
        ),
    )

    def __init__(self, *args, recipient=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from phoihop.documents.choices import DocumentKind

        from ..replies import candidate_documents

        docs = list(candidate_documents(user, recipient, kind=DocumentKind.ASSESSMENT)[:50]) if recipient else []
        self._docs = {str(d.pk): d for d in docs}
        self.fields["conclusion_document"].choices = [
            ("", "—"),
            *[(str(d.pk), f"{d.reference} — {d.summary[:80]}") for d in docs],
        ]

    def clean_conclusion_document(self):
        return self._docs.get(self.cleaned_data.get("conclusion_document") or "")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class HandoverForm(forms.Form):
    """A hand-over record: from whom to whom, when, where, and the items (one per line: description, SHA-256)."""

    from_organisation = forms.ChoiceField(label=_("Handed over by (organisation)"))
    handed_by = forms.CharField(label=_("Handed over by (person)"), max_length=200)
    to_organisation = forms.ChoiceField(label=_("Received by (organisation)"))
    received_by = forms.CharField(label=_("Received by (person)"), max_length=200)
    handed_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    items = forms.CharField(
        label=_("Items handed over on a medium"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: what it is, a semicolon, then the SHA-256 of its data."),
    )
    files = MultipleFileField(label=_("Files handed over"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        parties = [request.sender, *[r.organisation for r in request.recipients.select_related("organisation")]]
        self._orgs = {o.code: o for o in parties}
        choices = [(o.code, o.display_name) for o in parties]
        self.fields["from_organisation"].choices = choices
        self.fields["to_organisation"].choices = choices

    def clean_items(self):
        items = []
        for n, line in enumerate((self.cleaned_data.get("items") or "").splitlines(), start=1):
            if not line.strip():
                continue
            description, sep, digest = line.rpartition(";")
            if not sep:
                raise forms.ValidationError(_("Line %(n)d: write the item, a semicolon, then its SHA-256.") % {"n": n})
            items.append(HandoverItemInput(description=description.strip(), sha256=digest.strip().lower()))
        return items

    def params(self) -> dict:
        d = self.cleaned_data
        return {
            "from_organisation": self._orgs.get(d["from_organisation"]),
            "to_organisation": self._orgs.get(d["to_organisation"]),
            "handed_by": d["handed_by"],
            "received_by": d["received_by"],
            "handed_at": d["handed_at"],
            "place": d["place"],
            "items": d["items"],
            "files": d.get("files") or [],
            "note": d.get("note") or "",
        }
