"""Public pages: the directory of experts, an expert's page `/e/<slug>`, the language switch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from consoleapp.engine.model import ExpertProfile, Mode, Offer, OfferKind, Slot
from consoleapp.engine.requests import available_now

from .. import customer as api
from ..context import Server, server_of
from ..errors import fail
from ..idempotency import world_of
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


def offers_of(server: Server, expert: str) -> list[Offer]:
    """The expert's priced offers (R3: a price of 0 disables one), by mode then length."""
    by_mode = server.store.offers_of(expert)
    order = {OfferKind.SHORT: 0, OfferKind.LONG: 1, OfferKind.PER_MINUTE: 2}
    return sorted((o for offers in by_mode.values() for o in offers if o.price > 0),
                  key=lambda o: (list(Mode).index(o.mode), order[o.kind]))


def free_gaps(server: Server, expert: str) -> list[Gap]:
    """The free times of the expert's future slots, as the booking rule sees them."""
    gaps = []
    for slot in api.free_slots(server, expert):
        for part in slot["free"]:
            gaps.append(Gap(slot["slot_id"], datetime.fromisoformat(part["start"]), datetime.fromisoformat(part["end"])))
    return gaps


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
    profile = expert_or_404(server, slug)
    now = server.clock.now()
    with world_of(server) as w:
        now_slot: Slot | None = available_now(w, profile.expert, now)
    public = api.public_profile(server, profile)
    return site.render(
        request, "expert.html", profile=profile, offers=offers_of(server, profile.expert),
        days=by_day(free_gaps(server, profile.expert), request), reviews=server.store.reviews_of(profile.expert),
        ask_now=now_slot is not None, events=_events(public), expert_zone=site.zone_of(profile.time_zone))


def _events(public: dict[str, Any]) -> list[dict[str, Any]]:
    """The expert's upcoming group events, as the API lists them (with datetimes to format)."""
    out = []
    for ev in public.get("events", []):
        out.append({**ev, "start": datetime.fromisoformat(ev["start"]), "end": datetime.fromisoformat(ev["end"])})
    return out


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
