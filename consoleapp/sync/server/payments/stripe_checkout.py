"""Stripe Checkout: the customer pays on Stripe's page; credits come only from a signed webhook.

A session is made through the `stripe` library (`stripe_api_base` points it elsewhere, e.g. at
a test's fake). The webhook is verified on the raw body with `stripe.Webhook.construct_event`;
its timestamp is judged against the server's clock (the library would read the machine's), and
an event is acted on once per event id and once per payment, only for the amount asked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine.model import SYSTEM

from ..context import Server
from ..errors import fail
from ..runner import Tx
from ..settings import Settings
from ..tables import payment_events, payments
from . import records
from .records import Payment

if TYPE_CHECKING:
    import stripe

log = logging.getLogger("consoleapp.payments")

TOLERANCE_SECONDS = 300  # Stripe's own default: an older signature may be a replay
PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def set_up(settings: Settings) -> bool:
    return bool(settings.stripe_secret_key and settings.stripe_webhook_secret)


def client(settings: Settings) -> stripe.StripeClient:
    import stripe  # imported on first use: a third of a second of every server's start otherwise

    base = {"api": settings.stripe_api_base.rstrip("/")} if settings.stripe_api_base else None
    return stripe.StripeClient(settings.stripe_secret_key, base_addresses=base,  # type: ignore[arg-type]
                               max_network_retries=2)


def checkout(server: Server, payment: Payment) -> Payment:
    """The request's Checkout Session, made once (Stripe's idempotency key names the request), at
    the price the request was made at."""
    if payment.status == records.CANCELLED:  # the same request sent again after the service failed it
        raise _unavailable()
    if payment.checkout_url or payment.status != records.REQUESTED:
        return payment
    wallet = f"{server.settings.base_url}/me/wallet"
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [{"quantity": payment.credits, "price_data": {
            "currency": payment.currency.lower(), "unit_amount": payment.amount // payment.credits,
            "product_data": {"name": "Expert Console credits"}}}],
        "client_reference_id": payment.id,
        "metadata": {"payment_id": payment.id, "reference": payment.reference, "credits": str(payment.credits)},
        "success_url": f"{wallet}?paid={payment.id}",
        "cancel_url": f"{wallet}?cancelled={payment.id}",
    }
    import stripe

    try:
        session = client(server.settings).v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout-{payment.id}"})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        log.warning("Stripe refused or did not answer a Checkout Session for %s: %s", payment.reference, exc)
        records.cancel(server, payment)
        raise _unavailable() from None
    return records.set_session(server, payment, str(session.id), str(session.url))


def _unavailable() -> Exception:
    return fail(502, "provider_unavailable", "the card payment service did not answer; nothing was charged. "
                                             "Try again in a minute")


# --- the webhook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    duplicate: bool
    text: str


def verified(settings: Settings, payload: bytes, signature: str, now: datetime) -> Any:
    """The event, if Stripe signed exactly this body recently; else a 400 that says why."""
    import stripe

    try:
        # tolerance=0: the library's age check reads the machine's clock; ours (below) the server's.
        event = stripe.Webhook.construct_event(payload, signature, settings.stripe_webhook_secret, tolerance=0)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise fail(400, "bad_signature", f"the Stripe-Signature does not verify: {exc}") from None
    if _signed_at(signature) < now.timestamp() - TOLERANCE_SECONDS:
        raise fail(400, "bad_signature", f"the signature is older than {TOLERANCE_SECONDS} s: "
                                         "a replay, or this server's clock is wrong")
    return event


def _signed_at(signature: str) -> int:
    """The `t=` of a header the library has just verified (so it is there and a number)."""
    parts = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
    return int(parts["t"])


def handle(server: Server, event: Any) -> Outcome:
    """Credit a paid Checkout Session's payment once; anything else is recorded and changes nothing."""
    kind, event_id = str(getattr(event, "type", "")), str(getattr(event, "id", ""))[:255]
    if kind not in PAID_EVENTS or not event_id:
        return Outcome(False, f"{kind or 'an event without a type'}: not an event this server acts on")
    session = _session(event)
    with server.runner.transaction() as tx:
        if tx.conn.execute(sa.select(payment_events.c.id).where(payment_events.c.id == event_id)).first() is not None:
            return Outcome(True, "this event was handled already")
        payment_id = str(session.get("client_reference_id") or "")[:64]
        text = _credit(tx, server, payment_id, session)
        tx.conn.execute(payment_events.insert().values(id=event_id, payment=payment_id,
                                                       received=server.clock.now(), outcome=text))
    if not text.startswith("credited"):
        log.warning("Stripe event %s changed nothing: %s", event_id, text)
    return Outcome(False, text)


def _session(event: Any) -> dict[str, Any]:
    """The event's Checkout Session as plain data ({} when a signed event carries none)."""
    try:
        found = event.data.object.to_dict()
    except (AttributeError, KeyError):
        return {}
    return found if isinstance(found, dict) else {}


def _credit(tx: Tx, server: Server, payment_id: str, session: Any) -> str:
    row = tx.conn.execute(sa.select(payments).where(payments.c.id == payment_id)).first()
    if row is None or row.provider != "stripe" or row.provider_ref != session.get("id"):
        return f"no payment request of ours for session {session.get('id')!r}"
    if session.get("payment_status") != "paid":
        return f"session {row.provider_ref} is not paid yet ({session.get('payment_status')})"
    asked = (row.amount, row.currency.lower())
    got = (session.get("amount_total"), str(session.get("currency") or "").lower())
    if got != asked:
        return f"amount mismatch: asked {asked[0]} {asked[1]}, the session says {got[0]} {got[1]}"
    try:
        received = records.receive(tx, server, payment_id, records.STRIPE, SYSTEM, audited=False)
    except DomainError as refused:  # e.g. the account was closed meanwhile: an operator must refund by hand
        return f"paid, but not credited: {refused.message}"
    if received.already:
        return "a second event for a payment already credited"
    return f"credited {row.credits} credits"
