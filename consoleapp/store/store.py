"""The Store: the open business in memory, the event log and the projections in a database.

Memory holds what still has something ahead (`open_world`); a closed record is let go after
the write that closed it and read back by id when asked (`repository`). Each write is one
transaction: lock the log counter, catch the in-memory World up with any events another process
appended, decide with the engine, fold, then write the events, their transfers and the rows of
every record the fold touched. On PostgreSQL an expert's own prices and slots may instead be
decided under locks of their keys only, beside other experts' such writes, and take the counter
just to number their events (`batch(local=...)`).

Folding happens *before* the commit, because the fold is what tells us which rows changed.
If anything fails after that point (the commit, a constraint, a bug in a fold), the World
may hold events the database does not, so it is thrown away and the open business loaded
again; if even that fails (the database is gone) the store stays marked stale and retries.
A DomainError is not a failure: decide raises before anything is folded.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consoleapp.engine import DEFAULT_POLICY, DomainError, Policy, World
from consoleapp.engine.commands import Command
from consoleapp.engine.decide import decide, evolve
from consoleapp.engine.events import Event, NotificationQueued
from consoleapp.engine.ledger import Account, PlatformMonth, Transfer, earnings, wallet
from consoleapp.engine.model import (
    Claim,
    ClaimStatus,
    ExpertProfile,
    Meeting,
    MeetingStatus,
    Mode,
    MonthSummary,
    Offer,
    Payout,
    PayoutProfile,
    Review,
    Slot,
)
from consoleapp.engine.people import own_keys, reads_slots

from . import db, open_world, queries, schema
from .codec import dumps, event_from, parse_json
from .projections import (
    ACCOUNT_COLUMNS,
    EVENT_COLUMNS,
    NOTIFICATION_COLUMNS,
    PLATFORM_MONTH_COLUMNS,
    PROJECTIONS,
    TRANSFER_COLUMNS,
    changed,
    forget,
    notification_values,
    platform_month_rows,
    touched_accounts,
    transfer_values,
)
from .repository import CREATED_BY, CorruptRow, Lazy, Reader, Reload
from .verify import verify

log = logging.getLogger("consoleapp.store")

Decision = list[Event] | DomainError  # what deciding a command gave: its events, or the refusal
CATCH_UP_CHUNK = 1000  # rows of the log fetched at a time while catching up
_CATCH_UP = {qmark: 'SELECT "position", kind, data FROM events WHERE "position" > {0} AND "position" <= {0} '
                    'ORDER BY "position"'.format("?" if qmark else "%s") for qmark in (False, True)}
# Two spans at once: the events other processes committed while this store's last local write
# decided, and those appended since (`Store._catch_up`), in one round trip.
_CATCH_UP_TWO = {qmark: 'SELECT "position", kind, data FROM events WHERE "position" > {0} AND "position" <= {0} '
                        'OR "position" > {0} AND "position" <= {0} ORDER BY "position"'.format("?" if qmark else "%s")
                 for qmark in (False, True)}


# The ids commands name, by field, and where their records live: what `Store.batch(prefetch=…)` reads (`_named`).
_NAMED: tuple[tuple[str, str, sa.Table, type], ...] = (
    ("slot_id", "slots", schema.slots, Slot),
    ("meeting_id", "meetings", schema.meetings, Meeting),
)


def _named(world: World, commands: Iterable[Command]) -> list[tuple[sa.Table, type, list[str]]]:
    """(table, record class, ids) of the records `commands` name by id that `world` does not hold."""
    commands = list(commands)
    named = []
    for field, attr, table, cls in _NAMED:
        held_ = getattr(world, attr)
        keys = [key for cmd in commands
                if isinstance(key := getattr(cmd, field, None), str) and key and not dict.__contains__(held_, key)]
        if keys:
            named.append((table, cls, keys))
    return named


@dataclass(frozen=True, slots=True)
class _Rows:
    """A write's rows, made ready before a local write takes the log counter (`Store._rows`), at the
    positions the write decided them; `Store._write` moves them if the counter moved meanwhile."""

    bound: list[db.Bound]  # the events, their transfers and notifications, the records' rows
    deletes: list[tuple[sa.Table, list[tuple[Any, ...]]]]  # (projection's table, keys)
    months: list[tuple[Any, ...]]
    count: int  # rows written


class StaleLog(RuntimeError):
    """The database's log is behind the in-memory World (restored from an older copy?)."""


class NotLocal(RuntimeError):
    """A local batch (`Store.batch(local=...)`) was asked to decide a command beyond the keys it
    locked, or one that would read back what other writers may be changing: it must run as a
    write of the whole log. Raised before the command is decided."""


class Batch:
    """The commands decided inside one `Store.batch()` transaction."""

    def __init__(self, conn: sa.Connection, world: World, policy: Policy, reader: Reader,
                 local: frozenset[str] | None = None) -> None:
        self.conn = conn
        self.world = world
        self.policy = policy
        self.reader = reader
        self.local = local  # the keys this batch locked, when it decides beside other experts' writes
        self.base = world.version
        # A local batch learns where its events went only once they are written, where the counter
        # said (`renumber`): by how much that moved them from where it decided them (0 until then).
        self.shift = 0
        self.decided: list[Event] = []
        self.encoded: dict[int, str] = {}  # index in `decided` -> its JSON text, when known already
        self.deferred: list[Callable[[sa.Connection], object]] = []  # see `defer`

    @property
    def next_position(self) -> int:
        """The log position the next decided event will take."""
        return self.base + len(self.decided) + 1

    def execute(self, command: Command, now: datetime) -> Decision:
        if self.local is not None:
            keys = own_keys(command)
            if keys is None or not self.local.issuperset(keys):
                raise NotLocal(f"{type(command).__name__} reaches beyond the keys this write locked")
            # A slot's command reads its expert's slots: those memory let go are read back below, every
            # expert's, while other local writes may be changing theirs. Prices need none of them.
            if open_world.slots_incomplete(self.world, now) and reads_slots(command):
                raise NotLocal("the slots memory let go would be read back, while other writers may change them")
        else:
            open_world.keep_slots_from(self.conn, self.world, now)  # only if now is before the slots in memory
        try:
            events = decide(self.world, command, now, self.policy)
        except DomainError as refused:
            return refused
        for ev in events:
            evolve(self.world, ev)
        self.decided += events
        return events

    def renumber(self, length: int) -> None:
        """A local batch's events followed the log as its counter said when it was locked (`length`,
        read in the round trip that wrote them: `Store._write`), which other processes' local writes may
        have moved on since this batch read it. Below what this store folded, the transaction is
        refused (its rows are rolled back with it)."""
        if length < self.base:
            raise StaleLog(f"the log holds {length} events but this store has folded {self.base}")
        self.shift, self.base = length - self.base, length

    def defer(self, write: Callable[[sa.Connection], object]) -> None:
        """Have `write` run at the end of the block, with the store's own writes and in the same
        PostgreSQL pipeline (one round trip for them all): for a caller's rows that nothing reads
        back inside the transaction. Under the log counter's lock every round trip counts twice:
        the wait for the database, then the wait for Python's lock behind the process's other
        threads."""
        self.deferred.append(write)

    def append(self, event: Event, data: str | None = None) -> None:
        """Fold and keep an event decided elsewhere (a sync client's pull).

        `data`, when given, must be the event's JSON text exactly as `codec.dumps(event)` writes
        it (as the server stored it); it is stored as is instead of being encoded again.
        """
        if data is not None:
            self.encoded[len(self.decided)] = data
        self.decided.append(event)  # first: a fold that fails must mark the World stale
        evolve(self.world, event)


class Store:
    def __init__(self, engine: sa.Engine, policy: Policy = DEFAULT_POLICY) -> None:
        """Load the open business (see `open_world`); rebuild the tables first if they cannot be trusted."""
        self.engine = engine
        self.policy = policy
        self.rows_written = 0
        self.reader = Reader(engine)
        self.reader.on_corrupt = self._found_corrupt
        self._world = World()
        self._stale = True
        self._corrupt: CorruptRow | None = None  # a row read back that cannot be read: `repair`
        # Held by a write from start to end, and by whatever replaces the World (a reload, a
        # repair, a catch-up): a page thread that finds the World stale waits for the write.
        self._lock = threading.RLock()
        self._watch = db.CommitWatch(engine) if engine.dialect.name == "sqlite" else None
        # Positions (after, upto] of the log that others committed while this store's last local
        # write decided, whose events the World has yet to fold (`_catch_up` folds them first).
        self._passed: tuple[int, int] | None = None
        self._reload()

    @classmethod
    def open(cls, url: str, policy: Policy = DEFAULT_POLICY, pool: int = db.PG_POOL) -> Store:
        """`pool`: the PostgreSQL connections kept open (`db.create`)."""
        engine = db.create(url, pool)
        db.ensure_schema(engine)
        return cls(engine, policy)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def world(self) -> World:
        """The open business in memory; every other record is read back by id on demand."""
        if self._corrupt is not None or self._stale:
            with self._lock:  # a page thread must not swap the World under a write in progress
                if self._corrupt is not None:
                    self.repair()
                if self._stale:
                    self._reload()
        return self._world

    def fork(self) -> World:
        """An independent World to try commands on (an offline client's optimistic view)."""
        return open_world.fork(self.world)

    # --- writing ---------------------------------------------------------------------

    def execute(self, command: Command, now: datetime) -> list[Event]:
        """Decide and store one command; a DomainError propagates and nothing changes."""
        result = self.execute_many([(command, now)])[0]
        if isinstance(result, DomainError):
            raise result
        return result

    def execute_many(self, batch: Iterable[tuple[Command, datetime]]) -> list[Decision]:
        """Decide every command in one transaction; a refused one is skipped, the rest apply."""
        steps = list(batch)
        with self.batch(prefetch=[command for command, _ in steps]) as b:
            return [b.execute(command, now) for command, now in steps]

    def append(self, events: Sequence[Event]) -> None:
        """Fold and store events decided elsewhere (a sync client's pull), without deciding.

        They take the next local log positions, in one transaction like any write.
        """
        if not events:
            return
        with self.batch() as b:
            for ev in events:
                b.append(ev)

    @contextlib.contextmanager
    def batch(self, before: Callable[[sa.Connection], None] | None = None,
              local: Iterable[str] | None = None, first: Sequence[db.Ask] = (),
              prefetch: Iterable[Command] = ()) -> Iterator[Batch]:
        """One write transaction: the caller decides commands and may write rows of its own.

        The log counter is locked for the whole block, so the caller's rows (a sync client's
        last seq, an idempotency key) commit atomically with the events, or not at all.
        Records read back from the database inside it are kept until it ends. `before` runs
        in the same transaction before anything is decided (`db.writing`).

        `local`, on PostgreSQL: the only keys the commands decided in the block touch (each
        command's `own_keys`; any other raises NotLocal before it is decided). The block then
        locks those keys instead of the counter, so other processes' local writes over other keys
        run beside it; the counter is locked when the events are numbered, at the end, and the
        positions the block saw (`next_position`) move by `Batch.shift`.

        `first`: reads run before the locks (`db.writing`). `prefetch`: the commands the caller will
        decide. The records they name by id that memory does not hold (a slot let go, or an id not
        taken yet) are read with the locks, in their round trip on PostgreSQL (`Reader.prefetch_reads`):
        deciding each would otherwise read them one round trip at a time.
        """
        keys = frozenset(local) if local is not None and self.engine.dialect.name == "postgresql" else None
        with self._lock, self._batch(before, keys, first, prefetch) as b:
            yield b

    @contextlib.contextmanager
    def _batch(self, before: Callable[[sa.Connection], None] | None, local: frozenset[str] | None,
               first: Sequence[db.Ask] = (), prefetch: Iterable[Command] = ()) -> Iterator[Batch]:
        self.world  # noqa: B018 - loads the open business first if it is stale
        written = 0
        b: Batch | None = None
        locked = False
        passed: tuple[int, int] | None = None  # the log's positions other writers took meanwhile
        try:
            # A write reads what it has yet to fold with its locks, in one round trip (`db.LogRead`).
            owed = db.LogRead((self._passed,) if self._passed else (), self._folded())
            # Named before the catch-up, as memory held them: one the catch-up brings into memory is
            # read for nothing; one it lets go is read back on its own when it is decided.
            named = [(table, cls, Reader.prefetch_reads(table, keys, CREATED_BY.get(table.name, "")))
                     for table, cls, keys in _named(self._world, prefetch)]
            then = [read for _, _, reads in named for read in reads]
            with db.writing(self.engine, before, local, owed, first, then) as (conn, length), self.reader.within(conn):
                locked = True
                self._catch_up(conn, length, local is None, owed.rows)
                for table, cls, reads in named:
                    self.reader.keep(table, cls, reads, CREATED_BY.get(table.name, ""))
                world = self._world
                forget(world)
                b = Batch(conn, world, self.policy, self.reader, local)
                yield b
                if b.decided:
                    rows = self._rows(conn, b.base, b.decided, b.encoded)  # before a local write takes the counter
                    decided_at = b.base
                    written, counted = self._write(conn, b.base, len(b.decided), rows, b.deferred, local is not None)
                    if counted is not None:
                        b.renumber(counted)  # after its rows went where the counter said (`_write`)
                        if b.shift:
                            passed = (decided_at, b.base)
                    open_world.let_go(world)
                    open_world.let_go_slots(world, b.decided[-1].at)
                    open_world.let_go_months(world, b.decided[-1].at)
                elif b.deferred:
                    with db.pipelined(conn):
                        for write in b.deferred:
                            write(conn)
            # Folded at the next catch-up (`_catch_up`: the next write's, or a reader's refresh), in
            # its transaction, not one of their own now: the push's answer does not wait for them.
            self._passed = passed
        except BaseException:
            if self._corrupt is not None:
                # The write read a row that cannot be read (its transaction is rolled back): it is
                # refused, and the tables rebuilt now, for it to be sent again.
                with contextlib.suppress(Exception):
                    self.repair()
                raise
            if not locked or (b is not None and not b.decided):
                # Nothing of ours was folded: the World holds only committed events and is
                # still true. (A refusal, or `before` refusing, must not cost a reload.)
                raise
            self._stale = True
            # The original error matters more than a failed reload; stay stale and retry later.
            with contextlib.suppress(Exception):
                self._reload()
            raise
        finally:
            forget(self._world)
        self.rows_written += written

    def _rows(self, conn: sa.Connection, base: int, events: Sequence[Event], encoded: dict[int, str] | None = None) -> _Rows:
        """Every row of the write, at the positions after `base` (where the batch decided its events),
        made ready (`db.bind_rows`) while a local write does not hold the counter yet: most of a
        write's own time."""
        time = db.time_formatter(conn.dialect)
        known = encoded or {}
        log: list[tuple[Any, ...]] = []
        moves: list[tuple[Any, ...]] = []
        notes: list[tuple[Any, ...]] = []
        for i, ev in enumerate(events):
            data = known.get(i) or dumps(ev)
            position = base + 1 + i
            log.append((position, ev.ref, type(ev).__name__, time(ev.at), ev.actor, data))
            if isinstance(ev, Transfer):
                moves.append(transfer_values(position, ev, time))
            elif isinstance(ev, NotificationQueued):
                notes.append(notification_values(position, ev, time, data))
        end = base + len(events)  # a positioned projection's rows hold the position of the write that touched them
        accounts = touched_accounts(self._world)
        bound = [db.bind_rows(conn, schema.events, EVENT_COLUMNS, log, shifted="position"),
                 db.bind_rows(conn, schema.transfers, TRANSFER_COLUMNS, moves, shifted="position"),
                 db.bind_rows(conn, schema.notifications, NOTIFICATION_COLUMNS, notes, shifted="position"),
                 db.bind_rows(conn, schema.accounts, ACCOUNT_COLUMNS, accounts, upsert=True)]
        count = len(log) + len(moves) + len(notes) + len(accounts)
        deletes = []
        for p in PROJECTIONS:
            upserts, keys = changed(self._world, p, time, end)
            bound.append(db.bind_rows(conn, p.table, p.written, upserts, upsert=True,
                                      shifted="position" if p.positioned else None))
            count += len(upserts) + len(keys)
            if keys:
                deletes.append((p.table, keys))
        transfers = [ev for ev in events if isinstance(ev, Transfer)]
        months = platform_month_rows(self._world, transfers) if transfers else []
        return _Rows([b for b in bound if b is not None], deletes, months, count + len(months))

    def _write(self, conn: sa.Connection, base: int, events: int, rows: _Rows,
               deferred: Sequence[Callable[[sa.Connection], object]], count: bool) -> tuple[int, int | None]:
        """Run the write's rows (`_rows`, decided after `base`) and its callers' `deferred` writes,
        then move the log's counter on by `events`; the rows written, and with `count` (a local
        write, which has not taken the counter yet) the log's length the counter held. On PostgreSQL
        in one round trip, from the counter's lock on: the rows' positions follow the counter in SQL."""
        length = None
        with db.pipelined(conn):  # nothing below reads a result: one round trip on PostgreSQL
            if count:
                length = db.lock_counter_sent(conn)
            for bound in rows.bound:
                bound.run(conn, base)
            for table, keys in rows.deletes:
                db.delete_rows(conn, table, keys)
            db.add_to_rows(conn, schema.platform_months, PLATFORM_MONTH_COLUMNS, rows.months)
            for write in deferred:
                write(conn)
            db.advance_counter(conn, events)
        return rows.count + 1, None if length is None else length()

    # --- catching up with the log ---------------------------------------------------------

    def refresh(self) -> int:
        """Fold the events other processes appended since we last looked; returns how many."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> int:
        before = self.world.version
        if self._watch is not None and not self._watch.changed():
            return 0  # nothing was committed since the last look: the counter cannot have moved
        with db.reading(self.engine) as conn, self.reader.within(conn):
            length = conn.execute(sa.select(schema.counters.c.value)
                                  .where(schema.counters.c.name == db.LOG)).scalar_one()
            try:
                self._catch_up(conn, int(length))
            except BaseException:
                # Stopped part-way (the database went away, say): what it read back may have been
                # folded over rows that hold later events already, and is let go only at the log's
                # end. Load the open business afresh rather than go on from here.
                self._stale = True
                raise
        forget(self._world)
        return self._world.version - before

    def _folded(self) -> int:
        """How far the log is folded once the events `_passed` are (`_catch_up`)."""
        passed = self._passed
        return self._world.version + (passed[1] - passed[0] if passed is not None else 0)

    def _catch_up(self, conn: sa.Connection, length: int, may_reload: bool = True,
                  rows: list[tuple[int, str, str]] | None = None) -> None:
        """Fold what others appended; a record let go that one of those events changed makes
        loading the open business afresh (at `length`, in this transaction) the cheaper way.
        Not in a local write (`may_reload` false), whose transaction sees other writers' commits
        as they come: that is NotLocal, and the World is loaded afresh before the write runs again.

        First the events other processes committed while this one's last local write decided
        (`_passed`, positions before that write's own): folded after its own, as they changed only
        other keys' records (each write locked its own, and no other kind of write ran meanwhile),
        so the World ends as if folded in the log's order."""
        folded = self._folded()
        passed, self._passed = self._passed, None
        spans = [passed] if passed is not None else []
        if length < folded:
            self._stale = self._stale or passed is not None
            raise StaleLog(f"the log holds {length} events but this store has folded {folded}")
        if length > folded:
            spans.append((folded, length))
        if not spans:
            return
        try:
            self._fold_log(conn, spans, may_reload, rows)
        except BaseException:
            if passed is not None:
                self._stale = True  # the events passed are not all folded, and no longer noted as owed
            raise

    def _fold_log(self, conn: sa.Connection, spans: list[tuple[int, int]], may_reload: bool = True,
                  read: list[tuple[int, str, str]] | None = None) -> None:
        """Fold the log's events in `spans` ((after, upto] each, one or two, in the log's order);
        `read`: those events, read already (`db.LogRead`)."""
        world = self._world
        # The driver's own cursor and a statement written once: a write that follows another
        # process's catches up inside the log counter's lock, and SQLAlchemy's statement and
        # per-row result machinery were a quarter of the catch-up there (bench/lock_share.py).
        rows = None
        chunks: Iterator[Sequence[Any]] = iter((read or [],))
        if read is None:
            rows = conn.connection.cursor()
            qmark = conn.dialect.paramstyle == "qmark"
            rows.execute((_CATCH_UP_TWO if len(spans) == 2 else _CATCH_UP)[qmark], [p for span in spans for p in span])
            chunks = iter(functools.partial(rows.fetchmany, CATCH_UP_CHUNK), [])
        loads = parse_json
        ev: Event | None = None
        ends = iter(spans[1:])  # where the next span starts once this one is folded
        last, end = spans[0]
        try:
            for chunk in chunks:
                for position, kind, data in chunk:
                    if last == end:
                        last, end = next(ends, (last, last))
                    if position != last + 1:
                        raise StaleLog(f"the log jumps from position {last} to {position}")
                    last = position
                    self.reader.folding(position)
                    ev = event_from(kind, loads(data))
                    evolve(world, ev)
            if last != spans[-1][1]:  # the counter and the events commit together: never short, unless damaged
                raise StaleLog(f"the log ends at position {last}, its counter at {spans[-1][1]}")
        except Reload as why:
            log.info("catching up with the log: %s; loading the open business afresh", why)
            if not may_reload:
                self._stale = True
                raise NotLocal(f"catching up with the log: {why}") from why
            self._world = open_world.load_open(conn, self.reader)
            return
        finally:
            if rows is not None:
                rows.close()
            self.reader.done_catching_up()
        # A wallet or a person read back while catching up was folded over a row that may hold
        # later events already: right again only as the row itself, now that the log's end is reached.
        open_world.let_go_read_back(world, self.reader.read_while_catching_up())
        open_world.let_go(world)
        if ev is not None:
            open_world.let_go_slots(world, ev.at)
            open_world.let_go_months(world, ev.at)

    def _found_corrupt(self, found: CorruptRow) -> None:
        log.error("%s: the projection tables will be rebuilt from the log", found)
        self._corrupt = found

    def repair(self) -> None:
        """Rebuild the tables from the log after a row of a record let go was found that cannot be
        read (a record in memory was read at start, where such a row makes the same rebuild): a
        closed record's row is first read by whatever needs it, a write or a page. Another process
        that found the same row may have rebuilt them meanwhile: then the row reads again."""
        found = self._corrupt
        self._stale = True
        if found is not None:
            with db.writing(self.engine) as (conn, _length):
                try:
                    if found.recheck is None:
                        raise found
                    found.recheck(conn)
                except CorruptRow:
                    open_world.rebuild(conn, str(found))
                else:
                    log.info("the projection tables were rebuilt by another process meanwhile (%s)", found)
            self._corrupt = None
        self._reload()

    def _reload(self) -> None:
        self._world = open_world.open_business(self.engine, self.reader)
        self._passed = None  # loaded at the log's end: nothing is owed
        self._stale = False

    def stored(self, records: str, key: str) -> Any:
        """The record of `key` in the World's dict `records` ('meetings', 'claims'...) as its
        committed row holds it, or None: what a page shows of one record by id. Read through the
        loader memory's misses use, so a row that cannot be read, or a row missing whose record
        the log created, is a CorruptRow (the tables are rebuilt from the log), never a 500 or a
        silent "no such record"."""
        lazy = getattr(self.world, records)
        assert isinstance(lazy, Lazy), f"{records} is not read back from the database"
        return lazy.load(key)

    def platform_months(self) -> list[PlatformMonth]:
        """The platform's own figures, month by month, oldest first (the operators' money page)."""
        with db.reading(self.engine) as conn:
            return queries.platform_months(conn)

    def every_account(self) -> list[Account]:
        """Every ledger account as its row holds it: memory holds no customer's wallet, and the
        ledger's invariants are sums over all of them (`ledger.invariants(..., every_account)`)."""
        with db.reading(self.engine) as conn:
            return queries.every_account(conn)

    # --- checking ---------------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Differences between the stored tables and a fresh replay of the log, in words
        (and between the open business in memory and that replay)."""
        return verify(self.engine, self.world)

    # --- reading (from the database, so a reader sees other processes' writes) --------------

    def meetings_of(self, person: str, status: MeetingStatus | Iterable[MeetingStatus] | None = None) -> list[Meeting]:
        with db.reading(self.engine) as conn:
            return queries.meetings_of(conn, person, status)

    def requests_awaiting(self, expert: str) -> list[Meeting]:
        with db.reading(self.engine) as conn:
            return queries.requests_awaiting(conn, expert)

    def timeline(self, ref: str, money: bool = False) -> list[dict[str, Any]]:
        with db.reading(self.engine) as conn:
            return queries.timeline(conn, ref, money)

    def transcript(self, meeting_id: str) -> list[dict[str, Any]]:
        with db.reading(self.engine) as conn:
            return queries.transcript(conn, meeting_id)

    def earnings_by_month(self, expert: str) -> list[MonthSummary]:
        with db.reading(self.engine) as conn:
            return queries.earnings_by_month(conn, expert)

    def transactions(self, account: str) -> list[dict[str, Any]]:
        """The transaction record of an account id, e.g. `wallet('carl')` or `earnings('anna')`."""
        with db.reading(self.engine) as conn:
            return queries.transactions(conn, account)

    def claims_of(self, person: str, status: ClaimStatus | None = None) -> list[Claim]:
        with db.reading(self.engine) as conn:
            return queries.claims_of(conn, person, status)

    def notifications(self, recipient: str, after: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        with db.reading(self.engine) as conn:
            return queries.notifications(conn, recipient, after, limit)

    def profile(self, expert: str = "", slug: str = "") -> ExpertProfile | None:
        with db.reading(self.engine) as conn:
            return queries.profile(conn, expert, slug)

    def payout_profile(self, expert: str) -> PayoutProfile | None:
        with db.reading(self.engine) as conn:
            return queries.payout_profile(conn, expert)

    def offers_of(self, expert: str) -> dict[Mode, tuple[Offer, ...]]:
        with db.reading(self.engine) as conn:
            return queries.offers_of(conn, expert)

    def slots_between(self, expert: str, begin: datetime, end: datetime) -> list[Slot]:
        """Stored slots overlapping [begin, end): those memory let go too (a past week's)."""
        with db.reading(self.engine) as conn:
            return queries.slots_between(conn, expert, begin, end)

    def payouts_on(self, day: str) -> list[Payout]:
        """The payouts of one payout day (memory keeps none once made)."""
        with db.reading(self.engine) as conn:
            return queries.payouts_on(conn, day)

    def reviews_of(self, expert: str) -> list[Review]:
        with db.reading(self.engine) as conn:
            return queries.reviews_of(conn, expert)

    def balance(self, account: str) -> dict[str, Any]:
        with db.reading(self.engine) as conn:
            return queries.balance(conn, account)

    def wallet_balance(self, customer: str) -> dict[str, Any]:
        return self.balance(wallet(customer))

    def earnings_balance(self, expert: str) -> dict[str, Any]:
        return self.balance(earnings(expert))
