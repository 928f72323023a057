"""The wallet (R11, R32) and the notifications (R35) of the logged-in customer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from consoleapp.engine.ledger import wallet as wallet_account
from consoleapp.engine.model import Meeting

from ..context import server_of
from ..errors import fail
from . import site

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])


@router.get("/me/wallet")
def wallet(request: Request) -> Response:
    """Balance, what may be spent, what is blocked, and every movement with its label."""
    user = site.customer(request)
    server = server_of(request)
    movements = list(reversed(server.store.transactions(wallet_account(user.id))))  # newest first
    return site.render(request, "wallet.html", balance=server.store.wallet_balance(user.id), movements=movements,
                       promos=promo_notes(server.store.world.meetings, user.id, movements))


def promo_notes(meetings: Mapping[str, Meeting], customer: str, movements: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """(code, credits the platform pays) beside a hold or a charge a promo code paid part of: the
    platform's own movement is not the customer's, so the wallet says it in words."""
    out: dict[str, tuple[str, int]] = {}
    for mv in movements:
        m = meetings.get(mv["ref"])
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
