"""The server's clock: the only place the server reads the time, so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from consoleapp.store.db import reading

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
        with reading(self.engine) as conn:
            value = conn.execute(sa.select(server_meta.c.value).where(server_meta.c.name == OFFSET)).scalar()
        return float(value) if value is not None else 0.0

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
