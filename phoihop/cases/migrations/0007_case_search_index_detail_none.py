"""Issue 9, bytes per report: the cases' FTS5 trigram index keeps which rows hold a trigram, not where
(detail=none): at 100,000 reports 333 bytes a report instead of 1,333. A word of four characters or more is then
looked up by all its trigrams and confirmed by a LIKE on the rows found (phoihop.core.search), so every search
finds what it found before. SQLite only: the index is dropped with its triggers, made again and filled from the
rows. PostgreSQL's GIN index is not touched. The SQL is written out here (not imported) so that this migration
keeps doing what it did when the code moves on.
"""

from django.db import migrations

TABLE, FTS = "cases_case", "cases_case_fts"
# ruff: noqa: S608 -- the SQL is built from these two names, constants, never from input


def statements(detail: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {FTS}_ai",
        f"DROP TRIGGER IF EXISTS {FTS}_ad",
        f"DROP TRIGGER IF EXISTS {FTS}_au",
        f"DROP TABLE IF EXISTS {FTS}",
        f"CREATE VIRTUAL TABLE {FTS} USING fts5("
        f"search_text, content='{TABLE}', content_rowid='id', tokenize='trigram', detail={detail})",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ]


def _run(schema_editor, detail: str) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in statements(detail):
            schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, "none")


def backwards(apps, schema_editor):
    _run(schema_editor, "full")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_evidence_task_cancelled")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
