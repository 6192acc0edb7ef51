"""A small workflow engine: each move of a state machine is one object that says everything about it.

A move (in the style of Wagtail's action classes) declares its name and label, the states it leaves
from and the one it reaches, who may make it (`actor`, a callable, or an overridden `allowed`), what
it needs (`requires`, and `form_class`, the Django form that shapes a person's input), the audit
action it writes and the article of the regulation it rests on. `check` refuses with the errors of
phoihop.core.errors; `execute` does the change. A `Workflow` is the registry of one machine's moves:

    workflow.moves_from(state)             the moves the machine allows from `state`
    workflow.available(user, obj)          the moves `user` may make on `obj` now (for the UI)
    workflow.run(name, obj=, data=, ctx=)  check + execute in one transaction, with the audit event

The engine is the ground floor: it imports no domain app. The audit record and the notification are
given to the Workflow by the app that declares it (`record`), so this module needs nothing above core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import Conflict, DomainError, Invalid, NotAllowed

# record(ctx, obj, action, summary, data): writes the audit event of a move (given by the app).
Recorder = Callable[[Any, Any, str, str, dict], None]


class Move:
    """One move of a workflow. Subclass it and set the class attributes; override what differs."""

    name: str = ""
    label: Any = ""
    sources: frozenset[str] = frozenset()
    target: str = ""
    # Who may make the move: a callable (user, obj) -> bool; or override `allowed`. Declared with `...`: a
    # plain function set on a subclass is seen by mypy as a method (its first argument taken for `self`).
    actor: Callable[..., bool] | None = None
    # What the move needs: the keys of `data` that must be given (a string of only spaces is not given).
    requires: tuple[str, ...] = ()
    # The Django form class that shapes a person's input for this move (None: a confirmation only).
    form_class: type | None = None
    # The audit action written when the move is made (default: "<workflow prefix>.move.<name>").
    audit_action: str = ""
    # The article of the regulation the move rests on ("Đ5.4").
    article: str = ""

    def __init__(self) -> None:
        self.workflow: Workflow | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {sorted(self.sources)} -> {self.target}>"

    # --- Who and when --------------------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return getattr(obj, self.workflow.state_field if self.workflow else "status")

    def possible(self, obj) -> bool:
        """Does the workflow allow this move from `obj`'s state (whoever asks)?"""
        return self.state_of(obj) in self.sources

    def allowed(self, user, obj) -> bool:
        """The actor rule: may `user` make this move on `obj` (its state aside)?"""
        rule = type(self).actor
        return bool(rule is not None and rule(user, obj))

    def can(self, user, obj) -> bool:
        """May `user` make this move on `obj` now (state and actor; what it requires aside)?"""
        return self.possible(obj) and self.allowed(user, obj)

    # --- Refusals ------------------------------------------------------------------------------------

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' here.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible in the state '%(state)s'.") % {
            "move": self.label,
            "state": self.state_of(obj),
        }

    def stale_message(self, obj) -> str:
        """The refusal when someone else changed the object between reading and locking it."""
        return _("It was changed by someone else meanwhile; reload it.")

    def missing_message(self, missing: list[str]) -> str:
        return _("'%(move)s' requires: %(fields)s.") % {"move": self.label, "fields": ", ".join(missing)}

    def refusal(self, user, obj) -> DomainError | None:
        """Why `user` may not make this move on `obj` now (NotAllowed or Conflict), or None when they may."""
        if not self.possible(obj):
            return Conflict(self.conflict_message(obj))
        if not self.allowed(user, obj):
            return NotAllowed(self.not_allowed_message(obj))
        return None

    def missing(self, data: Mapping[str, Any]) -> list[str]:
        """The required keys of `data` that are absent, None or blank."""
        return [f for f in self.requires if data.get(f) is None or not str(data[f]).strip()]

    def check(self, user, obj, data: Mapping[str, Any]) -> None:
        """Refuse (raise NotAllowed, Conflict, or Invalid naming the field) unless the move may be made."""
        refusal = self.refusal(user, obj)
        if refusal is not None:
            raise refusal
        missing = self.missing(data)
        if missing:
            raise Invalid({missing[0]: [self.missing_message(missing)]}, message=self.missing_message(missing))
        self.validate(user, obj, data)

    def validate(self, user, obj, data: Mapping[str, Any]) -> None:
        """The move's own rules on `data` (raise Invalid / Conflict); nothing by default."""

    # --- Doing it ------------------------------------------------------------------------------------

    def execute(self, *, obj, data: Mapping[str, Any], ctx) -> list[str]:
        """Do the change on the locked `obj` (its state is set afterwards); return the fields it changed."""
        return []

    def audit_data(self, data: Mapping[str, Any]) -> dict:
        """What the audit event keeps of the input (text, never objects)."""
        return {k: str(v) for k, v in data.items()}

    def after(self, *, obj, ctx) -> None:
        """Follow-up work, inside the transaction (enqueue it on commit)."""

    def form(self, *, obj, user, data=None, **kwargs):
        """The form that shapes a person's (or an API client's) input for this move: `form_class` with the
        move, the object and the user; prefixed with the move's name unless `prefix` says otherwise."""
        if self.form_class is None:
            raise LookupError(f"move {self.name} has no form")
        kwargs.setdefault("prefix", f"move-{self.name}")  # pages hold several moves' forms; the API none
        return self.form_class(data, move=self, obj=obj, user=user, **kwargs)


class Workflow:
    """The moves of one state machine, and the one way to make them."""

    def __init__(
        self,
        name: str,
        moves: Iterable[Move],
        *,
        state_field: str = "status",
        record: Recorder | None = None,
        lock: Callable[[Any], Any] | None = None,
    ) -> None:
        self.name = name
        self.state_field = state_field
        self.moves: dict[str, Move] = {}
        self._record = record
        self._lock = lock
        for move in moves:
            if move.name in self.moves:
                raise ValueError(f"{name}: move {move.name} declared twice")
            move.workflow = self
            self.moves[move.name] = move

    def __iter__(self):
        return iter(self.moves.values())

    def __contains__(self, name: str) -> bool:
        return name in self.moves

    def get(self, name: str) -> Move:
        """The move called `name`; an unknown move is refused as invalid input naming the field "move"."""
        move = self.moves.get(name)
        if move is None:
            raise Invalid({"move": [_("Unknown move.")]}, message=_("Unknown move."))
        return move

    def moves_from(self, state: str) -> list[Move]:
        """The moves the workflow allows from `state` (before asking who may make them)."""
        return [m for m in self.moves.values() if state in m.sources]

    def available(self, user, obj) -> list[Move]:
        """The moves `user` may make on `obj` now (what each requires aside): what the UI offers."""
        state = getattr(obj, self.state_field)
        return [m for m in self.moves_from(state) if m.allowed(user, obj)]

    def can(self, user, name: str, obj) -> bool:
        move = self.moves.get(name)
        return bool(move is not None and move.can(user, obj))

    def lock(self, obj):
        """`obj` read again under a row lock (its state may have changed since the caller read it)."""
        if self._lock is not None:
            return self._lock(obj)
        return type(obj)._default_manager.select_for_update().get(pk=obj.pk)

    def run(self, name: str, *, obj, data: Mapping[str, Any] | None = None, ctx) -> Any:
        """Make move `name` on `obj` for `ctx.actor`: refused with a reason and nothing changed, or done in
        one transaction (state, the move's changes, the audit event, the follow-up). Returns the object."""
        move = self.get(name)
        data = dict(data or {})
        user = getattr(ctx, "actor", None)
        move.check(user, obj, data)
        with transaction.atomic():
            locked = self.lock(obj)
            before = getattr(locked, self.state_field)
            if before not in move.sources:  # someone moved it meanwhile
                raise Conflict(move.stale_message(locked))
            move.check(user, locked, data)  # again, on the row as it is now
            fields = move.execute(obj=locked, data=data, ctx=ctx) or []
            setattr(locked, self.state_field, move.target)
            update = [*dict.fromkeys([*fields, self.state_field])]
            meta = getattr(locked, "_meta", None)
            if meta is not None and any(f.name == "updated_at" for f in meta.concrete_fields):
                update.append("updated_at")
            locked.save(update_fields=update)
            if self._record is not None:
                action = move.audit_action or f"{self.name}.move.{move.name}"
                audit = {"move": move.name, "before": before, "after": move.target, "article": move.article}
                self._record(ctx, locked, action, f"{before} → {move.target}", audit | move.audit_data(data))
            move.after(obj=locked, ctx=ctx)
        return locked
