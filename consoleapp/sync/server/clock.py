"""The server's clock: the only place the server reads the time, so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from consoleapp.store.db import read_one

from .tables import server_meta

OFFSET = "clock_offset"


class Clock:
    """Wall time, plus an offset that only a test server lets an operator move.

    The offset lives in the database so every worker process sees the same time. `wall` is
    where the wall time comes from: the system clock, or a simulation's own (tests/simulation),
    so a whole server can run on simulated time and replay the same way from a seed.
    """

    def __init__(self, engine: sa.Engine, movable: bool, wall: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.movable = movable
        self.wall = wall or _system_time

    def now(self) -> datetime:
        real = self.wall()
        if not self.movable:
            return real
        return real + timedelta(seconds=self.offset())

    def offset(self) -> float:
        # Read at every call (another worker may have moved it), so a test server reads it two or
        # three times a request: on SQLite through the driver's own cursor, one statement outside
        # any transaction (7 us, where SQLAlchemy's read transaction took 250 us); on PostgreSQL
        # in autocommit, one round trip.
        if self.engine.dialect.name != "sqlite":
            row = read_one(self.engine, sa.select(server_meta.c.value).where(server_meta.c.name == OFFSET))
            return float(row[0]) if row is not None else 0.0
        raw = self.engine.raw_connection()  # autocommit: the store's SQLite connections BEGIN themselves
        try:
            cursor = raw.cursor()
            try:
                cursor.execute("SELECT value FROM server_meta WHERE name = ?", (OFFSET,))
                found = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            raw.close()
        return float(found[0]) if found is not None else 0.0

    def advance(self, seconds: float) -> datetime:
        with self.engine.begin() as conn:
            current = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == OFFSET)).scalar()
            total = (float(current) if current is not None else 0.0) + seconds
            if current is None:
                conn.execute(server_meta.insert().values(name=OFFSET, value=str(total)))
            else:
                conn.execute(server_meta.update().where(server_meta.c.name == OFFSET).values(value=str(total)))
        return self.now()


def _system_time() -> datetime:
    return datetime.now(UTC)
