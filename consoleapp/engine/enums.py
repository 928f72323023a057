"""The engine's named values: every enum its records and rules use, in one module mypyc compiles.

They live here, not beside the records in `model.py` (which stays interpreted), for speed: compiled
code reads a member of an enum defined in a compiled module as a constant, while a member of an
interpreted enum is an attribute look-up that, on Python 3.11, goes through `EnumType.__getattr__`'s
hook and allocates a bound method each time (68 ns against 6 ns; moving them here made
`bench/engine.py` a third faster). `model.py`, `events.py` and `ledger.py` re-export them: import
them from there.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    EXPERT = "expert"
    CUSTOMER = "customer"
    OPERATOR = "operator"


class Mode(StrEnum):
    VIDEO = "video"
    CHAT = "chat"
    PHONE = "phone"


class OfferKind(StrEnum):
    PER_MINUTE = "per_minute"
    SHORT = "short"
    LONG = "long"


class MeetingKind(StrEnum):
    INSTANT = "instant"  # R6
    SCHEDULED = "scheduled"  # R7: the customer proposes times
    BOOKING = "booking"  # R8: the customer books a free slot
    SUGGESTED = "suggested"  # R9: the expert suggests a meeting


class MeetingStatus(StrEnum):
    AWAITING_APPROVAL = "Awaiting approval"
    AGREED = "Agreed"
    REJECTED = "Rejected"
    CANCELLED = "Cancelled"
    EXPIRED = "Expired"
    HELD = "Held"
    SETTLED = "Settled"
    UNDER_REVIEW = "Under review"


class PaymentStatus(StrEnum):
    NONE = "None"
    BLOCKED = "Blocked"
    RETURNED = "Returned"
    REIMBURSED_CANCELLATION = "Reimbursed cancellation"
    PAID = "Paid"
    REFUNDED = "Refunded"
    PARTIALLY_REFUNDED = "Partially refunded"


class Answer(StrEnum):
    """The four evaluation answers each side may give (R22-R26)."""

    SMOOTH = "went smoothly"
    MY_FAULT = "failed because of me"
    OTHER_PARTY = "failed because of the other party"
    PLATFORM = "failed because the platform's services broke"


class Outcome(StrEnum):
    PAY = "pay"  # expert paid, price minus commission
    RETURN = "return"  # customer's hold voided
    PLATFORM_FAULT = "platform_fault"  # customer refunded, platform pays the expert half
    REVIEW = "review"  # operator decides
    SPLIT = "split"  # operator's partial payment


class DeclineReason(StrEnum):
    NOT_AVAILABLE = "not available at that time"
    OUTSIDE_EXPERTISE = "outside my expertise"
    NEEDS_MORE_DETAIL = "needs more detail"
    PRICE_OR_BUDGET = "budget too low"
    PERSONAL = "personal reasons"
    OTHER = "other"


class ClaimStatus(StrEnum):
    OPEN = "open"
    REFUNDED = "refunded"
    DISPUTED = "disputed"  # under operator review
    DISPUTE_ACCEPTED = "dispute accepted"
    DISPUTE_REJECTED = "dispute rejected"


class GroupEventStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"
    SETTLED = "settled"


class PromoKind(StrEnum):
    PERCENT = "percent"  # a percentage off the price
    CREDITS = "credits"  # a fixed number of credits off the price


class Party(StrEnum):
    """Which side of a meeting acted."""

    EXPERT = "expert"
    CUSTOMER = "customer"
    SYSTEM = "system"
    OPERATOR = "operator"


class DataKind(StrEnum):
    """A kind of data an event changes; a desktop refreshes the screens that show it."""

    MEETINGS = "meetings"
    REQUESTS = "requests"
    HISTORY = "history"
    EARNINGS = "earnings"
    CLAIMS = "claims"
    AVAILABILITY = "availability"
    OFFERS = "offers"
    PROFILE = "profile"
    NOTIFICATIONS = "notifications"


class Label(StrEnum):
    """What a person reads beside a movement in a transaction record (R32)."""

    BLOCKED = "Blocking of credits for services"
    DEDUCTION = "Deduction of credits for services"
    PAYMENT = "Payment of credits for services"
    COMMISSION = "Platform commission"
    UNBLOCKED = "Unblocking of credits"
    BONUS = "Bonus credits for verbal evaluation"
    GRANT = "Credits granted"
    BOUGHT = "Credits bought"
    REFUND = "Refund of credits for services"
    COMMISSION_REFUND = "Commission returned with a refund"
    PLATFORM_FAULT = "Platform payment for broken services"
    PAYOUT = "Payout to bank account"
    PROMO = "Promo code discount"
    PROMO_RETURNED = "Promo code discount returned"


class TransferKind(StrEnum):
    POSTED = "posted"
    PENDING = "pending"
    POST_PENDING = "post_pending"
    VOID_PENDING = "void_pending"
