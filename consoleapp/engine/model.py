"""The product's records: frozen values that `evolve` swaps, never edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .building import quick_inits
from .building import renew as renew  # re-exported: every fold imports it from here
from .building import renew_from as renew_from
from .enums import Answer as Answer  # the enums, compiled in enums.py; imported from here
from .enums import ClaimStatus as ClaimStatus
from .enums import DeclineReason as DeclineReason
from .enums import GroupEventStatus as GroupEventStatus
from .enums import MeetingKind as MeetingKind
from .enums import MeetingStatus as MeetingStatus
from .enums import Mode as Mode
from .enums import OfferKind as OfferKind
from .enums import Outcome as Outcome
from .enums import Party as Party
from .enums import PaymentStatus as PaymentStatus
from .enums import PromoKind as PromoKind
from .enums import Role as Role
from .records import Alternative as Alternative  # native classes (records.py); imported from here
from .records import Discount as Discount
from .records import LiveSession as LiveSession
from .records import Meeting as Meeting

SYSTEM = "system"  # the actor id of scheduler-issued commands


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    role: Role
    name: str
    email: str
    closed: bool = False
    time_zone: str = "UTC"  # shown to the other side of a meeting (an expert sees the customer's)


@dataclass(frozen=True, slots=True)
class ExpertProfile:
    """R2."""

    expert: str
    name: str = ""
    specialty: str = ""
    photo: str = ""
    time_zone: str = "UTC"
    slug: str = ""
    room_url: str = ""  # R17 with the `personal` video provider: the expert's own meeting link


@dataclass(frozen=True, slots=True)
class PayoutProfile:
    """R5. Incomplete means no payout."""

    expert: str
    legal_name: str = ""
    billing_address: str = ""
    tax_id: str = ""
    bank_account: str = ""  # an IBAN, compact
    bic: str = ""  # optional: SEPA transfers find the bank from the IBAN

    def missing(self) -> tuple[str, ...]:
        labels = {
            "legal_name": "legal name",
            "billing_address": "billing address",
            "tax_id": "tax id",
            "bank_account": "bank account",
        }
        return tuple(label for name, label in labels.items() if not getattr(self, name).strip())


@dataclass(frozen=True, slots=True)
class Offer:
    """One priced product: a per-minute rate, or a package of fixed minutes (R3)."""

    mode: Mode
    kind: OfferKind
    price: int  # credits per minute, or per package; 0 disables it
    minutes: int = 0  # package length; 0 for per-minute


@dataclass(frozen=True, slots=True)
class Slot:
    """R4: an availability window with, optionally, offers of its own."""

    id: str
    expert: str
    start: datetime
    end: datetime
    offers: tuple[Offer, ...] = ()


@dataclass(frozen=True, slots=True)
class PromoCode:
    """An operator's promo code (see `promos.py` for the rules)."""

    code: str  # upper case; customers may type it in any case
    kind: PromoKind
    value: int  # percent 1..100, or credits
    valid_from: datetime
    valid_until: datetime  # the first moment it no longer applies
    max_uses: int = 0  # in total, 0: unlimited
    max_per_customer: int = 1  # 0: unlimited
    expert: str = ""  # only this expert's sessions, when set
    active: bool = True
    ended_at: datetime | None = None  # when an operator ended it
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def terms(self) -> Discount:
        return Discount(self.code, self.kind, self.value)


@dataclass(frozen=True, slots=True)
class Registration:
    customer: str
    hold: str
    charged: int = 0
    refunded: int = 0
    cancelled: bool = False
    joined_at: datetime | None = None  # when the participant first opened the event (R18)


@dataclass(frozen=True, slots=True)
class GroupEvent:
    """R28: fixed price, min/max participants, the expert's presence decides."""

    id: str
    expert: str
    title: str
    start: datetime
    end: datetime
    price: int
    min_participants: int
    max_participants: int
    status: GroupEventStatus = GroupEventStatus.OPEN
    registrations: tuple[Registration, ...] = ()
    presence_seconds: int = 0
    present_since: datetime | None = None
    claim_window_closed: bool = False

    def registration(self, customer: str) -> Registration | None:
        for r in self.registrations:
            if r.customer == customer and not r.cancelled:
                return r
        return None

    def active(self) -> tuple[Registration, ...]:
        return tuple(r for r in self.registrations if not r.cancelled)


@dataclass(frozen=True, slots=True)
class Claim:
    """R29-R31: a refund claim on a charged session."""

    id: str
    session: str  # a meeting id, or '<event id>/<customer id>' for an event registration
    customer: str
    expert: str
    amount: int
    reason: str
    opened_at: datetime
    status: ClaimStatus = ClaimStatus.OPEN
    refunded: int = 0
    summary: str = ""
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """R27: one public text review per customer-expert pair, editable."""

    customer: str
    expert: str
    text: str
    written_at: datetime
    edited_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MonthSummary:
    """R32: one expert's month, in credits and seconds."""

    expert: str
    month: str  # 'YYYY-MM' in the expert's time zone
    sessions: int = 0
    seconds: int = 0
    gross: int = 0
    commission: int = 0
    refunds: int = 0
    claims: int = 0
    net: int = 0


@dataclass(frozen=True, slots=True)
class Payout:
    """R33: one payout to one expert, with the transfers it sums."""

    id: str
    expert: str
    day: str  # 'YYYY-MM-DD'
    amount: int
    made_at: datetime
    transfer_ids: tuple[str, ...] = ()


quick_inits(globals())  # every record's __init__, quicker (see building.quick_inits)
