"""Promo codes: operators create them, a customer gives one when a hold is made, the platform pays.

The rules, by the names the tests cite (`test_promo_...`):

- **create** — operators only. A code is 3 to 32 letters, digits and dashes, kept in upper case and
  matched in any case; codes are unique for ever (an ended code is never reused, so an old code never
  changes meaning). Percent 1..100 or a positive number of credits; `valid_from` < `valid_until`
  (the first moment it no longer applies); `max_uses` in total and `max_per_customer` (0: unlimited);
  optionally one expert. `EndPromoCode` stops new uses; holds already made keep their discount.
- **valid** — checked at `now` when the hold is made (R6 instant, R7 scheduled, R8 booking, R9
  confirming a suggestion): not ended, inside its dates, uses and the customer's uses left, the right
  expert. A refusal (code `promo_refused`) says what is wrong and nothing is held.
- **amount** — a percent is taken off the price and rounded down (the platform funds the discount,
  and a percentage the platform pays rounds down like the commission it takes); credits come off
  whole; the discount never exceeds the price. For a per-minute instant request the price held is
  the budget, so the code's discount is held on the budget, and what is charged at the end follows
  the charge rule below.
- **money** — the customer's hold is the price less the discount (R11 checks only that); the
  platform holds the discount beside it (`platform` → escrow, "Promo code discount", hold id
  `<meeting>:promo<n>`). When the code covers the whole price there is no customer hold, and the
  platform's hold is the meeting's hold.
- **charge** — whatever is charged (the price R22, a late-cancel fee R13, a per-minute bill R20, a
  split R25) is charged in full-price terms: the expert share and the commission are exactly those
  without a code. The code's part of a charge is its discount *on that charge* (a percent of it,
  rounded down; credits up to it), never more than the platform held; the customer pays the rest.
  So a late fee costs the customer the code's percent less, and a credits code on a short
  per-minute session still takes its credits off the bill: fairest to the customer, and what a
  customer reads "20 % off" or "10 credits off" to mean.
- **void** — a free cancel (R12, R14), an expiry or a decline (R6-R8), a returned settlement (R23,
  R24) void both holds.
- **refund** — claims (R29, R30) count what the customer paid (charged less the code's part). The
  platform's part comes back in proportion, rounded down, on running totals, so a full refund
  returns exactly what each source gave; the expert's earnings and the commission give back the
  whole (customer's and platform's) in proportion on running totals, as without a code.
- **use** — a use counts when the hold is made and is given back when the code's hold is voided with
  nothing of it charged (cancelled free, expired, declined, returned, or a charge so small that the
  code's part rounds to 0): the customer got nothing from the code. A charge the code paid part of
  keeps it. A new hold after a rejection (R15, R16) is at the full price: the use was given back
  with the rejection.
- **groups** — codes do not apply to group-event registrations (R28): one price for every
  participant, settled all at once, and the codes are for one-to-one sessions, optionally one
  expert's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from . import commands as c
from . import events as e
from .common import aware, operator, person
from .errors import (
    ALREADY_EXISTS,
    INVALID,
    NOT_FOUND,
    PROMO_REFUSED,
    WRONG_STATE,
    DomainError,
    when,
)
from .ledger import ESCROW, PLATFORM, Label, Transfer, TransferKind, post_parts, void
from .model import Discount, Meeting, PromoCode, PromoKind, Role, renew
from .policy import Policy
from .world import World, decides, folds

_CODE = re.compile(r"[A-Z0-9-]{3,32}")


def normal(code: str) -> str:
    """The code as stored: customers may type it in any case, with spaces around."""
    return code.strip().upper()


def discount_on(terms: Discount, amount: int) -> int:
    """The code's part of `amount`: a percent rounded down (the platform pays it), credits up to it."""
    if terms.kind is PromoKind.PERCENT:
        return amount * terms.value // 100
    return min(terms.value, amount)


# --- operators ---------------------------------------------------------------------------------


def _count(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError(INVALID, f"{what} must be a whole number, 0 for no limit; got {value!r}")
    return value


@decides(c.CreatePromoCode)
def create_promo_code(w: World, cmd: c.CreatePromoCode, now: datetime, p: Policy) -> list[e.Event]:
    operator(w, cmd.actor)
    code = normal(cmd.code)
    if not _CODE.fullmatch(code):
        raise DomainError(INVALID, "a promo code is 3 to 32 letters, digits and dashes, like SPRING-25")
    if code in w.promos:
        raise DomainError(ALREADY_EXISTS, f"promo code {code} already exists; choose another code")
    try:
        kind = PromoKind(cmd.kind)
    except ValueError:
        raise DomainError(INVALID, "the kind of discount is 'percent' or 'credits'") from None
    value = cmd.value
    if not isinstance(value, int) or isinstance(value, bool):
        raise DomainError(INVALID, f"the value must be a whole number, got {value!r}")
    if kind is PromoKind.PERCENT and not 1 <= value <= 100:
        raise DomainError(INVALID, f"a percentage must be 1 to 100, not {value}")
    if kind is PromoKind.CREDITS and value <= 0:
        raise DomainError(INVALID, f"a credits discount must be a positive number of credits, not {value}")
    # kept in UTC, as every refusal names its moments
    start, until = aware(cmd.valid_from, "the first day").astimezone(UTC), aware(cmd.valid_until, "the end").astimezone(UTC)
    if until <= start:
        raise DomainError(INVALID, f"the code must end after it starts: {when(until)} is not after {when(start)}")
    if until <= now:
        raise DomainError(INVALID, f"the end {when(until)} has already passed")
    max_uses = _count(cmd.max_uses, "the number of uses")
    per_customer = _count(cmd.max_per_customer, "the uses per customer")
    if cmd.expert:
        person(w, cmd.expert, Role.EXPERT)
    promo = PromoCode(code=code, kind=kind, value=value, valid_from=start, valid_until=until, max_uses=max_uses,
                      max_per_customer=per_customer, expert=cmd.expert, created_by=cmd.actor, created_at=now)
    return [e.PromoCodeCreated(ref=f"promo:{code}", at=now, actor=cmd.actor, promo=promo)]


@decides(c.EndPromoCode)
def end_promo_code(w: World, cmd: c.EndPromoCode, now: datetime, p: Policy) -> list[e.Event]:
    operator(w, cmd.actor)
    promo = w.promos.get(normal(cmd.code))
    if promo is None:
        raise DomainError(NOT_FOUND, f"no promo code {normal(cmd.code)!r}")
    if not promo.active:
        assert promo.ended_at is not None
        raise DomainError(WRONG_STATE, f"promo code {promo.code} already ended on {when(promo.ended_at)}")
    return [e.PromoCodeEnded(ref=f"promo:{promo.code}", at=now, actor=cmd.actor)]


@folds(e.PromoCodeCreated)
def _created(w: World, ev: e.PromoCodeCreated) -> None:
    w.promos[ev.promo.code] = ev.promo


@folds(e.PromoCodeEnded)
def _ended(w: World, ev: e.PromoCodeEnded) -> None:
    code = ev.ref.removeprefix("promo:")
    w.promos[code] = renew(w.promos[code], active=False, ended_at=ev.at)


# --- customers ---------------------------------------------------------------------------------


def usable(w: World, code: str, customer: str, expert: str, now: datetime) -> PromoCode:
    """The code if this customer may use it now on this expert's session, else why not."""
    promo = w.promos.get(normal(code))
    if promo is None:
        raise DomainError(PROMO_REFUSED, f"there is no promo code {normal(code)!r}; check its spelling")
    if not promo.active:
        assert promo.ended_at is not None
        raise DomainError(PROMO_REFUSED, f"this code ended on {when(promo.ended_at)}")
    if now < promo.valid_from:
        raise DomainError(PROMO_REFUSED, f"this code can be used from {when(promo.valid_from)}")
    if now >= promo.valid_until:
        raise DomainError(PROMO_REFUSED, f"this code ended on {when(promo.valid_until)}")
    if promo.expert and promo.expert != expert:
        who = w.people.get(promo.expert)
        raise DomainError(PROMO_REFUSED, f"this code is for sessions with {who.name if who else promo.expert} only")
    if promo.max_uses and w.promo_uses.get(promo.code, 0) >= promo.max_uses:
        raise DomainError(PROMO_REFUSED, f"this code has been used all {promo.max_uses} times it could be")
    used = w.promo_uses_by.get((promo.code, customer), 0)
    if promo.max_per_customer and used >= promo.max_per_customer:
        times = "" if promo.max_per_customer == 1 else f" {used} times, its limit per customer"
        raise DomainError(PROMO_REFUSED, f"you have already used this code{times}")
    return promo


def quote(w: World, code: str, customer: str, expert: str, price: int, now: datetime) -> int:
    """The discount a code would give on `price` now (what the booking form's preview shows)."""
    return discount_on(usable(w, code, customer, expert, now).terms, price)


def hold_with_code(
    w: World, mid: str, customer: str, expert: str, price: int, n: int, code: str, now: datetime, actor: str
) -> list[e.Event]:
    """The holds for `price`: the customer's (R11) and, with a code, the platform's for the discount."""
    terms = usable(w, code, customer, expert, now).terms if code.strip() else None
    discount = discount_on(terms, price) if terms is not None else 0
    paid = price - discount
    out: list[e.Event] = []
    own = f"{mid}:hold{n}"
    if paid:
        out.append(Transfer(ref=mid, at=now, actor=actor, id=own, debit=f"customer:{customer}", credit=ESCROW,
                                amount=paid, kind=TransferKind.PENDING, label=Label.BLOCKED))
    if terms is None or not discount:
        return [*out, e.CreditsBlocked(ref=mid, at=now, actor=actor, hold=own, amount=paid)]
    platform = f"{mid}:promo{n}"
    out += [
        Transfer(ref=mid, at=now, actor=actor, id=platform, debit=PLATFORM, credit=ESCROW, amount=discount,
                     kind=TransferKind.PENDING, label=Label.PROMO),
        e.CreditsBlocked(ref=mid, at=now, actor=actor, hold=own if paid else platform, amount=paid),
        e.PromoApplied(ref=mid, at=now, actor=actor, code=terms.code, kind=terms.kind, value=terms.value,
                       customer=customer, discount=discount, hold=platform),
    ]
    return out


@folds(e.PromoApplied)
def _applied(w: World, ev: e.PromoApplied) -> None:
    from .meetings import (
        put,  # meetings imports nothing of ours; late to keep the import graph flat
    )

    m = w.meetings[ev.ref]
    put(w, renew(m, promo=Discount(ev.code, ev.kind, ev.value), promo_hold=ev.hold, promo_discount=ev.discount))
    count_use(w, ev.code, ev.customer, 1)


@folds(e.PromoReleased)
def _released(w: World, ev: e.PromoReleased) -> None:
    from .meetings import put

    put(w, renew(w.meetings[ev.ref], promo=None, promo_hold="", promo_discount=0))
    count_use(w, ev.code, ev.customer, -1)


def count_use(w: World, code: str, customer: str, delta: int) -> None:
    """The uses of a code, in all and by one customer (the store also rebuilds them with this)."""
    w.promo_uses[code] = w.promo_uses.get(code, 0) + delta
    w.promo_uses_by[(code, customer)] = w.promo_uses_by.get((code, customer), 0) + delta


# --- the meeting's money -----------------------------------------------------------------------


def open_holds(w: World, m: Meeting) -> list[Transfer]:
    """The meeting's open holds, the customer's first (an expert's desktop sees none of them)."""
    # Settling asks this five times per meeting, so no generator, dict or sort for two ids:
    # the same list as ordering the open ones of (hold, promo_hold) with the platform's last.
    # (`Ledger.is_open` inlined: a call into the interpreted records costs more than the test.)
    transfers, resolved = w.ledger.transfers, w.ledger.resolved
    own = transfers.get(m.hold) if m.hold else None
    found = [own] if own is not None and own.kind is TransferKind.PENDING and m.hold not in resolved else []
    promo = m.promo_hold
    t = transfers.get(promo) if promo and promo != m.hold else None
    if t is not None and t.kind is TransferKind.PENDING and promo not in resolved:
        if found and found[0].debit == PLATFORM and t.debit != PLATFORM:
            found.insert(0, t)
        else:
            found.append(t)
    return found


def customer_held(w: World, m: Meeting) -> int:
    """What the customer has blocked for the meeting now."""
    return sum(t.amount for t in open_holds(w, m) if t.debit != PLATFORM)


def code_part(w: World, m: Meeting, amount: int) -> int:
    """The code's part of charging `amount` of the price: its discount on it, at most what it holds."""
    held = sum(t.amount for t in open_holds(w, m) if t.debit == PLATFORM)
    if not held or m.promo is None:
        return 0
    return min(discount_on(m.promo, amount), held)


def charge(w: World, m: Meeting, amount: int, percent: int, now: datetime, actor: str) -> list[e.Event]:
    """Post `amount` of the price from the meeting's holds (0: void them) and pay expert and commission."""
    holds = open_holds(w, m)
    part = code_part(w, m, amount)
    parts = [(t, part if t.debit == PLATFORM else amount - part) for t in holds]
    out: list[e.Event] = [*post_parts(parts, m.expert, percent, now, actor)] if amount else [void(t, now, actor) for t in holds]
    if m.promo is not None and any(t.debit == PLATFORM for t in holds) and not part:
        out.append(e.PromoReleased(ref=m.id, at=now, actor=actor, code=m.promo.code, customer=m.customer))
    return out


def release(w: World, m: Meeting, now: datetime, actor: str) -> list[e.Event]:
    """Void the meeting's open holds, if any, and say so on the timeline."""
    holds = open_holds(w, m)
    if not holds:
        return []
    return [*charge(w, m, 0, 0, now, actor),
            e.PaymentReturned(ref=m.id, at=now, actor=actor, amount=customer_held(w, m))]


def refund_split(m: Meeting, refunded: int, amount: int) -> int:
    """The platform's part of a refund of `amount` to the customer, on running totals (see `refund`)."""
    paid = m.charged - m.discount
    if not m.discount or not paid:
        return 0
    return m.discount * (refunded + amount) // paid - m.discount * refunded // paid


def paid_by_customer(m: Meeting) -> int:
    """What the customer paid for the meeting: the charge less the code's part."""
    return m.charged - m.discount
