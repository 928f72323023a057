"""Who may see an event: every query and every pull is scoped to the caller (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import json
import logging
import time

import sqlalchemy as sa

from consoleapp.engine import World, evolve
from consoleapp.engine import events as e
from consoleapp.engine.ledger import Transfer
from consoleapp.engine.people import PERSONAL_EVENTS
from consoleapp.engine.settlement import sees_stars
from consoleapp.store import db, schema
from consoleapp.store.codec import event_from

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
    every desktop "nothing new", silently. Called at start, before anything serves."""
    if missing:
        reason = "event_audience is missing"
    else:
        with engine.connect() as conn:
            if conn.execute(sa.select(event_audience.c.position).limit(1)).first() is not None:
                return
            length = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar()
        if not length:
            return
        reason = f"event_audience is empty and the log holds {length} events"
    rebuild_rows(engine, reason)


def rebuild_rows(engine: sa.Engine, reason: str) -> int:
    """Replay the whole log and write each event's audience again, holding the log counter's lock
    (no write comes in between); returns the rows written."""
    started = time.monotonic()
    log.warning("rebuilding event_audience from the log: %s", reason)
    written = 0
    with db.writing(engine) as (conn, length):
        conn.execute(sa.delete(event_audience))
        world = World()
        rows: list[tuple[str, int]] = []
        e = schema.events.c
        for position, kind, data in conn.execute(sa.select(e.position, e.kind, e.data).order_by(e.position)):
            ev = event_from(kind, json.loads(data))
            evolve(world, ev)
            rows.extend((person, position) for person in audience(world, ev))
            if len(rows) >= _CHUNK:
                written += db.insert_rows(conn, event_audience, AUDIENCE_COLUMNS, rows)
                rows = []
        written += db.insert_rows(conn, event_audience, AUDIENCE_COLUMNS, rows)
    log.warning("rebuilt event_audience from %d events in %.1f s", length, time.monotonic() - started)
    return written
