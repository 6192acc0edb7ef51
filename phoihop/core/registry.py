"""Registries through which a higher app plugs into a lower one (the lower app never imports it).

- navigation entries (each app its own menu items, shown by role);
- page panels (the cases app adds its triage panel to the report page);
- hooks (a lower app's service announces a fact, e.g. "a delivery was acknowledged", and the app
  that owns the consequence registers what to do: intake moves the report's status).
Apps register in their AppConfig.ready(); registries are read at request time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


# --- Navigation --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NavItem:
    """One menu entry: who sees it is decided by `public`, `roles` and `staff_only`."""

    url_name: str
    label: str | Promise
    order: int = 100
    roles: frozenset[str] | None = None  # None: everyone signed in
    public: bool = False  # shown to the public (and hidden from signed-in people when public_only)
    public_only: bool = False
    staff_only: bool = False  # Django admin


_nav: dict[str, NavItem] = {}


def register_nav(*items: NavItem) -> None:
    for item in items:
        _nav[item.url_name] = item


def nav_items() -> list[NavItem]:
    return sorted(_nav.values(), key=lambda i: i.order)


# --- Page panels ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    """A fragment rendered into a named slot of another app's page, with its own context."""

    slot: str
    template: str
    context: Callable[[Any, Any], dict | None]  # (request, obj) -> extra context, or None to hide the panel
    order: int = 100


_panels: dict[str, list[Panel]] = {}


def register_panel(panel: Panel) -> None:
    _panels.setdefault(panel.slot, []).append(panel)
    _panels[panel.slot].sort(key=lambda p: p.order)


def panels(slot: str) -> list[Panel]:
    return list(_panels.get(slot, ()))


# --- Hooks ------------------------------------------------------------------------------------------------
@dataclass
class _Hook:
    handlers: list[Callable[..., Any]] = field(default_factory=list)


_hooks: dict[str, _Hook] = {}


def register_hook(name: str, handler: Callable[..., Any]) -> None:
    """Call `handler(**kwargs)` whenever a service runs hook `name` (inside that service's transaction)."""
    hook = _hooks.setdefault(name, _Hook())
    if handler not in hook.handlers:
        hook.handlers.append(handler)


# The demo data set (`phoihop serve --demo`): an app registers a function under this hook in its
# AppConfig.ready(); it creates that app's demo data once and returns a summary, or "" when there was nothing
# to do. site.demo runs them in registration order, which is INSTALLED_APPS order (lowest app first).
DEMO_DATA_HOOK = "demo_data"


# Periodic work: an app registers a function under this hook; the worker's periodic sweep (inbox_digest, every
# PHOIHOP_DIGEST_MINUTES) calls each one with no argument. It must be idempotent (reminders sent once) and
# return the number of messages the outbox could not send (0 or None when all went out).
PERIODIC_SWEEP_HOOK = "periodic_sweep"


def hook_handlers(name: str) -> list[Callable[..., Any]]:
    """The handlers of `name` in registration order (to run them one by one, each guarded)."""
    return list(_hooks.get(name, _Hook()).handlers)


def run_hook(name: str, **kwargs: Any) -> list[Any]:
    """Run every handler of `name`; returns their results in registration order."""
    return [handler(**kwargs) for handler in _hooks.get(name, _Hook()).handlers]


def first_result(name: str, default: Any = None, **kwargs: Any) -> Any:
    """The first non-None result of hook `name`, or `default` (a query answered by whichever app can)."""
    for result in run_hook(name, **kwargs):
        if result is not None:
            return result
    return default
