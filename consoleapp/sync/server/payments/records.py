"""Payment requests as rows: made, listed, expired, and received exactly once.

A request is the server's own row (table `payments`); the credits are the engine's, moved by
`CreditPayment` in the same transaction that marks the row paid, so a row is paid exactly when
its transfer `payment:<id>` is in the ledger.

Expiry is judged when requests are read or received (`expire`, one UPDATE in that transaction)
rather than by the scheduler: a request is only ever seen through these reads, so its status is
right whenever anyone looks, and the scheduler's loop stays the engine's `due`.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.errors import when
from consoleapp.store.db import reading

from .. import audit
from ..context import Server
from ..errors import fail
from ..runner import Tx
from ..tables import aware, payments

REQUESTED, PAID, EXPIRED, CANCELLED = "requested", "paid", "expired", "cancelled"
MAX_CREDITS = 100_000  # in one request: more is surely a typo
# Letters and digits nobody mixes up when reading a bank statement aloud (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
STRIPE = "Stripe"  # who received a card payment


@dataclass(frozen=True)
class Payment:
    id: str
    customer: str
    provider: str
    credits: int
    amount: int  # minor units
    currency: str
    reference: str
    status: str
    provider_ref: str
    checkout_url: str
    created: datetime
    expires: datetime
    paid_at: datetime | None
    by: str

    @property
    def price(self) -> str:
        """The amount as written on a transfer: '12.50' (currencies with cents)."""
        return f"{Decimal(self.amount) / 100:.2f}"


def _payment(row: Any) -> Payment:
    values = dict(row._mapping)
    for name in ("created", "expires", "paid_at"):
        values[name] = aware(values[name]) if values[name] is not None else None
    return Payment(**values)


def new_reference() -> str:
    """'EC-7K3M-9QDA': short, unambiguous, random (not guessable from another one)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"EC-{code[:4]}-{code[4:]}"


def normal_reference(text: str) -> str:
    """A reference as typed or as a bank statement shows it ('ec 7k3m9qda') in its written form."""
    bare = re.sub(r"[^A-Z0-9]", "", text.upper())
    if len(bare) == 10 and bare.startswith("EC"):
        return f"EC-{bare[2:6]}-{bare[6:]}"
    return text.strip().upper()[:32]


def check_credits(credits: int) -> int:
    if isinstance(credits, bool) or not isinstance(credits, int) or not 1 <= credits <= MAX_CREDITS:
        raise fail(422, "invalid", f"buy from 1 to {MAX_CREDITS} credits at a time")
    return credits


def insert(tx: Tx, server: Server, customer: str, credits: int, provider: str) -> Payment:
    """A new request, written in the caller's transaction (`run_once`'s, so a form sent twice makes one)."""
    settings = server.settings
    now = server.clock.now()
    reference = new_reference()
    while tx.conn.execute(sa.select(payments.c.id).where(payments.c.reference == reference)).first() is not None:
        reference = new_reference()  # one chance in 10^11 per request: the unique column is the last word
    payment = Payment(
        id=uuid.uuid4().hex, customer=customer, provider=provider, credits=credits,
        amount=credits * settings.credit_price_cents, currency=settings.currency.upper(), reference=reference,
        status=REQUESTED, provider_ref="", checkout_url="", created=now,
        expires=now + timedelta(days=settings.payment_expiry_days), paid_at=None, by="",
    )
    tx.conn.execute(payments.insert().values(**payment.__dict__))
    return payment


def expire(conn: sa.Connection, now: datetime) -> None:
    """Requests whose money did not come in time are expired (an operator may still receive one)."""
    conn.execute(payments.update().where(payments.c.status == REQUESTED, payments.c.expires <= now)
                 .values(status=EXPIRED))


def up_to_date(server: Server) -> None:
    """Expire what is due before a read: a write only when a request has in fact run out."""
    now = server.clock.now()
    due = sa.select(payments.c.id).where(payments.c.status == REQUESTED, payments.c.expires <= now).limit(1)
    with reading(server.store.engine) as conn:
        if conn.execute(due).first() is None:
            return
    with server.store.engine.begin() as conn:
        expire(conn, now)


def listed(server: Server, customer: str = "", statuses: tuple[str, ...] = (), reference: str = "",
           limit: int = 200) -> list[Payment]:
    """Newest first; expiries brought up to date first."""
    up_to_date(server)
    stmt = sa.select(payments).order_by(payments.c.created.desc(), payments.c.id).limit(limit)
    if customer:
        stmt = stmt.where(payments.c.customer == customer)
    if statuses:
        stmt = stmt.where(payments.c.status.in_(statuses))
    if reference:
        stmt = stmt.where(payments.c.reference.contains(normal_reference(reference), autoescape=True))
    with reading(server.store.engine) as conn:
        return [_payment(r) for r in conn.execute(stmt)]


def one(server: Server, payment_id: str, customer: str = "") -> Payment:
    """A request by id; someone else's answers exactly like one that does not exist."""
    up_to_date(server)
    with reading(server.store.engine) as conn:
        row = conn.execute(sa.select(payments).where(payments.c.id == payment_id[:64])).first()
    if row is None or (customer and row.customer != customer):
        raise fail(404, "not_found", f"no payment request {payment_id!r} of yours; list yours with GET /api/payments")
    return _payment(row)


def by_reference(server: Server, reference: str) -> Payment:
    with reading(server.store.engine) as conn:
        row = conn.execute(sa.select(payments).where(payments.c.reference == normal_reference(reference))).first()
    if row is None:
        raise fail(404, "not_found", f"no payment request with the reference {reference!r}; check it on the statement")
    return _payment(row)


def set_session(server: Server, payment: Payment, session_id: str, url: str) -> Payment:
    with server.store.engine.begin() as conn:
        conn.execute(payments.update().where(payments.c.id == payment.id)
                     .values(provider_ref=session_id[:200], checkout_url=url))
    return replace(payment, provider_ref=session_id, checkout_url=url)


def cancel(server: Server, payment: Payment) -> None:
    with server.store.engine.begin() as conn:
        conn.execute(payments.update().where(payments.c.id == payment.id, payments.c.status == REQUESTED)
                     .values(status=CANCELLED))


# --- receiving: the money arrived ---------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    payment: Payment
    already: bool  # it had been received before: nothing was credited this time
    message: str


def receive(tx: Tx, server: Server, payment_id: str, by: str, actor: str, audited: bool = True) -> Received:
    """Credit a request's credits once, in the caller's transaction: `CreditPayment`, the row marked
    paid, and (for a person's action) the audit line. Received again, it says when and by whom.

    An expired request may still be received: its money did arrive, and refusing it would leave
    the customer's money on the platform's account with nothing to show for it."""
    now = server.clock.now()
    expire(tx.conn, now)
    row = tx.conn.execute(sa.select(payments).where(payments.c.id == payment_id[:64]).with_for_update()).first()
    if row is None:
        raise fail(404, "not_found", f"no payment request {payment_id!r}")
    payment = _payment(row)
    if payment.status == PAID:
        return Received(payment, True, already_message(server, payment))
    if payment.status == CANCELLED:
        raise fail(409, "wrong_state", f"payment request {payment.reference} was cancelled: it never reached "
                                       "the payment page, so no money can have come for it")
    command = c.CreditPayment(actor=actor, payment_id=payment.id, customer=payment.customer, amount=payment.credits)
    result = tx.execute(command)
    if isinstance(result, DomainError):
        raise result
    tx.conn.execute(payments.update().where(payments.c.id == payment.id).values(status=PAID, paid_at=now, by=by))
    if audited:
        audit.record_commands(tx.conn, now, by, [command], result, reason=f"reference {payment.reference}")
    paid = replace(payment, status=PAID, paid_at=now, by=by)
    return Received(paid, False, f"{payment.credits} credits added to the wallet ({payment.reference})")


def already_message(server: Server, payment: Payment) -> str:
    person = server.store.world.people.get(payment.by)
    who = person.name if person is not None else payment.by
    paid = when(payment.paid_at) if payment.paid_at else "an earlier day"
    return f"already received on {paid} by {who}; nothing was credited again"
