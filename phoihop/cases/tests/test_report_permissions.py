"""Who sees which report, and who may acknowledge it, see who made it, or download its evidence.

Staff see the reports delivered to their organisation; an enterprise only the reports it made; whoever
sees a case sees its reports; a report in a restricted case disappears for everyone not named on the case
and not a head of one of its organisations, even where it was delivered. The system administrator and a
person of no organisation see nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from phoihop.audit.models import AuditEvent
from phoihop.cases.choices import AccessLevel
from phoihop.cases.services import case_add_member, case_set_access
from phoihop.cases.tests.factories import ACTORS, built_once, ctx, make_cast, open_case, submit_report
from phoihop.core.errors import NotAllowed
from phoihop.inbox.models import Delivery
from phoihop.inbox.selectors import inbox_for
from phoihop.inbox.services import delivery_acknowledge
from phoihop.intake.models import Report
from phoihop.intake.permissions import Action, can, visible_reports
from phoihop.intake.selectors import report_for
from phoihop.intake.services import ContactInput, contact_reveal

pytestmark = pytest.mark.django_db

Y, N = True, False
CONTACT = ContactInput(name="Nguyễn Văn Dân", phone="0909 123 456", consent=True)


def build_reports(cast):
    """The reports of these tests, built once for the module:

    public:         a citizen's fraud call from Vĩnh Châu (Đ13.4): DIC, Provincial Police, Vĩnh Châu police,
                    the Vĩnh Hải and Lai Hòa border posts.
    viettel, vnpt:  made by the carriers (Đ11.5); Viettel's from Vĩnh Châu, VNPT's from Sóc Trăng city
                    (DIC, Provincial Police, city police).
    counterfeit:    a citizen's report of counterfeit phones in the city (Đ15.6): DIC, Police, DoIT (Đ8.2).
    agency:         DoIT's own report of smuggled goods in Vĩnh Châu (Đ15.6): DIC, Police, DoIT, and the
                    police investigation agency as an agency reports signs of crime (Đ10.3, Đ3.4)."""
    return {
        "public": submit_report(contact=CONTACT),
        "viettel": submit_report(
            by=cast.viettel,
            external_ref="VT-1",
            description="Thuê bao phát tán tin nhắn lừa đảo trúng thưởng hàng loạt.",
        ),
        "vnpt": submit_report(
            by=cast.vnpt,
            area="st-soc-trang",
            external_ref="VNPT-1",
            description="Thuê bao gọi điện quấy rối, đe doạ khách hàng liên tục.",
        ),
        "counterfeit": submit_report(
            behaviour="15.6",
            area="st-soc-trang",
            description="Cửa hàng bán điện thoại giả nhãn hiệu, không rõ nguồn gốc.",
        ),
        "agency": submit_report(
            by=cast.doit_focal,
            behaviour="15.6",
            description="Phát hiện lô thiết bị kích hoạt SIM nhập lậu tại Vĩnh Châu.",
        ),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        cast = make_cast()
        return cast, build_reports(cast)

    with built_once(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def cast(world):
    return world[0].fresh()


@pytest.fixture
def reports(world):
    return {key: Report.objects.get(pk=r.pk) for key, r in world[1].items()}


# fmt: off
VISIBLE = {
    #                public viettel vnpt counterfeit agency
    "dic_focal":    (Y,     Y,      Y,   Y,          Y),
    "dic_head":     (Y,     Y,      Y,   Y,          Y),
    "dic_hub":      (Y,     Y,      Y,   Y,          Y),
    "police_focal": (Y,     Y,      Y,   Y,          Y),
    "investigator": (N,     N,      N,   N,          Y),
    "vc_officer":   (Y,     Y,      N,   N,          N),
    "bp_focal":     (Y,     Y,      N,   N,          N),
    "doit_focal":   (N,     N,      N,   Y,          Y),
    "viettel":      (N,     Y,      N,   N,          N),
    "vnpt":         (N,     N,      Y,   N,          N),
    "procuracy":    (N,     N,      N,   N,          N),
    "outsider":     (N,     N,      N,   N,          N),
    "sysadmin":     (N,     N,      N,   N,          N),
}
REPORT_KEYS = ("public", "viettel", "vnpt", "counterfeit", "agency")

# On the citizen's report: who may act on it beyond seeing it.
ON_PUBLIC = {
    #                acknowledge reveal_contact download triage
    "dic_focal":    (Y,          Y,             Y,       Y),
    "dic_head":     (Y,          N,             Y,       Y),
    "dic_hub":      (Y,          Y,             Y,       Y),
    "police_focal": (Y,          Y,             Y,       Y),
    "investigator": (N,          N,             N,       N),
    "vc_officer":   (N,          N,             Y,       N),
    "bp_focal":     (Y,          N,             Y,       Y),
    "doit_focal":   (N,          N,             N,       N),
    "viettel":      (N,          N,             N,       N),
    "vnpt":         (N,          N,             N,       N),
    "procuracy":    (N,          N,             N,       N),
    "outsider":     (N,          N,             N,       N),
    "sysadmin":     (N,          N,             N,       N),
}
# fmt: on
ON_PUBLIC_ACTIONS = (Action.ACKNOWLEDGE, Action.REVEAL_CONTACT, Action.DOWNLOAD, Action.TRIAGE)


def test_the_tables_cover_the_cast():
    assert tuple(VISIBLE) == ACTORS == tuple(ON_PUBLIC)


@pytest.mark.parametrize("actor", ACTORS)
def test_visible_reports_for_each_member_of_the_cast(cast, reports, actor):
    user = cast[actor]
    expected = {k for k, allowed in zip(REPORT_KEYS, VISIBLE[actor], strict=True) if allowed}
    got = {k for k, r in reports.items() if visible_reports(user).filter(pk=r.pk).exists()}
    assert got == expected, f"{actor}: sees {sorted(got)}, should see {sorted(expected)}"
    for key, report in reports.items():
        assert can(user, Action.VIEW, report) is (key in expected), (actor, key)
        assert (report_for(user, report.reference) is not None) is (key in expected), (actor, key)
    inbox = {d.report_id for d in inbox_for(user)}
    assert inbox == {
        r.pk
        for k, r in reports.items()
        if k in expected and r.deliveries.filter(organisation_id=user.organisation_id).exists()
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_acknowledge_reveal_contact_and_download_on_a_citizens_report(cast, reports, actor):
    user, report = cast[actor], reports["public"]
    for action, expected in zip(ON_PUBLIC_ACTIONS, ON_PUBLIC[actor], strict=True):
        assert can(user, action, report) is expected, f"{actor} / public report / {action}"


def test_an_enterprise_may_download_its_own_reports_but_not_act_as_an_agency(cast, reports):
    own = reports["viettel"]
    assert can(cast.viettel, Action.DOWNLOAD, own)
    for action in (Action.ACKNOWLEDGE, Action.REVEAL_CONTACT, Action.TRIAGE):
        assert not can(cast.viettel, action, own), action
    assert not can(cast.viettel, Action.DOWNLOAD, reports["vnpt"])


def test_nobody_signed_out_or_disabled_sees_anything(cast, reports):
    cast.dic_focal.is_active = False
    for user in (AnonymousUser(), None, cast.dic_focal):
        assert not visible_reports(user).exists()
        assert not any(can(user, a, reports["public"]) for a in (Action.VIEW, *ON_PUBLIC_ACTIONS))


def test_a_report_put_in_a_restricted_case_disappears_for_those_not_named(cast, reports):
    """Named: the police focal point (who opened it) and the Vĩnh Châu officer; its organisations: the
    Provincial Police, DIC and the Vĩnh Châu police. DIC's focal point and hub coordinator, and the border
    post, received the report but are neither named nor heads: it disappears for them, inbox included."""
    report = reports["public"]
    before = {a for a in ACTORS if visible_reports(cast[a]).filter(pk=report.pk).exists()}
    assert before == {"dic_focal", "dic_head", "dic_hub", "police_focal", "vc_officer", "bp_focal"}

    case = open_case(
        cast.police_focal,
        report,
        access_level=AccessLevel.RESTRICTED,
        participants=["st-dic", "st-police-vinh-chau"],
        title="Chuyên án",
    )
    case_add_member(case=case, user=cast.vc_officer, ctx=ctx(cast.police_focal))
    after = {a for a in ACTORS if visible_reports(cast[a]).filter(pk=report.pk).exists()}
    assert after == {"dic_head", "police_focal", "vc_officer"}
    for actor in ("dic_focal", "dic_hub", "bp_focal"):
        user = cast[actor]
        assert report_for(user, report.reference) is None, actor
        assert not inbox_for(user).filter(report=report).exists(), actor
        assert not any(can(user, a, report) for a in (Action.VIEW, *ON_PUBLIC_ACTIONS)), actor
    assert can(cast.dic_head, Action.ACKNOWLEDGE, report)  # a head of one of the case's organisations
    assert not can(cast.vc_officer, Action.ACKNOWLEDGE, report)  # named, but an officer
    assert can(cast.police_focal, Action.REVEAL_CONTACT, report)
    # The other reports are untouched.
    assert visible_reports(cast.dic_focal).filter(pk=reports["viettel"].pk).exists()

    case_set_access(case=case, level=AccessLevel.NORMAL, ctx=ctx(cast.police_focal))
    lifted = {a for a in ACTORS if visible_reports(cast[a]).filter(pk=report.pk).exists()}
    assert lifted == before


def test_enterprises_see_what_they_reported_and_the_reports_of_cases_they_are_asked_to_join(cast, reports):
    vnpt_report = reports["vnpt"]
    assert not visible_reports(cast.viettel).filter(pk=vnpt_report.pk).exists()
    # DIC asks Viettel to take part in a case holding VNPT's report (Đ11.8): Viettel now sees it.
    case = open_case(cast.dic_focal, vnpt_report, participants=["st-viettel"])
    assert visible_reports(cast.viettel).filter(pk=vnpt_report.pk).exists()
    assert not visible_reports(cast.viettel).filter(pk=reports["public"].pk).exists()
    assert set(visible_reports(cast.vnpt)) == {vnpt_report}
    # Restricted, Viettel not named: gone again.
    case_set_access(case=case, level=AccessLevel.RESTRICTED, ctx=ctx(cast.dic_focal))
    assert not visible_reports(cast.viettel).filter(pk=vnpt_report.pk).exists()


def test_the_contact_of_a_reporter_is_revealed_only_to_a_hub_focal_point_and_logged(cast, reports):
    report = reports["public"]
    for actor in ("dic_head", "bp_focal", "vc_officer", "viettel", "sysadmin"):
        with pytest.raises(NotAllowed):
            contact_reveal(report=report, ctx=ctx(cast[actor]), reason="Cần xác minh thêm")
    assert not AuditEvent.objects.filter(action="report.contact_reveal").exists()
    contact = contact_reveal(report=report, ctx=ctx(cast.police_focal), reason="Cần xác minh thêm")
    assert contact.name == "Nguyễn Văn Dân"
    event = AuditEvent.objects.get(action="report.contact_reveal")
    assert event.actor == cast.police_focal and event.data["reason"] == "Cần xác minh thêm"


def test_the_contact_of_a_reporter_is_not_revealed_for_a_report_the_focal_point_may_not_see(cast, reports):
    """The report sits in a restricted case DIC's focal point is not named on: the service itself must
    refuse, as the page does (one permission layer for the views and the API)."""
    report = reports["public"]
    open_case(cast.police_focal, report, access_level=AccessLevel.RESTRICTED, title="Chuyên án")
    assert not can(cast.dic_focal, Action.REVEAL_CONTACT, report)
    with pytest.raises(NotAllowed):
        contact_reveal(report=report, ctx=ctx(cast.dic_focal), reason="Cần xác minh thêm")
    assert not AuditEvent.objects.filter(action="report.contact_reveal").exists()


@pytest.mark.parametrize(
    ("actor", "org_code"),
    [
        ("vc_officer", "st-police-vinh-chau"),  # an officer: acknowledging is for focal points and heads
        ("viettel", "st-dic"),  # an enterprise, on DIC's delivery
        ("dic_focal", "st-bp-vinh-hai"),  # another organisation's delivery
        ("sysadmin", "st-dic"),
    ],
)
def test_only_a_focal_point_or_head_of_the_receiving_organisation_acknowledges(cast, reports, actor, org_code):
    """The acknowledge service must apply the same rule as `can` (the page checks it, the service does not)."""
    delivery = Delivery.objects.get(report=reports["public"], organisation__code=org_code)
    with pytest.raises(NotAllowed):
        delivery_acknowledge(delivery=delivery, ctx=ctx(cast[actor]))
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None


def test_a_focal_point_acknowledges_their_organisations_delivery(cast, reports):
    delivery = Delivery.objects.get(report=reports["public"], organisation__code="st-bp-vinh-hai")
    delivery = delivery_acknowledge(delivery=delivery, ctx=ctx(cast.bp_focal))
    assert delivery.acknowledged_by == cast.bp_focal and delivery.acknowledged_at
    reports["public"].refresh_from_db()
    assert reports["public"].status == "acknowledged"
