"""Đ19: any party records a difficulty (what, which article, its proposal); the DIC answers and decides, and an
accepted proposal may point at the rule set whose amendment carries it (Đ19: amendments are data)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow
from phoihop.rulesets.models import RuleSet

from ..choices import DifficultyStatus as S
from ..models import Difficulty
from ..permissions import active, difficulties_for, may_manage

ARTICLE_MAX = 40


def difficulty_raise(*, what: str, article: str, proposal: str, ctx: AuditContext) -> Difficulty:
    """Record a difficulty of the actor's organisation."""
    user = ctx.actor
    if not active(user):
        raise NotAllowed(_("Only the parties' people record difficulties."))
    errors: dict[str, list[str]] = {}
    if not (what or "").strip():
        errors["what"] = [_("Describe the difficulty.")]
    if not (article or "").strip():
        errors["article"] = [_("Name the article concerned (e.g. Đ13.4).")]
    elif len(article.strip()) > ARTICLE_MAX:
        errors["article"] = [_("At most %(n)d characters.") % {"n": ARTICLE_MAX}]
    if not (proposal or "").strip():
        errors["proposal"] = [_("Say what you propose.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        item = Difficulty.objects.create(
            organisation_id=user.organisation_id,
            raised_by=user,
            what=what.strip(),
            article=article.strip(),
            proposal=proposal.strip(),
        )
        audit_record(ctx=ctx, action="reporting.difficulty_raise", obj=item, data={"article": item.article})
    return item


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    ruleset = forms.ModelChoiceField(
        label=gettext_lazy("Rule set to amend"), queryset=RuleSet.objects.all(), required=False
    )

    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        if move is None or move.name != "accept":
            del self.fields["ruleset"]


class DifficultyMove(Move):
    """The DIC's answer: the text is required; accepting may name the rule set to amend."""

    requires = ("answer",)
    form_class = AnswerForm
    article = "Đ19"

    def allowed(self, user, obj) -> bool:
        return may_manage(user) and difficulties_for(user).filter(pk=obj.pk).exists()

    def not_allowed_message(self, obj) -> str:
        return _("Only the DIC answers difficulties and proposals.")

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.answer = str(data["answer"]).strip()
        obj.answered_by, obj.answered_at = ctx.actor, timezone.now()
        fields = ["answer", "answered_by", "answered_at"]
        if self.name == "accept":
            obj.ruleset = data.get("ruleset") or None
            fields.append("ruleset")
        return fields


class Answer(DifficultyMove):
    name, label = "answer", gettext_lazy("Answer")
    sources, target = frozenset({S.OPEN}), S.ANSWERED


class Accept(DifficultyMove):
    name, label = "accept", gettext_lazy("Accept: propose an amendment")
    sources, target = frozenset({S.OPEN, S.ANSWERED}), S.ACCEPTED

    def validate(self, user, obj, data) -> None:
        ruleset = data.get("ruleset")
        if ruleset is not None and not isinstance(ruleset, RuleSet):
            raise Invalid({"ruleset": [_("Choose a rule set.")]})


class Decline(DifficultyMove):
    name, label = "decline", gettext_lazy("Decline")
    sources, target = frozenset({S.OPEN, S.ANSWERED}), S.DECLINED


def _record(ctx, item: Difficulty, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=item, summary=summary, data=data)


DIFFICULTY_WORKFLOW = Workflow("reporting.difficulty", [Answer(), Accept(), Decline()], record=_record)
