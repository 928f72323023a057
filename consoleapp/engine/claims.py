"""Refund claims and disputes (R29-R31).

A claim asks for credits back from a charged session within the claim window. The expert
refunds (all or part) or disputes with a summary; a dispute, or a claim left unanswered,
goes to the operator. A refund reverses both legs of the original split in proportion, the
commission computed on running totals so that several partial refunds return exactly what
was taken, never a credit more.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from . import commands as c
from . import events as e
from .answers import Charge as Charge
from .answers import ClaimChance as ClaimChance
from .common import days, hours, notice, operator, person, positive, text
from .errors import (
    ALREADY_EXISTS,
    CLAIM_WINDOW_CLOSED,
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    TOO_EARLY,
    WRONG_STATE,
    DomainError,
    when,
)
from .ledger import COMMISSION, PLATFORM, Label, earnings, posted, wallet
from .model import SYSTEM, Claim, ClaimStatus, MeetingStatus, Party, PaymentStatus, Role
from .payouts import count_claim, count_refund
from .policy import Policy
from .promos import paid_by_customer, refund_split
from .world import World, decides, folds


def charge_of(w: World, session: str, customer: str) -> Charge:
    m = w.meetings.get(session)
    if m is not None and m.customer == customer:  # anyone else's session: as if there were none (R1)
        if m.hold and w.ledger.is_open(m.hold):
            raise DomainError(
                WRONG_STATE,
                "your credits for this session are still blocked, not charged: evaluate the session instead",
            )
        if m.status is MeetingStatus.UNDER_REVIEW:
            raise DomainError(WRONG_STATE, "an operator is already reviewing this session")
        paid = paid_by_customer(m)  # a promo code's part was never the customer's to claim
        if not paid:
            raise DomainError(INVALID, "nothing was charged to you for this session")
        assert m.end is not None
        ended = m.live.ended_at if m.live and m.live.ended_at and m.live.ended_at < m.end else m.end
        return Charge(m.id, m.expert, ended, paid, m.refunded)
    g = w.group_events.get(session)
    if g is None:
        raise DomainError(NOT_FOUND, f"no session {session!r}")
    reg = next((r for r in g.registrations if r.customer == customer and r.charged), None)
    if reg is None:
        raise DomainError(INVALID, "nothing was charged to you for this event")
    return Charge(g.id, g.expert, g.end, reg.charged, reg.refunded)


def claim_closes(ch: Charge, p: Policy) -> datetime:
    """R29: claims are taken until this long after the session's end."""
    return ch.ended + hours(p.claim_window_hours)


def claim_chance(w: World, session: str, customer: str, now: datetime, p: Policy) -> ClaimChance | None:
    """None when there is nothing to claim on (nothing charged, credits still blocked, under review)."""
    try:
        ch = charge_of(w, session, customer)
    except DomainError:
        return None
    closes = claim_closes(ch, p)
    return ClaimChance(closes, ch.charged - ch.refunded, now <= closes)


def claim(w: World, claim_id: str) -> Claim:
    found = w.claims.get(claim_id)
    if found is None:
        raise DomainError(NOT_FOUND, f"no claim {claim_id!r}")
    return found


def refund_legs(
    w: World, cl: Claim, amount: int, now: datetime, actor: str, p: Policy
) -> tuple[list[e.Event], int, int, int]:
    """Correcting transfers for a refund: the expert's part and the commission's part, and the
    platform's share of them when a promo code paid part of the session (`promos.py`, refund).

    A claim is refunded at most once, so its id names its transfers.
    """
    ch = charge_of(w, cl.session, cl.customer)
    m = w.meetings.get(cl.session)
    back = refund_split(m, ch.refunded, amount) if m is not None else 0
    platform_before = refund_split(m, 0, ch.refunded) if m is not None else 0
    before = ch.refunded + platform_before  # of the whole charge, the code's part included
    after = before + amount + back
    commission_part = after * p.commission_percent // 100 - before * p.commission_percent // 100
    expert_part = after - before - commission_part
    from_commission = min(commission_part, back)  # the platform's part comes from its commission first
    from_expert = back - from_commission
    legs: list[e.Event] = []
    for tid, debit, credit, n, label in (
        (f"{cl.id}:refund:expert", earnings(cl.expert), wallet(cl.customer), expert_part - from_expert, Label.REFUND),
        (f"{cl.id}:refund:commission", COMMISSION, wallet(cl.customer), commission_part - from_commission,
         Label.COMMISSION_REFUND),
        (f"{cl.id}:promo:commission", COMMISSION, PLATFORM, from_commission, Label.PROMO_RETURNED),
        (f"{cl.id}:promo:expert", earnings(cl.expert), PLATFORM, from_expert, Label.PROMO_RETURNED),
    ):
        if n:
            legs.append(posted(tid, debit, credit, n, label, cl.id, now, actor))
    return legs, expert_part, commission_part, back


@decides(c.OpenClaim)
def open_claim(w: World, cmd: c.OpenClaim, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.CUSTOMER)
    if cmd.claim_id in w.claims:
        raise DomainError(ALREADY_EXISTS, f"claim id {cmd.claim_id!r} is taken")
    ch = charge_of(w, cmd.session, cmd.actor)
    closes = claim_closes(ch, p)
    if now > closes:
        raise DomainError(CLAIM_WINDOW_CLOSED, f"claim window closed on {when(closes)}")
    for other in w.claims_of_session.get(cmd.session, ()):
        cl = w.claims[other]
        if cl.customer == cmd.actor and cl.status in (ClaimStatus.OPEN, ClaimStatus.DISPUTED):
            raise DomainError(ALREADY_EXISTS, "a claim on this session is already open; wait for its answer")
    amount = positive(cmd.amount, "the amount claimed")
    left = ch.charged - ch.refunded
    if amount > left:
        raise DomainError(INVALID, f"you can claim at most {left} credits for this session")
    return [
        e.ClaimOpened(ref=cmd.claim_id, at=now, actor=cmd.actor, session=cmd.session, customer=cmd.actor,
                      expert=ch.expert, amount=amount, reason=text(cmd.reason, "a reason", 2000)),
        notice(cmd.claim_id, now, ch.expert, "claim", f"Refund claim of {amount} credits"),
    ]


def _expert_claim(w: World, claim_id: str, actor: str) -> Claim:
    cl = claim(w, claim_id)
    if actor not in (cl.expert, cl.customer):  # a stranger hears what an unknown id gets (R1)
        raise DomainError(NOT_FOUND, f"no claim {claim_id!r}")
    if cl.expert != actor:
        raise DomainError(FORBIDDEN, "this claim is not addressed to you")
    if cl.status is not ClaimStatus.OPEN:
        raise DomainError(WRONG_STATE, f"the claim is {cl.status.value}")
    return cl


@decides(c.RefundClaim)
def refund_claim(w: World, cmd: c.RefundClaim, now: datetime, p: Policy) -> list[e.Event]:
    """R30: the expert refunds all or part of what was claimed."""
    cl = _expert_claim(w, cmd.claim_id, cmd.actor)
    amount = positive(cmd.amount, "the refund")
    if amount > cl.amount:
        raise DomainError(INVALID, f"the claim is for {cl.amount} credits; refund at most that")
    legs, expert_part, commission_part, platform_part = refund_legs(w, cl, amount, now, cmd.actor, p)
    return [
        *legs,
        e.ClaimRefunded(ref=cl.id, at=now, actor=cmd.actor, amount=amount, expert_part=expert_part,
                        commission_part=commission_part, by=Party.EXPERT, platform_part=platform_part),
        notice(cl.id, now, cl.customer, "refund", f"{amount} credits refunded"),
    ]


@decides(c.DisputeClaim)
def dispute_claim(w: World, cmd: c.DisputeClaim, now: datetime, p: Policy) -> list[e.Event]:
    cl = _expert_claim(w, cmd.claim_id, cmd.actor)
    summary = text(cmd.summary, "a summary of what happened", 4000)
    return [
        e.ClaimDisputed(ref=cl.id, at=now, actor=cmd.actor, summary=summary),
        notice(cl.id, now, "operators", "review", f"Claim {cl.id} is disputed"),
        notice(cl.id, now, cl.customer, "claim", "The expert disputed your claim; an operator will decide"),
    ]


def answer_deadline(cl: Claim, p: Policy) -> datetime:
    """R29: until when the expert may answer an open claim; after it, it goes to the operator."""
    return cl.opened_at + hours(p.claim_answer_hours)


@decides(c.EscalateClaim)
def escalate_claim(w: World, cmd: c.EscalateClaim, now: datetime, p: Policy) -> list[e.Event]:
    cl = claim(w, cmd.claim_id)
    if cl.status is not ClaimStatus.OPEN:
        raise DomainError(WRONG_STATE, f"the claim is {cl.status.value}")
    due_at = answer_deadline(cl, p)
    if now < due_at:
        raise DomainError(TOO_EARLY, f"the expert has until {when(due_at)} to answer")
    return [e.ClaimEscalated(ref=cl.id, at=now, actor=SYSTEM), notice(cl.id, now, "operators", "review", f"Claim {cl.id} was not answered")]


@decides(c.DecideDispute)
def decide_dispute(w: World, cmd: c.DecideDispute, now: datetime, p: Policy) -> list[e.Event]:
    """R30: accepted, nothing is charged; rejected, the customer is refunded from the expert's earnings."""
    operator(w, cmd.actor)
    cl = claim(w, cmd.claim_id)
    if cl.status is not ClaimStatus.DISPUTED:
        raise DomainError(WRONG_STATE, f"the claim is {cl.status.value}, not disputed")
    note = text(cmd.note, "a note saying why you decided so", 2000)
    out: list[e.Event] = [e.DisputeDecided(ref=cl.id, at=now, actor=cmd.actor, accepted=cmd.accept, note=note)]
    if cmd.accept:
        return [*out, notice(cl.id, now, cl.customer, "claim", "Your claim was turned down after review")]
    legs, expert_part, commission_part, platform_part = refund_legs(w, cl, cl.amount, now, cmd.actor, p)
    out += [*legs, e.ClaimRefunded(ref=cl.id, at=now, actor=cmd.actor, amount=cl.amount, expert_part=expert_part,
                                   commission_part=commission_part, by=Party.OPERATOR, platform_part=platform_part)]
    out.append(notice(cl.id, now, cl.customer, "refund", f"{cl.amount} credits refunded after review"))
    recent = lost_within(w, cl.expert, now, p) + 1
    if recent > p.lost_disputes_flag_over:  # R31
        out.append(e.ExpertFlagged(ref=cl.expert, at=now, actor=SYSTEM, lost_disputes=recent))
    return out


def lost_within(w: World, expert: str, now: datetime, p: Policy) -> int:
    since = now - days(p.lost_disputes_days)
    return sum(1 for t in w.lost_disputes.get(expert, ()) if t > since)


def flagged_experts(w: World, now: datetime, p: Policy) -> list[tuple[str, int]]:
    """R31: experts with more lost disputes than allowed in the rolling window, worst first."""
    counts = [(x, lost_within(w, x, now, p)) for x in w.lost_disputes]
    return sorted(((x, n) for x, n in counts if n > p.lost_disputes_flag_over), key=lambda xn: -xn[1])


@folds(e.ClaimOpened)
def _opened(w: World, ev: e.ClaimOpened) -> None:
    w.claims[ev.ref] = Claim(ev.ref, ev.session, ev.customer, ev.expert, ev.amount, ev.reason, ev.at)
    w.open_claims.add(ev.ref)
    w.claims_of_session[ev.session] = (*w.claims_of_session.get(ev.session, ()), ev.ref)
    count_claim(w, ev)


@folds(e.ClaimRefunded)
def _refunded(w: World, ev: e.ClaimRefunded) -> None:
    cl = w.claims[ev.ref]
    status = ClaimStatus.REFUNDED if cl.status is ClaimStatus.OPEN else ClaimStatus.DISPUTE_REJECTED
    w.claims[ev.ref] = replace(cl, status=status, refunded=cl.refunded + ev.amount, decided_at=ev.at)
    w.open_claims.discard(ev.ref)
    count_refund(w, ev)
    m = w.meetings.get(cl.session)
    if m is not None:
        refunded = m.refunded + ev.amount
        payment = PaymentStatus.REFUNDED if refunded >= paid_by_customer(m) else PaymentStatus.PARTIALLY_REFUNDED
        w.meetings[m.id] = replace(m, refunded=refunded, payment=payment)
        return
    g = w.group_events[cl.session]
    regs = tuple(replace(r, refunded=r.refunded + ev.amount) if r.customer == cl.customer and r.charged else r
                 for r in g.registrations)
    w.group_events[g.id] = replace(g, registrations=regs)


@folds(e.ClaimDisputed)
def _disputed(w: World, ev: e.ClaimDisputed) -> None:
    w.claims[ev.ref] = replace(w.claims[ev.ref], status=ClaimStatus.DISPUTED, summary=ev.summary)
    w.open_claims.discard(ev.ref)


@folds(e.ClaimEscalated)
def _escalated(w: World, ev: e.ClaimEscalated) -> None:
    w.claims[ev.ref] = replace(w.claims[ev.ref], status=ClaimStatus.DISPUTED, summary="(the expert did not answer)")
    w.open_claims.discard(ev.ref)


@folds(e.DisputeDecided)
def _decided(w: World, ev: e.DisputeDecided) -> None:
    cl = w.claims[ev.ref]
    if ev.accepted:
        w.claims[ev.ref] = replace(cl, status=ClaimStatus.DISPUTE_ACCEPTED, decided_at=ev.at)
    else:
        count_lost(w, cl.expert, ev.at)


def count_lost(w: World, expert: str, at: datetime) -> None:
    """A dispute the expert lost, for R31 (the store also rebuilds `lost_disputes` with this)."""
    w.lost_disputes[expert] = (*w.lost_disputes.get(expert, ()), at)


@folds(e.ExpertFlagged)
def _flagged(w: World, ev: e.ExpertFlagged) -> None:
    w.flagged.add(ev.ref)
