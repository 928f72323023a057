"""The wallet (R11, R32) and the notifications (R35) of the logged-in customer."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from consoleapp.engine.ledger import wallet as wallet_account

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
    return site.render(request, "wallet.html", balance=server.store.wallet_balance(user.id), movements=movements)


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
