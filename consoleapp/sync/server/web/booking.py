"""Booking from the expert's page (R6-R9, R11): book a free time, ask now, propose times.

Each form is read, turned into the engine's command and run through the API's write path with
the form's own idempotency key, so a double click or a reload of the POST books once. A refusal
comes back as the engine's message above the form, with everything typed still there.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from consoleapp.engine import commands as c
from consoleapp.engine.common import offers_for
from consoleapp.engine.errors import INSUFFICIENT_CREDITS, PROMO_REFUSED, DomainError
from consoleapp.engine.model import ExpertProfile, Offer, OfferKind
from consoleapp.engine.promos import normal, quote
from consoleapp.engine.requests import available_now

from ..context import Server, server_of
from ..errors import fail
from ..write_path import world_of
from . import site
from .public import expert_or_404
from .site import N_

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])

STEP = timedelta(minutes=15)
DONE = {"book": "/me/meetings/{meeting}?done=booked", "ask": "/me/meetings/{meeting}/waiting",
        "propose": "/me/meetings/{meeting}?done=proposed"}  # where each form leads once done  # start times offered in a free time: every quarter hour


def offer_key(o: Offer) -> str:
    return f"{o.mode.value}:{o.kind.value}"


def parse_offer(form: site.Form, offers: tuple[Offer, ...]) -> Offer | None:
    chosen = next((o for o in offers if offer_key(o) == form.get("offer")), None)
    if chosen is None:
        form.errors["offer"] = form.tr("Please choose one.")
    return chosen


def wallet_of(server: Server, customer: str) -> dict[str, Any]:
    return server.store.wallet_balance(customer)


def shortfall(server: Server, user: site.WebUser, price: int) -> int:
    """How many credits are missing for `price` (R11), to say so beside the refusal."""
    return max(price - int(wallet_of(server, user.id).get("available", 0)), 0)


async def _opened(request: Request, kind: str) -> tuple[site.WebUser, site.Form, Response | None]:
    """The customer, the form, and the page to go to if this very form was already sent."""
    user = site.customer(request)
    form = await site.Form.read(request)
    done = site.replayed(request, user, form)
    return user, form, None if done is None else site.redirect(request, DONE[kind].format(**done))


# The engine's fixed promo refusal, shown beside the field (the others name a date or an expert).
SHOWN = (N_("You have already used this code"),)


def promo_code(form: site.Form) -> str:
    code = form.text("promo_code", required=False, limit=32)
    return "" if form.errors.get("promo_code") else code


def quoted(request: Request, user: site.WebUser, form: site.Form, expert: str, price: int) -> dict[str, Any] | None:
    """What the typed promo code takes off `price` now, as the engine reckons it (nothing is held);
    a code that cannot be used gets the engine's reason beside the field."""
    code = promo_code(form)
    if not code:
        form.errors.setdefault("promo_code", form.tr("Type a promo code to check it."))
        return None
    server = server_of(request)
    with world_of(server) as w:
        try:
            discount = quote(w, code, user.id, expert, price, server.clock.now())
        except DomainError as refused:
            form.errors["promo_code"] = site.translate(request, refused.message[:1].upper() + refused.message[1:])
            return None
    return {"code": normal(code), "discount": discount, "pay": price - discount}


def _send(request: Request, user: site.WebUser, form: site.Form,
          command: c.BookSlot | c.RequestInstant | c.RequestScheduled, kind: str,
          price: int) -> Response | int:
    """Run the form's command: the page it leads to, or how many credits are missing for `price`
    (0 for any other refusal); the refusal's message is on the form (a promo code's beside its field)."""
    try:
        done = site.run(request, user, form, [command], {"meeting": command.meeting_id})
        return site.redirect(request, DONE[kind].format(**done))
    except DomainError as refused:
        if refused.code == PROMO_REFUSED:
            form.errors["promo_code"] = site.translate(request, refused.message[:1].upper() + refused.message[1:])
            return 0
        form.problem = refused.message
        return shortfall(server_of(request), user, price) if refused.code == INSUFFICIENT_CREDITS else 0


# --- book a free time (R8) ------------------------------------------------------------------------


def _slot_and_offers(server: Server, profile: ExpertProfile, slot_id: str) -> tuple[Any, tuple[Offer, ...]]:
    with world_of(server) as w:
        slot = w.slots.get(slot_id)
        if slot is None or slot.expert != profile.expert:
            raise fail(404, "not_found", "this free time is gone; choose another on the expert's page")
        return slot, offers_for(w, profile.expert, slot.offers)


def _starts(gap_start: datetime, gap_end: datetime) -> list[datetime]:
    """Quarter hours from the free time's start; the engine says whether the chosen length fits."""
    out, at = [], gap_start
    while at < gap_end and len(out) < 96:
        out.append(at)
        at += STEP
    return out


def _gap(slot: Any, at: str, server: Server) -> tuple[datetime, datetime]:
    """The free time of `slot` from `at` (as the expert's page linked it) to its end, while it is
    free. A time that has passed meanwhile moves on to the next quarter hour, as the page would
    now offer it; a time someone else took is gone."""
    from .public import free_gaps, quarter_after

    try:
        chosen = datetime.fromisoformat(at)
    except ValueError:
        chosen = None
    if chosen is None or chosen.tzinfo is None:
        raise fail(404, "not_found", "this free time is gone; choose another on the expert's page")
    begins = max(chosen, quarter_after(server.clock.now()))
    for gap in free_gaps(server, slot.expert):
        if gap.slot == slot.id and gap.start <= begins < gap.end:
            return begins, gap.end
    raise fail(404, "not_found", "this free time is gone; choose another on the expert's page")


@router.get("/e/{slug}/book")
def book_form(slug: str, request: Request, slot: str = "", at: str = "") -> Response:
    user = site.customer(request)
    server = server_of(request)
    profile = expert_or_404(server, slug)
    found, offers = _slot_and_offers(server, profile, slot[:200])
    start, end = _gap(found, at[:64], server)
    return _book_page(request, profile, found, offers, start, end, site.Form(), user)


def _book_page(request: Request, profile: ExpertProfile, slot: Any, offers: tuple[Offer, ...], start: datetime,
               end: datetime, form: site.Form, user: site.WebUser, status: int = 200, missing: int = 0,
               promo: dict[str, Any] | None = None) -> Response:
    server = server_of(request)
    return site.render(request, "book.html", status=status, profile=profile, slot=slot, offers=offers,
                       gap_start=start, gap_end=end, starts=_starts(start, end), form=form, offer_key=offer_key,
                       wallet=wallet_of(server, user.id), missing=missing, expert_zone=site.zone_of(profile.time_zone),
                       quote=promo)


@router.post("/e/{slug}/book")
async def book(slug: str, request: Request) -> Response:
    user, form, again = await _opened(request, "book")
    if again is not None:
        return again
    server = server_of(request)
    profile = expert_or_404(server, slug)
    try:
        found, offers = _slot_and_offers(server, profile, form.get("slot")[:200])
        start_gap, end_gap = _gap(found, form.get("at")[:64], server)
    except HTTPException:
        # A twin of this form (the other half of a double click, on another worker) may have
        # booked this very time since the look above: then this is its answer, not "gone".
        if (done := site.replayed(request, user, form)) is not None:
            return site.redirect(request, DONE["book"].format(**done))
        raise
    offer = parse_offer(form, offers)
    start = _iso(form, "start")
    minutes = form.whole("minutes", 1, 24 * 60) if offer is not None and offer.kind is OfferKind.PER_MINUTE else 0
    if form.get("preview") and offer is not None:  # "Check the code": the quote, nothing booked
        promo = quoted(request, user, form, profile.expert, offer.price * (minutes or 1))
        return _book_page(request, profile, found, offers, start_gap, end_gap, form, user, 200 if promo else 422,
                          promo=promo)
    topic = form.text("topic", limit=500)
    code = promo_code(form)
    missing = 0
    if form.ok and offer is not None and start is not None:
        sent = _send(request, user, form, c.BookSlot(
            actor=user.id, meeting_id=uuid.uuid4().hex, slot_id=found.id, mode=offer.mode, offer=offer.kind,
            start=start, topic=topic, minutes=minutes, promo_code=code), "book", offer.price * (minutes or 1))
        if isinstance(sent, Response):
            return sent
        missing = sent
    return _book_page(request, profile, found, offers, start_gap, end_gap, form, user, 422, missing)


def _iso(form: site.Form, name: str) -> datetime | None:
    raw = form.get(name)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        form.errors[name] = form.tr("Please choose a time.")
        return None
    if value.tzinfo is None:
        form.errors[name] = form.tr("Please choose a time.")
        return None
    return value


# --- ask now: an instant request (R6) ---------------------------------------------------------------


def _now_offers(server: Server, profile: ExpertProfile) -> tuple[Offer, ...] | None:
    with world_of(server) as w:
        slot = available_now(w, profile.expert, server.clock.now())
        return None if slot is None else offers_for(w, profile.expert, slot.offers)


@router.get("/e/{slug}/ask")
def ask_form(slug: str, request: Request) -> Response:
    user = site.customer(request)
    server = server_of(request)
    profile = expert_or_404(server, slug)
    return _ask_page(request, profile, _now_offers(server, profile), site.Form(), user)


def _ask_page(request: Request, profile: ExpertProfile, offers: tuple[Offer, ...] | None, form: site.Form,
              user: site.WebUser, status: int = 200, missing: int = 0, promo: dict[str, Any] | None = None) -> Response:
    server = server_of(request)
    return site.render(request, "ask.html", status=status, profile=profile, offers=offers or (), available=offers is not None,
                       form=form, offer_key=offer_key, wallet=wallet_of(server, user.id), missing=missing,
                       timeout=server.store.policy.instant_timeout_seconds, quote=promo)


@router.post("/e/{slug}/ask")
async def ask(slug: str, request: Request) -> Response:
    user, form, again = await _opened(request, "ask")
    if again is not None:
        return again
    server = server_of(request)
    profile = expert_or_404(server, slug)
    offers = _now_offers(server, profile) or ()
    offer = parse_offer(form, offers)
    budget = form.whole("budget", 0, 10**9, required=offer is not None and offer.kind is OfferKind.PER_MINUTE)
    if form.get("preview") and offer is not None:  # a per-minute code's discount is held on the budget
        promo = quoted(request, user, form, profile.expert, budget or offer.price)
        return _ask_page(request, profile, offers or None, form, user, 200 if promo else 422, promo=promo)
    topic = form.text("topic", limit=500)
    code = promo_code(form)
    missing = 0
    if form.ok and offer is not None:
        sent = _send(request, user, form, c.RequestInstant(
            actor=user.id, meeting_id=uuid.uuid4().hex, expert=profile.expert, mode=offer.mode, offer=offer.kind,
            topic=topic, max_budget=budget, promo_code=code), "ask", budget or offer.price)
        if isinstance(sent, Response):
            return sent
        missing = sent
    return _ask_page(request, profile, offers or None, form, user, 422, missing)


# --- propose times: a scheduled request (R7) --------------------------------------------------------


@router.get("/e/{slug}/propose")
def propose_form(slug: str, request: Request) -> Response:
    user = site.customer(request)
    server = server_of(request)
    profile = expert_or_404(server, slug)
    return _propose_page(request, profile, site.Form(), user)


def _propose_page(request: Request, profile: ExpertProfile, form: site.Form, user: site.WebUser, status: int = 200,
                  missing: int = 0, promo: dict[str, Any] | None = None) -> Response:
    server = server_of(request)
    with world_of(server) as w:
        offers = offers_for(w, profile.expert)
    return site.render(request, "propose.html", status=status, profile=profile, offers=offers, form=form,
                       offer_key=offer_key, wallet=wallet_of(server, user.id), missing=missing,
                       expert_zone=site.zone_of(profile.time_zone), quote=promo)


@router.post("/e/{slug}/propose")
async def propose(slug: str, request: Request) -> Response:
    user, form, again = await _opened(request, "propose")
    if again is not None:
        return again
    server = server_of(request)
    profile = expert_or_404(server, slug)
    with world_of(server) as w:
        offers = offers_for(w, profile.expert)
    offer = parse_offer(form, offers)
    zone = site.visitor_zone(request, user)
    times = [t for t in (form.moment(f"time{i}", zone, required=i == 1) for i in (1, 2, 3)) if t is not None]
    minutes = form.whole("minutes", 1, 24 * 60) if offer is not None and offer.kind is OfferKind.PER_MINUTE else 0
    if form.get("preview") and offer is not None:
        promo = quoted(request, user, form, profile.expert, offer.price * (minutes or 1))
        return _propose_page(request, profile, form, user, 200 if promo else 422, promo=promo)
    topic = form.text("topic", limit=500)
    code = promo_code(form)
    missing = 0
    if form.ok and offer is not None:
        sent = _send(request, user, form, c.RequestScheduled(
            actor=user.id, meeting_id=uuid.uuid4().hex, expert=profile.expert, mode=offer.mode, offer=offer.kind,
            topic=topic, times=tuple(times), minutes=minutes, promo_code=code), "propose", offer.price * (minutes or 1))
        if isinstance(sent, Response):
            return sent
        missing = sent
    return _propose_page(request, profile, form, user, 422, missing)
