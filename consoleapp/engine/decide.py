"""The engine's entry points: decide, evolve, execute, replay.

    decide(world, command, now, policy) -> list[Event]    pure; raises DomainError
    evolve(world, event) -> world                         folds one event
    execute(world, command, now, policy) -> list[Event]   decide, then fold what was decided

Every batch of transfers a decision makes is checked as one linked batch before anything is
returned, so a refused command leaves the world exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

# Importing the rule modules registers their deciders and folds.
from . import (  # noqa: F401
    changes,
    claims,
    groups,
    live,
    meetings,
    notices,
    payouts,
    people,
    promos,
    requests,
    settlement,
)
from .commands import Command
from .errors import INVALID, DomainError
from .events import Event
from .ledger import Transfer, check, earnings
from .policy import Policy
from .world import DECIDERS, World, evolve


def decide(world: World, command: Command, now: datetime, policy: Policy) -> list[Event]:
    if now.tzinfo is None:
        raise DomainError(INVALID, "the time passed to the engine needs a time zone")
    handler = DECIDERS.get(type(command))
    if handler is None:
        raise DomainError(INVALID, f"unknown command {type(command).__name__}")
    events = handler(world, command, now, policy)
    transfers = [ev for ev in events if isinstance(ev, Transfer)]
    if transfers:
        check(world.ledger, transfers)
    return events


def execute(world: World, command: Command, now: datetime, policy: Policy) -> list[Event]:
    events = decide(world, command, now, policy)
    for ev in events:
        evolve(world, ev)
    return events


def replay(events: Iterable[Event]) -> World:
    world = World()
    for ev in events:
        evolve(world, ev)
    return world


__all__ = ["decide", "earnings", "evolve", "execute", "replay"]
