"""Engines, transactions and the few statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from . import schema

LOG = "log"  # the counter row that numbers the event log
READ_ONLY = "consoleapp_read_only"  # execution option: a plain (deferred) BEGIN on SQLite
BUSY_TIMEOUT_MS = 10_000

log = logging.getLogger("consoleapp.store")


SQLITE_POOL = 40  # as many as the server's worker threads: an SQLite connection costs a file handle
# PostgreSQL connections a process keeps open (`Settings.db_pool`), and how many more a burst may
# open, each closed when it is handed back. With SQLAlchemy's default pool (5) twenty desktops
# pushing at once made every request beyond the fifth open a connection of its own: a server
# process forked and its caches warmed for one token check, a third of PostgreSQL's CPU per push
# (bench/lock_share.py's postgresql_cpu_ms_per_push: 1.9-2.2 ms, 1.1-1.5 with 20 kept).
PG_POOL = 20
PG_OVERFLOW = 10


def create(url: str, pool: int = PG_POOL) -> sa.Engine:
    if sa.engine.make_url(url).get_backend_name() == "sqlite":
        # Kept open, not opened and closed per request: with the default pool (5) the page
        # threads beyond it each opened a connection and ran the PRAGMAs below every time.
        engine = sa.create_engine(url, pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)
        _sqlite(engine)
        return engine
    engine = sa.create_engine(url, pool_size=pool, max_overflow=PG_OVERFLOW)
    sa.event.listen(engine, "connect", _register_dumped)
    return engine


def _sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would BEGIN late (and DEFERRED); we emit
        # BEGIN ourselves so a writer holds the write lock from its first statement.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # FULL, not WAL's usual NORMAL: a commit that moved money survives a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def begin(conn: sa.Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN: two writers never both read the counter
        # and then fail to upgrade (SQLITE_BUSY mid-transaction, which busy_timeout cannot fix).
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class CommitWatch:
    """SQLite: has any connection committed since the last look? `PRAGMA data_version` on a
    connection of its own answers in microseconds, where reading the log counter takes a pooled
    connection and a transaction; every page asks before it reads the World."""

    def __init__(self, engine: sa.Engine) -> None:
        self._conn = engine.raw_connection()  # never writes, so every commit it sees is another's
        self._lock = threading.Lock()
        self._seen: int | None = None

    def changed(self) -> bool:
        with self._lock:
            cursor = self._conn.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                row = cursor.fetchone()
                version = int(row[0]) if row else -1
            finally:
                cursor.close()
            fresh, self._seen = version != self._seen, version
            return fresh

    def close(self) -> None:
        self._conn.close()


# PostgreSQL advisory lock every write takes: alone (and first) a write that may touch anything,
# shared a write confined to some experts' own records (`writing(local=...)`).
WRITES = "consoleapp.writes"
# A name's advisory lock: a 64-bit hash of the name and the schema the connection writes in.
# Advisory locks belong to the whole database: without the schema, two deployments in two schemas
# of one database (the test suite's, a staging copy) waited on each other's writes, and a global
# write of one queued behind another's open local write stopped the first's local writes too.
# Two names sharing a hash only wait on each other.
_LOCK = "hashtextextended({} || '/' || current_schema(), 0)"


@dataclass(slots=True)
class Ask:
    """A read that goes with a write's locks (`writing(first=..., then=...)`): on PostgreSQL in
    their round trip, where a statement sent alone is a round trip of its own and, back from it, a
    wait for Python's lock behind the worker's other threads. `sql` marks its parameters `?` (as
    `Reader` writes them); `for_update` locks the rows it reads on PostgreSQL (on SQLite the write's
    BEGIN IMMEDIATE has locked the file). `rows` holds the answer once `writing` has yielded."""

    sql: str
    params: tuple[Any, ...]
    for_update: bool = False
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def text(self, dialect: sa.Dialect) -> str:
        sql = self.sql if dialect.paramstyle == "qmark" else self.sql.replace("?", "%s")
        return sql + " FOR UPDATE" if self.for_update and dialect.name == "postgresql" else sql


def ask(conn: sa.Connection, asks: Sequence[Ask]) -> None:
    """Run `asks` in `conn`'s transaction through the driver's cursor, one after the other: on
    SQLite (PostgreSQL sends them with the write's locks, `_lock`)."""
    for a in asks:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(a.text(conn.dialect), a.params)
            a.rows = [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()


@contextmanager
def writing(engine: sa.Engine, before: Callable[[sa.Connection], None] | None = None,
            local: Iterable[str] | None = None, log: LogRead | None = None,
            first: Sequence[Ask] = (), then: Sequence[Ask] = ()) -> Iterator[tuple[sa.Connection, int]]:
    """A write transaction holding the log counter's lock; yields (connection, log length).

    `before` runs in the same transaction before anything is decided: the caller's own reads and
    row locks. On SQLite it runs before the counter is read; on PostgreSQL once the locks are
    taken (a local write's are its own keys', not the counter's).

    `local` (PostgreSQL; ignored on SQLite, where one writer at a time is the file's own rule):
    the keys the write is confined to (`engine.people.own_keys`). It locks only those, with a
    shared hold of the lock every other write holds alone, and yields the log's committed length
    without the counter's lock: the writer takes that only in the round trip that writes its rows
    (`lock_counter_sent`), and holds it to its commit, so writes over different keys decide side by
    side, the log stays in commit order, and a pull's cursor never passes a position committed later.

    `log` (PostgreSQL): the log's events the writer has yet to fold are read in the same round
    trip as the locks and the length (`LogRead.rows`); on SQLite left unread.

    `first`: reads (`Ask`) run before the locks, such as row locks of the caller's own taken in one
    order by every process; `then`: reads run once the locks are held, before the catch-up. On
    PostgreSQL every statement before `before` goes in one round trip (`_lock`): each sent alone was
    a round trip, and, back from it, a wait for Python's lock behind the worker's other threads,
    those after the locks with every other worker's writes waiting."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # In one order in every process (the locks', sorted), so two local writes never wait on each other in a circle.
            length = _lock(conn, None if local is None else sorted(set(local)), log, first, then)
        else:
            ask(conn, first)
        if before is not None:
            before(conn)
        if conn.dialect.name != "postgresql":
            length = lock_counter(conn)
            ask(conn, then)
        yield conn, length


@dataclass(slots=True)
class LogRead:
    """What a write reads of the log with its locks (`writing(log=...)`): the events in
    `spans` ((after, upto] each) and those after `after` up to the committed length, in log order."""

    spans: tuple[tuple[int, int], ...]
    after: int
    rows: list[tuple[int, str, str]] | None = None  # (position, kind, data); None: not read (or more than READ_WITH_LOCKS)


# Events a write reads with its locks at most (`LogRead`): a worker that was idle while others wrote
# more folds them from a cursor, a chunk at a time (`Store._fold_log`), not all at once in memory.
READ_WITH_LOCKS = 5000


def _lock(conn: sa.Connection, keys: list[str] | None, log: LogRead | None = None,
          first: Sequence[Ask] = (), then: Sequence[Ask] = ()) -> int:
    """A write's locks, then the log's committed length, in one round trip: in a pipeline each
    statement still starts once the one before it has ended, so the length is read with the locks
    held. `keys` None: a write of the whole log, which holds alone the lock every write takes, then
    the counter; else a local write's keys, with a shared hold of it. With `log`, the events the
    writer has yet to fold come in the same statement as the length, so in one snapshot. The
    caller's reads (`writing`'s `first` and `then`) go before and after them in the same trip."""
    raw = conn.connection
    cursors = [raw.cursor() for _ in range(3)]
    asked = [raw.cursor() for _ in (*first, *then)]
    try:
        with pipelined(conn):
            for cursor, a in zip(asked, first, strict=False):  # the first of `asked`
                cursor.execute(a.text(conn.dialect), a.params)
            if keys is None:
                cursors[0].execute(f"SELECT pg_advisory_xact_lock({_LOCK.format('%s')})", (WRITES,))
            else:
                cursors[0].execute(f"SELECT pg_advisory_xact_lock_shared({_LOCK.format('%s')})", (WRITES,))
                # Locked in the order of the locks themselves, each once: names sharing one lock keep the rule.
                cursors[1].execute(f"SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT {_LOCK.format('k')} AS h "
                                   "FROM unnest(%s::text[]) AS k ORDER BY h) AS locks", (keys,))
            # A write of the whole log also locks the counter's row, as local writes do to number
            # their events (none runs meanwhile: each holds the shared lock to its commit).
            locking = " FOR UPDATE OF c" if keys is None else ""
            if log is None:
                cursors[2].execute(f"SELECT value FROM {_q(schema.counters.name)} AS c WHERE name = %s{locking}", (LOG,))
            else:
                cursors[2].execute(_log_read(len(log.spans)) + locking,
                                   (*(p for span in log.spans for p in span), log.after, LOG, READ_WITH_LOCKS + 1))
            for cursor, a in zip(asked[len(first):], then, strict=True):
                cursor.execute(a.text(conn.dialect), a.params)
        for cursor, a in zip(asked, (*first, *then), strict=True):
            a.rows = [tuple(row) for row in cursor.fetchall()]
        if log is None:
            row = cursors[2].fetchone()
            assert row is not None, "the log counter's row is missing"
            return int(row[0])
        rows = cursors[2].fetchall()
    finally:
        for cursor in (*cursors, *asked):
            cursor.close()
    assert rows, "the log counter's row is missing"
    if len(rows) <= READ_WITH_LOCKS:
        log.rows = [(position, kind, data) for _, position, kind, data in rows if position is not None]
    return int(rows[0][0])


@cache
def _log_read(spans: int) -> str:
    """The log's length on every row, with the events of `spans` spans and of the tail up to it (none:
    one row, its events' columns null)."""
    within = " OR ".join(['e."position" > %s AND e."position" <= %s'] * spans + ['e."position" > %s AND e."position" <= c.value'])
    return (f'SELECT c.value, e."position", e.kind, e.data FROM {_q(schema.counters.name)} AS c '
            f'LEFT JOIN {_q(schema.events.name)} AS e ON ({within}) WHERE c.name = %s ORDER BY e."position" LIMIT %s')


def committed_length(conn: sa.Connection) -> int:
    """The log's length as last committed, without waiting for a writer that holds the counter."""
    return int(conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == LOG)).scalar_one())


@contextmanager
def reading(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A read transaction that sees one snapshot across all its statements."""
    with engine.connect() as conn:
        options: dict[str, Any] = {READ_ONLY: True}
        if conn.dialect.name == "postgresql":
            options["isolation_level"] = "REPEATABLE READ"
        conn = conn.execution_options(**options)
        with conn.begin():
            yield conn


def read_one(engine: sa.Engine, statement: sa.Executable, params: dict[str, Any] | None = None) -> sa.Row[Any] | None:
    """The first row of one statement that needs no snapshot shared with another. On PostgreSQL it
    runs in autocommit: one round trip, where a read transaction takes three (BEGIN, it, COMMIT);
    every request's token check is one (bench/lock_share.py)."""
    if engine.dialect.name != "postgresql":
        with reading(engine) as conn:
            return conn.execute(statement, params).first()
    with engine.connect() as conn:
        return conn.execution_options(isolation_level="AUTOCOMMIT").execute(statement, params).first()


def lock_counter(conn: sa.Connection) -> int:
    value = conn.exec_driver_sql(lock_counter_sql(conn.dialect), (LOG,)).scalar_one()
    return int(value)


def lock_counter_sent(conn: sa.Connection) -> Callable[[], int]:
    """`lock_counter`, sent now (on PostgreSQL in the pipeline of the statements that follow it, each
    starting once the one before has ended: `pipelined`); the function returned reads the log's length
    once the pipeline has ended. The statements after it that need the length compute it in SQL
    (`past_counter`, `Bound`, `advance_counter`): the counter is then held for one round trip, where
    reading it first to number the rows in Python held it for two, and for the Python in between."""
    cursor = conn.connection.cursor()
    cursor.execute(lock_counter_sql(conn.dialect), (LOG,))

    def length() -> int:
        try:
            row = cursor.fetchone()
            assert row is not None, "the log counter's row is missing"
            return int(row[0])
        finally:
            cursor.close()

    return length


def lock_counter_sql(dialect: sa.Dialect) -> str:
    # FOR UPDATE on PostgreSQL; SQLite is already locked by BEGIN IMMEDIATE.
    locking = " FOR UPDATE" if dialect.name == "postgresql" else ""
    return f"SELECT value FROM {_q(schema.counters.name)} WHERE name = {_placeholder(dialect)}{locking}"


def past_counter(dialect: sa.Dialect) -> str:
    """SQL for the log counter's value plus a number: its parameters are `LOG`, then the number."""
    mark = _placeholder(dialect)
    return f"(SELECT value FROM {_q(schema.counters.name)} WHERE name = {mark}) + {mark}"


def advance_counter(conn: sa.Connection, events: int) -> None:
    """`set_counter` to the log's length plus `events`, as the database holds it (`lock_counter_sent`)."""
    mark = _placeholder(conn.dialect)
    conn.exec_driver_sql(f"UPDATE {_q(schema.counters.name)} SET value = {past_counter(conn.dialect)} "
                         f"WHERE name IN ({mark}, {mark})", (LOG, events, LOG, PROJECTED))


PROJECTED = "projected"  # the log position the projection tables reflect (see `open_world`)


def set_counter(conn: sa.Connection, value: int) -> None:
    """Move the log's end, and with it the position the projections reflect: one statement,
    in the transaction that wrote both, so they differ only if something else wrote the tables."""
    mark = _placeholder(conn.dialect)  # plain SQL: a Core UPDATE pays for its cache key under the counter's lock
    conn.exec_driver_sql(f"UPDATE {_q(schema.counters.name)} SET value = {mark} WHERE name IN ({mark}, {mark})",
                         (value, LOG, PROJECTED))


def ensure_schema(engine: sa.Engine) -> None:
    """Create what is missing; a new database's projections reflect its empty log.

    A table derived from the log (projections, accounts, transfers) missing from a database
    that has a log is left missing: created empty it would look true and be wrong. The store
    sees it missing when it opens, and rebuilds it from the log (`open_world.repair_schema`)."""
    existing = set(sa.inspect(engine).get_table_names())
    keep_missing: set[str] = set()
    if schema.counters.name in existing and schema.events.name in existing:
        keep_missing = {t.name for t in schema.DERIVED} - existing
    schema.metadata.create_all(engine, tables=[t for t in schema.metadata.sorted_tables if t.name not in keep_missing])
    _settle_indexes(engine)
    with engine.begin() as conn:
        fresh = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == LOG)).first() is None
        conn.execute(_insert(conn, schema.counters).values(name=LOG, value=0).on_conflict_do_nothing())
        if fresh:
            conn.execute(_insert(conn, schema.counters).values(name=PROJECTED, value=0).on_conflict_do_nothing())


def _settle_indexes(engine: sa.Engine) -> None:
    """From one catalog read: drop the indexes a former version made that no read needs
    (`schema.RETIRED_INDEXES`), and make an index of the store's tables that is not there (dropped
    by hand, or new in this version): `create_all` makes indexes only with their table, and a read
    it served would scan the whole table from then on (a start reads rare kinds of events by the
    log's index of `schema.START_KINDS`)."""
    found = sa.inspect(engine).get_multi_indexes()
    have_of = {table: {str(i["name"]) for i in indexes} for (_, table), indexes in found.items()}
    retired = set(schema.RETIRED_INDEXES)
    for names in have_of.values():
        for name in sorted(names & retired):
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP INDEX {_q(name)}")
    for table in schema.metadata.sorted_tables:
        have = have_of.get(table.name)
        if have is None:  # a table left missing, to be rebuilt from the log
            continue
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if index.name not in have:
                log.warning("the index %s of the table %s was not found: making it", index.name, table.name)
                index.create(engine)


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    name = conn.dialect.name
    if name == "sqlite":
        return sqlite.insert(table)
    if name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {name}")


def upsert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT DO UPDATE of many rows in one executemany; returns len(rows)."""
    if not rows:
        return 0
    stmt = _insert(conn, table)
    keys = [c.name for c in table.primary_key.columns]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
    )
    conn.execute(stmt, list(rows))
    return len(rows)


def insert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> int:
    if rows:
        conn.execute(sa.insert(table), list(rows))
    return len(rows)


def delete(conn: sa.Connection, table: sa.Table, keys: Sequence[tuple[Any, ...]]) -> int:
    if not keys:
        return 0
    columns = list(table.primary_key.columns)
    for key in keys:
        conn.execute(sa.delete(table).where(*(c == v for c, v in zip(columns, key, strict=True))))
    return len(keys)


# --- the write path: plain SQL and pre-formatted tuples ------------------------------------
#
# The store writes thousands of rows per transaction; SQLAlchemy's per-row parameter
# processing (a dict per row, a bind processor per column, the UTCDateTime decorator) cost
# more than SQLite itself. The statements below are built once per (dialect, table) and fed
# tuples whose values are already what the driver stores: the same text SQLAlchemy's SQLite
# DateTime writes (naive UTC, "YYYY-MM-DD HH:MM:SS.ffffff"), an aware datetime on PostgreSQL.
# Reads still go through the schema's types, so they see exactly what they saw before.


def _placeholder(dialect: sa.Dialect) -> str:
    if dialect.paramstyle == "qmark":
        return "?"
    if dialect.paramstyle in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"the store's write path has no support for paramstyle {dialect.paramstyle}")


def _q(name: str) -> str:
    return f'"{name}"'


@cache
def _statements(dialect_name: str, mark: str, table: sa.Table, columns: tuple[str, ...]) -> tuple[str, str, str]:
    """(INSERT, UPSERT, DELETE-by-key) of `columns` of `table` in one dialect."""
    if dialect_name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect_name}")
    keys = [c.name for c in table.primary_key.columns]
    names = ", ".join(_q(c) for c in columns)
    marks = ", ".join(mark for _ in columns)
    insert = f"INSERT INTO {_q(table.name)} ({names}) VALUES ({marks})"
    updates = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in columns if c not in keys)
    conflict = f" ON CONFLICT ({', '.join(_q(k) for k in keys)}) "
    upsert = insert + conflict + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
    delete = f"DELETE FROM {_q(table.name)} WHERE " + " AND ".join(f"{_q(k)} = {mark}" for k in keys)
    return insert, upsert, delete


def _sql(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...]) -> tuple[str, str, str]:
    dialect = conn.dialect
    return _statements(dialect.name, _placeholder(dialect), table, columns)


def insert_rows(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
    """Plain INSERT of pre-formatted tuples (values in `columns` order), run now: one executemany on
    SQLite. On PostgreSQL one statement that takes each column as an array (`unnest`), a chunk at a
    time (a table rebuilt holds millions): psycopg's executemany sends a statement per row and spends
    tens of microseconds of Python on each, where arrays are bound in C; and unlike COPY, the
    statement can go in a pipeline (`pipelined`). A write's own rows are made ready before it takes
    the log counter instead (`bind_rows`)."""
    if not rows:
        return 0
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql(_sql(conn, table, columns)[0], rows)
        return len(rows)
    statement = _unnest_statement(table, columns, False)
    for start in range(0, len(rows), _UNNEST_ROWS):
        chunk = rows[start:start + _UNNEST_ROWS]
        conn.exec_driver_sql(statement, tuple(list(values) for values in zip(*chunk, strict=True)))
    return len(rows)


_UNNEST_ROWS = 10_000  # rows per statement: bounded memory on both ends when rebuilding a table


@cache
def _unnest_statement(table: sa.Table, columns: tuple[str, ...], upsert: bool, shifted: str | None = None) -> str:
    """`shifted`: a column of log positions the statement moves by how far the log's counter is past
    the write's base, its first parameters (`LOG`, minus the base: `Bound.run`)."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    arrays = ", ".join(f"%b::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
    insert, conflicting, _ = _statements("postgresql", "%s", table, columns)
    head = insert.partition(" VALUES ")[0]
    if shifted is None:
        text = f"{head} SELECT * FROM unnest({arrays})"
    else:
        # The counter's value less the base (`Bound.run` passes it negated). Position 0 is "none" (a
        # caller's row that names no event): it stays 0.
        moved = past_counter(postgresql.dialect())  # type: ignore[no-untyped-call]
        picked = ", ".join(f"u.{_q(c)} + CASE WHEN u.{_q(c)} <> 0 THEN {moved} ELSE 0 END" if c == shifted
                           else f"u.{_q(c)}" for c in columns)
        text = f"{head} SELECT {picked} FROM unnest({arrays}) AS u({', '.join(_q(c) for c in columns)})"
    if upsert:
        text += conflicting[len(insert):]  # the same ON CONFLICT clause as the one-row upsert
    return text


@dataclass(frozen=True, slots=True)
class Bound:
    """One statement's rows made ready before a local write takes the log counter (`bind_rows`):
    under the counter's lock it only runs (`run`). On PostgreSQL the rows are cut into columns and
    each column dumped to PostgreSQL's binary array form beforehand: psycopg dumps a list element
    by element in Python, 4-6 ms of a push's write (bench/lock_share.py's `rows` phase), all of it
    while every other worker's write waited for the counter.

    The column of log positions (if any) holds them as the write decided them, after `base`. On
    PostgreSQL the statement moves them by how far the counter is past `base` when it runs, in SQL:
    a local write sends its rows in the round trip that locks the counter (`lock_counter_sent`),
    without waiting to learn where its events go. SQLite's writes hold the whole file from their
    start: the counter is where they decided."""

    sql: str
    params: list[Any]  # PostgreSQL: a tuple of dumped columns per statement; SQLite: the rows
    shifted: bool  # it has a column of positions
    postgresql: bool

    def run(self, conn: sa.Connection, base: int) -> None:
        if not self.postgresql:
            conn.exec_driver_sql(self.sql, self.params)
            return
        for arrays in self.params:
            conn.exec_driver_sql(self.sql, (LOG, -base, *arrays) if self.shifted else arrays)


def bind_rows(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]],
              upsert: bool = False, shifted: str | None = None) -> Bound | None:
    """`insert_rows`, or with `upsert` INSERT ... ON CONFLICT (primary key) DO UPDATE (each key once),
    made ready now to run later (`Bound`); None for no rows.
    `shifted`: the column holding log positions, moved by `Bound.run`'s shift (0 stays 0)."""
    if not rows:
        return None
    if conn.dialect.name != "postgresql":
        return Bound(_sql(conn, table, columns)[1 if upsert else 0], rows, shifted is not None, False)
    statement = _unnest_statement(table, columns, upsert, shifted)
    dump = _dumping(conn)
    params = [tuple(dump(list(values)) for values in zip(*rows[start:start + _UNNEST_ROWS], strict=True))
              for start in range(0, len(rows), _UNNEST_ROWS)]
    return Bound(statement, params, shifted is not None, True)


def _dumping(conn: sa.Connection) -> Callable[[list[Any]], Any]:
    """A function that dumps a list as psycopg would bound to `%b`, now: its bytes and type, passed
    on as they are when the statement runs (`_Dumped`)."""
    from psycopg.adapt import PyFormat, Transformer

    transformer = Transformer(conn.connection.driver_connection)

    def dump(values: list[Any]) -> _Dumped:
        dumper = transformer.get_dumper(values, PyFormat.BINARY)
        data = dumper.dump(values)
        return _Dumped(bytes(data) if data is not None else None, dumper.oid, dumper.format)

    return dump


class _Dumped:
    """A value psycopg has already dumped, with its type's oid and the form it was dumped in (binary,
    but text for a list of nulls only: psycopg's own choice, as it would make it at `%b`)."""

    __slots__ = ("data", "oid", "format")

    def __init__(self, data: bytes | None, oid: int, format: Any) -> None:
        self.data, self.oid, self.format = data, oid, format


def _register_dumped(dbapi_connection: Any, _record: Any) -> None:
    """Teach a new psycopg connection to pass `_Dumped` values on as they are."""
    from psycopg import pq
    from psycopg.adapt import Dumper

    class DumpedDumper(Dumper):
        format = pq.Format.BINARY

        def get_key(self, obj: Any, format: Any) -> Any:
            return (self.cls, obj.oid, obj.format)  # one dumper per oid and form, as psycopg's list dumpers do

        def upgrade(self, obj: Any, format: Any) -> Dumper:
            dumper = DumpedDumper(self.cls)
            dumper.oid, dumper.format = obj.oid, obj.format
            return dumper

        def dump(self, obj: Any) -> bytes | None:
            return obj.data  # type: ignore[no-any-return]

    dbapi_connection.adapters.register_dumper(_Dumped, DumpedDumper)


@contextmanager
def pipelined(conn: sa.Connection) -> Iterator[None]:
    """On PostgreSQL, the statements of the block go to the server together and their results
    come back at its end (psycopg's pipeline mode): one round trip instead of one each, and
    each round trip under the log counter's lock also waits for Python's lock to come back.
    Only for writes whose results nobody reads inside the block. A no-op on SQLite."""
    if conn.dialect.name != "postgresql":
        yield
        return
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.pipeline():  # type: ignore[union-attr]
            yield
    except dbapi.Error as exc:
        # What failed is only known at the end of the block: raised as SQLAlchemy raises a statement's errors.
        raise sa.exc.DBAPIError.instance("(pipeline)", None, exc, dbapi.Error, dialect=conn.dialect) from exc


def update_rows(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
    """UPDATE by primary key: each row holds the new values of `columns`, then its key (in the
    table's primary-key order). Plain SQL built once: a Core UPDATE pays for its cache key at
    every call, under the log counter's lock where it runs."""
    if rows:
        conn.exec_driver_sql(_update_statement(conn.dialect.name, _placeholder(conn.dialect), table, columns), rows)
    return len(rows)


@cache
def _update_statement(dialect_name: str, mark: str, table: sa.Table, columns: tuple[str, ...]) -> str:
    keys = [c.name for c in table.primary_key.columns]
    assigned = ", ".join(f"{_q(c)} = {mark}" for c in columns)
    return f"UPDATE {_q(table.name)} SET {assigned} WHERE " + " AND ".join(f"{_q(k)} = {mark}" for k in keys)


def add_to_rows(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE adding each value to the row's: sums that
    every write adds to (values in `columns` order, the key's first)."""
    if rows:
        conn.exec_driver_sql(_adding(conn.dialect.name, _placeholder(conn.dialect), table, columns), rows)
    return len(rows)


@cache
def _adding(dialect_name: str, mark: str, table: sa.Table, columns: tuple[str, ...]) -> str:
    insert, upsert, _ = _statements(dialect_name, mark, table, columns)
    keys = [c.name for c in table.primary_key.columns]
    sums = ", ".join(f"{_q(c)} = {_q(table.name)}.{_q(c)} + excluded.{_q(c)}" for c in columns if c not in keys)
    return upsert[:upsert.index(" DO UPDATE SET ")] + f" DO UPDATE SET {sums}"


def delete_rows(conn: sa.Connection, table: sa.Table, keys: list[tuple[Any, ...]]) -> int:
    """DELETE by primary key (values in the table's primary-key order)."""
    if keys:
        columns = tuple(c.name for c in table.columns)
        conn.exec_driver_sql(_sql(conn, table, columns)[2], keys)
    return len(keys)


def time_formatter(dialect: sa.Dialect) -> Callable[[datetime | None], Any]:
    """How a UTCDateTime column's value is passed to this dialect's driver."""
    return _sqlite_time if dialect.name == "sqlite" else _aware_time


def _naive(value: datetime) -> ValueError:
    return ValueError("naive datetimes are not stored; attach a time zone")


_SQLITE_TIMES: dict[datetime, str] = {}  # equal aware datetimes are one instant: one UTC text
_MEMO_SIZE = 8192


def _sqlite_time(value: datetime | None) -> str | None:
    # What UTCDateTime + SQLAlchemy's SQLite DATETIME store: naive UTC, microseconds always.
    # Formatting costs about a microsecond and the events of one command share their times,
    # so the text is memoized (a naive value never equals an aware key, so it still raises).
    if value is None:
        return None
    text = _SQLITE_TIMES.get(value)
    if text is None:
        tz = value.tzinfo
        utc = value
        if tz is not UTC:
            if tz is None or value.utcoffset() is None:
                raise _naive(value)
            utc = value.astimezone(UTC)
        # The UTC text without its "+00:00" (a four-digit year always): a third faster than a naive
        # copy's, where a desktop's first sync formats a million times no memo holds.
        text = utc.isoformat(" ", "microseconds")[:26]
        if len(_SQLITE_TIMES) >= _MEMO_SIZE:
            _SQLITE_TIMES.clear()
        _SQLITE_TIMES[value] = text
    return text


def _aware_time(value: datetime | None) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise _naive(value)
    return value
