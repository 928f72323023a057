"""Earnings (R32) and payouts with statements (R33).

Monthly summaries are folded from the settlement events as they happen, in the expert's own
time zone. A payout sends an expert's whole posted balance when it reaches the threshold and
the payout profile is complete; its statement lists every transfer since the previous payout,
so each line of it is a transfer in the ledger.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import commands as c
from . import events as e
from .answers import PlannedPayout as PlannedPayout
from .answers import Statement as Statement
from .answers import StatementLine as StatementLine
from .common import days, notice, operator
from .errors import ALREADY_EXISTS, INVALID, TOO_EARLY, DomainError
from .ledger import PAYOUTS, Label, Transfer, earnings, posted
from .model import SYSTEM, MonthSummary, Payout, PayoutProfile
from .policy import Policy
from .world import World, decides, folds


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_MONTHS: dict[int, str] = {}  # year * 12 + month - 1 -> 'YYYY-MM': formatting costs more than the look-up


def month_of(w: World, expert: str, at: datetime) -> str:
    profile = w.profiles.get(expert)
    zone = profile.time_zone if profile else "UTC"
    # The engine's times are in UTC already: converting them to the UTC zone changes nothing.
    local = at if zone == "UTC" and at.tzinfo is UTC else at.astimezone(_zone(zone))
    key = local.year * 12 + local.month - 1
    text = _MONTHS.get(key)
    if text is None:
        text = _MONTHS[key] = f"{local.year:04d}-{local.month:02d}"  # strftime("%Y-%m"), without its cost
    return text


def _add(w: World, expert: str, at: datetime, *, sessions: int = 0, seconds: int = 0, gross: int = 0,
         commission: int = 0, refunds: int = 0, claims: int = 0, net: int = 0) -> None:
    """R32: add to an expert's month (in the expert's time zone)."""
    month = month_of(w, expert, at)
    key = (expert, month)
    s = w.months.get(key) or MonthSummary(expert, month)
    w.months[key] = MonthSummary(
        expert=expert, month=month, sessions=s.sessions + sessions, seconds=s.seconds + seconds,
        gross=s.gross + gross, commission=s.commission + commission, refunds=s.refunds + refunds,
        claims=s.claims + claims, net=s.net + net)


def count_settled(w: World, ev: e.MeetingSettled) -> None:
    """R32: a settled meeting in its expert's month (part of the `MeetingSettled` fold in `meetings.py`)."""
    m = w.meetings[ev.ref]
    if ev.charged or ev.platform_paid:
        seconds = m.live.connected_seconds if m.live and m.live.ended_at else m.minutes * 60
        _add(w, m.expert, ev.at, sessions=1, seconds=seconds, gross=ev.charged, commission=ev.commission,
             net=ev.expert_share + ev.platform_paid)


def count_reimbursed(w: World, ev: e.CancellationReimbursed) -> None:
    """R32: a late-cancel fee in its expert's month (part of the fold in `meetings.py`)."""
    _add(w, w.meetings[ev.ref].expert, ev.at, gross=ev.fee, commission=ev.commission, net=ev.expert_share)


def count_event_settled(w: World, ev: e.GroupEventSettled) -> None:
    """R32: a settled group event in its expert's month (part of the fold in `groups.py`)."""
    g = w.group_events[ev.ref]
    if not ev.charged or not g.price:
        return
    paying = [r for r in g.registrations if not r.cancelled]
    gross = g.price * len(paying)
    commission = gross - _expert_share(w, g.id, paying)
    seconds = int((g.end - g.start).total_seconds())
    _add(w, g.expert, ev.at, sessions=1, seconds=seconds, gross=gross, commission=commission, net=gross - commission)


def _legs(w: World, event_id: str, regs: list, suffix: str) -> list[Transfer]:  # type: ignore[type-arg]
    found = (w.ledger.transfers.get(f"{r.hold}{suffix}") for r in regs if r.hold)
    return [t for t in found if t is not None]


def _expert_share(w: World, event_id: str, regs: list) -> int:  # type: ignore[type-arg]
    """What the expert's legs of these registrations' posted holds paid in.

    The commission is the gross less this, never read from the commission legs: those move
    escrow to the platform, touch no person's account, and so never reach an expert's desktop
    cache, which must fold the same month summary as the server from the expert's own events.
    """
    return sum(t.amount for t in _legs(w, event_id, regs, ":expert"))


def count_late_registration(w: World, ev: e.RegistrationCancelled) -> None:
    """R32: a late registration cancel's fee (part of the fold in `groups.py`, after it marks the registration)."""
    if ev.fee:
        g = w.group_events[ev.ref]
        reg = next(r for r in reversed(g.registrations) if r.customer == ev.customer)
        share = _expert_share(w, g.id, [reg])
        _add(w, g.expert, ev.at, gross=ev.fee, commission=ev.fee - share, net=share)


def count_claim(w: World, ev: e.ClaimOpened) -> None:
    """R32: a claim in its expert's month (part of the fold in `claims.py`)."""
    _add(w, ev.expert, ev.at, claims=1)


def count_refund(w: World, ev: e.ClaimRefunded) -> None:
    """R32: a refund taken back from its expert's month (part of the fold in `claims.py`)."""
    _add(w, w.claims[ev.ref].expert, ev.at, refunds=ev.amount, commission=-ev.commission_part, net=-ev.expert_part)


# --- payouts -----------------------------------------------------------------------------


def is_payout_day(day: date, p: Policy) -> bool:
    return day.day in p.payout_days


def last_payout_day(now: datetime, p: Policy) -> date:
    """The most recent payout day on or before `now` (UTC)."""
    today = now.date()
    candidates = [d for d in p.payout_days if d <= today.day]
    if candidates:
        return today.replace(day=max(candidates))
    end_of_last_month = today.replace(day=1) - days(1)
    return end_of_last_month.replace(day=max(p.payout_days))


def next_payout_day(now: datetime, p: Policy) -> date:
    """R33: the first payout day after today (UTC)."""
    day = now.astimezone(UTC).date() + days(1)
    for _ in range(62):
        if day.day in p.payout_days:
            return day
        day += days(1)
    raise DomainError(INVALID, "the policy has no payout day")


def payout_plan(w: World, p: Policy) -> list[PlannedPayout]:
    """R33: what a run now would pay, and who it would leave out and why (experts with
    nothing earned are not listed). `run_payouts` pays exactly this."""
    out = []
    for expert in sorted(w.profiles):  # every expert has a profile from their account's opening on
        balance = w.ledger.account(earnings(expert)).balance
        if balance == 0:
            continue
        missing = (w.payout_profiles.get(expert) or PayoutProfile(expert)).missing()
        if balance < 0:
            reason = f"balance {balance} is negative: refunds after lost disputes are repaid from later earnings"
        elif balance < p.payout_threshold:
            reason = f"balance {balance} is under the {p.payout_threshold} credit threshold"
        elif missing:
            reason = "the payout profile lacks " + ", ".join(missing)
        else:
            reason = ""
        out.append(PlannedPayout(expert, balance, reason))
    return out


def due_payout_day(w: World, now: datetime, p: Policy) -> date | None:
    """The payout day a run may be made for now (the latest one passed, if not yet run)."""
    day = last_payout_day(now, p)
    return None if day.isoformat() in w.payout_days_done else day


@decides(c.RunPayouts)
def run_payouts(w: World, cmd: c.RunPayouts, now: datetime, p: Policy) -> list[e.Event]:
    if cmd.actor != SYSTEM:
        operator(w, cmd.actor)
    try:
        day = date.fromisoformat(cmd.day)
    except ValueError:
        raise DomainError(INVALID, f"{cmd.day!r} is not a date like 2026-12-01") from None
    if not is_payout_day(day, p):
        raise DomainError(INVALID, f"payouts run on days {', '.join(map(str, p.payout_days))} of the month")
    if day > now.date():
        raise DomainError(TOO_EARLY, f"the payout day {cmd.day} has not come yet")
    if cmd.day in w.payout_days_done:
        raise DomainError(ALREADY_EXISTS, f"payouts for {cmd.day} were already made")
    out: list[e.Event] = []
    for line in payout_plan(w, p):
        expert, balance, reason = line.expert, line.balance, line.reason
        pid = f"payout:{expert}:{cmd.day}"
        if balance < 0:
            continue  # a debt (a refund after a lost dispute) is paid back by later earnings
        if reason:
            out.append(e.PayoutWithheld(ref=pid, at=now, actor=cmd.actor, expert=expert,
                                        day=cmd.day, balance=balance, reason=reason))
            out.append(notice(pid, now, expert, "payout", f"No payout on {cmd.day}: {reason}"))
            continue
        transfer = posted(f"{pid}:transfer", earnings(expert), PAYOUTS, balance, Label.PAYOUT, pid, now, cmd.actor)
        lines = (*w.unpaid_of.get(expert, ()), transfer.id)
        out += [transfer, e.PayoutMade(ref=pid, at=now, actor=cmd.actor, expert=expert, day=cmd.day, amount=balance, transfer_ids=lines)]
        out.append(notice(pid, now, expert, "payout", f"{balance} credits paid out on {cmd.day}"))
    out.append(e.PayoutRunCompleted(ref="payouts", at=now, actor=cmd.actor, day=cmd.day))
    return out


@folds(e.PayoutMade)
def _paid(w: World, ev: e.PayoutMade) -> None:
    w.payouts[ev.ref] = Payout(ev.ref, ev.expert, ev.day, ev.amount, ev.at, ev.transfer_ids)
    w.unpaid_of[ev.expert] = []


@folds(e.PayoutRunCompleted)
def _run(w: World, ev: e.PayoutRunCompleted) -> None:
    w.payout_days_done.add(ev.day)
    w.last_payout_day = max(w.last_payout_day, ev.day)


# --- statements --------------------------------------------------------------------------


def statement(w: World, payout_id: str) -> Statement:
    payout = w.payouts.get(payout_id)
    if payout is None:
        raise DomainError(INVALID, f"no payout {payout_id!r}")
    account = earnings(payout.expert)
    lines = []
    for tid in payout.transfer_ids:
        t = w.ledger.transfers[tid]
        sign = 1 if t.credit == account else -1
        lines.append(StatementLine(t.id, t.at, t.label.value, t.ref, sign * t.amount, _customer_name(w, t, account)))
    who = w.people.get(payout.expert)
    return Statement(payout, who.name if who else payout.expert, tuple(lines))


def _customer_name(w: World, t: Transfer, account: str) -> str:
    """Whose money a statement line is: the wallet on its other side (a refund), else the
    customer of the meeting, claim or hold it settles. Read from records the expert's own
    desktop has too, so its statement names the same people as the server's."""
    other = t.debit if t.credit == account else t.credit
    customer = other.removeprefix("customer:") if other.startswith("customer:") else ""
    if not customer and t.ref in w.meetings:
        customer = w.meetings[t.ref].customer
    if not customer and t.ref in w.claims:
        customer = w.claims[t.ref].customer
    if not customer and t.id.endswith(":expert"):
        held = w.ledger.transfers.get(t.id.removesuffix(":expert"))
        if held is not None and held.debit.startswith("customer:"):
            customer = held.debit.removeprefix("customer:")
    who = w.people.get(customer) if customer else None
    return who.name if who else ""


def statement_csv(st: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "description", "reference", "transfer", "credits", "customer"])
    for x in st.lines:
        writer.writerow([x.at.strftime("%Y-%m-%d %H:%M"), x.label, x.ref, x.transfer_id, x.amount, x.customer])
    writer.writerow(["", "Brought forward", "", "", st.opening, ""])
    writer.writerow(["", "Paid out", st.payout.id, "", st.payout.amount, ""])
    return out.getvalue()
