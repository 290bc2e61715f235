"""Ranked full-text search of services, on SQLite (FTS5) and PostgreSQL (tsvector).

Both engines stem English words (Porter stemming on SQLite, the "english" configuration on
PostgreSQL), so "walking groups" finds "Walk group" and case never matters. Before it reaches
either engine a search is expanded by thedeal.directory.vocabulary (word forms stemming misses,
the staff's synonyms and compounds, stop words left out), into groups of alternatives that
`_fts5_query` and `_tsquery` write in each engine's own syntax: the site and the feed both search
through here, so they find the same listings. Each service has
one row in `directory_service_search`, kept up to date by `reindex` (called by the signals in
thedeal.directory.signals, and by imports in bulk). Matches weigh the name most, then the
organisation and categories, then the description.

A search on its own is answered from the index table alone (`ranked_ids`, `count`), so neither
the page nor the count joins the services table; equally relevant services keep the index's own
order (FTS5 rowid, or the service id on PostgreSQL), which costs nothing to sort by. Searches
combined with other filters join the services table (`matching`).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import connection
from django.db.models import QuerySet

from thedeal.directory import searchable, vocabulary
from thedeal.directory.models import ServiceArea

TABLE = "directory_service_search"


def create_index_table(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Create the index table for the database in use (called from a migration)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TABLE {TABLE} (service_id uuid PRIMARY KEY, document tsvector NOT NULL)"
        )
        schema_editor.execute(f"CREATE INDEX {TABLE}_document ON {TABLE} USING GIN (document)")
    else:
        # service_id is stored but not searched; "porter unicode61" stems and folds case and
        # accents.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(service_id UNINDEXED, name, keywords, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop_index_table(schema_editor) -> None:  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _db_uuid(value: UUID) -> str:
    # Django stores UUIDs as 32 hex digits on SQLite and as native uuid on PostgreSQL.
    return value.hex if connection.vendor != "postgresql" else str(value)


def reindex(service_ids: Iterable[UUID] | None = None, *, batch_size: int = 2000) -> int:
    """Rebuild the search rows of these services (all services when None). Returns the count."""
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {TABLE} (service_id, document) VALUES (%s, "
            "setweight(to_tsvector('english', %s), 'A') || "
            "setweight(to_tsvector('english', %s), 'B') || "
            "setweight(to_tsvector('english', %s), 'C'))"
        )
    else:
        sql = f"INSERT INTO {TABLE} (service_id, name, keywords, body) VALUES (%s, %s, %s, %s)"
    count = 0
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute(f"DELETE FROM {TABLE}")
            batches: Iterable[list[UUID] | None] = [None]
        else:
            ids = list(service_ids)
            batches = (ids[start : start + batch_size] for start in range(0, len(ids), batch_size))
        for batch in batches:
            if batch is not None:
                marks = ",".join(["%s"] * len(batch))
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE service_id IN ({marks})",
                    [_db_uuid(i) for i in batch],
                )
            rows = [(_db_uuid(i), *text) for i, *text in searchable.documents(batch)]
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])
            count += len(rows)
    vocabulary.changed()
    return count


def remove(service_ids: Iterable[UUID]) -> None:
    ids = [_db_uuid(i) for i in service_ids]
    if ids:
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE service_id IN ({marks})", ids)
        vocabulary.changed()


def _fts5_query(groups: list[vocabulary.Group]) -> str:
    # Each word quoted, so FTS5 treats it as a term and not as an operator (words are letters
    # and digits only); an alternative's words AND, alternatives OR, groups AND.
    return " AND ".join(
        "("
        + " OR ".join("(" + " AND ".join(f'"{w}"' for w in words) + ")" for words in group)
        + ")"
        for group in groups
    )


def _tsquery(groups: list[vocabulary.Group]) -> tuple[str, list[str]]:
    """SQL for the search as a tsquery, and its parameters. plainto_tsquery reads any text
    safely and ANDs its words, leaving stop words out; || is OR, && is AND."""
    sql = " && ".join(
        "(" + " || ".join("plainto_tsquery('english', %s)" for _ in group) + ")" for group in groups
    )
    return f"({sql})", [" ".join(words) for group in groups for words in group]


# A national service (offered across a whole nation: ServiceArea.NATIONAL_CODES) counts as
# matching this much as well as a local one, so that a resident sees the walking groups in the
# borough before a national walking helpline that matches about as well (ranks of services
# that all name the words differ by a few per cent). One that matches far better still leads.
NATIONAL_MATCH = 0.9


def _national_factor() -> str:
    """SQL: NATIONAL_MATCH for a national service in the index table, else 1 (the ONS codes
    are constants, written into the SQL; each match costs one indexed look-up)."""
    codes = " OR ".join(f"a.uri LIKE '%%{code}'" for code in ServiceArea.NATIONAL_CODES)
    return (
        f"(CASE WHEN EXISTS (SELECT 1 FROM {ServiceArea._meta.db_table} a "
        f"WHERE a.service_id = {TABLE}.service_id AND ({codes})) "
        f"THEN {NATIONAL_MATCH} ELSE 1 END)"
    )


# bm25 weights, one per column in table order: service_id, name, keywords, body. Lower is
# better on both engines (bm25 is negative), so the factor above moves a national service down.
_BM25 = f"bm25({TABLE}, 0.0, 10.0, 4.0, 1.0)"


def _bm25() -> str:
    return f"{_BM25} * {_national_factor()}"


def _ts_rank(tsquery: str) -> str:
    # PostgreSQL's ts_rank is "higher is better"; negated so both engines sort ascending.
    return f"-ts_rank({TABLE}.document, {tsquery}) * {_national_factor()}"


def count(text: str) -> int:
    """How many services match the search (every word, or one of its alternatives)."""
    groups = vocabulary.expand(text)
    if not groups:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, params = _tsquery(groups)
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE document @@ {tsquery}", params)
        else:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s", [_fts5_query(groups)]
            )
        return int(cursor.fetchone()[0])


def ranked_ids(text: str, *, offset: int, limit: int) -> list[UUID]:
    """The ids of matching services, best first, one page of them."""
    groups = vocabulary.expand(text)
    if not groups or limit <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, params = _tsquery(groups)
            cursor.execute(
                f"SELECT service_id FROM {TABLE} WHERE document @@ {tsquery} "
                f"ORDER BY {_ts_rank(tsquery)}, service_id LIMIT %s OFFSET %s",
                [*params, *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT service_id FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY {_bm25()}, rowid LIMIT %s OFFSET %s",
            [_fts5_query(groups), limit, offset],
        )
        return [UUID(row[0]) for row in cursor.fetchall()]


def matching(queryset: QuerySet, text: str, *, service_column: str) -> QuerySet:
    """Narrow a queryset to rows whose service matches the search, with a `search_rank`.

    `service_column` is the SQL column holding the service id in the queryset's table (e.g.
    "directory_service"."id"). Lower search_rank is better on both engines, so callers order by
    it ascending, then by search_order: the same order as ranked_ids. `.extra()` is used because
    the match must join the index table in the same query, which the ORM cannot express for a
    virtual FTS5 table.
    """
    groups = vocabulary.expand(text)
    if not groups:
        return queryset.none()
    if connection.vendor == "postgresql":
        tsquery, params = _tsquery(groups)
        return queryset.extra(
            select={"search_rank": _ts_rank(tsquery), "search_order": f"{TABLE}.service_id"},
            select_params=params,
            tables=[TABLE],
            where=[f"{TABLE}.service_id = {service_column}", f"{TABLE}.document @@ {tsquery}"],
            params=params,
        )
    return queryset.extra(
        select={"search_rank": _bm25(), "search_order": f"{TABLE}.rowid"},
        tables=[TABLE],
        where=[f"{TABLE}.service_id = {service_column}", f"{TABLE} MATCH %s"],
        params=[_fts5_query(groups)],
    )


def suggestion(text: str) -> str | None:
    """A better spelling of a search, when one would find more than the search as typed."""
    typed = searchable.words(text)
    if not typed:
        return None
    known = vocabulary.knowledge()
    fixed = [vocabulary.correction(w, known) or w for w in typed]
    if fixed == typed:
        return None
    suggested = " ".join(fixed)
    if count(suggested) > count(text):
        return suggested
    return None
