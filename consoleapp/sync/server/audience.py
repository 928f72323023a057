"""Who may see an event: every query and every pull is scoped to the caller (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import sqlalchemy as sa

from consoleapp.engine import World, evolve
from consoleapp.engine import events as e
from consoleapp.engine.ledger import Transfer
from consoleapp.engine.people import PERSONAL_EVENTS
from consoleapp.engine.settlement import sees_stars
from consoleapp.store import db, schema
from consoleapp.store.open_world import logged

from .tables import event_audience

log = logging.getLogger("consoleapp.server")


def audience(world: World, ev: e.Event) -> set[str]:
    """The people an event concerns, judged on the world after the event was folded."""
    if isinstance(ev, Transfer):
        return {a.split(":", 1)[1] for a in (ev.debit, ev.credit) if a.startswith(("customer:", "expert:"))}
    if isinstance(ev, e.NotificationQueued):
        return {ev.recipient} if ev.recipient != "operators" else set()
    if isinstance(ev, PERSONAL_EVENTS):
        return {ev.ref}
    if isinstance(ev, e.SlotAdded | e.SlotMoved | e.SlotRemoved):
        return {ev.actor}
    if isinstance(ev, e.ReviewWritten):
        return {ev.customer, ev.expert}
    if isinstance(ev, e.PayoutMade | e.PayoutWithheld):
        return {ev.expert}
    m = world.meetings.get(ev.ref)
    if isinstance(ev, e.RatingGiven):
        return {p for p in (m.customer, m.expert) if sees_stars(m, p)} if m is not None else set()  # R27
    if m is not None:
        return {m.expert, m.customer}
    cl = world.claims.get(ev.ref)
    if cl is not None:
        return {cl.customer, cl.expert}
    g = world.group_events.get(ev.ref)
    if g is not None:
        return {g.expert, *(r.customer for r in g.registrations)}
    return set()  # operator-only: payout runs, flags


# --- when the table cannot be trusted ------------------------------------------------------------

AUDIENCE_COLUMNS = ("person", "position")
_CHUNK = 10_000  # rows inserted at a time while rebuilding


def check_rows(engine: sa.Engine, missing: bool) -> None:
    """Rebuild `event_audience` from the log when it was missing (then created empty) or is empty
    while the log holds events: every pull reads through it, and an empty one would answer
    every desktop "nothing new", silently. Called at start, before anything serves.

    A log whose events concern nobody yet (an operator's account, on a new server) leaves it
    empty rightly: replayed, it gives no row, and nothing is said."""
    with engine.connect() as conn:
        length = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar()
        if not length:
            return
        if not missing and conn.execute(sa.select(event_audience.c.position).limit(1)).first() is not None:
            return
    if missing:
        log.warning("rebuilding event_audience from the log: event_audience is missing")
    started = time.monotonic()
    written = rebuild_rows(engine)
    if missing or written:
        log.warning("rebuilt event_audience from the log (it was %s): %d rows from %d events in %.1f s",
                    "missing" if missing else "empty", written, length, time.monotonic() - started)


def _replayed(conn: sa.Connection) -> Iterator[tuple[str, int]]:
    """Every (person, position) a replay of the whole log gives, in log order."""
    world = World()
    for position, ev in logged(conn):
        evolve(world, ev)
        for person in audience(world, ev):
            yield person, position


def rebuild_rows(engine: sa.Engine) -> int:
    """Replay the whole log and write each event's audience again, holding the log counter's lock
    (no write comes in between); returns the rows written."""
    written = 0
    with db.writing(engine) as (conn, _length):
        conn.execute(sa.delete(event_audience))
        rows: list[tuple[str, int]] = []
        for row in _replayed(conn):
            rows.append(row)
            if len(rows) >= _CHUNK:
                written += db.insert_rows(conn, event_audience, AUDIENCE_COLUMNS, rows)
                rows = []
        written += db.insert_rows(conn, event_audience, AUDIENCE_COLUMNS, rows)
    return written


def differences(engine: sa.Engine, shown: int = 5) -> list[str]:
    """Where `event_audience` differs from a replay of the log, in words (`verify`): a row missing
    is a change some desktop never pulls; a row too many, one a person should not see."""
    with db.reading(engine) as conn:
        stored = {(str(p), int(n)) for p, n in conn.execute(sa.select(event_audience.c.person, event_audience.c.position))}
        replayed = set(_replayed(conn))
    found = []
    for what, rows in (("missing", sorted(replayed - stored, key=lambda r: r[1])),
                       ("not in the log's audience", sorted(stored - replayed, key=lambda r: r[1]))):
        if rows:
            some = ", ".join(f"{person} at {position}" for person, position in rows[:shown])
            found.append(f"event_audience: {len(rows)} row(s) {what}: {some}{', ...' if len(rows) > shown else ''}")
    return found
