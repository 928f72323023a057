"""Buying credits over the API: customers ask and follow their requests; operators mark bank
transfers received; Stripe calls the webhook."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..auth import CustomerUser, OperatorUser, User
from ..context import Server, server_of
from ..errors import fail, responses
from ..settings import Settings
from ..write_path import HEADER, check_key, jsonable, run_once
from . import bank, records, stripe_checkout
from .records import Payment

router = APIRouter(tags=["payments"], dependencies=[Depends(check_key)])
webhooks = APIRouter(tags=["payments"])


class Purchase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credits: int = Field(ge=1, le=records.MAX_CREDITS, description="how many credits to buy")


class Receipt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000, description="e.g. the statement line, for the audit log")


def selling(settings: Settings) -> str:
    """How this server sells credits ('bank' or 'stripe'), or '' while that is not set up."""
    ready = stripe_checkout.set_up(settings) if settings.payment_provider == "stripe" else bank.set_up(settings)
    return settings.payment_provider if ready else ""


def provider_ready(server: Server) -> str:
    """The provider this server sells credits with, or a 409 saying buying is not set up."""
    provider = selling(server.settings)
    if not provider:
        raise fail(409, "not_set_up", "buying credits is not set up on this server yet; ask the platform's operators")
    return provider


def request_credits(server: Server, user: User, credits: int, key: str = "",
                    fingerprint: str = "") -> tuple[Payment, bool]:
    """A new request (one per idempotency key: a form sent twice makes one), with its checkout if by
    card; and whether the key had made it already (the answer is then a replay)."""
    provider = provider_ready(server)
    records.check_credits(credits)
    made: list[Payment] = []

    def write(tx: Any) -> None:
        made.append(records.insert(tx, server, user.id, credits, provider))

    _, answer, replayed = run_once(server, user, key, fingerprint, [], lambda tx, events: {"payment": made[0].id},
                                   status=201, extra=write)
    payment = records.one(server, answer["payment"], user.id)
    return (stripe_checkout.checkout(server, payment) if provider == "stripe" else payment), replayed


def shown(server: Server, payment: Payment) -> dict[str, Any]:
    """A request as its customer sees it: for a bank transfer still awaited, what to send where."""
    out: dict[str, Any] = {
        "id": payment.id, "reference": payment.reference, "provider": payment.provider, "credits": payment.credits,
        "amount": payment.amount, "price": payment.price, "currency": payment.currency, "status": payment.status,
        "created": payment.created, "expires": payment.expires, "paid_at": payment.paid_at,
    }
    if payment.provider == "bank" and payment.status in (records.REQUESTED, records.EXPIRED):
        out["transfer"] = bank.transfer(server.settings, payment).__dict__
    if payment.provider == "stripe" and payment.status == records.REQUESTED:
        out["checkout_url"] = payment.checkout_url
    return jsonable(out)  # type: ignore[no-any-return]


@router.post("/api/payments", status_code=201, responses=responses(400, 409, 422, 502))
def buy(body: Purchase, request: Request, user: CustomerUser) -> JSONResponse:
    """Ask to buy credits: the bank details, amount, reference and QR code to pay by transfer, or
    the Checkout page's address to pay by card. Credits arrive once the money does."""
    server = server_of(request)
    key = request.headers.get(HEADER, "").strip()
    fingerprint = f"buy:{body.credits}" if key else ""
    payment, replayed = request_credits(server, user, body.credits, key, fingerprint)
    # Marked as every keyed answer given again is, so a client retrying after a lost answer can tell.
    return JSONResponse(shown(server, payment), status_code=201,
                        headers={"Idempotent-Replayed": "true"} if replayed else None)


@router.get("/api/payments")
def mine(request: Request, user: CustomerUser) -> dict[str, Any]:
    server = server_of(request)
    return {"payments": [shown(server, p) for p in records.listed(server, customer=user.id)]}


@router.get("/api/payments/{payment_id}", responses=responses(404))
def my_payment(payment_id: str, request: Request, user: CustomerUser) -> dict[str, Any]:
    server = server_of(request)
    return shown(server, records.one(server, payment_id, user.id))


@router.get("/operator/payments")
def all_payments(request: Request, user: OperatorUser, status: str = "", reference: str = "") -> dict[str, Any]:
    """Requests newest first; `status=requested` lists the transfers awaited, `reference` finds one."""
    server = server_of(request)
    found = records.listed(server, statuses=(status,) if status else (), reference=reference[:40])
    return {"payments": [jsonable(p) for p in found]}


@router.post("/operator/payments/{payment_id}/received", responses=responses(404, 409))
def received(payment_id: str, body: Receipt, request: Request, user: OperatorUser) -> dict[str, Any]:
    """The transfer arrived: credit it once (again: says when and by whom, credits nothing)."""
    server = server_of(request)
    with server.runner.transaction() as tx:
        done = records.receive(tx, server, payment_id, user.id, user.id)
    return {"payment": jsonable(done.payment), "already": done.already, "message": done.message}


@webhooks.post("/webhooks/stripe", responses=responses(400, 404))
async def stripe_webhook(request: Request) -> dict[str, Any]:
    """Stripe's events, signed (`Stripe-Signature`); a paid Checkout Session credits its payment once."""
    server = server_of(request)
    if server.settings.payment_provider != "stripe" or not stripe_checkout.set_up(server.settings):
        raise fail(404, "not_found", "card payments are not set up on this server")
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    event = await run_in_threadpool(stripe_checkout.verified, server.settings, payload, signature, server.clock.now())
    outcome = await run_in_threadpool(stripe_checkout.handle, server, event)
    return {"received": True, "duplicate": outcome.duplicate, "outcome": outcome.text}
