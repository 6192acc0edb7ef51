"""One permission entry for the whole product (Đ3.1, Đ17.1: need to know).

Every app registers a *policy* for each model it owns: a queryset scope and a per-object check. Pages,
API, search, exports and file downloads all ask the same two functions:

    scope(user, Report.objects.all(), "view")   -> the rows `user` may see, as a queryset
    can(user, "case.manage", case)              -> may `user` do this to this object?

A higher app may widen or narrow a lower app's scope without the lower app knowing of it: cases
*grants* the reports of the cases a user may see, and *restricts* the reports of restricted cases the
user may not see. Each grant and restriction may come with a per-object form, so that `can()` on one row
asks a couple of small indexed questions instead of building the whole scope. What a policy computes
about a user (their organisation's functions, the restricted cases hidden from them...) is memoised for
the length of one request (PermissionMemoMiddleware), so a page asks the database once however many rows
it checks.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from django.db import connections
from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


class Policy(Protocol):
    """What an app registers for one of its models."""

    def scope(self, user: Any, qs: QuerySet, action: str) -> QuerySet: ...

    def can(self, user: Any, action: str, obj: Any) -> bool: ...


class BranchedPolicy(Policy, Protocol):
    """A policy whose scope is a union of a few plain conditions ("delivered to my organisation", "made by my
    organisation", "in a case I may see"), each of which an index ordered like the list can serve.

    `branches(user, qs, action)` returns those querysets (every restriction applied to each); their union is
    exactly `scope(user, qs, action)`. A list then asks each branch for its first rows and merges them
    (`newest_ids`), instead of asking the database for one OR over joins, which neither database can walk in
    an index's order."""

    def branches(self, user: Any, qs: QuerySet, action: str) -> list[QuerySet]: ...


Grant = Callable[[Any], Q]
Restriction = Callable[..., QuerySet]
# Per-object forms: does this grant cover `obj` for `user`? does this restriction hide `obj` from `user`?
ObjectCheck = Callable[[Any, Any], bool]

_policies: dict[str, Policy] = {}
_grants: dict[str, list[tuple[Grant, ObjectCheck | None]]] = {}
_restrictions: dict[str, list[tuple[Restriction, ObjectCheck | None]]] = {}


def _label(model: type[Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register_policy(model: type[Model] | str, policy: Policy) -> None:
    """The policy of `model` (one per model; registering again replaces it)."""
    _policies[_label(model)] = policy


def register_grant(model: type[Model] | str, grant: Grant, *, object_fn: ObjectCheck | None = None) -> None:
    """A higher app widens `model`'s scope: `grant(user)` is a Q of more rows the user may see.

    `object_fn(user, obj)` answers the same for one row (True: the grant covers it); without it a row is
    checked by filtering the model on the Q.
    """
    _grants.setdefault(_label(model), []).append((grant, object_fn))


def register_restriction(
    model: type[Model] | str, restriction: Restriction, *, object_fn: ObjectCheck | None = None
) -> None:
    """A higher app narrows `model`'s scope: `restriction(user, qs, via="")` hides rows from the user.

    `via` is the path from the queryset's model to `model` (e.g. "report__" when listing deliveries).
    `object_fn(user, obj)` answers the same for one row (True: the row is hidden).
    """
    _restrictions.setdefault(_label(model), []).append((restriction, object_fn))


NOTHING = Q(pk__in=[])  # a grant that grants no row (granted_each leaves it out)


def granted(model: type[Model] | str, user: Any) -> Q | None:
    """The OR of every grant registered for `model`, or None when there is none."""
    q: Q | None = None
    for grant, _object_fn in _grants.get(_label(model), []):
        extra = grant(user)
        q = extra if q is None else q | extra
    return q


def granted_each(model: type[Model] | str, user: Any) -> list[Q]:
    """Every grant registered for `model` that may grant something, one Q each (the union of them is `granted`).

    A grant that grants nothing (`NOTHING`: a user in no case) is left out: as a branch of a list it would cost
    the list a queryset to build and compile for no row, and several branches a UNION to count."""
    grants = (grant(user) for grant, _object_fn in _grants.get(_label(model), []))
    return [q for q in grants if q != NOTHING]


def restrict(model: type[Model] | str, user: Any, qs: QuerySet, *, via: str = "") -> QuerySet:
    """`qs` with every restriction registered for `model` applied."""
    for restriction, _object_fn in _restrictions.get(_label(model), []):
        qs = restriction(user, qs, via=via)
    return qs


def _one(obj: Model) -> QuerySet:
    return type(obj)._default_manager.filter(pk=obj.pk)


def granted_object(model: type[Model] | str, user: Any, obj: Model) -> bool:
    """Does any grant registered for `model` cover `obj` (the per-object form of `granted`)?"""
    for grant, object_fn in _grants.get(_label(model), []):
        if object_fn(user, obj) if object_fn is not None else _one(obj).filter(grant(user)).exists():
            return True
    return False


def restricted_object(model: type[Model] | str, user: Any, obj: Model) -> bool:
    """Does any restriction registered for `model` hide `obj` from `user` (the per-object form of `restrict`)?"""
    for restriction, object_fn in _restrictions.get(_label(model), []):
        if object_fn(user, obj) if object_fn is not None else not restriction(user, _one(obj)).exists():
            return True
    return False


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


def scope_branches(user: Any, qs: QuerySet[M] | type[M], action: str = "view") -> list[QuerySet[M]]:
    """`scope(user, qs, action)` as a list of querysets whose union it is (one, for a policy without branches).

    Each branch keeps `qs`'s filters; none is evaluated here."""
    if not isinstance(qs, QuerySet):
        qs = qs._default_manager.all()
    policy = policy_for(qs.model)
    branches = getattr(policy, "branches", None)
    if branches is None:
        return [policy.scope(user, qs, action)]
    return list(branches(user, qs, action))


def newest_ids(branches: list[QuerySet], order: tuple[str, ...], *, limit: int, offset: int = 0) -> list[int]:
    """The primary keys of rows `offset` to `offset + limit` of the union of `branches` in `order`.

    `order` is all descending ("-created_at", "-pk") or all ascending, and ends with the primary key, so that it
    is total. Each branch is asked for its first `offset + limit` rows (one query each, walking the index of
    that order and stopping there); the lists are merged and each row kept once."""
    fields = [f.lstrip("-") for f in order]
    descending = order[0].startswith("-")
    if any(f.startswith("-") != descending for f in order) or fields[-1] not in ("pk", "id"):
        raise ValueError("order must be all descending or all ascending and end with the primary key")
    wanted = offset + limit
    if wanted <= 0:
        return []
    runs = [list(b.order_by(*order).values_list(*fields)[:wanted]) for b in branches]
    merged = heapq.merge(*runs, reverse=descending)  # each run is sorted in `order` already
    out: list[int] = []
    seen: set[int] = set()
    for row in merged:
        pk = row[-1]
        if pk in seen:
            continue
        seen.add(pk)
        out.append(pk)
        if len(out) >= wanted:
            break
    return out[offset:]


def capped_count(branches: list[QuerySet], cap: int) -> int:
    """How many rows the union of `branches` holds, counting no further than `cap + 1` (more than `cap`).

    Each branch gives at most `cap + 1` primary keys, in whatever order its index gives them cheapest: if one
    branch alone has more than `cap`, so has the union; else every branch was read whole and the union is exact.

    Counted in the database, one row back: `COUNT(*)` over the branch limited to `cap + 1` rows, or, for several
    branches where the database takes a LIMIT inside a UNION (PostgreSQL), over the UNION of the limited
    branches, one statement for all. The keys are sent back only where it does not (SQLite with several
    branches); a thousand keys converted one by one cost more CPU than the whole page of reports."""
    limited = [branch.order_by().values_list("pk")[: cap + 1] for branch in branches]
    if len(limited) == 1:
        return limited[0].count()
    if limited and connections[limited[0].db].features.supports_slicing_ordering_in_compound:
        return min(limited[0].union(*limited[1:]).count(), cap + 1)
    seen: set[int] = set()
    for branch in limited:
        seen.update(pk for (pk,) in branch)
        if len(seen) > cap:
            return cap + 1
    return len(seen)


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


def in_request() -> bool:
    """Is a request memo active (facts may be read out once and reused for the rest of the request)?"""
    return _request_memo.get() is not None


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
