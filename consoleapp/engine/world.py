"""The engine's state: a repository of frozen records, and the two registries that run it.

`World` holds every record by id plus the few indexes the rules need (agreed meetings per
person for R10, the records that still have a deadline ahead for `due`). `evolve` folds one
event into it by swapping records; the records themselves are never edited, so a fold is a
handful of dictionary writes whatever the size of the world.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .events import Event
from .ledger import Ledger, Transfer, fold_transfer
from .model import (
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
    PromoCode,
    Review,
    Slot,
)
from .policy import Policy


class SlotIndex:
    """One expert's slots held in memory, in order of start: a set of slot ids to its readers
    (`in`, iteration in (start, id) order, `len`), and the times they cover for the rules that
    ask which slot covers an instant or overlaps a span (R4, R6, the free times). Walking every
    slot an expert has published for each of those cost the years of availability an expert can
    publish ahead; here it is a bisection, whatever their number."""

    def __init__(self) -> None:
        self._order: list[tuple[datetime, str, datetime]] = []  # (start, id, end), sorted
        self._start: dict[str, datetime] = {}
        # The longest slot ever held: every slot overlapping a span starts at most this long before
        # it, so a search needs no assumption that slots never overlap (R4 keeps new ones apart).
        self._longest = timedelta(0)

    def add(self, slot_id: str, start: datetime, end: datetime) -> None:
        """Hold the slot, at its (new) times."""
        self.discard(slot_id)
        insort(self._order, (start, slot_id, end))
        self._start[slot_id] = start
        if end - start > self._longest:
            self._longest = end - start

    def discard(self, slot_id: str) -> None:
        start = self._start.pop(slot_id, None)
        if start is not None:
            del self._order[bisect_left(self._order, (start, slot_id))]

    def overlapping(self, start: datetime, end: datetime) -> list[str]:
        """The ids of the slots that share some time with [start, end), in order of start."""
        order = self._order
        first = bisect_left(order, (start - self._longest,))
        last = bisect_left(order, (end,), first)
        return [sid for _, sid, ends in order[first:last] if ends > start]

    def covering(self, instant: datetime) -> list[str]:
        """The ids of the slots that hold `instant` (start <= instant < end), in order of start."""
        return self.overlapping(instant, instant + timedelta(microseconds=1))

    def spans(self) -> list[tuple[datetime, str, datetime]]:
        """Every slot held, (start, id, end) in order of start."""
        return list(self._order)

    def copy(self) -> SlotIndex:
        clone = SlotIndex()
        clone._order = list(self._order)
        clone._start = dict(self._start)
        clone._longest = self._longest
        return clone

    def __contains__(self, slot_id: object) -> bool:
        return slot_id in self._start

    def __eq__(self, other: object) -> bool:  # Worlds compare field by field (a refusal changes nothing)
        return isinstance(other, SlotIndex) and self._order == other._order

    def __iter__(self) -> Iterator[str]:
        return iter([sid for _, sid, _ in self._order])

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        return f"SlotIndex({[sid for _, sid, _ in self._order]!r})"


def hold_slot(w: World, expert: str, slot_id: str, start: datetime, end: datetime) -> None:
    """Name the slot in its expert's `slots_of`, at these times."""
    index = w.slots_of.get(expert)
    if index is None:
        index = w.slots_of[expert] = SlotIndex()
    index.add(slot_id, start, end)


# Not slots=True: mypyc compiles this module into a native class, which has no __slots__ and
# refuses them (only its declared attributes exist either way).
@dataclass
class World:
    people: MutableMapping[str, Person] = field(default_factory=dict)  # a mapping: a store lets customers go
    profiles: dict[str, ExpertProfile] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    payout_profiles: dict[str, PayoutProfile] = field(default_factory=dict)
    offers: dict[tuple[str, Mode], tuple[Offer, ...]] = field(default_factory=dict)
    # The records a store may let go and read back (`consoleapp/store/repository.py`) are typed as
    # mappings, not dicts: compiled code then looks keys up through the object's own methods.
    slots: MutableMapping[str, Slot] = field(default_factory=dict)
    slots_of: dict[str, SlotIndex] = field(default_factory=dict)  # a store keeps the slots not ended
    meetings: MutableMapping[str, Meeting] = field(default_factory=dict)
    agreed_of: dict[str, set[str]] = field(default_factory=dict)
    booked_in_slot: dict[str, set[str]] = field(default_factory=dict)
    holding_of: dict[str, set[str]] = field(default_factory=dict)  # expert -> meetings holding their time
    active: set[str] = field(default_factory=set)
    group_events: MutableMapping[str, GroupEvent] = field(default_factory=dict)
    active_events: set[str] = field(default_factory=set)
    claims: MutableMapping[str, Claim] = field(default_factory=dict)
    open_claims: set[str] = field(default_factory=set)
    claims_of_session: MutableMapping[str, tuple[str, ...]] = field(default_factory=dict)
    reviews: MutableMapping[tuple[str, str], Review] = field(default_factory=dict)  # a store lets written ones go
    met: MutableMapping[str, set[str]] = field(default_factory=dict)  # customer -> experts they had a session with
    ledger: Ledger = field(default_factory=Ledger)
    months: MutableMapping[tuple[str, str], MonthSummary] = field(default_factory=dict)  # a store keeps recent ones
    payouts: MutableMapping[str, Payout] = field(default_factory=dict)  # a mapping: a store lets paid ones go
    payout_days_done: set[str] = field(default_factory=set)
    unpaid_of: dict[str, list[str]] = field(default_factory=dict)  # expert -> transfers since last payout
    last_payout_day: str = ""
    lost_disputes: dict[str, tuple[datetime, ...]] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)
    promos: dict[str, PromoCode] = field(default_factory=dict)  # by upper-case code
    promo_uses: dict[str, int] = field(default_factory=dict)  # code -> uses counted now
    promo_uses_by: dict[tuple[str, str], int] = field(default_factory=dict)  # (code, customer) -> uses
    version: int = 0  # events folded so far

    def copy(self) -> World:
        """An independent world to try commands on (an offline client's optimistic view)."""
        clone = World()
        for name in _FIELDS:
            value = getattr(self, name)
            if isinstance(value, dict):
                value = {k: (type(v)(v) if isinstance(v, set | list) else v.copy() if isinstance(v, SlotIndex) else v)
                         for k, v in value.items()}
            elif isinstance(value, set):
                value = set(value)
            elif isinstance(value, Ledger):
                value = value.copy()
            setattr(clone, name, value)
        return clone


_FIELDS = tuple(f.name for f in fields(World))

C = TypeVar("C")
E = TypeVar("E", bound=Event)
Decider = Callable[[World, Any, datetime, Policy], list[Event]]
Folder = Callable[[World, Any], None]

DECIDERS: dict[type, Decider] = {}
FOLDERS: dict[type, list[Folder]] = {}


def decides(command_type: type[C]) -> Callable[[Callable[[World, C, datetime, Policy], list[Event]]], Any]:
    def register(fn: Callable[[World, C, datetime, Policy], list[Event]]) -> Any:
        DECIDERS[command_type] = fn
        return fn

    return register


def folds(event_type: type[E]) -> Callable[[Callable[[World, E], None]], Any]:
    def register(fn: Callable[[World, E], None]) -> Any:
        FOLDERS.setdefault(event_type, []).append(fn)
        return fn

    return register


def evolve(world: World, event: Event) -> World:
    for fold in FOLDERS.get(type(event), ()):
        fold(world, event)
    world.version += 1
    return world


folds(Transfer)(fold_transfer)  # the fold lives beside the ledger's rules, in `ledger.py`
