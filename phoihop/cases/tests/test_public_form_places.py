"""The public report form's place picker (issue 13): every commune of the rule set in force, in its district's
group, as the signed-in form offers them (intake.forms.area_choices over directory.selectors.area_choices).

Kept here because the intake app's tests are another helper's; it belongs in phoihop/intake/tests/.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.directory.choices import COMMUNE_KINDS
from phoihop.directory.models import AdministrativeUnit
from phoihop.directory.selectors import today

from .factories import make_cast

pytestmark = pytest.mark.django_db


class _AreaOptions(HTMLParser):
    """The options of <select name="area">, each with the label of the <optgroup> it sits in ("" outside one)."""

    def __init__(self):
        super().__init__()
        self.options: dict[str, str] = {}
        self._in_area = False
        self._group = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._in_area = attrs.get("name") == "area"
        elif self._in_area and tag == "optgroup":
            self._group = attrs.get("label") or ""
        elif self._in_area and tag == "option":
            self.options[attrs.get("value") or ""] = self._group

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self._group = ""
        elif tag == "select":
            self._in_area = False


def area_options(html: str) -> dict[str, str]:
    parser = _AreaOptions()
    parser.feed(html)
    return parser.options


def test_the_public_form_offers_a_commune_of_the_rule_set_in_force_inside_its_district():
    options = area_options(Client().get(reverse("intake:public_report")).content.decode())
    assert options[""] == ""  # "I don't know" first, outside any group
    assert options["st-vinh-chau-vinh-hai"] == "Thị xã Vĩnh Châu"  # Xã Vĩnh Hải, a coastal commune (Đ7)
    assert options["st-vinh-chau"] == "Tỉnh Sóc Trăng"  # the district itself, under the province
    # Every commune in force today is offered, each in its own district's group.
    communes = AdministrativeUnit.objects.valid_on(today()).filter(kind__in=COMMUNE_KINDS).select_related("parent")
    assert communes.count() > 100
    assert {c.code: options.get(c.code) for c in communes} == {c.code: c.parent.name for c in communes}


def test_the_signed_in_form_offers_the_same_places():
    public = area_options(Client().get(reverse("intake:public_report")).content.decode())
    client = Client()
    client.force_login(make_cast().viettel)
    assert area_options(client.get(reverse("intake:new_report")).content.decode()) == public
