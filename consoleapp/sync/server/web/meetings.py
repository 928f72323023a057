"""My meetings (R12-R18, R22-R30, R34): the list, one meeting with its timeline and every action
the customer has on it, the waiting page of an instant request, claims.

What may be done now is the engine's to say: the page shows the forms that fit the meeting's
state, and every form's command is decided by the engine, whose refusal is shown as it says it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError, World
from consoleapp.engine import commands as c
from consoleapp.engine.changes import CancellationTerms, cancellation_preview
from consoleapp.engine.claims import claim_chance
from consoleapp.engine.live import can_open_video
from consoleapp.engine.model import (
    Answer,
    Claim,
    DeclineReason,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Party,
)
from consoleapp.engine.policy import Policy
from consoleapp.engine.requests import join_window

from .. import customer as api
from ..context import Server, server_of
from ..errors import fail
from ..video.routes import link_for
from ..write_path import world_of
from . import site
from .calendar_feed import feed_links
from .site import N_

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])

UPCOMING = (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.REJECTED)
DONE_NOTES = {
    "booked": N_("Booked: the expert approves or rejects it; your credits are held meanwhile."),
    "proposed": N_("Sent: the expert picks one of your times, or proposes another."),
    "cancelled": N_("Cancelled."),
    "rescheduled": N_("Your new time is sent; the expert approves it."),
    "confirmed": N_("Confirmed: the meeting is agreed."),
    "rejected": N_("Rejected."),
    "evaluated": N_("Thank you: your evaluation is recorded."),
    "rated": N_("Thank you for your rating."),
    "reviewed": N_("Your review is saved."),
    "claimed": N_("Your claim is sent to the expert."),
    "approved": N_("The new time is agreed."),
    "withdrawn": N_("Your proposed time is withdrawn."),
}


def mine(server: Server, user: site.WebUser, meeting_id: str) -> Meeting:
    """The customer's meeting; anyone else's answers 404 exactly like one that does not exist."""
    return api.own_meeting(server, user.api, meeting_id[:200])


@router.get("/me/meetings")
def my_meetings(request: Request) -> Response:
    user = site.customer(request)
    server = server_of(request)
    found = server.store.meetings_of(user.id)
    names = expert_names(server, found)
    upcoming = sorted((m for m in found if m.status in UPCOMING), key=lambda m: m.start or m.requested_at)
    past = sorted((m for m in found if m.status not in UPCOMING), key=lambda m: m.start or m.requested_at,
                  reverse=True)
    return site.render(request, "meetings.html", upcoming=upcoming, past=past, names=names,
                       calendar=feed_links(request, user),
                       new_link=request.query_params.get("done") == "calendar")


def expert_names(server: Server, meetings: list[Meeting]) -> dict[str, str]:
    """The experts' names as their public pages say them."""
    w = server.store.world
    out = {}
    for expert in {m.expert for m in meetings}:
        profile, person = w.profiles.get(expert), w.people.get(expert)
        out[expert] = (profile.name if profile and profile.name else person.name if person else "")
    return out


def _terms(w: World, m: Meeting, customer: str, now: datetime, policy: Policy) -> CancellationTerms | None:
    """The cancel form's terms, or no form when the cancel itself would be refused (e.g. after the start)."""
    if m.status not in UPCOMING:
        return None
    try:
        return cancellation_preview(w, m.id, customer, now, policy)
    except DomainError:
        return None


def _page(request: Request, m: Meeting, form: site.Form | None = None, status: int = 200,
          action: str = "") -> Response:
    """The meeting page: its state, timeline, and the forms that fit its state now."""
    user = site.customer(request)
    server = server_of(request)
    now = server.clock.now()
    policy = server.store.policy
    with world_of(server) as w:
        terms = _terms(w, m, user.id, now, policy)
        chance = claim_chance(w, m.id, user.id, now, policy)
        review = w.reviews.get((user.id, m.expert))
    window = join_window(m.start, m.end, policy) if m.start and m.end else None
    opens, closes = (window.opens, window.closes) if window else (None, None)
    link, video_problem = None, ""
    if can_open_video(m) and window and not window.is_over(now):
        try:
            link = link_for(server, user.api, m.id)
        except HTTPException as exc:  # no room yet (no personal link, the platform down): the page says which
            video_problem = exc.detail.get("code", "") if isinstance(exc.detail, dict) else ""
        except Exception:  # noqa: BLE001  (no video meeting yet: the page says when it opens)
            link = None
    expert = server.store.world.people.get(m.expert)
    profile = server.store.profile(expert=m.expert)
    claims = [cl for cl in server.store.claims_of(user.id) if cl.session == m.id]
    return site.render(
        request, "meeting.html", status=status, m=m, timeline=server.store.timeline(m.id), terms=terms,
        chance=chance, review=review, link=link, video_problem=video_problem, opens=opens, closes=closes, claims=claims,
        expert_name=(profile.name if profile and profile.name else expert.name if expert else ""), profile=profile,
        expert_zone=site.zone_of(profile.time_zone if profile else None), form=form or site.Form(), action=action,
        blank=site.Form(),
        answers=list(Answer), reasons=list(DeclineReason), Party=Party, Status=MeetingStatus, Kind=MeetingKind,
        join_before=policy.join_before_minutes,
        note=DONE_NOTES.get(request.query_params.get("done", "")),
        live_page=m.live is not None or (m.kind is MeetingKind.INSTANT and m.status is MeetingStatus.AGREED),
    )


@router.get("/me/meetings/{meeting_id}")
def meeting_page(meeting_id: str, request: Request) -> Response:
    user = site.customer(request)
    return _page(request, mine(server_of(request), user, meeting_id))


async def _act(request: Request, meeting_id: str, action: str, build: Any, done: str) -> Response:
    """Read the form, build the command from it, run it; the meeting page again with the result or
    with the refusal beside the form that caused it."""
    user = site.customer(request)
    form = await site.Form.read(request)
    server = server_of(request)
    m = mine(server, user, meeting_id)
    if site.replayed(request, user, form) is not None:  # sent twice: the first did it
        return site.redirect(request, f"/me/meetings/{m.id}?done={done}")
    commands = build(form, user, m)
    if form.ok:
        try:
            site.run(request, user, form, commands, {"meeting": m.id})
            return site.redirect(request, f"/me/meetings/{m.id}?done={done}")
        except DomainError as refused:
            form.problem = refused.message
    return _page(request, mine(server, user, meeting_id), form, 422, action)


# --- cancelling and new times (R12-R16) ---------------------------------------------------------------


@router.post("/me/meetings/{meeting_id}/cancel")
async def cancel(meeting_id: str, request: Request) -> Response:
    """R12/R13: the fee was on the page; the form sends back the fee it showed (the engine refuses
    another one, so a fee that changed meanwhile is shown again before anything is charged)."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        reason = form.text("reason", required=m.status is MeetingStatus.AGREED, limit=500)
        fee = form.whole("accept_fee", 0, 10**9, required=False) if form.get("accept_fee") else None
        return [c.CancelMeeting(actor=user.id, meeting_id=m.id, reason=reason, accept_fee=fee)]

    return await _act(request, meeting_id, "cancel", build, "cancelled")


@router.post("/me/meetings/{meeting_id}/reschedule")
async def reschedule(meeting_id: str, request: Request) -> Response:
    """R15: a new time for an Agreed or Rejected meeting."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        start = form.moment("start", site.visitor_zone(request, user))
        return [c.ProposeAlternative(actor=user.id, meeting_id=m.id, start=start)] if start else []

    return await _act(request, meeting_id, "reschedule", build, "rescheduled")


@router.post("/me/meetings/{meeting_id}/alternative")
async def alternative(meeting_id: str, request: Request) -> Response:
    """R16: take, refuse (with a reason) or withdraw a proposed new time."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        choice = form.get("choice")
        if choice == "approve":
            return [c.ApproveAlternative(actor=user.id, meeting_id=m.id)]
        if choice == "withdraw":
            return [c.WithdrawAlternative(actor=user.id, meeting_id=m.id)]
        reason = form.text("reason", limit=500)
        return [c.RejectAlternative(actor=user.id, meeting_id=m.id, reason=reason)]

    done = {"approve": "approved", "withdraw": "withdrawn"}
    form_choice = (await request.form()).get("choice", "")
    return await _act(request, meeting_id, "alternative", build, done.get(str(form_choice), "rejected"))


@router.post("/me/meetings/{meeting_id}/suggestion")
async def suggestion(meeting_id: str, request: Request) -> Response:
    """R9: confirm the expert's suggested meeting (credits held) or reject it with a reason."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        if form.get("choice") == "confirm":
            code = form.text("promo_code", required=False, limit=32)  # the platform pays its discount
            return [c.ConfirmSuggestion(actor=user.id, meeting_id=m.id, promo_code=code)]
        reason = form.choice("reason", DeclineReason)
        return [c.RejectSuggestion(actor=user.id, meeting_id=m.id, reason=reason)] if reason else []

    form_choice = (await request.form()).get("choice", "")
    return await _act(request, meeting_id, "suggestion", build, "confirmed" if form_choice == "confirm" else "rejected")


# --- after the session (R22-R29) ------------------------------------------------------------------------


@router.post("/me/meetings/{meeting_id}/evaluation")
async def evaluate(meeting_id: str, request: Request) -> Response:
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        answer = form.choice("answer", Answer)
        return [c.Evaluate(actor=user.id, meeting_id=m.id, answer=answer)] if answer else []

    return await _act(request, meeting_id, "evaluation", build, "evaluated")


@router.post("/me/meetings/{meeting_id}/rating")
async def rate(meeting_id: str, request: Request) -> Response:
    """R27: 1-5 stars, for the operator only."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        stars = form.whole("stars", 1, 5)
        return [c.Rate(actor=user.id, meeting_id=m.id, stars=stars)] if stars else []

    return await _act(request, meeting_id, "rating", build, "rated")


@router.post("/me/meetings/{meeting_id}/review")
async def review(meeting_id: str, request: Request) -> Response:
    """R27: the public text review of the expert (one per expert, editable)."""
    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        text = form.text("text", limit=2000)
        return [c.WriteReview(actor=user.id, expert=m.expert, text=text)] if text else []

    return await _act(request, meeting_id, "review", build, "reviewed")


@router.post("/me/meetings/{meeting_id}/claim")
async def claim(meeting_id: str, request: Request) -> Response:
    """R29: a full or partial refund claim, with a reason, within the claim window."""
    claim_id = uuid.uuid4().hex

    def build(form: site.Form, user: site.WebUser, m: Meeting) -> list[c.Command]:
        amount = form.whole("amount", 1, 10**9)
        reason = form.text("reason", limit=2000)
        return [c.OpenClaim(actor=user.id, claim_id=claim_id, session=m.id, amount=amount, reason=reason)] if amount else []

    return await _act(request, meeting_id, "claim", build, "claimed")


@router.get("/me/claims/{claim_id}")
def claim_page(claim_id: str, request: Request) -> Response:
    """R29-R30: a claim and what became of it."""
    user = site.customer(request)
    server = server_of(request)
    found = _own_claim(server, user, claim_id[:200])
    m = server.store.world.meetings.get(found.session)
    return site.render(request, "claim.html", claim=found, m=m, timeline=server.store.timeline(found.id))


def _own_claim(server: Server, user: site.WebUser, claim_id: str) -> Claim:
    found: Claim | None = server.store.stored("claims", claim_id)
    if found is None or found.customer != user.id:  # someone else's: as if it did not exist
        raise fail(404, "not_found", "you have no such claim")
    return found


# --- an instant request, waiting for the expert (R6) ------------------------------------------------------


def _waiting_state(m: Meeting) -> str:
    if m.status is MeetingStatus.AGREED:
        return "accepted"
    if m.status is MeetingStatus.AWAITING_APPROVAL:
        return "waiting"
    return "over"  # expired, declined or cancelled: the credits are back


@router.get("/me/meetings/{meeting_id}/waiting")
def waiting(meeting_id: str, request: Request, part: str = "") -> Response:
    """The page after "Ask now": a countdown to the expert's answer. It turns into the live page
    the moment the expert accepts (a poke on the page's stream, or every few seconds without)."""
    user = site.customer(request)
    server = server_of(request)
    m = mine(server, user, meeting_id)
    state = _waiting_state(m)
    if state == "accepted":
        to = f"/me/meetings/{m.id}/live"
        if part:
            return Response(status_code=204, headers={"HX-Redirect": to})
        return RedirectResponse(to, status_code=303)
    template = "waiting_part.html" if part else "waiting.html"
    left = max(int(((m.expires_at or server.clock.now()) - server.clock.now()).total_seconds()), 0)
    return site.render(request, template, m=m, state=state, left=left, expert_name=expert_names(server, [m]).get(m.expert, ""))


def seconds_between(a: datetime, b: datetime) -> int:
    return max(int((b - a).total_seconds()), 0)
