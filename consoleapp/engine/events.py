"""Events: the timeline (R34). Immutable, named as the product names them, with actor and time.

Every event names the record it belongs to in `ref` (a meeting, group event, claim, slot,
person or payout id); a meeting's timeline is its events in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from .building import builder, quick_inits
from .enums import DataKind as DataKind  # re-exported: what the desktop's refreshes import
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    ref: str
    at: datetime
    actor: str
    title: ClassVar[str] = ""
    # What the event changes, declared beside its title: a meeting, request, session or group
    # event unless the event type says otherwise.
    changes: ClassVar[frozenset[DataKind]] = MEETING_DATA

    def describe(self) -> str:
        """The line the timeline shows."""
        return self.title or type(self).__name__


def _by(party: Party, user: str, expert: str) -> str:
    return {Party.CUSTOMER: user, Party.EXPERT: expert}.get(party, "system")


# --- people, profiles, offers, availability (R1-R5) -------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountOpened(Event):
    role: Role
    name: str
    email: str
    time_zone: str = "UTC"
    title: ClassVar[str] = "Account opened"
    changes: ClassVar[frozenset[DataKind]] = PROFILE_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountClosed(Event):
    reason: str
    title: ClassVar[str] = "Account closed"
    changes: ClassVar[frozenset[DataKind]] = PROFILE_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileUpdated(Event):
    name: str
    specialty: str
    photo: str
    time_zone: str
    slug: str
    room_url: str = ""
    title: ClassVar[str] = "Profile updated"
    changes: ClassVar[frozenset[DataKind]] = PROFILE_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class PayoutProfileUpdated(Event):
    legal_name: str
    billing_address: str
    tax_id: str
    bank_account: str
    bic: str = ""
    title: ClassVar[str] = "Payout profile updated"
    changes: ClassVar[frozenset[DataKind]] = PROFILE_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class OffersSet(Event):
    mode: Mode
    offers: tuple[Offer, ...]
    title: ClassVar[str] = "Offers changed"
    changes: ClassVar[frozenset[DataKind]] = frozenset({DataKind.OFFERS})


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotAdded(Event):
    expert: str
    start: datetime
    end: datetime
    offers: tuple[Offer, ...]
    title: ClassVar[str] = "Availability slot added"
    changes: ClassVar[frozenset[DataKind]] = AVAILABILITY_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotMoved(Event):
    start: datetime
    end: datetime
    title: ClassVar[str] = "Availability slot moved"
    changes: ClassVar[frozenset[DataKind]] = AVAILABILITY_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotRemoved(Event):
    title: ClassVar[str] = "Availability slot removed"
    changes: ClassVar[frozenset[DataKind]] = AVAILABILITY_DATA


# --- requests and booking (R6-R11) ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
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

    def describe(self) -> str:
        return {
            MeetingKind.INSTANT: "Instant request sent by user",
            MeetingKind.SCHEDULED: "Meeting requested by user",
            MeetingKind.BOOKING: "Slot booked by user",
            MeetingKind.SUGGESTED: "Meeting suggested by expert",
        }[self.kind]


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditsBlocked(Event):
    hold: str
    amount: int
    title: ClassVar[str] = "Credits blocked"


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoCodeCreated(Event):
    promo: PromoCode
    title: ClassVar[str] = "Promo code created"


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoCodeEnded(Event):
    title: ClassVar[str] = "Promo code ended"


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoApplied(Event):
    """A promo code paid part of a meeting's hold: the platform holds `discount` beside the customer."""

    code: str
    kind: PromoKind  # the code's terms as they were, so every copy of the log folds the same meeting
    value: int
    customer: str
    discount: int
    hold: str  # the platform's pending transfer
    title: ClassVar[str] = "Promo code applied"


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoReleased(Event):
    """The code's hold was voided with nothing charged: the use is given back."""

    code: str
    customer: str
    title: ClassVar[str] = "Promo code given back"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingAgreed(Event):
    by: Party
    start: datetime
    end: datetime
    overlaps: tuple[str, ...]  # R10: agreed meetings of either person at the same time

    def describe(self) -> str:
        return "Approved by user" if self.by is Party.CUSTOMER else "Approved by expert"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingRejected(Event):
    by: Party
    reason: DeclineReason

    def describe(self) -> str:
        who = _by(self.by, "user", "expert")
        return f"Rejected by {who} ({self.reason.value})"


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestExpired(Event):
    title: ClassVar[str] = "Request expired unanswered"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentReturned(Event):
    amount: int
    title: ClassVar[str] = "Payment returned to the user"


# --- cancelling and rescheduling (R12-R16) -----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingCancelled(Event):
    by: Party
    reason: str
    fee: int

    def describe(self) -> str:
        return "Cancelled by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, slots=True, kw_only=True)
class CancellationReimbursed(Event):
    fee: int
    expert_share: int
    commission: int
    returned: int
    discount: int = 0  # the promo code's part of the fee, paid by the platform (`fee` is the customer's)
    title: ClassVar[str] = "Appointment reimbursed to expert"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternativeProposed(Event):
    alternative: Alternative

    def describe(self) -> str:
        if self.alternative.by is Party.CUSTOMER:
            return "Alternative date selected by user"
        return "Alternative date proposed by expert"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingRescheduled(Event):
    """A Rejected meeting moved by its customer: held again, awaiting the expert (R15)."""

    start: datetime
    end: datetime
    title: ClassVar[str] = "Alternative date selected by user"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternativeApproved(Event):
    by: Party
    start: datetime
    end: datetime
    overlaps: tuple[str, ...]

    def describe(self) -> str:
        return "Approval of replacement date by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternativeRejected(Event):
    by: Party
    reason: str

    def describe(self) -> str:
        return "Rejected alternate date by " + _by(self.by, "user", "expert")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternativeWithdrawn(Event):
    by: Party

    def describe(self) -> str:
        return ("User" if self.by is Party.CUSTOMER else "Expert") + " cancelled alternate appointment"


# --- video meetings and live sessions (R17-R21) ------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMeetingCreated(Event):
    revision: int
    valid_from: datetime
    valid_until: datetime
    title: ClassVar[str] = "Video meeting created"


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMeetingEdited(Event):
    revision: int
    valid_from: datetime
    valid_until: datetime
    title: ClassVar[str] = "Video meeting moved, links regenerated"


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMeetingCancelled(Event):
    title: ClassVar[str] = "Video meeting cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Attended(Event):
    party: Party

    def describe(self) -> str:
        return "Expert attended" if self.party is Party.EXPERT else "User attended"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted(Event):
    allotted_seconds: int
    title: ClassVar[str] = "Session started"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionPaused(Event):
    title: ClassVar[str] = "Connection lost, count paused"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionResumed(Event):
    title: ClassVar[str] = "Reconnected, count resumed"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionEndingWarned(Event):
    remaining_seconds: int
    title: ClassVar[str] = "Both warned: session ends soon"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtraMinutesGifted(Event):
    seconds: int
    title: ClassVar[str] = "Expert gifted extra minutes"


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionEnded(Event):
    connected_seconds: int
    billed_minutes: int
    amount: int
    title: ClassVar[str] = "Session ended"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessagePosted(Event):
    message_id: str
    author: Party
    text: str
    title: ClassVar[str] = "Chat message"


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachmentAdded(Event):
    attachment_id: str
    author: Party
    name: str
    kind: str  # 'file' or 'snippet'
    size: int
    digest: str
    title: ClassVar[str] = "Attachment added"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingAttached(Event):
    uri: str
    title: ClassVar[str] = "Recording available"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingHeld(Event):
    title: ClassVar[str] = "Meeting held"


# --- evaluation and settlement (R22-R27) -------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressRecorded(Event):
    party: Party
    answer: Answer

    def describe(self) -> str:
        who = "expert" if self.party is Party.EXPERT else "user"
        return f"Meeting progress recorded by {who}: {self.answer.value}"


@dataclass(frozen=True, slots=True, kw_only=True)
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
    changes: ClassVar[frozenset[DataKind]] = MEETING_DATA | EARNINGS_DATA

    def describe(self) -> str:
        return {
            Outcome.PAY: "Payment to expert",
            Outcome.RETURN: "Payment returned to the user",
            Outcome.PLATFORM_FAULT: "Payment returned to the user, platform paid the expert",
            Outcome.SPLIT: "Operator split the payment",
        }.get(self.outcome, "Settled")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewRequired(Event):
    reason: str
    title: ClassVar[str] = "Sent to operator review"


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingGiven(Event):
    stars: int
    title: ClassVar[str] = "Rated by user"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewWritten(Event):
    customer: str
    expert: str
    text: str
    first: bool
    title: ClassVar[str] = "Text review saved"
    changes: ClassVar[frozenset[DataKind]] = PROFILE_DATA


# --- group events (R28) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupEventCreated(Event):
    expert: str
    title_text: str
    start: datetime
    end: datetime
    price: int
    min_participants: int
    max_participants: int
    title: ClassVar[str] = "Event created"


@dataclass(frozen=True, slots=True, kw_only=True)
class Registered(Event):
    customer: str
    hold: str
    title: ClassVar[str] = "Registration"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationCancelled(Event):
    customer: str
    fee: int
    title: ClassVar[str] = "Registration cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupEventCancelled(Event):
    reason: str
    title: ClassVar[str] = "Event cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpertPresence(Event):
    present: bool  # joined (True) or left (False)

    def describe(self) -> str:
        return "Expert joined the event" if self.present else "Expert left the event"


@dataclass(frozen=True, slots=True, kw_only=True)
class ParticipantJoined(Event):
    customer: str
    title: ClassVar[str] = "User joined the event"


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupEventSettled(Event):
    presence_seconds: int
    charged: bool  # False when the expert was present under the presence minimum
    participants: int
    title: ClassVar[str] = "Event settled"


# --- claims and disputes (R29-R31) ------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimOpened(Event):
    session: str
    customer: str
    expert: str
    amount: int
    reason: str
    title: ClassVar[str] = "Refund claim opened"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRefunded(Event):
    amount: int
    expert_part: int
    commission_part: int
    by: Party
    platform_part: int = 0  # a promo code's share, back to the platform's funds (not the customer's)
    title: ClassVar[str] = "Refund paid to the user"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimDisputed(Event):
    summary: str
    title: ClassVar[str] = "Claim disputed by expert"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimEscalated(Event):
    title: ClassVar[str] = "Claim unanswered, sent to operator review"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeDecided(Event):
    accepted: bool
    note: str = ""  # why, in the deciding operator's words
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA | EARNINGS_DATA

    def describe(self) -> str:
        return "Dispute accepted" if self.accepted else "Dispute rejected"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpertFlagged(Event):
    lost_disputes: int
    title: ClassVar[str] = "Expert flagged for the operator"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA | PROFILE_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimWindowClosed(Event):
    title: ClassVar[str] = "Claim window closed"
    changes: ClassVar[frozenset[DataKind]] = CLAIMS_DATA


# --- payouts and notifications (R33, R35) ------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PayoutMade(Event):
    expert: str
    day: str
    amount: int
    transfer_ids: tuple[str, ...]
    title: ClassVar[str] = "Payout sent"
    changes: ClassVar[frozenset[DataKind]] = EARNINGS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class PayoutWithheld(Event):
    expert: str
    day: str
    balance: int
    reason: str
    title: ClassVar[str] = "Payout withheld"
    changes: ClassVar[frozenset[DataKind]] = EARNINGS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class PayoutRunCompleted(Event):
    day: str
    title: ClassVar[str] = "Payout run completed"
    changes: ClassVar[frozenset[DataKind]] = EARNINGS_DATA


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationQueued(Event):
    recipient: str
    kind: str
    text: str
    title: ClassVar[str] = "Notification"
    changes: ClassVar[frozenset[DataKind]] = frozenset({DataKind.NOTIFICATIONS})


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSent(Event):
    kind: str  # 'reminder', 'link' or 'evaluation'
    title: ClassVar[str] = "Reminder sent"


quick_inits(globals())  # every event's __init__, quicker (see building.quick_inits)

# The events every meeting's lifecycle makes, built without `type.__call__` (building.builder):
# same parameters, checked by mypy as the class's own.
new_meeting_requested = builder(MeetingRequested)
new_credits_blocked = builder(CreditsBlocked)
new_meeting_agreed = builder(MeetingAgreed)
new_video_meeting_created = builder(VideoMeetingCreated)
new_meeting_held = builder(MeetingHeld)
new_progress_recorded = builder(ProgressRecorded)
new_meeting_settled = builder(MeetingSettled)
new_notification_queued = builder(NotificationQueued)
