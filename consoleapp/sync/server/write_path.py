"""The write path of every API call and web form: engine commands through the runner, all or nothing,
exactly once per `Idempotency-Key`, operators' commands into the audit log.

A call with an `Idempotency-Key` header stores its response (status and body) in the same
transaction as its commands. The same key with the same body answers the stored response
without running anything again; the same key with another body is a 409. A refused call
stores nothing and changes nothing, so it may be retried with the same key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from consoleapp.engine import DomainError, Event, World
from consoleapp.engine.commands import Command
from consoleapp.engine.model import Role
from consoleapp.store.codec import encode
from consoleapp.store.db import reading
from consoleapp.store.repository import CorruptRow

from . import audit
from .auth import User
from .context import Server, server_of
from .errors import REFUSED, fail, responses
from .runner import Tx
from .tables import idempotency

HEADER = "Idempotency-Key"
MAX_KEY = 200


def refusals(*more: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route that runs `mutate`: a bad key (400), the engine's refusals, and `more`."""
    return responses(400, *REFUSED, *more)


def jsonable(value: Any) -> Any:
    """Plain JSON values of records, events, enums, datetimes and containers of them."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(encode(value))
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True)) if isinstance(value, set | frozenset) else items
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump())
    return str(value)


@contextlib.contextmanager
def world_of(server: Server) -> Iterator[World]:
    """The engine's World, caught up with every process's writes, held still while it is read.

    The runner's lock keeps this process's writers from folding into it meanwhile; nothing
    is written to the database (the read of the log uses `reading`).
    """
    with server.runner.world() as world:
        yield world


def _key(request: Request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY:
        raise fail(400, "bad_idempotency_key", f"the {HEADER} header is at most {MAX_KEY} characters; send a shorter one (a UUID)")
    return key


def check_key(request: Request) -> None:
    """A router dependency: a bad key is refused (400) before the route looks anything up."""
    _key(request)


def _fingerprint(request: Request, body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else (body or {})
    text = f"{request.method} {request.url.path}\n{json.dumps(data, sort_keys=True, separators=(',', ':'))}"
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(conn: sa.Connection, user: User, key: str, fingerprint: str) -> tuple[int, Any, bool] | None:
    row = conn.execute(sa.select(idempotency).where(idempotency.c.user_id == user.id, idempotency.c.key == key)).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise fail(409, "idempotency_key_reused",
                   f"the {HEADER} {key!r} was already used for a different request; send a new key for a new request")
    return int(row.status_code), json.loads(row.body), True


class _Undo(Exception):
    """Raised inside the transaction so the commands that did apply are rolled back too."""

    def __init__(self, error: DomainError) -> None:
        self.error = error


Respond = Callable[[Tx, list[Event]], dict[str, Any]]


def mutate(request: Request, user: User, body: BaseModel | dict[str, Any] | None, commands: Sequence[Command],
           respond: Respond, status: int = 200, extra: Callable[[Tx], None] | None = None,
           reason: str = "") -> JSONResponse:
    """Run `commands` (all or nothing) and answer `respond(tx, events)`, exactly once per key.

    `respond` runs inside the transaction, so it reads the records as the commands left them;
    `extra` writes the caller's own rows in the same transaction.
    """
    key = _key(request)
    fingerprint = _fingerprint(request, body) if key else ""  # only a keyed call is ever compared
    code, payload, replayed = run_once(server_of(request), user, key, fingerprint, commands, respond, status, extra,
                                       reason)
    return JSONResponse(payload, status_code=code, headers={"Idempotent-Replayed": "true"} if replayed else None)


def stored_answer(server: Server, user: User, key: str, fingerprint: str) -> tuple[int, Any, bool] | None:
    """The answer already given to this key, if any (a 409 when the key named another request)."""
    if not key:
        return None
    with reading(server.store.engine) as conn:
        return _stored(conn, user, key, fingerprint)


def run_once(server: Server, user: User, key: str, fingerprint: str, commands: Sequence[Command], respond: Respond,
             status: int = 200, extra: Callable[[Tx], None] | None = None, reason: str = "") -> tuple[int, Any, bool]:
    """The write path of every API call and web form: (status, answer, replayed).

    The commands run in one transaction, all or nothing; a refusal raises the engine's
    DomainError and changes nothing. With a key, the answer is stored in the same transaction
    and the same key answers it again without running anything (a double click, a reload, a
    retry after a lost answer); the same key for another request is a 409. An operator's
    commands are written to the audit log in the same transaction (`reason`: why, for a grant).

    A row that cannot be read (CorruptRow) undoes the transaction and has the tables rebuilt
    from the log (`Store.repair`): the call then runs once more, on the rebuilt rows.
    """
    try:
        return _run_once(server, user, key, fingerprint, commands, respond, status, extra, reason)
    except CorruptRow:
        return _run_once(server, user, key, fingerprint, commands, respond, status, extra, reason)


def _run_once(server: Server, user: User, key: str, fingerprint: str, commands: Sequence[Command], respond: Respond,
              status: int, extra: Callable[[Tx], None] | None, reason: str) -> tuple[int, Any, bool]:
    replay = stored_answer(server, user, key, fingerprint)
    if replay is not None:
        return replay
    refused: DomainError | None = None
    answer: tuple[int, Any, bool] | None = None
    try:
        with server.runner.transaction() as tx:
            if key:  # a twin request may have committed since the look above
                answer = _stored(tx.conn, user, key, fingerprint)
                if answer is not None:
                    return answer
            events: list[Event] = []
            for command in commands:
                result = tx.execute(command)
                if isinstance(result, DomainError):
                    if events:
                        raise _Undo(result)
                    refused = result
                    break
                events += result
            if refused is None:
                if extra is not None:
                    extra(tx)
                if user.role is Role.OPERATOR:
                    audit.record_commands(tx.conn, server.clock.now(), user.id, commands, events, reason)
                payload = jsonable(respond(tx, events))
                if key:
                    tx.conn.execute(idempotency.insert().values(
                        user_id=user.id, key=key, request_hash=fingerprint, status_code=status,
                        body=json.dumps(payload), created_at=server.clock.now()))
                answer = (status, payload, False)
    except _Undo as undo:
        refused = undo.error
    if refused is not None:
        raise refused
    assert answer is not None
    return answer


def titles(events: Sequence[Event]) -> list[str]:
    """What happened, as the timeline says it (notifications and money movements left out)."""
    from consoleapp.engine.events import NotificationQueued
    from consoleapp.engine.ledger import Transfer

    return [ev.describe() for ev in events if not isinstance(ev, NotificationQueued | Transfer)]


def warnings(events: Sequence[Event]) -> list[str]:
    """R10: overlapping agreed meetings are a warning, never a refusal."""
    out = []
    for ev in events:
        overlaps = getattr(ev, "overlaps", ())
        if overlaps:
            out.append("this overlaps your other agreed meeting(s): " + ", ".join(overlaps))
    return out
