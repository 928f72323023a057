"""Events: the timeline (R34). Immutable, named as the product names them, with actor and time.

Every event names the record it belongs to in `ref` (a meeting, group event, claim, slot,
person or payout id); a meeting's timeline is its events in order.

The engine builds and folds about sixteen events per meeting, so they are mypyc native classes,
as `records.py` explains for the Meeting: compiled rules read a field from the object's struct and
build an event with its own `__init__` (mypyc leaves a dataclass's generated one interpreted, hence
one per class here, with the dataclass's parameters; mypy reports their stores into frozen fields
as [misc], hence the line below). What an event is called and what data it changes are declared
after its class with `about`, not as class variables: mypyc takes a class variable of a compiled
dataclass for one more field. Run from source, `frozen_inits` gives the classes `__init__`s that
store as dataclasses' own do.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import copyreg
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from .building import frozen_inits
from .enums import DataKind as DataKind  # re-exported: what the desktop's refreshes import
from .enums import Label, TransferKind
from .model import (
    Alternative,
    Answer,
    DeclineReason,
    MeetingKind,
    Mode,
    Offer,
    OfferKind,
    Outcome,
    Party,
    PromoCode,
    PromoKind,
    Role,
)

MEETING_DATA = frozenset({DataKind.MEETINGS, DataKind.REQUESTS, DataKind.HISTORY})
EARNINGS_DATA = frozenset({DataKind.EARNINGS})
CLAIMS_DATA = frozenset({DataKind.CLAIMS})
PROFILE_DATA = frozenset({DataKind.PROFILE})
AVAILABILITY_DATA = frozenset({DataKind.AVAILABILITY})

_TITLES: dict[type, str] = {}
_CHANGES: dict[type, frozenset[DataKind]] = {}


@dataclass(frozen=True, kw_only=True)
class Event:
    ref: str
    at: datetime
    actor: str

    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor

    @property
    def title(self) -> str:
        """What the timeline calls the event ('' when `describe` words it from its fields)."""
        return _TITLES.get(type(self), "")

    @property
    def changes(self) -> frozenset[DataKind]:
        """What the event changes: a meeting, request, session or group event unless `about` says otherwise."""
        return _CHANGES.get(type(self), MEETING_DATA)

    def describe(self) -> str:
        """The line the timeline shows."""
        return self.title or type(self).__name__


def about(cls: type[Event], title: str, changes: frozenset[DataKind] = MEETING_DATA) -> None:
    """Declare an event type's title and what it changes (`title_of`, `changes_of` read them back)."""
    _TITLES[cls] = title
    _CHANGES[cls] = changes


def title_of(cls: type[Event]) -> str:
    return _TITLES.get(cls, "")


def changes_of(cls: type[Event]) -> frozenset[DataKind]:
    return _CHANGES.get(cls, MEETING_DATA)


def _by(party: Party, user: str, expert: str) -> str:
    return {Party.CUSTOMER: user, Party.EXPERT: expert}.get(party, "system")


# --- people, profiles, offers, availability (R1-R5) -------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountOpened(Event):
    role: Role
    name: str
    email: str
    time_zone: str = "UTC"

    def __init__(self, *, ref: str, at: datetime, actor: str, role: Role, name: str, email: str,
            time_zone: str = "UTC") -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.role = role
        self.name = name
        self.email = email
        self.time_zone = time_zone


about(AccountOpened, "Account opened", PROFILE_DATA)


@dataclass(frozen=True, kw_only=True)
class AccountClosed(Event):
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.reason = reason


about(AccountClosed, "Account closed", PROFILE_DATA)


@dataclass(frozen=True, kw_only=True)
class ProfileUpdated(Event):
    name: str
    specialty: str
    photo: str
    time_zone: str
    slug: str
    room_url: str = ""

    def __init__(self, *, ref: str, at: datetime, actor: str, name: str, specialty: str, photo: str, time_zone: str,
            slug: str, room_url: str = "") -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.name = name
        self.specialty = specialty
        self.photo = photo
        self.time_zone = time_zone
        self.slug = slug
        self.room_url = room_url


about(ProfileUpdated, "Profile updated", PROFILE_DATA)


@dataclass(frozen=True, kw_only=True)
class PayoutProfileUpdated(Event):
    legal_name: str
    billing_address: str
    tax_id: str
    bank_account: str
    bic: str = ""

    def __init__(self, *, ref: str, at: datetime, actor: str, legal_name: str, billing_address: str, tax_id: str,
            bank_account: str, bic: str = "") -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.legal_name = legal_name
        self.billing_address = billing_address
        self.tax_id = tax_id
        self.bank_account = bank_account
        self.bic = bic


about(PayoutProfileUpdated, "Payout profile updated", PROFILE_DATA)


@dataclass(frozen=True, kw_only=True)
class OffersSet(Event):
    mode: Mode
    offers: tuple[Offer, ...]

    def __init__(self, *, ref: str, at: datetime, actor: str, mode: Mode, offers: tuple[Offer, ...]) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.mode = mode
        self.offers = offers


about(OffersSet, "Offers changed", frozenset({DataKind.OFFERS}))


@dataclass(frozen=True, kw_only=True)
class SlotAdded(Event):
    expert: str
    start: datetime
    end: datetime
    offers: tuple[Offer, ...]

    def __init__(self, *, ref: str, at: datetime, actor: str, expert: str, start: datetime, end: datetime,
            offers: tuple[Offer, ...]) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.expert = expert
        self.start = start
        self.end = end
        self.offers = offers


about(SlotAdded, "Availability slot added", AVAILABILITY_DATA)


@dataclass(frozen=True, kw_only=True)
class SlotMoved(Event):
    start: datetime
    end: datetime

    def __init__(self, *, ref: str, at: datetime, actor: str, start: datetime, end: datetime) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.start = start
        self.end = end


about(SlotMoved, "Availability slot moved", AVAILABILITY_DATA)


@dataclass(frozen=True, kw_only=True)
class SlotRemoved(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(SlotRemoved, "Availability slot removed", AVAILABILITY_DATA)


# --- requests and booking (R6-R11) ---------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MeetingRequested(Event):
    kind: MeetingKind
    expert: str
    customer: str
    mode: Mode
    offer: OfferKind
    topic: str
    price: int
    rate: int
    minutes: int
    start: datetime | None
    end: datetime | None
    proposed: tuple[datetime, ...]
    slot: str
    expires_at: datetime | None
    customer_name: str = ""
    customer_zone: str = ""

    def __init__(self, *, ref: str, at: datetime, actor: str, kind: MeetingKind, expert: str, customer: str,
            mode: Mode, offer: OfferKind, topic: str, price: int, rate: int, minutes: int, start: datetime | None,
            end: datetime | None, proposed: tuple[datetime, ...], slot: str, expires_at: datetime | None,
            customer_name: str = "", customer_zone: str = "") -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.kind = kind
        self.expert = expert
        self.customer = customer
        self.mode = mode
        self.offer = offer
        self.topic = topic
        self.price = price
        self.rate = rate
        self.minutes = minutes
        self.start = start
        self.end = end
        self.proposed = proposed
        self.slot = slot
        self.expires_at = expires_at
        self.customer_name = customer_name
        self.customer_zone = customer_zone

    def describe(self) -> str:
        return {
            MeetingKind.INSTANT: "Instant request sent by user",
            MeetingKind.SCHEDULED: "Meeting requested by user",
            MeetingKind.BOOKING: "Slot booked by user",
            MeetingKind.SUGGESTED: "Meeting suggested by expert",
        }[self.kind]


@dataclass(frozen=True, kw_only=True)
class CreditsBlocked(Event):
    hold: str
    amount: int

    def __init__(self, *, ref: str, at: datetime, actor: str, hold: str, amount: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.hold = hold
        self.amount = amount


about(CreditsBlocked, "Credits blocked")


@dataclass(frozen=True, kw_only=True)
class PromoCodeCreated(Event):
    promo: PromoCode

    def __init__(self, *, ref: str, at: datetime, actor: str, promo: PromoCode) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.promo = promo


about(PromoCodeCreated, "Promo code created")


@dataclass(frozen=True, kw_only=True)
class PromoCodeEnded(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(PromoCodeEnded, "Promo code ended")


@dataclass(frozen=True, kw_only=True)
class PromoApplied(Event):
    """A promo code paid part of a meeting's hold: the platform holds `discount` beside the customer."""

    code: str
    kind: PromoKind  # the code's terms as they were, so every copy of the log folds the same meeting
    value: int
    customer: str
    discount: int
    hold: str  # the platform's pending transfer

    def __init__(self, *, ref: str, at: datetime, actor: str, code: str, kind: PromoKind, value: int, customer: str,
            discount: int, hold: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.code = code
        self.kind = kind
        self.value = value
        self.customer = customer
        self.discount = discount
        self.hold = hold


about(PromoApplied, "Promo code applied")


@dataclass(frozen=True, kw_only=True)
class PromoReleased(Event):
    """The code's hold was voided with nothing charged: the use is given back."""

    code: str
    customer: str

    def __init__(self, *, ref: str, at: datetime, actor: str, code: str, customer: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.code = code
        self.customer = customer


about(PromoReleased, "Promo code given back")


@dataclass(frozen=True, kw_only=True)
class MeetingAgreed(Event):
    by: Party
    start: datetime
    end: datetime
    overlaps: tuple[str, ...]  # R10: agreed meetings of either person at the same time

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party, start: datetime, end: datetime,
            overlaps: tuple[str, ...]) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by
        self.start = start
        self.end = end
        self.overlaps = overlaps

    def describe(self) -> str:
        return "Approved by user" if self.by is Party.CUSTOMER else "Approved by expert"


@dataclass(frozen=True, kw_only=True)
class MeetingRejected(Event):
    by: Party
    reason: DeclineReason

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party, reason: DeclineReason) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by
        self.reason = reason

    def describe(self) -> str:
        who = _by(self.by, "user", "expert")
        return f"Rejected by {who} ({self.reason.value})"


@dataclass(frozen=True, kw_only=True)
class RequestExpired(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(RequestExpired, "Request expired unanswered")


@dataclass(frozen=True, kw_only=True)
class PaymentReturned(Event):
    amount: int

    def __init__(self, *, ref: str, at: datetime, actor: str, amount: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.amount = amount


about(PaymentReturned, "Payment returned to the user")


# --- cancelling and rescheduling (R12-R16) -----------------------------------------


@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(Event):
    by: Party
    reason: str
    fee: int

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party, reason: str, fee: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by
        self.reason = reason
        self.fee = fee

    def describe(self) -> str:
        return "Cancelled by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, kw_only=True)
class CancellationReimbursed(Event):
    fee: int
    expert_share: int
    commission: int
    returned: int
    discount: int = 0  # the promo code's part of the fee, paid by the platform (`fee` is the customer's)

    def __init__(self, *, ref: str, at: datetime, actor: str, fee: int, expert_share: int, commission: int,
            returned: int, discount: int = 0) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.fee = fee
        self.expert_share = expert_share
        self.commission = commission
        self.returned = returned
        self.discount = discount


about(CancellationReimbursed, "Appointment reimbursed to expert")


@dataclass(frozen=True, kw_only=True)
class AlternativeProposed(Event):
    alternative: Alternative

    def __init__(self, *, ref: str, at: datetime, actor: str, alternative: Alternative) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.alternative = alternative

    def describe(self) -> str:
        if self.alternative.by is Party.CUSTOMER:
            return "Alternative date selected by user"
        return "Alternative date proposed by expert"


@dataclass(frozen=True, kw_only=True)
class MeetingRescheduled(Event):
    """A Rejected meeting moved by its customer: held again, awaiting the expert (R15)."""

    start: datetime
    end: datetime

    def __init__(self, *, ref: str, at: datetime, actor: str, start: datetime, end: datetime) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.start = start
        self.end = end


about(MeetingRescheduled, "Alternative date selected by user")


@dataclass(frozen=True, kw_only=True)
class AlternativeApproved(Event):
    by: Party
    start: datetime
    end: datetime
    overlaps: tuple[str, ...]

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party, start: datetime, end: datetime,
            overlaps: tuple[str, ...]) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by
        self.start = start
        self.end = end
        self.overlaps = overlaps

    def describe(self) -> str:
        return "Approval of replacement date by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, kw_only=True)
class AlternativeRejected(Event):
    by: Party
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party, reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by
        self.reason = reason

    def describe(self) -> str:
        return "Rejected alternate date by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, kw_only=True)
class AlternativeWithdrawn(Event):
    by: Party

    def __init__(self, *, ref: str, at: datetime, actor: str, by: Party) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.by = by

    def describe(self) -> str:
        return ("User" if self.by is Party.CUSTOMER else "Expert") + " cancelled alternate appointment"


# --- video meetings and live sessions (R17-R21) ------------------------------------


@dataclass(frozen=True, kw_only=True)
class VideoMeetingCreated(Event):
    revision: int
    valid_from: datetime
    valid_until: datetime

    def __init__(self, *, ref: str, at: datetime, actor: str, revision: int, valid_from: datetime,
            valid_until: datetime) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.revision = revision
        self.valid_from = valid_from
        self.valid_until = valid_until


about(VideoMeetingCreated, "Video meeting created")


@dataclass(frozen=True, kw_only=True)
class VideoMeetingEdited(Event):
    revision: int
    valid_from: datetime
    valid_until: datetime

    def __init__(self, *, ref: str, at: datetime, actor: str, revision: int, valid_from: datetime,
            valid_until: datetime) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.revision = revision
        self.valid_from = valid_from
        self.valid_until = valid_until


about(VideoMeetingEdited, "Video meeting moved, links regenerated")


@dataclass(frozen=True, kw_only=True)
class VideoMeetingCancelled(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(VideoMeetingCancelled, "Video meeting cancelled")


@dataclass(frozen=True, kw_only=True)
class Attended(Event):
    party: Party

    def __init__(self, *, ref: str, at: datetime, actor: str, party: Party) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.party = party

    def describe(self) -> str:
        return "Expert attended" if self.party is Party.EXPERT else "User attended"


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    allotted_seconds: int

    def __init__(self, *, ref: str, at: datetime, actor: str, allotted_seconds: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.allotted_seconds = allotted_seconds


about(SessionStarted, "Session started")


@dataclass(frozen=True, kw_only=True)
class SessionPaused(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(SessionPaused, "Connection lost, count paused")


@dataclass(frozen=True, kw_only=True)
class SessionResumed(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(SessionResumed, "Reconnected, count resumed")


@dataclass(frozen=True, kw_only=True)
class SessionEndingWarned(Event):
    remaining_seconds: int

    def __init__(self, *, ref: str, at: datetime, actor: str, remaining_seconds: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.remaining_seconds = remaining_seconds


about(SessionEndingWarned, "Both warned: session ends soon")


@dataclass(frozen=True, kw_only=True)
class ExtraMinutesGifted(Event):
    seconds: int

    def __init__(self, *, ref: str, at: datetime, actor: str, seconds: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.seconds = seconds


about(ExtraMinutesGifted, "Expert gifted extra minutes")


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    connected_seconds: int
    billed_minutes: int
    amount: int

    def __init__(self, *, ref: str, at: datetime, actor: str, connected_seconds: int, billed_minutes: int, amount: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.connected_seconds = connected_seconds
        self.billed_minutes = billed_minutes
        self.amount = amount


about(SessionEnded, "Session ended")


@dataclass(frozen=True, kw_only=True)
class ChatMessagePosted(Event):
    message_id: str
    author: Party
    text: str

    def __init__(self, *, ref: str, at: datetime, actor: str, message_id: str, author: Party, text: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.message_id = message_id
        self.author = author
        self.text = text


about(ChatMessagePosted, "Chat message")


@dataclass(frozen=True, kw_only=True)
class AttachmentAdded(Event):
    attachment_id: str
    author: Party
    name: str
    kind: str  # 'file' or 'snippet'
    size: int
    digest: str

    def __init__(self, *, ref: str, at: datetime, actor: str, attachment_id: str, author: Party, name: str,
            kind: str, size: int, digest: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.attachment_id = attachment_id
        self.author = author
        self.name = name
        self.kind = kind
        self.size = size
        self.digest = digest


about(AttachmentAdded, "Attachment added")


@dataclass(frozen=True, kw_only=True)
class RecordingAttached(Event):
    uri: str

    def __init__(self, *, ref: str, at: datetime, actor: str, uri: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.uri = uri


about(RecordingAttached, "Recording available")


@dataclass(frozen=True, kw_only=True)
class MeetingHeld(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(MeetingHeld, "Meeting held")


# --- evaluation and settlement (R22-R27) -------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProgressRecorded(Event):
    party: Party
    answer: Answer

    def __init__(self, *, ref: str, at: datetime, actor: str, party: Party, answer: Answer) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.party = party
        self.answer = answer

    def describe(self) -> str:
        who = "expert" if self.party is Party.EXPERT else "user"
        return f"Meeting progress recorded by {who}: {self.answer.value}"


@dataclass(frozen=True, kw_only=True)
class MeetingSettled(Event):
    outcome: Outcome
    charged: int  # charged for the session: from the customer, and from the platform for a promo code
    expert_share: int
    commission: int
    returned: int  # given back to the customer
    platform_paid: int  # paid by the platform from its own funds (R24)
    automatic: bool  # decided at the 168 h deadline
    note: str = ""  # an operator's decision (R25): why, in their words
    discount: int = 0  # the promo code's part of `charged`, paid by the platform

    def __init__(self, *, ref: str, at: datetime, actor: str, outcome: Outcome, charged: int, expert_share: int,
            commission: int, returned: int, platform_paid: int, automatic: bool, note: str = "", discount: int = 0) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.outcome = outcome
        self.charged = charged
        self.expert_share = expert_share
        self.commission = commission
        self.returned = returned
        self.platform_paid = platform_paid
        self.automatic = automatic
        self.note = note
        self.discount = discount

    def describe(self) -> str:
        return {
            Outcome.PAY: "Payment to expert",
            Outcome.RETURN: "Payment returned to the user",
            Outcome.PLATFORM_FAULT: "Payment returned to the user, platform paid the expert",
            Outcome.SPLIT: "Operator split the payment",
        }.get(self.outcome, "Settled")


about(MeetingSettled, "", MEETING_DATA | EARNINGS_DATA)


@dataclass(frozen=True, kw_only=True)
class ReviewRequired(Event):
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.reason = reason


about(ReviewRequired, "Sent to operator review")


@dataclass(frozen=True, kw_only=True)
class RatingGiven(Event):
    stars: int

    def __init__(self, *, ref: str, at: datetime, actor: str, stars: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.stars = stars


about(RatingGiven, "Rated by user")


@dataclass(frozen=True, kw_only=True)
class ReviewWritten(Event):
    customer: str
    expert: str
    text: str
    first: bool

    def __init__(self, *, ref: str, at: datetime, actor: str, customer: str, expert: str, text: str, first: bool) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.customer = customer
        self.expert = expert
        self.text = text
        self.first = first


about(ReviewWritten, "Text review saved", PROFILE_DATA)


# --- group events (R28) ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GroupEventCreated(Event):
    expert: str
    title_text: str
    start: datetime
    end: datetime
    price: int
    min_participants: int
    max_participants: int

    def __init__(self, *, ref: str, at: datetime, actor: str, expert: str, title_text: str, start: datetime,
            end: datetime, price: int, min_participants: int, max_participants: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.expert = expert
        self.title_text = title_text
        self.start = start
        self.end = end
        self.price = price
        self.min_participants = min_participants
        self.max_participants = max_participants


about(GroupEventCreated, "Event created")


@dataclass(frozen=True, kw_only=True)
class Registered(Event):
    customer: str
    hold: str

    def __init__(self, *, ref: str, at: datetime, actor: str, customer: str, hold: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.customer = customer
        self.hold = hold


about(Registered, "Registration")


@dataclass(frozen=True, kw_only=True)
class RegistrationCancelled(Event):
    customer: str
    fee: int

    def __init__(self, *, ref: str, at: datetime, actor: str, customer: str, fee: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.customer = customer
        self.fee = fee


about(RegistrationCancelled, "Registration cancelled")


@dataclass(frozen=True, kw_only=True)
class GroupEventCancelled(Event):
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.reason = reason


about(GroupEventCancelled, "Event cancelled")


@dataclass(frozen=True, kw_only=True)
class ExpertPresence(Event):
    present: bool  # joined (True) or left (False)

    def __init__(self, *, ref: str, at: datetime, actor: str, present: bool) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.present = present

    def describe(self) -> str:
        return "Expert joined the event" if self.present else "Expert left the event"


@dataclass(frozen=True, kw_only=True)
class ParticipantJoined(Event):
    customer: str

    def __init__(self, *, ref: str, at: datetime, actor: str, customer: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.customer = customer


about(ParticipantJoined, "User joined the event")


@dataclass(frozen=True, kw_only=True)
class GroupEventSettled(Event):
    presence_seconds: int
    charged: bool  # False when the expert was present under the presence minimum
    participants: int

    def __init__(self, *, ref: str, at: datetime, actor: str, presence_seconds: int, charged: bool, participants: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.presence_seconds = presence_seconds
        self.charged = charged
        self.participants = participants


about(GroupEventSettled, "Event settled")


# --- claims and disputes (R29-R31) ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ClaimOpened(Event):
    session: str
    customer: str
    expert: str
    amount: int
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, session: str, customer: str, expert: str, amount: int,
            reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.session = session
        self.customer = customer
        self.expert = expert
        self.amount = amount
        self.reason = reason


about(ClaimOpened, "Refund claim opened", CLAIMS_DATA)


@dataclass(frozen=True, kw_only=True)
class ClaimRefunded(Event):
    amount: int
    expert_part: int
    commission_part: int
    by: Party
    platform_part: int = 0  # a promo code's share, back to the platform's funds (not the customer's)

    def __init__(self, *, ref: str, at: datetime, actor: str, amount: int, expert_part: int, commission_part: int,
            by: Party, platform_part: int = 0) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.amount = amount
        self.expert_part = expert_part
        self.commission_part = commission_part
        self.by = by
        self.platform_part = platform_part


about(ClaimRefunded, "Refund paid to the user", CLAIMS_DATA)


@dataclass(frozen=True, kw_only=True)
class ClaimDisputed(Event):
    summary: str

    def __init__(self, *, ref: str, at: datetime, actor: str, summary: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.summary = summary


about(ClaimDisputed, "Claim disputed by expert", CLAIMS_DATA)


@dataclass(frozen=True, kw_only=True)
class ClaimEscalated(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(ClaimEscalated, "Claim unanswered, sent to operator review", CLAIMS_DATA)


@dataclass(frozen=True, kw_only=True)
class DisputeDecided(Event):
    accepted: bool
    note: str = ""  # why, in the deciding operator's words

    def __init__(self, *, ref: str, at: datetime, actor: str, accepted: bool, note: str = "") -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.accepted = accepted
        self.note = note

    def describe(self) -> str:
        return "Dispute accepted" if self.accepted else "Dispute rejected"


about(DisputeDecided, "", CLAIMS_DATA | EARNINGS_DATA)


@dataclass(frozen=True, kw_only=True)
class ExpertFlagged(Event):
    lost_disputes: int

    def __init__(self, *, ref: str, at: datetime, actor: str, lost_disputes: int) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.lost_disputes = lost_disputes


about(ExpertFlagged, "Expert flagged for the operator", CLAIMS_DATA | PROFILE_DATA)


@dataclass(frozen=True, kw_only=True)
class ClaimWindowClosed(Event):
    def __init__(self, *, ref: str, at: datetime, actor: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor


about(ClaimWindowClosed, "Claim window closed", CLAIMS_DATA)


# --- the ledger's movements ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Transfer(Event):
    """One movement of the ledger (`ledger.py`). An event too, so the ledger is a fold of the log
    like everything else."""

    id: str
    debit: str
    credit: str
    amount: int
    kind: TransferKind = TransferKind.POSTED
    pending_id: str = ""
    label: Label

    def __init__(self, *, ref: str, at: datetime, actor: str, id: str, debit: str, credit: str, amount: int,
            kind: TransferKind = TransferKind.POSTED, pending_id: str = "", label: Label) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.id = id
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.kind = kind
        self.pending_id = pending_id
        self.label = label

    def describe(self) -> str:
        return f"{self.label.value}: {self.amount} credits"


about(Transfer, "Credits moved", EARNINGS_DATA)


# --- payouts and notifications (R33, R35) ------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PayoutMade(Event):
    expert: str
    day: str
    amount: int
    transfer_ids: tuple[str, ...]

    def __init__(self, *, ref: str, at: datetime, actor: str, expert: str, day: str, amount: int,
            transfer_ids: tuple[str, ...]) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.expert = expert
        self.day = day
        self.amount = amount
        self.transfer_ids = transfer_ids


about(PayoutMade, "Payout sent", EARNINGS_DATA)


@dataclass(frozen=True, kw_only=True)
class PayoutWithheld(Event):
    expert: str
    day: str
    balance: int
    reason: str

    def __init__(self, *, ref: str, at: datetime, actor: str, expert: str, day: str, balance: int, reason: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.expert = expert
        self.day = day
        self.balance = balance
        self.reason = reason


about(PayoutWithheld, "Payout withheld", EARNINGS_DATA)


@dataclass(frozen=True, kw_only=True)
class PayoutRunCompleted(Event):
    day: str

    def __init__(self, *, ref: str, at: datetime, actor: str, day: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.day = day


about(PayoutRunCompleted, "Payout run completed", EARNINGS_DATA)


@dataclass(frozen=True, kw_only=True)
class NotificationQueued(Event):
    recipient: str
    kind: str
    text: str

    def __init__(self, *, ref: str, at: datetime, actor: str, recipient: str, kind: str, text: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.recipient = recipient
        self.kind = kind
        self.text = text


about(NotificationQueued, "Notification", frozenset({DataKind.NOTIFICATIONS}))


@dataclass(frozen=True, kw_only=True)
class ReminderSent(Event):
    kind: str  # 'reminder', 'link' or 'evaluation'

    def __init__(self, *, ref: str, at: datetime, actor: str, kind: str) -> None:
        self.ref = ref
        self.at = at
        self.actor = actor
        self.kind = kind


about(ReminderSent, "Reminder sent")


def _rebuilt(ev: Event) -> tuple[Any, tuple[Any, ...]]:
    """How `copy` and `pickle` rebuild an event: its class called with its fields by name (a
    native class has neither slots nor a `__dict__` for their usual way)."""
    return _build, (type(ev), {f.name: getattr(ev, f.name) for f in fields(ev)})


def _build(cls: type[Event], values: dict[str, Any]) -> Event:
    return cls(**values)


def _with_subclasses(root: type[Event]) -> list[type[Event]]:
    return [root, *(sub for cls in root.__subclasses__() for sub in _with_subclasses(cls))]


frozen_inits(*_with_subclasses(Event))
for _event in _with_subclasses(Event):
    copyreg.pickle(_event, _rebuilt)
