"""A double-entry ledger with two-phase transfers, after TigerBeetle.

Accounts keep four running sums (debits/credits, pending/posted). A hold is a *pending*
transfer from the customer's wallet into escrow; settlement *posts* it, fully or in part
(the rest is released), and linked legs forward what escrow received to the expert and the
platform in the same batch; cancellation *voids* it. Transfers are immutable and their ids
are unique; a mistake is fixed by a correcting transfer, never by an edit.

Rounding: a commission is rounded down, so the remainder of an uneven split goes to the
expert; a percentage fee charged to a customer is rounded down too, in the customer's favour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from .errors import INSUFFICIENT_CREDITS, LEDGER, DomainError
from .events import EARNINGS_DATA, DataKind, Event

if TYPE_CHECKING:
    from .world import World

ESCROW = "escrow"
COMMISSION = "commission"
PLATFORM = "platform"  # the platform's own funds: review bonuses, its 50 % of a broken meeting
DEPOSITS = "deposits"  # credits entering from outside by an operator's grant
PAYMENTS = "payments"  # credits customers bought (bank transfer, card): money received for them
PAYOUTS = "payouts"  # credits leaving to experts' bank accounts


def wallet(customer: str) -> str:
    return f"customer:{customer}"


def earnings(expert: str) -> str:
    return f"expert:{expert}"


def _guarded(account: str) -> bool:
    """Accounts whose debits may never exceed their credits (TigerBeetle's flag of that name).

    Experts' earnings are not guarded: a lost dispute may take them below zero, and the
    debt is carried into the next payout (R11).
    """
    return account.startswith("customer:") or account in (ESCROW, COMMISSION)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer(Event):
    """One movement. An event too, so the ledger is a fold of the log like everything else."""

    id: str
    debit: str
    credit: str
    amount: int
    kind: TransferKind = TransferKind.POSTED
    pending_id: str = ""
    label: Label
    title: ClassVar[str] = "Credits moved"
    changes: ClassVar[frozenset[DataKind]] = EARNINGS_DATA

    def describe(self) -> str:
        return f"{self.label.value}: {self.amount} credits"


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0

    @property
    def balance(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What the owner may still spend: posted balance less what holds keep back."""
        return self.credits_posted - self.debits_posted - self.debits_pending


@dataclass(slots=True)
class Ledger:
    accounts: dict[str, Account] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)  # pending id -> post/void id

    def account(self, account_id: str) -> Account:
        return self.accounts.get(account_id) or Account(account_id)

    def is_open(self, pending_id: str) -> bool:
        t = self.transfers.get(pending_id)
        return t is not None and t.kind is TransferKind.PENDING and pending_id not in self.resolved

    def copy(self) -> Ledger:
        return Ledger(dict(self.accounts), dict(self.transfers), dict(self.resolved))


def split(amount: int, percent: int) -> tuple[int, int]:
    """(expert share, commission) of `amount`; the commission is rounded down."""
    commission = amount * percent // 100
    return amount - commission, commission


def fee(amount: int, percent: int) -> int:
    """A percentage charged to a customer, rounded down in the customer's favour."""
    return amount * percent // 100


def _moved(acc: Account, t: Transfer, debit: bool, pending_amount: int) -> Account:
    a = t.amount
    kind = t.kind
    if kind is TransferKind.POSTED:
        if debit:
            return Account(acc.id, acc.debits_pending, acc.debits_posted + a, acc.credits_pending, acc.credits_posted)
        return Account(acc.id, acc.debits_pending, acc.debits_posted, acc.credits_pending, acc.credits_posted + a)
    if kind is TransferKind.PENDING:
        if debit:
            return Account(acc.id, acc.debits_pending + a, acc.debits_posted, acc.credits_pending, acc.credits_posted)
        return Account(acc.id, acc.debits_pending, acc.debits_posted, acc.credits_pending + a, acc.credits_posted)
    if kind is TransferKind.POST_PENDING:
        if debit:
            return Account(acc.id, acc.debits_pending - pending_amount, acc.debits_posted + a,
                           acc.credits_pending, acc.credits_posted)
        return Account(acc.id, acc.debits_pending, acc.debits_posted,
                       acc.credits_pending - pending_amount, acc.credits_posted + a)
    if debit:  # VOID_PENDING
        return Account(acc.id, acc.debits_pending - pending_amount, acc.debits_posted, acc.credits_pending,
                       acc.credits_posted)
    return Account(acc.id, acc.debits_pending, acc.debits_posted, acc.credits_pending - pending_amount,
                   acc.credits_posted)


def check(ledger: Ledger, batch: Sequence[Transfer]) -> None:
    """Refuse the whole linked batch unless every transfer in it may be applied, in order."""
    scratch: dict[str, Account] = {}
    seen: set[str] = set()
    resolving: set[str] = set()
    for t in batch:
        if t.id in seen or t.id in ledger.transfers:
            raise DomainError(LEDGER, f"transfer {t.id} was already recorded")
        seen.add(t.id)
        if t.debit == t.credit:
            raise DomainError(LEDGER, f"transfer {t.id} debits and credits the same account")
        pending_amount = 0
        if t.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
            p = ledger.transfers.get(t.pending_id)
            if p is None or p.kind is not TransferKind.PENDING:
                raise DomainError(LEDGER, f"no pending transfer {t.pending_id} to resolve")
            if t.pending_id in ledger.resolved or t.pending_id in resolving:
                raise DomainError(LEDGER, f"hold {t.pending_id} was already resolved")
            if (p.debit, p.credit) != (t.debit, t.credit):
                raise DomainError(LEDGER, f"transfer {t.id} does not match hold {p.id}")
            if t.kind is TransferKind.POST_PENDING and not 0 < t.amount <= p.amount:
                raise DomainError(LEDGER, f"cannot post {t.amount} of a {p.amount} credit hold")
            if t.kind is TransferKind.VOID_PENDING and t.amount != p.amount:
                raise DomainError(LEDGER, f"a void releases the whole hold of {p.amount}")
            resolving.add(t.pending_id)
            pending_amount = p.amount
        elif t.amount <= 0:
            raise DomainError(LEDGER, f"transfer {t.id} must move a positive amount")
        for account_id, debit in ((t.debit, True), (t.credit, False)):
            if not _guarded(account_id):
                continue  # nothing to check, and `scratch` is only read for guarded accounts
            acc = _moved(scratch.get(account_id) or ledger.account(account_id), t, debit, pending_amount)
            scratch[account_id] = acc
            if acc.debits_posted + acc.debits_pending > acc.credits_posted:
                if account_id.startswith("customer:"):
                    before = ledger.account(account_id).available
                    raise DomainError(
                        INSUFFICIENT_CREDITS,
                        f"not enough credits: {max(before, 0)} available, {t.amount} needed",
                    )
                raise DomainError(LEDGER, f"transfer {t.id} would overdraw {account_id}")


def apply(ledger: Ledger, t: Transfer) -> None:
    pending_amount = 0
    if t.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
        pending_amount = ledger.transfers[t.pending_id].amount
        ledger.resolved[t.pending_id] = t.id
    ledger.accounts[t.debit] = _moved(ledger.account(t.debit), t, True, pending_amount)
    ledger.accounts[t.credit] = _moved(ledger.account(t.credit), t, False, pending_amount)
    ledger.transfers[t.id] = t


def fold_transfer(w: World, t: Transfer) -> None:
    """The fold of every transfer: the ledger, and the expert's transfers since their last payout.

    `world.py` registers it (the world is built on the ledger, so this module cannot import it)."""
    apply(w.ledger, t)
    for account in (t.debit, t.credit):
        if account.startswith("expert:"):
            w.unpaid_of.setdefault(account[len("expert:"):], []).append(t.id)


@dataclass(frozen=True, slots=True)
class Invariant:
    """One of the ledger's invariants, checked: `broken` lists what breaks it, in words."""

    name: str
    broken: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.broken


def invariants(ledger: Ledger) -> list[Invariant]:
    """Every invariant of the ledger, each with what breaks it (the operators' console shows them live)."""
    accounts = ledger.accounts.values()
    balanced = []
    if sum(a.debits_posted for a in accounts) != sum(a.credits_posted for a in accounts):
        balanced.append("posted debits differ from posted credits")
    if sum(a.debits_pending for a in accounts) != sum(a.credits_pending for a in accounts):
        balanced.append("pending debits differ from pending credits")
    overdrawn = []
    for a in accounts:
        if _guarded(a.id) and a.debits_posted + a.debits_pending > a.credits_posted:
            overdrawn.append(f"{a.id} is overdrawn")
        if min(a.debits_pending, a.credits_pending) < 0:
            overdrawn.append(f"{a.id} has negative pending amounts")
    escrow = []
    if ledger.account(ESCROW).balance != 0:
        escrow.append("escrow kept posted credits instead of forwarding them")
    open_holds = sum(
        t.amount for t in ledger.transfers.values()
        if t.kind is TransferKind.PENDING and t.id not in ledger.resolved
    )
    if open_holds != ledger.account(ESCROW).credits_pending:
        escrow.append("escrow's pending credits differ from the open holds")
    resolutions = [
        t.pending_id for t in ledger.transfers.values()
        if t.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING)
    ]
    once = [] if len(resolutions) == len(set(resolutions)) else ["a hold was resolved more than once"]
    return [
        Invariant("Debits equal credits, posted and pending", tuple(balanced)),
        Invariant("No customer, escrow or commission account below zero", tuple(overdrawn)),
        Invariant("Escrow holds exactly the open holds", tuple(escrow)),
        Invariant("Every hold is posted or voided at most once", tuple(once)),
    ]


def violations(ledger: Ledger) -> list[str]:
    """Every broken invariant, in words; empty when the ledger is sound."""
    return [problem for check in invariants(ledger) for problem in check.broken]


# --- builders: the shapes of movement the rules use -----------------------------------------


def hold(tid: str, customer: str, amount: int, ref: str, at: datetime, actor: str) -> Transfer:
    return Transfer(
        ref=ref, at=at, actor=actor, id=tid, debit=wallet(customer), credit=ESCROW,
        amount=amount, kind=TransferKind.PENDING, label=Label.BLOCKED,
    )


def void(pending: Transfer, at: datetime, actor: str) -> Transfer:
    return Transfer(
        ref=pending.ref, at=at, actor=actor, id=f"{pending.id}:void", debit=pending.debit,
        credit=pending.credit, amount=pending.amount, kind=TransferKind.VOID_PENDING,
        pending_id=pending.id, label=Label.UNBLOCKED,
    )


def post_split(
    pending: Transfer, amount: int, expert: str, percent: int, at: datetime, actor: str
) -> list[Transfer]:
    """Post `amount` of a hold (the rest is released) and forward it: expert share, commission."""
    return post_parts([(pending, amount)], expert, percent, at, actor)


def post_parts(
    parts: Sequence[tuple[Transfer, int]], expert: str, percent: int, at: datetime, actor: str
) -> list[Transfer]:
    """Post part of each of a meeting's holds (0: void it) and forward their sum in one split.

    A promo code makes two holds for one price (the customer's and the platform's); the expert
    share and the commission are those of the whole amount, so a code changes neither. The
    forwarding legs are named after the first hold, as `post_split` names them.
    """
    legs: list[Transfer] = []
    for pending, amount in parts:
        if not amount:
            legs.append(void(pending, at, actor))
            continue
        legs.append(Transfer(
            ref=pending.ref, at=at, actor=actor, id=f"{pending.id}:post", debit=pending.debit,
            credit=pending.credit, amount=amount, kind=TransferKind.POST_PENDING, pending_id=pending.id,
            label=Label.PROMO if pending.debit == PLATFORM else Label.DEDUCTION,
        ))
    total = sum(amount for _, amount in parts)
    share, commission = split(total, percent)
    first = parts[0][0]
    if share:
        legs.append(Transfer(
            ref=first.ref, at=at, actor=actor, id=f"{first.id}:expert", debit=ESCROW,
            credit=earnings(expert), amount=share, label=Label.PAYMENT,
        ))
    if commission:
        legs.append(Transfer(
            ref=first.ref, at=at, actor=actor, id=f"{first.id}:commission", debit=ESCROW,
            credit=COMMISSION, amount=commission, label=Label.COMMISSION,
        ))
    return legs


def posted(
    tid: str, debit: str, credit: str, amount: int, label: Label, ref: str, at: datetime, actor: str
) -> Transfer:
    return Transfer(
        ref=ref, at=at, actor=actor, id=tid, debit=debit, credit=credit, amount=amount, label=label
    )


def movements(ledger: Ledger, account_id: str) -> Iterable[Transfer]:
    """The transfers that touched one account, in the order they were recorded."""
    return (t for t in ledger.transfers.values() if account_id in (t.debit, t.credit))


# --- the platform's own accounts, month by month (the operators' console) ------------------------


@dataclass(frozen=True, slots=True)
class PlatformMonth:
    """One month (UTC) of the platform's own accounts, in credits."""

    month: str  # 'YYYY-MM'
    commission: int  # commission earned, less commission given back with refunds
    platform_paid: int  # the platform's own funds paid out: R24's share of a broken meeting, review bonuses, promo codes
    deposited: int  # credits that entered: operators' grants and credits customers bought
    paid_out: int  # credits that left to experts' bank accounts (R33)
    held: int  # escrow's open holds at the month's end


_INCOMING = (DEPOSITS, PAYMENTS)  # where credits enter from outside the ledger


def platform_months(transfers: Iterable[Transfer]) -> list[PlatformMonth]:
    """Every month with a movement, oldest first, folded from every transfer in log order.

    Given an iterable, not the ledger: a store keeps only the open business in memory and
    streams the whole history from its `transfers` table."""
    sums: dict[str, dict[str, int]] = {}
    held = 0
    pending: dict[str, int] = {}  # open holds' amounts, until resolved
    for t in transfers:
        month = t.at.strftime("%Y-%m")
        row = sums.setdefault(month, {"commission": 0, "platform_paid": 0, "deposited": 0, "paid_out": 0, "held": 0})
        if t.kind is TransferKind.PENDING:
            held += t.amount
            pending[t.id] = t.amount
        elif t.kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
            held -= pending.pop(t.pending_id, 0)
        if t.kind is not TransferKind.PENDING and t.kind is not TransferKind.VOID_PENDING:
            row["commission"] += t.amount * ((t.credit == COMMISSION) - (t.debit == COMMISSION))
            row["platform_paid"] += t.amount * ((t.debit == PLATFORM) - (t.credit == PLATFORM))
            row["deposited"] += t.amount * ((t.debit in _INCOMING) - (t.credit in _INCOMING))
            row["paid_out"] += t.amount * ((t.credit == PAYOUTS) - (t.debit == PAYOUTS))
        row["held"] = held
    return [PlatformMonth(month, **values) for month, values in sorted(sums.items())]
