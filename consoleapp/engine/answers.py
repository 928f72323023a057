"""The engine's answers to queries: small frozen records the rule modules return.

Each is defined here rather than beside the query that builds it (that module re-exports it
under the same name) because mypyc compiles those modules, and a compiled dataclass keeps no
field type that is not a single class (`datetime | None` becomes `type`), while the store's
codec, with which the server answers, reads the fields' types. Interpreted, like the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .building import quick_inits
from .ledger_records import Label
from .model import Answer, Party, Payout, Slot

Span = tuple[datetime, datetime]  # a stretch of time: (start, end)


# --- availability.py --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A slot that still has free time, with the free stretches inside it (from `now` on)."""

    slot: Slot
    free: tuple[Span, ...]


# --- changes.py -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CancellationTerms:
    """What cancelling now would cost (R13): shown to the customer before they confirm."""

    late: bool
    fee: int
    returned: int
    expert_share: int
    commission: int
    deadline: datetime | None  # the last moment a cancel is free
    discount: int = 0  # a promo code's part of the fee, paid by the platform; `fee` is the customer's


# --- claims.py --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Charge:
    """What a customer paid for one session, and what has come back since."""

    session: str
    expert: str
    ended: datetime
    charged: int
    refunded: int


@dataclass(frozen=True)
class ClaimChance:
    """What the customer may still claim on a session (R29): up to `left` credits, until `closes`."""

    closes: datetime
    left: int
    open: bool  # the window is still open now


# --- evidence.py ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    meeting: str
    start: datetime | None
    end: datetime | None
    expert_attended: datetime | None
    customer_attended: datetime | None
    session_started: datetime | None
    connected_seconds: int | None
    paused: int  # how often the connection dropped
    chat_by_expert: int
    chat_by_customer: int
    attachments: int
    expert_answer: Answer | None
    customer_answer: Answer | None
    claim_summary: str
    timeline: tuple[tuple[datetime, str, str], ...]  # (time, actor, what happened)
    # For a person reading the case: when the connection was up (R19's count), what was said
    # and shared, when each side evaluated, why the claim was opened, who decided and why.
    connected: tuple[tuple[datetime, datetime | None], ...] = ()  # (from, until; None: never closed)
    chat: tuple[tuple[datetime, Party, str], ...] = ()
    files: tuple[tuple[datetime, Party, str, str, int], ...] = ()  # (time, by, name, attachment id, bytes)
    evaluations: tuple[tuple[datetime, Party, Answer], ...] = ()
    claim_reason: str = ""
    decision: tuple[datetime, str, str, str] | None = None  # (time, operator, what, note)


# --- payouts.py -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedPayout:
    """One expert with earnings in a payout run: paid when `reason` is empty, else left out."""

    expert: str
    balance: int
    reason: str


# --- payouts.py -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    transfer_id: str
    at: datetime
    label: str
    ref: str
    amount: int  # signed, from the expert's point of view
    customer: str = ""  # the name of the customer the movement came from or went to, if one


@dataclass(frozen=True, slots=True)
class Statement:
    payout: Payout
    expert_name: str
    lines: tuple[StatementLine, ...]

    @property
    def opening(self) -> int:
        """Balance brought forward from before the first line (a debt from a lost dispute, say)."""
        return self.payout.amount - sum(x.amount for x in self.lines if x.label != Label.PAYOUT.value)


# --- requests.py ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinWindow:
    """R17: when a meeting's video links work: from `opens` to `closes`, both included."""

    opens: datetime
    closes: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens <= now <= self.closes

    def is_over(self, now: datetime) -> bool:
        return now > self.closes


quick_inits(globals())
