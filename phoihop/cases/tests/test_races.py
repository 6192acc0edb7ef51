"""Two people triage the same report at the same moment: one wins, the other is told why (a Conflict),
never a database error. Real concurrency: two threads, each with its own database connection, both past
the service's first checks before either takes the report's lock."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from phoihop.cases import services
from phoihop.cases.models import Case, CaseReport
from phoihop.core.errors import Conflict
from phoihop.directory.models import Function
from phoihop.rulesets.services import ruleset_load

from .factories import ctx, make_cast, open_case, submit_report

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer at a time hold the whole database, so two requests cannot race there; "
        "this needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _load_reference_data() -> None:
    if not Function.objects.exists():
        ruleset_load(code_or_path="soctrang-2013")


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """A transactional test ends by emptying every table: load the reference data again for the tests after."""
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The same for the next test of this module (the one before it emptied the tables)."""
    _load_reference_data()


def race(monkeypatch, *calls: Callable[[], object]) -> list[tuple[str, object]]:
    """Run `calls` at once in threads of their own; each waits for the others just before locking the
    reports (so all are past the first checks), then goes on. Returns ("ok", result) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    lock_reports = services.cases._lock_reports  # where case_open and case_attach_reports find it

    def lock_together(reports):
        barrier.wait(timeout=20)
        lock_reports(reports)

    monkeypatch.setattr(services.cases, "_lock_reports", lock_together)
    results: list[tuple[str, object]] = [("error", None)] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            results[i] = ("ok", call())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (a deadlock?)"
    return results


def test_two_cases_opened_at_once_from_the_same_report(monkeypatch):
    cast = make_cast()
    report = submit_report()  # delivered to DIC and the Provincial Police (both hubs, Đ5.2)

    def open_by(user):
        return lambda: services.case_open(reports=[report], ctx=ctx(user), title="Lừa đảo qua điện thoại")

    results = race(monkeypatch, open_by(cast.dic_focal), open_by(cast.police_focal))

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict), repr(error)
    assert report.reference in str(error.message)
    winner = next(value for kind, value in results if kind == "ok")
    assert list(Case.objects.values_list("pk", flat=True)) == [winner.pk]
    assert CaseReport.objects.get(report=report).case_id == winner.pk


def test_a_report_attached_while_someone_opens_a_case_from_it(monkeypatch):
    cast = make_cast()
    existing = open_case(cast.dic_focal, submit_report())
    report = submit_report()

    def attach():
        return services.case_attach_reports(case=existing, reports=[report], ctx=ctx(cast.dic_focal))

    def open_new():
        return services.case_open(reports=[report], ctx=ctx(cast.police_focal), title="Cùng số lừa đảo")

    results = race(monkeypatch, attach, open_new)

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict), repr(error)
    link = CaseReport.objects.get(report=report)
    opened = Case.objects.exclude(pk=existing.pk)
    if results[0][0] == "ok":  # the attach won: no second case was left behind
        assert link.case_id == existing.pk and not opened.exists()
    else:
        assert link.case_id == opened.get().pk
