"""The open business: what a store keeps in memory, loaded from the projections, not the log.

A World folded from the whole log holds every meeting ever; the rules only need the records that
still have something ahead (a deadline, a hold, an open claim) plus a few small indexes. So a store
starts by reading those from the tables (`load_open`), in time that follows the open business,
not the history; lets go of each record once it is closed (`let_go`), and reads it back by id
when a command or a page asks (`repository.Lazy`).

`rebuild` is the way back when the tables cannot be trusted (missing, unreadable, or written by
an older version): it replays the whole log, rewrites every projection row and says so in the log.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.claims import count_lost
from consoleapp.engine.decide import evolve
from consoleapp.engine.events import Event, NotificationQueued
from consoleapp.engine.groups import is_active as event_is_active
from consoleapp.engine.ledger import (
    Account,
    Transfer,
    TransferKind,
    earnings,
    holds_differ,
    unbalanced,
    wallet,
)
from consoleapp.engine.meetings import put
from consoleapp.engine.model import (
    Claim,
    ClaimStatus,
    ExpertProfile,
    GroupEvent,
    Meeting,
    Mode,
    MonthSummary,
    PayoutProfile,
    Person,
    Role,
    Slot,
)
from consoleapp.engine.world import FOLDERS, World, hold_slot

from . import db, queries, schema
from .codec import decode, event_from
from .projections import (
    ACCOUNT_COLUMNS,
    NOTIFICATION_COLUMNS,
    OFFERS,
    PLATFORM_MONTH_COLUMNS,
    PROJECTIONS,
    TRANSFER_COLUMNS,
    Tracked,
    account_values,
    forget,
    meeting_open,
    notification_values,
    platform_month_rows,
    transfer_values,
)
from .repository import Lazy, Months, Reader, Slots, held, lazy_world_parts

log = logging.getLogger("consoleapp.store")

PROJECTED = db.PROJECTED
CUSTOMER = wallet("")  # what every customer's wallet id begins with, as `ledger.wallet` makes them
_CHUNK = 500  # ids per IN (...) list


class Untrusted(Exception):  # noqa: N818 - a reason, carried to the log line
    """The projection tables cannot be loaded as they are."""


def _records(conn: sa.Connection, table: sa.Table, cls: type, where: Any = None) -> Iterator[Any]:
    stmt = sa.select(table.c.record)
    if where is not None:
        stmt = stmt.where(where)
    for (text,) in conn.execute(stmt):
        yield decode(cls, json.loads(text))


def logged(conn: sa.Connection, *kinds: str) -> Iterator[tuple[int, Event]]:
    """(position, event) of the log's events of these kinds, or of every kind, in log order."""
    for position, kind, data in conn.execute(logged_statement(*kinds)):
        yield position, event_from(kind, json.loads(data))


def logged_statement(*kinds: str) -> sa.Select[Any]:
    """`logged`'s read. The kinds are among `schema.START_KINDS`, the only ones the log's index of
    kinds holds; the statement holds the index's own term (`schema.start_kinds_only`)."""
    e = schema.events.c
    stmt = sa.select(e.position, e.kind, e.data).order_by(e.position)
    if not kinds:
        return stmt
    if not set(kinds) <= set(schema.START_KINDS):
        raise ValueError(f"the log's index of kinds holds only {', '.join(schema.START_KINDS)}, not {', '.join(sorted(kinds))}")
    return stmt.where(schema.start_kinds_only(), e.kind.in_(kinds))


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _transfers(conn: sa.Connection, where: Any) -> Iterator[Transfer]:
    """The transfers `where` selects, in log order."""
    t, e = schema.transfers.c, schema.events.c
    stmt = (sa.select(e.kind, e.data).select_from(schema.transfers.join(schema.events, e.position == t.position))
            .where(where).order_by(t.position))
    for kind, data in conn.execute(stmt):
        ev = event_from(kind, json.loads(data))
        assert isinstance(ev, Transfer)
        yield ev


def _fold_only(w: World, ev: Event) -> None:
    """Run an event's folds on a World being loaded (the version is set once, at the end)."""
    for fold in FOLDERS.get(type(ev), ()):
        fold(w, ev)


def load_open(conn: sa.Connection, reader: Reader, check: bool = False) -> World:
    """The open business at the log's current end, read from the projection tables.

    `check` (a start): the accounts table must keep double entry, or the tables are untrusted. A
    balance row changed by hand, or torn, is found here, not by the first rule that reads it."""
    w = World()
    counters = {name: value for name, value in conn.execute(sa.select(schema.counters.c.name, schema.counters.c.value))}
    length = int(counters.get(db.LOG, 0))
    if counters.get(PROJECTED) != length:
        raise Untrusted(f"the tables reflect position {counters.get(PROJECTED)}, the log holds {length} events")
    # The experts and operators, kept whole (the operators' pages list the experts from them); a
    # customer is read back by id when a rule or a page asks. Then one row per expert.
    for p in _records(conn, schema.people, Person, schema.people.c.role != Role.CUSTOMER.value):
        w.people[p.id] = p
    for pr in _records(conn, schema.profiles, ExpertProfile):
        w.profiles[pr.expert] = pr
        if pr.slug:
            w.slugs[pr.slug] = pr.expert
    for pp in _records(conn, schema.payout_profiles, PayoutProfile):
        w.payout_profiles[pp.expert] = pp
    o = schema.offers.c
    for expert, mode, text in conn.execute(sa.select(o.expert, o.mode, o.record)):
        w.offers[(expert, Mode(mode))] = decode(OFFERS, json.loads(text))
    # The slots that have not ended, by the newest event's time (see `let_go_slots`).
    last = conn.execute(sa.select(schema.events.c.at).where(schema.events.c.position == length)).scalar()
    complete_after = slot_cutoff(last) if last is not None else None
    for s in _records(conn, schema.slots, Slot, None if complete_after is None else schema.slots.c.ends_at > complete_after):
        w.slots[s.id] = s
        hold_slot(w, s.expert, s.id, s.start, s.end)
    # The experts' recent months (see `let_go_months`); an older one is read back when asked.
    months_from = month_cutoff(last) if last is not None else None
    for ms in _records(conn, schema.months, MonthSummary, None if months_from is None else schema.months.c.month >= months_from):
        w.months[(ms.expert, ms.month)] = ms
    u = schema.promo_uses.c
    for code, customer, uses in conn.execute(sa.select(u.code, u.customer, u.uses)):
        w.promo_uses_by[(code, customer)] = uses
        w.promo_uses[code] = w.promo_uses.get(code, 0) + uses
    # The platform's and the experts' accounts; a customer's wallet is read back when a rule asks (R11).
    for row in conn.execute(sa.select(schema.accounts).where(~schema.accounts.c.id.startswith(CUSTOMER))):
        w.ledger.accounts[row.id] = Account(row.id, row.debits_pending, row.debits_posted, row.credits_pending,
                                            row.credits_posted)
    # The open records, and the indexes the rules walk (`due`, R10, availability).
    for m in _records(conn, schema.meetings, Meeting, schema.meetings.c.open):
        put(w, m)
        if m.slot:
            w.booked_in_slot.setdefault(m.slot, set()).add(m.id)
    for g in _records(conn, schema.group_events, GroupEvent, schema.group_events.c.open):
        w.group_events[g.id] = g
        w.active_events.add(g.id)
    for cl in _records(conn, schema.claims, Claim, schema.claims.c.status == ClaimStatus.OPEN.value):
        w.claims[cl.id] = cl
        w.open_claims.add(cl.id)
    # Open holds belong to open meetings and events (a closed one has resolved all of its own).
    t = schema.transfers.c
    refs = sorted({*w.meetings, *w.group_events})
    for chunk in _chunks(refs):
        for tr in _transfers(conn, sa.and_(t.ref.in_(chunk), t.kind == TransferKind.PENDING.value)):
            w.ledger.transfers[tr.id] = tr
    pending = sorted(w.ledger.transfers)
    for chunk in _chunks(pending):
        for (pid,) in conn.execute(sa.select(t.pending_id).where(t.pending_id.in_(chunk))):
            w.ledger.transfers.pop(pid, None)  # resolved: not open after all
    # Each expert's transfers since their last payout (R32, R33): the next payout's lines. The
    # last payout is found in its table (memory holds no payout: each names every transfer it
    # paid), its position from its event (a write's later events may pay the same expert); the
    # transfers since are read by position, so the read is of the open period, not the history.
    e = schema.events.c
    last_payout = last_payouts(conn)
    made: dict[str, int] = {}
    for chunk in _chunks(sorted(last_payout.values())):
        made.update(conn.execute(sa.select(e.ref, sa.func.max(e.position))
                                 .where(e.ref.in_(chunk), e.kind == "PayoutMade").group_by(e.ref)).all())
    since = {earnings(x): made.get(last_payout.get(x, ""), 0)
             for x in sorted(w.profiles)}  # every expert has one from their account's opening
    never = sorted(a for a, at in since.items() if not at)  # never paid: their whole history is unpaid
    # Only the ids: the payout's lines name them, and a transfer itself is read back when asked
    # (a long-unpaid expert has hundreds of thousands; decoding each cost seconds at start). The
    # rows are streamed in log order and only the ids kept: collecting the rows first, to sort
    # them, left each kept id among freed strings, and the process three times the ids' size.
    moves = sa.select(t.position, t.id, t.debit, t.credit).order_by(t.position)
    recent = min((at for at in since.values() if at), default=None)
    unpaid: dict[str, list[str]] = {}

    def add(rows: Iterable[Any], accounts: set[str] | dict[str, int]) -> None:
        for position, tid, debit, credit in rows:
            for account in (debit, credit):
                if account in accounts and position > since[account]:
                    ids = unpaid.get(account)
                    if ids is None:
                        ids = unpaid[account] = []
                    ids.append(tid)

    # The never-paid experts' transfers up to the others' last payout, a chunk of accounts at a
    # time (each account's in log order), then every transfer since: each read once, in order.
    for chunk in _chunks(never):
        which = sa.or_(t.debit.in_(chunk), t.credit.in_(chunk))
        add(conn.execute(moves.where(which if recent is None else sa.and_(which, t.position <= recent))), set(chunk))
    if recent is not None:
        add(conn.execute(moves.where(t.position > recent)), since)
    for account, ids in unpaid.items():
        w.unpaid_of[account.removeprefix("expert:")] = ids
    # Small state the log names by kind: promo codes, payout days, R31's flags.
    for _, ev in logged(conn, *schema.START_KINDS):
        _fold_only(w, ev)
    # R31's counts: each dispute an expert lost is a claim the operator refunded after review,
    # its row found by status (indexed) with the time it was decided; not the log's events.
    lost: list[tuple[datetime, str, str]] = []
    for cl in _records(conn, schema.claims, Claim, schema.claims.c.status == ClaimStatus.DISPUTE_REJECTED.value):
        if cl.decided_at is None:
            raise Untrusted(f"claim {cl.id} is a rejected dispute with no time decided")
        lost.append((cl.decided_at, cl.id, cl.expert))
    for at, _, expert in sorted(lost):
        count_lost(w, expert, at)
    if check:
        broken = unbalanced(queries.every_account(conn))
        if broken:
            raise Untrusted(f"the accounts table breaks double entry: {'; '.join(broken)}")
        # An open meeting's or event's row deleted (or closed) by hand takes its hold out of memory,
        # while escrow's row still holds it: the scheduler would never settle it.
        broken = holds_differ(w.ledger)
        if broken:
            raise Untrusted(f"the open meetings and events do not hold what escrow holds: {'; '.join(broken)}")
    w.version = length
    return track(w, reader, complete_after, months_from)


def last_payouts(conn: sa.Connection) -> dict[str, str]:
    """Each paid expert's last payout id: of their latest payout day, the greatest id."""
    p = schema.payouts.c
    latest = sa.select(p.expert, sa.func.max(p.day).label("day")).group_by(p.expert).subquery()
    stmt = (sa.select(p.expert, sa.func.max(p.id))
            .join(latest, sa.and_(p.expert == latest.c.expert, p.day == latest.c.day))
            .group_by(p.expert))
    return {expert: pid for expert, pid in conn.execute(stmt)}


def track(w: World, reader: Reader, slots_after: datetime | None = None, months_from: str | None = None) -> World:
    """Swap the World's dictionaries for tracked ones, those holding history for `Lazy` ones;
    `slots_after`: the slots ending after it are all in memory (`Slots.complete_after`);
    `months_from`: the months from it on are (`Months.complete_from`)."""
    transfers = Lazy(w.ledger.transfers)
    loaders = lazy_world_parts(reader, transfers)
    transfers.load = loaders["ledger.transfers"]
    for p in PROJECTIONS:
        current = getattr(w, p.attr)
        setattr(w, p.attr, Lazy(current, loaders[p.attr]) if p.attr in loaders else Tracked(current))
    w.slots = Slots(w.slots, loaders["slots"], slots_after)
    w.months = Months(w.months, loaders["months"], months_from)
    w.claims_of_session = Lazy(w.claims_of_session, loaders["claims_of_session"])
    w.met = Lazy(w.met, loaders["met"])
    w.ledger.transfers = transfers
    w.ledger.resolved = Lazy(w.ledger.resolved, loaders["ledger.resolved"])
    w.ledger.accounts = Lazy(w.ledger.accounts, loaders["ledger.accounts"])
    forget(w)
    return w


def let_go(w: World) -> int:
    """Drop from memory the records a write or a catch-up closed (their rows stay); returns how many.

    Reads the tracked dictionaries' `dirty` keys, so call it before `forget`."""
    gone = 0
    meetings = w.meetings
    for mid in tuple(getattr(meetings, "dirty", ())):
        m = dict.get(held(meetings), mid)
        if m is not None and not meeting_open(m):
            _let_go(meetings, mid)
            if m.slot and m.slot in w.booked_in_slot:
                booked = w.booked_in_slot[m.slot]
                booked.discard(mid)
                if not booked:
                    del w.booked_in_slot[m.slot]
            gone += 1
    for gid in tuple(getattr(w.group_events, "dirty", ())):
        g = dict.get(held(w.group_events), gid)
        if g is not None and not event_is_active(g):
            _let_go(w.group_events, gid)
            gone += 1
    for cid in tuple(getattr(w.claims, "dirty", ())):
        cl = dict.get(held(w.claims), cid)
        if cl is not None and cl.status is not ClaimStatus.OPEN:
            _let_go(w.claims, cid)
            _let_go(w.claims_of_session, cl.session)  # read back, in order, when asked
            gone += 1
    ledger = w.ledger
    resolved = ledger.resolved
    for pid in tuple(getattr(resolved, "dirty", ())):
        _let_go(resolved, pid)
        _let_go(ledger.transfers, pid)
    # A transfer is history once written unless it is an open hold: an expert's unpaid earnings
    # are named by id in `unpaid_of` (the next payout's lines), and a statement reads each back.
    for tid in tuple(getattr(ledger.transfers, "dirty", ())):
        tr = dict.get(held(ledger.transfers), tid)
        if tr is None:
            continue
        if tr.kind is TransferKind.PENDING and not dict.__contains__(resolved, tid):
            continue  # an open hold
        _let_go(ledger.transfers, tid)
    # A customer's wallet and Person are read back by the next write that needs them (R11 checks
    # the balance then): memory keeps neither, whatever the customer has open.
    for account in tuple(getattr(ledger.accounts, "dirty", ())):
        if account.startswith(CUSTOMER):
            _let_go(ledger.accounts, account)
    for pid in tuple(getattr(w.people, "dirty", ())):
        who = dict.get(held(w.people), pid)
        if who is not None and who.role is Role.CUSTOMER:
            _let_go(w.people, pid)
    for pid in tuple(getattr(w.payouts, "dirty", ())):  # a payout is history once made: its statement reads it back by id
        _let_go(w.payouts, pid)
        gone += 1
    for pair in tuple(getattr(w.reviews, "dirty", ())):  # history once written: read back by its pair (R27)
        _let_go(w.reviews, pair)
        gone += 1
    return gone


def let_go_read_back(w: World, read: Iterable[tuple[str, str]]) -> None:
    """Let go the accounts and people a catch-up read back (`Reader.read_while_catching_up`)."""
    for table, key in read:
        _let_go(w.ledger.accounts if table == "accounts" else w.people, key)


def _let_go(records: Any, key: Any) -> None:
    if isinstance(records, Lazy):
        records.let_go(key)


# How long after it ends a slot stays in memory, behind the newest event's time (rounded down to
# the hour, so that the slots are swept once an hour at most). A command decided before the time
# the slots are complete from (a clock moved back, a history written out of order) first reads
# the slots it needs back (`keep_slots_from`): the margin only spares that read.
SLOT_GRACE = timedelta(days=1)


def slot_cutoff(newest: datetime) -> datetime:
    return newest.replace(minute=0, second=0, microsecond=0) - SLOT_GRACE


def let_go_slots(w: World, newest: datetime) -> int:
    """Drop from memory the slots that ended a day before `newest` (an event's time), and their
    ids from `slots_of`, which the rules walk for each new slot, each free time, each "now";
    returns how many. Their rows stay: a slot is read back by id when a command names it."""
    slots = w.slots
    if not isinstance(slots, Slots):
        return 0
    cutoff = slot_cutoff(newest)
    if slots.complete_after is not None and cutoff <= slots.complete_after:
        return 0
    ended = [s for s in dict.values(slots) if s.end <= cutoff]
    for s in ended:
        slots.let_go(s.id)
        ids = w.slots_of.get(s.expert)
        if ids is not None:
            ids.discard(s.id)
    slots.complete_after = cutoff
    return len(ended)


# How far behind the newest event's time an expert's month stays in memory: the folds add to the
# month of the time a command is decided at, in the expert's zone (up to 14 hours from UTC), so
# memory keeps the month before too, and a little more.
MONTH_GRACE = timedelta(days=40)


def month_cutoff(newest: datetime) -> str:
    """The first month ('YYYY-MM', as `payouts.month_of` writes them) memory keeps whole."""
    then = newest.astimezone(UTC) - MONTH_GRACE
    return f"{then.year:04d}-{then.month:02d}"


def let_go_months(w: World, newest: datetime) -> int:
    """Drop from memory the experts' months before `month_cutoff(newest)` (R32: what a month
    page or statement reads comes from the table); returns how many. A fold that adds to one of
    them (a command decided at a time long past) reads it back."""
    months = w.months
    if not isinstance(months, Months):
        return 0
    cutoff = month_cutoff(newest)
    if months.complete_from is not None and cutoff <= months.complete_from:
        return 0
    old = [key for key in dict.keys(months) if key[1] < cutoff]
    for key in old:
        months.let_go(key)
    months.complete_from = cutoff
    return len(old)


def slots_incomplete(w: World, when: datetime) -> bool:
    """Whether memory lacks slots ending after `when` that it let go (`keep_slots_from` reads them)."""
    slots = w.slots
    return (isinstance(slots, Slots) and slots.complete_after is not None
            and when.tzinfo is not None  # the engine refuses such a time; nothing to read for it
            and when < slots.complete_after)


def keep_slots_from(conn: sa.Connection, w: World, when: datetime) -> int:
    """Read back into memory the slots that end after `when` and were let go (a command is about
    to be decided at `when`, before the time the slots in memory are complete from); returns how many."""
    slots = w.slots
    if not slots_incomplete(w, when):
        return 0
    assert isinstance(slots, Slots) and slots.complete_after is not None
    c = schema.slots.c
    back = 0
    for s in _records(conn, schema.slots, Slot, sa.and_(c.ends_at > when, c.ends_at <= slots.complete_after)):
        if dict.__contains__(slots, s.id) or s.id in slots.dirty:  # this write changed or removed it already
            continue
        dict.__setitem__(slots, s.id, s)
        hold_slot(w, s.expert, s.id, s.start, s.end)
        back += 1
    slots.complete_after = when
    return back


# --- when the tables cannot be trusted --------------------------------------------------------


def rebuild(conn: sa.Connection, reason: str) -> World:
    """Replay the whole log and rewrite every projection, account and transfer row from it.

    The caller holds the write lock; the World returned is the whole history (the caller lets
    the closed part go by loading the open business afresh)."""
    started = time.monotonic()
    log.warning("rebuilding the projection tables from the log: %s", reason)
    e = schema.events.c
    world = World()
    moves: list[tuple[Any, ...]] = []
    notes: list[tuple[Any, ...]] = []
    timefmt = db.time_formatter(conn.dialect)
    for position, kind, data in conn.execute(sa.select(e.position, e.kind, e.data).order_by(e.position)):
        ev = event_from(kind, json.loads(data))
        evolve(world, ev)
        world.version = position
        if isinstance(ev, Transfer):
            moves.append(transfer_values(position, ev, timefmt))
        elif isinstance(ev, NotificationQueued):
            notes.append(notification_values(position, ev, timefmt, data))
    length = int(conn.execute(sa.select(schema.counters.c.value)
                              .where(schema.counters.c.name == db.LOG)).scalar_one())
    for p in PROJECTIONS:
        conn.execute(sa.delete(p.table))
        rows = [p.values(k, r, timefmt) + ((length,) if p.positioned else ()) for k, r in getattr(world, p.attr).items()]
        db.insert_rows(conn, p.table, p.written, rows)
    conn.execute(sa.delete(schema.accounts))
    db.insert_rows(conn, schema.accounts, ACCOUNT_COLUMNS, [account_values(x) for x in world.ledger.accounts.values()])
    conn.execute(sa.delete(schema.transfers))
    db.insert_rows(conn, schema.transfers, TRANSFER_COLUMNS, moves)
    conn.execute(sa.delete(schema.notifications))
    db.insert_rows(conn, schema.notifications, NOTIFICATION_COLUMNS, notes)
    conn.execute(sa.delete(schema.platform_months))
    db.insert_rows(conn, schema.platform_months, PLATFORM_MONTH_COLUMNS,
                   platform_month_rows(world, list(world.ledger.transfers.values())))
    set_projected(conn, length)
    log.warning("rebuilt the projection tables from %d events in %.1f s", length, time.monotonic() - started)
    return world


def set_projected(conn: sa.Connection, position: int) -> None:
    c = schema.counters.c
    conn.execute(sa.delete(schema.counters).where(c.name == PROJECTED))
    conn.execute(sa.insert(schema.counters).values(name=PROJECTED, value=position))


def fork(world: World) -> World:
    """An independent copy of the open business whose misses still read through (a desktop's
    optimistic view): copying memory only, it costs the open business, not the history."""
    clone = world.copy()
    for parts, copies in ((world, clone), (world.ledger, clone.ledger)):
        for f in dataclasses.fields(parts):
            original = getattr(parts, f.name)
            if isinstance(original, Lazy):  # `copy` made a plain dict of what memory holds
                setattr(copies, f.name, original.fork())
    return clone


def repair_schema(engine: sa.Engine) -> str:
    """Recreate a projection table that is missing or has other columns than this version's;
    returns why, or '' when every table is as expected (then nothing was touched).

    A table that lacks only its `position` column (an older version's, before its records left
    memory) gets it, at 0, in place: a row that no write of this version touched yet was last
    written before any position a catch-up asks about, which is all 0 tells a look-up."""
    inspector = sa.inspect(engine)
    tables = [p.table for p in PROJECTIONS] + [schema.accounts, schema.transfers, schema.platform_months,
                                              schema.notifications]
    wrong: list[str] = []
    unpositioned: list[sa.Table] = []
    for table in tables:
        if not inspector.has_table(table.name):
            wrong.append(f"{table.name} is missing")
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        expected = {c.name for c in table.columns}
        if have == expected - {"position"} and "position" in expected:
            unpositioned.append(table)
        elif have != expected:
            wrong.append(f"{table.name} has columns {sorted(have)}")
    for table in unpositioned:
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f'ALTER TABLE "{table.name}" ADD COLUMN "position" BIGINT NOT NULL DEFAULT 0'))
                for index in table.indexes:
                    index.create(conn, checkfirst=True)
        except sa.exc.DBAPIError:  # another process starting now added it first?
            if "position" not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                raise
        log.info("added the position column to %s", table.name)
    if not wrong:
        return ""
    with engine.begin() as conn:
        for table in tables:
            if any(w.startswith(f"{table.name} ") for w in wrong):
                table.drop(conn, checkfirst=True)
                table.create(conn)
        # Created empty, they reflect nothing: another process starting now must not trust them.
        set_projected(conn, -1)
    return "; ".join(wrong)


def open_business(engine: sa.Engine, reader: Reader) -> World:
    """Load the open business; rebuild the tables from the log first when they cannot be trusted."""
    reason = repair_schema(engine)
    if not reason:
        try:
            with db.reading(engine) as conn:
                return load_open(conn, reader, check=True)
        except Exception as exc:  # a corrupt row can fail anywhere in the load
            reason = f"{type(exc).__name__}: {exc}"
    with db.writing(engine) as (conn, _length):
        # Workers started together (an upgrade, say) all find the tables untrusted and queue
        # for the lock: the first rebuilds them, and each one after finds them sound here
        # instead of replaying the whole log again.
        try:
            world = load_open(conn, reader, check=True)
        except sa.exc.DBAPIError:
            raise
        except Exception:  # still untrusted or unreadable
            rebuild(conn, reason)
        else:
            log.info("the projection tables were rebuilt by another process meanwhile (%s)", reason)
            return world
    with db.reading(engine) as conn:
        return load_open(conn, reader)
