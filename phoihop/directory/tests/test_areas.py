"""Every commune as data: the 2013 units with their official codes, the 2025 units with what they took in,
and what that means for a report filed under a former commune (routing, the place picker)."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.directory.choices import COMMUNE_KINDS
from phoihop.directory.models import AdministrativeUnit
from phoihop.directory.selectors import area_choices, current_area
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit

pytestmark = pytest.mark.django_db

BEFORE_REFORM = dt.date(2020, 6, 1)
AFTER_P9 = dt.date(2024, 10, 1)  # Phường 9 joined Phường 1 on 2024-09-01 (NQ 1105/NQ-UBTVQH15)
AFTER_REFORM = dt.date(2026, 6, 1)


def area(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


@pytest.fixture
def reform():
    ruleset_load(code_or_path="cantho-2025")


def _sections(choices) -> dict[str, list[tuple[str, str]]]:
    return {label: options for label, options in choices if isinstance(options, list)}


def test_the_2013_rule_set_has_every_district_and_commune_with_its_official_code():
    st = AdministrativeUnit.objects.filter(code__startswith="st")
    districts = st.filter(parent__code="st")
    communes = st.filter(kind__in=COMMUNE_KINDS)
    assert area("st").gso_code == "94"
    assert sorted(districts.values_list("gso_code", flat=True)) == [str(n) for n in range(941, 952)]
    assert communes.count() == 109
    assert {len(c) for c in communes.values_list("gso_code", flat=True)} == {5}
    assert communes.values("gso_code").distinct().count() == 109
    assert set(communes.values_list("parent__parent__code", flat=True)) == {"st"}
    ke_an = area("st-ke-sach-ke-an")
    assert (ke_an.name, ke_an.kind, ke_an.gso_code, ke_an.parent.code) == ("Xã Kế An", "commune", "31558", "st-ke-sach")
    assert area("st-ke-sach-tt-ke-sach").kind == "township" and area("st-soc-trang-p10").kind == "ward"


def test_phuong_9_ended_in_2024_and_maps_to_phuong_1():
    p9 = area("st-soc-trang-p9")
    assert p9.valid_to == dt.date(2024, 8, 31) and p9.successor.code == "st-soc-trang-p1"
    assert current_area(p9, BEFORE_REFORM) == p9
    assert current_area(p9, AFTER_P9).code == "st-soc-trang-p1"
    labels = dict(_sections(area_choices(AFTER_P9))["Thành phố Sóc Trăng"])
    assert labels["st-soc-trang-p1"] == "Phường 1 (formerly Phường 9)" and "st-soc-trang-p9" not in labels


def test_the_2025_units_take_in_their_former_communes(reform):
    new = AdministrativeUnit.objects.filter(code__startswith="ct-")
    assert new.count() == 103 and {u.parent.code for u in new} == {"ct"}
    assert area("ct").gso_code == "92"
    # NQ 1668 Điều 1 khoản 75: Thị trấn Kế Sách, Xã Kế An and Xã Kế Thành become Xã Kế Sách (31528).
    ke_sach = area("ct-ke-sach")
    assert ke_sach.gso_code == "31528"
    assert sorted(ke_sach.predecessors.values_list("code", flat=True)) == [
        "st-ke-sach-ke-an",
        "st-ke-sach-ke-thanh",
        "st-ke-sach-tt-ke-sach",
    ]
    for old in ke_sach.predecessors.all():
        assert old.valid_to == dt.date(2025, 6, 30)
        assert current_area(old, AFTER_REFORM) == ke_sach
        assert current_area(old, BEFORE_REFORM) == old
    # Every 2013 commune in force on 2025-06-30 has exactly one 2025 successor; Phường 9 reaches it in two steps.
    old_communes = AdministrativeUnit.objects.filter(code__startswith="st-", kind__in=COMMUNE_KINDS)
    assert {current_area(u, AFTER_REFORM).code[:3] for u in old_communes} == {"ct-"}
    assert current_area(area("st-soc-trang-p9"), AFTER_REFORM).code == "ct-phu-loi"
    # Unchanged communes are re-parented under the city as new records (NQ 1668 khoản 96).
    assert current_area(area("st-vinh-chau-vinh-hai"), AFTER_REFORM).code == "ct-vinh-hai"
    # A district-level unit ends with no successor: it stays itself.
    assert current_area(area("st-ke-sach"), AFTER_REFORM).code == "st-ke-sach"


def test_the_place_picker_groups_the_2025_units_by_former_district_and_names_what_they_took_in(reform):
    choices = area_choices(AFTER_REFORM)
    assert choices[0] == ("ct", "Thành phố Cần Thơ")
    sections = _sections(choices)
    assert sum(len(options) for options in sections.values()) == 103
    ke_sach = dict(sections["Huyện Kế Sách (former)"])
    assert ke_sach["ct-ke-sach"] == "Xã Kế Sách (formerly Thị trấn Kế Sách, Xã Kế An, Xã Kế Thành)"
    assert len(sections["Thành phố Cần Thơ"]) == 60  # former Cần Thơ city and Hậu Giang: no former units here


def test_the_2013_place_picker_groups_communes_under_their_district_in_natural_order():
    sections = _sections(area_choices(BEFORE_REFORM))
    assert next(iter(sections)) == "Tỉnh Sóc Trăng" and len(sections["Tỉnh Sóc Trăng"]) == 11
    wards = [label for _code, label in sections["Thành phố Sóc Trăng"]]
    assert wards == [f"Phường {n}" for n in range(1, 11)]
    assert sum(len(options) for label, options in sections.items() if label != "Tỉnh Sóc Trăng") == 109


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda a: a["areas"][13].update(gso_code="3155"), "gso_code", "does not match"),
        (lambda a: a["areas"][13].update(gso_code="941"), "gso_code", "does not fit a ward"),
        (lambda a: a["areas"][14].update(gso_code=a["areas"][13]["gso_code"]), "gso_code", "already used by"),
        (lambda a: a["areas"][13].update(merged_from=["st-nowhere"]), "merged_from", "unknown area 'st-nowhere'"),
        (lambda a: a["areas"][13].update(merged_from=[a["areas"][13]["code"]]), "merged_from", "into itself"),
        (lambda a: a["areas"][13].update(kind="hamlet"), "kind", "is not one of"),
    ],
)
def test_a_bad_area_record_is_refused_naming_file_record_and_field(tmp_path, change, field, message):
    folder = copy_ruleset(tmp_path)
    edit(folder, "areas.yaml", change)
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    text = str(exc.value)
    assert "areas.yaml" in text and f"field '{field}'" in text and message in text
    assert "(areas #14)" in text or "(areas #15)" in text


def test_a_unit_merged_into_two_units_is_refused(tmp_path):
    folder = copy_ruleset(tmp_path)

    def merge_twice(doc):
        doc["areas"][13]["merged_from"] = ["st-soc-trang-p9"]  # already merged into Phường 1 by the file

    edit(folder, "areas.yaml", merge_twice)
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    text = str(exc.value)
    assert "field 'merged_from'" in text and "'st-soc-trang-p9' is already merged into" in text
