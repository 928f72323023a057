"""Administration: the functions behind `consoleapp-server admin ...` (`GET /admin/status` is in admin_routes.py).

Everything here works on the database alone, so it takes effect on a running server at once:
a new operator can log in, a closed user's tokens stop working on their next request, and a
reset code is accepted by `/auth/reset/confirm`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Role
from consoleapp.store import db, schema

from . import audit
from .accounts import create_user, issue_token
from .context import Server
from .refusal import Refusal
from .tables import tokens, users


class AdminError(Refusal):
    """Something a person must fix; the message says what."""


@dataclass(frozen=True)
class UserRow:
    id: str
    email: str
    role: str
    name: str
    created_at: datetime
    closed: bool


def create_operator(server: Server, email: str, name: str, password: str, by: str = audit.COMMAND_LINE) -> str:
    if len(password) < 8:
        raise AdminError("the password needs at least 8 characters")
    if "@" not in email:
        raise AdminError(f"{email!r} is not an email address")
    try:
        user_id, _ = create_user(server, email, password, name, Role.OPERATOR, extra=lambda conn, made: audit.record(
            conn, server.clock.now(), by, audit.CREATED_OPERATOR, made, email.strip().lower()))
    except DomainError as exc:
        raise AdminError(exc.message) from None
    except HTTPException as exc:  # fail(409, ...): the email is taken
        detail = exc.detail
        raise AdminError(str(detail["message"] if isinstance(detail, dict) else detail)) from None
    return user_id


def list_users(server: Server) -> list[UserRow]:
    people = schema.people.c
    with db.reading(server.store.engine) as conn:
        rows = conn.execute(
            sa.select(users.c.id, users.c.email, users.c.role, users.c.created_at, users.c.closed,
                      sa.func.coalesce(people.name, "").label("name"))
            .select_from(users.outerjoin(schema.people, schema.people.c.id == users.c.id))
            .order_by(users.c.created_at, users.c.email)
        ).all()
    return [UserRow(r.id, r.email, r.role, r.name, _utc(r.created_at), bool(r.closed)) for r in rows]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _find(server: Server, email: str) -> Any:
    with db.reading(server.store.engine) as conn:
        row = conn.execute(sa.select(users).where(users.c.email == email.strip().lower())).first()
    if row is None:
        raise AdminError(f"no account with the email {email.strip().lower()}")
    return row


def close_user(server: Server, email: str, reason: str, by: str = audit.COMMAND_LINE) -> str:
    """Close the account in the engine, mark the user closed and revoke every token, atomically."""
    row = _find(server, email)
    if row.closed:
        raise AdminError(f"{row.email} is already closed")
    now = server.clock.now()

    def mark(tx: Any, results: list[Any]) -> None:
        if isinstance(results[0], Exception):
            return
        tx.conn.execute(users.update().where(users.c.id == row.id).values(closed=True))
        tx.conn.execute(tokens.update().where(tokens.c.user_id == row.id, tokens.c.revoked_at.is_(None))
                        .values(revoked_at=now))
        audit.record(tx.conn, now, by, audit.CLOSED, row.id, reason)

    (result,), _ = server.runner.run([c.CloseAccount(actor=SYSTEM, person=row.id, reason=reason)], mark)
    if isinstance(result, DomainError):
        raise AdminError(f"the engine refused to close {row.email}: {result.message}")
    return str(row.id)


def reset_password(server: Server, email: str, by: str = audit.COMMAND_LINE) -> tuple[str, datetime]:
    """A one-time reset code for `/auth/reset/confirm`, valid for CONSOLEAPP_RESET_TOKEN_MINUTES."""
    row = _find(server, email)
    if row.closed:
        raise AdminError(f"{row.email} is closed; a closed account cannot log in again")
    with server.store.engine.begin() as conn:
        audit.record(conn, server.clock.now(), by, audit.RESET, row.id, "a one-time reset code was made")
        return issue_token(conn, server, row.id, "reset")


def login_link(server: Server, email: str, by: str = audit.COMMAND_LINE) -> tuple[str, datetime]:
    """A one-time code for `/login/link?code=…`: the browser that opens it is logged in as `email`."""
    row = _find(server, email)
    if row.closed:
        raise AdminError(f"{row.email} is closed; a closed account cannot log in again")
    with server.store.engine.begin() as conn:
        audit.record(conn, server.clock.now(), by, audit.LOGIN_LINK, row.id, "a one-time login link was made")
        return issue_token(conn, server, row.id, "link")
