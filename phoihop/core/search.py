"""Search that ignores Vietnamese diacritics and case ("lua dao" finds "Lừa đảo"), on the database's own index.

Reports and cases keep a `search_text` column: their words lower-cased and without diacritics
(phoihop.core.text.fold). The term is folded the same way and split into words; a row matches when it
contains every word (as a substring, so "0162" finds "+84162...", and "dao" finds "lua dao").

- SQLite: an FTS5 external-content table with the trigram tokenizer beside each table, kept in sync by
  triggers (migrations intake 0002 and cases 0002). Words of three characters or more are looked up in it;
  shorter words, which a trigram index cannot serve, fall back to a LIKE.
- PostgreSQL: the pg_trgm extension and a GIN `gin_trgm_ops` index on search_text, which serves
  `search_text LIKE '%word%'` directly.

Search narrows a queryset; it never widens one, so it keeps whatever permission scope the caller gave it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from .text import fold

MIN_INDEXED = 3  # a trigram index needs at least three characters
MAX_WORDS = 8  # a search box, not a query language: more words add cost and no precision


@dataclass(frozen=True)
class SearchIndex:
    """The full-text index of one model's table (SQLite FTS5 table name, PostgreSQL GIN index name)."""

    label: str  # the model's label, e.g. "intake.report"
    table: str
    fts_table: str
    pg_index: str


# Each app registers the indexes of its own tables (AppConfig.ready): core knows no domain model.
INDEXES: dict[str, SearchIndex] = {}


def register_search_index(index: SearchIndex) -> None:
    INDEXES[index.label] = index


def words(term: str) -> list[str]:
    """The folded words of a search term, each once, in order."""
    out: list[str] = []
    for word in fold(term or "").split():
        word = word.strip("\"'")
        if word and word not in out:
            out.append(word)
    return out[:MAX_WORDS]


def fts5_string(word: str) -> str:
    """An FTS5 string literal: the word between double quotes, inner quotes doubled (no FTS5 syntax leaks)."""
    return '"' + word.replace('"', '""') + '"'


def search(qs: QuerySet, term: str) -> QuerySet:
    """`qs` narrowed to the rows whose search_text contains every word of `term` (diacritics and case ignored)."""
    found = words(term)
    if not found:
        return qs
    index = INDEXES.get(qs.model._meta.label_lower)
    if index is None:
        raise ValueError(f"{qs.model._meta.label} has no search index")
    indexed = [w for w in found if len(w) >= MIN_INDEXED]
    short = [w for w in found if len(w) < MIN_INDEXED]
    if connections[qs.db].vendor == "sqlite" and indexed:
        match = " AND ".join(fts5_string(w) for w in indexed)
        # The table name is ours (INDEXES), never user input; the term goes in as a parameter.
        sql = f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s"  # noqa: S608
        qs = qs.filter(pk__in=RawSQL(sql, [match]))  # noqa: S611
    else:
        short = found  # PostgreSQL: every word is a LIKE the trigram index serves
    for word in short:
        # search_text is folded already, so a case-sensitive LIKE is exact (and is what the index serves).
        qs = qs.filter(search_text__contains=word)
    return qs


# --- Keeping the index in place ---------------------------------------------------------------------------
# SQLite rebuilds a table to alter it (Django's schema editor copies it to a new table and drops the old
# one), and the triggers go with the old table. ensure_search_indexes() recreates whatever is missing and
# re-fills an index whose triggers were lost; it is idempotent and cheap when everything is in place.


# The SQL below is built from the table names in INDEXES (constants), never from input: S608 does not apply.


def sqlite_statements(index: SearchIndex) -> list[str]:
    """The FTS5 table and the three triggers that keep it in step with `index.table`."""
    t, f = index.table, index.fts_table
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {f} USING fts5("
        f"search_text, content='{t}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {f}_ai AFTER INSERT ON {t} BEGIN "  # noqa: S608
        f"INSERT INTO {f}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {f}_ad AFTER DELETE ON {t} BEGIN "  # noqa: S608
        f"INSERT INTO {f}({f}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {f}_au AFTER UPDATE OF search_text ON {t} BEGIN "  # noqa: S608
        f"INSERT INTO {f}({f}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {f}(rowid, search_text) VALUES (new.id, new.search_text); END",
    ]


def sqlite_rebuild(index: SearchIndex) -> str:
    """Re-read every row of the content table into the FTS index."""
    return f"INSERT INTO {index.fts_table}({index.fts_table}) VALUES ('rebuild')"  # noqa: S608


def sqlite_drop(index: SearchIndex) -> list[str]:
    f = index.fts_table
    return [f"DROP TRIGGER IF EXISTS {f}_{s}" for s in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {f}"]


def postgres_statements(index: SearchIndex) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS {index.pg_index} ON {index.table} USING gin (search_text gin_trgm_ops)",
    ]


def postgres_drop(index: SearchIndex) -> list[str]:
    # The extension stays: other indexes may use it, and it is harmless.
    return [f"DROP INDEX IF EXISTS {index.pg_index}"]


def ensure_search_indexes(using: str = "default", *, models: tuple[type[Model], ...] | None = None) -> list[str]:
    """Create any missing part of the search indexes (after a table rebuild); return what was repaired."""
    connection = connections[using]
    repaired: list[str] = []
    labels = [m._meta.label_lower for m in models] if models else list(INDEXES)
    existing = set(connection.introspection.table_names(include_views=True))
    with connection.cursor() as cursor:
        for label in labels:
            index = INDEXES[label]
            if index.table not in existing:
                continue
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
                    [f"{index.fts_table}%"],
                )
                present = {row[0] for row in cursor.fetchall()}
                wanted = {index.fts_table, *(f"{index.fts_table}_{s}" for s in ("ai", "ad", "au"))}
                if wanted - present:
                    for sql in sqlite_statements(index):
                        cursor.execute(sql)
                    cursor.execute(sqlite_rebuild(index))  # rows may have changed while a trigger was missing
                    repaired.append(label)
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index.pg_index])
                if cursor.fetchone() is None:
                    for sql in postgres_statements(index):
                        cursor.execute(sql)
                    repaired.append(label)
    return repaired
