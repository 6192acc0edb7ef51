"""The permission matrix: every role of the cast × every object × every action, each allow and each deny
written out below, so that a reviewer reads the need-to-know policy (Đ3.1, Đ3.3, Đ17.1) as a table.

- a person sees a report or a case only when their organisation received it or takes part in the case;
- the two hubs (DIC and the Provincial Police, Đ5.2) see every case that is not restricted;
- a restricted case: only the people named on it and the heads of its organisations;
- enterprises see only what they reported, plus the cases they are asked to take part in and their reports;
- the system administrator and a person of no organisation see nothing;
- what one may not see is, at the selector level, the same as what does not exist.

The objects are built once for the module (inside a transaction rolled back at the end) through the
services, as the issue's journey would build them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from phoihop.cases import permissions as case_perm
from phoihop.cases.choices import AccessLevel, CaseStatus, Outcome, SecretLevel
from phoihop.cases.models import Case
from phoihop.cases.selectors import case_for, case_list_for, case_reports, suggested_cases
from phoihop.cases.services import case_add_member, case_register_secret_dossier, case_transition
from phoihop.cases.workflow import CASE_WORKFLOW, MOVES
from phoihop.inbox.selectors import inbox_for
from phoihop.intake import permissions as report_perm
from phoihop.intake.models import Report
from phoihop.intake.selectors import correlations_for, report_for
from phoihop.intake.services import ContactInput

from .factories import ACTORS, Cast, built_once, ctx, make_cast, open_case, org, submit_report

pytestmark = pytest.mark.django_db

Y, N = True, False

CASES = ("case:normal", "case:restricted", "case:secret", "case:closed")
REPORTS = (
    "report:public",
    "report:normal",
    "report:restricted",
    "report:secret",
    "report:closed",
    "report:viettel",
    "report:vnpt",
)
CASE_ACTIONS = ("view", "work", "manage", "export", *(f"move:{m}" for m in MOVES))
REPORT_ACTIONS = ("view", "acknowledge", "reveal_contact", "download", "correlation")

# The objects:
#   case:normal      led by DIC, the carrier st-viettel taking part; named: dic_focal (opened it); verifying.
#                    Its report, report:normal, is a citizen's fraud call from Vĩnh Châu.
#   case:restricted  led by the Provincial Police, restricted; DIC takes part; named: police_focal (opened it)
#                    and the investigator; transferred to the police investigation agency (Đ5.4).
#   case:secret      led by DIC with a state-secret dossier (Law 29/2018), so restricted; named: dic_focal; new.
#   case:closed      the journey: DIC opened it, transferred it; the investigation agency investigated
#                    (and now leads), recommended prosecution to the Procuracy (which takes part) and closed it.
#   report:public    a citizen's report from Vĩnh Châu in no case: delivered to DIC, Provincial Police,
#                    Vĩnh Châu police and the Vĩnh Hải and Lai Hòa border posts (Đ5.2, Đ13).
#   report:viettel   made by st-viettel (Đ11.5) from Vĩnh Châu, in no case: delivered as above.
#   report:vnpt      made by st-vnpt from Sóc Trăng city, in no case: DIC, Provincial Police, city police.
#   report:restricted / :secret / :closed   the reports in those cases (:secret is Đ16.3, from the city).
# Correlation: every report carries the same scam number; the action is "listed among the correlations
# of another report with that number" (correlations_for), the counts being shown to everyone.
#
# Actions on a case: view = in visible_cases AND can(VIEW) AND case_for finds it; work / manage / export =
# can(...); move:<name> = the move's can (state and actor). On a report: view = in visible_reports AND can(VIEW)
# AND report_for finds it; acknowledge / reveal_contact / download = can(...).

# Columns, in the order of factories.CAST: dic foc/head/hub = DIC focal point, head, hub coordinator;
# pol foc = Provincial Police focal point; inv off = investigation agency officer; vc off = Vĩnh Châu police
# officer; bp foc = Vĩnh Hải border post focal point; doit foc = DoIT focal point; viet, vnpt = the carriers'
# reporters; proc off = Procuracy officer; out = no organisation; sys adm = system administrator.
# fmt: off
GRID: dict[tuple[str, str], tuple[bool, ...]] = {
    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("case:normal", "view"):                    (Y,   Y,   Y,   Y,   N,   N,   N,   N,   Y,   N,   N,   N,   N),
    ("case:normal", "work"):                    (Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "manage"):                  (Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "export"):                  (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:verify"):             (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:administrative"):     (Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:transfer"):           (Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:investigate"):        (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:recommend"):          (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:close"):              (Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:normal", "move:reopen"):             (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("case:restricted", "view"):                (N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "work"):                (N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "manage"):              (N,   N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "export"):              (N,   Y,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:verify"):         (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:administrative"): (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:transfer"):       (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:investigate"):    (N,   N,   N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:recommend"):      (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:close"):          (N,   N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:restricted", "move:reopen"):         (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("case:secret", "view"):                    (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "work"):                    (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "manage"):                  (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "export"):                  (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:verify"):             (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:administrative"):     (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:transfer"):           (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:investigate"):        (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:recommend"):          (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:close"):              (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:secret", "move:reopen"):             (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("case:closed", "view"):                    (Y,   Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   Y,   N,   N),
    ("case:closed", "work"):                    (Y,   Y,   Y,   N,   Y,   N,   N,   N,   N,   N,   Y,   N,   N),
    ("case:closed", "manage"):                  (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "export"):                  (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:verify"):             (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:administrative"):     (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:transfer"):           (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:investigate"):        (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:recommend"):          (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:close"):              (N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("case:closed", "move:reopen"):             (N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:public", "view"):                  (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N),
    ("report:public", "acknowledge"):           (Y,   Y,   Y,   Y,   N,   N,   Y,   N,   N,   N,   N,   N,   N),
    ("report:public", "reveal_contact"):        (Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:public", "download"):              (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N),
    ("report:public", "correlation"):           (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:normal", "view"):                  (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),
    ("report:normal", "acknowledge"):           (Y,   Y,   Y,   Y,   N,   N,   Y,   N,   N,   N,   N,   N,   N),
    ("report:normal", "reveal_contact"):        (Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:normal", "download"):              (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),
    ("report:normal", "correlation"):           (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:restricted", "view"):              (N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:restricted", "acknowledge"):       (N,   Y,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:restricted", "reveal_contact"):    (N,   N,   N,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:restricted", "download"):          (N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:restricted", "correlation"):       (N,   Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:secret", "view"):                  (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:secret", "acknowledge"):           (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:secret", "reveal_contact"):        (Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:secret", "download"):              (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:secret", "correlation"):           (Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:closed", "view"):                  (Y,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N,   N,   Y,   N,   N),
    ("report:closed", "acknowledge"):           (Y,   Y,   Y,   Y,   N,   N,   Y,   N,   N,   N,   N,   N,   N),
    ("report:closed", "reveal_contact"):        (Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:closed", "download"):              (Y,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N,   N,   Y,   N,   N),
    ("report:closed", "correlation"):           (Y,   Y,   Y,   Y,   Y,   Y,   Y,   N,   N,   N,   Y,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:viettel", "view"):                 (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),
    ("report:viettel", "acknowledge"):          (Y,   Y,   Y,   Y,   N,   N,   Y,   N,   N,   N,   N,   N,   N),
    ("report:viettel", "reveal_contact"):       (Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:viettel", "download"):             (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),
    ("report:viettel", "correlation"):          (Y,   Y,   Y,   Y,   N,   Y,   Y,   N,   Y,   N,   N,   N,   N),

    #                                            dic  dic  dic  pol  inv  vc   bp   doit viet vnpt proc out  sys
    #                                            foc  head hub  foc  off  off  foc  foc            off       adm
    ("report:vnpt", "view"):                    (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   Y,   N,   N,   N),
    ("report:vnpt", "acknowledge"):             (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:vnpt", "reveal_contact"):          (Y,   N,   Y,   Y,   N,   N,   N,   N,   N,   N,   N,   N,   N),
    ("report:vnpt", "download"):                (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   Y,   N,   N,   N),
    ("report:vnpt", "correlation"):             (Y,   Y,   Y,   Y,   N,   N,   N,   N,   N,   Y,   N,   N,   N),
}
# fmt: on

# The table as the dict the reviewer asked for: (actor, object, action) -> allowed.
EXPECTED: dict[tuple[str, str, str], bool] = {
    (actor, obj, action): allowed
    for (obj, action), row in GRID.items()
    for actor, allowed in zip(ACTORS, row, strict=True)
}


def test_the_table_has_every_cell():
    wanted = {(a, o, x) for a in ACTORS for o in CASES for x in CASE_ACTIONS}
    wanted |= {(a, o, x) for a in ACTORS for o in REPORTS for x in REPORT_ACTIONS}
    assert set(EXPECTED) == wanted
    assert all(len(row) == len(ACTORS) for row in GRID.values())


# --- The world, built once ------------------------------------------------------------------------------


@dataclass
class World:
    cast: Cast
    cases: dict[str, Case]
    reports: dict[str, Report]
    anchor: Report  # one more report with the scam number, whose correlations are looked at


def build_world() -> World:
    cast = make_cast()
    dic, police = ctx(cast.dic_focal), ctx(cast.police_focal)
    investigation = org("st-police-investigation")
    contact = ContactInput(name="Nguyễn Văn Dân", phone="0909 123 456", consent=True)
    reports = {
        "report:public": submit_report(contact=contact),
        "report:normal": submit_report(contact=contact),
        "report:restricted": submit_report(contact=contact),
        "report:secret": submit_report(
            behaviour="16.3",
            area="st-soc-trang",
            description="Cơ sở photocopy sao chụp tài liệu mật của cơ quan nhà nước.",
        ),
        "report:closed": submit_report(contact=contact),
        "report:viettel": submit_report(
            by=cast.viettel,
            external_ref="VT-2026-001",
            description="Thuê bao phát tán tin nhắn lừa đảo trúng thưởng hàng loạt.",
        ),
        "report:vnpt": submit_report(
            by=cast.vnpt,
            area="st-soc-trang",
            external_ref="VNPT-2026-001",
            description="Thuê bao gọi điện quấy rối, đe doạ khách hàng liên tục.",
        ),
    }
    anchor = submit_report(area="st-soc-trang")

    normal = open_case(cast.dic_focal, reports["report:normal"], participants=["st-viettel"])
    normal = case_transition(case=normal, move="verify", ctx=dic)

    restricted = open_case(
        cast.police_focal,
        reports["report:restricted"],
        participants=["st-dic"],
        access_level=AccessLevel.RESTRICTED,
        title="Chuyên án lừa đảo qua điện thoại",
    )
    restricted = case_transition(case=restricted, move="verify", ctx=police)
    restricted = case_transition(
        case=restricted,
        move="transfer",
        ctx=police,
        receiving_police_unit=investigation,
        transfer_dossier="Hồ sơ chuyển số 7/CAT",
    )
    case_add_member(case=restricted, user=cast.investigator, ctx=police)

    secret = open_case(cast.dic_focal, reports["report:secret"], title="Sao chụp tài liệu mật")
    case_register_secret_dossier(
        case=secret,
        number="03/HS-TM",
        level=SecretLevel.TOI_MAT,
        holder="Văn thư Sở TTTT",
        location="Tủ hồ sơ mật",
        ctx=dic,
    )

    closed = open_case(cast.dic_focal, reports["report:closed"])
    closed = case_transition(case=closed, move="verify", ctx=dic)
    closed = case_transition(
        case=closed,
        move="transfer",
        ctx=dic,
        receiving_police_unit=investigation,
        transfer_dossier="Hồ sơ chuyển số 15/STTTT",
    )
    case_add_member(case=closed, user=cast.investigator, ctx=dic)
    inv = ctx(cast.investigator)
    closed = case_transition(case=closed, move="investigate", ctx=inv)
    closed = case_transition(
        case=closed, move="recommend", ctx=inv, procuracy=org("st-procuracy"), recommendation_ref="45/KN-CSĐT"
    )
    closed = case_transition(case=closed, move="close", ctx=inv, outcome=Outcome.PROSECUTED)

    cases = {"case:normal": normal, "case:restricted": restricted, "case:secret": secret, "case:closed": closed}
    cases = {k: Case.objects.get(pk=c.pk) for k, c in cases.items()}
    reports = {k: Report.objects.get(pk=r.pk) for k, r in reports.items()}
    return World(cast, cases, reports, anchor)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_world) as built:
        yield built


def test_the_world_is_as_described(world):
    c = world.cases
    assert [c[k].status for k in CASES] == [
        CaseStatus.VERIFYING,
        CaseStatus.TRANSFERRED,
        CaseStatus.NEW,
        CaseStatus.CLOSED,
    ]
    assert [c[k].access_level for k in CASES] == [
        AccessLevel.NORMAL,
        AccessLevel.RESTRICTED,
        AccessLevel.RESTRICTED,
        AccessLevel.NORMAL,
    ]
    assert [c[k].lead_organisation.code for k in CASES] == ["st-dic", "st-police", "st-dic", "st-police-investigation"]
    assert c["case:secret"].has_secret_dossier
    assert set(c["case:normal"].participants.values_list("organisation__code", flat=True)) == {"st-dic", "st-viettel"}
    assert set(c["case:restricted"].members.values_list("user__username", flat=True)) == {
        "police.focal",
        "investigator",
    }
    assert set(c["case:closed"].participants.values_list("organisation__code", flat=True)) == {
        "st-dic",
        "st-police-investigation",
        "st-procuracy",
    }
    delivered = {k: set(r.deliveries.values_list("organisation__code", flat=True)) for k, r in world.reports.items()}
    coastal = {"st-dic", "st-police", "st-police-vinh-chau", "st-bp-vinh-hai", "st-bp-lai-hoa"}
    assert delivered["report:public"] == delivered["report:viettel"] == delivered["report:restricted"] == coastal
    assert delivered["report:vnpt"] == {"st-dic", "st-police", "st-police-soc-trang"}
    assert delivered["report:secret"] == {"st-dic", "st-police", "st-anti-printing-team"}
    assert world.reports["report:closed"].public_status == "closed"


# --- Observing what the code allows -------------------------------------------------------------------------


def observe(world: World, actor: str, obj: str, action: str) -> tuple[bool, str]:
    """What the permission layer answers, and any disagreement between its parts (which is a failure too)."""
    user = world.cast[actor]
    if obj.startswith("case:"):
        case = world.cases[obj]
        if action == "view":
            parts = {
                "visible_cases": case_perm.visible_cases(user).filter(pk=case.pk).exists(),
                "can(VIEW)": case_perm.can(user, case_perm.Action.VIEW, case),
                "case_for": case_for(user, case.reference) is not None,
                "case_list_for": case_list_for(user).filter(pk=case.pk).exists(),
            }
            return _agree(parts)
        if action.startswith("move:"):
            return CASE_WORKFLOW.can(user, action.removeprefix("move:"), case), ""
        return case_perm.can(user, action, case), ""
    report = world.reports[obj]
    if action == "view":
        parts = {
            "visible_reports": report_perm.visible_reports(user).filter(pk=report.pk).exists(),
            "can(VIEW)": report_perm.can(user, report_perm.Action.VIEW, report),
            "report_for": report_for(user, report.reference) is not None,
        }
        return _agree(parts)
    if action == "correlation":
        listed = {r.pk for c in correlations_for(user, world.anchor) for r in c.visible_reports}
        return report.pk in listed, ""
    return report_perm.can(user, action, report), ""


def _agree(parts: dict[str, bool]) -> tuple[bool, str]:
    values = set(parts.values())
    if len(values) == 1:
        return values.pop(), ""
    return all(parts.values()), "its parts disagree: " + ", ".join(f"{k}={v}" for k, v in parts.items())


ROWS = list(GRID)


@pytest.mark.parametrize(("obj", "action"), ROWS, ids=[f"{o}/{a}" for o, a in ROWS])
def test_the_matrix(world, obj, action):
    wrong = []
    for actor in ACTORS:
        expected = EXPECTED[(actor, obj, action)]
        got, disagreement = observe(world, actor, obj, action)
        if got != expected or disagreement:
            verdict = "allowed" if got else "denied"
            wrong.append(
                f"  {actor} / {obj} / {action}: expected {'allow' if expected else 'deny'}, "
                f"got {verdict}{' (' + disagreement + ')' if disagreement else ''}"
            )
    assert not wrong, "permission matrix cells differ:\n" + "\n".join(wrong)


# --- Beyond single cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_out_of_scope_is_the_same_as_missing(world, actor):
    """case_for / report_for give the same answer (None) for what exists but is out of scope as for a
    reference that does not exist; the lists and the inbox never hold it."""
    user = world.cast[actor]
    assert case_for(user, "VV26-ZZZZZZ") is None and report_for(user, "TB26-ZZZZZZZZ") is None
    seen_cases = {k for k in CASES if EXPECTED[(actor, k, "view")]}
    seen_reports = {k for k in REPORTS if EXPECTED[(actor, k, "view")]}
    for key, case in world.cases.items():
        assert (case_for(user, case.reference) is None) is (key not in seen_cases), (actor, key)
    for key, report in world.reports.items():
        assert (report_for(user, report.reference) is None) is (key not in seen_reports), (actor, key)
    ours = {c.pk for c in world.cases.values()}
    assert {c.pk for c in case_list_for(user) if c.pk in ours} == {world.cases[k].pk for k in seen_cases}
    delivered_here = (
        {r.pk for r in world.reports.values() if r.deliveries.filter(organisation_id=user.organisation_id).exists()}
        if user.organisation_id
        else set()
    )
    in_inbox = {d.report_id for d in inbox_for(user)}
    assert in_inbox <= {world.reports[k].pk for k in seen_reports} | {world.anchor.pk}
    assert in_inbox >= delivered_here & {world.reports[k].pk for k in seen_reports}
    for key in seen_cases:
        listed = {r.pk for r in case_reports(user, world.cases[key])}
        assert listed <= {world.reports[k].pk for k in seen_reports}
    assert {c.pk for c in suggested_cases(user, world.anchor)} <= {
        world.cases[k].pk for k in seen_cases if k != "case:closed"
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_correlation_counts_everything_but_names_only_what_may_be_seen(world, actor):
    """A count may show (the restricted and the secret case's reports are counted), a hidden one never listed."""
    user = world.cast[actor]
    [phone] = [c for c in correlations_for(user, world.anchor) if c.link.indicator.kind == "phone"]
    assert phone.total_reports == len(world.reports) + 1  # every report of the world and the anchor
    assert phone.total_cases == len(CASES)
    listed = {r.pk for r in phone.visible_reports}
    assert world.anchor.pk not in listed
    for key, report in world.reports.items():
        assert (report.pk in listed) is EXPECTED[(actor, key, "view")], (actor, key)


def test_a_restricted_case_is_never_named_in_what_a_hidden_viewer_gets(world):
    """The DIC focal point received the restricted case's report but is not named on the case."""
    user = world.cast.dic_focal
    restricted = world.cases["case:restricted"]
    assert restricted.reference not in {c.reference for c in suggested_cases(user, world.anchor)}
    for corr in correlations_for(user, world.anchor):
        assert world.reports["report:restricted"].reference not in {r.reference for r in corr.visible_reports}


@pytest.mark.parametrize(("actor", "obj"), list(itertools.product(("outsider", "sysadmin"), CASES + REPORTS)))
def test_the_sysadmin_and_an_outsider_are_refused_everything(world, actor, obj):
    actions = CASE_ACTIONS if obj.startswith("case:") else REPORT_ACTIONS
    assert not any(observe(world, actor, obj, a)[0] for a in actions)
