"""Aggregates behind the dashboards and the statistics API (Đ18: the six-monthly figures), kept up to date
incrementally in the write path of a report and of an acknowledgement (see aggregates.py).

The dimensions are plain integer ids with 0 for "not given" (not foreign keys): a unique constraint treats
NULLs as distinct, and an upsert needs every dimension to be comparable. Reports and deliveries are never
deleted and their sector, behaviour, area and recipients never change after intake, so counts only grow.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportDay(models.Model):
    """How many reports were received on one day (local time), per sector × behaviour × area."""

    day = models.DateField(_("day"))
    sector_id = models.PositiveIntegerField(default=0)
    behaviour_id = models.PositiveIntegerField(default=0)
    area_id = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reports of a day")
        constraints = [
            models.UniqueConstraint(fields=["day", "sector_id", "behaviour_id", "area_id"], name="uniq_report_day")
        ]


class DeliveryDay(models.Model):
    """How many reports received on one day were delivered to one organisation, per sector × behaviour × area.

    One delivery per report and organisation (inbox.Delivery's unique constraint), so for one organisation
    this counts distinct reports."""

    day = models.DateField(_("day"))
    organisation_id = models.PositiveIntegerField()
    sector_id = models.PositiveIntegerField(default=0)
    behaviour_id = models.PositiveIntegerField(default=0)
    area_id = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("deliveries of a day")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "day", "sector_id", "behaviour_id", "area_id"], name="uniq_delivery_day"
            )
        ]


class AckDelay(models.Model):
    """Đ3.4: acknowledgements of deliveries received on one day, by organisation and delay bucket.

    A bucket is about 5% wide (see aggregates.delay_bucket), so a median or 90th percentile read from it is
    within 5% of the exact delay, whatever the number of deliveries."""

    day = models.DateField(_("day"))
    organisation_id = models.PositiveIntegerField()
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("acknowledgement delays of a day")
        constraints = [models.UniqueConstraint(fields=["organisation_id", "day", "bucket"], name="uniq_ack_delay")]


class AreaBoundary(models.Model):
    """The outline of a district-level unit for the offline map, from the rule set's boundaries.geojson.

    The shipped outlines are simplified approximations (see the file's note), not surveyed boundaries."""

    ruleset = models.ForeignKey("rulesets.RuleSet", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("directory.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    # GeoJSON polygons as [[[lon, lat], ...], ...] rings, a MultiPolygon as a list of those.
    polygons = models.JSONField()

    class Meta:
        verbose_name = _("area boundary")
        constraints = [models.UniqueConstraint(fields=["ruleset", "area"], name="uniq_area_boundary")]
