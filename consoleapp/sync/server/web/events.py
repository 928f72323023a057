"""Group events (R28) on the web: the list, one event, register (credits held), cancel a
registration under the R13 terms (the fee shown before), join."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.errors import INSUFFICIENT_CREDITS
from consoleapp.engine.model import GroupEvent, Role

from ..context import Server, server_of
from ..customer_events import event_item, my_registration, upcoming_in
from ..errors import fail
from ..write_path import world_of
from . import site
from .booking import shortfall
from .site import N_

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])

DONE = {"registered": N_("You are registered: your credits are held until the event."),
        "cancelled": N_("Your registration is cancelled."),
        "joined": N_("Your presence is recorded. Enjoy the event.")}


@router.get("/events")
def events(request: Request) -> Response:
    server = server_of(request)
    with world_of(server) as w:
        found = [event_item(w, g) for g in upcoming_in(w, server.clock.now(), None)]
    return site.render(request, "events.html", events=found)


def _event(server: Server, event_id: str) -> tuple[GroupEvent, dict[str, Any]]:
    with world_of(server) as w:
        g = w.group_events.get(event_id[:200])
        if g is None:
            raise fail(404, "not_found", "there is no such group event")
        return g, event_item(w, g)


def _page(request: Request, event_id: str, form: site.Form | None = None, status: int = 200,
          missing: int = 0) -> Response:
    server = server_of(request)
    user = site.web_user(request)
    g, item = _event(server, event_id)
    mine = None
    if user is not None and user.role is Role.CUSTOMER:
        with world_of(server) as w:
            mine = my_registration(w, g, user.id, server.clock.now(), server.store.policy)
    profile = server.store.profile(expert=g.expert)
    return site.render(request, "event.html", status=status, g=g, item=item, mine=mine, form=form or site.Form(),
                       note=DONE.get(request.query_params.get("done", "")), missing=missing,
                       wallet=server.store.wallet_balance(user.id) if user is not None and mine is not None else None,
                       expert_zone=site.zone_of(profile.time_zone if profile else None))


@router.get("/events/{event_id}")
def event_page(event_id: str, request: Request) -> Response:
    return _page(request, event_id)


async def _act(request: Request, event_id: str, command: Any, done: str) -> Response:
    user = site.customer(request)
    form = await site.Form.read(request)
    server = server_of(request)
    g, _ = _event(server, event_id)
    if site.replayed(request, user, form) is not None:
        return site.redirect(request, f"/events/{g.id}?done={done}")
    commands = command(form, user, g)
    missing = 0
    if form.ok:
        try:
            site.run(request, user, form, commands, {"event": g.id})
            return site.redirect(request, f"/events/{g.id}?done={done}")
        except DomainError as refused:
            form.problem = refused.message
            if refused.code == INSUFFICIENT_CREDITS:
                missing = shortfall(server, user, g.price)
    return _page(request, g.id, form, 422, missing)


@router.post("/events/{event_id}/register")
async def register(event_id: str, request: Request) -> Response:
    """R28: a seat, its price held until the event settles."""
    return await _act(request, event_id, lambda form, user, g: [c.Register(actor=user.id, event_id=g.id)],
                      "registered")


@router.post("/events/{event_id}/cancel")
async def cancel(event_id: str, request: Request) -> Response:
    """R13 for a registration: the form sends back the fee the page showed."""
    def build(form: site.Form, user: site.WebUser, g: GroupEvent) -> list[c.Command]:
        fee = form.whole("accept_fee", 0, 10**9, required=False) if form.get("accept_fee") else None
        return [c.CancelRegistration(actor=user.id, event_id=g.id, accept_fee=fee)]

    return await _act(request, event_id, build, "cancelled")


@router.post("/events/{event_id}/join")
async def join(event_id: str, request: Request) -> Response:
    """R28: a registered customer's presence at the event."""
    return await _act(request, event_id, lambda form, user, g: [c.JoinGroupEvent(actor=user.id, event_id=g.id)],
                      "joined")
