"""The directory: administrative units, functions, organisations and the people who act for them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BilingualNameMixin
from phoihop.rulesets.models import Validity

from .choices import AreaKind, EnterpriseKind, OrganisationType, Role

HUB_FUNCTION = "hub"
HUB_CACHE_KEY = "directory:hub-org-ids:{day}"


class AdministrativeUnit(Validity):
    """A province, district-level unit or commune, with its validity and successor (units merge)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Đ12: enterprises in coastal districts also report to the Border Guard.
    coastal = models.BooleanField(_("coastal"), default=False)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # The official code (mã đơn vị hành chính, General Statistics Office): 2 digits for a province, 3 for a
    # district-level unit, 5 for a commune. A new unit may reuse a former unit's code, so it is not unique.
    gso_code = models.CharField(_("official code"), max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["depth", "name"]

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list[AdministrativeUnit]:
        """This unit and every unit above it, most specific first."""
        chain: list[AdministrativeUnit] = []
        unit: AdministrativeUnit | None = self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class Function(BilingualNameMixin, models.Model):
    """A duty the regulation gives ("hub", "local police", "coastal border force"); rules route to these."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=100, blank=True)
    description_en = models.TextField(_("description"), blank=True)
    # Đ5.4, Đ8.2: its holders may impose administrative sanctions (rule-set data: `sanctioning: true`).
    sanctioning = models.BooleanField(_("imposes administrative sanctions"), default=False)

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["code"]


class Organisation(BilingualNameMixin, Validity):
    """A party of Đ2: agency, police unit, enterprise... with its jurisdiction and validity."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    enterprise_kind = models.CharField(_("enterprise kind"), max_length=16, choices=EnterpriseKind.choices, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    area = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("jurisdiction")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Contact details (shown on the directory). A field the rule set gives is versioned data (Đ19) and is
    # listed in `contact_from_ruleset`; the others are kept by the organisation's head or an administrator.
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    focal_point_name = models.CharField(_("focal point"), max_length=150, blank=True)
    focal_point_phone = models.CharField(_("focal point's phone"), max_length=32, blank=True)
    focal_point_email = models.EmailField(_("focal point's e-mail"), blank=True)
    contact_from_ruleset = models.JSONField(default=list, blank=True, editable=False)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors")
    functions = models.ManyToManyField(Function, through="OrganisationFunction", related_name="organisations")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["type", "name_vi"]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_enterprise(self) -> bool:
        return self.type == OrganisationType.ENTERPRISE

    @property
    def has_contact(self) -> bool:
        return any(getattr(self, f) for f in CONTACT_FIELDS)


# The contact fields of an organisation, in the order the rule set's `contact` block and the form use.
CONTACT_FIELDS = ("address", "phone", "email", "website", "focal_point_name", "focal_point_phone", "focal_point_email")


class OrganisationFunction(Validity):
    """An organisation holds a function over an area for a period: the unit of routing resolution."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="holdings")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="holdings")
    area = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("function holding")
        verbose_name_plural = _("function holdings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "function", "area", "valid_from"], name="uniq_holding")
        ]
        indexes = [models.Index(fields=["function", "valid_from"])]


class User(AbstractUser):
    """A person acting for one organisation in one role; the public needs no account."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OFFICER)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Set only by the demo seeding (directory.demo): the second factor is waived for such an account,
    # and only while the server runs with `phoihop serve --demo` (settings.PHOIHOP_DEMO, never from the
    # environment). A production start never seeds demo accounts nor sets the flag.
    demo_account = models.BooleanField(_("demo account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) before the given name (first_name)."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    @property
    def is_hub_member(self) -> bool:
        """Đ5.2: people of DIC and the Provincial Police (organisations holding the hub function)."""
        return self.organisation_id in hub_organisation_ids()

    @property
    def is_focal_point(self) -> bool:
        return self.role in {Role.FOCAL_POINT, Role.HUB_COORDINATOR}

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD


class ApiToken(models.Model):
    """An organisation's key for the REST API. Only a hash is kept; the key is shown once at issue."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="api_tokens")
    # The account the API acts as (one per organisation), so audit events and permissions work as for people.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.organisation.code}: {self.name} ({self.prefix}…)"


def hub_organisation_ids(day: dt.date | None = None) -> frozenset[int]:
    """Đ5.2: the organisations that are hubs (DIC and Provincial Police, or their successors) on `day`.

    It lives here, not in selectors, so that `User.is_hub_member` needs no import back from selectors.
    """
    day = day or timezone.localdate()
    key = HUB_CACHE_KEY.format(day=day.isoformat())
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(
            OrganisationFunction.objects.valid_on(day)
            .filter(function__code=HUB_FUNCTION, organisation__valid_from__lte=day)
            .exclude(organisation__valid_to__lt=day)
            .values_list("organisation_id", flat=True)
        )
        cache.set(key, ids, 60)
    return ids
