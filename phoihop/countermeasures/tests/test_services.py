"""The request and the workflow through the services: what fits is accepted, what does not is refused naming the
field with the reason and nothing written; every refused move changes nothing; a retried move changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import ctx, org
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.workdays import add_working_days
from phoihop.countermeasures.choices import Status
from phoihop.countermeasures.models import Countermeasure
from phoihop.countermeasures.services import countermeasure_move
from phoihop.inbox.models import OutboxMessage

from .conftest import request_block

pytestmark = pytest.mark.django_db


def _snapshot(cm: Countermeasure) -> dict:
    row = Countermeasure.objects.filter(pk=cm.pk).values().get()
    return row | {"events": AuditEvent.objects.filter(object_type="countermeasures.countermeasure").count()}


def test_a_request_gets_the_rule_sets_deadline_in_working_days_and_tells_the_carrier(world):
    cm = request_block(world)
    assert cm.status == Status.REQUESTED and cm.article == "Đ11.3"
    assert cm.requesting_organisation == org("st-dic") and cm.target == org("st-viettel")
    # block_number: 1 working day in soctrang-2013's countermeasures.yaml (weekends and holidays skipped)
    assert cm.due_on == add_working_days(timezone.localdate(), 1)
    assert AuditEvent.objects.filter(action="countermeasure.request", object_id=str(cm.pk)).count() == 1
    assert AuditEvent.objects.filter(action="case.countermeasure", object_id=str(world.case.pk)).count() == 1
    message = OutboxMessage.objects.get(dedup_key=f"cm.request:{cm.pk}")
    assert "linh@" not in "".join(message.recipients)  # no reporter address, the carrier's people
    assert world.cast.viettel.email in message.recipients and "+84912345678" in message.body


@pytest.mark.parametrize(
    ("action", "target", "field", "words"),
    [
        # Freezing a phone number at a bank: the action applies to bank accounts only.
        ("freeze_account", "st-bank-demo", "action", "Bank account"),
        # Blocking a number at a bank: only a telecom carrier can.
        ("block_number", "st-bank-demo", "target", "Telecom carrier"),
        # Blocking a number at an ISP or a platform: neither is a carrier.
        ("block_number", "st-fpt-telecom", "target", "Telecom carrier"),
        ("block_number", "st-platform-demo", "target", "only a Telecom carrier can"),
        # Not an enterprise at all.
        ("block_number", "st-police", "target", "Police"),
        # An action no rule set declares.
        ("shut_down_the_internet", "st-viettel", "action", "rule set in force"),
    ],
)
def test_a_measure_the_target_cannot_apply_is_refused_with_the_reason_and_nothing_written(
    world, action, target, field, words
):
    before = (Countermeasure.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(Invalid) as refused:
        request_block(world, action=action, target=org(target))
    assert field in refused.value.errors and words in " ".join(refused.value.errors[field])
    assert (Countermeasure.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_bad_input_names_each_field(world):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        request_block(world, legal_basis="  ", due_on=yesterday)
    assert set(refused.value.errors) == {"legal_basis", "due_on"}
    assert not Countermeasure.objects.exists()


def test_a_value_not_in_the_case_is_refused(world):
    from phoihop.indicators.models import Indicator

    stranger = Indicator.objects.create(kind="phone", value="+84987000111")
    with pytest.raises(Invalid) as refused:
        request_block(world, indicator=stranger)
    assert "indicator" in refused.value.errors and not Countermeasure.objects.exists()


def test_the_same_measure_twice_is_a_conflict_until_the_first_ends(world):
    first = request_block(world)
    with pytest.raises(Conflict):
        request_block(world)
    assert Countermeasure.objects.count() == 1
    countermeasure_move(countermeasure=first, move="lift", ctx=ctx(world.cast.dic_focal), data={"reason": "Nhầm số"})
    second = request_block(world)
    assert second.pk != first.pk and Countermeasure.objects.count() == 2


@pytest.mark.parametrize("who", ["viettel", "police_focal", "investigator", "dic_head", "outsider", "sysadmin"])
def test_only_the_leads_staff_request(world, who):
    if who == "dic_head":  # the lead's head may
        assert request_block(world, ctx=ctx(world.cast.dic_head)).pk
        return
    with pytest.raises(NotAllowed):
        request_block(world, ctx=ctx(world.cast[who]))
    assert not Countermeasure.objects.exists()


def test_the_lifecycle_requested_acknowledged_executed_lifted(world):
    cm = request_block(world)
    carrier = ctx(world.cast.viettel)
    cm, changed = countermeasure_move(countermeasure=cm, move="acknowledge", ctx=carrier)
    assert changed and cm.status == Status.ACKNOWLEDGED and cm.acknowledged_by == world.cast.viettel
    when = timezone.now() - dt.timedelta(minutes=3)
    cm, changed = countermeasure_move(
        countermeasure=cm, move="execute", ctx=carrier, data={"executed_at": when, "execution_reference": "VT-1"}
    )
    assert changed and cm.status == Status.EXECUTED and cm.executed_at == when and cm.execution_reference == "VT-1"
    assert OutboxMessage.objects.filter(dedup_key=f"cm.execute:{cm.pk}").exists()  # the requester is told
    cm, changed = countermeasure_move(
        countermeasure=cm, move="lift", ctx=ctx(world.cast.dic_focal), data={"reason": "Chủ thuê bao đã xác minh"}
    )
    assert changed and cm.status == Status.LIFTED and cm.lift_cause == "decision"
    assert OutboxMessage.objects.filter(dedup_key=f"cm.lift:{cm.pk}").exists()  # the carrier is told to undo it
    moves = list(
        AuditEvent.objects.filter(object_type="countermeasures.countermeasure", object_id=str(cm.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert moves == [
        "countermeasure.request",
        "countermeasure.move.acknowledge",
        "countermeasure.move.execute",
        "countermeasure.move.lift",
    ]


def test_refused_moves_change_nothing(world):
    cm = request_block(world)
    carrier = ctx(world.cast.viettel)
    before = _snapshot(cm)
    refusals = [
        ("execute", carrier, {"executed_at": timezone.now(), "execution_reference": "X"}, Conflict),  # not yet ack'd
        ("acknowledge", ctx(world.cast.vnpt), {}, NotAllowed),  # another carrier
        ("acknowledge", ctx(world.cast.dic_focal), {}, NotAllowed),  # the requester does not answer for the carrier
        ("lift", carrier, {"reason": "không muốn chặn"}, NotAllowed),  # the carrier does not lift
        ("lift", ctx(world.cast.dic_focal), {"reason": ""}, Invalid),  # a lift needs its reason
        ("refuse", carrier, {"reason": "x"}, Invalid),  # a reason that says nothing
        ("lift_on_delisting", ctx(world.cast.dic_focal), {"reason": "bằng tay"}, NotAllowed),  # the system's only
    ]
    for move, who, data, error in refusals:
        with pytest.raises(error):
            countermeasure_move(countermeasure=cm, move=move, ctx=who, data=data)
        assert _snapshot(cm) == before, move
    cm, _ = countermeasure_move(countermeasure=cm, move="acknowledge", ctx=carrier)
    before = _snapshot(cm)
    future = timezone.now() + dt.timedelta(hours=2)
    for data, field in [
        ({"executed_at": future, "execution_reference": "VT-2"}, "executed_at"),
        ({"executed_at": timezone.now() - dt.timedelta(days=30), "execution_reference": "VT-2"}, "executed_at"),
        ({"executed_at": timezone.now(), "execution_reference": " "}, "execution_reference"),
    ]:
        with pytest.raises(Invalid) as refused:
            countermeasure_move(countermeasure=cm, move="execute", ctx=carrier, data=data)
        assert field in refused.value.errors
        assert _snapshot(cm) == before
    cm, _ = countermeasure_move(countermeasure=cm, move="refuse", ctx=carrier, data={"reason": "Số không thuộc mạng"})
    assert cm.status == Status.REFUSED and cm.refusal_reason == "Số không thuộc mạng"
    before = _snapshot(cm)
    for move, data in [
        ("execute", {"executed_at": timezone.now(), "execution_reference": "VT"}),
        ("lift", {"reason": "thu hồi"}),
    ]:
        with pytest.raises(Conflict):
            countermeasure_move(
                countermeasure=cm,
                move=move,
                ctx=ctx(world.cast.dic_focal if move == "lift" else world.cast.viettel),
                data=data,
            )
        assert _snapshot(cm) == before


def test_a_retried_move_with_the_same_input_changes_nothing(world):
    cm = request_block(world)
    carrier = ctx(world.cast.viettel)
    countermeasure_move(countermeasure=cm, move="acknowledge", ctx=carrier)
    cm, changed = countermeasure_move(
        countermeasure=Countermeasure.objects.get(pk=cm.pk), move="acknowledge", ctx=carrier
    )
    assert not changed
    data = {"executed_at": timezone.now(), "execution_reference": "VT-9"}
    countermeasure_move(countermeasure=cm, move="execute", ctx=carrier, data=data)
    before = _snapshot(cm)
    cm, changed = countermeasure_move(
        countermeasure=Countermeasure.objects.get(pk=cm.pk), move="execute", ctx=carrier, data=data
    )
    assert not changed and _snapshot(cm) == before
    with pytest.raises(Conflict):  # another reference is not a retry
        countermeasure_move(
            countermeasure=cm, move="execute", ctx=carrier, data=data | {"execution_reference": "VT-10"}
        )
    # The retry is the target's own: another carrier repeating it is refused.
    with pytest.raises(NotAllowed):
        countermeasure_move(countermeasure=cm, move="execute", ctx=ctx(world.cast.vnpt), data=data)
    assert _snapshot(cm) == before


def test_a_bank_freezes_an_account_and_a_platform_takes_content_down(world):
    from phoihop.cases.selectors import case_indicators
    from phoihop.cases.tests.factories import open_case
    from phoihop.intake.choices import Channel
    from phoihop.intake.services import IndicatorInput, ReportInput, report_submit

    data = ReportInput(
        description="Trang Facebook giả mạo bán hàng, yêu cầu chuyển khoản trước vào tài khoản ngân hàng.",
        behaviour="13.4",
        area="st-vinh-chau",
        indicators=[
            IndicatorInput("bank_account", "0123456789", bank="VCB"),
            IndicatorInput("social_account", "https://www.facebook.com/trang.gia.mao.123"),
        ],
    )
    report = report_submit(data=data, channel=Channel.WEB, ctx=ctx(None)).report
    case = open_case(world.cast.dic_focal, report)
    by_kind = {i.kind: i for i in case_indicators(case)}
    account, page = by_kind["bank_account"], by_kind["social_account"]
    frozen = request_block(world, case=case, indicator=account, action="freeze_account", target=org("st-bank-demo"))
    taken = request_block(world, case=case, indicator=page, action="take_down", target=org("st-platform-demo"))
    assert (frozen.article, taken.article) == ("Đ4.2", "Đ11.3, Đ11.6")
    # The bank's people answer for the freeze, and only for it.
    bank = ctx(world.bank)
    countermeasure_move(countermeasure=frozen, move="acknowledge", ctx=bank)
    with pytest.raises(NotAllowed):
        countermeasure_move(countermeasure=taken, move="acknowledge", ctx=bank)
    # A bank account is not a thing a platform takes down.
    with pytest.raises(Invalid) as refused:
        request_block(world, case=case, indicator=account, action="take_down", target=org("st-platform-demo"))
    assert "action" in refused.value.errors
