"""Choices of the directory: kinds of areas and organisations, and people's roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")


# Commune-level units (cấp xã): wards (phường), townships (thị trấn) and communes (xã).
COMMUNE_KINDS = frozenset({AreaKind.COMMUNE, AreaKind.WARD, AreaKind.TOWNSHIP})


class OrganisationType(models.TextChoices):
    """Đ2: the parties the regulation applies to."""

    STATE_AGENCY = "state_agency", _("State agency")
    POLICE = "police", _("Police")
    BORDER_GUARD = "border_guard", _("Border Guard")
    PRESS = "press", _("Press and broadcasting")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    PROCURACY = "procuracy", _("Procuracy")
    INTERAGENCY_TEAM = "interagency_team", _("Inter-agency team")
    ENTERPRISE = "enterprise", _("ICT enterprise")


class EnterpriseKind(models.TextChoices):
    TELECOM = "telecom", _("Telecom carrier")
    POSTAL = "postal", _("Postal and courier")
    ISP = "isp", _("Internet service provider")
    PRINTING = "printing", _("Printing house")
    # Đ4.2, Đ11.2–11.3: banks and platforms asked to freeze an account or take content down (rule-set data).
    BANK = "bank", _("Bank or payment provider")
    PLATFORM = "platform", _("Online platform")


class Role(models.TextChoices):
    """What a person does for their organisation."""

    ENTERPRISE_REPORTER = "enterprise_reporter", _("Enterprise reporter")
    OFFICER = "officer", _("Officer")
    FOCAL_POINT = "focal_point", _("Focal point")  # Đ3.3, Đ17.2
    HEAD = "head", _("Head of agency")  # Đ3.2
    HUB_COORDINATOR = "hub_coordinator", _("Hub coordinator")  # Đ5.2
    SYSADMIN = "sysadmin", _("System administrator")
