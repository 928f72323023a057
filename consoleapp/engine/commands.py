"""Commands: what a person (or the scheduler, actor 'system') asks the engine to do.

Ids of new records (meeting_id, claim_id, ...) come with the command, so a command can be
sent twice, or decided offline and again on the server, and mean the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .model import Answer, DeclineReason, Mode, Offer, OfferKind, Outcome, PromoKind, Role


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    actor: str


# --- people, profiles, offers, availability, wallets (R1-R5, R11) ------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenAccount(Command):
    person: str
    role: Role
    name: str
    email: str
    time_zone: str = "UTC"


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseAccount(Command):
    person: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateProfile(Command):
    name: str
    specialty: str
    time_zone: str
    slug: str
    photo: str = ""
    room_url: str = ""  # the expert's own meeting room (Zoom, Meet, Teams...), for the `personal` video provider


@dataclass(frozen=True, slots=True, kw_only=True)
class SetPayoutProfile(Command):
    legal_name: str
    billing_address: str
    tax_id: str
    bank_account: str  # an IBAN
    bic: str = ""  # optional; when given, of a bank in the IBAN's country


@dataclass(frozen=True, slots=True, kw_only=True)
class SetOffers(Command):
    """The expert's prices for one mode; a price of 0 disables that product."""

    mode: Mode
    per_minute: int = 0
    short_price: int = 0
    short_minutes: int = 0  # 0: the policy's default short length
    long_price: int = 0
    long_minutes: int = 0  # 0: the policy's default long length


@dataclass(frozen=True, slots=True, kw_only=True)
class AddSlot(Command):
    slot_id: str
    start: datetime | None  # None: "Now", a slot from now of the policy's length
    end: datetime | None = None
    offers: tuple[Offer, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MoveSlot(Command):
    slot_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveSlot(Command):
    slot_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GrantCredits(Command):
    grant_id: str
    customer: str
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditPayment(Command):
    """Credits a customer bought: their money arrived (a bank transfer an operator saw, a card
    payment the provider confirmed). Once per payment id, whoever reports it first."""

    payment_id: str
    customer: str
    amount: int


# --- promo codes (operators create them; customers give one with a hold) ----------


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatePromoCode(Command):
    code: str
    kind: PromoKind
    value: int
    valid_from: datetime
    valid_until: datetime
    max_uses: int = 0  # in total; 0: unlimited
    max_per_customer: int = 1  # 0: unlimited
    expert: str = ""  # only this expert's sessions


@dataclass(frozen=True, slots=True, kw_only=True)
class EndPromoCode(Command):
    code: str


# --- requests and booking (R6-R11) -------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestInstant(Command):
    meeting_id: str
    expert: str
    mode: Mode
    offer: OfferKind
    topic: str
    max_budget: int = 0  # 0: exactly the package price (required for per-minute)
    promo_code: str = ""  # optional; see promos.py


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptInstant(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclineRequest(Command):
    meeting_id: str
    reason: DeclineReason


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpireRequest(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestScheduled(Command):
    meeting_id: str
    expert: str
    mode: Mode
    offer: OfferKind
    topic: str
    times: tuple[datetime, ...]
    minutes: int = 0  # length of a per-minute meeting
    promo_code: str = ""  # optional; see promos.py


@dataclass(frozen=True, slots=True, kw_only=True)
class PickTime(Command):
    meeting_id: str
    start: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class BookSlot(Command):
    meeting_id: str
    slot_id: str
    mode: Mode
    offer: OfferKind
    start: datetime
    topic: str
    minutes: int = 0
    promo_code: str = ""  # optional; see promos.py


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveBooking(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SuggestMeeting(Command):
    meeting_id: str
    customer: str
    mode: Mode
    offer: OfferKind
    start: datetime
    topic: str
    minutes: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfirmSuggestion(Command):
    meeting_id: str
    promo_code: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectSuggestion(Command):
    meeting_id: str
    reason: DeclineReason


# --- cancelling and rescheduling (R12-R16) ----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelMeeting(Command):
    """`accept_fee` repeats the fee the person was shown (R13); a late cancel without it is refused."""

    meeting_id: str
    reason: str = ""
    accept_fee: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProposeAlternative(Command):
    meeting_id: str
    start: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveAlternative(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectAlternative(Command):
    meeting_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawAlternative(Command):
    meeting_id: str


# --- video meetings and live sessions (R17-R21) ----------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenLink(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StartSession(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Disconnect(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconnect(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WarnSessionEnding(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GiftMinutes(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSession(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostChat(Command):
    meeting_id: str
    message_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAttachment(Command):
    meeting_id: str
    attachment_id: str
    name: str
    kind: str  # 'file' or 'snippet'
    size: int
    digest: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachRecording(Command):
    meeting_id: str
    uri: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkHeld(Command):
    meeting_id: str


# --- evaluation and settlement (R22-R27) ------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluate(Command):
    meeting_id: str
    answer: Answer


@dataclass(frozen=True, slots=True, kw_only=True)
class AutoEvaluate(Command):
    meeting_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DecideReview(Command):
    """The operator's decision on an undecided meeting: PAY, RETURN or SPLIT."""

    meeting_id: str
    outcome: Outcome
    expert_amount: int = 0  # SPLIT: what the customer is charged; the rest returns
    note: str = ""  # why: required, kept on the meeting's timeline


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate(Command):
    meeting_id: str
    stars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteReview(Command):
    expert: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SendReminder(Command):
    meeting_id: str
    kind: str  # 'reminder' (24 h before), 'link' (60 min before), 'evaluation' (1 day after)


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseClaimWindow(Command):
    session: str  # a meeting id or a group event id


# --- group events (R28) -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateGroupEvent(Command):
    event_id: str
    title: str
    start: datetime
    end: datetime
    price: int
    min_participants: int
    max_participants: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Register(Command):
    event_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelRegistration(Command):
    event_id: str
    accept_fee: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelGroupEvent(Command):
    event_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinGroupEvent(Command):
    event_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveGroupEvent(Command):
    event_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SettleGroupEvent(Command):
    event_id: str


# --- claims and disputes (R29-R31) ------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenClaim(Command):
    claim_id: str
    session: str  # a meeting id, or a group event id for the caller's registration
    amount: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundClaim(Command):
    claim_id: str
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeClaim(Command):
    claim_id: str
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalateClaim(Command):
    claim_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DecideDispute(Command):
    claim_id: str
    accept: bool
    note: str = ""  # why: required, kept on the claim's timeline


# --- payouts (R33) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPayouts(Command):
    day: str  # 'YYYY-MM-DD', a payout day
