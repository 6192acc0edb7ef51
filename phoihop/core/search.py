"""Search that ignores Vietnamese diacritics and case ("lua dao" finds "Lừa đảo"), on the database's own index.

Reports and cases keep a `search_text` column: their words lower-cased and without diacritics
(phoihop.core.text.fold). The term is folded the same way and split into words; a row matches when it
contains every word (as a substring, so "0162" finds "+84162...", and "dao" finds "lua dao").

- SQLite: an FTS5 external-content table with the trigram tokenizer beside each table, kept in sync by
  triggers (migrations intake 0002 and cases 0002). Words of three characters or more are looked up in it;
  shorter words, which a trigram index cannot serve, fall back to a LIKE. The index keeps which rows hold a
  trigram, not where (detail=none, intake 0008 and cases 0007; issue 9: a third of the bytes of detail=full),
  so a longer word is looked up by all its trigrams and confirmed by a LIKE on the rows found.
- PostgreSQL: the pg_trgm extension and a GIN `gin_trgm_ops` index on search_text, which serves
  `search_text LIKE '%word%'` directly.

Search narrows a queryset; it never widens one, so it keeps whatever permission scope the caller gave it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise

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


def compact(text: str) -> str:
    """`text` (folded) with each whitespace-separated token once, and none that another one contains; the first
    token (a row's reference, which a service may replace later) is always kept first.

    A search word holds no whitespace, so wherever it matches (a trigram, a LIKE '%word%') it matches inside
    one token: a second copy of a token, or a token found inside a longer one, can make no row match that the
    rest would not. Issue 9: a report's text repeats its indicators as written and normalised, the domain of
    its web address, its behaviour's help in two languages: 473 → 321 bytes a report, the same matches."""
    tokens = text.split()
    if not tokens:
        return ""
    first, rest = tokens[0], dict.fromkeys(tokens[1:])
    seen = first  # the kept tokens joined by spaces: a token is inside one of them iff it is inside this
    kept: set[str] = set()
    for token in sorted(rest, key=len, reverse=True):
        if token not in seen:
            kept.add(token)
            seen = f"{seen} {token}"
    return " ".join([first, *(t for t in rest if t in kept)])


def fts5_string(word: str) -> str:
    """An FTS5 string literal: the word between double quotes, inner quotes doubled (no FTS5 syntax leaks)."""
    return '"' + word.replace('"', '""') + '"'


def fts5_match(indexed: list[str]) -> str:
    """The FTS5 query for words of three characters or more: every trigram of every word.

    The index keeps no positions (detail=none), so it cannot match a word of four characters or more as a
    phrase of trigrams; the rows holding all its trigrams are the candidates, and `confirmed` names the words
    a LIKE must then check on the rows (a word of three characters is one trigram: the index alone decides)."""
    grams = dict.fromkeys(word[i : i + 3] for word in indexed for i in range(len(word) - 2))
    return " AND ".join(fts5_string(g) for g in grams)


def confirmed(indexed: list[str]) -> list[str]:
    """The words of `indexed` that the trigram index finds candidates for but cannot decide alone."""
    return [w for w in indexed if len(w) > MIN_INDEXED]


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
        # The table name is ours (INDEXES), never user input; the term goes in as a parameter.
        sql = f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s"  # noqa: S608
        qs = qs.filter(pk__in=RawSQL(sql, [fts5_match(indexed)]))  # noqa: S611
        short += confirmed(indexed)
    else:
        short = found  # PostgreSQL: every word is a LIKE the trigram index serves
    for word in short:
        # search_text is folded already, so a case-sensitive LIKE is exact (and is what the index serves).
        qs = qs.filter(search_text__contains=word)
    return qs


# --- One search over every app: sources ----------------------------------------------------------------
# The search page (site.search) asks every registered source for its best hits. An app registers one source
# per kind of object in its AppConfig.ready(), with one call:
#
#     register_search_source("cases", _("Cases"), selectors.case_search_hits, order=20)
#
# `find(user, query, limit=..., offset=...)` returns a SearchResult: at most `limit` hits, best first, already
# limited to what `user` may see (core.permissions.scope), and whether there are more (never a count).


@dataclass(frozen=True)
class SearchQuery:
    """What was typed, and the indicators it names exactly once normalised (found by the page, not by core)."""

    text: str
    indicator_ids: tuple[int, ...] = ()

    @property
    def words(self) -> list[str]:
        return words(self.text)


@dataclass(frozen=True)
class SearchHit:
    """One result line: a title linking to the object's page, with a short summary and a date."""

    title: str
    url: str
    summary: str = ""
    when: dt.datetime | None = None
    badge: str | Promise = ""
    exact: bool = False  # found through an exact indicator match, ranked first
    code: bool = False  # the title is a code or a value (shown in a fixed-width font)


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    more: bool = False  # there are more than `hits` (found without counting them)
    capped: bool = False  # the search stopped looking (MAX_CANDIDATES): more precise words would help

    @classmethod
    def of(cls, hits: list[SearchHit], limit: int, *, capped: bool = False) -> SearchResult:
        """From up to limit + 1 hits: the extra one only says that there are more."""
        return cls(hits[:limit], len(hits) > limit or capped, capped)


Finder = Callable[..., SearchResult]  # (user, query, *, limit, offset) -> SearchResult


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: str | Promise
    find: Finder
    order: int = 100


SOURCES: dict[str, SearchSource] = {}


def register_search_source(key: str, label: str | Promise, find: Finder, *, order: int = 100) -> None:
    """Add (or replace) the source `key`: its hits appear under `label` on the search page."""
    SOURCES[key] = SearchSource(key, label, find, order)


def search_sources() -> list[SearchSource]:
    return sorted(SOURCES.values(), key=lambda s: (s.order, s.key))


# Full text at scale: a common word ("lua dao") matches most rows, so a page never asks for all of them
# ordered, nor counts them, nor walks them batch after batch. A bounded number of queries looks from both ends:
#  1. the newest TEXT_WINDOW rows containing every word (the text index, newest first), narrowed by the
#     caller's scope in one query: a hub, who sees nearly everything, is served here;
#  2. when that is not enough, the newest SCOPE_WINDOW rows of each branch of the scope below them (each
#     walked through its own index), checked for the words on the row: someone who sees little, searching a
#     word most rows hold, is served here.
# Every row newer than the shallowest point both walks reached is decided exactly; when the page is not full
# above it, the result says `capped` (more precise words would help) instead of reading on.
TEXT_WINDOW = 400
SCOPE_WINDOW = 500


@dataclass(frozen=True)
class Ranked:
    """Primary keys of matching rows in scope, newest first; `more` when there are more than were returned."""

    ids: list[int]
    more: bool
    capped: bool = False  # the walks stopped at their windows: there may be further matches


def _text_window(model: type[Model], found: list[str], using: str, limit: int) -> list[int]:
    """Primary keys of the newest `limit` rows of `model` containing every word (no scope), descending."""
    index = INDEXES.get(model._meta.label_lower)
    if index is None:
        raise ValueError(f"{model._meta.label} has no search index")
    connection = connections[using]
    indexed = [w for w in found if len(w) >= MIN_INDEXED]
    short = [w for w in found if len(w) < MIN_INDEXED]
    if connection.vendor == "sqlite" and indexed:
        match = fts5_match(indexed)
        # FTS5 walks its doclists in rowid order and stops at the LIMIT: no sort of every match.
        f, t = index.fts_table, index.table
        # The short words, and the longer ones the trigrams only found candidates for, on the rows themselves,
        # in the same walk (the table and its index are ours).
        short += confirmed(indexed)
        conditions = "".join(f" AND {t}.search_text LIKE %s ESCAPE '\\'" for _ in short)
        sql = (
            f"SELECT {f}.rowid FROM {f} JOIN {t} ON {t}.id = {f}.rowid WHERE {f} MATCH %s{conditions} "  # noqa: S608
            f"ORDER BY {f}.rowid DESC LIMIT %s"
        )
        if not short:
            sql = f"SELECT rowid FROM {f} WHERE {f} MATCH %s ORDER BY rowid DESC LIMIT %s"  # noqa: S608
        params: list[Any] = [match, *(f"%{_like_escape(w)}%" for w in short), limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
    # PostgreSQL (or only short words): LIKE on the trigram-indexed column, newest first.
    return list(
        _containing(model._default_manager.using(using).all(), found)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _containing(qs: QuerySet, found: list[str]) -> QuerySet:
    for word in found:
        qs = qs.filter(search_text__contains=word)
    return qs


def _words_condition(found: list[str]) -> Q:
    condition = Q()
    for word in found:
        condition &= Q(search_text__contains=word)
    return condition


def ranked(
    scoped: QuerySet,
    term: str,
    *,
    limit: int,
    offset: int = 0,
    exclude: set[int] | None = None,
    branches: list[QuerySet] | None = None,
) -> Ranked:
    """The newest rows of `scoped` whose text contains every word of `term`, in at most 2 + len(branches) queries.

    `scoped` is the caller's permission-scoped queryset; `branches`, when given, the same scope as a union of
    plain querysets (core.permissions.scope_branches), each walked through its own index in step 2. They only
    ever narrow the candidates. See TEXT_WINDOW and SCOPE_WINDOW."""
    found = words(term)
    if not found:
        return Ranked([], False)
    wanted = offset + limit + 1
    skip = exclude or set()
    text_limit = max(TEXT_WINDOW, wanted)
    window = _text_window(scoped.model, found, scoped.db, text_limit)
    kept: set[int] = set()
    if window:
        kept = set(scoped.filter(pk__in=window).values_list("pk", flat=True)) - skip
    if len(window) < text_limit or len(kept) >= wanted:
        # Every match was looked at, or the page is full with rows newer than any row not looked at.
        return _page(kept, offset, limit, capped=False)
    floor = window[-1]  # every row from `floor` up is decided
    decided_to: int | None = None  # None: every row below `floor` is decided too (each branch read whole)
    condition = ExpressionWrapper(_words_condition(found), output_field=BooleanField())
    scope_limit = max(SCOPE_WINDOW, wanted)
    for branch in branches or [scoped]:
        rows = list(
            branch.filter(pk__lt=floor)
            .order_by("-pk")
            .annotate(search_hit=condition)
            .values_list("pk", "search_hit")[:scope_limit]
        )
        kept.update(pk for pk, hit in rows if hit and pk not in skip)
        if len(rows) == scope_limit:  # this branch holds more below its window
            decided_to = rows[-1][0] if decided_to is None else max(decided_to, rows[-1][0])
    if decided_to is None:
        return _page(kept, offset, limit, capped=False)
    # Rows below `decided_to` may hide newer matches of another branch: keep only what is certain.
    return _page({i for i in kept if i >= decided_to}, offset, limit, capped=True)


def _page(kept: set[int], offset: int, limit: int, *, capped: bool) -> Ranked:
    ids = sorted(kept, reverse=True)
    page = ids[offset : offset + limit]
    if capped and len(ids) > offset + limit:
        capped = False  # the page is full of rows known to be the newest: nothing was missed before them
    return Ranked(page, len(ids) > offset + limit or capped, capped)


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
        f"search_text, content='{t}', content_rowid='id', tokenize='trigram', detail=none)",
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
