"""The case services: every workflow move from every state, by the right and the wrong people, with and
without what it requires; tasks, notes, the state-secret dossier, opening and triage. A refused request
changes nothing (the case row, its participants and members, its reports, the audit log, the mail queue);
an accepted one writes an event on the case's timeline and the audit chain still verifies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.forms.models import model_to_dict
from django_tasks_db.models import DBTaskResult

from phoihop.audit.models import AuditChainHead, AuditEvent
from phoihop.audit.services import audit_verify
from phoihop.cases.choices import AccessLevel, CaseStatus, Outcome, ParticipantRole, SecretLevel
from phoihop.cases.models import (
    AdministrativeHandling,
    Case,
    CaseClosure,
    CaseLink,
    CaseParticipant,
    CaseReport,
    Note,
    PoliceTransfer,
    ProcuracyRecommendation,
    SecretDossier,
    Task,
)
from phoihop.cases.permissions import Action, can, visible_cases
from phoihop.cases.selectors import case_timeline
from phoihop.cases.services import (
    case_add_member,
    case_add_participant,
    case_attach_reports,
    case_link,
    case_register_secret_dossier,
    case_set_access,
    case_transition,
    note_add,
    report_close,
    task_complete,
    task_create,
)
from phoihop.cases.workflow import CASE_WORKFLOW, MOVES
from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed
from phoihop.intake.choices import CloseReason, PublicStatus, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports

from .factories import Cast, built_once, ctx, make_cast, open_case, org, submit_report

pytestmark = pytest.mark.django_db

STATES = list(CaseStatus.values)


# --- Set-up ------------------------------------------------------------------------------------------


@dataclass
class Base:
    cast: Cast
    report: Report
    case: Case
    case_report: Report


def build_base() -> Base:
    cast = make_cast()
    case_report = submit_report()
    case = open_case(cast.dic_focal, case_report, participants=["st-viettel"])
    return Base(cast, submit_report(), case, case_report)


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker):
    """Built once for the module; each test runs in a savepoint and reads these objects afresh."""
    with built_once(django_db_blocker, build_base) as built:
        yield built


@pytest.fixture
def cast(base):
    return base.cast.fresh()


@pytest.fixture
def report(base):
    """A citizen's fraud call from a Vĩnh Châu number (Đ13.4), delivered to DIC, Police, district, posts;
    in no case."""
    return Report.objects.get(pk=base.report.pk)


@pytest.fixture
def case(base):
    """A case led by DIC with the carrier asked to take part (Đ11.8): status new."""
    return Case.objects.get(pk=base.case.pk)


@pytest.fixture
def case_report(base):
    """The report `case` was opened from."""
    return Report.objects.get(pk=base.case_report.pk)


def put_in(case: Case, status: str) -> Case:
    """Set-up shortcut: place `case` in `status` with what that state implies (from "transferred" on, a
    receiving investigation agency that takes part; a closed case has an outcome and closed reports). Not a
    move: no event."""
    investigation = org("st-police-investigation")
    if status in {CaseStatus.TRANSFERRED, CaseStatus.INVESTIGATING, CaseStatus.RECOMMENDED, CaseStatus.CLOSED}:
        PoliceTransfer.objects.create(
            case=case,
            recorded_by=case.created_by,
            receiving_police_unit=investigation,
            dossier="Hồ sơ chuyển số 15/STTTT",
        )
        CaseParticipant.objects.get_or_create(case=case, organisation=investigation)
    if status == CaseStatus.CLOSED:
        CaseClosure.objects.create(case=case, recorded_by=case.created_by, outcome=Outcome.UNFOUNDED)
        Report.objects.filter(case_link__case=case).update(
            status=ReportStatus.CLOSED, close_reason=CloseReason.CASE_CLOSED
        )
    Case.objects.filter(pk=case.pk).update(status=status)
    return Case.objects.get(pk=case.pk)


def snapshot(case: Case) -> dict:
    """Everything a refused request must leave as it was."""
    head = AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    return {
        "case": model_to_dict(Case.objects.get(pk=case.pk)) | {"updated_at": Case.objects.get(pk=case.pk).updated_at},
        "participants": sorted(case.participants.values_list("organisation__code", "role")),
        "members": sorted(case.members.values_list("user__username", flat=True)),
        "reports": sorted(
            Report.objects.filter(case_link__case=case).values_list("reference", "status", "close_reason")
        ),
        "tasks": sorted(Task.objects.filter(case=case).values_list("pk", "done_at", "result")),
        "notes": Note.objects.filter(case=case).count(),
        "links": CaseLink.objects.count(),
        "dossier": SecretDossier.objects.filter(case=case).exists(),
        "stages": [
            sorted(model.objects.filter(case=case).values_list("pk", flat=True))
            for model in (AdministrativeHandling, PoliceTransfer, ProcuracyRecommendation)
        ]
        + [sorted(CaseClosure.objects.filter(case=case).values_list("pk", "reopened_at"))],
        "audit": (AuditEvent.objects.count(), head),
        "queued": DBTaskResult.objects.count(),
    }


def timeline(case: Case) -> list[str]:
    return list(case_timeline(case).values_list("action", flat=True))


# The actor who may make each move on the DIC-led case (put_in makes the investigation agency receive it),
# and everything the move requires.
RIGHT_ACTOR = {
    "verify": "dic_focal",
    "administrative": "dic_focal",
    "transfer": "dic_focal",
    "investigate": "investigator",
    "recommend": "dic_focal",
    "close": "dic_focal",
    "reopen": "dic_head",
}


def valid_params(move: str) -> dict:
    return {
        "verify": {},
        "administrative": {
            "sanction_decision": "123/QĐ-XPHC",
            "measures": "Thu hồi 50 SIM kích hoạt sẵn",
            "fine_amount": "7500000",
        },
        "transfer": {
            "receiving_police_unit": org("st-police-investigation"),
            "transfer_dossier": "Hồ sơ chuyển số 15/STTTT",
        },
        "investigate": {},
        "recommend": {"procuracy": org("st-procuracy"), "recommendation_ref": "45/KN-CSĐT"},
        "close": {"outcome": Outcome.UNFOUNDED, "outcome_note": "Không đủ căn cứ."},
        "reopen": {"reason": "Nhà mạng cung cấp thêm thông tin thuê bao."},
    }[move]


# --- Every move from every state -----------------------------------------------------------------------


MOVE_STATE = [(m, s) for m in MOVES for s in STATES]


@pytest.mark.parametrize(("move", "state"), MOVE_STATE, ids=[f"{m}-from-{s}" for m, s in MOVE_STATE])
def test_every_move_from_every_state(cast, case, move, state):
    spec = MOVES[move]
    case = put_in(case, state)
    actor = cast[RIGHT_ACTOR[move]]
    if state in spec.sources:
        moved = case_transition(case=case, move=move, ctx=ctx(actor), **valid_params(move))
        assert moved.status == spec.target == Case.objects.get(pk=case.pk).status
        event = case_timeline(case).last()
        assert event.action == f"case.move.{move}" and event.actor == actor
        assert event.data["before"] == state and event.data["after"] == spec.target
        assert event.data["article"] == spec.article and event.ip_address == "192.0.2.10"
        assert audit_verify().ok
    else:
        before = snapshot(case)
        if not can(actor, Action.VIEW, case):
            # Someone who may not see the case learns nothing about its state either.
            with pytest.raises(NotAllowed):
                case_transition(case=case, move=move, ctx=ctx(actor), **valid_params(move))
        else:
            with pytest.raises(Conflict) as refused:
                case_transition(case=case, move=move, ctx=ctx(actor), **valid_params(move))
            assert str(CaseStatus(state).label) in str(refused.value.message), "the refusal says why"
        assert snapshot(case) == before


# Who may not make each move although the case is in a state that allows it: people who see the case
# (a hub that does not lead, a participant carrier, a participant officer not named on it, the lead's
# focal point for moves that are not the lead's), and people who see nothing.
WRONG_ACTORS = {
    "verify": ["police_focal", "viettel", "investigator", "doit_focal", "outsider", "sysadmin"],
    "administrative": ["police_focal", "viettel", "investigator", "doit_focal", "outsider", "sysadmin"],
    "transfer": ["police_focal", "viettel", "investigator", "vc_officer", "outsider", "sysadmin"],
    "investigate": ["dic_focal", "dic_head", "police_focal", "vc_officer", "viettel", "outsider", "sysadmin"],
    "recommend": ["police_focal", "investigator", "viettel", "procuracy", "outsider", "sysadmin"],
    "close": ["police_focal", "viettel", "investigator", "bp_focal", "outsider", "sysadmin"],
    "reopen": ["dic_focal", "police_focal", "investigator", "viettel", "outsider", "sysadmin"],
}
WRONG = [(m, a) for m, actors in WRONG_ACTORS.items() for a in actors]


@pytest.mark.parametrize(("move", "actor"), WRONG, ids=[f"{m}-by-{a}" for m, a in WRONG])
def test_a_move_by_the_wrong_person_is_refused_and_changes_nothing(cast, case, move, actor):
    source = sorted(MOVES[move].sources)[0] if move != "investigate" else CaseStatus.TRANSFERRED
    case = put_in(case, source)
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        case_transition(case=case, move=move, ctx=ctx(cast[actor]), **valid_params(move))
    assert snapshot(case) == before


REQUIRED = [(m, f) for m, spec in MOVES.items() for f in spec.requires]
SOURCE = {
    "administrative": CaseStatus.VERIFYING,
    "transfer": CaseStatus.VERIFYING,
    "recommend": CaseStatus.INVESTIGATING,
    "close": CaseStatus.VERIFYING,
    "reopen": CaseStatus.CLOSED,
}


@pytest.mark.parametrize("absent", [None, "", "omitted"])
@pytest.mark.parametrize(("move", "field"), REQUIRED, ids=[f"{m}-{f}" for m, f in REQUIRED])
def test_a_move_missing_what_it_requires_names_the_field_and_changes_nothing(cast, case, move, field, absent):
    case = put_in(case, SOURCE[move])
    params = valid_params(move)
    if absent == "omitted":
        del params[field]
    else:
        params[field] = absent
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move=move, ctx=ctx(cast[RIGHT_ACTOR[move]]), **params)
    assert type(refused.value) is Invalid
    assert refused.value.field == field and field in str(refused.value.message)
    assert snapshot(case) == before


TEXT_REQUIRED = [(m, f) for m, f in REQUIRED if f not in {"receiving_police_unit", "procuracy"}]


@pytest.mark.parametrize(("move", "field"), TEXT_REQUIRED, ids=[f"{m}-{f}" for m, f in TEXT_REQUIRED])
def test_a_required_text_of_only_spaces_counts_as_missing(cast, case, move, field):
    """A sanction decision number, a transfer dossier or a recommendation reference of "   " is no more
    given than an empty one: the move must be refused, not stored with an empty value."""
    case = put_in(case, SOURCE[move])
    params = valid_params(move) | {field: "   "}
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move=move, ctx=ctx(cast[RIGHT_ACTOR[move]]), **params)
    assert refused.value.field == field
    assert snapshot(case) == before


def test_an_unknown_move_is_refused(cast, case):
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move="archive", ctx=ctx(cast.dic_focal))
    assert refused.value.field == "move"
    assert snapshot(case) == before


# --- What each move does -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["st-police-vinh-chau", "st-police", "st-dic", "st-procuracy", "st-viettel"])
def test_transfer_only_to_an_organisation_holding_criminal_investigation(cast, case, code):
    case = put_in(case, CaseStatus.VERIFYING)
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(
            case=case,
            move="transfer",
            ctx=ctx(cast.dic_focal),
            receiving_police_unit=org(code),
            transfer_dossier="Hồ sơ chuyển số 15/STTTT",
        )
    assert refused.value.field == "receiving_police_unit"
    assert snapshot(case) == before


def test_the_full_journey_transfer_investigate_recommend_close(cast, case, case_report):
    """Đ5.4 → Đ6.3 → Đ3.4: the investigation agency takes the lead, the Procuracy joins, the report closes."""
    dic, investigation, procuracy = org("st-dic"), org("st-police-investigation"), org("st-procuracy")
    case = case_transition(case=case, move="verify", ctx=ctx(cast.dic_focal))
    case = case_transition(
        case=case,
        move="transfer",
        ctx=ctx(cast.dic_focal),
        receiving_police_unit=investigation,
        transfer_dossier="Hồ sơ chuyển số 15/STTTT",
    )
    assert case.police_transfer.receiving_police_unit == investigation and case.lead_organisation == dic
    assert case.participants.filter(organisation=investigation, role=ParticipantRole.PARTICIPANT).exists()
    case_add_member(case=case, user=cast.investigator, ctx=ctx(cast.dic_focal))  # the officer assigned

    case = case_transition(case=case, move="investigate", ctx=ctx(cast.investigator))
    assert case.lead_organisation == investigation == Case.objects.get(pk=case.pk).lead_organisation
    assert dict(case.participants.values_list("organisation__code", "role")) == {
        "st-dic": ParticipantRole.PARTICIPANT,
        "st-viettel": ParticipantRole.PARTICIPANT,
        "st-police-investigation": ParticipantRole.LEAD,
    }
    # DIC no longer leads: its focal point may not recommend; the investigator (named) may.
    with pytest.raises(NotAllowed):
        case_transition(case=case, move="recommend", ctx=ctx(cast.dic_focal), **valid_params("recommend"))
    case = case_transition(case=case, move="recommend", ctx=ctx(cast.investigator), **valid_params("recommend"))
    assert case.recommendation.procuracy == procuracy and case.recommendation.reference == "45/KN-CSĐT"
    assert case.participants.filter(organisation=procuracy).exists()

    case = case_transition(case=case, move="close", ctx=ctx(cast.investigator), outcome=Outcome.PROSECUTED)
    assert case.status == CaseStatus.CLOSED and case.closure.outcome == Outcome.PROSECUTED and case.closure.recorded_at
    case_report.refresh_from_db()
    assert case_report.status == ReportStatus.CLOSED and case_report.close_reason == CloseReason.CASE_CLOSED
    assert case_report.public_status == PublicStatus.CLOSED  # the citizen's status page shows "closed"
    assert [a for a in timeline(case) if a.startswith("case.move.")] == [
        "case.move.verify",
        "case.move.transfer",
        "case.move.investigate",
        "case.move.recommend",
        "case.move.close",
    ]
    assert audit_verify().ok


def test_recommend_only_to_a_procuracy(cast, case):
    case = put_in(case, CaseStatus.INVESTIGATING)
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(
            case=case,
            move="recommend",
            ctx=ctx(cast.dic_focal),
            procuracy=org("st-police"),
            recommendation_ref="45/KN-CSĐT",
        )
    assert refused.value.field == "procuracy"
    assert snapshot(case) == before


def test_administrative_handling_records_the_sanction(cast, case):
    case = put_in(case, CaseStatus.VERIFYING)
    case = case_transition(case=case, move="administrative", ctx=ctx(cast.dic_head), **valid_params("administrative"))
    handling = Case.objects.get(pk=case.pk).administrative_handling
    assert (handling.sanction_decision, handling.fine_amount, handling.measures, handling.recorded_by) == (
        "123/QĐ-XPHC",
        7_500_000,
        "Thu hồi 50 SIM kích hoạt sẵn",
        cast.dic_head,
    )


@pytest.mark.parametrize("fine", ["-5", "7,5 triệu", "1e6"])
def test_a_fine_that_is_not_a_whole_number_of_dong_is_refused(cast, case, fine):
    case = put_in(case, CaseStatus.VERIFYING)
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(
            case=case,
            move="administrative",
            ctx=ctx(cast.dic_focal),
            **valid_params("administrative") | {"fine_amount": fine},
        )
    assert refused.value.field == "fine_amount"
    assert snapshot(case) == before


def test_administrative_handling_is_refused_when_the_lead_is_not_a_regulator(cast):
    """Đ4.5, Đ5.4: only DIC or DoIT impose sanctions; a case led by the Police may not take that move."""
    police_case = open_case(cast.police_focal, submit_report())
    police_case = case_transition(case=police_case, move="verify", ctx=ctx(cast.police_focal))
    before = snapshot(police_case)
    with pytest.raises(NotAllowed):
        case_transition(
            case=police_case, move="administrative", ctx=ctx(cast.police_focal), **valid_params("administrative")
        )
    assert snapshot(police_case) == before


def test_administrative_handling_by_doit_a_regulator_of_counterfeit_goods(cast):
    """Đ8.2: DoIT leads on counterfeit IT goods and may sanction."""
    counterfeit = submit_report(
        behaviour="15.6", area="st-soc-trang", description="Cửa hàng bán điện thoại giả nhãn hiệu, không rõ nguồn gốc."
    )
    doit_case = open_case(cast.doit_focal, counterfeit)
    doit_case = case_transition(case=doit_case, move="verify", ctx=ctx(cast.doit_focal))
    doit_case = case_transition(
        case=doit_case, move="administrative", ctx=ctx(cast.doit_focal), **valid_params("administrative")
    )
    assert doit_case.status == CaseStatus.ADMINISTRATIVE


@pytest.mark.parametrize("state", [s for s in STATES if s not in {CaseStatus.ADMINISTRATIVE, CaseStatus.CLOSED}])
def test_sanctioned_only_from_administrative_handling(cast, case, state):
    case = put_in(case, state)
    before = snapshot(case)
    with pytest.raises(Conflict):
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.SANCTIONED)
    assert snapshot(case) == before


def test_sanctioned_from_administrative_handling(cast, case):
    case = put_in(case, CaseStatus.ADMINISTRATIVE)
    case = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.SANCTIONED)
    assert case.closure.outcome == Outcome.SANCTIONED


@pytest.mark.parametrize("state", [s for s in STATES if s not in {CaseStatus.RECOMMENDED, CaseStatus.CLOSED}])
def test_prosecuted_only_from_recommended(cast, case, state):
    case = put_in(case, state)
    before = snapshot(case)
    with pytest.raises(Conflict):
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.PROSECUTED)
    assert snapshot(case) == before


def test_prosecuted_from_recommended(cast, case):
    case = put_in(case, CaseStatus.RECOMMENDED)
    case = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.PROSECUTED)
    assert case.closure.outcome == Outcome.PROSECUTED


def test_unknown_outcome_is_refused(cast, case):
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome="forgotten")
    assert refused.value.field == "outcome"
    assert snapshot(case) == before


@pytest.mark.parametrize("target", ["missing", "itself", "a report"])
def test_merged_needs_the_case_it_is_merged_into(cast, case, report, target):
    merged_into = {"missing": None, "itself": case, "a report": report}[target]
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(
            case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.MERGED, merged_into=merged_into
        )
    assert refused.value.field == "merged_into"
    assert snapshot(case) == before


def test_merged_into_another_case(cast, case):
    other = open_case(cast.dic_focal, submit_report(), title="Cùng số điện thoại lừa đảo")
    case = case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.MERGED, merged_into=other)
    assert case.closure.merged_into == other and Case.objects.get(pk=case.pk).closure.merged_into == other


def test_merged_into_a_case_the_actor_may_not_see_is_refused(cast, case):
    """A hidden case is never named: merging into a restricted case the actor may not see would put its
    reference and title on this (normal) case's page for everyone who sees it."""
    hidden = open_case(
        cast.police_focal, submit_report(), access_level=AccessLevel.RESTRICTED, title="Chuyên án bí mật"
    )
    assert not visible_cases(cast.dic_focal).filter(pk=hidden.pk).exists()
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.MERGED, merged_into=hidden)
    assert refused.value.field == "merged_into"
    assert snapshot(case) == before


def test_closing_a_case_closes_its_reports_and_reopening_restores_them(cast, case, case_report):
    second = submit_report()
    case_attach_reports(case=case, reports=[second], ctx=ctx(cast.dic_focal))
    case_transition(case=case, move="close", ctx=ctx(cast.dic_focal), outcome=Outcome.UNFOUNDED)
    for r in (case_report, second):
        r.refresh_from_db()
        assert (r.status, r.close_reason, r.public_status) == (
            ReportStatus.CLOSED,
            CloseReason.CASE_CLOSED,
            PublicStatus.CLOSED,
        )
    reopened = case_transition(
        case=Case.objects.get(pk=case.pk), move="reopen", ctx=ctx(cast.dic_hub), reason="Có thêm nạn nhân trình báo."
    )
    assert reopened.status == CaseStatus.VERIFYING and reopened.closure is None
    ended = CaseClosure.objects.get(case=case)  # the closure stays as history, with who re-opened it and why
    assert (ended.outcome, ended.reopened_by, ended.reopen_reason) == (
        Outcome.UNFOUNDED,
        cast.dic_hub,
        "Có thêm nạn nhân trình báo.",
    )
    for r in (case_report, second):
        r.refresh_from_db()
        assert (r.status, r.close_reason, r.public_status) == (ReportStatus.IN_CASE, "", PublicStatus.HANDLING)
    event = case_timeline(case).last()
    assert event.action == "case.move.reopen" and event.data["reason"] == "Có thêm nạn nhân trình báo."


def test_reopen_needs_a_real_reason(cast, case):
    case = put_in(case, CaseStatus.CLOSED)
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        case_transition(case=case, move="reopen", ctx=ctx(cast.dic_head), reason="ok")
    assert refused.value.field == "reason"
    assert snapshot(case) == before


def test_a_move_on_a_stale_copy_is_refused(cast, case):
    stale = Case.objects.get(pk=case.pk)
    case_transition(case=case, move="verify", ctx=ctx(cast.dic_focal))
    with pytest.raises(Conflict):
        case_transition(case=stale, move="verify", ctx=ctx(cast.dic_focal))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.VERIFYING


# --- Tasks -----------------------------------------------------------------------------------------------


def test_tasks_go_only_to_participating_organisations(cast, case):
    before = snapshot(case)
    with pytest.raises(Conflict):
        task_create(case=case, title="Xác minh thuê bao", organisation=org("st-vnpt"), ctx=ctx(cast.dic_focal))
    with pytest.raises(DomainError) as refused:
        task_create(
            case=case,
            title="Xác minh thuê bao",
            organisation=org("st-viettel"),
            owner=cast.vnpt,
            ctx=ctx(cast.dic_focal),
        )
    assert refused.value.field == "owner"
    with pytest.raises(DomainError) as refused:
        task_create(case=case, title="  ", organisation=org("st-viettel"), ctx=ctx(cast.dic_focal))
    assert refused.value.field == "title"
    assert snapshot(case) == before
    task = task_create(
        case=case,
        title="Xác minh thuê bao 0912345678",
        organisation=org("st-viettel"),
        owner=cast.viettel,
        ctx=ctx(cast.dic_focal),
    )
    assert task.organisation.code == "st-viettel" and timeline(case)[-1] == "case.task_create"


@pytest.mark.parametrize("actor", ["police_focal", "vc_officer", "outsider", "sysadmin", "viettel"])
def test_only_people_working_on_the_case_create_tasks(cast, case, actor):
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        task_create(case=case, title="Xác minh", organisation=org("st-dic"), ctx=ctx(cast[actor]))
    assert snapshot(case) == before


def test_only_the_tasks_organisation_completes_it(cast, case):
    task = task_create(
        case=case,
        title="Xác minh thuê bao 0912345678",
        organisation=org("st-viettel"),
        owner=cast.viettel,
        ctx=ctx(cast.dic_focal),
    )
    for actor in (cast.dic_focal, cast.dic_head, cast.police_focal, cast.vnpt, cast.outsider):
        before = snapshot(case)
        with pytest.raises(NotAllowed):
            task_complete(task=task, result="Đã xác minh.", ctx=ctx(actor))
        assert snapshot(case) == before
    # The owner of a task is named on the case when it is given (need to know, Đ11.8 on request).
    assert case.members.filter(user=cast.viettel).exists()
    done = task_complete(task=task, result="Thuê bao đăng ký tên Nguyễn Văn A.", ctx=ctx(cast.viettel))
    assert done.done_at and done.result == "Thuê bao đăng ký tên Nguyễn Văn A."
    assert timeline(case)[-1] == "case.task_complete"
    with pytest.raises(Conflict):
        task_complete(task=done, result="Lần nữa", ctx=ctx(cast.viettel))


def test_a_task_of_dic_is_completed_by_dic(cast, case):
    task = task_create(case=case, title="Lập biên bản", organisation=org("st-dic"), ctx=ctx(cast.dic_focal))
    assert task_complete(task=task, result="Xong", ctx=ctx(cast.dic_head)).done_at


# --- Notes, participants, members, access, links ---------------------------------------------------------


def test_notes_need_text_and_a_person_working_on_the_case(cast, case):
    with pytest.raises(DomainError) as refused:
        note_add(case=case, text=" ", ctx=ctx(cast.dic_focal))
    assert refused.value.field == "text"
    with pytest.raises(NotAllowed):
        note_add(case=case, text="Ghi chú", ctx=ctx(cast.police_focal))
    note = note_add(case=case, text="Đã liên hệ nhà mạng.", ctx=ctx(cast.dic_focal))
    assert note.author == cast.dic_focal and timeline(case)[-1] == "case.note"


def test_only_the_lead_manages_participants(cast, case):
    for actor in (cast.police_focal, cast.viettel, cast.outsider):
        before = snapshot(case)
        with pytest.raises(NotAllowed):
            case_add_participant(case=case, organisation=org("st-doit"), ctx=ctx(actor))
        assert snapshot(case) == before
    case_add_participant(case=case, organisation=org("st-doit"), ctx=ctx(cast.dic_hub))
    assert case.participants.filter(organisation__code="st-doit").exists()
    assert timeline(case)[-1] == "case.participant_add"


def test_a_member_must_belong_to_a_participating_organisation(cast, case):
    before = snapshot(case)
    with pytest.raises(Conflict):
        case_add_member(case=case, user=cast.vc_officer, ctx=ctx(cast.dic_focal))
    assert snapshot(case) == before


def test_a_focal_point_may_not_name_themselves_on_a_restricted_case_they_may_not_see(cast):
    """Restricted: only the people named and the heads. A DIC focal point, DIC taking part but the focal
    point not named, may not see the case, and so must not be able to name themselves on it either."""
    restricted = open_case(
        cast.police_focal,
        submit_report(),
        access_level=AccessLevel.RESTRICTED,
        participants=["st-dic"],
        title="Chuyên án",
    )
    assert not visible_cases(cast.dic_focal).filter(pk=restricted.pk).exists()
    before = snapshot(restricted)
    with pytest.raises(NotAllowed):
        case_add_member(case=restricted, user=cast.dic_focal, ctx=ctx(cast.dic_focal))
    assert snapshot(restricted) == before
    assert not visible_cases(cast.dic_focal).filter(pk=restricted.pk).exists()


def test_the_head_of_a_participating_organisation_names_its_people(cast):
    restricted = open_case(
        cast.police_focal,
        submit_report(),
        access_level=AccessLevel.RESTRICTED,
        participants=["st-dic"],
        title="Chuyên án",
    )
    case_add_member(case=restricted, user=cast.dic_focal, ctx=ctx(cast.dic_head))
    assert visible_cases(cast.dic_focal).filter(pk=restricted.pk).exists()
    assert timeline(restricted)[-1] == "case.member_add"


def test_restricting_a_case_hides_it_from_the_hubs_not_named(cast, case):
    assert visible_cases(cast.police_focal).filter(pk=case.pk).exists()
    with pytest.raises(NotAllowed):
        case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=ctx(cast.police_focal))
    with pytest.raises(DomainError):
        case_set_access(case=case, level="private", ctx=ctx(cast.dic_focal))
    case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=ctx(cast.dic_focal))
    assert not visible_cases(cast.police_focal).filter(pk=case.pk).exists()
    assert not visible_cases(cast.dic_hub).filter(pk=case.pk).exists()
    assert visible_cases(cast.dic_focal).filter(pk=case.pk).exists()  # named: opened it
    assert visible_cases(cast.dic_head).filter(pk=case.pk).exists()  # head of the lead
    assert timeline(case)[-1] == "case.access"


def test_links_only_to_cases_the_actor_may_see(cast, case):
    hidden = open_case(cast.police_focal, submit_report(), access_level=AccessLevel.RESTRICTED)
    with pytest.raises(NotAllowed):
        case_link(case=case, other=hidden, ctx=ctx(cast.dic_focal))
    with pytest.raises(DomainError):
        case_link(case=case, other=case, ctx=ctx(cast.dic_focal))
    other = open_case(cast.police_focal, submit_report())
    case_link(case=case, other=other, ctx=ctx(cast.dic_focal))
    assert CaseLink.objects.count() == 1 and timeline(case)[-1] == "case.link"


# --- The state-secret dossier (Law 29/2018) ----------------------------------------------------------------


def register(case, actor, **over):
    fields = {
        "number": "12/HS-M",
        "level": SecretLevel.MAT,
        "holder": "Văn thư Sở TTTT",
        "location": "Tủ hồ sơ mật, phòng 2",
    } | over
    return case_register_secret_dossier(case=case, ctx=ctx(actor), **fields)


def test_a_secret_dossier_restricts_the_case_and_refuses_free_text(cast, case):
    task = task_create(case=case, title="Xác minh", organisation=org("st-dic"), ctx=ctx(cast.dic_focal))
    dossier = register(case, cast.dic_focal)
    case.refresh_from_db()
    assert case.has_secret_dossier and case.access_level == AccessLevel.RESTRICTED
    assert dossier.level == SecretLevel.MAT and timeline(case)[-1] == "case.secret_dossier"
    assert not visible_cases(cast.dic_hub).filter(pk=case.pk).exists()  # a hub, but not named
    before = snapshot(case)
    for attempt in (
        lambda: note_add(case=case, text="Nội dung hồ sơ", ctx=ctx(cast.dic_focal)),
        lambda: task_create(case=case, title="Sao chụp hồ sơ", organisation=org("st-dic"), ctx=ctx(cast.dic_focal)),
        lambda: task_complete(task=Task.objects.get(pk=task.pk), result="Nội dung", ctx=ctx(cast.dic_focal)),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert "29/2018" in str(refused.value.message)
    with pytest.raises(Conflict):
        case_set_access(case=case, level=AccessLevel.NORMAL, ctx=ctx(cast.dic_focal))
    assert snapshot(case) == before


@pytest.mark.parametrize("field", ["number", "level", "holder", "location"])
def test_a_secret_dossier_register_entry_is_complete(cast, case, field):
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        register(case, cast.dic_focal, **{field: " "})
    assert refused.value.field == field
    assert snapshot(case) == before


def test_a_secret_dossier_has_a_classification_of_law_29_2018(cast, case):
    before = snapshot(case)
    with pytest.raises(DomainError) as refused:
        register(case, cast.dic_focal, level="very secret")
    assert refused.value.field == "level"
    assert snapshot(case) == before


def test_only_the_lead_registers_a_secret_dossier(cast, case):
    before = snapshot(case)
    for actor in (cast.police_focal, cast.viettel, cast.sysadmin):
        with pytest.raises(NotAllowed):
            register(case, actor)
    assert snapshot(case) == before


# --- Opening a case; triage of a report ------------------------------------------------------------------


def nothing_created():
    return (Case.objects.count(), CaseReport.objects.count(), AuditEvent.objects.count(), DBTaskResult.objects.count())


def test_opening_a_case(cast, report):
    case = open_case(cast.dic_focal, report, participants=["st-viettel", "st-dic"])
    assert case.lead_organisation.code == "st-dic" and case.status == CaseStatus.NEW
    assert dict(case.participants.values_list("organisation__code", "role")) == {
        "st-dic": ParticipantRole.LEAD,
        "st-viettel": ParticipantRole.PARTICIPANT,
    }
    assert list(case.members.values_list("user__username", flat=True)) == ["dic.focal"]
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_CASE and report.public_status == PublicStatus.HANDLING
    assert (case.behaviour.code, case.area.code) == ("13.4", "st-vinh-chau")
    assert timeline(case) == ["case.open"] and case_timeline(case).get().data["reports"] == [report.reference]


@pytest.mark.parametrize("actor", ["doit_focal", "procuracy", "outsider", "sysadmin", "vc_officer", "viettel"])
def test_a_case_is_opened_only_by_an_acting_person_from_reports_they_see(cast, report, actor):
    before = nothing_created()
    with pytest.raises(NotAllowed):
        open_case(cast[actor], report)
    assert nothing_created() == before


def test_a_case_is_not_opened_from_a_report_hidden_in_a_restricted_case(cast, report):
    """Refused as not visible, not as "already in case X": the hidden case is never named."""
    open_case(cast.police_focal, report, access_level=AccessLevel.RESTRICTED, title="Chuyên án")
    before = nothing_created()
    with pytest.raises(NotAllowed) as refused:
        open_case(cast.dic_focal, report)
    assert "VV" not in str(refused.value.message)
    assert nothing_created() == before


def test_a_case_is_not_opened_from_a_report_already_in_a_case(cast, case, case_report):
    before = nothing_created()
    with pytest.raises(Conflict) as refused:
        open_case(cast.police_focal, case_report)  # a hub: sees the case, may be told which
    assert case.reference in str(refused.value.message)
    assert nothing_created() == before


def test_the_case_a_report_is_in_is_not_named_to_someone_who_may_not_see_it(cast, case, case_report):
    """The border post received the report (Đ13) but does not take part in DIC's case: the refusal must
    not name that case (a count may show, a hidden case is never named)."""
    assert not visible_cases(cast.bp_focal).filter(pk=case.pk).exists()
    assert visible_reports(cast.bp_focal).filter(pk=case_report.pk).exists()
    with pytest.raises(Conflict) as refused:
        open_case(cast.bp_focal, case_report)
    assert case.reference not in str(refused.value.message)


def test_a_case_needs_reports_and_a_title(cast, report):
    before = nothing_created()
    with pytest.raises(DomainError) as refused:
        open_case(cast.dic_focal, [])
    assert refused.value.field == "reports"
    with pytest.raises(DomainError) as refused:
        open_case(cast.dic_focal, report, title="  ")
    assert refused.value.field == "title"
    assert nothing_created() == before


def test_a_case_is_opened_only_with_a_known_access_level(cast, report):
    before = nothing_created()
    with pytest.raises(DomainError) as refused:
        open_case(cast.dic_focal, report, access_level="secret")
    assert refused.value.field == "access_level"
    assert nothing_created() == before


def test_attaching_reports(cast, case):
    other = submit_report()
    hidden = submit_report()
    open_case(cast.police_focal, hidden, access_level=AccessLevel.RESTRICTED, title="Chuyên án")
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        case_attach_reports(case=case, reports=[other], ctx=ctx(cast.police_focal))  # not the lead
    with pytest.raises(NotAllowed):
        case_attach_reports(case=case, reports=[hidden], ctx=ctx(cast.dic_focal))  # hidden in a restricted case
    assert snapshot(case) == before
    case_attach_reports(case=case, reports=[other], ctx=ctx(cast.dic_focal))
    with pytest.raises(Conflict):
        case_attach_reports(case=case, reports=[other], ctx=ctx(cast.dic_focal))
    assert timeline(case)[-1] == "case.attach"


def test_triage_closes_a_report_with_a_reason_and_a_note(cast, report):
    for reason, note, field in [
        ("", "Trùng với báo cáo khác", "reason"),
        ("case_closed", "Trùng lặp", "reason"),
        (CloseReason.DUPLICATE, "", "note"),
        (CloseReason.DUPLICATE, " ab ", "note"),
    ]:
        with pytest.raises(DomainError) as refused:
            report_close(report=report, reason=reason, note=note, ctx=ctx(cast.dic_focal))
        assert refused.value.field == field
    for actor in ("vc_officer", "doit_focal", "viettel", "sysadmin", "outsider"):
        with pytest.raises(NotAllowed):
            report_close(report=report, reason=CloseReason.UNFOUNDED, note="Không có căn cứ", ctx=ctx(cast[actor]))
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    report_close(report=report, reason=CloseReason.NO_JURISDICTION, note="Ngoài địa bàn tỉnh", ctx=ctx(cast.bp_focal))
    report.refresh_from_db()
    assert (report.status, report.close_reason, report.close_note, report.public_status) == (
        ReportStatus.CLOSED,
        CloseReason.NO_JURISDICTION,
        "Ngoài địa bàn tỉnh",
        PublicStatus.CLOSED,
    )
    event = AuditEvent.objects.filter(object_type="intake.report", object_id=str(report.pk)).last()
    assert event.action == "report.close" and event.actor == cast.bp_focal
    with pytest.raises(Conflict):
        report_close(report=report, reason=CloseReason.DUPLICATE, note="Trùng lặp", ctx=ctx(cast.dic_focal))
    in_case = submit_report()
    open_case(cast.dic_focal, in_case)
    with pytest.raises(Conflict):
        report_close(
            report=Report.objects.get(pk=in_case.pk),
            reason=CloseReason.DUPLICATE,
            note="Trùng lặp",
            ctx=ctx(cast.dic_focal),
        )
    assert audit_verify().ok


def test_triage_of_a_report_put_in_a_case_meanwhile_is_refused(cast, report):
    """Two focal points at once: the police opens a case from the report while DIC, on the page it loaded
    before, closes it as a duplicate. The report must stay in the case, not be closed under it."""
    loaded_by_dic = Report.objects.get(pk=report.pk)
    case = open_case(cast.police_focal, report)
    with pytest.raises(Conflict):
        report_close(report=loaded_by_dic, reason=CloseReason.DUPLICATE, note="Trùng lặp", ctx=ctx(cast.dic_focal))
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_CASE and report.case_link.case == case


# --- The timeline: every service writes an event on the case ---------------------------------------------


def test_every_service_writes_an_event_on_the_case_and_the_chain_verifies(cast, report):
    dic = ctx(cast.dic_focal)
    case = open_case(cast.dic_focal, report)
    case_attach_reports(case=case, reports=[submit_report()], ctx=dic)
    case_add_participant(case=case, organisation=org("st-viettel"), ctx=dic)
    case_add_member(case=case, user=cast.viettel, ctx=dic)
    note_add(case=case, text="Đề nghị nhà mạng xác minh.", ctx=dic)
    task = task_create(case=case, title="Xác minh thuê bao", organisation=org("st-viettel"), ctx=dic)
    task_complete(task=task, result="Đã xác minh", ctx=ctx(cast.viettel))
    case_link(case=case, other=open_case(cast.dic_focal, submit_report()), ctx=dic)
    case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=dic)
    case_set_access(case=case, level=AccessLevel.NORMAL, ctx=dic)
    case = case_transition(case=case, move="verify", ctx=dic)
    case = case_transition(case=case, move="administrative", ctx=dic, **valid_params("administrative"))
    case = case_transition(case=case, move="close", ctx=dic, outcome=Outcome.SANCTIONED)
    case = case_transition(case=case, move="reopen", ctx=ctx(cast.dic_hub), reason="Tái phạm, có báo cáo mới.")
    register(case, cast.dic_head)
    assert timeline(case) == [
        "case.open",
        "case.attach",
        "case.participant_add",
        "case.member_add",
        "case.note",
        "case.task_create",
        "case.task_complete",
        "case.link",
        "case.access",
        "case.access",
        "case.move.verify",
        "case.move.administrative",
        "case.move.close",
        "case.move.reopen",
        "case.secret_dossier",
    ]
    events = list(case_timeline(case))
    assert all(e.actor_id and e.ip_address == "192.0.2.10" and e.created_at for e in events)
    assert [e.actor.username for e in events][-2:] == ["dic.hub", "dic.head"]
    assert audit_verify().ok


# --- Race safety and rule-set data --------------------------------------------------------------------


def test_a_case_number_already_taken_is_drawn_again(cast, case, monkeypatch):
    """Case numbers are random: a draw that hits an existing number is drawn again, not a database error."""
    from phoihop.cases import services

    draws = iter([case.reference, "VV26-NEW234"])
    monkeypatch.setattr(services.cases, "_new_reference", lambda: next(draws))
    opened = open_case(cast.dic_focal, submit_report())
    assert opened.reference == "VV26-NEW234"
    assert Case.objects.filter(reference=case.reference).count() == 1


def test_no_free_case_number_is_unavailable_not_a_crash(cast, case, monkeypatch):
    from phoihop.cases import services
    from phoihop.core.errors import Unavailable

    monkeypatch.setattr(services.cases, "_new_reference", lambda: case.reference)
    report = submit_report()
    with pytest.raises(Unavailable):
        open_case(cast.dic_focal, report)
    assert not CaseReport.objects.filter(report=report).exists()


def test_opening_a_case_from_a_report_already_in_one_names_it(cast, case, case_report):
    with pytest.raises(Conflict) as refused:
        open_case(cast.dic_focal, case_report)
    assert case_report.reference in str(refused.value.message) and case.reference in str(refused.value.message)


def test_who_may_sanction_is_rule_set_data(cast, case):
    """Đ5.4, Đ8.2: the functions whose holders impose administrative sanctions are those the rule set flags
    `sanctioning: true`; take the flag away and the DIC may no longer handle a case administratively."""
    from phoihop.directory.models import Function

    case = put_in(case, CaseStatus.VERIFYING)
    assert CASE_WORKFLOW.can(cast.dic_focal, "administrative", case)
    flagged = set(Function.objects.filter(sanctioning=True).values_list("code", flat=True))
    assert {"internet_regulator", "trade_market_regulator"} <= flagged and "criminal_investigation" not in flagged
    Function.objects.update(sanctioning=False)
    assert not CASE_WORKFLOW.can(cast.dic_focal, "administrative", case)
    with pytest.raises(NotAllowed):
        case_transition(case=case, move="administrative", ctx=ctx(cast.dic_focal), **valid_params("administrative"))
