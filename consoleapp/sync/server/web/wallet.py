"""The wallet (R11, R32), buying credits, and the notifications (R35) of the logged-in customer."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from consoleapp.engine.ledger import wallet as wallet_account
from consoleapp.engine.model import Meeting

from ..context import server_of
from ..errors import fail
from ..payments import bank, records
from ..payments.api import request_credits, selling
from . import site

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])


def money(request: Request, minor: int, currency: str) -> str:
    """'12,50 €' in the page's language (currencies with cents)."""
    return str(format_currency(Decimal(minor) / 100, currency, locale=site.babel_locale(site.choose_locale(request))))


def _page(request: Request, user: site.WebUser, form: site.Form | None = None, status: int = 200) -> Response:
    server = server_of(request)
    movements = list(reversed(server.store.transactions(wallet_account(user.id))))  # newest first
    settings = server.settings
    return site.render(request, "wallet.html", status=status, balance=server.store.wallet_balance(user.id),
                       movements=movements, selling=selling(settings), buy=form or site.Form(),
                       payments=records.listed(server, customer=user.id, limit=20), max_credits=records.MAX_CREDITS,
                       price=money(request, settings.credit_price_cents, settings.currency.upper()),
                       money=lambda minor, currency: money(request, minor, currency),
                       promos=promo_notes(server.store.world.meetings, user.id, movements))


@router.get("/me/wallet")
def wallet(request: Request) -> Response:
    """Balance, what may be spent, what is blocked, every movement with its label, and buying credits."""
    return _page(request, site.customer(request))


@router.post("/me/wallet/buy")
async def buy(request: Request) -> Response:
    """A request to buy credits: then the bank details to pay by transfer, or Stripe's Checkout page."""
    user = site.customer(request)
    form = await site.Form.read(request)
    credits = form.whole("credits", 1, records.MAX_CREDITS)
    if form.ok:
        try:
            payment, _ = request_credits(server_of(request), user.api, credits, form.key(), form.fingerprint(request))
        except HTTPException as refused:
            form.problem = site.refusal_text(request, refused)
            form.values.pop("idem", None)  # a new try is a new request (this one may be cancelled)
        else:
            if payment.provider == "stripe":
                return RedirectResponse(payment.checkout_url, status_code=303)
            return site.redirect(request, f"/me/wallet/payments/{payment.id}")
    return _page(request, user, form, 422)


@router.get("/me/wallet/payments/{payment_id}")
def payment(payment_id: str, request: Request) -> Response:
    """One request: what to transfer where (with the QR code), or when it was received."""
    user = site.customer(request)
    server = server_of(request)
    found = records.one(server, payment_id, user.id)
    if found.provider != "bank":
        raise fail(404, "not_found", "card payments are followed on the wallet page")
    return site.render(request, "payment.html", payment=found, transfer=bank.transfer(server.settings, found),
                       money=lambda minor, currency: money(request, minor, currency))


def promo_notes(meetings: Mapping[str, Meeting], customer: str, movements: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """(code, credits the platform pays) beside a hold or a charge a promo code paid part of: the
    platform's own movement is not the customer's, so the wallet says it in words."""
    out: dict[str, tuple[str, int]] = {}
    # One look-up per meeting, not per movement: a closed meeting is read back from its table.
    found = {ref: meetings.get(ref) for ref in {mv["ref"] for mv in movements}}
    for mv in movements:
        m = found[mv["ref"]]
        if m is None or m.customer != customer or m.promo is None:
            continue
        paid = {"pending": m.promo_discount, "post_pending": m.discount}.get(mv["kind"], 0)
        if paid:
            out[mv["id"]] = (m.promo.code, paid)
    return out


@router.get("/me/notifications")
def notifications(request: Request) -> Response:
    user = site.customer(request)
    found = list(reversed(server_of(request).store.notifications(user.id, 0, None)))[:200]
    return site.render(request, "notifications.html", notifications=found)


@router.get("/me/about/{ref}")
def about(ref: str, request: Request) -> Response:
    """Where a notification points: its meeting, claim or group event."""
    user = site.customer(request)
    w = server_of(request).store.world
    ref = ref[:200]
    m = w.meetings.get(ref)
    if m is not None and m.customer == user.id:
        return RedirectResponse(f"/me/meetings/{ref}", status_code=303)
    cl = w.claims.get(ref)
    if cl is not None and cl.customer == user.id:
        return RedirectResponse(f"/me/claims/{ref}", status_code=303)
    if ref in w.group_events:
        return RedirectResponse(f"/events/{ref}", status_code=303)
    raise fail(404, "not_found", "this notification points to nothing of yours")
