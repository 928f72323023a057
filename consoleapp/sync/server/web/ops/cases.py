"""The review queue (R25, R30) and one case: its evidence pack, a decision previewed, then made.

A decision takes two steps: the form is previewed by running the engine's own decider on the
current World without keeping anything (what would move, to whom), then confirmed by a form
that carries the same values and its own idempotency key, so a double submit decides once.
A case another operator decided meanwhile says who decided, when and why, and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.claims import flagged_experts
from consoleapp.engine.decide import decide
from consoleapp.engine.evidence import Evidence, evidence
from consoleapp.engine.model import Claim, ClaimStatus, Meeting, MeetingStatus, Outcome
from consoleapp.engine.settlement import split_range
from consoleapp.store import schema
from consoleapp.store.db import reading

from ...attachments import attachment_file
from ...context import Server, server_of
from ...errors import fail
from ...operator import records_where, ref_events
from ...write_path import world_of
from .. import site
from . import access

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.operator_only)])

WAITING_SINCE = ("ReviewRequired", "ClaimDisputed", "ClaimEscalated")


def names(server: Server, ids: set[str]) -> dict[str, str]:
    """People's names by id (an operator's too), the id itself when unknown."""
    people = server.store.world.people
    return {x: (people[x].name if x in people else x) for x in ids}


@dataclass(frozen=True)
class Waiting:
    kind: str  # 'meeting' or 'claim'
    id: str
    since: datetime
    expert: str
    customer: str
    amount: int  # the credits held (a meeting) or claimed (a claim)
    what: str  # the meeting's topic, or the claim's reason


def queue(server: Server) -> list[Waiting]:
    """Every undecided case, oldest first, with the time it has waited since it came to review."""
    with reading(server.store.engine) as conn:
        meetings = records_where(conn, schema.meetings, Meeting, schema.meetings.c.status == MeetingStatus.UNDER_REVIEW.value)
        claims = records_where(conn, schema.claims, Claim, schema.claims.c.status == ClaimStatus.DISPUTED.value)
        refs = [m.id for m in meetings] + [cl.id for cl in claims]
        ev = schema.events.c
        since: dict[str, datetime] = {}
        if refs:
            for ref, data in conn.execute(sa.select(ev.ref, ev.data).where(ev.ref.in_(refs), ev.kind.in_(WAITING_SINCE))
                                          .order_by(ev.position)):
                since[ref] = datetime.fromisoformat(json.loads(data)["at"])
    found = [Waiting("meeting", m.id, since.get(m.id) or m.end or m.requested_at, m.expert, m.customer, m.price, m.topic)
             for m in meetings]
    found += [Waiting("claim", cl.id, since.get(cl.id) or cl.opened_at, cl.expert, cl.customer, cl.amount, cl.reason)
              for cl in claims]
    return sorted(found, key=lambda x: (x.since, x.id))


@router.get("/ops")
def review_queue(request: Request) -> Response:
    server = server_of(request)
    cases = queue(server)
    who = names(server, {x for w in cases for x in (w.expert, w.customer)})
    return site.render(request, "ops/queue.html", cases=cases, names=who, done=request.query_params.get("done", ""))


# --- one case -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    meeting: Meeting
    claim: Claim | None
    pack: Evidence

    @property
    def open(self) -> bool:
        if self.claim is not None:
            return self.claim.status is ClaimStatus.DISPUTED
        return self.meeting.status is MeetingStatus.UNDER_REVIEW

    @property
    def path(self) -> str:
        return f"/ops/claims/{self.claim.id}" if self.claim else f"/ops/meetings/{self.meeting.id}"


def case_of(server: Server, kind: str, ref: str) -> Case:
    """A meeting that came to review, or a claim that was disputed (decided ones stay readable)."""
    ref = ref[:200]
    store = server.store
    if kind == "claim":
        cl: Claim | None = store.stored("claims", ref)
        if cl is None or not cl.summary:  # only a disputed (or escalated) claim is a case
            raise fail(404, "not_found", f"no disputed claim {ref!r}")
        claimed: Meeting | None = store.stored("meetings", cl.session)
        if claimed is None:  # a claim on a group event's registration: no meeting timeline
            raise fail(404, "not_found", f"claim {ref!r} is on a group event; see the person's page")
        with reading(store.engine) as conn:
            return Case(claimed, cl, evidence(claimed.id, ref_events(conn, claimed.id), ref_events(conn, cl.id)))
    m: Meeting | None = store.stored("meetings", ref)
    if m is None:
        raise fail(404, "not_found", f"no meeting {ref!r}")
    with reading(store.engine) as conn:
        timeline = ref_events(conn, m.id)
    if not any(isinstance(ev, e.ReviewRequired) for ev in timeline):
        raise fail(404, "not_found", f"meeting {ref!r} never came to review")
    return Case(m, None, evidence(m.id, timeline))


def _show(request: Request, case: Case, form: site.Form | None = None, status: int = 200) -> Response:
    server = server_of(request)
    m, cl = case.meeting, case.claim
    ids = {m.expert, m.customer, *(actor for _, actor, _ in case.pack.timeline)}
    low, high = split_range(m)
    balance = server.store.world.ledger.account(f"expert:{m.expert}").balance
    return site.render(request, "ops/case.html", status=status, case=case, m=m, claim=cl, pack=case.pack,
                       names=names(server, ids), form=form or site.Form(), low=low, high=high,
                       expert_balance=balance, held=m.price if m.hold else 0)


@router.get("/ops/meetings/{meeting_id}")
def meeting_case(meeting_id: str, request: Request) -> Response:
    return _show(request, case_of(server_of(request), "meeting", meeting_id))


@router.get("/ops/claims/{claim_id}")
def claim_case(claim_id: str, request: Request) -> Response:
    return _show(request, case_of(server_of(request), "claim", claim_id))


@router.get("/ops/files/{meeting_id}/{attachment_id}")
def evidence_file(meeting_id: str, attachment_id: str, request: Request) -> Response:
    """A file shared in a session under review or disputed: the download the API gives operators."""
    return attachment_file(server_of(request), access.me(request).api, meeting_id[:200], attachment_id[:200])


# --- deciding ------------------------------------------------------------------------------------------


def _command(request: Request, case: Case, form: site.Form) -> c.Command | None:
    """The decision the form asks for, or None with an error beside each field to fix."""
    user = access.me(request)
    note = form.text("note")
    if case.claim is not None:
        verdict = form.get("verdict")
        if verdict not in ("accept", "reject"):
            form.errors["verdict"] = form.tr("Please choose one.")
        return c.DecideDispute(actor=user.id, claim_id=case.claim.id, accept=verdict == "accept",
                               note=note) if form.ok else None
    outcome = form.choice("outcome", Outcome)
    amount = 0
    if outcome is Outcome.SPLIT:
        low, high = split_range(case.meeting)
        amount = form.whole("amount", low, high)
    elif outcome not in (Outcome.PAY, Outcome.RETURN, None):
        form.errors["outcome"] = form.tr("Please choose one.")
    if not form.ok or outcome is None:
        return None
    return c.DecideReview(actor=user.id, meeting_id=case.meeting.id, outcome=outcome, expert_amount=amount, note=note)


def _already(request: Request, case: Case) -> str:
    """What a second operator is told about a case decided meanwhile."""
    if case.pack.decision is None:
        return site.translate(request, "This case is no longer waiting for a decision; nothing was done.")
    at, actor, what, note = case.pack.decision
    who = names(server_of(request), {actor})[actor]
    return site.translate(request, "Already decided by {who} ({when}): {what}, “{note}”. Nothing more was done.",
                          who=who, when=at.astimezone(site.visitor_zone(request, site.web_user(request)))
                          .strftime("%Y-%m-%d %H:%M"), what=site.translate(request, what), note=note)


async def _decision(request: Request, kind: str, ref: str, confirm: bool) -> Response:
    server = server_of(request)
    form = await site.Form.read(request)
    user = access.me(request)
    case = case_of(server, kind, ref)
    if confirm:
        replay = site.replayed(request, user, form)  # a double submit: the first answer's page
        if replay is not None:
            return site.redirect(request, f"/ops?done={case.path}")
    if not case.open:
        form.problem = _already(request, case)
        return _show(request, case, form, 409)
    if form.get("change"):  # back from the confirmation to the case, with what was chosen and written
        form.values.pop("change")
        return _show(request, case, site.Form({k: v for k, v in form.values.items() if k not in ("csrf", "idem")}))
    command = _command(request, case, form)
    if command is None:
        return _show(request, case, form, 422)
    if not confirm:
        try:
            with world_of(server) as w:
                events = decide(w, command, server.clock.now(), server.store.policy)
        except DomainError as refused:
            form.problem = site.translate(request, refused.message[:1].upper() + refused.message[1:])
            return _show(request, case, form, 422)
        return site.render(request, "ops/confirm.html", case=case, m=case.meeting, claim=case.claim,
                           form=site.Form({k: v for k, v in form.values.items() if k not in ("csrf", "idem")}),
                           preview=_preview(events), names=names(server, {case.meeting.expert, case.meeting.customer}),
                           expert_balance=server.store.world.ledger.account(f"expert:{case.meeting.expert}").balance)
    try:
        site.run(request, user, form, [command], {"case": case.path})
    except DomainError as refused:
        fresh = case_of(server, kind, ref)
        form.problem = _already(request, fresh) if not fresh.open else refused.message
        return _show(request, fresh, form, 409)
    return site.redirect(request, f"/ops?done={case.path}")


@dataclass(frozen=True)
class Preview:
    """What a decision would move, from the decider's own events."""

    settled: e.MeetingSettled | None
    refund: e.ClaimRefunded | None
    accepted: bool


def _preview(events: list[e.Event]) -> Preview:
    settled = next((ev for ev in events if isinstance(ev, e.MeetingSettled)), None)
    refund = next((ev for ev in events if isinstance(ev, e.ClaimRefunded)), None)
    decided = next((ev for ev in events if isinstance(ev, e.DisputeDecided)), None)
    return Preview(settled, refund, bool(decided and decided.accepted))


@router.post("/ops/meetings/{meeting_id}/preview")
async def preview_review(meeting_id: str, request: Request) -> Response:
    return await _decision(request, "meeting", meeting_id, confirm=False)


@router.post("/ops/meetings/{meeting_id}/decide")
async def decide_review(meeting_id: str, request: Request) -> Response:
    return await _decision(request, "meeting", meeting_id, confirm=True)


@router.post("/ops/claims/{claim_id}/preview")
async def preview_dispute(claim_id: str, request: Request) -> Response:
    return await _decision(request, "claim", claim_id, confirm=False)


@router.post("/ops/claims/{claim_id}/decide")
async def decide_dispute(claim_id: str, request: Request) -> Response:
    return await _decision(request, "claim", claim_id, confirm=True)


# --- flagged experts (R31) ------------------------------------------------------------------------


@router.get("/ops/flagged")
def flagged(request: Request) -> Response:
    server = server_of(request)
    with world_of(server) as w:
        found = flagged_experts(w, server.clock.now(), server.store.policy)
    lost: dict[str, list[Claim]] = {}
    if found:
        with reading(server.store.engine) as conn:
            cl = schema.claims.c
            for claim in records_where(conn, schema.claims, Claim, cl.expert.in_([x for x, _ in found]),
                                  cl.status == ClaimStatus.DISPUTE_REJECTED.value):
                lost.setdefault(claim.expert, []).append(claim)
    return site.render(request, "ops/flagged.html", experts=found, lost=lost, names=names(server, {x for x, _ in found}),
                       days=server.store.policy.lost_disputes_days, over=server.store.policy.lost_disputes_flag_over)
