"""The store writes rows as plain SQL with pre-formatted values; they must be what the schema's
types would have written, or reads, ordering and verify() would drift."""

from __future__ import annotations

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
