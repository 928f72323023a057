"""Runs engine commands for the server: one transaction, audience rows, then a poke.

Every write path (sync pushes, the customer and operator APIs, the scheduler) goes through
`Runner.transaction`, so scoping rows and stream pokes can never be forgotten by one of them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

import sqlalchemy as sa

from consoleapp.engine import DomainError, Event, World
from consoleapp.engine.commands import Command
from consoleapp.store import Decision, Store, db
from consoleapp.store.store import Batch

from .audience import audience
from .clock import Clock
from .tables import event_audience

T = TypeVar("T")
AUDIENCE_COLUMNS = ("person", "position")
log = logging.getLogger("consoleapp.server")
# Called with a transaction's events once it has committed, outside every lock: work on outside
# services (ending a video room) that must never hold up or undo the command that caused it.
AfterCommit = Callable[[list[Event]], None]


class Poker(Protocol):
    def publish(self, people: set[str], position: int, conn: sa.Connection | None = None) -> None: ...


class Tx:
    """One write transaction: decide commands, and write rows of the caller's own beside them."""

    def __init__(self, batch: Batch, clock: Clock) -> None:
        self.batch = batch
        self.clock = clock
        self.people: set[str] = set()
        # Audience rows of every command, written in one executemany before the commit
        # (`flush`) rather than one INSERT per command; nothing reads them inside the transaction.
        self.audience: list[tuple[str, int]] = []
        self.events: list[Event] = []

    @property
    def conn(self) -> sa.Connection:
        return self.batch.conn

    @property
    def last_position(self) -> int:
        return self.batch.next_position - 1

    def execute(self, command: Command) -> Decision:
        b = self.batch
        first = b.next_position
        result = b.execute(command, self.clock.now())
        if isinstance(result, DomainError):
            return result
        self.events.extend(result)
        rows = self.audience
        people = self.people
        world = b.world
        for position, ev in enumerate(result, first):
            for person in audience(world, ev):
                rows.append((person, position))
                people.add(person)
        return result

    def defer(self, write: Callable[[sa.Connection], object]) -> None:
        """A write of the caller's own rows that nothing reads back in the transaction: sent with
        the events, in one round trip on PostgreSQL (`Batch.defer`)."""
        self.batch.defer(write)

    def flush(self) -> None:
        """Have the audience rows collected so far written with the events (the runner calls it at the end)."""
        if self.audience:
            rows, self.audience = self.audience, []
            self.defer(lambda conn: db.insert_rows(conn, event_audience, AUDIENCE_COLUMNS, rows))


class Runner:
    def __init__(self, store: Store, clock: Clock, poker: Poker) -> None:
        self.store = store
        self.clock = clock
        self.poker = poker
        # The database lock serialises writers across processes; this one keeps this
        # process's threads from racing on the in-memory World between them.
        self._lock = threading.Lock()
        self.after_commit: list[AfterCommit] = []

    @contextlib.contextmanager
    def transaction(self, before: Callable[[sa.Connection], None] | None = None) -> Iterator[Tx]:
        """`before` runs in the transaction before the log counter's lock is taken (`Store.batch`)."""
        with self._lock:
            with self.store.batch(before) as b:
                tx = Tx(b, self.clock)
                yield tx
                tx.flush()
                if tx.people:
                    people, position = set(tx.people), tx.last_position
                    tx.defer(lambda conn: self.poker.publish(people, position, conn))
            if tx.people:
                self.poker.publish(tx.people, tx.last_position)
        if tx.events:
            for hook in self.after_commit:
                try:
                    hook(tx.events)
                except Exception:  # the command is committed; its consequences elsewhere are best effort
                    log.exception("after-commit work failed")

    @contextlib.contextmanager
    def world(self) -> Iterator[World]:
        """The World caught up with every process's writes, held still while the caller reads it."""
        with self._lock:
            self.store.refresh()
            yield self.store.world

    def run(self, commands: Sequence[Command], extra: Callable[[Tx, list[Decision]], T] | None = None) -> tuple[list[Decision], T | None]:
        """Decide `commands` in one transaction; `extra` writes the caller's own rows in it too."""
        with self.transaction() as tx:
            results = [tx.execute(command) for command in commands]
            more = extra(tx, results) if extra is not None else None
        return results, more

    def one(self, command: Command) -> list[Event]:
        """Run one command; a refusal raises its DomainError."""
        (result,), _ = self.run([command])
        if isinstance(result, DomainError):
            raise result
        return result
