"""Group events (R28): a fixed price, min and max participants, and the expert's presence.

If the expert was present under the presence minimum, no customer is charged; otherwise
every registration settles at the price. Too few participants at the start cancels the event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from . import commands as c
from . import events as e
from .changes import registration_terms
from .common import aware, days, minutes, notice, person, text
from .errors import (
    ALREADY_EXISTS,
    FEE_NOT_CONFIRMED,
    FORBIDDEN,
    FULL,
    INVALID,
    NOT_FOUND,
    TOO_EARLY,
    TOO_LATE,
    WRONG_STATE,
    DomainError,
    when,
)
from .ledger import hold, post_split, void
from .model import SYSTEM, GroupEvent, GroupEventStatus, Mode, Registration, Role
from .payouts import count_event_settled, count_late_registration
from .policy import Policy
from .world import World, decides, folds


def group_event(w: World, event_id: str) -> GroupEvent:
    found = w.group_events.get(event_id)
    if found is None:
        raise DomainError(NOT_FOUND, f"no event {event_id!r}")
    return found


def _own(w: World, event_id: str, actor: str) -> GroupEvent:
    ev = group_event(w, event_id)
    if ev.expert != actor:
        raise DomainError(FORBIDDEN, "this event is not yours")
    return ev


def _open_before_start(ev: GroupEvent, now: datetime, action: str) -> None:
    if ev.status is not GroupEventStatus.OPEN:
        raise DomainError(WRONG_STATE, f"cannot {action}: the event is {ev.status.value}")
    if now >= ev.start:
        raise DomainError(TOO_LATE, f"cannot {action}: the event started at {when(ev.start)}")


def presence(ev: GroupEvent, until: datetime) -> int:
    """Seconds the expert was present inside the event's hours, counting an open presence."""
    seconds = ev.presence_seconds
    if ev.present_since is not None:
        seconds += max(int((min(until, ev.end) - max(ev.present_since, ev.start)).total_seconds()), 0)
    return seconds


@decides(c.CreateGroupEvent)
def create_group_event(w: World, cmd: c.CreateGroupEvent, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.EXPERT)
    if cmd.event_id in w.group_events:
        raise DomainError(ALREADY_EXISTS, f"event id {cmd.event_id!r} is taken")
    aware(cmd.start, "the start")
    aware(cmd.end, "the end")
    if cmd.start <= now:
        raise DomainError(TOO_LATE, "an event must start in the future")
    if not cmd.start < cmd.end <= cmd.start + days(1):
        raise DomainError(INVALID, "an event must end after it starts, within 24 hours")
    cap = p.event_max_participants
    if not 1 <= cmd.min_participants <= cmd.max_participants <= cap:
        raise DomainError(INVALID, f"participants: at least 1, the minimum no more than the maximum, the maximum at most {cap}")
    floor = p.min_package.get(Mode.VIDEO, 0)
    if cmd.price < 0 or 0 < cmd.price < floor:
        raise DomainError(INVALID, f"the price is 0 (free) or at least {floor} credits")
    return [e.GroupEventCreated(
        ref=cmd.event_id, at=now, actor=cmd.actor, expert=cmd.actor, title_text=text(cmd.title, "a title", 200),
        start=cmd.start, end=cmd.end, price=cmd.price, min_participants=cmd.min_participants,
        max_participants=cmd.max_participants,
    )]


@decides(c.Register)
def register(w: World, cmd: c.Register, now: datetime, p: Policy) -> list[e.Event]:
    person(w, cmd.actor, Role.CUSTOMER)
    ev = group_event(w, cmd.event_id)
    _open_before_start(ev, now, "register")
    if ev.registration(cmd.actor) is not None:
        raise DomainError(ALREADY_EXISTS, "you are registered for this event already")
    if len(ev.active()) >= ev.max_participants:
        raise DomainError(FULL, f"the event is full ({ev.max_participants} participants)")
    n = sum(1 for r in ev.registrations if r.customer == cmd.actor) + 1
    tid = f"{ev.id}:{cmd.actor}:hold{n}" if ev.price else ""
    out: list[e.Event] = []
    if ev.price:
        out.append(hold(tid, cmd.actor, ev.price, ev.id, now, cmd.actor))
    out.append(e.Registered(ref=ev.id, at=now, actor=cmd.actor, customer=cmd.actor, hold=tid))
    out.append(notice(ev.id, now, ev.expert, "new_request", f"New registration for {ev.title}"))
    return out


@decides(c.CancelRegistration)
def cancel_registration(w: World, cmd: c.CancelRegistration, now: datetime, p: Policy) -> list[e.Event]:
    """The R13 terms apply to a registration too: free until 48 h before, then the fee."""
    ev = group_event(w, cmd.event_id)
    reg = ev.registration(cmd.actor)
    if reg is None:
        raise DomainError(NOT_FOUND, "you are not registered for this event")
    _open_before_start(ev, now, "cancel")
    charge = registration_terms(w, ev.id, cmd.actor, now, p).fee
    if charge and cmd.accept_fee != charge:
        raise DomainError(FEE_NOT_CONFIRMED, f"cancelling now costs {charge} credits; confirm that fee to cancel")
    out: list[e.Event] = []
    if reg.hold:
        pending = w.ledger.transfers[reg.hold]
        out += post_split(pending, charge, ev.expert, p.commission_percent, now, cmd.actor)
    out.append(e.RegistrationCancelled(ref=ev.id, at=now, actor=cmd.actor, customer=cmd.actor, fee=charge))
    return out


@decides(c.CancelGroupEvent)
def cancel_group_event(w: World, cmd: c.CancelGroupEvent, now: datetime, p: Policy) -> list[e.Event]:
    ev = group_event(w, cmd.event_id) if cmd.actor == SYSTEM else _own(w, cmd.event_id, cmd.actor)
    if ev.status is not GroupEventStatus.OPEN:
        raise DomainError(WRONG_STATE, f"the event is {ev.status.value}")
    if cmd.actor == SYSTEM:
        if now < ev.start or len(ev.active()) >= ev.min_participants:
            raise DomainError(INVALID, "the event has enough participants")
    elif now >= ev.start:
        raise DomainError(TOO_LATE, f"the event started at {when(ev.start)}")
    # `.get`: a desktop cache holds the expert's own money movements, not the customers' holds;
    # its optimistic replay cancels the event without the voids (the server decides them for real,
    # where every registration's hold exists).
    holds = (w.ledger.transfers.get(r.hold) for r in ev.active() if r.hold)
    out: list[e.Event] = [void(t, now, cmd.actor) for t in holds if t is not None]
    out.append(e.GroupEventCancelled(ref=ev.id, at=now, actor=cmd.actor, reason=text(cmd.reason, "a reason", 500)))
    out += [notice(ev.id, now, r.customer, "cancellation", f"{ev.title} was cancelled; your credits are back") for r in ev.active()]
    return out


def _room_open(ev: GroupEvent, now: datetime, p: Policy) -> None:
    if ev.status is not GroupEventStatus.OPEN:
        raise DomainError(WRONG_STATE, f"the event is {ev.status.value}")
    if now < ev.start - minutes(p.join_before_minutes):
        raise DomainError(TOO_EARLY, f"the event room opens at {when(ev.start - minutes(p.join_before_minutes))}")
    if now > ev.end:
        raise DomainError(TOO_LATE, f"the event ended at {when(ev.end)}")


def _presence_command(w: World, event_id: str, actor: str, now: datetime, p: Policy) -> GroupEvent:
    ev = _own(w, event_id, actor)
    _room_open(ev, now, p)
    return ev


@decides(c.JoinGroupEvent)
def join_group_event(w: World, cmd: c.JoinGroupEvent, now: datetime, p: Policy) -> list[e.Event]:
    """The expert's presence decides R28's charge; a participant's first joining is only recorded (R18)."""
    ev = group_event(w, cmd.event_id)
    if cmd.actor != ev.expert:
        reg = ev.registration(cmd.actor)
        if reg is None:
            raise DomainError(NOT_FOUND, "you are not registered for this event; register first")
        _room_open(ev, now, p)
        return [] if reg.joined_at else [e.ParticipantJoined(ref=ev.id, at=now, actor=cmd.actor, customer=cmd.actor)]
    ev = _presence_command(w, cmd.event_id, cmd.actor, now, p)
    return [] if ev.present_since else [e.ExpertPresence(ref=ev.id, at=now, actor=cmd.actor, present=True)]


@decides(c.LeaveGroupEvent)
def leave_group_event(w: World, cmd: c.LeaveGroupEvent, now: datetime, p: Policy) -> list[e.Event]:
    ev = _presence_command(w, cmd.event_id, cmd.actor, now, p)
    return [e.ExpertPresence(ref=ev.id, at=now, actor=cmd.actor, present=False)] if ev.present_since else []


@decides(c.SettleGroupEvent)
def settle_group_event(w: World, cmd: c.SettleGroupEvent, now: datetime, p: Policy) -> list[e.Event]:
    ev = group_event(w, cmd.event_id)
    if ev.status is not GroupEventStatus.OPEN:
        raise DomainError(WRONG_STATE, f"the event is {ev.status.value}")
    if now < ev.end:
        raise DomainError(TOO_EARLY, f"the event ends at {when(ev.end)}")
    if len(ev.active()) < ev.min_participants:  # R28: too few participants cancels it, never settles it
        raise DomainError(WRONG_STATE, f"the event has fewer than {ev.min_participants} participants; it is cancelled, not settled")
    seconds = presence(ev, ev.end)
    charged = seconds >= p.event_presence_minutes * 60
    out: list[e.Event] = []
    for r in ev.active():
        if not r.hold:
            continue
        pending = w.ledger.transfers[r.hold]
        out += post_split(pending, ev.price, ev.expert, p.commission_percent, now, SYSTEM) if charged else [void(pending, now, SYSTEM)]
    out.append(e.GroupEventSettled(ref=ev.id, at=now, actor=SYSTEM, presence_seconds=seconds, charged=charged, participants=len(ev.active())))
    return out


def is_active(g: GroupEvent) -> bool:
    """Whether a deadline of the event is still ahead (`due` walks these; the store keeps them in memory)."""
    return g.status is not GroupEventStatus.CANCELLED and not g.claim_window_closed


@folds(e.GroupEventCreated)
def _created(w: World, ev: e.GroupEventCreated) -> None:
    w.group_events[ev.ref] = GroupEvent(ev.ref, ev.expert, ev.title_text, ev.start, ev.end, ev.price, ev.min_participants, ev.max_participants)
    w.active_events.add(ev.ref)


@folds(e.Registered)
def _registered(w: World, ev: e.Registered) -> None:
    g = w.group_events[ev.ref]
    w.group_events[ev.ref] = replace(g, registrations=(*g.registrations, Registration(ev.customer, ev.hold)))


@folds(e.RegistrationCancelled)
def _unregistered(w: World, ev: e.RegistrationCancelled) -> None:
    g = w.group_events[ev.ref]
    regs = tuple(replace(r, cancelled=True, charged=ev.fee) if r.customer == ev.customer and not r.cancelled else r for r in g.registrations)
    w.group_events[ev.ref] = replace(g, registrations=regs)
    count_late_registration(w, ev)


@folds(e.GroupEventCancelled)
def _event_cancelled(w: World, ev: e.GroupEventCancelled) -> None:
    w.group_events[ev.ref] = replace(w.group_events[ev.ref], status=GroupEventStatus.CANCELLED)
    w.active_events.discard(ev.ref)


@folds(e.ParticipantJoined)
def _participant_joined(w: World, ev: e.ParticipantJoined) -> None:
    g = w.group_events[ev.ref]
    regs = tuple(replace(r, joined_at=ev.at) if r.customer == ev.customer and not r.cancelled else r for r in g.registrations)
    w.group_events[ev.ref] = replace(g, registrations=regs)


@folds(e.ExpertPresence)
def _presence(w: World, ev: e.ExpertPresence) -> None:
    g = w.group_events[ev.ref]
    if ev.present:
        w.group_events[ev.ref] = replace(g, present_since=ev.at)
    else:
        w.group_events[ev.ref] = replace(g, presence_seconds=presence(g, ev.at), present_since=None)


@folds(e.GroupEventSettled)
def _event_settled(w: World, ev: e.GroupEventSettled) -> None:
    g = w.group_events[ev.ref]
    regs = tuple(r if r.cancelled or not ev.charged else replace(r, charged=g.price) for r in g.registrations)
    w.group_events[ev.ref] = replace(g, status=GroupEventStatus.SETTLED, registrations=regs,
                                     presence_seconds=ev.presence_seconds, present_since=None)
    count_event_settled(w, ev)


