"""Accounts opened and tokens issued: what the routes (`auth.py`, the pages) and the command line
(`admin.py`) share. It imports no web framework, so an administrator's command does without one."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from starlette.exceptions import HTTPException

from consoleapp.engine import commands as c
from consoleapp.engine import errors as codes
from consoleapp.engine.model import SYSTEM, Role
from consoleapp.store.db import reading

from .context import Server
from .passwords import hash_password, new_token, token_hash
from .tables import tokens, users


def issue_token(conn: sa.Connection, server: Server, user_id: str, kind: str = "session") -> tuple[str, datetime]:
    token = new_token()
    now = server.clock.now()
    # "session": a bearer token (API, desktop); "web": a browser session's cookie; "reset": a password-reset
    # code; "link": a one-time login link (the demo, an administrator helping someone in)
    life = (timedelta(hours=server.settings.token_hours) if kind in ("session", "web")
            else timedelta(minutes=server.settings.reset_token_minutes))
    conn.execute(tokens.insert().values(hash=token_hash(token), user_id=user_id, kind=kind, created_at=now,
                                        expires_at=now + life, revoked_at=None))
    return token, now + life


def create_user(server: Server, email: str, password: str, name: str, kind: Role,
                time_zone: str = "UTC", token_kind: str = "session",
                extra: Callable[[sa.Connection, str], None] | None = None) -> tuple[str, str]:
    """Open the account in the engine and store the credentials, in one transaction; (id, a token of `token_kind`).

    `extra(conn, user id)` writes the caller's own rows in that transaction (the audit log's line)."""
    email = email.strip().lower()
    with reading(server.store.engine) as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.email == email)).first():
            # what `errors.fail` makes (errors.py brings FastAPI, which the command line does without)
            raise HTTPException(409, {"code": codes.ALREADY_EXISTS,
                                      "message": "an account with this email exists; log in or reset the password"})
    user_id = uuid.uuid4().hex
    issued: dict[str, str] = {}
    # Hashed before the write: the hash is made slow on purpose, and the write holds the log
    # counter's lock, which every other write of every worker waits for.
    password_hash = hash_password(password)

    def store_credentials(b: Any, results: list[Any]) -> None:
        if isinstance(results[0], Exception):
            return
        b.conn.execute(users.insert().values(id=user_id, email=email, password_hash=password_hash,
                                             role=kind.value, created_at=server.clock.now(), closed=False))
        issued["token"], _ = issue_token(b.conn, server, user_id, token_kind)
        if extra is not None:
            extra(b.conn, user_id)

    (result,), _ = server.runner.run(
        [c.OpenAccount(actor=SYSTEM, person=user_id, role=kind, name=name, email=email, time_zone=time_zone)],
        store_credentials)
    if isinstance(result, Exception):
        raise result
    return user_id, issued["token"]
