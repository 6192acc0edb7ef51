"""core.bulk.insert_objects, the lean insert on every report's path, stores what Django's bulk_create stores."""

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.core.bulk import insert_objects
from phoihop.directory.models import Organisation
from phoihop.inbox.models import Delivery
from phoihop.intake.models import Report, ReporterContact
from phoihop.rulesets.models import RuleSet
from phoihop.taxonomy.models import Behaviour

pytestmark = pytest.mark.django_db


def _report(reference: str) -> Report:
    behaviour = Behaviour.objects.select_related("sector").get(code="13.4", is_active=True)
    return Report(
        reference=reference,
        secret_hash="0" * 64,
        channel="api",
        reporter_type="enterprise",
        reporter_organisation=Organisation.objects.get(code="st-viettel"),
        external_ref=f"REF-{reference}",
        sector=behaviour.sector,
        behaviour=behaviour,
        occurred_at=dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC),
        description="Cuộc gọi giả danh nhà mạng — “quà tặng” 100%",
        ruleset=RuleSet.objects.order_by("-pk").first(),
        search_text="cuoc goi",
    )


def _row(model, pk, *skip):
    row = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in {"id", *skip}}


def test_the_rows_written_are_those_of_bulk_create():
    before = timezone.now()
    expected, written = _report("TB26-AAAAAAAAAA"), _report("TB26-BBBBBBBBBB")
    Report.objects.bulk_create([expected])
    insert_objects([written])

    assert written.pk is not None and written.pk != expected.pk
    assert not written._state.adding and written._state.db == "default"
    assert written.created_at >= before  # auto_now_add ran
    got, want = (_row(Report, r.pk, "reference", "external_ref") for r in (written, expected))
    assert got.pop("created_at") >= want.pop("created_at")
    assert got.pop("updated_at") >= want.pop("updated_at")
    assert got == want

    # Children take their parent's new key; datetimes and flags come back as written.
    org = Organisation.objects.get(code="st-police")
    moment = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    children = [
        Delivery(report=written, organisation=org, articles="Đ13", rules="r1", delivered_at=moment, urgent=True),
        ReporterContact(report=written, name="Nguyễn Văn A", phone="0912", consent_at=moment, consent_version="1"),
    ]
    for child in children:
        insert_objects([child])
    delivery = Delivery.objects.get(pk=children[0].pk)
    assert (delivery.report_id, delivery.organisation_id, delivery.urgent) == (written.pk, org.pk, True)
    assert delivery.delivered_at == moment and delivery.acknowledged_at is None
    assert ReporterContact.objects.get(report=written).name == "Nguyễn Văn A"


def test_many_rows_in_batches_keep_their_order():
    reports = [_report(f"TB26-C{n:09d}") for n in range(1200)]  # more than one statement on SQLite
    insert_objects(reports)
    by_pk = dict(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("pk", "reference"))
    assert [by_pk[r.pk] for r in reports] == [r.reference for r in reports]


def test_a_row_built_before_its_parent_was_saved_takes_its_id_and_keeps_the_parent(django_assert_num_queries):
    # The API's create builds a report's deliveries before the transaction, then inserts the report, then them.
    report = _report("TB26-PARENTFIRST")
    hub = Organisation.objects.get(code="st-dic")
    delivery = Delivery(report=report, organisation=hub, articles="Đ5.2", rules="D5.2-hub", delivered_at=timezone.now())
    insert_objects([report])
    insert_objects([delivery])
    assert delivery.report_id == report.pk and Delivery.objects.get(pk=delivery.pk).report_id == report.pk
    with django_assert_num_queries(0):  # the parent in memory, not read again
        assert delivery.report is report
