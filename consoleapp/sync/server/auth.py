"""Accounts and security: register, log in and out, reset a password, who is calling (R1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from consoleapp.engine.model import Role
from consoleapp.store.db import read_one

from .accounts import create_user, issue_token
from .context import Server, server_of
from .errors import fail, responses
from .passwords import check_password, hash_password, token_hash
from .tables import aware, login_attempts, tokens, users

router = APIRouter(prefix="/auth", tags=["accounts"])

# Declares the Bearer scheme in the OpenAPI document for every route that needs a login;
# `current_user` reads the header itself (it is also called outside FastAPI's injection).
BEARER = HTTPBearer(scheme_name="bearer", auto_error=False,
                    description="the token from /auth/register or /auth/login")


@dataclass(frozen=True)
class User:
    id: str
    email: str
    role: Role
    token_hash: str


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Registration(Body):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=8, max_length=200, description="at least 8 characters")
    name: str = Field(min_length=1, max_length=200)
    role: Literal["customer", "expert"]
    time_zone: str = Field(default="UTC", max_length=64, description="an IANA name like 'Europe/Paris'")


class Login(Body):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class ResetRequest(Body):
    email: str = Field(min_length=3, max_length=320)


class ResetConfirm(Body):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=8, max_length=200)


# Built once, not again for every request (about 40 µs each, as much as the look-up itself).
_SESSION = (sa.select(users.c.id, users.c.email, users.c.role, users.c.closed, tokens.c.expires_at, tokens.c.revoked_at)
            .join(tokens, tokens.c.user_id == users.c.id)
            .where(tokens.c.hash == sa.bindparam("hash"), tokens.c.kind == "session"))


def current_user(request: Request,
                 _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None) -> User:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or not header[7:].strip():
        raise fail(401, "unauthenticated", "log in first and send the token as 'Authorization: Bearer <token>'")
    server = server_of(request)
    h = token_hash(header[7:].strip())
    row = read_one(server.store.engine, _SESSION, {"hash": h})
    if row is None or row.revoked_at is not None:
        raise fail(401, "unauthenticated", "this token is not valid (logged out or never issued); log in again")
    if aware(row.expires_at) <= server.clock.now():
        raise fail(401, "token_expired", "your session expired; log in again")
    if row.closed:
        raise fail(403, "account_closed", "this account is closed")
    return User(row.id, row.email, Role(row.role), h)


CurrentUser = Annotated[User, Depends(current_user)]


def role(*allowed: Role) -> Any:
    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            names = " or ".join(r.value for r in allowed)
            raise fail(403, "forbidden", f"this needs an {names} account" if names[0] in "aeiou" else f"this needs a {names} account")
        return user

    return Depends(check)


@router.post("/register", status_code=201, responses=responses(409))
def register(body: Registration, request: Request) -> dict[str, Any]:
    server = server_of(request)
    user_id, token = create_user(server, body.email, body.password, body.name, Role(body.role), body.time_zone)
    return {"user_id": user_id, "token": token, "role": body.role}


@router.post("/login", responses=responses(401, 403, 429))
def login(body: Login, request: Request) -> dict[str, Any]:
    server = server_of(request)
    user_id, role_name, token, expires = log_in(server, body.email, body.password, address_of(request))
    return {"token": token, "user_id": user_id, "role": role_name, "expires_at": expires.isoformat()}


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def log_in(server: Server, email: str, password: str, address: str,
           kind: str = "session") -> tuple[str, str, str, datetime]:
    """Check a password, counting failures per email and per address; (user id, role, token, expiry)."""
    s = server.settings
    email = email.strip().lower()
    keys = [f"email:{email}", f"ip:{address}"]
    now = server.clock.now()
    # The attempt is counted *before* the password is checked, under a lock, and un-counted
    # when the password was right: parallel guesses cannot all read "under the limit" before
    # any of them is recorded (19 of 20 got through on PostgreSQL). The slow scrypt check runs
    # outside any transaction, so it never holds SQLite's write lock either. A crash between
    # the two steps leaves the attempt counted, which errs on the safe side.
    with server.store.engine.begin() as conn:
        _one_login_at_a_time(conn)
        since = now - timedelta(seconds=s.login_window_seconds)
        counts = conn.execute(sa.select(sa.func.count()).select_from(login_attempts)
                              .where(login_attempts.c.key.in_(keys), login_attempts.c.at > since)
                              .group_by(login_attempts.c.key)).scalars().all()
        if max(counts, default=0) >= s.login_attempts:  # per email and per address, each on its own
            raise fail(429, "too_many_attempts",
                       f"too many failed logins; try again in {s.login_window_seconds // 60} minutes or reset the password")
        counted = [conn.execute(login_attempts.insert().values(key=k, at=now)).inserted_primary_key[0] for k in keys]
        row = conn.execute(sa.select(users).where(users.c.email == email)).first()
    good = row is not None and check_password(password, row.password_hash)
    if not good or row is None:
        raise fail(401, "bad_credentials", "wrong email or password")
    with server.store.engine.begin() as conn:
        conn.execute(login_attempts.delete().where(login_attempts.c.id.in_(counted)))  # a success is no failure
        if not row.closed:
            token, expires = issue_token(conn, server, row.id, kind)
    if row.closed:
        raise fail(403, "account_closed", "this account is closed")
    return str(row.id), str(row.role), token, expires


def _one_login_at_a_time(conn: sa.Connection) -> None:
    """Serialise the count-and-record step of logins (until the transaction ends).

    SQLite's write transactions already run one at a time (BEGIN IMMEDIATE); PostgreSQL takes
    a transaction-level advisory lock, one per schema like the scheduler's."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('consoleapp.login' || current_schema()))"))


@router.post("/logout", status_code=204)
def logout(user: CurrentUser, request: Request) -> None:
    server = server_of(request)
    with server.store.engine.begin() as conn:
        conn.execute(tokens.update().where(tokens.c.hash == user.token_hash).values(revoked_at=server.clock.now()))


@router.post("/reset/request", status_code=202)
def reset_request(body: ResetRequest, request: Request) -> dict[str, str]:
    """Always the same answer, so nobody learns which emails have accounts."""
    send_reset_code(server_of(request), body.email)
    return {"status": "if the address has an account, a reset code is on its way"}


def send_reset_code(server: Server, email: str) -> None:
    """R1: a one-time code by email, if the address has an open account (silently nothing otherwise)."""
    email = email.strip().lower()
    with server.store.engine.begin() as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.email == email, users.c.closed.is_(False))).first()
        token = issue_token(conn, server, row.id, "reset")[0] if row else ""
    if token:
        link = f"{server.settings.base_url}/reset?token={token}"
        server.mailer.send(email, "Reset your Expert Console password",
                           f"Use this code to choose a new password within {server.settings.reset_token_minutes} minutes:\n\n"
                           f"{token}\n\n{link}\n\nIf you did not ask for this, ignore this message.")


@router.post("/reset/confirm", responses=responses(400))
def reset_confirm(body: ResetConfirm, request: Request) -> dict[str, str]:
    reset_password(server_of(request), body.token, body.password)
    return {"status": "password changed; log in with the new one"}


def reset_password(server: Server, code: str, password: str) -> str:
    """Set a new password with a reset code; every token and browser session of the account ends. The user id."""
    now = server.clock.now()
    with server.store.engine.begin() as conn:
        row = conn.execute(sa.select(tokens).where(tokens.c.hash == token_hash(code), tokens.c.kind == "reset")).first()
        if row is None or row.revoked_at is not None or aware(row.expires_at) <= now:
            raise fail(400, "bad_reset_token", "this reset code is unknown, used or expired; ask for a new one")
        conn.execute(users.update().where(users.c.id == row.user_id).values(password_hash=hash_password(password)))
        conn.execute(tokens.update().where(tokens.c.user_id == row.user_id, tokens.c.revoked_at.is_(None))
                     .values(revoked_at=now))
    return str(row.user_id)


def use_login_link(server: Server, code: str) -> str:
    """Spend a one-time login link: a new browser session's token. The link is used up either way."""
    now = server.clock.now()
    with server.store.engine.begin() as conn:
        row = conn.execute(sa.select(tokens.c.user_id, tokens.c.revoked_at, tokens.c.expires_at, users.c.closed)
                           .join(users, users.c.id == tokens.c.user_id)
                           .where(tokens.c.hash == token_hash(code), tokens.c.kind == "link")).first()
        if row is None or row.revoked_at is not None or aware(row.expires_at) <= now or row.closed:
            raise fail(400, "bad_login_link", "this login link is unknown, used or expired; log in with your password")
        conn.execute(tokens.update().where(tokens.c.hash == token_hash(code)).values(revoked_at=now))
        return issue_token(conn, server, str(row.user_id), "web")[0]


@router.get("/me")
def me(user: CurrentUser, request: Request) -> dict[str, Any]:
    person = server_of(request).store.world.people.get(user.id)
    return {"id": user.id, "email": user.email, "role": user.role.value, "name": person.name if person else ""}


OperatorUser = Annotated[User, role(Role.OPERATOR)]
ExpertUser = Annotated[User, role(Role.EXPERT)]
CustomerUser = Annotated[User, role(Role.CUSTOMER)]
