"""The ledger's records: accounts, the ledger's state, what the console reads (and transfers,
which are events: `events.py`).

Kept apart from `ledger.py`, whose rules mypyc compiles: these are frozen slots dataclasses, which
stay interpreted like `model.py`. `ledger.py` re-exports every name; import them from there, as before.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field

from .building import quick_inits
from .enums import Label as Label  # re-exported, with TransferKind, as before
from .enums import TransferKind as TransferKind
from .events import Transfer as Transfer  # an event, compiled with them (see events.py)
from .records import Account as Account  # a compiled native class (see records.py)


@dataclass(slots=True)
class Ledger:
    accounts: MutableMapping[str, Account] = field(default_factory=dict)  # a mapping: a store lets customers' go
    transfers: MutableMapping[str, Transfer] = field(default_factory=dict)  # a mapping: see World.meetings
    resolved: MutableMapping[str, str] = field(default_factory=dict)  # pending id -> post/void id

    def account(self, account_id: str) -> Account:
        return self.accounts.get(account_id) or Account(account_id)

    def is_open(self, pending_id: str) -> bool:
        t = self.transfers.get(pending_id)
        return t is not None and t.kind is TransferKind.PENDING and pending_id not in self.resolved

    def copy(self) -> Ledger:
        return Ledger(dict(self.accounts), dict(self.transfers), dict(self.resolved))


@dataclass(frozen=True, slots=True)
class Invariant:
    """One of the ledger's invariants, checked: `broken` lists what breaks it, in words."""

    name: str
    broken: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.broken


@dataclass(frozen=True, slots=True)
class PlatformMonth:
    """One month (UTC) of the platform's own accounts, in credits."""

    month: str  # 'YYYY-MM'
    commission: int  # commission earned, less commission given back with refunds
    platform_paid: int  # the platform's own funds paid out: R24's share of a broken meeting, review bonuses, promo codes
    deposited: int  # credits that entered: operators' grants and credits customers bought
    paid_out: int  # credits that left to experts' bank accounts (R33)
    held: int  # escrow's open holds at the month's end


quick_inits(globals())  # every record's __init__, quicker (see building.quick_inits)

