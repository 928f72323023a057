"""What must hold after every step, and when everyone is back online and synced.

After every step (`after_step`):
- the server's ledger balances (`violations()` empty), no customer below zero, every hold
  resolved at most once, from the engine's ledger *and* from the stored rows;
- credits bought are exactly the payment requests received, each once (the `payments` table);
- open holds match payment statuses (Blocked <=> the meeting's holds: its own, and the
  platform's beside it for a promo code), claims add up, promo code uses add up;
- the server's in-memory World is exactly as long as its stored log;
- every command a client sent is processed at most once, under one seq (compared by command
  id between the client's outbox / sent commands and the server's `sync_results`), nothing a
  client queued has vanished, and every refusal is in the client's issues list until the
  person dismissed or retried it.

At a settle (`converged`): the outboxes are empty, every command was processed exactly once,
each cache's pulled state equals the server's view for that expert (meetings, claims, slots,
group events, offers, profiles, earnings and their transfers, month summaries, payouts,
reviews), and both the server's and every cache's `Store.verify()` pass.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx
import sqlalchemy as sa

from consoleapp.engine import World
from consoleapp.engine.ledger import PAYMENTS, TransferKind, earnings, violations, wallet
from consoleapp.engine.model import MeetingKind, MeetingStatus, PaymentStatus, renew
from consoleapp.engine.people import payment_transfer
from consoleapp.store import db, schema
from consoleapp.store.verify import ledger_invariants
from consoleapp.sync.client.cache import outbox, sent_commands, sync_issues
from consoleapp.sync.server.payments.records import PAID
from consoleapp.sync.server.tables import event_audience, payments, sync_results

if TYPE_CHECKING:
    from .harness import Expert, Simulation

VERIFY_EVERY = 50  # steps between full `Store.verify()` runs (a replay of the whole log)


# --- API answers -----------------------------------------------------------------------------------


def replayed(first: httpx.Response, again: httpx.Response, what: str) -> None:
    """The same `Idempotency-Key` twice: an applied call answers its stored answer, marked replayed."""
    if first.status_code >= 300:
        return  # a refusal stores nothing; asking again decides again
    assert again.status_code == first.status_code, f"{what}: first {first.status_code}, then {again.status_code}: {again.text[:300]}"
    assert again.json() == first.json(), f"{what}: the second answer differs from the first"
    assert again.headers.get("idempotent-replayed") == "true", f"{what}: the second answer was not a replay"


def refusal_explained(r: httpx.Response) -> None:
    """A refused call says why, in words (the visible half of "applied or visibly rejected")."""
    body = r.json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and error.get("code") and " " in str(error.get("message", "")), \
        f"a {r.status_code} without a clear message: {r.text[:300]}"


# --- the server ---------------------------------------------------------------------------------------


def after_step(sim: Simulation) -> None:
    server_invariants(sim)
    exactly_once(sim, final=False)
    if sim.step_index % VERIFY_EVERY == 0:
        verify_server(sim)


def server_invariants(sim: Simulation) -> None:
    assert sim.server is not None
    store = sim.server.store
    problems = violations(store.world.ledger, store.every_account())  # memory's open holds, the table's accounts
    assert not problems, f"ledger in the server's memory: {problems}"
    w = sim.world  # the whole log folded: every record, for the checks that walk them all
    problems = violations(w.ledger)
    assert not problems, f"ledger: {problems}"
    for a in w.ledger.accounts.values():
        if a.id.startswith("customer:"):
            assert a.balance >= 0 and a.available >= 0, f"{a.id} is below zero: {a}"
    holds_match_payment_status(w)
    claims_add_up(w)
    promo_uses_add_up(w)
    with db.reading(store.engine) as conn:
        requests = list(conn.execute(sa.select(payments.c.id, payments.c.customer, payments.c.credits,
                                               payments.c.status)))
        length = int(conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar_one())
        accounts: list[Mapping[str, Any]] = [dict(r) for r in conn.execute(sa.select(schema.accounts)).mappings()]
        transfers: list[Mapping[str, Any]] = [dict(r) for r in conn.execute(sa.select(schema.transfers)).mappings()]
    assert w.version == length, f"the server's World folded {w.version} events, its log holds {length}"
    stored = ledger_invariants(accounts, transfers)
    assert not stored, f"stored ledger rows: {stored}"
    credits_bought_are_payments_received(w, requests)


def credits_bought_are_payments_received(w: World, requests: list[Any]) -> None:
    """The credits bought (the PAYMENTS account) are exactly the requests marked paid in the server's
    `payments` table: each one credited once, to its customer, for its credits; none unpaid."""
    paid = {payment_transfer(r.id): r for r in requests if r.status == PAID}
    bought = {t.id: t for t in w.ledger.transfers.values() if PAYMENTS in (t.debit, t.credit)}
    assert set(bought) == set(paid), \
        f"credited without being paid: {sorted(set(bought) - set(paid))}; paid, not credited: {sorted(set(paid) - set(bought))}"
    for tid, r in paid.items():
        t = bought[tid]
        assert (t.debit, t.credit, t.amount) == (PAYMENTS, wallet(r.customer), r.credits), f"{tid} moved {t}, not {r}"
    total = sum(r.credits for r in paid.values())
    assert w.ledger.account(PAYMENTS).debits_posted == total, f"credits bought {w.ledger.account(PAYMENTS)} != paid {total}"


def holds_match_payment_status(w: World) -> None:
    """Blocked <=> the meeting's open holds (the customer's, and the platform's for a promo code)
    together of the meeting's price; no hold nobody will resolve."""
    ledger = w.ledger
    open_by_ref: dict[str, list[str]] = defaultdict(list)
    for t in ledger.transfers.values():
        if t.kind is TransferKind.PENDING and t.id not in ledger.resolved:
            open_by_ref[t.ref].append(t.id)
    expected: set[str] = set()
    for m in w.meetings.values():
        holds = open_by_ref.get(m.id, [])
        if m.payment is PaymentStatus.BLOCKED:
            mine = sorted(dict.fromkeys(t for t in (m.hold, m.promo_hold) if t))
            assert sorted(holds) == mine, f"{m.id} is Blocked with open holds {holds}, hold fields {mine}"
            assert sum(ledger.transfers[t].amount for t in mine) == m.price, f"{m.id} holds another amount than its price"
            expected.update(mine)
        else:
            assert not holds, f"{m.id} has payment {m.payment.value} but open holds {holds}"
        if m.status in (MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.UNDER_REVIEW):
            assert m.payment is PaymentStatus.BLOCKED, f"{m.id} is {m.status.value} but payment {m.payment.value}"
        if m.status is MeetingStatus.AWAITING_APPROVAL and m.kind is not MeetingKind.SUGGESTED:
            assert m.payment is PaymentStatus.BLOCKED, f"{m.id} awaits approval without a hold"
        assert 0 <= m.refunded <= m.charged, f"{m.id} refunded {m.refunded} of {m.charged}"
    for g in w.group_events.values():
        holds = sorted(open_by_ref.get(g.id, []))
        active = sorted(r.hold for r in g.active() if r.hold)
        if g.status.value == "open":
            assert holds == active, f"event {g.id}: open holds {holds}, registrations {active}"
            expected.update(active)
        else:
            assert not holds, f"event {g.id} is {g.status.value} with open holds {holds}"
    orphans = {tid for ids in open_by_ref.values() for tid in ids} - expected
    assert not orphans, f"holds nobody will ever resolve: {sorted(orphans)}"


def claims_add_up(w: World) -> None:
    refunded: dict[str, int] = defaultdict(int)
    for cl in w.claims.values():
        assert 0 <= cl.refunded <= cl.amount, f"claim {cl.id} refunded {cl.refunded} of {cl.amount}"
        if cl.session in w.meetings:
            refunded[cl.session] += cl.refunded
    for mid, total in refunded.items():
        assert w.meetings[mid].refunded == total, f"{mid}: claims refunded {total}, the meeting says {w.meetings[mid].refunded}"


def promo_uses_add_up(w: World) -> None:
    """A code's uses are the meetings it still applies to (held or charged), never above its limits."""
    counted: dict[str, int] = defaultdict(int)
    for m in w.meetings.values():
        if m.promo is not None:
            counted[m.promo.code] += 1
            assert m.price - m.promo_discount >= 0 and m.discount <= m.promo_discount, f"{m.id}: code part {m.discount}"
    for code, promo in w.promos.items():
        assert w.promo_uses.get(code, 0) == counted[code], f"{code}: {w.promo_uses.get(code, 0)} uses, {counted[code]} meetings"
        assert not promo.max_uses or counted[code] <= promo.max_uses, f"{code} used {counted[code]} of {promo.max_uses}"


def verify_server(sim: Simulation) -> None:
    assert sim.server is not None
    found = sim.server.store.verify()
    assert not found, f"server Store.verify(): {found[:10]}"


# --- exactly once ---------------------------------------------------------------------------------------


def _server_results(sim: Simulation) -> dict[str, list[dict[str, Any]]]:
    assert sim.server is not None
    with db.reading(sim.server.store.engine) as conn:
        rows = conn.execute(sa.select(sync_results.c.client_id, sync_results.c.seq, sync_results.c.command_id,
                                      sync_results.c.status, sync_results.c.code)).mappings().all()
    by_command: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_command[r["command_id"]].append(dict(r))
    return by_command


def _client_tables(ex: Expert) -> tuple[set[str], dict[str, tuple[str, str]], set[str]]:
    """(queued command ids, sent command id -> (status, code), ids in the issues list)."""
    with ex.cache.engine.connect() as conn:
        queued = set(conn.execute(sa.select(outbox.c.command_id)).scalars())
        sent = {r.command_id: (r.status, r.code) for r in
                conn.execute(sa.select(sent_commands.c.command_id, sent_commands.c.status, sent_commands.c.code))}
        issues = set(conn.execute(sa.select(sync_issues.c.command_id)).scalars())
    return queued, sent, issues


def exactly_once(sim: Simulation, final: bool) -> None:
    by_command = _server_results(sim)
    twice = {cid: rows for cid, rows in by_command.items() if len(rows) > 1}
    assert not twice, f"commands processed more than once: {twice}"
    applied = rejected = 0
    for ex in sim.experts:
        ex.client_ids.add(ex.cache.client_id)
        enqueued = set(ex.enqueued)
        for cid, (row,) in by_command.items():
            if row["client_id"] in ex.client_ids:
                assert cid in enqueued, f"the server processed {row} for {ex.name}, who never sent it"
        queued, sent, issues = _client_tables(ex)
        lost = enqueued - queued - set(sent)
        assert not lost, f"{ex.name}: commands gone from the outbox without a result: {sorted(lost)}"
        for cid, (status, code) in sent.items():
            rows = by_command.get(cid)
            if ex.stale:
                continue  # the server was restored: the client finds out at its next complete pull
            assert rows, f"{ex.name} holds a result for {cid} ({status}) that the server never gave"
            assert (rows[0]["status"], rows[0]["code"]) == (status, code), \
                f"{ex.name}: {cid} is {status} {code!r} in the client, {rows[0]['status']} {rows[0]['code']!r} on the server"
            if status == "rejected":
                assert cid in issues or cid in ex.handled, \
                    f"{ex.name}: refused command {cid} ({code}) is not in the issues list"
        assert issues <= {cid for cid, (status, _) in sent.items() if status == "rejected"}, \
            f"{ex.name}: issues for commands not refused: {issues}"
        if final:
            assert not queued, f"{ex.name}: {len(queued)} command(s) still in the outbox after a full sync"
            unprocessed = enqueued - set(by_command)
            assert not unprocessed, f"{ex.name}: never processed by the server: {sorted(unprocessed)}"
        for cid in enqueued:
            rows = by_command.get(cid)
            if rows:
                applied += rows[0]["status"] == "applied"
                rejected += rows[0]["status"] == "rejected"
    sim.stats.applied, sim.stats.rejected = applied, rejected


# --- convergence ----------------------------------------------------------------------------------------


def expert_view(w: World, x: str) -> dict[str, Any]:
    """The records that concern expert `x`, as the expert may see them: what the expert's cache
    must hold, exactly. The stars a customer gave are not for the expert (R27: operator only)."""
    account = earnings(x)
    return {
        "people": {k: v for k, v in w.people.items() if k == x},
        "profile": w.profiles.get(x),
        "payout profile": w.payout_profiles.get(x),
        "offers": {k: v for k, v in w.offers.items() if k[0] == x},
        "slots": {k: v for k, v in w.slots.items() if v.expert == x},
        "meetings": {k: renew(v, stars=0) for k, v in w.meetings.items() if v.expert == x},
        "group events": {k: v for k, v in w.group_events.items() if v.expert == x},
        "claims": {k: v for k, v in w.claims.items() if v.expert == x},
        "reviews": {k: v for k, v in w.reviews.items() if k[1] == x},
        "earnings": w.ledger.account(account),
        "transfers": {t.id: t for t in w.ledger.transfers.values() if account in (t.debit, t.credit)},
        "unpaid": list(w.unpaid_of.get(x, [])),
        "months": {k: v for k, v in w.months.items() if k[0] == x},
        "payouts": {k: v for k, v in w.payouts.items() if v.expert == x},
    }


def differences(server: dict[str, Any], client: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for part, want in server.items():
        have = client[part]
        if want == have:
            continue
        if isinstance(want, dict) and isinstance(have, dict):
            for key in sorted(want.keys() | have.keys(), key=repr):
                if want.get(key) != have.get(key):
                    found.append(f"{part} {key!r}: server {want.get(key)!r}\n      cache  {have.get(key)!r}")
        else:
            found.append(f"{part}: server {want!r}\n      cache  {have!r}")
    return found


def pulled_log(sim: Simulation, ex: Expert) -> tuple[list[tuple[str, str, Any]], list[tuple[str, str, Any]]]:
    """(the server's events for the expert, in log order; the cache's events, in its order)."""
    assert sim.server is not None
    e = schema.events.c
    with db.reading(sim.server.store.engine) as conn:
        server = [(k, r, json.loads(d)) for k, r, d in conn.execute(
            sa.select(e.kind, e.ref, e.data).join(event_audience, event_audience.c.position == e.position)
            .where(event_audience.c.person == ex.id).order_by(e.position))]
    with db.reading(ex.cache.engine) as conn:
        cache = [(k, r, json.loads(d)) for k, r, d in conn.execute(sa.select(e.kind, e.ref, e.data).order_by(e.position))]
    return server, cache


def converged(sim: Simulation) -> None:
    exactly_once(sim, final=True)
    server_world = sim.world
    for ex in sim.experts:
        assert not ex.cache.pending(), f"{ex.name}: applied commands not yet shown by a complete pull"
        server, cache = pulled_log(sim, ex)
        if server != cache:  # every event for the expert exactly once, in order: no gap, no repeat
            at = next((i for i, (a, b) in enumerate(zip(server, cache, strict=False)) if a != b), min(len(server), len(cache)))
            raise AssertionError(f"{ex.name}'s cache log differs from the server's from event {at}: "
                                 f"server {server[at:at + 2]}, cache {cache[at:at + 2]} "
                                 f"({len(server)} vs {len(cache)} events)")
        from .harness import follow  # the harness imports this module

        cached = follow(World(), ex.cache.engine)  # the cache's whole log: it keeps only the open business in memory
        rated = sorted(m.id for m in cached.meetings.values() if m.stars)
        assert not rated, f"{ex.name}'s cache holds the stars customers gave (R27: operator only): {rated}"
        found = differences(expert_view(server_world, ex.id), expert_view(cached, ex.id))
        assert not found, f"{ex.name}'s cache differs from the server:\n  " + "\n  ".join(found[:6])
        stored = ex.cache.store.verify()
        assert not stored, f"{ex.name}'s cache Store.verify(): {stored[:10]}"
    verify_server(sim)
