"""Who may see an event: every query and every pull is scoped to the caller (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

from consoleapp.engine import World
from consoleapp.engine import events as e
from consoleapp.engine.ledger import Transfer
from consoleapp.engine.people import PERSONAL_EVENTS
from consoleapp.engine.settlement import sees_stars


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
