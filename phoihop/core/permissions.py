"""One permission entry for the whole product (Đ3.1, Đ17.1: need to know).

Every app registers a *policy* for each model it owns: a queryset scope and a per-object check. Pages,
API, search, exports and file downloads all ask the same two functions:

    scope(user, Report.objects.all(), "view")   -> the rows `user` may see, as a queryset
    can(user, "case.manage", case)              -> may `user` do this to this object?

A higher app may widen or narrow a lower app's scope without the lower app knowing of it: cases
*grants* the reports of the cases a user may see, and *restricts* the reports of restricted cases the
user may not see. What a policy computes about a user (their organisation's functions, the restricted
cases hidden from them...) is memoised for the length of one request (PermissionMemoMiddleware), so a
page asks the database once however many rows it checks.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


class Policy(Protocol):
    """What an app registers for one of its models."""

    def scope(self, user: Any, qs: QuerySet, action: str) -> QuerySet: ...

    def can(self, user: Any, action: str, obj: Any) -> bool: ...


Grant = Callable[[Any], Q]
Restriction = Callable[..., QuerySet]

_policies: dict[str, Policy] = {}
_grants: dict[str, list[Grant]] = {}
_restrictions: dict[str, list[Restriction]] = {}


def _label(model: type[Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register_policy(model: type[Model] | str, policy: Policy) -> None:
    """The policy of `model` (one per model; registering again replaces it)."""
    _policies[_label(model)] = policy


def register_grant(model: type[Model] | str, grant: Grant) -> None:
    """A higher app widens `model`'s scope: `grant(user)` is a Q of more rows the user may see."""
    _grants.setdefault(_label(model), []).append(grant)


def register_restriction(model: type[Model] | str, restriction: Restriction) -> None:
    """A higher app narrows `model`'s scope: `restriction(user, qs, via="")` hides rows from the user.

    `via` is the path from the queryset's model to `model` (e.g. "report__" when listing deliveries).
    """
    _restrictions.setdefault(_label(model), []).append(restriction)


def granted(model: type[Model] | str, user: Any) -> Q | None:
    """The OR of every grant registered for `model`, or None when there is none."""
    q: Q | None = None
    for grant in _grants.get(_label(model), []):
        extra = grant(user)
        q = extra if q is None else q | extra
    return q


def restrict(model: type[Model] | str, user: Any, qs: QuerySet, *, via: str = "") -> QuerySet:
    """`qs` with every restriction registered for `model` applied."""
    for restriction in _restrictions.get(_label(model), []):
        qs = restriction(user, qs, via=via)
    return qs


def policy_for(model: type[Model] | str) -> Policy:
    try:
        return _policies[_label(model)]
    except KeyError:
        raise LookupError(f"no permission policy is registered for {_label(model)}") from None


def scope(user: Any, qs: QuerySet[M] | type[M], action: str = "view") -> QuerySet[M]:
    """The rows of `qs` (or of a model) that `user` may `action`: never evaluated here."""
    if not isinstance(qs, QuerySet):
        qs = qs._default_manager.all()
    return policy_for(qs.model).scope(user, qs, action)


def can(user: Any, action: str, obj: Model) -> bool:
    """May `user` do `action` to `obj`? (`obj` must have been fetched through `scope`.)"""
    return policy_for(type(obj)).can(user, action, obj)


_request_memo: ContextVar[dict | None] = ContextVar("phoihop_permission_memo", default=None)


def memo(user: Any, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per request and user: permission facts a page asks many times.

    Outside a request (services called by tasks, commands, tests) nothing is memoised, so a fact never
    outlives a change that a service makes.
    """
    cache = _request_memo.get()
    if cache is None:
        return compute()
    full_key = (getattr(user, "pk", None), key)
    if full_key not in cache:
        cache[full_key] = compute()
    return cache[full_key]


def forget() -> None:
    """Drop what was memoised in this request (a service changed who may see what)."""
    cache = _request_memo.get()
    if cache is not None:
        cache.clear()


class PermissionMemoMiddleware:
    """Gives each request its own permission memo (see `memo`)."""

    def __init__(self, get_response: Callable[[Any], Any]):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)
