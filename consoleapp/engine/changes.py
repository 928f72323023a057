"""Cancelling and rescheduling (R12-R16), and the fee a customer is told before a late cancel."""

from __future__ import annotations

from datetime import datetime

from . import commands as c
from . import events as e
from . import promos
from .answers import CancellationTerms as CancellationTerms
from .common import (
    aware,
    before_start,
    hours,
    meeting,
    minutes,
    notice,
    open_hold,
    overlapping,
    side,
    status_in,
    text,
)
from .errors import (
    FEE_NOT_CONFIRMED,
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    TOO_LATE,
    WRONG_STATE,
    DomainError,
    when,
)
from .ledger import fee, split
from .model import SYSTEM, Alternative, Meeting, MeetingKind, MeetingStatus, Party
from .policy import Policy
from .requests import block, join_window, release
from .world import World, decides


def cancellation_terms(w: World, meeting_id: str, actor: str, now: datetime, p: Policy) -> CancellationTerms:
    m = meeting(w, meeting_id)
    who = side(m, actor)
    blocked = promos.customer_held(w, m)
    if who is Party.EXPERT or m.status is not MeetingStatus.AGREED or m.start is None:
        return CancellationTerms(False, 0, blocked, 0, 0, None)
    deadline = m.start - hours(p.late_cancel_hours)
    if now <= deadline:
        return CancellationTerms(False, 0, blocked, 0, 0, deadline)
    charged = fee(m.price, p.late_cancel_fee_percent)
    share, commission = split(charged, p.commission_percent)
    discount = promos.code_part(w, m, charged)  # the code takes its discount off the fee too
    return CancellationTerms(True, charged - discount, blocked - (charged - discount), share, commission, deadline,
                             discount)


def cancellation_preview(w: World, meeting_id: str, actor: str, now: datetime, p: Policy) -> CancellationTerms:
    """The terms a cancel now would get, or the refusal it would get: the preview runs the cancel's own
    decider on the World without keeping anything, so it can never promise what the cancel refuses."""
    terms = cancellation_terms(w, meeting_id, actor, now, p)
    cancel_meeting(w, c.CancelMeeting(actor=actor, meeting_id=meeting_id, reason="preview", accept_fee=terms.fee),
                   now, p)
    return terms


def registration_terms(w: World, event_id: str, customer: str, now: datetime, p: Policy) -> CancellationTerms:
    """What cancelling a group event registration now would cost (R13 applied to R28)."""
    ev = w.group_events.get(event_id)
    if ev is None:
        raise DomainError(NOT_FOUND, f"no event {event_id!r}")
    reg = ev.registration(customer)
    if reg is None:
        raise DomainError(NOT_FOUND, "you are not registered for this event")
    blocked = ev.price if reg.hold and w.ledger.is_open(reg.hold) else 0
    deadline = ev.start - hours(p.late_cancel_hours)
    if now <= deadline:
        return CancellationTerms(False, 0, blocked, 0, 0, deadline)
    charged = fee(ev.price, p.late_cancel_fee_percent)
    share, commission = split(charged, p.commission_percent)
    return CancellationTerms(True, charged, blocked - charged, share, commission, deadline)


@decides(c.CancelMeeting)
def cancel_meeting(w: World, cmd: c.CancelMeeting, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who = side(m, cmd.actor)
    if who is Party.EXPERT:
        return _expert_cancels(w, m, cmd, now)
    status_in(m, "cancel", MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.REJECTED)
    if m.status is not MeetingStatus.REJECTED:
        before_start(m, now, "cancel")
    if m.status is not MeetingStatus.AGREED:  # R12
        return [
            e.MeetingCancelled(ref=m.id, at=now, actor=cmd.actor, by=Party.CUSTOMER, reason=cmd.reason.strip(), fee=0),
            *release(w, m, now, cmd.actor),
            notice(m.id, now, m.expert, "cancellation", f"Request cancelled by the customer: {m.topic}"),
        ]
    reason = text(cmd.reason, "a reason for cancelling", 500)  # R13
    terms = cancellation_terms(w, m.id, cmd.actor, now, p)
    closing: list[e.Event] = [
        e.VideoMeetingCancelled(ref=m.id, at=now, actor=SYSTEM),
        notice(m.id, now, m.expert, "cancellation", f"Meeting on {when(m.start or now)} cancelled by the customer: {reason}"),
    ]
    if not terms.late or terms.fee + terms.discount == 0:
        return [
            e.MeetingCancelled(ref=m.id, at=now, actor=cmd.actor, by=Party.CUSTOMER, reason=reason, fee=0),
            *release(w, m, now, cmd.actor),
            *closing,
        ]
    if cmd.accept_fee != terms.fee:
        raise DomainError(
            FEE_NOT_CONFIRMED,
            f"cancelling less than {p.late_cancel_hours} h before the start costs {terms.fee} credits "
            f"({p.late_cancel_fee_percent} % of {m.price}{', less your promo code' if terms.discount else ''}); "
            "confirm that fee to cancel",
        )
    open_hold(w, m)  # none open: says so
    return [
        e.MeetingCancelled(ref=m.id, at=now, actor=cmd.actor, by=Party.CUSTOMER, reason=reason, fee=terms.fee),
        *promos.charge(w, m, terms.fee + terms.discount, p.commission_percent, now, cmd.actor),
        e.CancellationReimbursed(
            ref=m.id, at=now, actor=cmd.actor, fee=terms.fee, expert_share=terms.expert_share,
            commission=terms.commission, returned=terms.returned, discount=terms.discount,
        ),
        *closing,
    ]


def _expert_cancels(w: World, m: Meeting, cmd: c.CancelMeeting, now: datetime) -> list[e.Event]:
    """R14: any time before the start, the customer gets everything back."""
    if m.status is MeetingStatus.AWAITING_APPROVAL and m.kind is not MeetingKind.SUGGESTED:
        raise DomainError(INVALID, "decline the request instead, with a reason from the list")
    status_in(m, "cancel", MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)
    before_start(m, now, "cancel")
    events: list[e.Event] = [
        e.MeetingCancelled(ref=m.id, at=now, actor=cmd.actor, by=Party.EXPERT, reason=cmd.reason.strip(), fee=0),
        *release(w, m, now, cmd.actor),
    ]
    if m.video_active:
        events.append(e.VideoMeetingCancelled(ref=m.id, at=now, actor=SYSTEM))
    events.append(notice(m.id, now, m.customer, "cancellation", "The expert cancelled the meeting; your credits are back"))
    return events


@decides(c.ProposeAlternative)
def propose_alternative(w: World, cmd: c.ProposeAlternative, now: datetime, p: Policy) -> list[e.Event]:
    """R15 (the customer reschedules) and R16 (the expert proposes another time)."""
    m = meeting(w, cmd.meeting_id)
    who = side(m, cmd.actor)
    if m.kind is MeetingKind.INSTANT:
        raise DomainError(INVALID, "an instant request cannot be moved; send a scheduled request instead")
    aware(cmd.start, "the new time")
    if cmd.start <= now:
        raise DomainError(TOO_LATE, f"the new time {when(cmd.start)} has already passed")
    end = cmd.start + minutes(m.minutes)
    if m.alternative is not None:
        raise DomainError(WRONG_STATE, "another time is already waiting for an answer; answer or withdraw it first")
    if who is Party.CUSTOMER:
        status_in(m, "reschedule", MeetingStatus.AGREED, MeetingStatus.REJECTED)
        before_start(m, now, "reschedule")
        if m.status is MeetingStatus.REJECTED:
            return [
                e.MeetingRescheduled(ref=m.id, at=now, actor=cmd.actor, start=cmd.start, end=end),
                *block(w, m.id, m.customer, m.price, m.holds + 1, now, cmd.actor),
                notice(m.id, now, m.expert, "reschedule", f"Rescheduling a meeting you rejected: now {when(cmd.start)}"),
            ]
    else:
        status_in(m, "propose another time", MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.REJECTED)
        if m.status is MeetingStatus.AWAITING_APPROVAL and m.kind is MeetingKind.SUGGESTED:
            raise DomainError(INVALID, "you suggested this meeting; cancel it and suggest another time")
        if m.status is not MeetingStatus.REJECTED:
            before_start(m, now, "propose another time")
    other = m.expert if who is Party.CUSTOMER else m.customer
    return [
        e.AlternativeProposed(ref=m.id, at=now, actor=cmd.actor, alternative=Alternative(who, cmd.start, end)),
        notice(m.id, now, other, "reschedule", f"New time proposed: {when(cmd.start)}"),
    ]


def _pending_alternative(m: Meeting, actor: str, now: datetime, answering: bool) -> tuple[Party, Alternative]:
    who = side(m, actor)
    alt = m.alternative
    if alt is None:
        raise DomainError(WRONG_STATE, "no other time is waiting for an answer")
    if answering and alt.by is who:
        raise DomainError(FORBIDDEN, "you proposed this time; the other side answers it")
    if not answering and alt.by is not who:
        raise DomainError(FORBIDDEN, "only the side that proposed a time may withdraw it")
    if answering:
        # A time proposed while the meeting could still move stays on the record after it was
        # held, settled or cancelled; taking it then would bring a finished meeting back to
        # Agreed with no credits blocked.
        status_in(m, "change the time", MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.REJECTED)
    if m.status is MeetingStatus.AGREED:  # the agreed time stays valid until a new one is approved
        before_start(m, now, "change the time")
    if now >= alt.start:
        raise DomainError(TOO_LATE, f"the proposed time {when(alt.start)} has already passed")
    return who, alt


@decides(c.ApproveAlternative)
def approve_alternative(w: World, cmd: c.ApproveAlternative, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who, alt = _pending_alternative(m, cmd.actor, now, answering=True)
    window = join_window(alt.start, alt.end, p)
    events: list[e.Event] = []
    if m.status is MeetingStatus.REJECTED:  # R16: a rejected meeting becomes agreed with a new hold
        events += block(w, m.id, m.customer, m.price, m.holds + 1, now, cmd.actor)
    overlaps = overlapping(w, (m.expert, m.customer), alt.start, alt.end, exclude=m.id)
    events.append(e.AlternativeApproved(ref=m.id, at=now, actor=cmd.actor, by=who, start=alt.start, end=alt.end, overlaps=overlaps))
    revision = m.video_revision + 1
    if m.video_active:
        events.append(e.VideoMeetingEdited(ref=m.id, at=now, actor=SYSTEM, revision=revision, valid_from=window.opens, valid_until=window.closes))
    else:
        events.append(e.VideoMeetingCreated(ref=m.id, at=now, actor=SYSTEM, revision=revision, valid_from=window.opens, valid_until=window.closes))
    other = m.customer if who is Party.EXPERT else m.expert
    events.append(notice(m.id, now, other, "reschedule", f"New time agreed: {when(alt.start)}"))
    return events


@decides(c.RejectAlternative)
def reject_alternative(w: World, cmd: c.RejectAlternative, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who, alt = _pending_alternative(m, cmd.actor, now, answering=True)
    reason = text(cmd.reason, "a reason", 500)
    other = m.customer if who is Party.EXPERT else m.expert
    return [
        e.AlternativeRejected(ref=m.id, at=now, actor=cmd.actor, by=who, reason=reason),
        notice(m.id, now, other, "reschedule", f"Proposed time {when(alt.start)} rejected: {reason}"),
    ]


@decides(c.WithdrawAlternative)
def withdraw_alternative(w: World, cmd: c.WithdrawAlternative, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who, _ = _pending_alternative(m, cmd.actor, now, answering=False)
    return [e.AlternativeWithdrawn(ref=m.id, at=now, actor=cmd.actor, by=who)]


