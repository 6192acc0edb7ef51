"""factory-boy factories for the directory: organisations and the people who act for them.

New organisations sit in the reference data of soctrang-2013 (loaded once per test database by the root
conftest): by default in the province `st`, defined by that rule set, valid from the regulation's start.
"""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from phoihop.directory.choices import OrganisationType, Role
from phoihop.directory.models import AdministrativeUnit, Function, Organisation, OrganisationFunction, User
from phoihop.rulesets.models import RuleSet

REGULATION_START = dt.date(2013, 4, 18)


def _area(code: str = "st") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def _ruleset() -> RuleSet:
    return RuleSet.objects.get(code="soctrang-2013")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-org-{n}")
    name_vi = factory.Sequence(lambda n: f"Tổ chức thử {n}")
    name_en = factory.Sequence(lambda n: f"Test organisation {n}")
    type = OrganisationType.STATE_AGENCY
    area = factory.LazyFunction(_area)
    valid_from = REGULATION_START
    ruleset = factory.LazyFunction(_ruleset)

    class Params:
        enterprise = factory.Trait(type=OrganisationType.ENTERPRISE, enterprise_kind="telecom")


class HoldingFactory(DjangoModelFactory):
    """An organisation holds a function (by code) over an area for a period."""

    class Meta:
        model = OrganisationFunction

    organisation = factory.SubFactory(OrganisationFactory)
    function = factory.LazyFunction(lambda: Function.objects.get(code="local_police"))
    area = factory.SelfAttribute("organisation.area")
    valid_from = REGULATION_START
    ruleset = factory.LazyFunction(_ruleset)


class UserFactory(DjangoModelFactory):
    """A person of an organisation in a role; no usable password (tests sign in with force_login)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Minh"
    last_name = "Trần Văn"
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_unusable_password")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])

    @classmethod
    def of(cls, organisation_code: str, role: str = Role.OFFICER, **kwargs) -> User:
        """A person of an organisation of the reference data."""
        return cls(organisation=Organisation.objects.get(code=organisation_code), role=role, **kwargs)
