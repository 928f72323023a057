"""Desktop sync: push commands exactly once, pull the changes the caller may see (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response

from consoleapp.engine import DomainError
from consoleapp.engine.commands import Command
from consoleapp.engine.model import Role
from consoleapp.store import Decision, schema
from consoleapp.store import db as store_db

from ..protocol import (
    MAX_POSITION,
    SCHEMA_VERSION,
    CommandResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from .auth import User, role
from .commands import parse_command
from .context import server_of
from .errors import fail, responses
from .runner import Tx
from .tables import event_audience, sync_clients, sync_results

router = APIRouter(prefix="/sync", tags=["sync"])
Client = role(Role.EXPERT, Role.CUSTOMER)
RESULT_COLUMNS = ("client_id", "seq", "command_id", "status", "code", "message", "position", "processed_at")


class _Client(NamedTuple):
    """A sync client's row, as `_claim_clients` reads it."""

    client_id: str
    user_id: str
    last_seq: int


class _Claimed(threading.local):
    """The client rows `_claim_clients` locked for the transaction it ran in, on this thread."""

    conn: sa.Connection | None = None
    rows: dict[str, _Client] = {}  # noqa: RUF012 - replaced whole, never mutated


_claimed = _Claimed()


def _claim_clients(client_ids: list[str]) -> tuple[store_db.Ask, Callable[[sa.Connection, list[tuple[Any, ...]]], None]]:
    """Lock the rows of the clients whose pushes share a transaction, in one statement and in
    client id order (the order every process locks them in), for each push's `claim` to find:
    the read (sent with the write's locks, in their round trip) and what takes its rows. The
    connection is kept with them, so a claim in another transaction never takes them."""
    marks = ", ".join("?" * len(client_ids))
    read = store_db.Ask(f"SELECT client_id, user_id, last_seq FROM {sync_clients.name} "
                        f"WHERE client_id IN ({marks}) ORDER BY client_id", tuple(client_ids), for_update=True)

    def take(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
        _claimed.conn, _claimed.rows = conn, {row[0]: _Client(*row) for row in rows}

    return read, take


def _schema(version: int) -> None:
    if version != SCHEMA_VERSION:
        raise fail(426, "upgrade_required",
                   f"this app speaks sync version {version}, the server {SCHEMA_VERSION}; update the app")


@router.post("/push", responses=responses(403, 409, 426))
def push(body: PushRequest, request: Request, user: User = Client) -> PushResponse:
    """Apply the contiguous commands after the client's last seq, each exactly once.

    The whole push is one transaction: a database failure processes nothing, and a
    command the engine refuses is still recorded as processed, so it never blocks the queue.
    """
    _schema(body.schema_version)
    server = server_of(request)
    # Parsing is pure (the caller's id and the command's text), so it happens before the
    # runner's lock is taken; a command already processed is parsed for nothing, harmlessly.
    ordered = sorted(body.commands, key=lambda x: x.seq)
    parsed = [_parse(sent.name, sent.args, user.id) for sent in ordered]
    last = 0
    done: dict[int, Any] = {}

    def claim(conn: sa.Connection) -> None:
        """The client's row, locked by `_claim_clients`' read before the write's locks (in their
        round trip: `db.writing`), and its results already given. A new client's row is inserted
        here, and a push sent again reads its earlier results: after the locks, once in a client's
        life or when an answer was lost."""
        nonlocal last, done
        last, done = 0, {}  # from nothing: a shared write that failed runs this again (`Runner.shared`)
        if _claimed.conn is not conn:  # `Runner.shared` runs the gather first, in this transaction
            raise RuntimeError("the push's client row was not claimed by _claim_clients in this transaction")
        row = _claimed.rows.get(body.client_id)
        if row is None:
            conn.execute(sync_clients.insert().values(client_id=body.client_id, user_id=user.id, last_seq=0,
                                                      created_at=server.clock.now()))
        elif row.user_id != user.id:
            raise fail(409, "already_exists", "this client id is taken; make a new one (a UUID)")
        else:
            last = int(row.last_seq)
            # Only a push sent again (its answer lost) holds commands processed already: read their
            # results then, not at every push.
            resent = [x.seq for x in body.commands if x.seq <= last]
            if resent:
                done = {r.seq: r for r in conn.execute(sa.select(sync_results).where(
                    sync_results.c.client_id == body.client_id, sync_results.c.seq.in_(resent)))}

    def apply(tx: Tx) -> PushResponse:
        processed: list[tuple[Any, ...]] = []  # sync_results rows, written in one statement below
        results: list[CommandResult] = []
        fresh: list[CommandResult] = []  # processed now (the others were sent again)
        gap = False
        seq = last
        time = store_db.time_formatter(tx.conn.dialect)
        for sent, command in zip(ordered, parsed, strict=True):
            if sent.seq <= seq:
                old = done.get(sent.seq)
                if old is not None:
                    results.append(_result(old))
                continue
            if sent.seq != seq + 1:
                gap = True
                break
            if isinstance(command, DomainError):
                outcome: Decision = command
            else:
                try:
                    outcome = tx.execute(command)
                except DomainError as refused:
                    outcome = refused
            position = tx.last_position if not isinstance(outcome, DomainError) else 0
            # Built from values this function made (or the request's, validated already), not validated
            # again: this runs in the write, which the worker's other pushes wait for.
            result = CommandResult.model_construct(
                seq=sent.seq, command_id=sent.command_id,
                status="rejected" if isinstance(outcome, DomainError) else "applied",
                code=outcome.code if isinstance(outcome, DomainError) else "",
                message=outcome.message if isinstance(outcome, DomainError) else "",
                position=position,
            )
            processed.append((body.client_id, result.seq, result.command_id, result.status, result.code,
                              result.message, result.position, time(tx.now)))
            results.append(result)
            fresh.append(result)
            seq = sent.seq
        # Nothing reads these back in the transaction: they go with the events, in one round trip,
        # and with the rows of the other pushes that share it, one statement each.
        tx.insert_later(sync_results, RESULT_COLUMNS, processed, position="position")
        tx.update_later(sync_clients, ("last_seq",), [(seq, body.client_id)])
        applied = [r for r in fresh if r.position]

        def numbered(shift: int) -> None:  # a local write's events went further on in the log
            for r in applied:
                r.position += shift

        tx.numbered.append(numbered)
        return PushResponse(last_seq=seq, results=results, gap=gap)

    # Pushes of different clients that arrive together share one transaction (`Runner.shared`).
    return server.runner.shared(body.client_id, apply, before=claim, gather=_claim_clients,
                                commands=[c for c in parsed if not isinstance(c, DomainError)])


def _parse(name: str, args: Any, actor: str) -> Command | DomainError:
    try:
        return parse_command(name, args, actor)
    except DomainError as refused:
        return refused


def _result(row: Any) -> CommandResult:
    return CommandResult(seq=row.seq, command_id=row.command_id, status=row.status, code=row.code,
                         message=row.message, position=row.position)


def _cursor(text: str, epoch: str) -> tuple[int, bool]:
    """(position, reset): an unknown epoch or a cursor from another server starts over."""
    if not text:
        return 0, False
    mark, _, number = text.partition(":")
    if mark != epoch or not number.isdigit():
        return 0, True
    return int(number), False


@router.post("/pull", response_model=PullResponse, responses=responses(403, 409))
def pull(body: PullRequest, request: Request, since_seq: Annotated[int, Query(ge=0, le=MAX_POSITION, description="results of pushed commands after this seq")] = 0,
         packed: Annotated[bool, Query(description="changes as (kind, data's JSON text) pairs in `packed`")] = False,
         user: User = Client) -> Response:
    server = server_of(request)
    position, reset = _cursor(body.cursor, server.epoch)
    e = schema.events.c
    with store_db.reading(server.store.engine) as conn:
        head = int(conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == store_db.LOG)).scalar_one())
        if position > head:
            position, reset = 0, True  # a cursor from the future: the server was restored
        rows = conn.execute(
            sa.select(e.position, e.kind, e.ref, e.at, e.data)
            .join(event_audience, event_audience.c.position == e.position)
            # Range and order on the audience's own key (person, position): an index walk,
            # where ordering by the log's position made the database sort the person's whole history.
            .where(event_audience.c.person == user.id, event_audience.c.position > position,
                   event_audience.c.position <= head)
            .order_by(event_audience.c.position).limit(body.limit + 1)
        ).all()
        client = conn.execute(sa.select(sync_clients).where(sync_clients.c.client_id == body.client_id)).first()
        if client is not None and client.user_id != user.id:
            raise fail(409, "already_exists", "this client id is taken; make a new one (a UUID)")
        done = conn.execute(sa.select(sync_results).where(sync_results.c.client_id == body.client_id,
                                                          sync_results.c.seq > since_seq)
                            .order_by(sync_results.c.seq).limit(1000)).all() if client is not None else []
    more = len(rows) > body.limit
    rows = rows[: body.limit]
    reached = rows[-1].position if more else head
    # The body is written here rather than through the `PullResponse` model: each change's
    # `data` is already compact JSON in the log, so it is spliced in as is instead of being
    # parsed, validated and encoded again (most of a first sync's server time). Same shape
    # and the same bytes as the model would give (`packed` only when asked for).
    dump = _JSON.encode
    if packed:
        changes, tail = "", ',"packed":[' + ",".join(f"[{dump(r.kind)},{dump(r.data)}]" for r in rows) + "]"
    else:
        changes, tail = ",".join(
            f'{{"position":{int(r.position)},"kind":{dump(r.kind)},"ref":{dump(r.ref)},"at":{dump(_iso(r.at))},'
            f'"data":{r.data}}}' for r in rows), ""
    results = [_result(r).model_dump() for r in done]
    text = (f'{{"cursor":{dump(f"{server.epoch}:{reached}")},"last_seq":{int(client.last_seq) if client else 0},'
            f'"changes":[{changes}],"results":{dump(results)},"reset":{dump(reset)},"more":{dump(more)}{tail}}}')
    return Response(content=text.encode(), media_type="application/json")


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
