"""Group events for customers (R28): browse, register (credits held), cancel under R13, join.

Writes build the engine command with the caller as actor and run it through `write_path.mutate`,
like every customer route. Reads are plain functions (`upcoming_events`, `event_view`,
`registration_cancellation`) over the World, so the web pages show exactly what the API answers.
An event is public; a registration is its customer's alone: nobody else learns who registered,
and another customer's registration answers 404 like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.changes import CancellationTerms, registration_terms
from consoleapp.engine.events import Event
from consoleapp.engine.model import GroupEvent, GroupEventStatus, Role
from consoleapp.engine.policy import Policy

from .auth import CustomerUser, User, current_user
from .context import Server, server_of
from .customer import resolve_expert
from .errors import REFUSED, fail, responses
from .runner import Tx
from .write_path import check_key, jsonable, mutate, refusals, titles, world_of

router = APIRouter(tags=["customer"], dependencies=[Depends(check_key)])


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CancelRegistration(Body):
    accept_fee: int | None = Field(default=None, ge=0, le=10**9,
                                   description="the fee shown by GET /api/events/{id}/cancellation (R13)")


# --- reading ------------------------------------------------------------------------------------


def event_item(w: World, g: GroupEvent) -> dict[str, Any]:
    """What anyone may see of an event: never who registered, only how many seats are left."""
    profile = w.profiles.get(g.expert)
    person = w.people.get(g.expert)
    name = (profile.name if profile else "") or (person.name if person else "")
    return {"id": g.id, "title": g.title,
            "expert": {"id": g.expert, "name": name, "slug": profile.slug if profile else ""},
            "start": g.start, "end": g.end, "price": g.price, "min_participants": g.min_participants,
            "max_participants": g.max_participants, "seats_left": max(g.max_participants - len(g.active()), 0),
            "status": g.status.value}


def upcoming_in(w: World, now: datetime, expert: str | None) -> list[GroupEvent]:
    found = [g for gid in w.active_events if (g := w.group_events[gid]).status is GroupEventStatus.OPEN
             and g.start > now and (expert is None or g.expert == expert)]
    return sorted(found, key=lambda g: (g.start, g.id))


def upcoming_events(server: Server, expert: str | None = None) -> list[dict[str, Any]]:
    """Open events that have not started yet (registration closes at the start), earliest first."""
    now = server.clock.now()
    with world_of(server) as w:
        items = [event_item(w, g) for g in upcoming_in(w, now, expert)]
    return jsonable(items)  # type: ignore[no-any-return]


def terms_view(event_id: str, terms: CancellationTerms) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(terms)
    if terms.late and terms.fee:
        data["message"] = (f"cancelling now costs {terms.fee} credits and returns {terms.returned}; to cancel, "
                           f"send accept_fee: {terms.fee} to POST /api/events/{event_id}/registration/cancel")
    else:
        data["message"] = f"cancelling now is free; {terms.returned} credits come back"
    return data


def my_registration(w: World, g: GroupEvent, customer: str, now: datetime, p: Policy) -> dict[str, Any]:
    reg = g.registration(customer)
    if reg is not None:
        cancellable = g.status is GroupEventStatus.OPEN and now < g.start
        terms = registration_terms(w, g.id, customer, now, p) if cancellable else None
        return {"status": "registered", "joined_at": reg.joined_at, "charged": reg.charged,
                "cancellation": terms_view(g.id, terms) if terms is not None else None}
    past = [r for r in g.registrations if r.customer == customer]
    if past:
        return {"status": "cancelled", "fee": past[-1].charged}
    return {"status": "none"}


def _view(w: World, event_id: str, viewer: User | None, now: datetime, p: Policy) -> dict[str, Any]:
    g = w.group_events.get(event_id)
    if g is None:
        raise fail(404, "not_found", f"no event {event_id[:200]!r}; browse them with GET /api/events")
    data = event_item(w, g)
    if viewer is not None and viewer.role is Role.CUSTOMER:
        data["my_registration"] = my_registration(w, g, viewer.id, now, p)
    return data


def event_view(server: Server, event_id: str, viewer: User | None) -> dict[str, Any]:
    """The event; for a customer also their registration and what cancelling it would cost now."""
    now = server.clock.now()
    with world_of(server) as w:
        data = _view(w, event_id, viewer, now, server.store.policy)
    return jsonable(data)  # type: ignore[no-any-return]


def registration_cancellation(server: Server, event_id: str, customer: str) -> dict[str, Any]:
    """R13 for a registration: the fee, what comes back, the last free moment (the engine's terms)."""
    now = server.clock.now()
    with world_of(server) as w:
        terms = registration_terms(w, event_id, customer, now, server.store.policy)
    return terms_view(event_id, terms)


def _optional_viewer(request: Request) -> User | None:
    """Public pages say more to a logged-in customer; a token that is sent must still be valid."""
    if not request.headers.get("authorization", "").strip():
        return None
    return current_user(request)


def _answer(server: Server, event_id: str, user: User) -> Any:
    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        view = _view(tx.batch.world, event_id, user, server.clock.now(), server.store.policy)
        return {"event": view, "events": titles(events)}

    return respond


# --- routes ---------------------------------------------------------------------------------------


@router.get("/api/events", responses=responses(404))
def list_events(request: Request, expert: Annotated[str, Query(
        max_length=200, description="only this expert's events: an id or public link name")] = "") -> dict[str, Any]:
    """R28: upcoming open group events, earliest first, with the seats left."""
    server = server_of(request)
    return {"events": upcoming_events(server, resolve_expert(server, expert) if expert else None)}


@router.get("/api/events/{event_id}", responses=responses(401, 403, 404))
def event_detail(event_id: str, request: Request) -> dict[str, Any]:
    """R28: one event; a logged-in customer also gets `my_registration` (none, registered, cancelled)
    with what cancelling would cost now (R13)."""
    server = server_of(request)
    return event_view(server, event_id, _optional_viewer(request))


@router.post("/api/events/{event_id}/registration", status_code=201, responses=refusals(402))
def register(event_id: str, request: Request, user: CustomerUser) -> JSONResponse:
    """R28: register; the price is held from your credits until the event settles (R11)."""
    server = server_of(request)
    return mutate(request, user, None, [c.Register(actor=user.id, event_id=event_id)],
                  _answer(server, event_id, user), 201)


@router.get("/api/events/{event_id}/cancellation", responses=responses(*REFUSED))
def cancellation(event_id: str, request: Request, user: CustomerUser) -> dict[str, Any]:
    """R13: what cancelling your registration now would cost; send the fee back as `accept_fee` to cancel."""
    return registration_cancellation(server_of(request), event_id, user.id)


@router.post("/api/events/{event_id}/registration/cancel", responses=refusals())
def cancel_registration(event_id: str, body: CancelRegistration, request: Request, user: CustomerUser) -> JSONResponse:
    """R13: free until 48 h before the start; later only with the fee the preview showed."""
    server = server_of(request)
    cmd = c.CancelRegistration(actor=user.id, event_id=event_id, accept_fee=body.accept_fee)
    return mutate(request, user, body, [cmd], _answer(server, event_id, user))


@router.post("/api/events/{event_id}/join", responses=refusals())
def join(event_id: str, request: Request, user: CustomerUser) -> JSONResponse:
    """R18 for events: records that you joined (from 15 min before the start until the end)."""
    server = server_of(request)
    return mutate(request, user, None, [c.JoinGroupEvent(actor=user.id, event_id=event_id)],
                  _answer(server, event_id, user))
