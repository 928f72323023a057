"""The records the engine swaps on nearly every event, as mypyc native classes.

A Meeting is replaced at almost every fold and an Account at every leg of a transfer, and the
compiled rules read their fields all the time. A record of an interpreted module is read from
compiled code through the generic attribute look-up (about 40 ns), and built or swapped by
interpreted code; compiled here, a field is read from the object's struct (about 5 ns) and a
Meeting is copied in a fraction of the time. The records around the Meeting (its alternative,
live session and discount) live here too, so this module needs none of `model.py`.

Mypyc keeps dataclasses' generated `__init__` interpreted (it stores each field through
`object.__setattr__`), so the two hot records write their own; mypy reports a store into a
frozen field, even in `__init__`, as [misc], hence the line below. Run from source
(CONSOLEAPP_INTERPRETED, a stale build), those stores would raise FrozenInstanceError:
`building.frozen_inits` then gives the classes an `__init__` that stores through
`object.__setattr__`, as dataclasses' own does. A compiled class's annotations keep only a
runtime class (`datetime | None` becomes `type`), so the store's codec reads the field types of
this module's classes from its source (`codec.hints`).

`model.py` and `ledger.py` re-export every name: import them from there.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import copyreg
from dataclasses import dataclass, fields
from datetime import datetime

from .building import frozen_inits, renews
from .enums import (
    Answer,
    MeetingKind,
    MeetingStatus,
    Mode,
    OfferKind,
    Outcome,
    Party,
    PaymentStatus,
    PromoKind,
)


@dataclass(frozen=True)
class Alternative:
    """A proposed new time awaiting the other side (R15, R16)."""

    by: Party
    start: datetime
    end: datetime


@dataclass(frozen=True)
class LiveSession:
    """R19: the count runs only while connected; a gift adds unbilled seconds once."""

    started_at: datetime
    allotted_seconds: int
    connected_seconds: int = 0
    running_since: datetime | None = None
    gifted: bool = False
    warned: bool = False
    ended_at: datetime | None = None

    def elapsed(self, now: datetime) -> int:
        extra = 0
        if self.running_since is not None:
            extra = int((now - self.running_since).total_seconds())
        return self.connected_seconds + max(extra, 0)

    def remaining(self, now: datetime) -> int:
        return self.allotted_seconds - self.elapsed(now)


@dataclass(frozen=True)
class Discount:
    """A promo code's terms as they were when a hold used it: later edits to the code change nothing."""

    code: str
    kind: PromoKind
    value: int


@dataclass(frozen=True)
class Meeting:
    id: str
    kind: MeetingKind
    expert: str
    customer: str
    mode: Mode
    offer: OfferKind
    topic: str
    status: MeetingStatus
    requested_at: datetime
    price: int  # what the hold covers: package price, rate x minutes, or an instant budget
    rate: int = 0  # credits per minute for per-minute offers
    minutes: int = 0  # booked length
    start: datetime | None = None
    end: datetime | None = None
    proposed: tuple[datetime, ...] = ()  # R7: the customer's 1-3 times
    slot: str = ""
    payment: PaymentStatus = PaymentStatus.NONE
    hold: str = ""  # id of the open pending transfer, if any
    holds: int = 0  # how many holds this meeting has made (ids stay unique)
    expires_at: datetime | None = None  # instant requests
    alternative: Alternative | None = None
    video_revision: int = 0
    video_active: bool = False
    expert_attended: datetime | None = None
    customer_attended: datetime | None = None
    live: LiveSession | None = None
    customer_answer: Answer | None = None
    expert_answer: Answer | None = None
    outcome: Outcome | None = None
    charged: int = 0  # credits charged for the session (posted), a promo code's part included
    refunded: int = 0  # credits given back through claims
    reminders: frozenset[str] = frozenset()
    claim_window_closed: bool = False
    stars: int = 0
    customer_name: str = ""  # as the customer was named when asking: the expert's cache has no people
    customer_zone: str = ""
    promo: Discount | None = None  # the code applied to the open hold, if any
    promo_hold: str = ""  # id of the platform's open pending transfer for that discount
    promo_discount: int = 0  # what the code took off the price when the hold was made
    discount: int = 0  # the code's part of `charged`, paid from the platform's funds

    def __init__(
            self, id: str, kind: MeetingKind, expert: str, customer: str, mode: Mode, offer: OfferKind,
            topic: str, status: MeetingStatus, requested_at: datetime, price: int, rate: int = 0,
            minutes: int = 0, start: datetime | None = None, end: datetime | None = None,
            proposed: tuple[datetime, ...] = (), slot: str = "",
            payment: PaymentStatus = PaymentStatus.NONE, hold: str = "", holds: int = 0,
            expires_at: datetime | None = None, alternative: Alternative | None = None,
            video_revision: int = 0, video_active: bool = False, expert_attended: datetime | None = None,
            customer_attended: datetime | None = None, live: LiveSession | None = None,
            customer_answer: Answer | None = None, expert_answer: Answer | None = None,
            outcome: Outcome | None = None, charged: int = 0, refunded: int = 0,
            reminders: frozenset[str] = frozenset(), claim_window_closed: bool = False, stars: int = 0,
            customer_name: str = "", customer_zone: str = "", promo: Discount | None = None,
            promo_hold: str = "", promo_discount: int = 0, discount: int = 0
    ) -> None:
        self.id = id
        self.kind = kind
        self.expert = expert
        self.customer = customer
        self.mode = mode
        self.offer = offer
        self.topic = topic
        self.status = status
        self.requested_at = requested_at
        self.price = price
        self.rate = rate
        self.minutes = minutes
        self.start = start
        self.end = end
        self.proposed = proposed
        self.slot = slot
        self.payment = payment
        self.hold = hold
        self.holds = holds
        self.expires_at = expires_at
        self.alternative = alternative
        self.video_revision = video_revision
        self.video_active = video_active
        self.expert_attended = expert_attended
        self.customer_attended = customer_attended
        self.live = live
        self.customer_answer = customer_answer
        self.expert_answer = expert_answer
        self.outcome = outcome
        self.charged = charged
        self.refunded = refunded
        self.reminders = reminders
        self.claim_window_closed = claim_window_closed
        self.stars = stars
        self.customer_name = customer_name
        self.customer_zone = customer_zone
        self.promo = promo
        self.promo_hold = promo_hold
        self.promo_discount = promo_discount
        self.discount = discount


@dataclass(frozen=True)
class Account:
    id: str
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0

    def __init__(self, id: str, debits_pending: int = 0, debits_posted: int = 0, credits_pending: int = 0,
                 credits_posted: int = 0) -> None:
        self.id = id
        self.debits_pending = debits_pending
        self.debits_posted = debits_posted
        self.credits_pending = credits_pending
        self.credits_posted = credits_posted

    @property
    def balance(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What the owner may still spend: posted balance less what holds keep back."""
        return self.credits_posted - self.debits_posted - self.debits_pending


def renew_meeting(m: Meeting, changes: dict[str, object]) -> Meeting:
    """`building.renew` for a Meeting: a copy built from its fields (compiled, positional), then
    each change stored the way dataclasses' `__init__` stores into a frozen instance."""
    new = Meeting(
        m.id, m.kind, m.expert, m.customer, m.mode, m.offer, m.topic, m.status, m.requested_at,
        m.price, m.rate, m.minutes, m.start, m.end, m.proposed, m.slot, m.payment, m.hold, m.holds,
        m.expires_at, m.alternative, m.video_revision, m.video_active, m.expert_attended,
        m.customer_attended, m.live, m.customer_answer, m.expert_answer, m.outcome, m.charged,
        m.refunded, m.reminders, m.claim_window_closed, m.stars, m.customer_name, m.customer_zone,
        m.promo, m.promo_hold, m.promo_discount, m.discount
    )
    for name, value in changes.items():
        if name not in _MEETING_FIELDS:
            raise TypeError(f"Meeting has no field {name!r}")
        object.__setattr__(new, name, value)
    return new


def _rebuilt(record: object) -> tuple[type, tuple[object, ...]]:
    """How `copy` and `pickle` rebuild a record of this module: its class called with its
    fields (a native class has neither slots nor a `__dict__` for their usual way)."""
    return type(record), tuple(getattr(record, f.name) for f in fields(record))  # type: ignore[arg-type]


_MEETING_FIELDS = frozenset(Meeting.__dataclass_fields__)
renews(Meeting, renew_meeting)
frozen_inits(Meeting, Account)
for _record in (Alternative, LiveSession, Discount, Meeting, Account):
    copyreg.pickle(_record, _rebuilt)
