"""Instant requests, scheduled requests, slot bookings and expert suggestions (R6-R11, R17)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from . import commands as c
from . import events as e
from . import promos
from .answers import JoinWindow as JoinWindow
from .availability import taken
from .common import (
    as_customer,
    as_expert,
    aware,
    before_start,
    find_offer,
    meeting,
    minutes,
    notice,
    overlapping,
    person,
    positive,
    priced,
    seconds,
    status_in,
    text,
)
from .errors import (
    ALREADY_EXISTS,
    INVALID,
    NOT_FOUND,
    SLOT_TAKEN,
    TOO_LATE,
    UNAVAILABLE,
    WRONG_STATE,
    DomainError,
    when,
)
from .model import (
    SYSTEM,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Mode,
    OfferKind,
    Party,
    Role,
    Slot,
)
from .policy import Policy
from .promos import hold_with_code
from .world import World, decides


def _new(w: World, meeting_id: str) -> None:
    if not meeting_id or meeting_id in w.meetings:
        raise DomainError(ALREADY_EXISTS, f"meeting id {meeting_id!r} is taken; send a fresh id")


def block(
    w: World, mid: str, customer: str, amount: int, n: int, now: datetime, actor: str, expert: str = "", code: str = ""
) -> list[e.Event]:
    """A hold (R11: refused when the wallet cannot cover it) and its timeline line; a promo code
    given with it makes the platform hold its discount beside the customer (`promos.py`)."""
    return hold_with_code(w, mid, customer, expert, amount, n, code, now, actor)


def release(w: World, m: Meeting, now: datetime, actor: str) -> list[e.Event]:
    """Void the meeting's open holds, if it has any (a promo code's too), and say so on the timeline."""
    return promos.release(w, m, now, actor)


def join_window(start: datetime, end: datetime, p: Policy) -> JoinWindow:
    """R17: links work from 15 min before the start until 60 min after the end."""
    return JoinWindow(start - minutes(p.join_before_minutes), end + minutes(p.join_after_minutes))


def agree(
    w: World, m: Meeting, by: Party, start: datetime, end: datetime, now: datetime, actor: str, p: Policy
) -> list[e.Event]:
    """Agreed: warn about overlaps (R10, never a refusal), create the video meeting (R17), tell the other side."""
    overlaps = overlapping(w, (m.expert, m.customer), start, end, exclude=m.id)
    window = join_window(start, end, p)
    other = m.customer if by is Party.EXPERT else m.expert
    return [
        e.MeetingAgreed(ref=m.id, at=now, actor=actor, by=by, start=start, end=end, overlaps=overlaps),
        e.VideoMeetingCreated(ref=m.id, at=now, actor=SYSTEM, revision=m.video_revision + 1, valid_from=window.opens, valid_until=window.closes),
        notice(m.id, now, other, "confirmed", f"Meeting on {when(start)} is agreed"),
    ]


def _future(moment: datetime, now: datetime, what: str) -> datetime:
    aware(moment, what)
    if moment <= now:
        raise DomainError(TOO_LATE, f"{what} {when(moment)} has already passed")
    return moment


def _request(
    w: World, cmd: c.Command, mid: str, kind: MeetingKind, expert: str, customer: str, mode: Mode,
    offer_kind: OfferKind, topic: str, minutes: int, now: datetime, p: Policy, slot: Slot | None = None,
) -> tuple[e.MeetingRequested, int]:
    """The request event with its priced offer; the caller adds times, hold and notices."""
    person(w, expert, Role.EXPERT)
    asker = person(w, customer, Role.CUSTOMER)
    _new(w, mid)
    offer = find_offer(w, expert, mode, offer_kind, slot.offers if slot else ())
    price, rate, length = priced(offer, minutes, p)
    requested = e.MeetingRequested(
        ref=mid, at=now, actor=cmd.actor, kind=kind, expert=expert, customer=customer, mode=mode,
        offer=offer_kind, topic=text(topic, "a topic", 500), price=price, rate=rate, minutes=length,
        start=None, end=None, proposed=(), slot=slot.id if slot else "", expires_at=None,
        customer_name=asker.name, customer_zone=asker.time_zone,
    )
    return requested, price


def available_now(w: World, expert: str, now: datetime) -> Slot | None:
    """R6: the slot (a "Now" slot or open availability) that lets customers ask the expert now."""
    index = w.slots_of.get(expert)
    covering = index.covering(now) if index is not None else []
    return w.slots[min(covering)] if covering else None  # R4 keeps them apart: one at most


@decides(c.RequestInstant)
def request_instant(w: World, cmd: c.RequestInstant, now: datetime, p: Policy) -> list[e.Event]:
    """R6: credits held at once; the expert has the timeout to accept."""
    person(w, cmd.actor, Role.CUSTOMER)
    person(w, cmd.expert, Role.EXPERT)
    slot = available_now(w, cmd.expert, now)
    if slot is None:
        raise DomainError(UNAVAILABLE, "this expert is not available right now; send a scheduled request instead")
    offer = find_offer(w, cmd.expert, cmd.mode, cmd.offer, slot.offers)
    if offer.kind is OfferKind.PER_MINUTE:
        budget = positive(cmd.max_budget, "the maximum budget")
        if budget < offer.price:
            raise DomainError(INVALID, f"the budget must cover at least one minute ({offer.price} credits)")
        minutes = budget // offer.price
    else:
        budget = offer.price
        if cmd.max_budget and cmd.max_budget < offer.price:
            raise DomainError(INVALID, f"this package costs {offer.price} credits, above your budget of {cmd.max_budget}")
        minutes = offer.minutes
    requested, _ = _request(w, cmd, cmd.meeting_id, MeetingKind.INSTANT, cmd.expert, cmd.actor, cmd.mode,
                            cmd.offer, cmd.topic, minutes, now, p, slot)
    expires = now + seconds(p.instant_timeout_seconds)
    requested = _with(requested, price=budget, rate=offer.price if offer.kind is OfferKind.PER_MINUTE else 0,
                      minutes=minutes, expires_at=expires)
    return [
        requested,
        *block(w, cmd.meeting_id, cmd.actor, budget, 1, now, cmd.actor, cmd.expert, cmd.promo_code),
        notice(cmd.meeting_id, now, cmd.expert, "new_request", f"Instant request: {requested.topic}"),
    ]


def _with(ev: e.MeetingRequested, *, price: int = -1, rate: int = -1, minutes: int = -1,
          start: datetime | None = None, end: datetime | None = None, proposed: tuple[datetime, ...] = (),
          expires_at: datetime | None = None) -> e.MeetingRequested:
    """The request event with its terms or times set (what is left out keeps the event's), built
    by the compiled class itself: `renew` would copy a native event through `dataclasses.replace`."""
    return e.MeetingRequested(
        ref=ev.ref, at=ev.at, actor=ev.actor, kind=ev.kind, expert=ev.expert, customer=ev.customer, mode=ev.mode,
        offer=ev.offer, topic=ev.topic, price=ev.price if price < 0 else price, rate=ev.rate if rate < 0 else rate,
        minutes=ev.minutes if minutes < 0 else minutes, start=start or ev.start, end=end or ev.end,
        proposed=proposed or ev.proposed, slot=ev.slot, expires_at=expires_at or ev.expires_at,
        customer_name=ev.customer_name, customer_zone=ev.customer_zone)


@decides(c.AcceptInstant)
def accept_instant(w: World, cmd: c.AcceptInstant, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    if m.kind is not MeetingKind.INSTANT:
        raise DomainError(INVALID, "this is not an instant request; pick a time or approve it instead")
    status_in(m, "accept", MeetingStatus.AWAITING_APPROVAL)
    if m.expires_at is not None and now >= m.expires_at:
        raise DomainError(TOO_LATE, f"the request expired at {when(m.expires_at)}")
    end = now + minutes(m.minutes)
    overlaps = overlapping(w, (m.expert, m.customer), now, end, exclude=m.id)
    return [
        e.MeetingAgreed(ref=m.id, at=now, actor=cmd.actor, by=Party.EXPERT, start=now, end=end, overlaps=overlaps),
        e.SessionStarted(ref=m.id, at=now, actor=cmd.actor, allotted_seconds=m.minutes * 60),
        notice(m.id, now, m.customer, "accepted", "Your instant request was accepted: the session starts now"),
    ]


@decides(c.DeclineRequest)
def decline_request(w: World, cmd: c.DeclineRequest, now: datetime, p: Policy) -> list[e.Event]:
    """R6-R8: the expert declines with a reason from the list; the hold is voided."""
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    if m.kind is MeetingKind.SUGGESTED:
        raise DomainError(INVALID, "you suggested this meeting; cancel it instead")
    status_in(m, "decline", MeetingStatus.AWAITING_APPROVAL)
    return [
        e.MeetingRejected(ref=m.id, at=now, actor=cmd.actor, by=Party.EXPERT, reason=cmd.reason),
        *release(w, m, now, cmd.actor),
        notice(m.id, now, m.customer, "declined", f"Your request was declined: {cmd.reason.value}"),
    ]


def expiry(m: Meeting) -> datetime | None:
    """When an unanswered request lapses: its timeout, or the last time it could still start."""
    if m.kind is MeetingKind.INSTANT:
        return m.expires_at
    lapse = max(m.proposed) if m.proposed else m.start
    if m.alternative is not None and (lapse is None or m.alternative.start > lapse):
        return m.alternative.start  # the expert answered with another time: it waits for that time (R7)
    return lapse


class RequestCategory(StrEnum):
    """What a request waiting for the expert asks of them (R6-R8, R15), most urgent first."""

    INSTANT = "instant"  # answer before it expires
    BOOKING = "booking"  # approve or decline the one booked time
    SCHEDULED = "scheduled"  # pick one of the proposed times or propose another
    ALTERNATIVE = "alternative"  # the customer asks to move an agreed meeting

    @property
    def rank(self) -> int:
        return {"instant": 0, "booking": 1, "scheduled": 1, "alternative": 2}[self.value]


def request_category(m: Meeting) -> RequestCategory | None:
    """What the meeting waits for its expert to answer, if anything."""
    if m.status is MeetingStatus.AWAITING_APPROVAL and m.kind is not MeetingKind.SUGGESTED:
        if m.kind is MeetingKind.INSTANT:
            return RequestCategory.INSTANT
        return RequestCategory.SCHEDULED if m.proposed else RequestCategory.BOOKING
    if m.alternative is not None and m.alternative.by is Party.CUSTOMER and m.status in (
            MeetingStatus.AGREED, MeetingStatus.REJECTED):
        return RequestCategory.ALTERNATIVE
    return None


def seconds_to_answer(m: Meeting, now: datetime, p: Policy) -> int | None:
    """R6: the seconds left to answer an instant request (0: lapsed), never above the timeout
    (the clock is known to about a second); None for a request without a timeout."""
    if m.kind is not MeetingKind.INSTANT or m.expires_at is None:
        return None
    return min(max(0, int((m.expires_at - now).total_seconds())), p.instant_timeout_seconds)


@decides(c.ExpireRequest)
def expire_request(w: World, cmd: c.ExpireRequest, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    status_in(m, "expire", MeetingStatus.AWAITING_APPROVAL)
    lapse = expiry(m)
    if lapse is None or now < lapse:
        raise DomainError(INVALID, "this request is still waiting for an answer")
    return [
        e.RequestExpired(ref=m.id, at=now, actor=SYSTEM),
        *release(w, m, now, SYSTEM),
        notice(m.id, now, m.customer, "expired", "Your request expired without an answer; your credits are back"),
    ]


@decides(c.RequestScheduled)
def request_scheduled(w: World, cmd: c.RequestScheduled, now: datetime, p: Policy) -> list[e.Event]:
    """R7: the customer proposes one to three times; credits are held until the expert answers."""
    person(w, cmd.actor, Role.CUSTOMER)
    if not 1 <= len(cmd.times) <= 3:
        raise DomainError(INVALID, f"propose one to three times, not {len(cmd.times)}")
    times = tuple(sorted({_future(t, now, "proposed time") for t in cmd.times}))
    requested, price = _request(w, cmd, cmd.meeting_id, MeetingKind.SCHEDULED, cmd.expert, cmd.actor, cmd.mode,
                                cmd.offer, cmd.topic, cmd.minutes, now, p)
    requested = _with(requested, proposed=times)
    return [
        requested,
        *block(w, cmd.meeting_id, cmd.actor, price, 1, now, cmd.actor, cmd.expert, cmd.promo_code),
        notice(cmd.meeting_id, now, cmd.expert, "new_request", f"Scheduled request: {requested.topic}"),
    ]


@decides(c.PickTime)
def pick_time(w: World, cmd: c.PickTime, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    status_in(m, "pick a time", MeetingStatus.AWAITING_APPROVAL)
    if not m.proposed:
        raise DomainError(INVALID, "this request has a fixed time; approve it instead")
    if cmd.start not in m.proposed:
        raise DomainError(INVALID, "pick one of the times the customer proposed, or propose another")
    _future(cmd.start, now, "the chosen time")
    return agree(w, m, Party.EXPERT, cmd.start, cmd.start + minutes(m.minutes), now, cmd.actor, p)


@decides(c.BookSlot)
def book_slot(w: World, cmd: c.BookSlot, now: datetime, p: Policy) -> list[e.Event]:
    """R8: a time inside a free slot; credits held, awaiting the expert's approval."""
    person(w, cmd.actor, Role.CUSTOMER)
    slot = w.slots.get(cmd.slot_id)
    if slot is None:
        raise DomainError(NOT_FOUND, f"no slot {cmd.slot_id!r}; it may have been removed")
    start = _future(cmd.start, now, "the start")
    requested, price = _request(w, cmd, cmd.meeting_id, MeetingKind.BOOKING, slot.expert, cmd.actor, cmd.mode,
                                cmd.offer, cmd.topic, cmd.minutes, now, p, slot)
    end = start + minutes(requested.minutes)
    if start < slot.start or end > slot.end:
        raise DomainError(INVALID, f"the meeting must fit in the slot {when(slot.start)} - {when(slot.end)}")
    busy = taken(w, slot.expert, start, end)  # any meeting holding the expert's time, not only this slot's
    if busy is not None:
        raise DomainError(SLOT_TAKEN, f"{when(busy[0])} - {when(busy[1])} is already booked; choose another of the free times")
    requested = _with(requested, start=start, end=end)
    return [
        requested,
        *block(w, cmd.meeting_id, cmd.actor, price, 1, now, cmd.actor, slot.expert, cmd.promo_code),
        notice(cmd.meeting_id, now, slot.expert, "new_request", f"New booking on {when(start)}: {requested.topic}"),
    ]


@decides(c.ApproveBooking)
def approve_booking(w: World, cmd: c.ApproveBooking, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    status_in(m, "approve", MeetingStatus.AWAITING_APPROVAL)
    # A suggestion the customer rejected and then rescheduled (R15) awaits the expert, credits held.
    unheld_suggestion = m.kind is MeetingKind.SUGGESTED and not _held(w, m)
    if m.kind is MeetingKind.INSTANT or unheld_suggestion or m.start is None or m.end is None:
        raise DomainError(INVALID, "this request has no single time to approve")
    before_start(m, now, "approve")
    return agree(w, m, Party.EXPERT, m.start, m.end, now, cmd.actor, p)


@decides(c.SuggestMeeting)
def suggest_meeting(w: World, cmd: c.SuggestMeeting, now: datetime, p: Policy) -> list[e.Event]:
    """R9: awaiting the customer, who confirms (credits held then) or rejects."""
    person(w, cmd.actor, Role.EXPERT)
    start = _future(cmd.start, now, "the start")
    requested, _ = _request(w, cmd, cmd.meeting_id, MeetingKind.SUGGESTED, cmd.actor, cmd.customer, cmd.mode,
                            cmd.offer, cmd.topic, cmd.minutes, now, p)
    requested = _with(requested, start=start, end=start + minutes(requested.minutes))
    return [requested, notice(cmd.meeting_id, now, cmd.customer, "suggestion", f"Meeting suggested for {when(start)}")]


def _held(w: World, m: Meeting) -> bool:
    return bool(m.hold) and w.ledger.is_open(m.hold)


def _not_rescheduled(w: World, m: Meeting) -> None:
    """A suggestion the customer rescheduled (R15) already holds credits and awaits the expert."""
    if _held(w, m):
        raise DomainError(WRONG_STATE, "you asked for a new time; the expert approves it, or cancel the meeting")


@decides(c.ConfirmSuggestion)
def confirm_suggestion(w: World, cmd: c.ConfirmSuggestion, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_customer(m, cmd.actor)
    if m.kind is not MeetingKind.SUGGESTED:
        raise DomainError(INVALID, "only a meeting the expert suggested is confirmed this way")
    status_in(m, "confirm", MeetingStatus.AWAITING_APPROVAL)
    _not_rescheduled(w, m)
    before_start(m, now, "confirm")
    assert m.start is not None and m.end is not None
    return [
        *block(w, m.id, m.customer, m.price, m.holds + 1, now, cmd.actor, m.expert, cmd.promo_code),
        *agree(w, m, Party.CUSTOMER, m.start, m.end, now, cmd.actor, p),
    ]


@decides(c.RejectSuggestion)
def reject_suggestion(w: World, cmd: c.RejectSuggestion, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_customer(m, cmd.actor)
    if m.kind is not MeetingKind.SUGGESTED:
        raise DomainError(INVALID, "only a meeting the expert suggested is rejected this way; cancel it instead")
    status_in(m, "reject", MeetingStatus.AWAITING_APPROVAL)
    _not_rescheduled(w, m)
    before_start(m, now, "reject")
    return [
        e.MeetingRejected(ref=m.id, at=now, actor=cmd.actor, by=Party.CUSTOMER, reason=cmd.reason),
        notice(m.id, now, m.expert, "declined", f"Your suggested meeting was rejected: {cmd.reason.value}"),
    ]
