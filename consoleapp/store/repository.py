"""The World's records that memory let go, read back from the database on demand.

A store keeps only the open business in memory (see `open_world`). The dictionaries that hold
history (meetings, claims, group events, transfers and two of their indexes) are `Lazy`: a key
not in memory is looked up in the database, so the deciders, the folds and the screens read
every record exactly as before, by id, and never learn what was let go.

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
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.ledger import Transfer
from consoleapp.engine.model import Claim, GroupEvent, Meeting, MeetingStatus

from . import db, schema
from .codec import decode, event_from
from .projections import Tracked

_MISSING = object()


class Reload(Exception):  # noqa: N818 - a signal, not an error
    """A record let go was changed by an event being caught up: load the open business afresh."""


class Lazy(Tracked):
    """A tracked dict whose misses are read through `load` (None: there is no such record)."""

    __slots__ = ("load",)

    def __init__(self, items: Any = (), load: Callable[[Any], Any] | None = None) -> None:
        super().__init__(items)
        self.load: Callable[[Any], Any] = load or (lambda _key: None)

    def __getitem__(self, key: Any) -> Any:
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            value = self.load(key)
            if value is None:
                raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        if value is _MISSING:
            value = self.load(key)
            return default if value is None else value
        return value

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self.load(key) is not None

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            loaded = self.load(key)
            dict.__setitem__(self, key, default if loaded is None else loaded)
        self.dirty.add(key)
        return dict.__getitem__(self, key)

    def let_go(self, key: Any) -> None:
        """Drop a record from memory only: its row stays, and a later look-up reads it back."""
        dict.pop(self, key, None)

    def fork(self) -> Lazy:
        """An independent copy reading through the same loader (an optimistic view)."""
        return Lazy(self, self.load)


class Reader:
    """Where look-ups read from: the store's current transaction, or a fresh read of their own."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._local = threading.local()  # a batch runs in one thread; pages read in others

    @contextlib.contextmanager
    def within(self, conn: sa.Connection, as_of: int | None = None) -> Iterator[None]:
        """Read through `conn`; `as_of`: catching up, folding the event at that position."""
        local = self._local
        saved = getattr(local, "conn", None), getattr(local, "as_of", None), getattr(local, "kept", None)
        local.conn, local.as_of, local.kept = conn, as_of, {}
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

    def record(self, table: sa.Table, cls: type) -> Callable[[Any], Any]:
        def query(conn: sa.Connection, as_of: int | None, key: str) -> Any:
            row = conn.execute(sa.select(table.c.record, table.c.position).where(table.c.id == key)).first()
            if row is None:
                return None
            if as_of is not None and row.position >= as_of:
                e = schema.events.c
                first = conn.execute(sa.select(sa.func.min(e.position)).where(e.ref == key)).scalar()
                if first is None or first >= as_of:
                    return None  # created at or after the event being caught up
                raise Reload(f"{table.name} {key} changed after position {as_of - 1}")
            return decode(cls, json.loads(row.record))

        return lambda key: self._fetch(table.name, key, lambda conn, as_of: query(conn, as_of, key))

    def transfer(self, key: str) -> Transfer | None:
        def query(conn: sa.Connection, as_of: int | None) -> Transfer | None:
            t, e = schema.transfers.c, schema.events.c
            stmt = (sa.select(e.kind, e.data).select_from(schema.transfers.join(schema.events, e.position == t.position))
                    .where(t.id == key))
            if as_of is not None:
                stmt = stmt.where(t.position < as_of)
            # A transfer's row points at the position of its event; several transfers may share a
            # batch's events only by their own positions, so the join finds exactly its event.
            row = conn.execute(stmt).first()
            if row is None:
                return None
            ev = event_from(row.kind, json.loads(row.data))
            return ev if isinstance(ev, Transfer) else None

        found: Transfer | None = self._fetch("transfers", key, query)
        return found

    def resolution(self, pending_id: str) -> str | None:
        """The id of the transfer that posted or voided a hold, if any."""
        def query(conn: sa.Connection, as_of: int | None) -> str | None:
            t = schema.transfers.c
            stmt = sa.select(t.id).where(t.pending_id == pending_id)
            if as_of is not None:
                stmt = stmt.where(t.position < as_of)
            found: str | None = conn.execute(stmt.order_by(t.position).limit(1)).scalar()
            return found

        resolved: str | None = self._fetch("resolved", pending_id, query)
        return resolved

    def claims_of_session(self, session: str) -> tuple[str, ...] | None:
        """A session's claims in the order they were opened (the fold's order)."""
        def query(conn: sa.Connection, as_of: int | None) -> tuple[str, ...] | None:
            c, e = schema.claims.c, schema.events.c
            stmt = (sa.select(c.id).select_from(schema.claims.join(
                schema.events, sa.and_(e.ref == c.id, e.kind == "ClaimOpened")))
                .where(c.session == session))
            if as_of is not None:
                stmt = stmt.where(e.position < as_of)
            ids = tuple(conn.execute(stmt.order_by(e.position)).scalars())
            return ids or None

        found: tuple[str, ...] | None = self._fetch("claims_of_session", session, query)
        return found


    def met(self, customer: str) -> set[str] | None:
        """The experts a customer had a session with (R27). It only grows, and folding a
        session again adds nothing, so a catch-up may read it as of now."""
        def query(conn: sa.Connection, _as_of: int | None) -> set[str] | None:
            m = schema.meetings.c
            stmt = sa.select(m.expert).distinct().where(m.customer == customer, m.status.in_(_MET))
            return set(conn.execute(stmt).scalars()) or None

        found: set[str] | None = self._fetch("met", customer, query)
        return None if found is None else set(found)  # the fold adds to it: never share the kept one


_MET = (MeetingStatus.HELD.value, MeetingStatus.SETTLED.value, MeetingStatus.UNDER_REVIEW.value)


def lazy_world_parts(reader: Reader) -> dict[str, Callable[[Any], Any]]:
    """World attribute -> its loader (the ledger's two are named `ledger.<attr>`)."""
    return {
        "meetings": reader.record(schema.meetings, Meeting),
        "claims": reader.record(schema.claims, Claim),
        "group_events": reader.record(schema.group_events, GroupEvent),
        "claims_of_session": reader.claims_of_session,
        "met": reader.met,
        "ledger.transfers": reader.transfer,
        "ledger.resolved": reader.resolution,
    }
