"""People: find anyone by name or email; their meetings, claims, wallet or earnings; close an
account, make a password-reset code (shown once), grant credits with a reason; new operators.

Every action is audited: the engine's commands by the write path, the rest here (admin.py)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.claims import lost_within
from consoleapp.engine.ledger import earnings, wallet
from consoleapp.engine.model import Role
from consoleapp.store import schema
from consoleapp.store.db import reading

from ... import admin
from ...context import Server, server_of
from ...errors import fail
from ...runner import Tx
from ...tables import tokens, users
from .. import site
from ..account import new_account
from . import access
from .cases import names

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.operator_only)])

GRANT_LIMIT = 1_000_000  # credits in one grant: more is surely a typo


def _account(server: Server, person: str) -> Any:
    with reading(server.store.engine) as conn:
        row = conn.execute(sa.select(users.c.id, users.c.email, users.c.role, users.c.closed, users.c.created_at)
                           .where(users.c.id == person[:64])).first()
    if row is None:
        raise fail(404, "not_found", f"no person {person!r}")
    return row


@router.get("/ops/people")
def people(request: Request, q: str = "", role: str = "") -> Response:
    server = server_of(request)
    q = q.strip()[:200]
    u, p = users.c, schema.people.c
    stmt = (sa.select(u.id, u.email, u.role, u.closed, u.created_at, p.name)
            .join(schema.people, p.id == u.id, isouter=True).order_by(u.created_at.desc(), u.id).limit(100))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(u.email).like(like), sa.func.lower(p.name).like(like)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(u.role == role)
    with reading(server.store.engine) as conn:
        found = conn.execute(stmt).all()
    return site.render(request, "ops/people.html", found=found, q=q, role=role, roles=list(Role))


def _show(request: Request, person: str, status: int = 200, **more: Any) -> Response:
    server = server_of(request)
    row = _account(server, person)
    role = Role(row.role)
    w = server.store.world
    meetings = sorted(server.store.meetings_of(row.id), key=lambda m: m.start or m.requested_at, reverse=True)[:100]
    claims = server.store.claims_of(row.id)
    who = names(server, {row.id, *(x for m in meetings for x in (m.expert, m.customer)),
                         *(x for cl in claims for x in (cl.expert, cl.customer))})
    context: dict[str, Any] = {
        "row": row, "role": role, "name": who.get(row.id, ""), "meetings": meetings, "claims": claims, "names": who,
        "grant": site.Form(), "closing": site.Form(), "reset_code": "", "is_me": row.id == access.me(request).id,
    }
    if role is Role.CUSTOMER:
        context["wallet"] = server.store.wallet_balance(row.id)
        context["movements"] = list(reversed(server.store.transactions(wallet(row.id))))[:50]
    elif role is Role.EXPERT:
        context["earnings"] = w.ledger.account(earnings(row.id)).balance
        context["months"] = server.store.earnings_by_month(row.id)
        context["lost"] = lost_within(w, row.id, server.clock.now(), server.store.policy)
        context["payout_profile"] = server.store.payout_profile(row.id)
    context.update(more)
    return site.render(request, "ops/person.html", status=status, **context)


@router.get("/ops/people/{person}")
def person(person: str, request: Request) -> Response:
    return _show(request, person)


async def _person_form(request: Request, person: str, done: str) -> tuple[site.Form, Any, site.WebUser, Response | None]:
    """A form posted on a person's page: (the form, their account, the operator, the first
    answer when this very form was already sent)."""
    form = await site.Form.read(request)
    row = _account(server_of(request), person)
    user = access.me(request)
    replay = site.redirect(request, f"/ops/people/{row.id}?done={done}") if site.replayed(request, user, form) else None
    return form, row, user, replay


@router.post("/ops/people/{person}/grant")
async def grant(person: str, request: Request) -> Response:
    """Credits for a customer, with a reason for the audit log (bought credits: the Payments page)."""
    form, row, user, replay = await _person_form(request, person, "granted")
    if replay is not None:
        return replay
    amount = form.whole("amount", 1, GRANT_LIMIT)
    reason = form.text("reason")
    if form.ok:
        try:
            site.run(request, user, form, [c.GrantCredits(actor=user.id, grant_id=uuid.uuid4().hex, customer=row.id,
                                                          amount=amount)], {"granted": amount}, reason=reason)
            return site.redirect(request, f"/ops/people/{row.id}?done=granted")
        except DomainError as refused:
            form.problem = refused.message
    return _show(request, row.id, 422, grant=form)


@router.post("/ops/people/{person}/close")
async def close(person: str, request: Request) -> Response:
    """The engine's CloseAccount; the login refused and every session ended, in one transaction."""
    form, row, user, replay = await _person_form(request, person, "closed")
    if replay is not None:
        return replay
    server = server_of(request)
    reason = form.text("close_reason")
    if form.ok:

        def revoke(tx: Tx) -> None:
            now = server.clock.now()
            tx.conn.execute(users.update().where(users.c.id == row.id).values(closed=True))
            tx.conn.execute(tokens.update().where(tokens.c.user_id == row.id, tokens.c.revoked_at.is_(None))
                            .values(revoked_at=now))

        try:
            site.run(request, user, form, [c.CloseAccount(actor=user.id, person=row.id, reason=reason)],
                     {"closed": row.id}, extra=revoke)
            return site.redirect(request, f"/ops/people/{row.id}?done=closed")
        except DomainError as refused:
            form.problem = site.translate(request, refused.message[:1].upper() + refused.message[1:])
    return _show(request, row.id, 422, closing=form)


@router.post("/ops/people/{person}/reset")
async def reset(person: str, request: Request) -> Response:
    """A one-time reset code, shown on this answer only (never in an address, never stored)."""
    await site.Form.read(request)
    server = server_of(request)
    row = _account(server, person)
    try:
        code, expires = admin.reset_password(server, row.email, by=access.me(request).id)
    except admin.AdminError as refused:
        return _show(request, row.id, 409, reset_problem=str(refused))
    return _show(request, row.id, reset_code=code, reset_expires=expires,
                 reset_link=f"{server.settings.base_url}/reset?token={code}")


@router.get("/ops/operators/new")
def new_operator_form(request: Request) -> Response:
    return site.render(request, "ops/new_operator.html", form=site.Form())


@router.post("/ops/operators/new")
async def new_operator(request: Request) -> Response:
    form = await site.Form.read(request)
    server = server_of(request)
    name, email, password = new_account(request, form)
    if form.ok:
        try:
            made = admin.create_operator(server, email, name, password, by=access.me(request).id)
            return site.redirect(request, f"/ops/people/{made}?done=created")
        except admin.AdminError as refused:
            form.errors["email"] = site.translate(request, str(refused)[:1].upper() + str(refused)[1:])
    form.values.pop("password", None)
    return site.render(request, "ops/new_operator.html", status=422, form=form)
