"""Every routing rule of the 2013 rule set, and the 2025 reform as data.

Each case names who must receive a report and the article that sends it there. "Or" in Đ12–16 means
the system delivers to every party named; DIC and the Provincial Police always hear (Đ5.2).
"""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from phoihop.directory.models import AdministrativeUnit
from phoihop.routing.engine import Router, RoutingInput, find_area
from phoihop.routing.models import RoutingRule
from phoihop.rulesets.services import ruleset_load
from phoihop.taxonomy.models import Behaviour

pytestmark = pytest.mark.django_db

DAY = dt.date(2020, 6, 1)
HUBS = {"st-dic": {"Đ5.2"}, "st-police": {"Đ5.2"}}


def route(behaviour, area=None, reporter_type="public", day=DAY):
    unit = AdministrativeUnit.objects.get(code=area) if area else None
    router = Router(day=day)
    recipients = router.route(RoutingInput(behaviour=behaviour, area=unit, reporter_type=reporter_type, day=day))
    return {r.organisation.code: set(r.articles) for r in recipients}


def merged(*parts):
    out = {}
    for part in parts:
        for org, articles in part.items():
            out.setdefault(org, set()).update(articles)
    return out


# (id, behaviour, area, reporter type, expected recipients with their articles, rules exercised)
CASES = [
    ("hubs-only-when-not-sure", None, "st-my-tu", "public", HUBS, ["D5.2-hub"]),
    (
        "postal-inland",
        "12.L1",
        "st-my-tu",
        "public",
        merged(HUBS, {"st-police-my-tu": {"Đ12"}, "st-dic": {"Đ12"}}),
        ["D12-local-police", "D12-dic"],
    ),
    (
        "postal-coastal-border-guard",
        "12.L3",
        "st-tran-de",
        "enterprise",
        merged(HUBS, {"st-police-tran-de": {"Đ12"}, "st-dic": {"Đ12"}, "st-bp-tran-de": {"Đ12"}}),
        ["D12-coastal-border"],
    ),
    (
        "telecom-fraud-call-vinh-chau",
        "13.4",
        "st-vinh-chau",
        "public",
        merged(
            HUBS,
            {"st-police-vinh-chau": {"Đ13"}, "st-dic": {"Đ13"}, "st-bp-vinh-hai": {"Đ13"}, "st-bp-lai-hoa": {"Đ13"}},
        ),
        ["D13-local-police", "D13-coastal-border", "D13-dic"],
    ),
    (
        "telecom-inland-no-border-guard",
        "13.2",
        "st-ke-sach",
        "public",
        merged(HUBS, {"st-police-ke-sach": {"Đ13"}, "st-dic": {"Đ13"}}),
        [],
    ),
    (
        "sea-cable-theft",
        "13.7",
        "st-cu-lao-dung",
        "enterprise",
        merged(
            HUBS,
            {
                "st-police-cu-lao-dung": {"Đ13"},
                "st-dic": {"Đ13"},
                "st-bp-an-thanh-3": {"Đ13"},
                "st-border-guard": {"Đ7.1"},
            },
        ),
        ["D7.1-sea-cables"],
    ),
    (
        "illegal-sim-to-doit",
        "13.6",
        "st-chau-thanh",
        "enterprise",
        merged(HUBS, {"st-police-chau-thanh": {"Đ13"}, "st-dic": {"Đ13"}, "st-doit": {"Đ8.2"}}),
        ["D8.2-doit-goods"],
    ),
    (
        "internet-fraud",
        "14.4",
        "st-nga-nam",
        "public",
        merged(HUBS, {"st-pc-nga-nam": {"Đ14"}, "st-police-nga-nam": {"Đ14"}, "st-dic": {"Đ14"}, "st-police": {"Đ14"}}),
        ["D14-peoples-committee", "D14-local-police", "D14-dic", "D14-provincial-police"],
    ),
    (
        "internet-sabotage-coastal",
        "14.5",
        "st-vinh-chau",
        "public",
        merged(
            HUBS,
            {
                "st-pc-vinh-chau": {"Đ14"},
                "st-police-vinh-chau": {"Đ14"},
                "st-dic": {"Đ14"},
                "st-police": {"Đ14"},
                "st-border-guard": {"Đ7.1"},
            },
        ),
        [],
    ),
    (
        "it-defacement",
        "15.1",
        "st-soc-trang",
        "public",
        merged(HUBS, {"st-dic": {"Đ15", "Đ6.3"}, "st-police": {"Đ15", "Đ6.3"}}),
        ["D15-dic", "D15-provincial-police", "D6.3-national-security"],
    ),
    (
        "ip-infringement-to-doit",
        "15.3",
        "st-soc-trang",
        "public",
        merged(HUBS, {"st-dic": {"Đ15"}, "st-police": {"Đ15"}, "st-doit": {"Đ8.3"}}),
        ["D8.3-doit-ip-ecommerce"],
    ),
    (
        "fake-website-to-doit",
        "15.4",
        "st-my-xuyen",
        "public",
        merged(HUBS, {"st-dic": {"Đ15"}, "st-police": {"Đ15"}, "st-doit": {"Đ8.3"}}),
        [],
    ),
    (
        "smuggled-it-goods-by-sea",
        "15.5",
        "st-tran-de",
        "agency",
        merged(
            HUBS,
            {
                "st-dic": {"Đ15"},
                "st-police": {"Đ15"},
                "st-doit": {"Đ8.2"},
                "st-border-guard": {"Đ7.2"},
                "st-police-investigation": {"Đ10.3, Đ3.4"},
            },
        ),
        ["D7.2-sea-border", "D10.3-investigation"],
    ),
    (
        "counterfeit-electronics",
        "15.6",
        "st-long-phu",
        "public",
        merged(HUBS, {"st-dic": {"Đ15"}, "st-police": {"Đ15"}, "st-doit": {"Đ8.2"}}),
        [],
    ),
    (
        "pirate-printing",
        "16.1",
        "st-soc-trang",
        "public",
        merged(HUBS, {"st-dic": {"Đ16"}, "st-anti-printing-team": {"Đ16"}}),
        ["D16-dic", "D16-anti-printing-team"],
    ),
    (
        "press-import-by-sea",
        "16.4",
        "st-vinh-chau",
        "public",
        merged(HUBS, {"st-dic": {"Đ16"}, "st-anti-printing-team": {"Đ16"}, "st-border-guard": {"Đ7.2"}}),
        [],
    ),
    (
        "no-place-nearest-police-is-provincial",
        "13.4",
        None,
        "public",
        merged(HUBS, {"st-police": {"Đ13"}, "st-dic": {"Đ13"}}),
        [],
    ),
]


@pytest.mark.parametrize(
    ("behaviour", "area", "reporter", "expected"), [c[1:5] for c in CASES], ids=[c[0] for c in CASES]
)
def test_routing_delivers_to_every_party_named(behaviour, area, reporter, expected):
    assert route(behaviour, area, reporter) == expected


@pytest.mark.parametrize("behaviour", ["13.1", "14.1", "15.1", "16.3"])
def test_acts_against_national_security_or_state_secrets_reach_the_hubs_urgently(behaviour):
    """Đ6.3, Đ13.1, Đ14.1, Đ15.1, Đ16.3: the hubs' delivery is urgent; the other recipients' is not."""
    unit = AdministrativeUnit.objects.get(code="st-my-tu")
    for day in (DAY, dt.date(2025, 9, 1)):  # both rule sets mark them
        recipients = Router(day=day).route(RoutingInput(behaviour=behaviour, area=unit, day=day))
        urgent = {r.organisation.code for r in recipients if r.urgent}
        hubs = {r.organisation.code for r in recipients if any(x.rule == "D5.2-hub" for x in r.reasons)}
        assert urgent == hubs and len(hubs) == 2
        assert all("Đ6.3" in r.articles for r in recipients if r.urgent)
    fraud = Router(day=DAY).route(RoutingInput(behaviour="13.4", area=unit, day=DAY))
    assert fraud and not any(r.urgent for r in fraud)


def test_every_rule_of_the_rule_set_is_exercised_by_a_case():
    exercised = {rule for case in CASES for rule in case[5]}
    codes = set(RoutingRule.objects.filter(ruleset__code="soctrang-2013").values_list("code", flat=True))
    assert codes == exercised


def test_every_behaviour_of_articles_12_to_16_reaches_the_hubs_and_its_article():
    for behaviour in Behaviour.objects.filter(article__regex=r"^Đ1[2-6]"):
        got = route(behaviour.code, "st-soc-trang")
        article = behaviour.article.split(".")[0]
        assert {"st-dic", "st-police"} <= set(got), behaviour.code
        assert any(article in arts for arts in got.values()), behaviour.code


def test_route_command_prints_the_decision_as_json(capsys):
    call_command("route", behaviour="13.4", area="Vĩnh Châu", date="2020-06-01")
    out = json.loads(capsys.readouterr().out)
    assert out["area"]["code"] == "st-vinh-chau" and out["area"]["coastal"] is True
    got = {r["organisation"]: r["articles"] for r in out["recipients"]}
    assert got["st-bp-vinh-hai"] == ["Đ13"] and "Đ5.2" in got["st-dic"]


def test_after_the_2025_reform_the_same_behaviour_routes_to_the_successors():
    ruleset_load(code_or_path="cantho-2025")
    before = route("13.4", "st-vinh-chau", day=dt.date(2020, 6, 1))
    assert {"st-dic", "st-police", "st-police-vinh-chau"} <= set(before)
    area = find_area("Vĩnh Châu", dt.date(2026, 6, 1))
    assert area.code == "ct-vinh-chau"
    after = route("13.4", area.code, day=dt.date(2026, 6, 1))
    assert "st-dic" not in after and "st-police-vinh-chau" not in after
    assert after["ct-dost"] == {"Đ5.2", "Đ13"} and after["ct-police"] == {"Đ5.2"}
    # A report filed against a district that no longer exists still reaches today's holders.
    old_area = route("13.4", "st-vinh-chau", day=dt.date(2026, 6, 1))
    assert "ct-dost" in old_area and "ct-police" in old_area


def test_a_remembered_route_answers_as_the_rules_do_and_each_caller_gets_its_own_lists():
    """Router.route remembers its answers on the day's table: the same recipients and reasons as walking the
    rules, and what one caller does to its lists does not reach the next."""
    unit = AdministrativeUnit.objects.get(code="st-tran-de")
    inp = RoutingInput(
        behaviour="12.L3", area=unit, reporter_type="enterprise", indicator_kinds=frozenset({"phone"}), day=DAY
    )
    router = Router(day=DAY)
    walked = [(r.organisation.pk, list(r.reasons)) for r in router._route(inp, router.sector_of(inp.behaviour))]
    first = router.route(inp)
    assert [(r.organisation.pk, r.reasons) for r in first] == walked
    first[0].reasons.clear()
    first.pop()
    again = Router(day=DAY).route(inp)
    assert [(r.organisation.pk, r.reasons) for r in again] == walked
