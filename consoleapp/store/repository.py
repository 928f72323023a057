"""The World's records that memory let go, read back from the database on demand.

A store keeps only the open business in memory (see `open_world`). The dictionaries that hold
history (meetings, claims, group events, slots, payouts, reviews, months, transfers and two of
their indexes) or customers (their Person and wallet) are `Lazy`: a key not in memory is looked up
in the database, so the deciders, the folds and the screens read every record exactly as before,
by id, and never learn what was let go.

What a look-up may return depends on where the store is in the log (`Reader.mode`):
- inside a write transaction, folded up to the log's end: the stored row is the record as of now,
  and is kept for the rest of the batch (a decider reads the same meeting several times);
- while catching up with events another process appended (`as_of` a position p): the row may
  already include changes made at or after p, so it is used only if the row's `position` (the last
  write that touched it) is before p; a record whose first event is at or after p did not exist
  yet; anything else raises `Reload`, and the store loads the open business afresh instead;
- outside any transaction (a page reading a meeting): the row as stored, never kept.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from consoleapp.engine.ledger import Account, Transfer
from consoleapp.engine.model import (
    Claim,
    GroupEvent,
    Meeting,
    MeetingStatus,
    MonthSummary,
    Payout,
    Person,
    Review,
    Slot,
)

from . import db, schema
from .codec import decode, event_from
from .projections import Tracked

_MISSING = object()
_PREFETCH = 500  # ids per IN (...) list
K = TypeVar("K")
V = TypeVar("V")


def held(records: Mapping[K, V]) -> dict[K, V]:
    """What a World dict holds in memory, to read without reading through (a `Lazy` is a dict)."""
    assert isinstance(records, dict)
    return records


class Reload(Exception):  # noqa: N818 - a signal, not an error
    """A record let go was changed by an event being caught up: load the open business afresh."""


class CorruptRow(Exception):  # noqa: N818 - named for what was found
    """A stored row of a record let go cannot be read as one: the tables are rebuilt from the log
    (`Store.repair`), and the write that found it is undone (the server runs it once more).

    `recheck` reads the row again on a connection (raising this again if it still cannot be
    read): two processes that found the same row rebuild the tables once."""

    def __init__(self, what: str, key: Any, why: Exception,
                 recheck: Callable[[sa.Connection], object] | None = None) -> None:
        super().__init__(f"{what} {key} cannot be read ({type(why).__name__}: {why})")
        self.recheck = recheck


class Lazy(Tracked):
    """A tracked dict whose misses are read through `load` (None: there is no such record).

    A key removed since `dirty` was last cleared is gone, not read through: its row is only
    deleted when the write ends."""

    __slots__ = ("load",)

    def __init__(self, items: Any = (), load: Callable[[Any], Any] | None = None) -> None:
        super().__init__(items)
        self.load: Callable[[Any], Any] = load or (lambda _key: None)

    def _read(self, key: Any) -> Any:
        """A key not in memory: its record, or None."""
        return None if key in self.dirty else self.load(key)

    def __missing__(self, key: Any) -> Any:
        # Called by dict's own look-up on a miss only: a record in memory is found in C, which
        # matters where the rules walk many (an expert's slots, for each new one).
        value = self._read(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            value = self._read(key)
            return default if value is None else value
        return value

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._read(key) is not None

    def pop(self, key: Any, *default: Any) -> Any:
        if not dict.__contains__(self, key):
            value = self._read(key)
            if value is None:
                if default:
                    return default[0]
                raise KeyError(key)
            self.dirty.add(key)  # the write deletes its row
            return value
        return super().pop(key, *default)

    def __delitem__(self, key: Any) -> None:
        self.pop(key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            loaded = self._read(key)
            dict.__setitem__(self, key, default if loaded is None else loaded)
        self.dirty.add(key)
        return dict.__getitem__(self, key)

    def let_go(self, key: Any) -> None:
        """Drop a record from memory only: its row stays, and a later look-up reads it back."""
        dict.pop(self, key, None)

    def fork(self) -> Lazy:
        """An independent copy reading through the same loader (an optimistic view)."""
        return Lazy(self, self.load)


class Slots(Lazy):
    """The World's slots: every slot that ends after `complete_after` is in memory, its id in
    `World.slots_of`; one that ended before may have been let go (`open_world.let_go_slots`) and
    is read back by id. None: every slot is in memory.

    The rules walk an expert's slots only for what has not ended (overlaps of a new or moved
    slot, which cannot start in the past; free times; a slot open now), so a slot that ended
    before the time a command is decided at is never one they look for."""

    __slots__ = ("complete_after",)

    def __init__(self, items: Any = (), load: Callable[[Any], Any] | None = None,
                 complete_after: datetime | None = None) -> None:
        super().__init__(items, load)
        self.complete_after = complete_after

    def fork(self) -> Slots:
        return Slots(self, self.load, self.complete_after)


class Months(Lazy):
    """The experts' months (R32): every month from `complete_from` ('YYYY-MM') on is in memory, so
    a miss there is a month with nothing in it yet, never read; an older month may have been let go
    (`open_world.let_go_months`) and is read back by expert and month. None: every month is in
    memory. The folds add to the month of the time they are decided at, so an older one is only
    asked for when a command is decided at a time long past (a clock moved back)."""

    __slots__ = ("complete_from",)

    def __init__(self, items: Any = (), load: Callable[[Any], Any] | None = None,
                 complete_from: str | None = None) -> None:
        super().__init__(items, load)
        self.complete_from = complete_from

    def _read(self, key: Any) -> Any:
        if self.complete_from is not None and key[1] >= self.complete_from:
            return None
        return super()._read(key)

    def fork(self) -> Months:
        return Months(self, self.load, self.complete_from)


class Reader:
    """Where look-ups read from: the store's current transaction, or a fresh read of their own."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._local = threading.local()  # a batch runs in one thread; pages read in others
        # Told of a row that cannot be read, whichever thread read it: the store rebuilds the tables.
        self.on_corrupt: Callable[[CorruptRow], None] = lambda _found: None

    @contextlib.contextmanager
    def within(self, conn: sa.Connection, as_of: int | None = None) -> Iterator[None]:
        """Read through `conn`; `as_of`: catching up, folding the event at that position."""
        local = self._local
        saved = getattr(local, "conn", None), getattr(local, "as_of", None), getattr(local, "kept", None)
        local.conn, local.as_of, local.kept, local.read_back = conn, as_of, {}, set()
        try:
            yield
        finally:
            local.conn, local.as_of, local.kept = saved

    def folding(self, position: int) -> None:
        """Catching up: the event about to be folded is at `position`."""
        self._local.as_of = position

    def done_catching_up(self) -> None:
        self._local.as_of = None

    def _fetch(self, what: str, key: Any, query: Callable[[sa.Connection, int | None], Any]) -> Any:
        try:
            return self._fetch_as(what, key, query)
        except CorruptRow as found:
            found.recheck = lambda conn: query(conn, None)
            self.on_corrupt(found)
            raise

    def _fetch_as(self, what: str, key: Any, query: Callable[[sa.Connection, int | None], Any]) -> Any:
        local = self._local
        conn: sa.Connection | None = getattr(local, "conn", None)
        if conn is None:
            with db.reading(self.engine) as fresh:
                return query(fresh, None)
        as_of = local.as_of
        if as_of is not None:
            return query(conn, as_of)
        kept: dict[tuple[str, Any], Any] = local.kept
        found = kept.get((what, key), _MISSING)
        if found is _MISSING:
            found = kept[(what, key)] = query(conn, None)
        return found

    # --- the loaders, one per Lazy dictionary ---------------------------------------------------
    #
    # Plain SQL through the driver, like the write path (`db.insert_rows`): a command asks
    # several times whether an id is taken (a new transfer's id, a hold resolved), and
    # SQLAlchemy's statement machinery cost ten times the database's own look-up.

    def _rows(self, conn: sa.Connection, sql: str, *params: Any) -> list[Any]:
        if conn.dialect.paramstyle != "qmark":
            sql = sql.replace("?", "%s")
        cursor = conn.connection.cursor()  # the driver's own, in the same transaction
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def record(self, table: sa.Table, cls: type, removable: bool = False,
               created_by: str = "") -> Callable[[Any], Any]:
        """`removable`: a record whose row a later event may delete (a slot), so that a catch-up
        cannot take a missing row for one that never existed. `created_by`: the kind of the event
        that creates a record of a table whose rows are never deleted; a missing row whose record
        that event created was deleted by hand (`_missing`)."""
        by_id = f'SELECT record, "position" FROM "{table.name}" WHERE id = ?'
        first_event = 'SELECT min("position") FROM events WHERE ref = ?'

        def query(conn: sa.Connection, as_of: int | None, key: str) -> Any:
            rows = self._rows(conn, by_id, key)
            if not rows:
                if as_of is not None and removable:
                    first = self._rows(conn, first_event, key)[0][0]
                    if first is not None and first < as_of:
                        raise Reload(f"{table.name} {key} was removed at or after position {as_of}")
                if created_by:
                    self._missing(conn, table.name, created_by, [key], as_of)
                return None
            text, position = rows[0]
            if as_of is not None and position >= as_of:
                first = self._rows(conn, first_event, key)[0][0]
                if first is None or first >= as_of:
                    return None  # created at or after the event being caught up
                raise Reload(f"{table.name} {key} changed after position {as_of - 1}")
            return _decoded(table.name, key, cls, text)

        return lambda key: self._fetch(table.name, key, lambda conn, as_of: query(conn, as_of, key))

    def _missing(self, conn: sa.Connection, table: str, created_by: str, keys: list[str],
                 as_of: int | None = None) -> None:
        """Raise CorruptRow if the log created any of `keys`, which have no row in `table` (before
        `as_of`, catching up): its row was deleted by hand, and "no such record" would be silently
        wrong. One look-up of the log's `ref` index, paid only where an id is not in the table (an
        id being checked unused before a record is created, or a page asked for one that is not)."""
        marks = ", ".join("?" * len(keys))
        # `kind || ''` and `"position" + 0`: the database must search by `ref` (a record's few events).
        # SQLite keeps no statistics and took the kind's index instead, walking every meeting ever
        # requested at each new one (or, catching up, the log's positions before `as_of`).
        sql = f"SELECT ref FROM events WHERE ref IN ({marks}) AND kind || '' = ?"
        params: list[Any] = [*keys, created_by]
        if as_of is not None:
            sql += ' AND "position" + 0 < ?'
            params.append(as_of)
        found = self._rows(conn, sql + " LIMIT 1", *params)
        if found:
            key = found[0][0]
            raise CorruptRow(table, key, LookupError(f"its row is missing, while the log's {created_by} "
                                                     "created it"),
                             recheck=lambda again: self._missing(again, table, created_by, [key]))

    @staticmethod
    def prefetch_reads(table: sa.Table, keys: list[str], created_by: str = "") -> list[db.Ask]:
        """The reads of the records of `keys`, which a write sends with its locks (`db.writing(then=...)`)
        and hands to `keep` once it reads through this reader: `record`'s loader would read each in a
        round trip of its own (a push of new slots asks, for each, whether its id is taken). Per chunk
        of ids, their rows, and (for a table whose rows are never deleted) which of them the log
        created, so that a row deleted by hand is told from an id not taken yet (`_missing`)."""
        wanted = list(dict.fromkeys(keys))
        reads: list[db.Ask] = []
        for start in range(0, len(wanted), _PREFETCH):
            chunk = tuple(wanted[start:start + _PREFETCH])
            marks = ", ".join("?" * len(chunk))
            reads.append(db.Ask(f'SELECT id, record FROM "{table.name}" WHERE id IN ({marks})', chunk))
            if created_by:
                # As `_missing` asks it: by `ref`, the kind kept out of the index's choice.
                reads.append(db.Ask(f"SELECT DISTINCT ref FROM events WHERE ref IN ({marks}) AND kind || '' = ?",
                                    (*chunk, created_by)))
        return reads

    def keep(self, table: sa.Table, cls: type, reads: list[db.Ask], created_by: str = "") -> None:
        """Keep what `prefetch_reads` read (or its absence), for the rest of the write this reader
        reads within, folded up to the log's end: the kept rows are the records as of now. An id with
        no row that the log created raises CorruptRow (its row was deleted by hand)."""
        kept: dict[tuple[str, Any], Any] = self._local.kept
        step = 2 if created_by else 1
        for n in range(0, len(reads), step):
            chunk: tuple[str, ...] = reads[n].params
            found = {str(key): text for key, text in reads[n].rows}
            created = {str(row[0]) for row in reads[n + 1].rows} if created_by else set()
            deleted = [key for key in chunk if key not in found and key in created]
            if deleted:  # damage, seldom: `_missing` asks the log again and says which row
                try:
                    self._missing(self._local.conn, table.name, created_by, deleted)
                except CorruptRow as found_deleted:
                    self.on_corrupt(found_deleted)
                    raise
            for key in chunk:
                text = found.get(key)
                try:
                    kept[(table.name, key)] = None if text is None else decode(cls, json.loads(text))
                except Exception:  # noqa: S112 - left to `record`'s loader, which says so (CorruptRow)
                    continue

    def _by_pair(self, conn: sa.Connection, table: str, columns: tuple[str, str],
                 key: tuple[str, str]) -> tuple[str, int] | None:
        """(record, position) of the row a two-column key names, in a table of records let go."""
        rows = self._rows(conn, f'SELECT record, "position" FROM "{table}" WHERE {columns[0]} = ? AND {columns[1]} = ?',
                          *key)
        return (str(rows[0][0]), int(rows[0][1])) if rows else None

    def review(self, key: tuple[str, str]) -> Review | None:
        """A customer's review of an expert (R27), by the pair.

        Catching up, a row a later event rewrote (an edit) is still the record to fold over: a
        review's existence and `written_at` never change once it is written, and the fold of an
        edit reads nothing else of it. Only whether it existed before the event being folded is
        asked of the log (the pair's first `ReviewWritten`)."""
        customer, expert = key

        def query(conn: sa.Connection, as_of: int | None) -> Review | None:
            row = self._by_pair(conn, "reviews", ("customer", "expert"), key)
            if row is None:
                return None
            text, position = row
            if as_of is not None and position >= as_of:
                first = self._rows(conn, "SELECT min(\"position\") FROM events "
                                         "WHERE ref = ? AND kind || '' = 'ReviewWritten' AND actor = ?", expert, customer)[0][0]
                if first is None or first >= as_of:
                    return None  # written at or after the event being caught up
            found: Review = _decoded("reviews", key, Review, text)
            return found

        found: Review | None = self._fetch("reviews", key, query)
        return found

    def month(self, key: tuple[str, str]) -> MonthSummary | None:
        """An expert's month (R32), by expert and month. Catching up, a row a later event changed
        cannot be taken back to the event being folded (the month is a sum), nor can its absence
        before it be told: `Reload`. Only a command decided at a time long past gets there."""
        expert, month = key

        def query(conn: sa.Connection, as_of: int | None) -> MonthSummary | None:
            row = self._by_pair(conn, "months", ("expert", "month"), key)
            if row is None:
                return None
            text, position = row
            if as_of is not None and position >= as_of:
                raise Reload(f"the month {month} of {expert} changed at or after position {as_of}")
            found: MonthSummary = _decoded("months", key, MonthSummary, text)
            return found

        found: MonthSummary | None = self._fetch("months", key, query)
        return found

    def transfer(self, key: str) -> Transfer | None:
        def query(conn: sa.Connection, as_of: int | None) -> Transfer | None:
            # A transfer's row keeps the position of its own event: the join finds exactly it.
            sql = ('SELECT e.kind, e.data FROM transfers t JOIN events e ON e."position" = t."position" '
                   'WHERE t.id = ?')
            rows = self._rows(conn, sql, key) if as_of is None else \
                self._rows(conn, sql + ' AND t."position" < ?', key, as_of)
            if not rows:
                return None
            ev = event_from(rows[0][0], json.loads(rows[0][1]))
            return ev if isinstance(ev, Transfer) else None

        found: Transfer | None = self._fetch("transfers", key, query)
        return found

    def resolution(self, pending_id: str) -> str | None:
        """The id of the transfer that posted or voided a hold, if any."""
        def query(conn: sa.Connection, as_of: int | None) -> str | None:
            sql = "SELECT id FROM transfers WHERE pending_id = ?"
            rows = self._rows(conn, sql + ' ORDER BY "position" LIMIT 1', pending_id) if as_of is None else \
                self._rows(conn, sql + ' AND "position" < ? ORDER BY "position" LIMIT 1', pending_id, as_of)
            return str(rows[0][0]) if rows else None

        resolved: str | None = self._fetch("resolved", pending_id, query)
        return resolved

    def claims_of_session(self, session: str) -> tuple[str, ...] | None:
        """A session's claims in the order they were opened (the fold's order)."""
        def query(conn: sa.Connection, as_of: int | None) -> tuple[str, ...] | None:
            sql = ("SELECT c.id FROM claims c JOIN events e ON e.ref = c.id AND e.kind || '' = 'ClaimOpened' "
                   "WHERE c.session = ?")
            rows = self._rows(conn, sql + ' ORDER BY e."position"', session) if as_of is None else \
                self._rows(conn, sql + ' AND e."position" + 0 < ? ORDER BY e."position"', session, as_of)
            return tuple(str(r[0]) for r in rows) or None

        found: tuple[str, ...] | None = self._fetch("claims_of_session", session, query)
        return found

    # A customer's records that memory does not keep: their wallet and their Person. Catching up,
    # their row may already hold what events after the one being folded did (a wallet is a sum,
    # and cannot be taken back to an event): the fold works on the row anyway, and the record is
    # noted (`read_while_catching_up`) for the store to let go once the catch-up has reached the
    # log's end, where the row is right again. No rule runs in between: folds decide nothing.

    def account(self, account_id: str) -> Account | None:
        """A ledger account as its row holds it (a store keeps no customer's wallet in memory)."""
        def query(conn: sa.Connection, as_of: int | None) -> Account | None:
            if as_of is not None:
                self._local.read_back.add(("accounts", account_id))
            rows = self._rows(conn, "SELECT debits_pending, debits_posted, credits_pending, credits_posted "
                                    "FROM accounts WHERE id = ?", account_id)
            return Account(account_id, *(int(x) for x in rows[0])) if rows else None

        found: Account | None = self._fetch("accounts", account_id, query)
        return found

    def person(self, person_id: str) -> Person | None:
        """A person as their row holds them (a store keeps no customer's Person in memory); catching
        up, one whose account was opened at or after the event being folded did not exist yet."""
        def query(conn: sa.Connection, as_of: int | None) -> Person | None:
            rows = self._rows(conn, "SELECT record FROM people WHERE id = ?", person_id)
            if not rows:
                self._missing(conn, "people", CREATED_BY["people"], [person_id], as_of)
                return None
            if as_of is not None:
                opened = self._rows(conn, "SELECT min(\"position\") FROM events WHERE ref = ? AND kind || '' = 'AccountOpened'",
                                    person_id)[0][0]
                if opened is None or opened >= as_of:
                    return None
                self._local.read_back.add(("people", person_id))
            found: Person = _decoded("people", person_id, Person, rows[0][0])
            return found

        found: Person | None = self._fetch("people", person_id, query)
        return found

    def read_while_catching_up(self) -> set[tuple[str, str]]:
        """(table, id) of the accounts and people read back while catching up since the last call."""
        read: set[tuple[str, str]] = getattr(self._local, "read_back", set())
        self._local.read_back = set()
        return read

    def met(self, customer: str) -> set[str] | None:
        """The experts a customer had a session with (R27). It only grows, and folding a
        session again adds nothing, so a catch-up may read it as of now."""
        def query(conn: sa.Connection, _as_of: int | None) -> set[str] | None:
            rows = self._rows(conn, "SELECT DISTINCT expert FROM meetings WHERE customer = ? AND status IN (?, ?, ?)",
                              customer, *_MET)
            return {str(r[0]) for r in rows} or None

        found: set[str] | None = self._fetch("met", customer, query)
        return None if found is None else set(found)  # the fold adds to it: never share the kept one


def _decoded(what: str, key: Any, cls: type, text: str) -> Any:
    """A row's record; one that cannot be read as a `cls` is a CorruptRow."""
    try:
        return decode(cls, json.loads(text))
    except Exception as why:
        raise CorruptRow(what, key, why) from why


# The event that creates each record of a table whose rows are never deleted (the record's id is
# the event's ref): a missing row of a record the log created is one deleted by hand.
CREATED_BY = {"meetings": "MeetingRequested", "claims": "ClaimOpened", "group_events": "GroupEventCreated",
              "payouts": "PayoutMade", "people": "AccountOpened"}

_MET = (MeetingStatus.HELD.value, MeetingStatus.SETTLED.value, MeetingStatus.UNDER_REVIEW.value)


def lazy_world_parts(reader: Reader, open_holds: dict[Any, Any]) -> dict[str, Callable[[Any], Any]]:
    """World attribute -> its loader (the ledger's two are named `ledger.<attr>`).

    `open_holds`: the ledger's transfers in memory. A hold there is open or was resolved in
    memory (a resolved one is let go with its resolution), so its resolution is never asked of
    the database: most commands ask whether a hold is still open."""
    def resolution(pending_id: str) -> str | None:
        return None if dict.__contains__(open_holds, pending_id) else reader.resolution(pending_id)

    return {
        "meetings": reader.record(schema.meetings, Meeting, created_by=CREATED_BY["meetings"]),
        "claims": reader.record(schema.claims, Claim, created_by=CREATED_BY["claims"]),
        "group_events": reader.record(schema.group_events, GroupEvent, created_by=CREATED_BY["group_events"]),
        "slots": reader.record(schema.slots, Slot, removable=True),
        "claims_of_session": reader.claims_of_session,
        "met": reader.met,
        "payouts": reader.record(schema.payouts, Payout, created_by=CREATED_BY["payouts"]),
        "reviews": reader.review,
        "months": reader.month,
        "ledger.transfers": reader.transfer,
        "ledger.accounts": reader.account,
        "people": reader.person,
        "ledger.resolved": resolution,
    }
