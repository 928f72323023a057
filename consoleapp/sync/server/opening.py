"""Opening a server's data: the database, the clock, the runner and what runs on them, without
the routes. `create_app` opens it this way, and so do the command line's `admin` commands,
for which building the web application's 151 routes took 0.4 s of each, for pages they never serve."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from datetime import datetime

import sqlalchemy as sa

from consoleapp.store import Store

from . import audience
from .clock import Clock
from .context import Server
from .epoch import ensure_epoch
from .hub import Hub
from .mailer import Mailer
from .runner import Runner
from .settings import Settings
from .tables import event_audience, metadata
from .video.ending import end_old_rooms
from .video.provider import provider_for


def open_server(settings: Settings, wall: Callable[[], datetime] | None = None) -> Server:
    """Open (creating if needed) the data folder, the database and everything that runs on it.

    `wall` replaces the system clock as the source of wall time (a simulation's clock)."""
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    with schema_lock(settings.url):  # worker processes starting together must not race to create tables
        store = Store.open(settings.url, settings.policy, settings.db_pool)
        missing = not sa.inspect(store.engine).has_table(event_audience.name)
        metadata.create_all(store.engine)
        audience.check_rows(store.engine, missing)
        epoch = ensure_epoch(store.engine)
    clock = Clock(store.engine, settings.test_clock, wall)
    hub = Hub()
    server = Server(settings, store, clock, Runner(store, clock, hub), hub, Mailer(settings), epoch,
                    provider_for(settings))
    server.runner.after_commit.append(functools.partial(end_old_rooms, server))
    return server


@contextlib.contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """On PostgreSQL, one process at a time creates the schema (SQLite's file lock does it there)."""
    if not url.startswith("postgresql"):
        yield
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            key = {"name": "consoleapp.schema"}
            conn.execute(sa.text("SELECT pg_advisory_lock(hashtext(:name || current_schema()))"), key)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:name || current_schema()))"), key)
                conn.commit()
    finally:
        engine.dispose()
