"""The forms of the workflows' moves: each move (workflow.py) names its form class; a field is required exactly
when the move requires it, so the page, the API and the move agree on what a move needs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.directory.models import User

from ..permissions import PARTY_ROLES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (each checked by content in the service, not here)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class MoveForm(forms.Form):
    """The fields of one move; required exactly when the move requires them."""

    def __init__(self, *args, move, obj, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.obj, self.user = move, obj, user
        for name, field in self.fields.items():
            field.required = name in move.requires

    def params(self) -> dict:
        """What the move receives: the typed values, without the empty optional ones."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    def add_domain_error(self, exc: DomainError) -> None:
        self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))


class ConfirmForm(MoveForm):
    """A move that needs nothing but a confirmation (acknowledge receipt, accept, close)."""


class ReasonForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(MoveForm):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(
            organisation_id=self.obj.organisation_id, is_active=True, role__in=list(PARTY_ROLES)
        ).order_by("last_name", "first_name")
        self._people = {p.get_username(): p for p in people}
        self.fields["assignee"].choices = [
            ("", "—"),
            *[(u, f"{p.get_full_name() or u} ({p.get_role_display()})") for u, p in self._people.items()],
        ]

    def clean_assignee(self):
        username = self.cleaned_data.get("assignee")
        return self._people.get(username) if username else None


class AnswerForm(MoveForm):
    text = forms.CharField(label=_("Answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("Files"), required=False, help_text=_("Data or documents answering the request (checked by content).")
    )
    reply_document = forms.ChoiceField(
        label=_("Official reply document"),
        required=False,
        help_text=_("A document of your organisation signed by the head and addressed to the requester (Đ3.2)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..replies import candidate_documents

        docs = list(candidate_documents(self.user, self.obj)[:50]) if getattr(self.obj, "pk", None) else []
        self._docs = {str(d.pk): d for d in docs}
        if self.obj.request.kind == "assessment":  # the council's adopted conclusion goes with it
            del self.fields["reply_document"]
            return
        self.fields["reply_document"].choices = [
            ("", "—"),
            *[(str(d.pk), f"{d.reference or d.get_status_display()} — {d.summary[:80]}") for d in docs],
        ]

    def clean_reply_document(self):
        value = self.cleaned_data.get("reply_document")
        return self._docs.get(value) if value else None
