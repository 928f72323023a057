"""How World records become rows, and how the store learns which records a fold touched.

The engine swaps records in plain dictionaries; the store swaps those dictionaries for
`Tracked` ones that remember the keys written or removed, so after folding a batch it
upserts exactly the touched rows, whatever the size of the world.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.events import NotificationQueued
from consoleapp.engine.ledger import Account, Transfer
from consoleapp.engine.model import (
    Claim,
    ExpertProfile,
    GroupEvent,
    Meeting,
    Mode,
    MonthSummary,
    Offer,
    Payout,
    PayoutProfile,
    Person,
    Review,
    Slot,
)
from consoleapp.engine.world import World

from . import schema
from .codec import dumps, dumps_as

Row = dict[str, Any]


class Tracked(dict[Any, Any]):
    """A dict that remembers which keys were written or removed since `dirty` was cleared."""

    __slots__ = ("dirty",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dirty: set[Any] = set()

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.dirty.add(key)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self.dirty.add(key)

    def pop(self, key: Any, *default: Any) -> Any:
        self.dirty.add(key)
        return super().pop(key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self.dirty.add(key)
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        changes = dict(*args, **kwargs)
        self.dirty.update(changes)
        super().update(changes)

    def popitem(self) -> tuple[Any, Any]:
        key, value = super().popitem()
        self.dirty.add(key)
        return key, value

    def clear(self) -> None:
        self.dirty.update(self)
        super().clear()


def _person(_key: Any, p: Person) -> Row:
    return {"id": p.id, "role": p.role.value, "name": p.name, "email": p.email, "closed": p.closed,
            "record": dumps(p)}


def _meeting(_key: Any, m: Meeting) -> Row:
    return {"id": m.id, "expert": m.expert, "customer": m.customer, "kind": m.kind.value,
            "status": m.status.value, "payment": m.payment.value, "starts_at": m.start,
            "ends_at": m.end, "requested_at": m.requested_at, "record": dumps(m)}


def _group_event(_key: Any, g: GroupEvent) -> Row:
    return {"id": g.id, "expert": g.expert, "status": g.status.value, "starts_at": g.start,
            "ends_at": g.end, "record": dumps(g)}


def _claim(_key: Any, c: Claim) -> Row:
    return {"id": c.id, "session": c.session, "customer": c.customer, "expert": c.expert,
            "status": c.status.value, "opened_at": c.opened_at, "record": dumps(c)}


def _month(_key: Any, s: MonthSummary) -> Row:
    return {"expert": s.expert, "month": s.month, "record": dumps(s)}


def _payout(_key: Any, p: Payout) -> Row:
    return {"id": p.id, "expert": p.expert, "day": p.day, "amount": p.amount, "made_at": p.made_at,
            "record": dumps(p)}


def _slot(_key: Any, s: Slot) -> Row:
    return {"id": s.id, "expert": s.expert, "starts_at": s.start, "ends_at": s.end, "record": dumps(s)}


OFFERS = tuple[Offer, ...]  # the type of one (expert, mode) entry of World.offers


def _profile(_key: Any, p: ExpertProfile) -> Row:
    return {"expert": p.expert, "slug": p.slug, "name": p.name, "record": dumps(p)}


def _payout_profile(_key: Any, p: PayoutProfile) -> Row:
    return {"expert": p.expert, "record": dumps(p)}


def _offers(key: tuple[str, Mode], offers: tuple[Offer, ...]) -> Row:
    return {"expert": key[0], "mode": key[1].value, "record": dumps_as(OFFERS, offers)}


def _review(_key: Any, r: Review) -> Row:
    return {"customer": r.customer, "expert": r.expert, "written_at": r.written_at, "record": dumps(r)}


@dataclass(frozen=True, slots=True)
class Projection:
    """One table kept equal to one dictionary of the World."""

    attr: str  # the World attribute holding the records
    table: sa.Table
    row: Callable[[Any, Any], Row]  # (World key, record) -> row
    keys: tuple[str, ...]  # primary-key columns, in the order of the World's key

    def world_key(self, key: Any) -> tuple[Any, ...]:
        parts = key if isinstance(key, tuple) else (key,)
        return tuple(p.value if isinstance(p, Enum) else p for p in parts)


PROJECTIONS: tuple[Projection, ...] = (
    Projection("people", schema.people, _person, ("id",)),
    Projection("meetings", schema.meetings, _meeting, ("id",)),
    Projection("group_events", schema.group_events, _group_event, ("id",)),
    Projection("claims", schema.claims, _claim, ("id",)),
    Projection("months", schema.months, _month, ("expert", "month")),
    Projection("payouts", schema.payouts, _payout, ("id",)),
    Projection("slots", schema.slots, _slot, ("id",)),
    Projection("profiles", schema.profiles, _profile, ("expert",)),
    Projection("payout_profiles", schema.payout_profiles, _payout_profile, ("expert",)),
    Projection("offers", schema.offers, _offers, ("expert", "mode")),
    Projection("reviews", schema.reviews, _review, ("customer", "expert")),
)


def track(world: World) -> World:
    """Swap the projected dictionaries (and the ledger's accounts) for tracked ones."""
    for p in PROJECTIONS:
        current = getattr(world, p.attr)
        if not isinstance(current, Tracked):
            setattr(world, p.attr, Tracked(current))
    if not isinstance(world.ledger.accounts, Tracked):
        world.ledger.accounts = Tracked(world.ledger.accounts)
    forget(world)
    return world


def forget(world: World) -> None:
    """Clear what the tracked dictionaries remember (after catch-up or a write)."""
    for p in PROJECTIONS:
        getattr(world, p.attr).dirty.clear()
    world.ledger.accounts.dirty.clear()  # type: ignore[attr-defined]


def changed(world: World, p: Projection) -> tuple[list[Row], list[tuple[Any, ...]]]:
    """(rows to upsert, keys to delete) for the records one projection's fold touched."""
    records: dict[Any, Any] = getattr(world, p.attr)
    upserts: list[Row] = []
    deletes: list[tuple[Any, ...]] = []
    for key in getattr(records, "dirty", ()):
        record = records.get(key)
        if record is None:
            deletes.append(p.world_key(key))
        else:
            upserts.append(p.row(key, record))
    return upserts, deletes


def all_rows(world: World, p: Projection) -> Iterable[Row]:
    return (p.row(k, r) for k, r in getattr(world, p.attr).items())


def account_row(a: Account) -> Row:
    return {"id": a.id, "debits_pending": a.debits_pending, "debits_posted": a.debits_posted,
            "credits_pending": a.credits_pending, "credits_posted": a.credits_posted}


def touched_accounts(world: World) -> list[Row]:
    accounts = world.ledger.accounts
    return [account_row(accounts[k]) for k in getattr(accounts, "dirty", ()) if k in accounts]


def transfer_row(position: int, t: Transfer) -> Row:
    return {"id": t.id, "pending_id": t.pending_id, "kind": t.kind.value, "debit": t.debit,
            "credit": t.credit, "amount": t.amount, "label": t.label.value, "ref": t.ref,
            "at": t.at, "position": position}


def notification_row(position: int, n: NotificationQueued) -> Row:
    return {"position": position, "recipient": n.recipient, "kind": n.kind, "ref": n.ref,
            "at": n.at, "text": n.text, "record": dumps(n)}
