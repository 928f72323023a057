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

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import INSUFFICIENT_CREDITS, LEDGER, DomainError
from .ledger_records import Account as Account
from .ledger_records import Invariant as Invariant
from .ledger_records import Label as Label
from .ledger_records import Ledger as Ledger
from .ledger_records import PlatformMonth as PlatformMonth
from .ledger_records import Transfer as Transfer
from .ledger_records import TransferKind as TransferKind

if TYPE_CHECKING:
    from .world import World

ESCROW = "escrow"
COMMISSION = "commission"
PLATFORM = "platform"  # the platform's own funds: review bonuses, its 50 % of a broken meeting
DEPOSITS = "deposits"  # credits entering from outside by an operator's grant
PAYMENTS = "payments"  # credits customers bought (bank transfer, card): money received for them
PAYOUTS = "payouts"  # credits leaving to experts' bank accounts


_IDS: dict[str, str] = {}  # account id -> the one string of it, for each id seen lately
_IDS_KEPT = 4096


def _one(account: str) -> str:
    """The same string object for the same account id: every transfer of a customer names its
    wallet with the same object, which a dict compares by identity first and the collector
    visits as one (a new string per transfer cost memory and cache misses)."""
    found = _IDS.get(account)
    if found is None:
        if len(_IDS) >= _IDS_KEPT:
            _IDS.clear()
        found = _IDS[account] = account
    return found


def wallet(customer: str) -> str:
    return _one(f"customer:{customer}")


def earnings(expert: str) -> str:
    return _one(f"expert:{expert}")


def _guarded(account: str) -> bool:
    """Accounts whose debits may never exceed their credits (TigerBeetle's flag of that name).

    Experts' earnings are not guarded: a lost dispute may take them below zero, and the
    debt is carried into the next payout (R11).
    """
    return account.startswith("customer:") or account in (ESCROW, COMMISSION)


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
    # A guarded account is overdrawn when debits (posted and pending) exceed posted credits;
    # only that difference is followed here, as an int per account the batch touches, rather
    # than an Account record per leg (what `_moved` would give, without the allocations).
    exposure: dict[str, int] = {}
    seen: set[str] = set()
    resolving: set[str] = set()
    transfers = ledger.transfers
    for t in batch:
        if t.id in seen or t.id in transfers:
            raise DomainError(LEDGER, f"transfer {t.id} was already recorded")
        seen.add(t.id)
        if t.debit == t.credit:
            raise DomainError(LEDGER, f"transfer {t.id} debits and credits the same account")
        kind = t.kind
        a = t.amount
        if kind is TransferKind.POST_PENDING or kind is TransferKind.VOID_PENDING:
            p = transfers.get(t.pending_id)
            if p is None or p.kind is not TransferKind.PENDING:
                raise DomainError(LEDGER, f"no pending transfer {t.pending_id} to resolve")
            if t.pending_id in ledger.resolved or t.pending_id in resolving:
                raise DomainError(LEDGER, f"hold {t.pending_id} was already resolved")
            if (p.debit, p.credit) != (t.debit, t.credit):
                raise DomainError(LEDGER, f"transfer {t.id} does not match hold {p.id}")
            if kind is TransferKind.POST_PENDING and not 0 < a <= p.amount:
                raise DomainError(LEDGER, f"cannot post {a} of a {p.amount} credit hold")
            if kind is TransferKind.VOID_PENDING and a != p.amount:
                raise DomainError(LEDGER, f"a void releases the whole hold of {p.amount}")
            resolving.add(t.pending_id)
            # debit side: the hold's pending debit goes, the posted amount comes (0 for a void);
            # credit side: posted credits grow by what is posted.
            debited, credited = (a - p.amount, a) if kind is TransferKind.POST_PENDING else (-p.amount, 0)
        elif a <= 0:
            raise DomainError(LEDGER, f"transfer {t.id} must move a positive amount")
        else:  # posted or pending: the debit grows either way; only posted credits count
            debited, credited = a, (a if kind is TransferKind.POSTED else 0)
        if _guarded(t.debit) and _exposed(ledger, exposure, t.debit, debited) > 0:
            _overdrawn(ledger, t, t.debit)
        if _guarded(t.credit) and _exposed(ledger, exposure, t.credit, -credited) > 0:
            _overdrawn(ledger, t, t.credit)


def _exposed(ledger: Ledger, exposure: dict[str, int], account_id: str, change: int) -> int:
    """The account's debits (posted and pending) less its posted credits, after `change`."""
    before = exposure.get(account_id)
    if before is None:
        acc = ledger.accounts.get(account_id)
        before = 0 if acc is None else acc.debits_posted + acc.debits_pending - acc.credits_posted
    exposure[account_id] = after = before + change
    return after


def _overdrawn(ledger: Ledger, t: Transfer, account_id: str) -> None:
    if account_id.startswith("customer:"):
        before = ledger.account(account_id).available
        raise DomainError(INSUFFICIENT_CREDITS, f"not enough credits: {max(before, 0)} available, {t.amount} needed")
    raise DomainError(LEDGER, f"transfer {t.id} would overdraw {account_id}")


def apply(ledger: Ledger, t: Transfer) -> None:
    pending_amount = 0
    if t.kind is TransferKind.POST_PENDING or t.kind is TransferKind.VOID_PENDING:
        pending_amount = ledger.transfers[t.pending_id].amount
        ledger.resolved[t.pending_id] = t.id
    accounts = ledger.accounts  # `Ledger.account` inlined: this runs for every transfer folded
    accounts[t.debit] = _moved(accounts.get(t.debit) or Account(t.debit), t, True, pending_amount)
    accounts[t.credit] = _moved(accounts.get(t.credit) or Account(t.credit), t, False, pending_amount)
    ledger.transfers[t.id] = t


def fold_transfer(w: World, t: Transfer) -> None:
    """The fold of every transfer: the ledger, and the expert's transfers since their last payout.

    `world.py` registers it (the world is built on the ledger, so this module cannot import it)."""
    apply(w.ledger, t)
    for account in (t.debit, t.credit):
        if account.startswith("expert:"):
            expert = account[len("expert:"):]
            unpaid = w.unpaid_of.get(expert)
            if unpaid is None:
                unpaid = w.unpaid_of[expert] = []
            unpaid.append(t.id)


def unbalanced(accounts: list[Account]) -> list[str]:
    """What breaks double entry over `accounts`: true of the accounts of any set of whole transfers
    (a desktop's cache holds only those of its own person's transfers)."""
    broken = []
    if sum(a.debits_posted for a in accounts) != sum(a.credits_posted for a in accounts):
        broken.append("posted debits differ from posted credits")
    if sum(a.debits_pending for a in accounts) != sum(a.credits_pending for a in accounts):
        broken.append("pending debits differ from pending credits")
    return broken


def holds_differ(ledger: Ledger) -> list[str]:
    """What breaks "escrow's pending credits are the open holds" (every hold credits escrow). True
    of a store's open business, whose memory holds the open holds and escrow's row, and of an
    expert's desktop cache, which sees neither (a hold's legs are the customer's and escrow's)."""
    open_holds = sum(
        t.amount for t in ledger.transfers.values()
        if t.kind is TransferKind.PENDING and t.id not in ledger.resolved
    )
    if open_holds != ledger.account(ESCROW).credits_pending:
        return ["escrow's pending credits differ from the open holds"]
    return []


def invariants(ledger: Ledger, every_account: Iterable[Account] | None = None) -> list[Invariant]:
    """Every invariant of the ledger, each with what breaks it (the operators' console shows them live).

    `every_account`: all of the ledger's accounts, where `ledger.accounts` holds only some (a store
    keeps the customers' wallets in its table: `Store.every_account`)."""
    accounts = list(ledger.accounts.values() if every_account is None else every_account)
    balanced = unbalanced(accounts)
    overdrawn = []
    for a in accounts:
        if _guarded(a.id) and a.debits_posted + a.debits_pending > a.credits_posted:
            overdrawn.append(f"{a.id} is overdrawn")
        if min(a.debits_pending, a.credits_pending) < 0:
            overdrawn.append(f"{a.id} has negative pending amounts")
    escrow = []
    if ledger.account(ESCROW).balance != 0:
        escrow.append("escrow kept posted credits instead of forwarding them")
    escrow += holds_differ(ledger)
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


def violations(ledger: Ledger, every_account: Iterable[Account] | None = None) -> list[str]:
    """Every broken invariant, in words; empty when the ledger is sound."""
    return [problem for check in invariants(ledger, every_account) for problem in check.broken]


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


_INCOMING = (DEPOSITS, PAYMENTS)  # where credits enter from outside the ledger


def month_of(t: Transfer) -> str:
    """The month (UTC, 'YYYY-MM') whose platform figures a transfer counts in."""
    return t.at.strftime("%Y-%m")


def month_figures(t: Transfer, released: int) -> tuple[int, int, int, int, int]:
    """What one transfer adds to its month's `PlatformMonth`: commission, platform_paid,
    deposited, paid_out, and the change of escrow's open holds (not their total: a store adds
    each write's figures to its month's row, whatever else was written). `released`: the amount
    of the hold a posting or a void resolves, 0 for any other transfer."""
    kind = t.kind
    if kind is TransferKind.PENDING:
        return 0, 0, 0, 0, t.amount
    if kind is TransferKind.VOID_PENDING:
        return 0, 0, 0, 0, -released
    a, debit, credit = t.amount, t.debit, t.credit
    return (a * ((credit == COMMISSION) - (debit == COMMISSION)), a * ((debit == PLATFORM) - (credit == PLATFORM)),
            a * ((debit in _INCOMING) - (credit in _INCOMING)), a * ((credit == PAYOUTS) - (debit == PAYOUTS)),
            -released)


def month_sums(transfers: Iterable[Transfer], hold_amount: Callable[[str], int] | None = None) -> dict[str, list[int]]:
    """Each month's `month_figures` summed, from transfers in log order: every transfer, or one
    write's, given `hold_amount(id)`, the amount of a hold made before them."""
    sums: dict[str, list[int]] = {}
    pending: dict[str, int] = {}  # open holds' amounts, until resolved
    for t in transfers:
        released = 0
        if t.kind is TransferKind.PENDING:
            pending[t.id] = t.amount
        elif t.kind is TransferKind.POST_PENDING or t.kind is TransferKind.VOID_PENDING:
            if t.pending_id in pending:
                released = pending.pop(t.pending_id)
            elif hold_amount is not None:
                released = hold_amount(t.pending_id)
        row = sums.setdefault(month_of(t), [0, 0, 0, 0, 0])
        for i, value in enumerate(month_figures(t, released)):
            row[i] += value
    return sums


def months_from_sums(sums: Iterable[tuple[str, Sequence[int]]]) -> list[PlatformMonth]:
    """The months, given oldest first with their summed figures (`month_sums`, or a store's
    `platform_months` table): a month's `held` is the open holds at its end, the changes so far."""
    months: list[PlatformMonth] = []
    held = 0
    for month, (commission, platform_paid, deposited, paid_out, change) in sums:
        held += change
        months.append(PlatformMonth(month, commission, platform_paid, deposited, paid_out, held))
    return months


def platform_months(transfers: Iterable[Transfer]) -> list[PlatformMonth]:
    """Every month with a movement, oldest first, folded from every transfer in log order (a store
    keeps the sums in a table as it writes: `Store.platform_months`)."""
    return months_from_sums(sorted(month_sums(transfers).items()))
