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

from consoleapp.engine.availability import holds_time
from consoleapp.engine.events import NotificationQueued
from consoleapp.engine.groups import is_active as event_is_active
from consoleapp.engine.ledger import Account, Transfer, month_sums
from consoleapp.engine.meetings import is_active as meeting_is_active
from consoleapp.engine.model import (
    Claim,
    ExpertProfile,
    GroupEvent,
    Meeting,
    Mode,
    MonthSummary,
    Offer,
    PaymentStatus,
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
        dict.__setitem__(self, key, value)
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


Time = Callable[[Any], Any]  # how a datetime column's value is passed on (see db.time_formatter)
Values = tuple[Any, ...]


def _same(value: Any) -> Any:
    return value


def _person(_key: Any, p: Person, t: Time) -> Values:
    return p.id, p.role.value, p.name, p.email, p.closed, dumps(p)


def meeting_open(m: Meeting) -> bool:
    """Whether a store keeps the meeting in memory and loads it at start (the row's `open`): a
    deadline still ahead (`is_active`, what `due` walks), a time it holds, or credits still held
    (a review an operator has yet to decide, which the claim window's closing does not end)."""
    return meeting_is_active(m) or holds_time(m) or m.payment is PaymentStatus.BLOCKED


def _meeting(_key: Any, m: Meeting, t: Time) -> Values:
    return (m.id, m.expert, m.customer, m.kind.value, m.status.value, m.payment.value, t(m.start),
            t(m.end), t(m.requested_at), m.customer_name, m.topic, m.mode.value,
            m.outcome.value if m.outcome else "", m.charged, m.refunded,
            m.expert_answer.value if m.expert_answer else "", dumps(m), meeting_open(m))


def _group_event(_key: Any, g: GroupEvent, t: Time) -> Values:
    return g.id, g.expert, g.status.value, t(g.start), t(g.end), dumps(g), event_is_active(g)


def _claim(_key: Any, c: Claim, t: Time) -> Values:
    return c.id, c.session, c.customer, c.expert, c.status.value, t(c.opened_at), dumps(c)


def _month(_key: Any, s: MonthSummary, t: Time) -> Values:
    return s.expert, s.month, dumps(s)


def _payout(_key: Any, p: Payout, t: Time) -> Values:
    return p.id, p.expert, p.day, p.amount, t(p.made_at), dumps(p)


def _slot(_key: Any, s: Slot, t: Time) -> Values:
    return s.id, s.expert, t(s.start), t(s.end), dumps(s)


OFFERS = tuple[Offer, ...]  # the type of one (expert, mode) entry of World.offers


def _profile(_key: Any, p: ExpertProfile, t: Time) -> Values:
    return p.expert, p.slug, p.name, dumps(p)


def _payout_profile(_key: Any, p: PayoutProfile, t: Time) -> Values:
    return p.expert, dumps(p)


def _offers(key: tuple[str, Mode], offers: tuple[Offer, ...], t: Time) -> Values:
    return key[0], key[1].value, dumps_as(OFFERS, offers)


def _review(_key: Any, r: Review, t: Time) -> Values:
    return r.customer, r.expert, t(r.written_at), dumps(r)


def _promo_use(key: tuple[str, str], uses: int, t: Time) -> Values:
    return key[0], key[1], uses


@dataclass(frozen=True, slots=True)
class Projection:
    """One table kept equal to one dictionary of the World."""

    attr: str  # the World attribute holding the records
    table: sa.Table
    values: Callable[[Any, Any, Time], Values]  # (World key, record, time formatter) -> column values
    keys: tuple[str, ...]  # primary-key columns, in the order of the World's key
    columns: tuple[str, ...]  # the order of `values` (then `position`, if the table has it)
    positioned: bool  # the table has a `position` column: its records are let go and read back

    @property
    def written(self) -> tuple[str, ...]:
        """The columns a write fills: `columns`, then the write's log position if kept."""
        return (*self.columns, "position") if self.positioned else self.columns

    def row(self, key: Any, record: Any) -> Row:
        """The row as a dict, datetimes left as they are (what verify compares)."""
        return dict(zip(self.columns, self.values(key, record, _same), strict=True))

    def world_key(self, key: Any) -> tuple[Any, ...]:
        parts = key if isinstance(key, tuple) else (key,)
        return tuple(p.value if isinstance(p, Enum) else p for p in parts)


def _projection(attr: str, table: sa.Table, values: Callable[[Any, Any, Time], Values],
                keys: tuple[str, ...]) -> Projection:
    names = tuple(c.name for c in table.columns)
    positioned = "position" in names
    return Projection(attr, table, values, keys, tuple(n for n in names if n != "position"), positioned)


PROJECTIONS: tuple[Projection, ...] = (
    _projection("people", schema.people, _person, ("id",)),
    _projection("meetings", schema.meetings, _meeting, ("id",)),
    _projection("group_events", schema.group_events, _group_event, ("id",)),
    _projection("claims", schema.claims, _claim, ("id",)),
    _projection("months", schema.months, _month, ("expert", "month")),
    _projection("payouts", schema.payouts, _payout, ("id",)),
    _projection("slots", schema.slots, _slot, ("id",)),
    _projection("profiles", schema.profiles, _profile, ("expert",)),
    _projection("payout_profiles", schema.payout_profiles, _payout_profile, ("expert",)),
    _projection("offers", schema.offers, _offers, ("expert", "mode")),
    _projection("reviews", schema.reviews, _review, ("customer", "expert")),
    _projection("promo_uses_by", schema.promo_uses, _promo_use, ("code", "customer")),
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
    # And the other tracked ones (the store's read-through dicts): what they remember is only
    # read between a write and this call (`open_world.let_go`), never kept.
    for records in (world.ledger.accounts, world.ledger.transfers, world.ledger.resolved, world.claims_of_session,
                    world.met):
        dirty = getattr(records, "dirty", None)
        if dirty is not None:
            dirty.clear()


def changed(world: World, p: Projection, t: Time = _same,
            position: int = 0) -> tuple[list[Values], list[tuple[Any, ...]]]:
    """(values of `p.written` to upsert, keys to delete) for the records one projection's fold
    touched; `position`: the log position the write ends at."""
    records: dict[Any, Any] = getattr(world, p.attr)
    upserts: list[Values] = []
    deletes: list[tuple[Any, ...]] = []
    values = p.values
    extra = (position,) if p.positioned else ()
    for key in getattr(records, "dirty", ()):
        record = dict.get(records, key)  # what the fold left in memory, never a read-through
        if record is None:
            deletes.append(p.world_key(key))
        else:
            upserts.append(values(key, record, t) + extra)
    return upserts, deletes


def all_rows(world: World, p: Projection) -> Iterable[Row]:
    return (p.row(k, r) for k, r in getattr(world, p.attr).items())


ACCOUNT_COLUMNS = tuple(c.name for c in schema.accounts.columns)
TRANSFER_COLUMNS = tuple(c.name for c in schema.transfers.columns)
NOTIFICATION_COLUMNS = tuple(c.name for c in schema.notifications.columns)
EVENT_COLUMNS = tuple(c.name for c in schema.events.columns)


def account_values(a: Account) -> Values:
    return a.id, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted


def account_row(a: Account) -> Row:
    return dict(zip(ACCOUNT_COLUMNS, account_values(a), strict=True))


def touched_accounts(world: World) -> list[Values]:
    accounts = world.ledger.accounts
    return [account_values(accounts[k]) for k in getattr(accounts, "dirty", ()) if k in accounts]


PLATFORM_MONTH_COLUMNS = tuple(c.name for c in schema.platform_months.columns)


def platform_month_rows(world: World, transfers: Iterable[Transfer]) -> list[Values]:
    """What transfers folded into `world` add to their months' `platform_months` rows: one
    write's (a hold they resolve and did not make is still in `world` until the write ends), or
    all of them, in log order."""
    holds = world.ledger.transfers
    return [(month, *figures) for month, figures in month_sums(transfers, lambda hold: holds[hold].amount).items()]


def transfer_values(position: int, t: Transfer, time: Time = _same) -> Values:
    return (t.id, t.pending_id, t.kind.value, t.debit, t.credit, t.amount, t.label.value, t.ref,
            time(t.at), position)


def transfer_row(position: int, t: Transfer) -> Row:
    return dict(zip(TRANSFER_COLUMNS, transfer_values(position, t), strict=True))


def notification_values(position: int, n: NotificationQueued, time: Time = _same, record: str | None = None) -> Values:
    """`record` is the event's JSON when the caller already has it (it is the same text)."""
    return position, n.recipient, n.kind, n.ref, time(n.at), n.text, dumps(n) if record is None else record


def notification_row(position: int, n: NotificationQueued) -> Row:
    return dict(zip(NOTIFICATION_COLUMNS, notification_values(position, n), strict=True))
