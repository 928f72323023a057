"""The customer API: browse experts, book and request, cancel and reschedule, evaluate, claim, wallet.

Every write builds the engine command with the caller as actor and runs it through the runner
(`write_path.mutate`), so audience rows, stream pokes and `Idempotency-Key` replays happen the
same way for every call. Reads come from the stored tables inside one read transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from consoleapp.engine import commands as c
from consoleapp.engine.availability import FreeSlot, free_times
from consoleapp.engine.changes import cancellation_preview
from consoleapp.engine.errors import INVALID, DomainError
from consoleapp.engine.events import Event
from consoleapp.engine.ledger import wallet
from consoleapp.engine.model import (
    Answer,
    Claim,
    DeclineReason,
    ExpertProfile,
    Meeting,
    MeetingStatus,
    Mode,
    Offer,
    OfferKind,
    Review,
)
from consoleapp.engine.requests import available_now
from consoleapp.engine.settlement import sees_stars
from consoleapp.store import queries, schema
from consoleapp.store.codec import decode
from consoleapp.store.db import reading

from ..protocol import MAX_POSITION, new_id
from .auth import CurrentUser, CustomerUser, User
from .context import Server, server_of
from .errors import REFUSED, fail, responses
from .runner import Tx
from .write_path import check_key, jsonable, mutate, refusals, titles, warnings, world_of

router = APIRouter(tags=["customer"], dependencies=[Depends(check_key)])

IdText = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Booking(Body):
    slot_id: str = Field(min_length=1, max_length=200)
    mode: Mode
    offer: OfferKind
    start: AwareDatetime
    topic: str = Field(min_length=1, max_length=2000)
    minutes: int = Field(default=0, ge=0, le=24 * 60, description="length of a per-minute meeting")
    meeting_id: IdText | None = None
    promo_code: str = Field(default="", max_length=32, description="optional promo code; the platform pays its discount")


class Instant(Body):
    expert: str = Field(min_length=1, max_length=200, description="the expert's id or public link name")
    mode: Mode
    offer: OfferKind
    topic: str = Field(min_length=1, max_length=2000)
    max_budget: int = Field(default=0, ge=0, le=10**9)
    meeting_id: IdText | None = None
    promo_code: str = Field(default="", max_length=32, description="optional promo code; the platform pays its discount")


class Scheduled(Body):
    expert: str = Field(min_length=1, max_length=200, description="the expert's id or public link name")
    mode: Mode
    offer: OfferKind
    topic: str = Field(min_length=1, max_length=2000)
    times: list[AwareDatetime] = Field(min_length=1, max_length=3, description="one to three proposed start times")
    minutes: int = Field(default=0, ge=0, le=24 * 60)
    meeting_id: IdText | None = None
    promo_code: str = Field(default="", max_length=32, description="optional promo code; the platform pays its discount")


class Confirmation(Body):
    promo_code: str = Field(default="", max_length=32, description="optional promo code; the platform pays its discount")


class Reason(Body):
    reason: DeclineReason


class TextReason(Body):
    reason: str = Field(min_length=1, max_length=500)


class Cancel(Body):
    reason: str = Field(default="", max_length=500)
    accept_fee: int | None = Field(default=None, ge=0, le=10**9,
                                   description="the fee shown by GET /api/meetings/{id}/cancellation (R13)")


class NewTime(Body):
    start: AwareDatetime


class Evaluation(Body):
    answer: Answer


class Rating(Body):
    stars: int = Field(ge=1, le=5)


class ReviewText(Body):
    text: str = Field(min_length=1, max_length=2000)


class ClaimBody(Body):
    session: str = Field(min_length=1, max_length=200, description="the meeting (or group event) id")
    amount: int = Field(gt=0, le=10**9)
    reason: str = Field(min_length=1, max_length=2000)
    claim_id: IdText | None = None


# --- reading helpers ------------------------------------------------------------------------



def meeting_row(server: Server, meeting_id: str) -> Meeting | None:
    found: Meeting | None = server.store.stored("meetings", meeting_id)
    return found


def own_meeting(server: Server, user: User, meeting_id: str) -> Meeting:
    """The caller's meeting; someone else's answers exactly like one that does not exist."""
    found = meeting_row(server, meeting_id)
    if found is None or user.id not in (found.customer, found.expert):
        raise fail(404, "not_found", f"you have no meeting {meeting_id[:200]!r}; list yours with GET /api/meetings")
    return found


def meeting_view(m: Meeting, viewer: str) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(m)
    data["paid"] = m.charged - m.discount  # what the customer paid; `charged` includes a promo code's part
    if not sees_stars(m, viewer):
        data.pop("stars", None)  # R27
    return data


def resolve_expert(server: Server, given: str) -> str:
    """An expert's id from an id or a public link name."""
    p = schema.profiles.c
    people = schema.people.c
    with reading(server.store.engine) as conn:
        by_slug = conn.execute(sa.select(p.expert).where(p.slug == given)).scalar_one_or_none()
        if by_slug is not None:
            return str(by_slug)
        role = conn.execute(sa.select(people.role).where(people.id == given)).scalar_one_or_none()
    if role != "expert":
        raise fail(404, "not_found", f"no expert {given!r}; browse them with GET /api/experts")
    return given


def free_view(found: list[FreeSlot]) -> list[dict[str, Any]]:
    return jsonable([{"slot_id": f.slot.id, "start": f.slot.start, "end": f.slot.end, "offers": f.slot.offers,
                      "free": [{"start": a, "end": b} for a, b in f.free]} for f in found])  # type: ignore[no-any-return]


def free_slots(server: Server, expert: str) -> list[dict[str, Any]]:
    """R4/R8: the expert's future slots, each with the parts no meeting of the expert's holds."""
    now = server.clock.now()
    with world_of(server) as w:
        return free_view(free_times(w, expert, now))


@dataclass(frozen=True)
class PublicPage:
    """Everything an expert's public page shows (R2), read once: the JSON answer and the web page
    are both made from it."""

    profile: ExpertProfile
    offers: list[Offer]  # R3: priced ones only (a price of 0 disables an offer)
    reviews: list[Review]  # R27: the text reviews; the stars stay with the operator
    free: list[FreeSlot]
    events: list[dict[str, Any]]  # R28: upcoming group events with seats left
    ask_now: bool  # R6: online with a "Now" slot or open availability


def public_page(server: Server, profile: ExpertProfile) -> PublicPage:
    from .customer_events import event_item, upcoming_in  # that module builds on this one

    expert = profile.expert
    now = server.clock.now()
    with reading(server.store.engine) as conn:
        offers = queries.offers_of(conn, expert)
        reviews = queries.reviews_of(conn, expert)
    with world_of(server) as w:
        free = free_times(w, expert, now)
        events = [item for g in upcoming_in(w, now, expert) if (item := event_item(w, g))["seats_left"] > 0]
        ask_now = available_now(w, expert, now) is not None
    return PublicPage(profile, [o for mode in offers.values() for o in mode if o.price > 0], reviews, free, events,
                      ask_now)


def public_profile(server: Server, profile: ExpertProfile) -> dict[str, Any]:
    page = public_page(server, profile)
    return {
        "expert": profile.expert, "name": profile.name, "specialty": profile.specialty, "photo": profile.photo,
        "time_zone": profile.time_zone, "slug": profile.slug, "link": f"/e/{profile.slug}",
        "offers": jsonable(page.offers), "free_slots": free_view(page.free), "events": jsonable(page.events),
        "reviews": [{"text": r.text, "written_at": r.written_at.isoformat(),
                     "edited_at": r.edited_at.isoformat() if r.edited_at else None} for r in page.reviews],
    }


def meeting_answer(meeting_id: str, viewer: str) -> Any:
    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        m = tx.batch.world.meetings[meeting_id]
        return {"meeting": meeting_view(m, viewer), "events": titles(events), "warnings": warnings(events)}

    return respond


def claim_answer(claim_id: str) -> Any:
    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        return {"claim": jsonable(tx.batch.world.claims[claim_id]), "events": titles(events)}

    return respond


# --- browsing (public) -----------------------------------------------------------------------


@router.get("/e/{slug}", responses=responses(404))
def expert_page(slug: str, request: Request) -> dict[str, Any]:
    """R2: the expert's public page: profile, offers, free slots and text reviews (no stars)."""
    server = server_of(request)
    profile = server.store.profile(slug=slug) if len(slug) <= 200 else None
    if profile is None:
        raise fail(404, "not_found", f"no expert has the public link /e/{slug[:200]}")
    return public_profile(server, profile)


@router.get("/api/experts")
def list_experts(request: Request, specialty: Annotated[str, Query(max_length=200)] = "",
                 q: Annotated[str, Query(max_length=200, description="words found in the name or the specialty")] = "",
                 ) -> dict[str, Any]:
    found = find_experts(server_of(request), q, specialty)
    return {"experts": [{"expert": x.expert, "name": x.name, "specialty": x.specialty, "photo": x.photo,
                         "time_zone": x.time_zone, "link": f"/e/{x.slug}"} for x in found]}


def find_experts(server: Server, words: str = "", specialty: str = "") -> list[ExpertProfile]:
    """The directory (R2): experts with a public link, by name; each word must be in the name or the specialty."""
    p = schema.profiles.c
    with reading(server.store.engine) as conn:
        rows = conn.execute(sa.select(p.record).where(p.slug != "").order_by(p.name)).scalars().all()
    found = [decode(ExpertProfile, json.loads(r)) for r in rows]
    if specialty:
        found = [x for x in found if specialty.lower() in x.specialty.lower()]
    for word in words.lower().split():
        found = [x for x in found if word in x.name.lower() or word in x.specialty.lower()]
    return found


@router.get("/api/experts/{expert}", responses=responses(404))
def expert_detail(expert: str, request: Request) -> dict[str, Any]:
    server = server_of(request)
    expert_id = resolve_expert(server, expert[:200])
    profile = server.store.profile(expert=expert_id) or ExpertProfile(expert_id)
    return public_profile(server, profile)


# --- requests and bookings (R6-R9) -------------------------------------------------------------


@router.post("/api/bookings", status_code=201, responses=refusals(402))
def book(body: Booking, request: Request, user: CustomerUser) -> JSONResponse:
    """R8: book a time in a free slot; credits are held until the expert approves."""
    mid = body.meeting_id or new_id()
    cmd = c.BookSlot(actor=user.id, meeting_id=mid, slot_id=body.slot_id, mode=body.mode, offer=body.offer,
                     start=body.start, topic=body.topic, minutes=body.minutes, promo_code=body.promo_code)
    return mutate(request, user, body, [cmd], meeting_answer(mid, user.id), 201)


@router.post("/api/requests/instant", status_code=201, responses=refusals(402))
def instant(body: Instant, request: Request, user: CustomerUser) -> JSONResponse:
    """R6: credits held at once; the expert accepts or declines before the timeout."""
    server = server_of(request)
    mid = body.meeting_id or new_id()
    cmd = c.RequestInstant(actor=user.id, meeting_id=mid, expert=resolve_expert(server, body.expert), mode=body.mode,
                           offer=body.offer, topic=body.topic, max_budget=body.max_budget, promo_code=body.promo_code)
    return mutate(request, user, body, [cmd], meeting_answer(mid, user.id), 201)


@router.post("/api/requests/scheduled", status_code=201, responses=refusals(402))
def scheduled(body: Scheduled, request: Request, user: CustomerUser) -> JSONResponse:
    """R7: propose one to three times; the expert picks one, declines or proposes another."""
    server = server_of(request)
    mid = body.meeting_id or new_id()
    cmd = c.RequestScheduled(actor=user.id, meeting_id=mid, expert=resolve_expert(server, body.expert), mode=body.mode,
                             offer=body.offer, topic=body.topic, times=tuple(body.times), minutes=body.minutes,
                             promo_code=body.promo_code)
    return mutate(request, user, body, [cmd], meeting_answer(mid, user.id), 201)


@router.post("/api/meetings/{meeting_id}/confirm", responses=refusals(402))
def confirm(meeting_id: str, request: Request, user: CustomerUser, body: Confirmation | None = None) -> JSONResponse:
    """R9: confirm the expert's suggestion: credits held (less a promo code's discount), Agreed, video meeting created."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    code = body.promo_code if body is not None else ""
    return mutate(request, user, body, [c.ConfirmSuggestion(actor=user.id, meeting_id=meeting_id, promo_code=code)],
                  meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/reject", responses=refusals())
def reject(meeting_id: str, body: Reason, request: Request, user: CustomerUser) -> JSONResponse:
    """R9: reject the expert's suggestion with a reason from the list."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, body, [c.RejectSuggestion(actor=user.id, meeting_id=meeting_id, reason=body.reason)],
                  meeting_answer(meeting_id, user.id))


# --- cancelling and rescheduling (R12-R16) ------------------------------------------------------


@router.get("/api/meetings/{meeting_id}/cancellation", responses=responses(*REFUSED))
def cancellation(meeting_id: str, request: Request, user: CustomerUser) -> dict[str, Any]:
    """R13: what cancelling now would cost; send the fee back as `accept_fee` to cancel. When the cancel
    would be refused (the meeting started, it is no longer open), the preview is refused the same way."""
    server = server_of(request)
    own_meeting(server, user, meeting_id)
    now = server.clock.now()
    with world_of(server) as w:
        terms = cancellation_preview(w, meeting_id, user.id, now, server.store.policy)
    data = jsonable(terms)
    if terms.late and terms.fee:
        data["message"] = (f"cancelling now costs {terms.fee} credits and returns {terms.returned}; "
                           f"to cancel, send accept_fee: {terms.fee} with a reason")
    else:
        data["message"] = f"cancelling now is free; {terms.returned} credits come back"
    return data  # type: ignore[no-any-return]


@router.post("/api/meetings/{meeting_id}/cancel", responses=refusals())
def cancel(meeting_id: str, body: Cancel, request: Request, user: CustomerUser) -> JSONResponse:
    """R12/R13: free before approval or 48 h ahead; later only with the fee the preview showed."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    cmd = c.CancelMeeting(actor=user.id, meeting_id=meeting_id, reason=body.reason, accept_fee=body.accept_fee)
    return mutate(request, user, body, [cmd], meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/reschedule", responses=refusals(402))
def reschedule(meeting_id: str, body: NewTime, request: Request, user: CustomerUser) -> JSONResponse:
    """R15: propose a new time for an Agreed or Rejected meeting."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, body, [c.ProposeAlternative(actor=user.id, meeting_id=meeting_id, start=body.start)],
                  meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/alternative/approve", responses=refusals(402))
def approve_alternative(meeting_id: str, request: Request, user: CustomerUser) -> JSONResponse:
    """R16: take the expert's proposed time."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, None, [c.ApproveAlternative(actor=user.id, meeting_id=meeting_id)],
                  meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/alternative/reject", responses=refusals())
def reject_alternative(meeting_id: str, body: TextReason, request: Request, user: CustomerUser) -> JSONResponse:
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, body, [c.RejectAlternative(actor=user.id, meeting_id=meeting_id, reason=body.reason)],
                  meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/alternative/withdraw", responses=refusals())
def withdraw_alternative(meeting_id: str, request: Request, user: CustomerUser) -> JSONResponse:
    """R16: take back a time you proposed that the expert has not answered."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, None, [c.WithdrawAlternative(actor=user.id, meeting_id=meeting_id)],
                  meeting_answer(meeting_id, user.id))


# --- evaluation, rating, review (R22-R27) -----------------------------------------------------------


@router.post("/api/meetings/{meeting_id}/evaluation", responses=refusals())
def evaluate(meeting_id: str, body: Evaluation, request: Request, user: CustomerUser) -> JSONResponse:
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, body, [c.Evaluate(actor=user.id, meeting_id=meeting_id, answer=body.answer)],
                  meeting_answer(meeting_id, user.id))


@router.post("/api/meetings/{meeting_id}/rating", responses=refusals())
def rate(meeting_id: str, body: Rating, request: Request, user: CustomerUser) -> JSONResponse:
    """R27: 1-5 stars, seen by the operator only."""
    own_meeting(server_of(request), user, meeting_id)  # someone else's: 404, as if it did not exist
    return mutate(request, user, body, [c.Rate(actor=user.id, meeting_id=meeting_id, stars=body.stars)],
                  meeting_answer(meeting_id, user.id))


@router.put("/api/experts/{expert}/review", responses=refusals())
def review(expert: str, body: ReviewText, request: Request, user: CustomerUser) -> JSONResponse:
    """R27: one public text review per expert, editable; the first earns bonus credits."""
    server = server_of(request)
    expert_id = resolve_expert(server, expert[:200])

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        r = tx.batch.world.reviews[(user.id, expert_id)]
        bonus = sum(getattr(ev, "amount", 0) for ev in events if type(ev).__name__ == "Transfer")
        return {"review": {"expert": expert_id, "text": r.text, "written_at": r.written_at, "edited_at": r.edited_at},
                "bonus": bonus, "events": titles(events)}

    return mutate(request, user, body, [c.WriteReview(actor=user.id, expert=expert_id, text=body.text)], respond)


# --- claims (R29) ---------------------------------------------------------------------------------


@router.post("/api/claims", status_code=201, responses=refusals())
def open_claim(body: ClaimBody, request: Request, user: CustomerUser) -> JSONResponse:
    """R29: a full or partial refund claim within 72 h of the session's end."""
    cid = body.claim_id or new_id()
    cmd = c.OpenClaim(actor=user.id, claim_id=cid, session=body.session, amount=body.amount, reason=body.reason)
    return mutate(request, user, body, [cmd], claim_answer(cid), 201)


@router.get("/api/claims")
def my_claims(request: Request, user: CustomerUser) -> dict[str, Any]:
    return {"claims": jsonable(server_of(request).store.claims_of(user.id))}


@router.get("/api/claims/{claim_id}", responses=responses(404))
def claim_detail(claim_id: str, request: Request, user: CustomerUser) -> dict[str, Any]:
    server = server_of(request)
    found: Claim | None = server.store.stored("claims", claim_id)
    if found is None or found.customer != user.id:
        raise fail(404, "not_found", f"you have no claim {claim_id!r}; list yours with GET /api/claims")
    return {"claim": jsonable(found), "timeline": jsonable(server.store.timeline(claim_id))}


# --- my meetings, wallet, notifications --------------------------------------------------------------


@router.get("/api/meetings")
def my_meetings(request: Request, user: CustomerUser,
                status: Annotated[list[str] | None, Query(description="e.g. Agreed; repeat for several")] = None) -> dict[str, Any]:
    wanted = None
    if status:
        try:
            wanted = [MeetingStatus(s) for s in status]
        except ValueError:
            names = ", ".join(s.value for s in MeetingStatus)
            raise DomainError(INVALID, f"status must be one of {names}") from None
    found = server_of(request).store.meetings_of(user.id, wanted)
    return {"meetings": [meeting_view(m, user.id) for m in found]}


@router.get("/api/meetings/{meeting_id}", responses=responses(404))
def meeting_detail(meeting_id: str, request: Request, user: CustomerUser) -> dict[str, Any]:
    """The meeting with its timeline (R34)."""
    server = server_of(request)
    m = own_meeting(server, user, meeting_id)
    return {"meeting": meeting_view(m, user.id), "timeline": jsonable(server.store.timeline(meeting_id))}


@router.get("/api/wallet")
def my_wallet(request: Request, user: CustomerUser) -> dict[str, Any]:
    """R11/R32: balance, what may be spent, what is held, and every movement with its label."""
    server = server_of(request)
    return {**jsonable(server.store.wallet_balance(user.id)),
            "movements": jsonable(server.store.transactions(wallet(user.id)))}


@router.get("/api/notifications")
def my_notifications(request: Request, user: CurrentUser, after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """R35: the caller's notifications after a cursor (a log position)."""
    found = server_of(request).store.notifications(user.id, after, limit)
    return {"notifications": jsonable(found), "cursor": found[-1]["position"] if found else after}
