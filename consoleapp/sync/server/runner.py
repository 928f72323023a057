"""Runs engine commands for the server: one transaction, audience rows, then a poke.

Every write path (sync pushes, the customer and operator APIs, the scheduler) goes through
`Runner.transaction`, so scoping rows and stream pokes can never be forgotten by one of them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa

from consoleapp.engine import DomainError, Event, World
from consoleapp.engine.commands import Command
from consoleapp.engine.people import own_keys
from consoleapp.store import Decision, Store, db
from consoleapp.store.repository import CorruptRow
from consoleapp.store.store import Batch, NotLocal

from .audience import AUDIENCE_COLUMNS, audience
from .clock import Clock
from .tables import event_audience

T = TypeVar("T")


log = logging.getLogger("consoleapp.server")
# Called with a transaction's events once it has committed, outside every lock: work on outside
# services (ending a video room) that must never hold up or undo the command that caused it.
AfterCommit = Callable[[list[Event]], None]


class Poker(Protocol):
    def publish(self, people: set[str], position: int) -> None: ...

    def notify(self, conn: sa.Connection, people: set[str], events: int) -> None: ...


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
        self._now: datetime | None = None
        # Rows of the callers' own by table and columns, written at the end (`flush`): see `insert_later`.
        self._inserts: dict[tuple[sa.Table, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        self._positioned: dict[tuple[sa.Table, tuple[str, ...]], str] = {}  # their position column
        self._updates: dict[tuple[sa.Table, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        # Called with `Batch.shift` once a local write committed further on in the log than it decided.
        self.numbered: list[Callable[[int], None]] = []

    @property
    def now(self) -> datetime:
        """The transaction's instant, read from the clock once: every command it decides, and every
        row it stamps, happen at the same time, as PostgreSQL's `now()` is the transaction's start.
        (A movable clock reads its offset from the database: a round trip per reading.)"""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    @property
    def conn(self) -> sa.Connection:
        return self.batch.conn

    @property
    def last_position(self) -> int:
        """The log position of the last event decided so far. In a local write (`Runner.shared`)
        it is where the events would go as the log stood when the write began: rows written with
        `insert_later(position=...)` and a `numbered` callback get the final one."""
        return self.batch.next_position - 1

    def execute(self, command: Command, at: datetime | None = None) -> Decision:
        """Decide `command` at the transaction's instant, or at `at` (a history written in one
        transaction, each step at its own time: the demo's and the benches' builders)."""
        b = self.batch
        first = b.next_position
        result = b.execute(command, self.now if at is None else at)
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

    def insert_later(self, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]],
                     position: str = "") -> None:
        """Rows that nothing reads back in the transaction, inserted with the events: one statement
        per table for all the callers of a shared transaction (`Runner.shared`), where each push
        would send its own. In psycopg's pipeline every statement sent also polls the socket, which
        hands Python's lock to the worker's other threads, and the write waits to get it back while
        it holds the log counter's lock. `position`: the column holding a log position taken from
        `last_position` (0 for none), moved with the events if a local write is numbered further on."""
        self._inserts.setdefault((table, columns), []).extend(rows)
        if position:
            self._positioned[(table, columns)] = position

    def update_later(self, table: sa.Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """`db.update_rows` at the end, one executemany for all the callers (as `insert_later`)."""
        self._updates.setdefault((table, columns), []).extend(rows)

    def flush(self) -> None:
        """Have the audience rows and the callers' rows collected so far written with the events
        (the runner calls it at the end, before a local write takes the log counter: the inserts are
        made ready now, `db.bind_rows`, and moved with the events if they are numbered further on)."""
        if self.audience:
            self.insert_later(event_audience, AUDIENCE_COLUMNS, self.audience, position="position")
            self.audience = []
        inserts, self._inserts = self._inserts, {}
        updates, self._updates = self._updates, {}
        batch = self.batch
        for (table, columns), rows in inserts.items():
            bound = db.bind_rows(self.conn, table, columns, rows, shifted=self._positioned.get((table, columns)))
            if bound is not None:
                self.defer(functools.partial(_run_bound, bound, batch))
        for (table, columns), rows in updates.items():
            self.defer(functools.partial(db.update_rows, table=table, columns=columns, rows=rows))


def _run_bound(bound: db.Bound, batch: Batch, conn: sa.Connection) -> None:
    """`Tx.flush`'s deferred insert: its position column follows the events where the database numbers them."""
    bound.run(conn, batch.base)


def own_keys_of(jobs: Sequence[_Job[Any]]) -> frozenset[str] | None:
    """The keys every command of these callers is confined to (`engine.people.own_keys`), or None if
    one reaches further or a caller named none (its work could run anything)."""
    keys: set[str] = set()
    for j in jobs:
        if not j.commands:
            return None
        for command in j.commands:
            own = own_keys(command)
            if own is None:
                return None
            keys.update(own)
    return frozenset(keys)


# What callers of `shared` may read for all of one transaction's callers at once: called with their
# keys, in order, it answers a read (sent before the write's locks, in their round trip: `db.writing`)
# and what takes its rows, called with the transaction's connection before any of their `before`s.
Gather = Callable[[list[str]], tuple[db.Ask, Callable[[sa.Connection, list[tuple[Any, ...]]], None]]]


class _Job(Generic[T]):
    """One caller's part of a shared write transaction (`Runner.shared`)."""

    __slots__ = ("key", "before", "gather", "work", "commands", "done", "result", "error")

    def __init__(self, key: str, before: Callable[[sa.Connection], None] | None, work: Callable[[Tx], T],
                 gather: Gather | None = None, commands: Sequence[Command] = ()) -> None:
        self.key = key
        self.before = before
        self.gather = gather
        self.work = work
        self.commands = commands
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None


class Runner:
    # Callers whose writes one transaction takes together at most (`shared`): a bound on how long
    # the first of them waits for the last, and on the transaction's size.
    MAX_SHARED = 16

    def __init__(self, store: Store, clock: Clock, poker: Poker) -> None:
        self.store = store
        self.clock = clock
        self.poker = poker
        # The database lock serialises writers across processes; this one keeps this
        # process's threads from racing on the in-memory World between them.
        self._lock = threading.Lock()
        self._waiting: list[_Job[Any]] = []  # `shared` callers not yet taken into a transaction
        self._waiting_lock = threading.Lock()
        self.after_commit: list[AfterCommit] = []

    @contextlib.contextmanager
    def transaction(self, before: Callable[[sa.Connection], None] | None = None) -> Iterator[Tx]:
        """`before` runs in the transaction before anything is decided (`db.writing`)."""
        with self._lock, self._locked(before) as tx:
            yield tx
        self._after_commit(tx)

    @contextlib.contextmanager
    def _locked(self, before: Callable[[sa.Connection], None] | None, local: frozenset[str] | None = None,
                first: Sequence[db.Ask] = (), commands: Iterable[Command] = ()) -> Iterator[Tx]:
        """`transaction`, with this process's lock held already; the after-commit work is the caller's.
        `local`: the keys its commands are confined to; `first`: reads before the locks; `commands`:
        those the callers will execute, what they name read with the lock (`Store.batch`)."""
        with self.store.batch(before, local, first, commands) as b:
            tx = Tx(b, self.clock)
            yield tx
            tx.flush()
            if tx.people:
                people = set(tx.people)
                # Deferred, with the events: the database numbers them (`Poker.notify`).
                events = len(b.decided)
                tx.defer(lambda conn: self.poker.notify(conn, people, events))
        if b.shift:
            for moved in tx.numbered:
                moved(b.shift)
        if tx.people:
            self.poker.publish(tx.people, tx.last_position)

    def _after_commit(self, tx: Tx) -> None:
        if tx.events:
            for hook in self.after_commit:
                try:
                    hook(tx.events)
                except Exception:  # the command is committed; its consequences elsewhere are best effort
                    log.exception("after-commit work failed")

    @property
    def waiting(self) -> int:
        """Callers of `shared` queued for the next transaction."""
        with self._waiting_lock:
            return len(self._waiting)

    def shared(self, key: str, work: Callable[[Tx], T], before: Callable[[sa.Connection], None] | None = None,
               gather: Gather | None = None, commands: Sequence[Command] = ()) -> T:
        """`work` in a write transaction it may share with other callers' (group commit): what a
        push is, where many desktops push at once. A write takes the log counter's lock from its
        catch-up to its commit (an expert's own prices and slots only from numbering its events:
        `_run_jobs`), so writes run one at a time across every worker, and the lock's round trip,
        the catch-up and the commit are paid once per transaction: callers that
        queued while another wrote go in the next transaction together, like the batches a
        TigerBeetle replica commits. Each caller's `work` runs in turn on the one `Tx`.

        `key` names what two callers must never share a transaction over (a sync client's row,
        which `before` reads and `work` moves on: the second would read it as the first found it).
        If a shared transaction fails, each of its callers is run again alone, so one caller's
        refusal (an HTTP error raised in its `before`) or failure is only its own; `work` and
        `before` must therefore start from nothing each time they run. `before` runs in the
        transaction before any `work`, in the order of the callers' keys. `gather`, when given, is
        called once for all the callers that passed it, with their keys in that order: it answers
        one statement for what each `before` would read with its own, sent before the write's locks
        and in their round trip (row locks taken there in one order by every process, so two shared
        transactions never wait on each other; every statement sent alone is a round trip, and, back
        from it, a wait for the GIL behind the worker's event loop); the `before`s then find its
        rows. `commands`, when given, are those `work` will execute: what they name by id is read
        for all the callers at once, with the locks (`Store.batch`).
        """
        job: _Job[T] = _Job(key, before, work, gather, commands)
        with self._waiting_lock:
            self._waiting.append(job)
        committed: list[Tx] = []
        with self._lock:
            if not job.done:  # no transaction took it while this thread waited for the lock
                committed = self._run_shared(self._take(job))
        for tx in committed:
            self._after_commit(tx)
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]  # set when done without an error

    def _take(self, job: _Job[Any]) -> list[_Job[Any]]:
        """`job` and the callers waiting behind it, one per key, up to MAX_SHARED, in key order."""
        with self._waiting_lock:
            taken = [job]
            keys = {job.key}
            for other in self._waiting:
                if len(taken) == self.MAX_SHARED:
                    break
                if other is not job and other.key not in keys:
                    taken.append(other)
                    keys.add(other.key)
            self._waiting = [j for j in self._waiting if j not in taken]
        return sorted(taken, key=lambda j: j.key)

    def _run_shared(self, jobs: list[_Job[Any]]) -> list[Tx]:
        """Run `jobs` (this process's lock held) in one transaction, or each alone if that fails;
        the transactions that committed, for their after-commit work."""
        committed: list[Tx] = []
        try:
            if len(jobs) > 1:
                try:
                    tx, results = self._run_jobs(jobs)
                except Exception:
                    log.info("a shared write of %d callers failed; running each alone", len(jobs), exc_info=True)
                else:
                    committed.append(tx)
                    for j, result in zip(jobs, results, strict=True):
                        j.result, j.done = result, True
            for j in jobs:
                for attempt in (1, 2):  # again once after a row that could not be read was rebuilt
                    if j.done:
                        break
                    try:
                        tx, (j.result,) = self._run_jobs([j])
                        committed.append(tx)
                    except CorruptRow as failed:
                        if attempt == 2:
                            j.error, j.done = failed, True
                    except Exception as failed:
                        j.error, j.done = failed, True
                    else:
                        j.done = True
        finally:
            for j in jobs:  # interrupted (BaseException): no caller may wait on work nobody will do
                if not j.done:
                    j.error, j.done = RuntimeError("the write was interrupted before it ran; send it again"), True
        return committed

    def _run_jobs(self, jobs: list[_Job[Any]]) -> tuple[Tx, list[Any]]:
        """`jobs` in one transaction: a local one if every command they name is confined to its
        actor's own keys (experts' prices and slots: other workers' writes over other keys go on
        beside it), else, or if it turns out not to be, one over the whole log."""
        local = own_keys_of(jobs)
        commands = [command for j in jobs for command in j.commands]
        if local is not None:
            try:
                before, first = _before_all(jobs)
                with self._locked(before, local, first, commands) as tx:
                    return tx, [j.work(tx) for j in jobs]
            except NotLocal as why:
                log.info("a local write runs over the whole log instead: %s", why)
        before, first = _before_all(jobs)
        with self._locked(before, None, first, commands) as tx:
            return tx, [j.work(tx) for j in jobs]

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


def _before_all(jobs: list[_Job[Any]]) -> tuple[Callable[[sa.Connection], None] | None, list[db.Ask]]:
    """What runs before the work of `jobs` (in key order): each `gather`'s read once, with the keys
    of the jobs that passed it (`Store.batch`'s `first`, sent before the write's locks); then, given
    what they read, each gather's `take` and each job's own `before`."""
    gathers: dict[Gather, list[str]] = {}
    for j in jobs:
        if j.gather is not None:
            gathers.setdefault(j.gather, []).append(j.key)
    asked = [gather(keys) for gather, keys in gathers.items()]
    befores = [j.before for j in jobs if j.before is not None]
    if not asked and not befores:
        return None, []

    def before(conn: sa.Connection) -> None:
        for read, take in asked:
            take(conn, read.rows)
        for claim in befores:
            claim(conn)

    return before, [read for read, _ in asked]
