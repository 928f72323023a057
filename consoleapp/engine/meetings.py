"""How meeting events fold into the meeting record and the indexes beside it."""

from __future__ import annotations

from dataclasses import replace

from . import events as e
from .availability import holds_time
from .model import (
    LiveSession,
    Meeting,
    MeetingStatus,
    Outcome,
    Party,
    PaymentStatus,
)
from .payouts import count_reimbursed, count_settled
from .records import renew_meeting
from .world import World, folds

_QUIET = (MeetingStatus.CANCELLED, MeetingStatus.EXPIRED, MeetingStatus.REJECTED)


def put(w: World, m: Meeting, new: bool = False) -> None:
    """Store a meeting and keep the R10, availability and `due` indexes in step with it.

    `new`: the fold that creates it (its id was checked unused when decided), so no earlier
    version is looked for: where history is read back from the database, that look-up is a query."""
    mid, status = m.id, m.status
    meetings = w.meetings
    old = None if new else meetings.get(mid)
    meetings[mid] = m
    # `get` then a store, not `setdefault(key, set())`: that builds a set on every call (the
    # same entries result, an empty set for a person with nothing in it).
    holding = w.holding_of.get(m.expert)
    if holding is None:
        holding = w.holding_of[m.expert] = set()
    if holds_time(m):
        holding.add(mid)
    else:
        holding.discard(mid)
    if old is None or old.status is not status:
        agreed_of = w.agreed_of
        for who in (m.expert, m.customer):
            agreed = agreed_of.get(who)
            if agreed is None:
                agreed = agreed_of[who] = set()
            if status is MeetingStatus.AGREED:
                agreed.add(mid)
            else:
                agreed.discard(mid)
    if is_active(m):
        w.active.add(mid)
    else:
        w.active.discard(mid)


def is_active(m: Meeting) -> bool:
    """Whether a deadline of the meeting is still ahead (`due` walks these; the store keeps them in memory)."""
    return not (m.status in _QUIET and m.alternative is None or m.claim_window_closed)


def _edit(w: World, ev: e.Event, **changes: object) -> None:
    put(w, renew_meeting(w.meetings[ev.ref], changes))  # compiled to compiled: no look-up of the renewer


@folds(e.MeetingRequested)
def _requested(w: World, ev: e.MeetingRequested) -> None:
    put(w, Meeting(
        id=ev.ref, kind=ev.kind, expert=ev.expert, customer=ev.customer, mode=ev.mode, offer=ev.offer,
        topic=ev.topic, status=MeetingStatus.AWAITING_APPROVAL, requested_at=ev.at, price=ev.price,
        rate=ev.rate, minutes=ev.minutes, start=ev.start, end=ev.end, proposed=ev.proposed, slot=ev.slot,
        expires_at=ev.expires_at, customer_name=ev.customer_name, customer_zone=ev.customer_zone,
    ), new=True)
    if ev.slot:
        w.booked_in_slot.setdefault(ev.slot, set()).add(ev.ref)


@folds(e.CreditsBlocked)
def _blocked(w: World, ev: e.CreditsBlocked) -> None:
    m = w.meetings[ev.ref]
    _edit(w, ev, hold=ev.hold, holds=m.holds + 1, payment=PaymentStatus.BLOCKED, charged=0, discount=0,
          promo=None, promo_hold="", promo_discount=0)


@folds(e.MeetingAgreed)
def _agreed(w: World, ev: e.MeetingAgreed) -> None:
    _edit(w, ev, status=MeetingStatus.AGREED, start=ev.start, end=ev.end, proposed=(), alternative=None)


@folds(e.MeetingRejected)
def _rejected(w: World, ev: e.MeetingRejected) -> None:
    _edit(w, ev, status=MeetingStatus.REJECTED, alternative=None)


@folds(e.RequestExpired)
def _expired(w: World, ev: e.RequestExpired) -> None:
    _edit(w, ev, status=MeetingStatus.EXPIRED, alternative=None)


@folds(e.PaymentReturned)
def _returned(w: World, ev: e.PaymentReturned) -> None:
    _edit(w, ev, payment=PaymentStatus.RETURNED, hold="", promo_hold="")


@folds(e.MeetingCancelled)
def _cancelled(w: World, ev: e.MeetingCancelled) -> None:
    _edit(w, ev, status=MeetingStatus.CANCELLED, alternative=None)


@folds(e.CancellationReimbursed)
def _reimbursed(w: World, ev: e.CancellationReimbursed) -> None:
    count_reimbursed(w, ev)
    _edit(w, ev, payment=PaymentStatus.REIMBURSED_CANCELLATION, hold="", promo_hold="", charged=ev.fee + ev.discount,
          discount=ev.discount)


@folds(e.AlternativeProposed)
def _alternative(w: World, ev: e.AlternativeProposed) -> None:
    _edit(w, ev, alternative=ev.alternative)


@folds(e.MeetingRescheduled)
def _rescheduled(w: World, ev: e.MeetingRescheduled) -> None:
    _edit(w, ev, status=MeetingStatus.AWAITING_APPROVAL, start=ev.start, end=ev.end, proposed=(), alternative=None)


@folds(e.AlternativeApproved)
def _alternative_approved(w: World, ev: e.AlternativeApproved) -> None:
    _edit(w, ev, status=MeetingStatus.AGREED, start=ev.start, end=ev.end, alternative=None, proposed=())


@folds(e.AlternativeRejected)
@folds(e.AlternativeWithdrawn)
def _alternative_dropped(w: World, ev: e.Event) -> None:
    _edit(w, ev, alternative=None)


@folds(e.VideoMeetingCreated)
@folds(e.VideoMeetingEdited)
def _video(w: World, ev: e.VideoMeetingCreated | e.VideoMeetingEdited) -> None:
    _edit(w, ev, video_revision=ev.revision, video_active=True)


@folds(e.VideoMeetingCancelled)
def _video_cancelled(w: World, ev: e.VideoMeetingCancelled) -> None:
    _edit(w, ev, video_active=False)


@folds(e.Attended)
def _attended(w: World, ev: e.Attended) -> None:
    field = "expert_attended" if ev.party is Party.EXPERT else "customer_attended"
    _edit(w, ev, **{field: ev.at})


@folds(e.SessionStarted)
def _started(w: World, ev: e.SessionStarted) -> None:
    _edit(w, ev, live=LiveSession(started_at=ev.at, allotted_seconds=ev.allotted_seconds, running_since=ev.at))


def _live(w: World, ev: e.Event) -> LiveSession:
    live = w.meetings[ev.ref].live
    assert live is not None, "live-session event without a session"
    return live


@folds(e.SessionPaused)
def _paused(w: World, ev: e.SessionPaused) -> None:
    live = _live(w, ev)
    _edit(w, ev, live=replace(live, connected_seconds=live.elapsed(ev.at), running_since=None))


@folds(e.SessionResumed)
def _resumed(w: World, ev: e.SessionResumed) -> None:
    _edit(w, ev, live=replace(_live(w, ev), running_since=ev.at))


@folds(e.SessionEndingWarned)
def _warned(w: World, ev: e.SessionEndingWarned) -> None:
    _edit(w, ev, live=replace(_live(w, ev), warned=True))


@folds(e.ExtraMinutesGifted)
def _gifted(w: World, ev: e.ExtraMinutesGifted) -> None:
    live = _live(w, ev)
    _edit(w, ev, live=replace(live, gifted=True, warned=False, allotted_seconds=live.allotted_seconds + ev.seconds))


@folds(e.SessionEnded)
def _ended(w: World, ev: e.SessionEnded) -> None:
    live = replace(_live(w, ev), connected_seconds=ev.connected_seconds, running_since=None, ended_at=ev.at)
    _edit(w, ev, live=live, status=MeetingStatus.HELD)
    _session_of(w, ev)


@folds(e.MeetingHeld)
def _held(w: World, ev: e.MeetingHeld) -> None:
    _edit(w, ev, status=MeetingStatus.HELD)
    _session_of(w, ev)


def _session_of(w: World, ev: e.Event) -> None:
    """The experts a customer has met (R27: only a customer who met the expert reviews them)."""
    m = w.meetings[ev.ref]
    w.met.setdefault(m.customer, set()).add(m.expert)


@folds(e.ProgressRecorded)
def _progress(w: World, ev: e.ProgressRecorded) -> None:
    field = "expert_answer" if ev.party is Party.EXPERT else "customer_answer"
    _edit(w, ev, **{field: ev.answer})


@folds(e.MeetingSettled)
def _settled(w: World, ev: e.MeetingSettled) -> None:
    count_settled(w, ev)  # R32: the month's summary, before the record loses its hold
    payment = PaymentStatus.PAID if ev.charged else PaymentStatus.RETURNED
    if ev.outcome is Outcome.PLATFORM_FAULT:
        payment = PaymentStatus.RETURNED
    _edit(w, ev, status=MeetingStatus.SETTLED, outcome=ev.outcome, payment=payment, hold="", promo_hold="",
          charged=ev.charged, discount=ev.discount)


@folds(e.ReviewRequired)
def _review(w: World, ev: e.ReviewRequired) -> None:
    _edit(w, ev, status=MeetingStatus.UNDER_REVIEW, outcome=Outcome.REVIEW)


@folds(e.RatingGiven)
def _rated(w: World, ev: e.RatingGiven) -> None:
    _edit(w, ev, stars=ev.stars)


@folds(e.ReminderSent)
def _reminded(w: World, ev: e.ReminderSent) -> None:
    _edit(w, ev, reminders=w.meetings[ev.ref].reminders | {ev.kind})


@folds(e.ClaimWindowClosed)
def _window_closed(w: World, ev: e.ClaimWindowClosed) -> None:
    """A session's claim window (R29): a meeting's or a group event's, one fold for both."""
    if ev.ref in w.meetings:
        _edit(w, ev, claim_window_closed=True)
    elif ev.ref in w.group_events:
        w.group_events[ev.ref] = replace(w.group_events[ev.ref], claim_window_closed=True)
        w.active_events.discard(ev.ref)
