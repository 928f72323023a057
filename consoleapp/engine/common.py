"""Small lookups and guards every decider shares; each raises a DomainError a person can act on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from .errors import FORBIDDEN, INVALID, NOT_FOUND, PRICE_TOO_LOW, WRONG_STATE, DomainError, when
from .events import NotificationQueued
from .ledger import Transfer
from .model import Meeting, MeetingStatus, Mode, Offer, OfferKind, Party, Person, Role
from .policy import Policy
from .world import World


def person(world: World, person_id: str, role: Role | None = None) -> Person:
    found = world.people.get(person_id)
    if found is None or found.closed:
        raise DomainError(NOT_FOUND, f"no open account {person_id!r}")
    if role is not None and found.role is not role:
        raise DomainError(FORBIDDEN, f"only {role.value}s may do this; {person_id!r} is a {found.role.value}")
    return found


def operator(world: World, actor: str) -> None:
    person(world, actor, Role.OPERATOR)


def meeting(world: World, meeting_id: str) -> Meeting:
    found = world.meetings.get(meeting_id)
    if found is None:
        raise DomainError(NOT_FOUND, f"no meeting {meeting_id!r}")
    return found


def side(m: Meeting, actor: str) -> Party:
    """Which side of the meeting the actor is on; anyone else is told exactly what an unknown id gets, so a
    stranger cannot learn that someone else's meeting exists (R1)."""
    if actor == m.expert:
        return Party.EXPERT
    if actor == m.customer:
        return Party.CUSTOMER
    raise DomainError(NOT_FOUND, f"no meeting {m.id!r}")


def as_expert(m: Meeting, actor: str) -> None:
    if side(m, actor) is not Party.EXPERT:
        raise DomainError(FORBIDDEN, "only the meeting's expert may do this")


def as_customer(m: Meeting, actor: str) -> None:
    if side(m, actor) is not Party.CUSTOMER:
        raise DomainError(FORBIDDEN, "only the meeting's customer may do this")


def status_in(m: Meeting, action: str, *allowed: MeetingStatus) -> None:
    if m.status not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise DomainError(WRONG_STATE, f"cannot {action}: the meeting is {m.status.value}, not {names}")


def before_start(m: Meeting, now: datetime, action: str) -> None:
    if m.start is not None and now >= m.start:
        raise DomainError(WRONG_STATE, f"cannot {action}: the meeting started at {when(m.start)}")
    if m.live is not None:  # the expert may start up to 15 min early (R17): started is started
        raise DomainError(WRONG_STATE, f"cannot {action}: the session has already started")


def text(value: str, what: str, limit: int = 2000) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise DomainError(INVALID, f"{what} is required")
    if len(cleaned) > limit:
        raise DomainError(INVALID, f"{what} is too long: {len(cleaned)} characters, at most {limit}")
    return cleaned


def positive(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise DomainError(INVALID, f"{what} must be a whole positive number of credits, got {value!r}")
    return value


def aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is UTC:  # the engine's own times: no need to ask the zone for an offset
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError(INVALID, f"{what} needs a time zone")
    return moment


def offers_for(world: World, expert: str, slot_offers: tuple[Offer, ...] = ()) -> tuple[Offer, ...]:
    """What a customer can choose from (R3, R4): a slot's own offers if it has any, else the
    expert's; a price of 0 disables one. `find_offer` picks from the same."""
    pool = slot_offers or tuple(o for mode in Mode for o in world.offers.get((expert, mode), ()))
    return tuple(o for o in pool if o.price > 0)


def find_offer(world: World, expert: str, mode: Mode, kind: OfferKind, slot_offers: tuple[Offer, ...] = ()) -> Offer:
    """The expert's live offer for a mode and kind; a slot's own offers come first (R4)."""
    pool: Iterable[Offer] = slot_offers or world.offers.get((expert, mode), ())
    for offer in pool:
        if offer.mode is mode and offer.kind is kind and offer.price > 0:
            return offer
    raise DomainError(NOT_FOUND, f"this expert offers no {kind.value.replace('_', '-')} {mode.value} sessions")


def priced(offer: Offer, minutes: int, policy: Policy) -> tuple[int, int, int]:
    """(price, rate, minutes) of a booking of `offer`; per-minute bookings need a length."""
    if offer.kind is OfferKind.PER_MINUTE:
        if minutes <= 0:
            raise DomainError(INVALID, "say how many minutes the per-minute meeting should last")
        if minutes > 24 * 60:
            raise DomainError(INVALID, "a meeting can last at most 24 hours")
        return offer.price * minutes, offer.price, minutes
    return offer.price, 0, offer.minutes


def check_price(offer: Offer, policy: Policy) -> None:
    """R3: a price of 0 disables an offer; any other price respects the platform minimum."""
    if offer.price == 0:
        return
    floor = (policy.min_rate if offer.kind is OfferKind.PER_MINUTE else policy.min_package).get(offer.mode, 0)
    if offer.price < floor:
        raise DomainError(
            PRICE_TOO_LOW,
            f"the {offer.mode.value} {offer.kind.value.replace('_', '-')} price must be at least {floor} credits",
        )


def overlapping(world: World, people: Iterable[str], start: datetime, end: datetime, exclude: str) -> tuple[str, ...]:
    """R10: agreed meetings of these people that overlap [start, end)."""
    found: set[str] = set()
    for who in people:
        for mid in world.agreed_of.get(who, ()):
            other = world.meetings[mid]
            if mid != exclude and other.start and other.end and other.start < end and start < other.end:
                found.add(mid)
    return tuple(sorted(found))


def notice(ref: str, at: datetime, recipient: str, kind: str, message: str) -> NotificationQueued:
    return NotificationQueued(ref=ref, at=at, actor="system", recipient=recipient, kind=kind, text=message)


def open_hold(world: World, m: Meeting) -> Transfer:
    t = world.ledger.transfers.get(m.hold) if m.hold else None
    if t is None or not world.ledger.is_open(t.id):
        raise DomainError(WRONG_STATE, f"meeting {m.id!r} has no credits blocked")
    return t


# Spans of time, each built once: the deciders add a policy's hours or a meeting's minutes to a
# moment at almost every command, and `timedelta(minutes=n)` parses its keywords each time (420 ns,
# against a dict look-up here). The few distinct lengths (policy values, offer durations) are kept;
# a length outside the first thousand is built afresh.
_SPANS: dict[int, timedelta] = {}
_SPANS_KEPT = 1024


def seconds(n: int) -> timedelta:
    span = _SPANS.get(n)
    if span is None:
        span = timedelta(0, n)
        if len(_SPANS) < _SPANS_KEPT:
            _SPANS[n] = span
    return span


def minutes(n: int) -> timedelta:
    return seconds(n * 60)


def hours(n: int) -> timedelta:
    return seconds(n * 3600)


def days(n: int) -> timedelta:
    return seconds(n * 86400)
