"""Numbers under concurrency: heads signing at the same moment get gapless numbers, none twice; a signature that
fails releases its number to the next. Real threads, each with its own database connection (PostgreSQL: the
counter row's lock; SQLite lets one writer hold the whole database, so there is nothing to race there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from phoihop.cases.tests.factories import make_user
from phoihop.directory.models import Function
from phoihop.documents import registers, services
from phoihop.documents.choices import DocumentStatus
from phoihop.documents.models import Document
from phoihop.rulesets.services import ruleset_load

from .helpers import ctx, draft

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises every writer",
    ),
    pytest.mark.django_db(transaction=True),
]

SIGNERS = 8


def _load_reference_data() -> None:
    if not Function.objects.exists():
        ruleset_load(code_or_path="soctrang-2013")


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def org_people(transactional_db, demo_keys):
    _load_reference_data()
    return make_user("dic.focal2", "st-dic", "focal_point", "Trần Văn Minh"), make_user(
        "dic.head2", "st-dic", "head", "Lê Hoàng Phúc"
    )


def _in_threads(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", call())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def test_concurrent_signatures_take_gapless_numbers(org_people, monkeypatch):
    focal, head = org_people
    docs = [services.document_submit(ctx=ctx(focal), document=draft(focal)) for _ in range(SIGNERS)]
    taken = registers.take_number
    failing = {docs[3].pk}

    def sign(doc):
        return lambda: services.document_sign(ctx=ctx(head), document=doc)

    # One of them fails after taking its number (a token pulled out mid-signature): its number must go to another.
    def sign_pdf_or_fail(pdf, **kw):
        if threading.current_thread().name == failing_thread[0]:
            raise OSError("CKR_DEVICE_REMOVED")
        return real_sign(pdf, **kw)

    import phoihop.documents.workflow as wf

    real_sign = wf.sign_pdf
    failing_thread = [""]
    original_execute = wf.Sign.execute

    def execute(self, *, obj, data, ctx):
        if obj.pk in failing:
            failing_thread[0] = threading.current_thread().name
        return original_execute(self, obj=obj, data=data, ctx=ctx)

    monkeypatch.setattr(wf, "sign_pdf", sign_pdf_or_fail)
    monkeypatch.setattr(wf.Sign, "execute", execute)
    assert taken is registers.take_number
    results = _in_threads([sign(d) for d in docs])
    errors = [r for r in results if r[0] == "error"]
    assert len(errors) == 1 and "CKR_DEVICE_REMOVED" in str(errors[0][1])
    numbers = sorted(Document.objects.filter(status=DocumentStatus.SIGNED).values_list("number", flat=True))
    assert numbers == list(range(1, SIGNERS))  # 1..7: gapless, none twice, the failed one's number reused
    assert Document.objects.get(pk=docs[3].pk).number is None
    year = timezone.localdate().year
    refs = set(Document.objects.filter(year=year, number__isnull=False).values_list("reference", flat=True))
    assert len(refs) == SIGNERS - 1
