"""Public pages: the directory of experts, an expert's page `/e/<slug>`, the language switch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from consoleapp.engine.availability import FreeSlot, free_times
from consoleapp.engine.model import ExpertProfile, Mode, Offer, OfferKind

from .. import customer as api
from ..context import Server, server_of
from ..errors import fail
from ..write_path import world_of
from . import site

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/experts", status_code=307)


@router.get("/experts")
def directory(request: Request, q: str = "") -> Response:
    found = api.find_experts(server_of(request), q[:200])
    return site.render(request, "directory.html", experts=found, q=q[:200])


@dataclass(frozen=True)
class Gap:
    """A free part of a slot, where a booking can start."""

    slot: str
    start: datetime
    end: datetime


def sorted_offers(offers: list[Offer]) -> list[Offer]:
    """By mode, then short, long, per minute."""
    order = {OfferKind.SHORT: 0, OfferKind.LONG: 1, OfferKind.PER_MINUTE: 2}
    return sorted(offers, key=lambda o: (list(Mode).index(o.mode), order[o.kind]))


def quarter_after(moment: datetime) -> datetime:
    """The first quarter hour at or after `moment` (a free time that begins "now" is offered from
    the next quarter, so its link names a time that stays put while the visitor reads)."""
    q = moment.replace(second=0, microsecond=0)
    if q < moment:
        q += timedelta(minutes=1)
    return q + timedelta(minutes=-q.minute % 15)


def gaps_of(free: list[FreeSlot]) -> list[Gap]:
    """The free times of the expert's future slots, as the booking rule sees them, from quarter hours."""
    return [Gap(f.slot.id, quarter_after(start), end) for f in free for start, end in f.free
            if quarter_after(start) < end]


def free_gaps(server: Server, expert: str) -> list[Gap]:
    now = server.clock.now()
    with world_of(server) as w:
        return gaps_of(free_times(w, expert, now))


def by_day(gaps: list[Gap], request: Request) -> list[tuple[date, list[Gap]]]:
    zone = site.visitor_zone(request, site.web_user(request))
    days: dict[date, list[Gap]] = defaultdict(list)
    for gap in gaps:
        days[gap.start.astimezone(zone).date()].append(gap)
    return sorted(days.items())


def expert_or_404(server: Server, slug: str) -> ExpertProfile:
    profile = server.store.profile(slug=slug) if len(slug) <= 200 else None
    if profile is None:
        raise fail(404, "not_found", f"no expert has the public link /e/{slug[:200]}")
    return profile


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" not in accept or accept.find("application/json") != -1 and (
        accept.find("application/json") < accept.find("text/html"))


@router.get("/e/{slug}")
def expert_page(slug: str, request: Request) -> Any:
    """R2: the expert's public page; the same address answers JSON to `Accept: application/json`."""
    if wants_json(request):
        request.state.page = False  # an API client: refusals as JSON, like every API route
        return api.expert_page(slug, request)
    server = server_of(request)
    page = api.public_page(server, expert_or_404(server, slug))
    return site.render(
        request, "expert.html", profile=page.profile, offers=sorted_offers(page.offers),
        days=by_day(gaps_of(page.free), request), reviews=page.reviews, ask_now=page.ask_now,
        events=page.events, expert_zone=site.zone_of(page.profile.time_zone))


@router.post("/language")
async def language(request: Request) -> Response:
    """The language switch: kept in a cookie for a year."""
    form = await site.Form.read(request)
    chosen = form.get("lang")
    response = RedirectResponse(site.safe_next(form.get("next")), status_code=303)
    if chosen in site.LOCALES:
        response.set_cookie(site.LANG_COOKIE, chosen, max_age=site.YEAR, samesite="lax", path="/",
                            secure=site.secure(request))
    return response
