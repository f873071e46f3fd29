"""Full-text search of services: one interface over SQLite FTS5 and PostgreSQL full-text search.

Callers use only these functions; the backend is chosen by the database vendor.

- ``service_search(queryset, text)`` narrows a queryset of services to those matching ``text`` and
  annotates ``search_rank`` (higher is better) so callers can order by relevance.
- ``service_search_filter(queryset, text)`` narrows the same way without a rank: cheaper when the
  caller counts or orders by name (the matches are read from the index alone, by id).
- ``published_match_window(text, offset=, limit=)`` counts the published services matching ``text``
  and returns the ids of one page of them by name: what a keyword search's page of results needs,
  without looking up every match (see the function for how).
- ``search_ranks(text, service_ids)`` ranks a short list of services (those near a postcode, say)
  against ``text``: the ids that match, with their rank, and no query that joins or sorts every match.
- ``search_index_update(service_ids)`` refreshes the index rows of those services; the directory's
  services call it whenever a service's searchable text changes.
- ``search_index_rebuild()`` rebuilds the whole index (after bulk loads that bypass the services, such
  as ``directory_generate``), refreshes the database's planner statistics, and returns how many
  services it indexed.

What is indexed: the service's name, description, its organisation's name and the names of the
taxonomy terms the service is tagged with, for every service (published or not: the querysets that
callers pass in decide what the public sees). Names count most, then term names, then the
organisation, then the description.

- SQLite: an FTS5 table (``directory_service_search``, rowid = service id, joined to services on its
  UNINDEXED ``service_id`` column so that the matches are read first) with the Porter stemmer and
  prefix indexes; ranked by ``bm25`` with per-column weights.
- PostgreSQL: a table of weighted ``tsvector`` documents (``english`` configuration) with a GIN index;
  ranked by ``ts_rank``.

What people type is never passed through as query syntax: it is split into words (letters and digits
only), common English words are dropped, and the words are joined with AND; the last word also matches
as a prefix ("swim" finds "swimming"). Quotes, operators, AND/OR/NEAR, ``*`` and very long text
therefore can neither break the query nor make it expensive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import FloatField, Func, Lookup, QuerySet, TextField, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.sql.compiler import SQLCompiler

from commonweal.directory.constants import Publication
from commonweal.directory.models import Attribute, Organization, Service, TaxonomyTerm
from commonweal.directory.models.search import SEARCH_TABLE, ServiceSearchEntry

Services = TypeVar("Services", bound=QuerySet[Service])

MAX_TEXT_CHARS = 500  # of the text people type; the rest is ignored
MAX_WORDS = 8
MAX_WORD_CHARS = 40
MIN_PREFIX_CHARS = 3
UPDATE_CHUNK = 500
# bm25 weights of the FTS5 columns: service id (not text), name, description, organisation, terms.
BM25_WEIGHTS = (0.0, 10.0, 1.0, 3.0, 5.0)
PG_CONFIG = "english"

_WORD = re.compile(r"[^\W_]+")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "near",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


# --- what people typed -------------------------------------------------------------------------


def search_words(text: str) -> list[str]:
    """The words of ``text`` worth searching for, lower-cased, without duplicates, at most MAX_WORDS."""
    words = [word.casefold()[:MAX_WORD_CHARS] for word in _WORD.findall(text[:MAX_TEXT_CHARS])]
    kept = [word for word in words if word not in STOP_WORDS] or words
    return list(dict.fromkeys(kept))[:MAX_WORDS]


def _fts5_query(words: Sequence[str]) -> str:
    parts = [f'"{word}"' for word in words]
    if len(words[-1]) >= MIN_PREFIX_CHARS:
        parts[-1] += "*"
    return " ".join(parts)


def _tsquery(words: Sequence[str]) -> str:
    parts = list(words)
    if len(parts[-1]) >= MIN_PREFIX_CHARS:
        parts[-1] += ":*"
    return " & ".join(parts)


# --- query expressions -------------------------------------------------------------------------


def _table(compiler: SQLCompiler, column: Any) -> str:
    """The (possibly aliased) search table of a resolved ``search_entry__document`` column."""
    if not isinstance(column, Col):
        raise TypeError("full-text expressions apply to the search entry's document column")
    return compiler.quote_name_unless_alias(column.alias)


class FullTextMatch(Lookup[str]):
    """``search_entry__document__fulltext=<query>``: the row matches a query built by this module."""

    lookup_name = "fulltext"

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "sqlite":
            table = _table(compiler, self.lhs)
            return f"{table}.{connection.ops.quote_name(SEARCH_TABLE)} MATCH {rhs_sql}", list(
                rhs_params
            )
        if connection.vendor == "postgresql":
            lhs_sql, lhs_params = self.process_lhs(compiler, connection)
            return (
                f"{lhs_sql} @@ to_tsquery('{PG_CONFIG}'::regconfig, {rhs_sql})",
                [*lhs_params, *rhs_params],
            )
        raise NotImplementedError(f"full-text search is not built for {connection.vendor}")


TextField.register_lookup(FullTextMatch)


class FullTextRank(Func):
    """How well a row matches (higher is better): ``-bm25`` on SQLite, ``ts_rank`` on PostgreSQL."""

    output_field = FloatField()

    def __init__(self, document: Any, query: str) -> None:
        super().__init__(document, Value(query))

    def as_sqlite(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        table = _table(compiler, self.source_expressions[0])
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        return f"(-bm25({table}.{connection.ops.quote_name(SEARCH_TABLE)}, {weights}))", []

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        document_sql, document_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        return (
            f"ts_rank({document_sql}, to_tsquery('{PG_CONFIG}'::regconfig, {query_sql}))",
            [*document_params, *query_params],
        )


def service_search(queryset: Services, text: str) -> Services:
    """Services of ``queryset`` matching every word of ``text``, annotated with ``search_rank``.

    Text with no searchable words (empty, or only punctuation) leaves the queryset as it is, every
    rank 0.
    """
    words = search_words(text or "")
    if not words:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    vendor = connections[queryset.db].vendor
    query = _fts5_query(words) if vendor == "sqlite" else _tsquery(words)
    return queryset.filter(search_entry__document__fulltext=query).annotate(
        search_rank=FullTextRank("search_entry__document", query)
    )


def service_search_filter(queryset: Services, text: str) -> Services:
    """Services of ``queryset`` matching every word of ``text``, with no rank (no join to the index).

    At national scale this counts a common word's 50,000 matches in about half the time of
    ``service_search``: SQLite reads the matching rowids from the full-text index alone instead of
    each match's stored ``service_id``.
    """
    words = search_words(text or "")
    if not words:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        ids = RawSQL(
            f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s", [_fts5_query(words)]
        )
    elif vendor == "postgresql":
        ids = RawSQL(
            f"SELECT service_id FROM {SEARCH_TABLE} "
            f"WHERE document @@ to_tsquery('{PG_CONFIG}'::regconfig, %s)",
            [_tsquery(words)],
        )
    else:
        raise NotImplementedError(f"full-text search is not built for {vendor}")
    return queryset.filter(pk__in=ids)


# A keyword search's page of results by name is found one of two ways. Walking the services'
# (publication, name, id) index in order and keeping the matches reads about
# (offset + limit) x services / matches index rows; sorting reads every match. Walking is chosen when
#     (offset + limit) x services <= WALK_RATIO x matches x matches
# where WALK_RATIO is what sorting costs per match over what walking costs per row, measured at
# 300,000 services: on SQLite a walked row is checked against the matches in memory (about 13 times
# cheaper than sorting a match); on PostgreSQL each walked row is checked in the index table (about
# 2.5 times dearer). A word with 10,000 matches then walks (SQLite 1.5 ms against 12 ms to sort), a
# word with a few hundred sorts.
WALK_RATIO = {"sqlite": 10.0, "postgresql": 1.0}
PUBLISHED = Publication.PUBLISHED.value
NAME_INDEX = "directory_service_pub_name_idx"  # Service.Meta: (publication, name, id)
UNPUBLISHED_INDEX = "directory_service_unpub_ids"  # Service.Meta: id, where not published


def published_match_window(text: str, *, offset: int, limit: int) -> tuple[int, list[int]] | None:
    """How many published services match every word of ``text``, and the ids of the ``limit`` of them
    from ``offset`` on, ordered by name and id (as ``service_list`` orders them).

    None when ``text`` has no searchable words (the caller lists every service instead).

    The count is of the index's matches less the unpublished services among them: the index holds
    exactly one row per service (a trigger or cascade drops it with the service) and unpublished
    services are few, read from their own small index, so no match's service row is read to see
    whether it is published. The page walks the name index or sorts the matches, whichever reads
    less (``WALK_RATIO``), with the plan chosen here rather than by the database's guess at how many
    services match, which is poor for words that come together ("food bank").
    """
    words = search_words(text or "")
    if not words:
        return None
    vendor = connection.vendor
    if vendor == "sqlite":
        return _sqlite_window(_fts5_query(words), offset=offset, limit=limit)
    if vendor == "postgresql":
        return _postgres_window(_tsquery(words), offset=offset, limit=limit)
    raise NotImplementedError(f"full-text search is not built for {vendor}")


def _walk_pays(cursor: Any, *, matches: int, offset: int, limit: int) -> bool:
    """Whether walking the name index reads less than sorting ``matches`` matches (the highest
    service id stands for how many services the index holds)."""
    cursor.execute(f"SELECT max(id) FROM {Service._meta.db_table}")
    services = int(cursor.fetchone()[0] or 0)
    return (offset + limit) * services <= WALK_RATIO[connection.vendor] * matches * matches


def _sqlite_window(query: str, *, offset: int, limit: int) -> tuple[int, list[int]]:
    service = Service._meta.db_table
    matches_sql = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s", [query]
        )
        matches = int(cursor.fetchone()[0])
        if not matches:
            return 0, []
        # The unpublished services come from their partial index, whose condition is repeated
        # exactly (with the value written out): a database uses a partial index only for a query
        # that states its condition.
        cursor.execute(
            f"SELECT count(*) FROM {service} INDEXED BY {UNPUBLISHED_INDEX} "
            f"WHERE NOT (publication = '{PUBLISHED}') AND id IN ({matches_sql})",
            [query],
        )
        total = matches - int(cursor.fetchone()[0])
        if offset >= total:
            return total, []
        if _walk_pays(cursor, matches=total, offset=offset, limit=limit):
            # "+id" keeps SQLite from starting from the matches: it walks the index in order and
            # stops at the page's last row.
            page_sql = (
                f"SELECT id FROM {service} INDEXED BY {NAME_INDEX} WHERE publication = %s "
                f"AND +id IN ({matches_sql}) ORDER BY name, id LIMIT %s OFFSET %s"
            )
        else:
            page_sql = (
                f"SELECT id FROM {service} WHERE publication = %s AND id IN ({matches_sql}) "
                "ORDER BY name, id LIMIT %s OFFSET %s"
            )
        cursor.execute(page_sql, [PUBLISHED, query, limit, offset])
        return total, [int(row[0]) for row in cursor.fetchall()]


# The walk's plan on PostgreSQL: only the name index gives the order without a sort; no parallel
# workers and no JIT compilation, whose start-up costs more than the walk.
WALK_SETTINGS = {"enable_sort": "off", "max_parallel_workers_per_gather": "0", "jit": "off"}


@contextmanager
def _postgres_planner(cursor: Any, settings: dict[str, str]) -> Iterator[None]:
    """PostgreSQL planner settings for the queries inside, put back as they were afterwards, so a
    caller's longer transaction plans its other queries as usual. Inside ``transaction.atomic``: an
    error rolls the settings back with the rest."""
    if not settings:
        yield
        return
    names = list(settings)
    cursor.execute("SELECT " + ", ".join("current_setting(%s)" for _ in names), names)
    before = cursor.fetchone()
    assignments = ", ".join("set_config(%s, %s, true)" for _ in names)
    cursor.execute(f"SELECT {assignments}", [v for name in names for v in (name, settings[name])])
    yield
    cursor.execute(
        f"SELECT {assignments}",
        [v for name, old in zip(names, before, strict=True) for v in (name, old)],
    )


def _postgres_window(query: str, *, offset: int, limit: int) -> tuple[int, list[int]]:
    service = Service._meta.db_table
    match = f"e.document @@ to_tsquery('{PG_CONFIG}'::regconfig, %s)"
    with transaction.atomic(), connection.cursor() as cursor:
        # The unpublished services come from their partial index, as on SQLite.
        cursor.execute(
            f"SELECT count(*) FROM {SEARCH_TABLE} e WHERE {match} AND NOT EXISTS ("
            f"SELECT FROM {service} s WHERE s.id = e.service_id "
            f"AND NOT (s.publication = '{PUBLISHED}'))",
            [query],
        )
        total = int(cursor.fetchone()[0])
        if offset >= total:
            return total, []
        if _walk_pays(cursor, matches=total, offset=offset, limit=limit):
            page_sql = (
                f"SELECT s.id FROM {service} s WHERE s.publication = %s AND EXISTS ("
                f"SELECT FROM {SEARCH_TABLE} e WHERE e.service_id = s.id AND {match}) "
                "ORDER BY s.name, s.id LIMIT %s OFFSET %s"
            )
            planner = WALK_SETTINGS
        else:
            # "OFFSET 0" keeps the matches a subquery of their own, found from the full-text index
            # first; only they are sorted.
            page_sql = (
                "SELECT m.id FROM ("
                f"SELECT s.id, s.name FROM {SEARCH_TABLE} e JOIN {service} s ON s.id = e.service_id "
                f"WHERE s.publication = %s AND {match} OFFSET 0"
                ") AS m ORDER BY m.name, m.id LIMIT %s OFFSET %s"
            )
            planner = {}
        with _postgres_planner(cursor, planner):
            cursor.execute(page_sql, [PUBLISHED, query, limit, offset])
            ids = [int(row[0]) for row in cursor.fetchall()]
        return total, ids


def search_ranks(text: str, service_ids: Sequence[int]) -> dict[int, float]:
    """``{service id: rank}`` for those of ``service_ids`` that match every word of ``text``.

    For a short list (the services near a point), instead of joining the index to the services
    and sorting every match: PostgreSQL looks the list's rows up by id; SQLite reads the word's
    matches in one pass inside the index and ranks only the list's. Text with no searchable words
    matches every id, each ranked 0.
    """
    words = search_words(text or "")
    if not words:
        return dict.fromkeys(service_ids, 0.0)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            # FTS5 reads the word's matches from the index in one pass, and "+rowid" keeps the
            # list out of that pass (FTS5 would otherwise look each id up on its own, far slower),
            # so bm25 is worked out only for the matches in the list. At 300,000 services, a word
            # with 50,000 matches and a list of 180: 6 ms, against 52 ms to rank every match.
            weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
            cursor.execute(
                f"SELECT rowid, -bm25({SEARCH_TABLE}, {weights}) FROM {SEARCH_TABLE} "
                f"WHERE {SEARCH_TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
                [_fts5_query(words), json.dumps([int(pk) for pk in service_ids])],
            )
            return {int(pk): float(rank) for pk, rank in cursor.fetchall()}
        if vendor == "postgresql":
            query = _tsquery(words)
            cursor.execute(
                f"SELECT service_id, ts_rank(document, to_tsquery('{PG_CONFIG}'::regconfig, %s)) "
                f"FROM {SEARCH_TABLE} WHERE service_id = ANY(%s) "
                f"AND document @@ to_tsquery('{PG_CONFIG}'::regconfig, %s)",
                [query, [int(pk) for pk in service_ids], query],
            )
            return {int(pk): float(rank) for pk, rank in cursor.fetchall()}
    raise NotImplementedError(f"full-text search is not built for {vendor}")


# --- keeping the index current -----------------------------------------------------------------


def _source_sql(service_content_type: int, where: str) -> tuple[str, dict[str, str]]:
    """SELECT of (id, name, description, organisation name, term names) of services, per ``where``."""
    names = {
        "service": Service._meta.db_table,
        "organization": Organization._meta.db_table,
        "attribute": Attribute._meta.db_table,
        "term": TaxonomyTerm._meta.db_table,
    }
    sql = (
        "SELECT {lead}s.id, s.name, s.description, o.name, "
        "COALESCE((SELECT {concat} FROM {attribute} a JOIN {term} t ON t.id = a.taxonomy_term_id "
        f"WHERE a.link_content_type_id = {int(service_content_type)} AND a.link_object_id = s.id), '') "
        "FROM {service} s JOIN {organization} o ON o.id = s.organization_id " + where
    )
    return sql, names


def _write(cursor: Any, vendor: str, where: str, params: Sequence[Any]) -> None:
    content_type = ContentType.objects.get_for_model(Service).pk
    sql, names = _source_sql(content_type, where)
    if vendor == "sqlite":
        select = sql.format(lead="s.id, ", concat="group_concat(t.name, ' ')", **names)
        cursor.execute(
            f"INSERT INTO {SEARCH_TABLE} (rowid, service_id, name, description, organization, terms) "
            + select,
            params,
        )
        return
    select = sql.format(lead="", concat="string_agg(t.name, ' ')", **names)
    document = (
        f"setweight(to_tsvector('{PG_CONFIG}', src.name), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', src.terms), 'B') || "
        f"setweight(to_tsvector('{PG_CONFIG}', src.organization), 'C') || "
        f"setweight(to_tsvector('{PG_CONFIG}', src.description), 'D')"
    )
    cursor.execute(
        f"INSERT INTO {SEARCH_TABLE} (service_id, document) "
        f"SELECT src.id, {document} FROM ({select}) AS src (id, name, description, organization, terms) "
        "ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document",
        params,
    )


def search_index_update(service_ids: Iterable[int]) -> None:
    """Refresh the index rows of these services (and drop the rows of any that no longer exist)."""
    ids = sorted({int(pk) for pk in service_ids})
    if not ids:
        return
    vendor = connection.vendor
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), UPDATE_CHUNK):
            chunk = ids[start : start + UPDATE_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            key = "rowid" if vendor == "sqlite" else "service_id"
            cursor.execute(f"DELETE FROM {SEARCH_TABLE} WHERE {key} IN ({marks})", chunk)
            _write(cursor, vendor, f"WHERE s.id IN ({marks})", chunk)


def search_index_rebuild() -> int:
    """Index every service afresh; returns how many services the index now holds."""
    vendor = connection.vendor
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SEARCH_TABLE}")
        _write(cursor, vendor, "", [])
        if vendor == "sqlite":
            cursor.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('optimize')")
    # Fresh statistics after a bulk load. Without them SQLite's planner takes "publication =
    # 'published'" for a narrow filter and reads every published service instead of the few near a
    # postcode (measured at 300,000 services: 200 ms without, 30 ms with).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ServiceSearchEntry.objects.count()
