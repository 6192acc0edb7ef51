"""Issue 9, bytes per report (PostgreSQL): the tracking code's second index goes. Django gives a unique CharField a
`varchar_pattern_ops` index beside the unique one, for LIKE 'prefix%'; a report is only ever looked up by its whole
code (the unique index serves that) and the admin's search is a case-insensitive LIKE, which this index cannot
serve. At 100,000 reports it held 24–43 bytes a report. Note: a later migration that alters `reference` would let
Django create it again; drop it again there.
"""

from django.db import migrations

INDEX = "intake_report_reference_e81070ad_like"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON intake_report (reference varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_report_search_index_detail_none")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
