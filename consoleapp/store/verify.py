"""Check the stored tables against the log and the ledger's invariants.

Two independent checks: every projection, account and transfer row must equal what a fresh
replay of the log produces; and the stored accounts and transfers must satisfy the ledger
invariants on their own (computed here from the rows, not by the engine's ledger code).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.decide import evolve
from consoleapp.engine.events import NotificationQueued
from consoleapp.engine.ledger import Transfer, TransferKind, month_sums
from consoleapp.engine.world import World

from . import db, schema
from .codec import event_from
from .projections import (
    PLATFORM_MONTH_COLUMNS,
    PROJECTIONS,
    Row,
    account_row,
    all_rows,
    notification_row,
    transfer_row,
)
from .repository import held

MAX_PER_TABLE = 20  # a dropped table should not produce a million lines


def _norm(column: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if column == "record" and isinstance(value, str):
        return json.loads(value)
    return value


def _keyed(rows: Iterable[Mapping[str, Any]], keys: tuple[str, ...]) -> dict[tuple[Any, ...], Row]:
    return {tuple(r[k] for k in keys): {c: _norm(c, v) for c, v in r.items()} for r in rows}


def compare(table: str, keys: tuple[str, ...], expected: Iterable[Row],
            stored: Iterable[Mapping[str, Any]]) -> list[str]:
    want, have = _keyed(expected, keys), _keyed(stored, keys)
    found: list[str] = []
    for key in sorted(want.keys() | have.keys(), key=repr):
        name = f"{table} {'/'.join(map(str, key))}"
        if key not in have:
            found.append(f"{name} is missing from the table")
        elif key not in want:
            found.append(f"{name} is in the table but not in the log")
        else:
            for column, value in want[key].items():
                found += [f"{name}: {path} is {stored!r}, the log says {logged!r}"
                          for path, stored, logged in _differing(column, have[key].get(column), value)]
    if len(found) > MAX_PER_TABLE:
        found = [*found[:MAX_PER_TABLE], f"{table}: and {len(found) - MAX_PER_TABLE} more differences"]
    return found


def _differing(path: str, stored: Any, logged: Any) -> list[tuple[str, Any, Any]]:
    """Where two values differ, field by field inside a record (its JSON): a self-hoster reading
    `verify` needs the one field changed by hand, not two copies of the whole record."""
    if stored == logged:
        return []
    if isinstance(stored, dict) and isinstance(logged, dict):
        return [d for field in sorted(stored.keys() | logged.keys())
                for d in _differing(f"{path}.{field}", stored.get(field), logged.get(field))]
    return [(path, stored, logged)]


def _stored(conn: sa.Connection, table: sa.Table) -> list[Mapping[str, Any]]:
    return [dict(row) for row in conn.execute(sa.select(table)).mappings()]


def verify(engine: sa.Engine, memory: World | None = None) -> list[str]:
    found: list[str] = []
    with db.reading(engine) as conn:
        length = int(conn.execute(sa.select(schema.counters.c.value)
                                  .where(schema.counters.c.name == db.LOG)).scalar_one())
        fresh = World()
        notes: list[Row] = []
        positions: dict[str, int] = {}  # a transfer's position is that of its own event
        e = schema.events.c
        for position, kind, data in conn.execute(sa.select(e.position, e.kind, e.data).order_by(e.position)):
            if position != fresh.version + 1:
                found.append(f"the log jumps from position {fresh.version} to {position}")
                fresh.version = position - 1
            ev = event_from(kind, json.loads(data))
            evolve(fresh, ev)
            if isinstance(ev, NotificationQueued):
                notes.append(notification_row(position, ev))
            elif isinstance(ev, Transfer):
                positions[ev.id] = position
        if fresh.version != length:
            found.append(f"the log counter says {length} events, the log ends at {fresh.version}")
        for p in PROJECTIONS:
            found += compare(p.table.name, p.keys, all_rows(fresh, p), _stored(conn, p.table))
        stored_accounts = _stored(conn, schema.accounts)
        stored_transfers = _stored(conn, schema.transfers)
        found += compare("accounts", ("id",), map(account_row, fresh.ledger.accounts.values()), stored_accounts)
        found += compare("transfers", ("id",),
                         (transfer_row(positions.get(t.id, -1), t) for t in fresh.ledger.transfers.values()),
                         stored_transfers)
        found += compare("notifications", ("position",), notes, _stored(conn, schema.notifications))
        found += compare("platform_months", ("month",),
                         (dict(zip(PLATFORM_MONTH_COLUMNS, (month, *figures), strict=True))
                          for month, figures in month_sums(fresh.ledger.transfers.values()).items()),
                         _stored(conn, schema.platform_months))
        found += ledger_invariants(stored_accounts, stored_transfers)
    if memory is not None and memory.version == fresh.version:
        found += [f"in memory: {line}" for line in open_business_differences(fresh, memory)]
    return found


def open_business_differences(full: World, memory: World) -> list[str]:
    """What a store's memory (the open business, see `open_world`) gets wrong against a World
    folded from the whole log: a record kept that differs, an open record or an index missing."""
    found: list[str] = []
    for p in PROJECTIONS:
        kept = {k: r for k, r in dict.items(getattr(memory, p.attr))}  # memory only, no read-through
        everything = getattr(full, p.attr)
        found += compare(p.table.name, p.keys, (p.row(k, everything[k]) for k in kept if k in everything),
                         (p.row(k, r) for k, r in kept.items()))
    for name in ("active", "active_events", "open_claims"):
        if getattr(memory, name) != getattr(full, name):
            found.append(f"{name} is {sorted(getattr(memory, name))}, the log says {sorted(getattr(full, name))}")
    for name in ("meetings", "group_events", "claims"):
        missing = {"meetings": full.active, "group_events": full.active_events, "claims": full.open_claims}[name] \
            - set(dict.keys(getattr(memory, name)))
        if missing:
            found.append(f"open {name} not in memory: {sorted(missing)[:5]}")
    for name in ("agreed_of", "holding_of"):
        want = {k: v for k, v in getattr(full, name).items() if v}
        have = {k: v for k, v in getattr(memory, name).items() if v}
        if want != have:
            found.append(f"{name} differs from the log's")
    # The accounts memory holds (the platform's and the experts'; a customer's wallet is read back).
    wrong = sorted(k for k, a in held(memory.ledger.accounts).items() if full.ledger.accounts.get(k) != a)
    if wrong:
        found.append(f"accounts differ from the log's: {wrong[:5]}")
    open_holds = {t.id for t in full.ledger.transfers.values()
                  if t.kind is TransferKind.PENDING and t.id not in full.ledger.resolved}
    kept_holds = {t.id for t in held(memory.ledger.transfers).values()
                  if t.kind is TransferKind.PENDING and t.id not in held(memory.ledger.resolved)}
    if open_holds != kept_holds:
        found.append(f"open holds in memory {sorted(kept_holds)[:5]}, the log says {sorted(open_holds)[:5]}")
    for name in ("unpaid_of", "lost_disputes", "promo_uses", "promo_uses_by"):
        want = {k: v for k, v in getattr(full, name).items() if v}
        have = {k: v for k, v in getattr(memory, name).items() if v}
        if name == "lost_disputes":  # R31 counts them: a start reads them in order of time, the log in its own
            want, have = ({k: sorted(v) for k, v in d.items()} for d in (want, have))
        if want != have:
            found.append(f"{name} differs from the log's")
    # Every slot that ends after the time memory's slots are complete from, and no other.
    after = getattr(memory.slots, "complete_after", None)
    want_slots = {x: {sid for sid in ids if after is None or full.slots[sid].end > after}
                  for x, ids in full.slots_of.items()}
    have_slots = {x: set(ids) for x, ids in memory.slots_of.items() if ids}
    if {x: ids for x, ids in want_slots.items() if ids} != have_slots:
        found.append("slots_of differs from the log's")
    if set(dict.keys(held(memory.slots))) != {sid for ids in have_slots.values() for sid in ids}:
        found.append("the slots in memory are not those slots_of names")
    else:  # the times the rules search by are the slots' own
        kept = held(memory.slots)
        for x, index in memory.slots_of.items():
            if index.spans() != sorted((kept[sid].start, sid, kept[sid].end) for sid in index):
                found.append(f"the times slots_of holds for {x} are not those of the slots")
                break
    for name in ("flagged", "payout_days_done", "last_payout_day", "promos", "slugs"):
        if getattr(memory, name) != getattr(full, name):
            found.append(f"{name} differs from the log's")
    return found


def ledger_invariants(accounts: list[Mapping[str, Any]], transfers: list[Mapping[str, Any]]) -> list[str]:
    """The ledger's invariants, from stored rows alone."""
    found: list[str] = []
    total = {k: sum(a[k] for a in accounts)
             for k in ("debits_posted", "credits_posted", "debits_pending", "credits_pending")}
    if total["debits_posted"] != total["credits_posted"]:
        found.append(f"posted debits ({total['debits_posted']}) differ from posted credits ({total['credits_posted']})")
    if total["debits_pending"] != total["credits_pending"]:
        found.append(f"pending debits ({total['debits_pending']}) differ from pending credits ({total['credits_pending']})")
    for a in accounts:
        if str(a["id"]).startswith("customer:"):
            available = a["credits_posted"] - a["debits_posted"] - a["debits_pending"]
            if available < 0:
                found.append(f"{a['id']} is below zero ({available} available)")
    resolving = (TransferKind.POST_PENDING.value, TransferKind.VOID_PENDING.value)
    resolutions: dict[str, int] = {}
    for t in transfers:
        if t["kind"] in resolving:
            resolutions[t["pending_id"]] = resolutions.get(t["pending_id"], 0) + 1
    found += [f"hold {pid} was resolved {n} times" for pid, n in sorted(resolutions.items()) if n > 1]
    found += _sums_match(accounts, transfers)
    return found


def _sums_match(accounts: list[Mapping[str, Any]], transfers: list[Mapping[str, Any]]) -> list[str]:
    """Each account's posted sums equal the posted transfers that name it."""
    posted: dict[str, list[int]] = {}
    for t in transfers:
        if t["kind"] in (TransferKind.POSTED.value, TransferKind.POST_PENDING.value):
            posted.setdefault(t["debit"], [0, 0])[0] += t["amount"]
            posted.setdefault(t["credit"], [0, 0])[1] += t["amount"]
    found = []
    for a in accounts:
        debits, credits = posted.pop(a["id"], [0, 0])
        if (a["debits_posted"], a["credits_posted"]) != (debits, credits):
            found.append(f"{a['id']}: posted sums ({a['debits_posted']}, {a['credits_posted']}) "
                         f"differ from its transfers ({debits}, {credits})")
    found += [f"transfers name account {acc}, which has no row" for acc in sorted(posted)]
    return found
