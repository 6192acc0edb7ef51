"""Contact details in the directory: from the rule set where public, kept by the head otherwise, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation
from phoihop.directory.services import organisation_contact_update
from phoihop.rulesets.loader import RuleSetInvalid
from phoihop.rulesets.services import ruleset_load
from phoihop.rulesets.tests.helpers import copy_ruleset, edit

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _with_contact(doc):
    dic = next(o for o in doc["organisations"] if o["code"] == "st-dic")
    dic["contact"] = {
        "address": "Demo: 1 Đường Thử, Phường 1",
        "phone": "0299 3000 001",
        "website": "https://dic.example.vn",
    }


def test_contact_details_from_the_rule_set_are_loaded_and_locked(tmp_path):
    folder = copy_ruleset(tmp_path)
    edit(folder, "organisations.yaml", _with_contact)
    ruleset_load(code_or_path=str(folder))
    dic = org("st-dic")
    assert (dic.address, dic.phone, dic.website) == (
        "Demo: 1 Đường Thử, Phường 1",
        "0299 3000 001",
        "https://dic.example.vn",
    )
    assert dic.contact_from_ruleset == ["address", "email", "phone", "website"]
    head = UserFactory(organisation=dic, role=Role.HEAD)
    with pytest.raises(Invalid) as exc:
        organisation_contact_update(organisation=dic, values={"phone": "0299 1111 111"}, ctx=AuditContext(actor=head))
    assert exc.value.field == "phone"


def test_a_bad_contact_in_the_rule_set_is_refused_naming_the_field(tmp_path):
    folder = copy_ruleset(tmp_path)
    edit(folder, "organisations.yaml", lambda d: d["organisations"][0].update(contact={"phone": "call us"}))
    with pytest.raises(RuleSetInvalid) as exc:
        ruleset_load(code_or_path=str(folder))
    assert "organisations.yaml, record st-dic (organisations #1), field 'contact.phone'" in str(exc.value)


def test_the_head_keeps_the_contact_details_and_every_change_is_audited():
    police = org("st-police-ke-sach")
    head = UserFactory(organisation=police, role=Role.HEAD)
    changed = organisation_contact_update(
        organisation=police,
        values={
            "phone": "0299 3 851 234",
            "focal_point_name": "Nguyễn Văn Demo",
            "focal_point_email": "demo@example.vn",
        },
        ctx=AuditContext(actor=head),
    )
    assert changed == ["focal_point_email", "focal_point_name", "phone"]
    police.refresh_from_db()
    assert police.focal_point_name == "Nguyễn Văn Demo"
    event = AuditEvent.objects.get(action="organisation.contact", object_id=str(police.pk))
    assert event.data["changed"]["phone"] == ["", "0299 3 851 234"]
    # A reload of the rule set, which gives no phone, keeps what the head entered.
    ruleset_load(code_or_path="soctrang-2013")
    police.refresh_from_db()
    assert police.phone == "0299 3 851 234"


def test_only_the_head_of_the_organisation_or_an_administrator_may_change_it():
    police = org("st-police-ke-sach")
    for user in (
        UserFactory(organisation=police, role=Role.OFFICER),
        UserFactory(organisation=org("st-dic"), role=Role.HEAD),
    ):
        with pytest.raises(NotAllowed):
            organisation_contact_update(
                organisation=police, values={"phone": "0299 3851 234"}, ctx=AuditContext(actor=user)
            )
    admin = UserFactory(organisation=org("st-dic"), role=Role.SYSADMIN)
    assert organisation_contact_update(
        organisation=police, values={"address": "Kế Sách"}, ctx=AuditContext(actor=admin)
    )


def test_a_phone_that_is_no_phone_number_is_refused():
    police = org("st-police-ke-sach")
    head = UserFactory(organisation=police, role=Role.HEAD)
    with pytest.raises(Invalid) as exc:
        organisation_contact_update(organisation=police, values={"phone": "abc"}, ctx=AuditContext(actor=head))
    assert exc.value.field == "phone"
    with pytest.raises(Invalid) as exc:
        organisation_contact_update(organisation=police, values={"website": "not a site"}, ctx=AuditContext(actor=head))
    assert exc.value.field == "website"
    police.refresh_from_db()
    assert police.website == ""


def test_the_directory_shows_contact_details_with_tel_and_mailto_links(client):
    police = org("st-police-ke-sach")
    police.phone, police.focal_point_email = "0299 3851 234", "demo@example.vn"
    police.save()
    client.force_login(UserFactory(organisation=org("st-dic"), role=Role.OFFICER))
    page = client.get(reverse("directory:organisations")).content.decode()
    assert 'href="tel:02993851234"' in page and 'href="mailto:demo@example.vn"' in page
    assert reverse("directory:organisation-contact", args=["st-police-ke-sach"]) not in page  # an officer cannot edit


def test_the_head_edits_the_contact_on_the_page(client):
    police = org("st-police-ke-sach")
    client.force_login(UserFactory(organisation=police, role=Role.HEAD))
    url = reverse("directory:organisation-contact", args=["st-police-ke-sach"])
    assert url in client.get(reverse("directory:organisations")).content.decode()
    bad = client.post(url, {"phone": "abc"})
    assert bad.status_code == 200 and "Enter a phone number" in bad.content.decode()
    ok = client.post(url, {"phone": "0299 3851 234", "address": "Thị trấn Kế Sách"})
    assert ok.status_code == 302
    police.refresh_from_db()
    assert (police.phone, police.address) == ("0299 3851 234", "Thị trấn Kế Sách")
    # Another organisation's page is not found for this head.
    assert client.get(reverse("directory:organisation-contact", args=["st-dic"])).status_code == 404
