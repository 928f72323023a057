"""Engines, transactions and the few statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from . import schema

LOG = "log"  # the counter row that numbers the event log
READ_ONLY = "consoleapp_read_only"  # execution option: a plain (deferred) BEGIN on SQLite
BUSY_TIMEOUT_MS = 10_000


def create(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite(engine)
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


@contextmanager
def writing(engine: sa.Engine) -> Iterator[tuple[sa.Connection, int]]:
    """A write transaction holding the log counter's lock; yields (connection, log length)."""
    with engine.begin() as conn:
        yield conn, lock_counter(conn)


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


def lock_counter(conn: sa.Connection) -> int:
    # FOR UPDATE on PostgreSQL; SQLite ignores it and is already locked by BEGIN IMMEDIATE.
    stmt = sa.select(schema.counters.c.value).where(schema.counters.c.name == LOG).with_for_update()
    value = conn.execute(stmt).scalar_one()
    return int(value)


def set_counter(conn: sa.Connection, value: int) -> None:
    conn.execute(sa.update(schema.counters).where(schema.counters.c.name == LOG).values(value=value))


def ensure_schema(engine: sa.Engine) -> None:
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        stmt = _insert(conn, schema.counters).values(name=LOG, value=0).on_conflict_do_nothing()
        conn.execute(stmt)


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
