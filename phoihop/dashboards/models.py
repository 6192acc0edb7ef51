"""Aggregates behind the dashboards and the statistics API (Đ18: the six-monthly figures), kept up to date
incrementally in the write path of a report and of an acknowledgement (see aggregates.py).

The keys are plain integer ids with 0 for "not given" (not foreign keys): a unique constraint treats NULLs as
distinct, and an upsert needs every key to be comparable. Reports and deliveries are never
deleted and their sector, behaviour, area and recipients never change after intake, so counts only grow; the
one exception is the "waiting" row (dim w), which an acknowledgement decreases.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayCount(models.Model):
    """How many reports were received on one day (local time), by one dimension.

    `organisation_id` 0 counts every report of the province; an organisation's id counts the reports delivered
    to it (one delivery per report and organisation: distinct reports). `dim` is t (the total, key 0),
    s (sector), b (behaviour), a (area as given) or o (the recipient organisation, province rows only); `key`
    is that sector's, behaviour's, area's or organisation's id, 0 when the report does not say. A period's
    figure by one dimension is then a sum over at most (days × keys) small rows, whatever the number of reports.

    Đ3.4: dim w (key 0, an organisation's rows only) counts the deliveries of that day's reports to the
    organisation that are not yet acknowledged: what waits in its inbox is the sum of its w rows.
    """

    organisation_id = models.PositiveIntegerField()
    dim = models.CharField(max_length=1)
    day = models.DateField(_("day"))
    key = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reports of a day")
        constraints = [models.UniqueConstraint(fields=["organisation_id", "dim", "day", "key"], name="uniq_day_count")]
        # Covering: a period's sums are read from the index alone, never from the table.
        indexes = [models.Index(fields=["organisation_id", "dim", "day", "key", "count"], name="day_count_sum")]


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
        indexes = [models.Index(fields=["organisation_id", "day", "bucket", "count"], name="ack_delay_sum")]


class AckDelayMonth(models.Model):
    """Đ3.4: the AckDelay rows of one calendar month added up (`month` is its first day), kept in the same
    transaction as the day rows. A period's delays are then read from the months it covers whole and the day
    rows of its partial months only: at most about 2 × 31 days × buckets per organisation, not every day."""

    month = models.DateField(_("month"))
    organisation_id = models.PositiveIntegerField()
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("acknowledgement delays of a month")
        constraints = [
            models.UniqueConstraint(fields=["organisation_id", "month", "bucket"], name="uniq_ack_delay_month")
        ]
        indexes = [models.Index(fields=["organisation_id", "month", "bucket", "count"], name="ack_delay_month_sum")]


class IndicatorDay(models.Model):
    """The hub page's most reported indicators (Đ5.2): how many indicator links the reports received on one day
    (local time) carry, per indicator, province-wide. The last 7 days are then a sum over the rows of 7 days, not
    a count over the week's deliveries and their links; the day cut by the window is read from the rows."""

    day = models.DateField(_("day"))
    indicator_id = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator links of a day")
        constraints = [models.UniqueConstraint(fields=["day", "indicator_id"], name="uniq_indicator_day")]
        indexes = [models.Index(fields=["day", "indicator_id", "count"], name="indicator_day_sum")]


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


class RestrictedCount(models.Model):
    """Đ3.1: the DayCount rows of an organisation (dims t, s, b, a, w, r, T, S, B, A, U, V, X, Y: see DayCount)
    counting only the reports of restricted cases, which are hidden from everyone not named on the case (and
    the heads of its organisations). `audience_id` 0 counts every restricted report; an organisation's id counts
    the restricted reports of the cases that organisation takes part in (its own rows only: what its head sees).
    A user's figures are then the organisation's DayCount rows less these rows (less the few restricted reports
    the user sees in other ways), not a read of every hidden report's deliveries.

    Kept by the case hook (restricted.case_changed) from the mirror rows below, and by the acknowledgement hook
    (dim w); a count may be decreased, so it is a plain integer."""

    audience_id = models.PositiveIntegerField()
    organisation_id = models.PositiveIntegerField()
    dim = models.CharField(max_length=1)
    day = models.DateField(_("day"))
    key = models.PositiveIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hidden reports of a day")
        constraints = [
            models.UniqueConstraint(
                fields=["audience_id", "organisation_id", "dim", "day", "key"], name="uniq_restricted_count"
            )
        ]
        indexes = [
            models.Index(
                fields=["audience_id", "organisation_id", "dim", "day", "key", "count"], name="restricted_count_sum"
            )
        ]


class RestrictedReport(models.Model):
    """A report counted in RestrictedCount, with its case: what the case hook compares the case against."""

    report_id = models.PositiveIntegerField(unique=True)
    case_id = models.PositiveIntegerField(db_index=True)

    class Meta:
        verbose_name = _("counted hidden report")


class RestrictedAudience(models.Model):
    """An organisation whose rows of a restricted case's reports are counted (audience) in RestrictedCount."""

    case_id = models.PositiveIntegerField()
    organisation_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("counted audience of a hidden case")
        constraints = [models.UniqueConstraint(fields=["case_id", "organisation_id"], name="uniq_restricted_audience")]
