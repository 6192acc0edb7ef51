"""The organisation pickers (issue 13): grouped by type in a sensible order, labelled by name in the page's
language, every allowed organisation still choosable and any other refused, read in one query."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from django import forms
from django.utils import translation

from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation
from phoihop.directory.widgets import (
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    fold,
    organisation_choices,
)

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUP_ORDER = [
    "State agency",
    "Police",
    "Procuracy",
    "Border Guard",
    "Inter-agency team",
    "Press and broadcasting",
    "People's Committee",
    "ICT enterprise",
]


def allowed():
    """What the test form may offer: today's organisations but Viettel."""
    return Organisation.objects.valid_on(dt.date.today()).exclude(code="st-viettel").order_by("type", "name_vi")


class PickForm(forms.Form):
    one = OrganisationChoiceField(queryset=Organisation.objects.none(), to_field_name="code")
    many = OrganisationMultipleChoiceField(queryset=Organisation.objects.none(), to_field_name="code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["one"].queryset = allowed()
        self.fields["many"].queryset = allowed()


def optgroups(html: str) -> list[str]:
    return [htmllib.unescape(g) for g in re.findall(r'<optgroup label="([^"]+)"', html)]


def option_values(html: str) -> list[str]:
    return [v for v in re.findall(r'<option value="([^"]*)"', html) if v]


def test_a_drop_down_groups_the_organisations_by_type_provincial_bodies_first():
    html = str(PickForm()["one"])
    assert optgroups(html) == [g for g in GROUP_ORDER if g in optgroups(html)]
    assert {"State agency", "Police", "People's Committee", "ICT enterprise"} <= set(optgroups(html))
    # Every allowed organisation is there once; the one the form does not allow is not.
    codes = option_values(html)
    assert sorted(codes) == sorted(allowed().values_list("code", flat=True))
    assert "st-viettel" not in codes
    # In the police group the Provincial Police (a hub) comes first, then its investigators, then the districts.
    police = re.search(r'<optgroup label="Police">(.*?)</optgroup>', html, re.S)[1]
    assert option_values(police)[:2] == ["st-police", "st-police-investigation"]
    districts = Organisation.objects.filter(code__in=option_values(police)[2:]).select_related("area")
    assert len(districts) == 11 and {o.area.depth for o in districts} == {1}
    # The search box is there for script to show, with the names to search on each option (accents folded).
    assert "data-picker-search hidden" in html and "picker.js" in html
    assert 'data-search="ca tx vinh chau cong an thi xa vinh chau' in html


def test_labels_are_the_names_in_the_pages_language():
    police = Organisation.objects.get(code="st-police")
    with translation.override("vi"):
        html = str(PickForm()["one"])
        assert '<optgroup label="Công an">' in html and '<optgroup label="Cơ quan nhà nước">' in html
        assert f'<option value="st-police" data-search="{fold("Công an tỉnh")}' in html
        assert f">{police.name_vi}</option>" in html
    with translation.override("en"):
        html = str(PickForm()["one"])
        assert '<optgroup label="Police">' in html and f">{police.name_en}</option>" in html


def test_checkboxes_get_a_folding_group_per_type_with_select_all():
    html = str(PickForm(initial={"many": ["st-pc-vinh-chau"]})["many"])
    found = re.findall(r'<details class="picker-group" data-picker-group( open)?>\s*<summary><span[^>]*>([^<]+)<', html)
    groups = [(is_open, htmllib.unescape(name)) for is_open, name in found]
    assert [name for _, name in groups] == [g for g in GROUP_ORDER if g in {n for _, n in groups}]
    assert html.count("<legend") == len(groups) and html.count("data-picker-all hidden") == len(groups)
    # A long list folds its groups, but the one with a ticked box stays open.
    assert {name for is_open, name in groups if is_open} == {"People's Committee"}
    boxes = re.findall(r'<input type="checkbox" name="many" value="([^"]+)"', html)
    assert sorted(boxes) == sorted(allowed().values_list("code", flat=True))


def test_every_allowed_organisation_is_still_choosable_and_another_is_refused():
    every = list(allowed().values_list("code", flat=True))
    form = PickForm({"one": "st-dic", "many": every})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"].code == "st-dic" and len(form.cleaned_data["many"]) == len(every)
    closed = OrganisationFactory(code="closed-org", valid_to=dt.date(2020, 1, 1))
    for data in ({"one": "st-viettel", "many": ["st-dic"]}, {"one": "st-dic", "many": ["st-dic", closed.code]}):
        form = PickForm(data)
        assert not form.is_valid()
        assert "Select a valid choice" in str(form.errors)


def test_the_list_is_read_in_one_query(django_assert_num_queries):
    form = PickForm()
    assert allowed().count() > 40
    with django_assert_num_queries(1):
        str(form["one"])
    with django_assert_num_queries(1):
        str(form["many"])


def test_choices_from_a_list_keep_the_forms_values_and_labels():
    orgs = list(Organisation.objects.filter(code__in=["st-viettel", "st-police", "st-dic"]))
    choices = organisation_choices(orgs, value=lambda o: o.pk, label=lambda o: o.code.upper())
    assert [(group, [str(label) for _, label in items]) for group, items in choices] == [
        ("State agency", ["ST-DIC"]),
        ("Police", ["ST-POLICE"]),
        ("ICT enterprise", ["ST-VIETTEL"]),
    ]
    assert choices[0][1][0][0] == Organisation.objects.get(code="st-dic").pk


def test_fold_matches_the_scripts_folding():
    assert fold("  Lừa   Đảo qua ĐIỆN thoại ") == "lua dao qua dien thoai"


def test_the_pages_pickers(client):
    """The parties of an ad-hoc report request and the case list's organisation filters use the picker."""
    client.force_login(UserFactory.of("st-dic", role=Role.FOCAL_POINT))
    page = client.get("/reporting/ad-hoc/").content.decode()
    assert 'data-picker="checks"' in page and '<details class="picker-group"' in page
    data = {
        "title": "Báo cáo đột xuất",
        "request_text": "Tình hình lừa đảo qua điện thoại",
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-31",
        "due_on": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
    }
    pk = {o.code: o.pk for o in Organisation.objects.filter(code__in=["st-police", "st-pc-vinh-chau"])}
    closed = OrganisationFactory(code="closed-party", valid_to=dt.date(2020, 1, 1))
    refused = client.post("/reporting/ad-hoc/", {**data, "organisations": [pk["st-police"], closed.pk]})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    sent = client.post("/reporting/ad-hoc/", {**data, "organisations": list(pk.values())})
    assert sent.status_code == 302
    cases = client.get("/cases/").content.decode()
    assert cases.count('class="filter-picker"') == 2 and '<optgroup label="Police">' in cases
    assert client.get("/cases/", {"lead": "st-dic", "participant": "st-police"}).status_code == 200
