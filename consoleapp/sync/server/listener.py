"""Cross-process pokes: on PostgreSQL, LISTEN for the runner's NOTIFYs and poke local streams.

Every write on PostgreSQL sends `pg_notify('consoleapp_pokes', '<position>:<person,person,...>')`
inside its transaction, so the notice arrives only once the change is committed. Each worker
process runs this listener on its own connection and hands every notice to its own hub; the
worker that made the change also hears its own notice, which the streams ignore (a poke at or
below the position a stream has already announced is not sent again).

If the connection drops, the listener reconnects with back-off and then pokes every local
stream once at the current head: a poke lost during the gap costs one pull, never data.
On SQLite (one process) there is nobody to hear from, and `run` returns at once.
"""

from __future__ import annotations

import asyncio
import logging

import sqlalchemy as sa

from consoleapp.store import db, schema
from consoleapp.store.db import reading

from .context import Server
from .hub import CHANNEL

log = logging.getLogger("consoleapp.listener")

FIRST_DELAY = 0.5
MAX_DELAY = 30.0


def conninfo(url: str | sa.URL) -> str:
    """A libpq URL (for psycopg itself) from an SQLAlchemy one such as postgresql+psycopg://..."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def parse(payload: str) -> tuple[int, set[str]] | None:
    """'<position>:<person,person,...>' -> (position, people); None when it is not one of ours."""
    number, sep, people = payload.partition(":")
    if not sep or not number.isdigit():
        return None
    return int(number), {p for p in people.split(",") if p}


def head(server: Server) -> int:
    with reading(server.store.engine) as conn:
        value = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar()
    return int(value or 0)


async def run(server: Server) -> None:
    engine = server.store.engine
    if engine.dialect.name != "postgresql":
        return
    import psycopg  # only PostgreSQL deployments need it

    target = conninfo(engine.url)
    delay = FIRST_DELAY
    connected_before = False
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(target, autocommit=True, connect_timeout=10) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                if connected_before:  # pokes sent while we were away: one catch-up poke for everyone here
                    people = server.hub.people()
                    if people:
                        server.hub.deliver(people, await asyncio.to_thread(head, server))
                    log.info("listening for pokes again")
                connected_before, delay = True, FIRST_DELAY
                async for note in conn.notifies():
                    parsed = parse(note.payload)
                    if parsed is not None:
                        server.hub.deliver(parsed[1], parsed[0])
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database went away: try again, a little later each time
            log.warning("poke listener lost its connection (%s: %s); retrying in %.1f s",
                        type(exc).__name__, exc, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
