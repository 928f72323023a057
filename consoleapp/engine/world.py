"""The engine's state: a repository of frozen records, and the two registries that run it.

`World` holds every record by id plus the few indexes the rules need (agreed meetings per
person for R10, the records that still have a deadline ahead for `due`). `evolve` folds one
event into it by swapping records; the records themselves are never edited, so a fold is a
handful of dictionary writes whatever the size of the world.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field, fields
from datetime import datetime
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


# Not slots=True: mypyc compiles this module into a native class, which has no __slots__ and
# refuses them (only its declared attributes exist either way).
@dataclass
class World:
    people: dict[str, Person] = field(default_factory=dict)
    profiles: dict[str, ExpertProfile] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    payout_profiles: dict[str, PayoutProfile] = field(default_factory=dict)
    offers: dict[tuple[str, Mode], tuple[Offer, ...]] = field(default_factory=dict)
    # The records a store may let go and read back (`consoleapp/store/repository.py`) are typed as
    # mappings, not dicts: compiled code then looks keys up through the object's own methods.
    slots: MutableMapping[str, Slot] = field(default_factory=dict)
    slots_of: dict[str, set[str]] = field(default_factory=dict)  # a store keeps the slots not ended
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
    reviews: dict[tuple[str, str], Review] = field(default_factory=dict)
    met: MutableMapping[str, set[str]] = field(default_factory=dict)  # customer -> experts they had a session with
    ledger: Ledger = field(default_factory=Ledger)
    months: dict[tuple[str, str], MonthSummary] = field(default_factory=dict)
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
                value = {k: (type(v)(v) if isinstance(v, set | list) else v) for k, v in value.items()}
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
