"""The registers of each organisation (Decree 30, Đ15 and Đ22; Đ3.3, Đ17.2: focal points keep track of what
goes out and comes in): numbers per organisation and year, gapless and never given twice.

`take_number` increments the counter row with one UPDATE, which holds the row's write lock until the
caller's transaction ends (PostgreSQL: the row lock; SQLite: the database's write lock, taken up front by
IMMEDIATE transactions). A second signer of the same organisation waits; if the first transaction rolls
back, its increment rolls back with it, so no number is lost; once committed, it is never given again.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import RegisterCounter

OUTGOING = RegisterCounter.Register.OUTGOING
INCOMING = RegisterCounter.Register.INCOMING


def take_number(*, organisation_id: int, year: int, register: str) -> int:
    """The next number of `organisation`'s `register` of `year`; call it inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that records the number")
    rows = RegisterCounter.objects.filter(organisation_id=organisation_id, year=year, register=register)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a savepoint: a concurrent first number of the year may win the insert
                RegisterCounter.objects.create(organisation_id=organisation_id, year=year, register=register, last=1)
            return 1
        except IntegrityError:
            rows.update(last=F("last") + 1)  # it exists now: wait for its lock, then take the next number
    return rows.values_list("last", flat=True).get()


def take_numbers(*, organisation_ids: list[int], year: int, register: str) -> dict[int, int]:
    """One number each for several organisations (in a fixed order, so two callers never wait on each other)."""
    return {
        org_id: take_number(organisation_id=org_id, year=year, register=register)
        for org_id in sorted(set(organisation_ids))
    }
