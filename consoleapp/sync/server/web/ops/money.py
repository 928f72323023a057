"""Payouts (R33), the platform's own money by month, the ledger's invariants live, the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from consoleapp.documents.sepa import SepaError
from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.ledger import (
    COMMISSION,
    DEPOSITS,
    ESCROW,
    PAYMENTS,
    PAYOUTS,
    PLATFORM,
    invariants,
)
from consoleapp.engine.model import Role
from consoleapp.engine.payouts import due_payout_day, next_payout_day, payout_plan
from consoleapp.store.db import reading

from ... import audit, payout_files
from ...context import server_of
from ...operator import payouts_of, sepa_download, statement_download, statement_kind, statement_of
from ...tables import users
from ...write_path import world_of
from .. import site
from ..site import N_
from . import access
from .cases import names

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.operator_only)])


@router.get("/ops/payouts")
def payouts(request: Request) -> Response:
    return _payouts_page(request, site.Form())


def _payouts_page(request: Request, form: site.Form, status: int = 200) -> Response:
    """The next run as the engine plans it (who, how much, who is left out and why), past runs."""
    server = server_of(request)
    now = server.clock.now()
    with world_of(server) as w:
        plan = payout_plan(w, server.store.policy)
        due = due_payout_day(w, now, server.store.policy)
    every = payouts_of(server)
    past = list(reversed(every))[:200]
    price, currency = server.settings.credit_price_cents, server.settings.currency
    runs: dict[str, list[int]] = {}
    for p in every:
        runs.setdefault(p.day, []).append(p.amount)
    who = names(server, {x.expert for x in plan} | {p.expert for p in past})
    return site.render(request, "ops/payouts.html", status=status, plan=plan, due=due,
                       upcoming=next_payout_day(now, server.store.policy), past=past, names=who,
                       total=sum(x.balance for x in plan if not x.reason), form=form,
                       done=request.query_params.get("done", ""),
                       runs=[(day, len(amounts), sum(amounts), payout_files.money(sum(amounts) * price, currency))
                             for day, amounts in sorted(runs.items(), reverse=True)],
                       sepa_missing=payout_files.missing_settings(server.settings), currency=currency)


@router.post("/ops/payouts/run")
async def run(request: Request) -> Response:
    """Run the payouts of the due day: exactly what the plan on the page showed (the engine's plan)."""
    form = await site.Form.read(request)
    user = access.me(request)
    day = form.get("day")[:10]
    if site.replayed(request, user, form) is not None:
        return site.redirect(request, f"/ops/payouts?done={day}")
    try:
        site.run(request, user, form, [c.RunPayouts(actor=user.id, day=day)], {"day": day})
    except DomainError as refused:
        form.problem = site.translate(request, refused.message[:1].upper() + refused.message[1:])
        return _payouts_page(request, form, 409)
    return site.redirect(request, f"/ops/payouts?done={day}")


@router.get("/ops/payouts/{day}/sepa.xml")
def sepa(day: str, request: Request) -> Response:
    """The run's SEPA file; a run that cannot have one is said on the page, nothing half made."""
    found = payout_files.payout_day(day[:10])
    if found is None:
        raise HTTPException(404)
    try:
        return sepa_download(payout_files.sepa_file(server_of(request), found, access.me(request).id))
    except payout_files.NothingPaid:
        raise HTTPException(404) from None
    except SepaError as refused:
        form = site.Form()
        form.problem = str(refused)
        return _payouts_page(request, form, 409)


@router.get("/ops/payouts/{payout_id}/statement.{fmt}")
def statement(payout_id: str, fmt: str, request: Request) -> Response:
    kind = statement_kind(fmt)
    return statement_download(statement_of(server_of(request), payout_id[:200], None), kind)


@router.get("/ops/money")
def money(request: Request) -> Response:
    server = server_of(request)
    months = server.store.platform_months()  # a row per month, each write's figures added to it
    every_account = server.store.every_account()  # memory holds no customer's wallet
    with world_of(server) as w:
        checks = invariants(w.ledger, every_account)
        accounts = {name: w.ledger.account(name) for name in (COMMISSION, PLATFORM, ESCROW, DEPOSITS, PAYMENTS, PAYOUTS)}
    return site.render(request, "ops/money.html", checks=checks, months=list(reversed(months)), accounts=accounts,
                       broken=any(not check.holds for check in checks))


@router.get("/ops/audit")
def audit_log(request: Request, actor: str = "", action: str = "", subject: str = "", since: str = "",
              until: str = "") -> Response:
    server = server_of(request)
    start = _day(since)
    end = _day(until)
    with reading(server.store.engine) as conn:
        found = audit.entries(conn, actor=actor[:64], action=action if action in audit.ACTIONS else "",
                              subject=subject.strip()[:200], since=start,
                              until=end + timedelta(days=1) if end else None, limit=500)
        operators = conn.execute(users.select().with_only_columns(users.c.id).where(users.c.role == Role.OPERATOR.value)
                                 ).scalars().all()
    who = names(server, {*operators, *(x.actor for x in found), *(x.subject for x in found)})
    who[audit.COMMAND_LINE] = site.translate(request, "the command line")
    return site.render(request, "ops/audit.html", entries=found, names=who, operators=sorted(operators, key=lambda x: who[x]),
                       actions=audit.ACTIONS, actor=actor, action=action, subject=subject, since=since, until=until,
                       bad_dates=(since and start is None) or (until and end is None))


def _day(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value.strip()), time(), UTC) if value.strip() else None
    except ValueError:
        return None


# Words the console shows from elsewhere (audit.py's actions, the ledger's invariants, the
# settlement's outcomes), listed for the catalog; tests check these lists match their sources.
SHOWN = (
    N_("review decided"), N_("dispute decided"), N_("credits granted"), N_("account closed"), N_("password reset"),
    N_("operator created"), N_("payouts run"), N_("login link made"), N_("payment received"), N_("SEPA file made"),
    N_("promo code created"), N_("promo code ended"),
    N_("Debits equal credits, posted and pending"), N_("No customer, escrow or commission account below zero"),
    N_("Escrow holds exactly the open holds"), N_("Every hold is posted or voided at most once"),
    N_("Payment to expert"), N_("Payment returned to the user"),
    N_("Payment returned to the user, platform paid the expert"), N_("Operator split the payment"),
)
