"""The live stream (`GET /sync/stream`, Server-Sent Events) and `GET /sync/notifications`.

Authentication: `Authorization: Bearer <token>` as everywhere, or `?token=<token>` for
EventSource clients, which cannot set headers. (A token in a URL can end up in proxy logs:
prefer the header where the client allows it.)

What the stream sends, for the authenticated caller only:
- `event: poke`, `id: <position>`, `data: {"position": N}` when a change the caller may see has
  committed (N is the log position it reached): pull now. Pokes are coalesced: a slow reader
  gets the newest one, and a poke never repeats a position already announced.
- `event: notification`, `id: <position>`, `data: {"kind", "text", "ref", "at", "position"}` for
  each notification addressed to the caller (R35), sent just before the poke that carries it.
- `: keep-alive` comments every 15 s (`CONSOLEAPP_STREAM_KEEPALIVE_SECONDS`).
- On connect with `Last-Event-ID: N` (header, or `?last_event_id=N`): the notifications after N,
  and a poke at once if the caller has changes after N.

Each stream costs one small queue in the hub and one sleeping coroutine; the database is
read only when a poke arrives. When the server shuts down every stream ends, so the process
can exit; clients reconnect (with `Last-Event-ID`) to another worker or after the restart.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
from collections.abc import AsyncIterator
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from consoleapp.engine.model import Role
from consoleapp.store import db, schema
from consoleapp.store.db import reading

from ..protocol import MAX_POSITION
from .auth import CurrentUser, User, current_user
from .context import Server, server_of
from .errors import fail, responses
from .hub import Hub
from .notify import OPERATORS, as_json
from .tables import event_audience

router = APIRouter(prefix="/sync", tags=["sync"])

KEEPALIVE_ENV = "CONSOLEAPP_STREAM_KEEPALIVE_SECONDS"
RETRY_MS = 3000  # how soon an EventSource reconnects after the stream ends


def keepalive_seconds() -> float:
    try:
        return max(0.05, float(os.environ.get(KEEPALIVE_ENV, "15")))
    except ValueError:
        return 15.0


def authenticate(request: Request, token: str) -> User:
    """The Bearer header, or else the `token` query parameter."""
    if token and not request.headers.get("authorization"):
        headers = [*request.scope["headers"], (b"authorization", f"Bearer {token}".encode())]
        request = Request({**request.scope, "headers": headers}, request.receive)
    return current_user(request)


def recipients(user: User) -> list[str]:
    return [user.id, OPERATORS] if user.role is Role.OPERATOR else [user.id]


def notifications_after(server: Server, user: User, after: int, limit: int = 500) -> list[dict[str, Any]]:
    found = [as_json(row) for who in recipients(user) for row in server.store.notifications(who, after, limit)]
    return sorted(found, key=lambda n: n["position"])[:limit]


def opening(server: Server, person: str, last: int | None) -> tuple[int, int]:
    """(head of the log, the caller's newest change after `last`, or 0)."""
    with reading(server.store.engine) as conn:
        head = int(conn.execute(sa.select(schema.counters.c.value)
                                .where(schema.counters.c.name == db.LOG)).scalar() or 0)
        newest = 0
        if last is not None:
            a = event_audience.c
            newest = int(conn.execute(sa.select(sa.func.max(a.position))
                                      .where(a.person == person, a.position > last)).scalar() or 0)
            if last > head:  # a cursor from the future: the data was restored; let the client pull and see
                newest = head
    return head, newest


def frame(event: str, position: int, data: dict[str, Any]) -> str:
    return f"event: {event}\nid: {position}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


@router.get("/stream", response_class=StreamingResponse, openapi_extra={"security": [{"bearer": []}]}, responses={
    200: {"description": "Server-Sent Events: `poke`, `notification` and keep-alive comments, until the server stops",
          "content": {"text/event-stream": {"schema": {"type": "string"}}}},
    **responses(401, 403, 422)})
async def stream(request: Request, token: str = "", last_event_id: str = "") -> StreamingResponse:
    server = server_of(request)
    user = await run_in_threadpool(authenticate, request, token)
    raw = request.headers.get("last-event-id") or last_event_id
    last: int | None = None
    if raw:
        if not raw.strip().isdigit() or int(raw.strip()) > MAX_POSITION:
            raise fail(422, "invalid", "Last-Event-ID must be a log position (a whole number) from this stream")
        last = int(raw.strip())
    stop_streams_on_exit(server.hub)
    queue = server.hub.subscribe(user.id)  # before reading the head, so nothing falls between
    try:
        head, newest = await asyncio.to_thread(opening, server, user.id, last)
    except BaseException:
        server.hub.unsubscribe(user.id, queue)
        raise
    return StreamingResponse(
        event_frames(server, user, queue, head, last, newest), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"})


async def event_frames(server: Server, user: User, queue: asyncio.Queue[int], head: int,
                  last: int | None, newest: int) -> AsyncIterator[str]:
    hub: Hub = server.hub
    keepalive = keepalive_seconds()
    try:
        yield f"retry: {RETRY_MS}\n: connected to worker {os.getpid()}\n\n"
        noted = head if last is None else last  # notifications sent up to this position
        told = noted  # pokes sent up to this position
        if last is not None:
            notes = await asyncio.to_thread(notifications_after, server, user, last)
            for n in notes:
                yield frame("notification", n["position"], n)
                noted = max(noted, n["position"])
            if newest or notes:
                told = max(newest, noted)
                yield frame("poke", told, {"position": told})
        while True:
            try:
                position = await asyncio.wait_for(queue.get(), keepalive)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            while not queue.empty() and position >= 0:  # coalesce: only the newest matters
                nxt = queue.get_nowait()
                position = nxt if nxt < 0 else max(position, nxt)
            if position < 0:
                return  # the server is shutting down
            if position <= told:
                continue  # already announced (our own NOTIFY heard back, or a repeat)
            notes = await asyncio.to_thread(notifications_after, server, user, noted)
            for n in notes:
                yield frame("notification", n["position"], n)
                noted = max(noted, n["position"])
            told = max(position, noted)
            yield frame("poke", told, {"position": told})
    finally:
        hub.unsubscribe(user.id, queue)


@router.get("/notifications")
def notifications(request: Request, user: CurrentUser, after: int = Query(0, ge=0, le=MAX_POSITION),
                  limit: int = Query(100, ge=1, le=500)) -> list[dict[str, Any]]:
    """The caller's notifications after a log position, oldest first (R35)."""
    return notifications_after(server_of(request), user, after, limit)


# --- ending streams on shutdown ----------------------------------------------------------

_hubs: list[Hub] = []
_installed = False
_guard = threading.Lock()


def stop_streams_on_exit(hub: Hub) -> None:
    """uvicorn waits for open responses before it shuts down; a stream never ends by itself.

    So on SIGTERM/SIGINT we first end every stream, then hand the signal to uvicorn's handler.
    Installed on the first stream (signal handlers can only be set from the main thread).
    """
    global _installed
    with _guard:
        if hub not in _hubs:
            _hubs.append(hub)
        if _installed or threading.current_thread() is not threading.main_thread():
            return
        _installed = True
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)
        if not callable(previous):
            continue

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            for h in list(_hubs):
                h.close_all()
            previous(signum, frame)

        signal.signal(sig, handler)
