"""The store's schema as numbered migrations, recorded in ``schema_migrations``.

Each migration is a version number, a name and a list of SQL statements. ``migrate`` applies
the ones a database lacks, in order, each in its own transaction together with its row in
``schema_migrations``, so a database is always at a whole version. Never edit a released
migration: add a new one. Column meanings are documented in docs/store.md.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import duckdb

__all__ = [
    "Migration",
    "MIGRATIONS",
    "LATEST_VERSION",
    "DYAD_DAYS_SELECT",
    "PAIR_DAYS_SELECT",
    "ACTOR_DAYS_SELECT",
    "ACTOR_KINDS_SELECT",
    "SUMMARY_BACKFILL",
    "ACTOR_KEYS_SELECT",
    "ACTOR_KEYS_BACKFILL",
    "UNDATED",
    "migrate",
    "schema_version",
    "utcnow",
]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its version, a short name and the statements that make it."""

    version: int
    name: str
    statements: tuple[str, ...]


_V1 = (
    """
    CREATE TABLE articles (
        article_id   VARCHAR PRIMARY KEY,
        doc_id       VARCHAR NOT NULL,
        title        VARCHAR NOT NULL DEFAULT '',
        text         VARCHAR NOT NULL,
        date         DATE,
        url          VARCHAR,
        source       VARCHAR,
        language     VARCHAR,
        minhash      BLOB,
        duplicate_of VARCHAR,
        similarity   DOUBLE,
        n_events     INTEGER NOT NULL DEFAULT 0,
        seq          BIGINT NOT NULL,
        ingested_at  TIMESTAMP NOT NULL
    )
    """,
    "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
    """
    CREATE TABLE article_bands (
        hash       BIGINT NOT NULL,
        article_id VARCHAR NOT NULL
    )
    """,
    "CREATE INDEX article_bands_hash ON article_bands (hash)",
    """
    CREATE TABLE events (
        event_id       VARCHAR PRIMARY KEY,
        article_id     VARCHAR NOT NULL,
        cluster_id     VARCHAR NOT NULL,
        event_key      VARCHAR NOT NULL,
        doc_id         VARCHAR NOT NULL,
        event_type     VARCHAR NOT NULL,
        mode           VARCHAR,
        context        VARCHAR,
        cameo          VARCHAR,
        goldstein      DOUBLE,
        quad_class     TINYINT,
        modality       VARCHAR NOT NULL,
        date           VARCHAR,
        date_precision VARCHAR,
        day            DATE,
        location       VARCHAR,
        sentence       VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        span_start     INTEGER NOT NULL,
        span_end       INTEGER NOT NULL,
        trigger        VARCHAR NOT NULL,
        rule           VARCHAR NOT NULL,
        confidence     DOUBLE NOT NULL,
        mentions       INTEGER NOT NULL,
        source_codes   VARCHAR NOT NULL,
        target_codes   VARCHAR NOT NULL,
        sources        JSON NOT NULL,
        targets        JSON NOT NULL,
        attribution    JSON,
        quantity       JSON,
        ingested_at    TIMESTAMP NOT NULL
    )
    """,
    "CREATE INDEX events_cluster_key ON events (cluster_id, event_key)",
    "CREATE INDEX events_day ON events (day)",
    """
    CREATE TABLE event_actors (
        event_id VARCHAR NOT NULL,
        role     VARCHAR NOT NULL CHECK (role IN ('source', 'target')),
        position SMALLINT NOT NULL,
        code     VARCHAR NOT NULL,
        country  VARCHAR,
        sector   VARCHAR,
        org      VARCHAR,
        name     VARCHAR,
        text     VARCHAR NOT NULL,
        PRIMARY KEY (event_id, role, position)
    )
    """,
    "CREATE INDEX event_actors_code ON event_actors (code)",
    """
    CREATE TABLE event_mentions (
        event_id   VARCHAR NOT NULL,
        article_id VARCHAR NOT NULL,
        mentions   INTEGER NOT NULL,
        PRIMARY KEY (event_id, article_id)
    )
    """,
    """
    CREATE TABLE ingest_errors (
        source VARCHAR NOT NULL,
        kind   VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        seen_at TIMESTAMP NOT NULL,
        PRIMARY KEY (source, kind, reason)
    )
    """,
    """
    CREATE TABLE ingest_files (
        path        VARCHAR PRIMARY KEY,
        size        BIGINT,
        mtime       DOUBLE,
        articles    INTEGER NOT NULL,
        problems    INTEGER NOT NULL,
        finished_at TIMESTAMP NOT NULL
    )
    """,
)

#: dyad_days rows (src_key, tgt_key, day, events, q1..q4, goldstein_sum, goldstein_n) computed
#: from events and event_actors, for the events ``{where}`` keeps (an SQL condition on ``e``,
#: "TRUE" for all). Keys are DuckDB's ``upper`` of each actor's code, country and org: exactly
#: what ``dyad_series`` matched on before this table. An event counts once per distinct
#: (source key, target key) pair with different keys; events without a day are left out;
#: mentions do not weight events. Shared by the migration (backfill), the writer and the
#: query-scale benchmark.
DYAD_DAYS_SELECT = """
    WITH keys AS (
        SELECT DISTINCT ea.event_id, ea.role, upper(u.k) AS k
        FROM event_actors ea, unnest([ea.code, ea.country, ea.org]) AS u(k)
        WHERE u.k IS NOT NULL
    )
    SELECT s.k AS src_key, t.k AS tgt_key, e.day,
           count(*) AS events,
           count(*) FILTER (WHERE e.quad_class = 1) AS q1,
           count(*) FILTER (WHERE e.quad_class = 2) AS q2,
           count(*) FILTER (WHERE e.quad_class = 3) AS q3,
           count(*) FILTER (WHERE e.quad_class = 4) AS q4,
           coalesce(sum(e.goldstein), 0) AS goldstein_sum,
           count(e.goldstein) AS goldstein_n
    FROM events e
    JOIN keys s ON s.event_id = e.event_id AND s.role = 'source'
    JOIN keys t ON t.event_id = e.event_id AND t.role = 'target'
    WHERE e.day IS NOT NULL AND s.k <> t.k AND ({where})
    GROUP BY s.k, t.k, e.day
"""

_V2 = (
    """
    CREATE TABLE dyad_days (
        src_key       VARCHAR NOT NULL,
        tgt_key       VARCHAR NOT NULL,
        day           DATE NOT NULL,
        events        INTEGER NOT NULL,
        q1            INTEGER NOT NULL,
        q2            INTEGER NOT NULL,
        q3            INTEGER NOT NULL,
        q4            INTEGER NOT NULL,
        goldstein_sum DOUBLE NOT NULL,
        goldstein_n   INTEGER NOT NULL,
        PRIMARY KEY (src_key, tgt_key, day)
    )
    """,
    # Sorted by key so that row-group min/max zone maps skip all but the pair asked for.
    "INSERT INTO dyad_days "
    + DYAD_DAYS_SELECT.format(where="TRUE")
    + " ORDER BY src_key, tgt_key, day",
)

#: The ``day`` under which ``pair_days`` and ``actor_days`` file events that have none
#: (primary-key columns cannot be NULL). Later than every real day, so the analyses leave it
#: out of any date range with ``day BETWEEN since AND until`` and keep it when none is given.
UNDATED = "DATE 'infinity'"

#: (event, source code, target code) with different codes, once each (what the analyses'
#: old ``PAIRS_SQL`` joined), for the events ``{where}`` keeps (a condition on ``e``).
_PAIRS = f"""
    SELECT DISTINCT e.event_id, s.code AS src, t.code AS tgt,
           coalesce(e.day, {UNDATED}) AS day, e.quad_class, e.goldstein
    FROM events e
    JOIN event_actors s ON s.event_id = e.event_id AND s.role = 'source'
    JOIN event_actors t ON t.event_id = e.event_id AND t.role = 'target'
    WHERE s.code <> t.code AND ({{where}})
"""

#: pair_days rows (src_code, tgt_code, day, events, q1..q4, goldstein_sum, goldstein_n):
#: the relations graph's and trends' pairs summed per directed pair of codes (exact codes,
#: case kept, as the graph shows them) and day. Undated events are filed under ``UNDATED``.
#: Shared by the migration (backfill), the writer and the query-scale benchmark.
PAIR_DAYS_SELECT = (
    "WITH pairs AS ("
    + _PAIRS
    + """)
    SELECT src AS src_code, tgt AS tgt_code, day,
           count(*) AS events,
           count(*) FILTER (WHERE quad_class = 1) AS q1,
           count(*) FILTER (WHERE quad_class = 2) AS q2,
           count(*) FILTER (WHERE quad_class = 3) AS q3,
           count(*) FILTER (WHERE quad_class = 4) AS q4,
           coalesce(sum(goldstein), 0) AS goldstein_sum,
           count(goldstein) AS goldstein_n
    FROM pairs
    GROUP BY src, tgt, day
"""
)

#: actor_days rows (code, day, events): per code and day, the distinct events in which the
#: code is the source or the target of a pair above (the graph's node sizes).
ACTOR_DAYS_SELECT = (
    "WITH pairs AS ("
    + _PAIRS
    + """),
    involved AS (
        SELECT src AS code, event_id, day FROM pairs
        UNION
        SELECT tgt AS code, event_id, day FROM pairs
    )
    SELECT code, day, count(*) AS events
    FROM involved
    GROUP BY code, day
"""
)

#: actor_kinds rows (code, is_org, is_country, has_name) over the event_actors rows
#: ``{where}`` keeps (a condition on ``ea``): whether any mention of the code was the
#: organisation itself, the country itself, or a named person. The graph's node kind is the
#: first that holds (org, country, person, else other); flags only ever turn on.
ACTOR_KINDS_SELECT = """
    SELECT ea.code,
           bool_or(ea.org IS NOT NULL AND ea.org = ea.code) AS is_org,
           bool_or(ea.country IS NOT NULL AND ea.country = ea.code) AS is_country,
           bool_or(ea.name IS NOT NULL) AS has_name
    FROM event_actors ea
    WHERE ({where})
    GROUP BY ea.code
"""

#: Fill the migration-3 tables from every stored event, sorted by day (then codes) so that
#: the row-group zone maps skip the days outside a query's range.
SUMMARY_BACKFILL: tuple[str, ...] = (
    "INSERT INTO pair_days "
    + PAIR_DAYS_SELECT.format(where="TRUE")
    + " ORDER BY day, src_code, tgt_code",
    "INSERT INTO actor_days " + ACTOR_DAYS_SELECT.format(where="TRUE") + " ORDER BY day, code",
    "INSERT INTO actor_kinds " + ACTOR_KINDS_SELECT.format(where="TRUE") + " ORDER BY code",
)

_V3 = (
    """
    CREATE TABLE pair_days (
        src_code      VARCHAR NOT NULL,
        tgt_code      VARCHAR NOT NULL,
        day           DATE NOT NULL,
        events        INTEGER NOT NULL,
        q1            INTEGER NOT NULL,
        q2            INTEGER NOT NULL,
        q3            INTEGER NOT NULL,
        q4            INTEGER NOT NULL,
        goldstein_sum DOUBLE NOT NULL,
        goldstein_n   INTEGER NOT NULL,
        PRIMARY KEY (src_code, tgt_code, day)
    )
    """,
    """
    CREATE TABLE actor_days (
        code   VARCHAR NOT NULL,
        day    DATE NOT NULL,
        events INTEGER NOT NULL,
        PRIMARY KEY (code, day)
    )
    """,
    """
    CREATE TABLE actor_kinds (
        code       VARCHAR PRIMARY KEY,
        is_org     BOOLEAN NOT NULL,
        is_country BOOLEAN NOT NULL,
        has_name   BOOLEAN NOT NULL
    )
    """,
    *SUMMARY_BACKFILL,
)

#: actor_keys rows (event_id, role, key) for the event_actors rows ``{where}`` keeps (a
#: condition on ``ea``, applied before the unnest so the writer reads only its new rows): each
#: distinct DuckDB ``upper`` of an actor's code, country and org, what the events filters
#: ``actor``/``source``/``target`` match on.
ACTOR_KEYS_SELECT = """
    SELECT DISTINCT ea.event_id, ea.role, upper(u.k) AS key
    FROM (SELECT * FROM event_actors ea WHERE {where}) ea,
         unnest([ea.code, ea.country, ea.org]) AS u(k)
    WHERE u.k IS NOT NULL
"""

#: Fill ``actor_keys`` from every stored actor, sorted by key so that row-group min/max zone
#: maps skip all but the key asked for.
ACTOR_KEYS_BACKFILL = (
    "INSERT INTO actor_keys "
    + ACTOR_KEYS_SELECT.format(where="TRUE")
    + " ORDER BY key, role, event_id"
)

_V4 = (
    """
    CREATE TABLE actor_keys (
        event_id VARCHAR NOT NULL,
        role     VARCHAR NOT NULL,
        key      VARCHAR NOT NULL
    )
    """,
    ACTOR_KEYS_BACKFILL,
)

#: Where each event happened, resolved by the place gazetteer (``polybius.places``): the
#: country (ISO alpha-3) and a point. Events stored before have none; ``polybius ingest``
#: of the same articles again does not recode them (articles are idempotent), so they stay
#: NULL until re-ingested into a fresh store.
_V5 = (
    "ALTER TABLE events ADD COLUMN location_country VARCHAR",
    "ALTER TABLE events ADD COLUMN location_lat DOUBLE",
    "ALTER TABLE events ADD COLUMN location_lon DOUBLE",
)

#: Every migration, oldest first. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "dyad_days summary table", _V2),
    Migration(3, "pair_days, actor_days and actor_kinds summary tables", _V3),
    Migration(4, "actor_keys filter table", _V4),
    Migration(5, "events: resolved place (country, latitude, longitude)", _V5),
)
LATEST_VERSION: int = MIGRATIONS[-1].version

_CREATE_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, or 0 for an empty database."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the database lacks; return the versions applied."""
    con.execute(_CREATE_MIGRATIONS)
    done = {int(r[0]) for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in migration.statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, utcnow()],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def utcnow() -> _dt.datetime:
    """The current UTC time as a naive timestamp (how the store keeps every time)."""
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None)
