"""The store writes rows as plain SQL with pre-formatted values; they must be what the schema's
types would have written, or reads, ordering and verify() would drift."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from consoleapp.store import codec, db, schema

TIMES = [
    datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    datetime(2026, 3, 2, 9, 0, 5, 123, tzinfo=timezone(timedelta(hours=2))),
    datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=-7, minutes=-30))),
    datetime(5, 1, 1, tzinfo=UTC),
]


@pytest.mark.parametrize("moment", TIMES)
def test_sqlite_time_text_is_what_utcdatetime_binds(moment: datetime) -> None:
    dialect = sqlite.dialect()
    bind = schema.UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert bind is not None
    format_time = db.time_formatter(dialect)
    assert format_time(moment) == bind(moment)
    assert format_time(moment) == bind(moment)  # the memoized answer too


def test_naive_times_are_refused_on_both_dialects() -> None:
    naive = datetime(2026, 3, 2, 9, 0)
    for dialect in (sqlite.dialect(), _pg_dialect()):
        with pytest.raises(ValueError, match="naive"):
            db.time_formatter(dialect)(naive)
        assert db.time_formatter(dialect)(None) is None


def _pg_dialect() -> Dialect:
    dialect: Dialect = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
    return dialect


def test_memoized_isoformat_keeps_each_zone() -> None:
    utc = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    plus_two = utc.astimezone(timezone(timedelta(hours=2)))
    assert utc == plus_two
    enc = codec.encoder(datetime)
    assert enc(utc) == utc.isoformat()
    assert enc(plus_two) == plus_two.isoformat() != utc.isoformat()
    assert enc(utc) == utc.isoformat()


def test_insert_and_upsert_rows_keep_every_value_and_fail_as_sqlalchemy_does(url: str) -> None:
    """`db.insert_rows` and `db.bind_rows(upsert=True)` take each column as an array on PostgreSQL and use
    executemany on SQLite: the same rows come back (tabs, newlines, quotes, backslashes, NULLs,
    aware times, an upsert's new values), and a duplicate key is SQLAlchemy's IntegrityError
    with nothing of the transaction kept, inside a pipeline (`db.pipelined`) too."""
    import sqlalchemy as sa

    engine = db.create(url)  # its PostgreSQL connections pass on what `bind_rows` dumped
    meta = sa.MetaData()
    table = sa.Table("rows_check", meta, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("at", schema.UTCDateTime), sa.Column("text", sa.String(60)))
    meta.create_all(engine)
    at = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    odd = 'tab\there\nnew line "quoted" back\\slash \\N {é}'
    columns = ("id", "at", "text")
    try:
        with engine.begin() as conn:
            time = db.time_formatter(conn.dialect)
            assert db.insert_rows(conn, table, columns, [(1, time(at), odd), (2, None, None)]) == 2
            with db.pipelined(conn):
                bound = db.bind_rows(conn, table, columns, [(2, time(at), "now"), (4, None, None)], upsert=True)
                assert bound is not None
                bound.run(conn, 0)
        for pipelined in (False, True):
            with (pytest.raises(sa.exc.IntegrityError), engine.begin() as conn,
                  db.pipelined(conn) if pipelined else contextlib.nullcontext()):
                db.insert_rows(conn, table, columns, [(3, None, "kept?"), (1, None, "again")])
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id))]
        assert rows == [(1, at, odd), (2, at, "now"), (4, None, None)]
    finally:
        meta.drop_all(engine)
        engine.dispose()


def test_a_postgresql_process_keeps_its_connections_through_bursts_of_requests(pg_url: str) -> None:
    """Twelve requests at once, three times: the connections of the first burst are kept open for the
    next (`db.create(pool=...)`); with SQLAlchemy's pool of five, seven were opened again at every burst."""
    import threading

    import sqlalchemy as sa

    engine = db.create(pg_url, pool=12)
    opened: list[object] = []
    sa.event.listen(engine, "connect", lambda dbapi, _record: opened.append(dbapi))
    at_once = threading.Barrier(12)

    def request() -> None:
        with engine.connect() as conn:
            at_once.wait(20)  # all twelve hold a connection together
            conn.execute(sa.text("SELECT 1"))

    try:
        for burst in range(3):
            threads = [threading.Thread(target=request) for _ in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(opened) == 12, f"burst {burst}: {len(opened)} connections opened in all"
        assert engine.pool.checkedin() == 12  # type: ignore[attr-defined]
    finally:
        engine.dispose()
