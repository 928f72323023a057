"""Money in: customers buy credits (bank transfer or Stripe), the operator confirms transfers and
makes promo codes, Stripe's webhooks arrive duplicated, delayed, replayed, forged or stale.

Each seed sells credits one way (`provider_for`, a generator of its own so the run's other
choices stay where they were). For Stripe a fake Stripe API runs on 127.0.0.1 for Checkout
Sessions (tests/fake_stripe.py) and the webhooks are signed here with the webhook secret at the
server's time, as Stripe signs them. After every call the exact effect is asserted against the
server's rows and ledger as they were just before it: a payment credits its credits to the
customer's wallet once; a refused or repeated delivery changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from consoleapp.engine.ledger import wallet
from consoleapp.engine.people import payment_transfer
from consoleapp.store import db
from consoleapp.sync.server.payments import records
from consoleapp.sync.server.tables import payment_events, payments
from tests import fake_stripe

from .net import Fault

if TYPE_CHECKING:
    from .harness import Customer, Simulation

PROVIDERS = ("bank", "stripe")
EXPIRY_DAYS = 2  # short, so that runs of a few hundred steps see requests nobody paid run out
BANK = {"platform_name": "Expert Console GmbH", "platform_iban": "DE89370400440532013000",
        "platform_bic": "COBADEFFXXX", "credit_price_cents": 50}
CODE = "RUN-"  # the codes the operator makes during a run: RUN-1, RUN-2, ...
TYPED = 6  # customers type RUN-1 .. RUN-6 (actors.promo_for), whether made yet or not
BOUGHT = {"bank": "credits bought by bank transfer", "stripe": "credits bought through Stripe"}
IGNORED = "webhooks duplicated or replayed (ignored)"
REFUSED = "webhooks refused (bad signature/old/amount)"


def provider_for(seed: int) -> str:
    """The seed's way of selling credits, from a generator of its own: a draw of `sim.rng` would
    move every later choice of the run."""
    return random.Random(seed * 31 + 5).choice(PROVIDERS)


def typed_code(n: int) -> str:
    """The created code a customer types for their n-th try of one (see `actors.promo_for`)."""
    return f"{CODE}{n % TYPED + 1}"


@dataclass
class Hook:
    """One Stripe event: the same id whenever it is delivered again."""

    event_id: str
    payment: str
    payload: str


@dataclass
class Money:
    """The run's payment provider, its fake Stripe while the run lasts, and the webhooks in flight."""

    provider: str
    stripe_api: str = ""
    sent: list[Hook] = field(default_factory=list)  # answered 2xx: Stripe may still send them again
    held: list[Hook] = field(default_factory=list)  # delayed: delivered at a later step
    counts: Counter[str] = field(default_factory=Counter)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def start(self) -> dict[str, Any]:
        """Start what the provider needs; the server's settings for it."""
        if self.provider == "bank":
            return {"payment_provider": "bank", "payment_expiry_days": EXPIRY_DAYS, **BANK}
        self.stripe_api, _ = self._stack.enter_context(fake_stripe.serve())
        return {"payment_provider": "stripe", "payment_expiry_days": EXPIRY_DAYS,
                "stripe_secret_key": fake_stripe.SECRET_KEY, "stripe_webhook_secret": fake_stripe.WEBHOOK_SECRET,
                "stripe_api_base": self.stripe_api}

    def close(self) -> None:
        self._stack.close()


# --- reading the server --------------------------------------------------------------------------


def rows(sim: Simulation) -> list[Any]:
    """The payment requests as stored, oldest first (status as stored: expiry is judged on reads)."""
    assert sim.server is not None
    with db.reading(sim.server.store.engine) as conn:
        return list(conn.execute(sa.select(payments).order_by(payments.c.created, payments.c.id)))


def row_of(sim: Simulation, payment_id: str) -> Any:
    """One payment request as stored (None: unknown, or lost in a restore)."""
    assert sim.server is not None
    with db.reading(sim.server.store.engine) as conn:
        return conn.execute(sa.select(payments).where(payments.c.id == payment_id)).first()


def handled(sim: Simulation, event_id: str) -> bool:
    assert sim.server is not None
    with db.reading(sim.server.store.engine) as conn:
        return conn.execute(sa.select(payment_events.c.id).where(payment_events.c.id == event_id)).first() is not None


def aware(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def balance(sim: Simulation, customer: str) -> int:
    return sim.world.ledger.account(wallet(customer)).balance


def creditable(sim: Simulation, row: Any) -> bool:
    """Whether receiving the money of `row` now credits it: awaited (or expired: the money did come)
    and its customer's account still open."""
    if row is None or row.status not in (records.REQUESTED, records.EXPIRED):
        return False
    person = sim.world.people.get(row.customer)  # the server's word: a restore may have undone a closing
    return person is not None and not person.closed


def credited(sim: Simulation, row: Any, before: int, expect: int, what: str) -> None:
    """The wallet grew by exactly `expect`, and the ledger and the row agree."""
    gained = balance(sim, row.customer) - before
    assert gained == expect, f"{what}: the wallet grew by {gained}, expected {expect}"
    if expect:
        assert payment_transfer(row.id) in sim.world.ledger.transfers, f"{what}: credited without its transfer"
        assert row_of(sim, row.id).status == records.PAID, f"{what}: credited but the request is not paid"


# --- customers ---------------------------------------------------------------------------------


async def buy_credits(sim: Simulation, cu: Customer) -> str | None:
    """R11: ask for N credits: one request per key whatever the network did; credits come later."""
    from . import actors  # at call time: actors imports this module for its tables

    wrong = actors.bad(sim)
    credits: Any = sim.rng.choice([0, -5, records.MAX_CREDITS + 1, "ten"]) if wrong else \
        sim.rng.choice([5, 10, 25, 40, 100])  # never 13: the fake Stripe refuses that many (a 502)
    before, had = len([r for r in rows(sim) if r.customer == cu.id]), balance(sim, cu.id)
    r = await actors.call(sim, cu, "POST", "/api/payments", {"credits": credits})
    mine = [row for row in rows(sim) if row.customer == cu.id]
    assert balance(sim, cu.id) == had, f"{cu.name} asked to buy credits: the wallet moved before any money came"
    if wrong:
        assert r.status_code == 422 and len(mine) == before, f"{credits!r} credits: {r.status_code} {r.text[:300]}"
        return f"{cu.name} asks to buy {credits!r} credits: {actors.said(r)}"
    assert r.status_code == 201, r.text
    assert len(mine) == before + 1, f"{cu.name}'s one request made {len(mine) - before} payment requests"
    body = r.json()
    assert body["credits"] == credits and body["provider"] == sim.money.provider, body
    if sim.money.provider == "stripe":
        assert body["checkout_url"].startswith("https://checkout.stripe.test/"), body
    else:
        assert body["transfer"]["reference"] == body["reference"], body
    return f"{cu.name} asks to buy {credits} credits ({body['reference']}): {actors.said(r)}"


# --- the operator: bank transfers ------------------------------------------------------------------


async def confirm_transfer(sim: Simulation, _: object) -> str | None:
    """A transfer shows on the statement: the operator marks its request received (once credits it,
    again says so and credits nothing); an unknown request is refused."""
    from . import actors  # at call time: actors imports this module for its tables

    if sim.money.provider != "bank":
        return None
    found = rows(sim)
    awaited = [r for r in found if r.status in (records.REQUESTED, records.EXPIRED)]
    paid = [r for r in found if r.status == records.PAID]
    roll = sim.rng.random()
    if roll < 0.1:
        r = await actors.call(sim, None, "POST", f"/operator/payments/{uuid.uuid4().hex}/received", {}, faults=False)
        assert r.status_code == 404, r.text
        return f"operator marks an unknown payment received: {actors.said(r)}"
    row = sim.rng.choice(paid) if paid and (roll < 0.25 or not awaited) else actors.pick(sim, awaited)
    if row is None:
        return None
    times = 2 if sim.rng.random() < 0.3 else 1  # a second click, or the answer lost and the form sent again
    answers = []
    for n in range(times):
        current = row_of(sim, row.id)
        expect = current.credits if creditable(sim, current) else 0
        before = balance(sim, row.customer)
        r = await actors.call(sim, None, "POST", f"/operator/payments/{row.id}/received",
                              {"note": f"statement line {row.reference}"}, faults=False)
        what = f"{row.reference} marked received ({current.status}, try {n + 1})"
        if current.status == records.PAID:
            assert r.status_code == 200 and r.json()["already"] and "already" in r.json()["message"], f"{what}: {r.text}"
        elif expect:
            assert r.status_code == 200 and not r.json()["already"], f"{what}: {r.text}"
        else:
            assert r.status_code >= 400, f"{what}: {r.text}"  # the customer's account was closed
        credited(sim, current, before, expect, what)
        answers.append(f"{current.status} -> {'already' if r.status_code == 200 and r.json()['already'] else actors.said(r)}")
    return f"operator marks {row.reference} ({row.credits} credits) received: {'; '.join(answers)}"


# --- Stripe's webhooks ---------------------------------------------------------------------------------


def signature(sim: Simulation, hook: Hook, how: str = "") -> str:
    at = int(sim.now().timestamp())
    if how == "old":
        return fake_stripe.signed(hook.payload, at - 301 - sim.rng.randrange(3600))
    if how == "bad signature":
        return sim.rng.choice([fake_stripe.signed(hook.payload, at, secret="whsec_someone_else"),
                               fake_stripe.signed(hook.payload + " ", at), f"t={at},v1=00"])
    return fake_stripe.signed(hook.payload, at)


async def deliver(sim: Simulation, hook: Hook, how: str = "") -> str:
    """POST the event to the app (a wire with no token, as Stripe's servers have none), then check
    its exact effect against the rows and the ledger just before."""
    from . import actors  # at call time: actors imports this module for its tables

    row = row_of(sim, hook.payment)
    known = handled(sim, hook.event_id)
    amount_ok = how != "amount"
    signed_ok = how not in ("old", "bad signature")
    expect = row.credits if not known and amount_ok and signed_ok and creditable(sim, row) else 0
    before = balance(sim, row.customer) if row is not None else 0
    if how == "duplicate":
        sim.operator_wire.armed["/webhooks/stripe"] = Fault.DUPLICATE
    duplicates = len(sim.network.duplicates)
    r = await sim.operator_http.post("/webhooks/stripe", content=hook.payload, headers={
        "Stripe-Signature": signature(sim, hook, how), "Content-Type": "application/json"})
    sim.operator_wire.armed.pop("/webhooks/stripe", None)
    what = f"webhook {hook.event_id} ({how or 'signed now'})"
    if not signed_ok:
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_signature", f"{what}: {r.text[:300]}"
        assert handled(sim, hook.event_id) == known, f"{what}: a refused event was recorded"
        sim.money.counts[REFUSED] += 1
        if sim.rng.random() < 0.5:  # Stripe sends an event again until it is answered 2xx (signed anew)
            sim.money.held.append(hook)
    else:
        assert r.status_code == 200, f"{what}: {r.status_code} {r.text[:300]}"
        answers = [r]
        if len(sim.network.duplicates) > duplicates:
            d = sim.network.duplicates[-1]
            answers = [d.first, d.second]
        for n, answer in enumerate(answers):
            duplicate = known or n > 0
            assert answer.json()["duplicate"] is duplicate, f"{what}, delivery {n + 1}: {answer.text[:300]}"
            sim.money.counts[IGNORED] += duplicate
        if not amount_ok:
            assert "amount mismatch" in r.json()["outcome"], f"{what}: {r.text[:300]}"
            sim.money.counts[REFUSED] += 1
        if hook not in sim.money.sent:
            sim.money.sent.append(hook)
    if row is not None:
        credited(sim, row, before, expect, what)
    return f"{what} for {row.reference if row is not None else hook.payment}: {actors.said(r)}" + \
        (f", {r.json()['outcome']}" if r.status_code == 200 else "")


async def stripe_webhook(sim: Simulation, _: object) -> str | None:
    """Stripe tells the app a Checkout Session was paid: once, twice on the way, late, again later
    (a retry: the same event id), with a signature that does not verify, too old, or for another amount."""
    from . import actors  # at call time: actors imports this module for its tables

    money = sim.money
    if money.provider != "stripe":
        return None
    roll = sim.rng.random()
    if money.held and roll < 0.3:
        hook = money.held.pop(sim.rng.randrange(len(money.held)))
        return "late: " + await deliver(sim, hook)
    if money.sent and roll < 0.45:
        return "again: " + await deliver(sim, sim.rng.choice(money.sent))
    found = [r for r in rows(sim) if r.provider_ref]
    awaited = [r for r in found if r.status in (records.REQUESTED, records.EXPIRED)]
    # Mostly a session still awaited; now and then another event for one already paid.
    row = actors.pick(sim, awaited if awaited and sim.rng.random() < 0.85 else found)
    if row is None:
        return None
    how = sim.rng.choice(["", "", "", "duplicate", "delay", "bad signature", "old", "amount"])
    amount = row.amount - sim.rng.choice([1, row.amount // 2]) if how == "amount" else None
    payload = fake_stripe.completed({"id": row.id, "amount": row.amount}, row.provider_ref, amount,
                                    event_id=f"evt_{uuid.uuid4().hex[:16]}")
    hook = Hook(str(json.loads(payload)["id"]), row.id, payload)
    if how == "delay":
        money.held.append(hook)
        return f"webhook {hook.event_id} for {row.reference} is held up on the way"
    return await deliver(sim, hook, how)


# --- the operator: promo codes --------------------------------------------------------------------------


async def promo(sim: Simulation, _: object) -> str | None:
    """New promo codes now and then (percent or credits, dates, limits, maybe one expert's only),
    sometimes a wrong one (refused, nothing made); or one of them ended."""
    from . import actors  # at call time: actors imports this module for its tables

    w = sim.world
    made = sorted((p for code, p in w.promos.items() if code.startswith(CODE)), key=lambda p: p.code)
    active = [p for p in made if p.active]
    if active and sim.rng.random() < 0.2:
        code = sim.rng.choice(active).code
        r = await actors.call(sim, None, "POST", f"/operator/promos/{code}/end")
        assert r.status_code == 200 and not sim.world.promos[code].active, r.text
        return f"operator ends code {code}: {actors.said(r)}"
    now = sim.now()
    kind = sim.rng.choice(["percent", "credits"])
    body: dict[str, Any] = {
        "code": f"{CODE}{len(made) + 1}", "kind": kind,
        "value": sim.rng.choice([10, 25, 50, 100]) if kind == "percent" else sim.rng.choice([5, 10, 30]),
        "valid_from": (now - timedelta(hours=sim.rng.choice([1, 0, -2]))).isoformat(),
        "valid_until": (now + timedelta(days=sim.rng.randint(1, 40))).isoformat(),
        "max_uses": sim.rng.choice([0, 2, 5]), "max_per_customer": sim.rng.choice([0, 1, 2]),
        "expert": sim.rng.choice([""] * 3 + [ex.id for ex in sim.experts]),
    }
    wrong = actors.bad(sim)
    if wrong:
        field_, value = sim.rng.choice([
            ("value", 0), ("value", 101 if kind == "percent" else -3), ("code", "x"), ("code", "SPRING-20"),
            ("valid_until", (now - timedelta(days=2)).isoformat()), ("expert", "nobody"), ("kind", "gift")])
        body[field_] = value
    codes = dict(w.promos)
    r = await actors.call(sim, None, "POST", "/operator/promos", body)
    if wrong:
        assert r.status_code >= 400 and sim.world.promos == codes, f"promo {body}: {r.status_code} {r.text[:300]}"
    else:
        assert r.status_code == 201 and body["code"] in sim.world.promos, f"promo {body}: {r.text[:300]}"
    return f"operator makes code {body['code']} ({body['kind']} {body['value']}): {actors.said(r)}"


# --- what the run ended with ---------------------------------------------------------------------


def outcomes(sim: Simulation) -> Counter[str]:
    found: Counter[str] = Counter({name: 0 for name in (*BOUGHT.values(), IGNORED, REFUSED)})
    now = sim.now()
    for r in rows(sim):
        if r.status == records.PAID:
            found[BOUGHT[r.provider]] += r.credits
        found["payments expired"] += r.status == records.EXPIRED or r.status == records.REQUESTED and aware(r.expires) <= now
    found.update(sim.money.counts)
    found["promo codes created"] = sum(1 for code in sim.world.promos if code.startswith(CODE))
    return found

