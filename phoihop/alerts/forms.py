"""Forms of the alerts app: they shape what a person typed; the services decide and refuse (naming the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.directory.models import Function, Organisation
from phoihop.directory.selectors import today
from phoihop.directory.widgets import OrganisationCheckboxes, organisation_choices

from .audience import audience_type_choices
from .choices import AccessLevel, AdvisoryKind
from .permissions import issuable_kinds
from .services import AdvisoryInput, WarningInput

INDICATOR_HELP = _(
    "One per line: a phone number, a web address, an e-mail address, or “STK <account number> <bank>”. "
    "They are written in the same normal form as in the reports."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (each is checked by content in the service)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class DomainErrorsMixin:
    """Shows a service's refusal on the field it names (or above the form)."""

    def add_domain_error(self, exc: DomainError) -> None:
        for name, messages in exc.errors.items():
            target = name if name in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]


class AdvisoryForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=300)
    method = forms.CharField(
        label=_("Method or subject"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How the criminals operate, or which goods or which legal document it is about."),
    )
    advice = forms.CharField(
        label=_("What the recipients should do"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    functions = forms.MultipleChoiceField(
        label=_("Recipients by function"), required=False, widget=forms.CheckboxSelectMultiple
    )
    types = forms.MultipleChoiceField(
        label=_("Recipients by type of organisation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.MultipleChoiceField(
        label=_("Named organisations"), required=False, widget=OrganisationCheckboxes
    )
    access_level = forms.ChoiceField(
        label=_("Access"),
        choices=AccessLevel.choices,
        initial=AccessLevel.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Restricted: only your organisation and the recipients see it, and every view is recorded."),
    )
    indicators = forms.CharField(
        label=_("Related indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=INDICATOR_HELP,
    )
    files = MultipleFileField(label=_("Files"), help_text=_("Photos, PDF, Word, Excel or text; at most 10."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = issuable_kinds(user)
        self.fields["kind"].choices = [(k, label) for k, label in AdvisoryKind.choices if k in kinds]
        self.fields["functions"].choices = [(f.code, f.name) for f in Function.objects.order_by("name_vi")]
        self.fields["types"].choices = audience_type_choices()
        orgs = Organisation.objects.valid_on(today()).exclude(pk=user.organisation_id).order_by("type", "name_vi")
        self.fields["organisations"].choices = organisation_choices(orgs.select_related("area"))

    def to_input(self) -> AdvisoryInput:
        d = self.cleaned_data
        return AdvisoryInput(
            kind=d["kind"],
            title=d["title"],
            method=d["method"],
            advice=d["advice"],
            access_level=d["access_level"],
            functions=list(d["functions"]),
            types=list(d["types"]),
            organisations=list(d["organisations"]),
            indicators=d["indicators"],
            files=list(d["files"]),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class WarningForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: shown in the list, the feeds and the newsrooms' e-mail."),
    )
    method = forms.CharField(label=_("How the scam works"), widget=forms.Textarea(attrs={"rows": 8}))
    protection = forms.CharField(label=_("How to protect yourself"), widget=forms.Textarea(attrs={"rows": 6}))
    indicators = forms.CharField(
        label=_("Related indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only those that are listed (verified by a listing decision) are shown to the public. ")
        + str(INDICATOR_HELP),
    )
    images = MultipleFileField(label=_("Images"), help_text=_("JPEG, PNG, GIF or WebP photos; at most 10."))
    image_alt = forms.CharField(
        label=_("Description of the images"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One line per new image, in the same order: what it shows."),
    )
    remove_images = forms.MultipleChoiceField(
        label=_("Remove images"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, warning=None, **kwargs):
        super().__init__(*args, **kwargs)
        if warning is not None:
            self.fields["remove_images"].choices = [(str(i.pk), i.alt) for i in warning.images.all()]
        else:
            del self.fields["remove_images"]

    def to_input(self) -> WarningInput:
        d = self.cleaned_data
        alts = [line for line in (d.get("image_alt") or "").splitlines() if line.strip()]
        return WarningInput(
            title=d["title"],
            summary=d["summary"],
            method=d["method"],
            protection=d["protection"],
            indicators=d["indicators"],
            images=list(d["images"]),
            image_alts=alts,
            remove_images=[int(pk) for pk in d.get("remove_images") or []],
        )


class NewsroomForm(forms.Form):
    name = forms.CharField(label=_("Newsroom"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
