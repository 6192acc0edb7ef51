"""Reference data kept in each process, revalidated cheaply: the rule set, behaviours, areas, holders.

Reference data (what the rule set loaded) changes a few times a year and is read by every report, so a
process keeps a snapshot of it instead of reading it again per request. Every change of reference data
bumps a *generation* kept in the shared cache (`CACHES["default"]`: the database or Redis): a rule-set
load calls `bump()`, and each app `watch()`es its reference models so that a save or delete through the
admin bumps it too. A snapshot is revalidated at most every `PHOIHOP_REFERENCE_CACHE_SECONDS` (default 5)
by reading the generation, and dropped at once in the process that made the change. With the setting at
0 every call rebuilds (the test settings do this: tests change reference rows directly).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_caches: list[ReferenceCache[Any]] = []


def _ttl() -> float:
    return float(getattr(settings, "PHOIHOP_REFERENCE_CACHE_SECONDS", 5.0))


GENERATION_KEY = "phoihop:reference-generation"


def generation(key: str = GENERATION_KEY) -> Hashable:
    """The current generation under `key` (changes whenever the data it stands for changes)."""
    return cache.get(key)


def bump(key: str = GENERATION_KEY) -> None:
    """Data under `key` changed: other processes rebuild their snapshots within the revalidation period,
    this one at once (after the transaction commits)."""

    def _bump() -> None:
        cache.set(key, time.time_ns(), timeout=None)
        for snapshot_cache in _caches:
            if snapshot_cache.key == key:
                snapshot_cache.invalidate()

    transaction.on_commit(_bump)


def watch(*models: type[Model], key: str = GENERATION_KEY) -> None:
    """Bump the generation under `key` whenever a row of these models is saved or deleted (the admin, a
    shell, a service)."""

    def changed(sender: type[Model], **kwargs: Any) -> None:
        bump(key)

    for model in models:
        uid = f"refcache-{key}-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


class ReferenceCache(Generic[T]):
    """Snapshots built by `build(key)` and kept per key while the generation under `generation_key` stays
    the same."""

    def __init__(self, build: Callable[[Hashable], T], generation_key: str = GENERATION_KEY):
        self._build, self.key = build, generation_key
        self._version: Callable[[], Hashable] = lambda: generation(generation_key)
        self._lock = threading.Lock()
        self._snapshots: dict[Hashable, T] = {}
        self._seen_version: Hashable = None
        self._checked_at = 0.0
        _caches.append(self)

    def get(self, key: Hashable = None) -> T:
        ttl = _ttl()
        if ttl <= 0:
            return self._build(key)
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at >= ttl:
                version = self._version()
                if version != self._seen_version:
                    self._snapshots.clear()
                    self._seen_version = version
                self._checked_at = now
            snapshot = self._snapshots.get(key)
        if snapshot is None:
            snapshot = self._build(key)
            with self._lock:
                if len(self._snapshots) > 8:  # keys are days: keep a few
                    self._snapshots.clear()
                self._snapshots[key] = snapshot
        return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshots.clear()
            self._seen_version = None
            self._checked_at = 0.0


def invalidate_all() -> None:
    """Drop every snapshot of this process (after a rule set load, or a test that changed reference data)."""
    for snapshot_cache in _caches:
        snapshot_cache.invalidate()
