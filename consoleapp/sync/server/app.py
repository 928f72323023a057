"""The server application: `create_app(settings)` wires the store, the clock and every route."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consoleapp import __version__
from consoleapp.store.db import reading

from . import (
    admin_routes,
    attachments,
    auth,
    calendar,
    clock_routes,
    customer,
    customer_events,
    customer_live,
    errors,
    listener,
    operator,
    payments,
    promos,
    scheduler,
    stream,
    sync_routes,
    web,
)
from .clock import Clock
from .context import Server
from .inputs import RefuseNul
from .opening import open_server
from .routing import add_routes
from .settings import Settings
from .video import routes as video_routes

# Every API router, each domain's in its own module, in the order they are matched (the site's pages are
# listed in `web.ROUTERS`). A module is imported here by name: a missing one fails at import, never silently.
# The desktops' own come first, before the site's pages: a request walks the routes in order, and a
# push matched behind all the others spent 133 µs finding its endpoint, 9 µs first (no page's path
# begins with /sync, so nothing else changes where it goes).
DESKTOP_ROUTERS: tuple[APIRouter, ...] = (sync_routes.router, stream.router)
ROUTERS: tuple[APIRouter, ...] = (
    auth.router, customer.router, customer_events.router, customer_live.router,
    operator.router, video_routes.router, admin_routes.router, clock_routes.router, attachments.router,
    calendar.router, payments.router, payments.webhooks, promos.router,
)


class BodyLimit:
    """Refuse bodies over the limit with a 413 that says the limit: before reading when
    Content-Length says so, and as soon as the count passes it when the body comes chunked
    (without a length), which used to be read whole, whatever its size."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _upload(scope):
            await self.app(scope, receive, send)
            return
        message = f"the request body is over {self.limit} bytes"
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await errors.problem(413, "too_large", message)(scope, receive, send)
            return
        received, started = 0, False

        async def counting() -> Message:
            nonlocal received
            got = await receive()
            if got["type"] == "http.request":
                received += len(got.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(message)
            return got

        async def watching(sent: Message) -> None:
            nonlocal started
            started = started or sent["type"] == "http.response.start"
            await send(sent)

        try:
            await self.app(scope, counting, watching)
        except _TooLarge:
            # Raised in a middleware's read (RefuseNul reads bodies): answered here. Inside a
            # route FastAPI passes an HTTPException on, and the app's handler answers the same.
            if started:
                raise
            await errors.problem(413, "too_large", message)(scope, receive, send)


class _TooLarge(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(413, {"code": "too_large", "message": message})


def _upload(scope: Scope) -> bool:
    """Attachment uploads enforce their own, larger limit while streaming (attachments.py), from the
    API (PUT) and from the live session page's form (POST)."""
    from .attachments import UPLOAD_PATH
    from .web.live import UPLOAD_PATH as WEB_UPLOAD_PATH

    method, path = scope.get("method"), scope.get("path", "")
    return (method == "PUT" and bool(UPLOAD_PATH.match(path))) or (method == "POST" and bool(WEB_UPLOAD_PATH.match(path)))


class ServerTime:
    """Every answer says the server's own time (`X-Server-Time`, ISO 8601), which clients follow.

    A fixed clock costs no database read; a movable (test) clock's offset is re-read at most
    every half second.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._offset, self._read_at = 0.0, -1.0

    def _now(self, clock: Clock) -> datetime:
        if not clock.movable:
            return clock.now()
        if time.monotonic() - self._read_at > 0.5:
            self._offset, self._read_at = clock.offset(), time.monotonic()
        return clock.wall() + timedelta(seconds=self._offset)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                with contextlib.suppress(Exception):  # the time is a courtesy; never fail an answer for it
                    srv = getattr(scope["app"].state, "server", None)
                    if srv is not None:
                        MutableHeaders(scope=message).append("X-Server-Time", self._now(srv.clock).isoformat())
            await send(message)

        await self.app(scope, receive, send_time)


def settle_memory() -> None:
    """What the process holds once started (its modules, the open business just loaded) stays for
    its life: moved out of the garbage collector's reach, so that a full collection, which else walks
    it all and comes every few hundred writes, costs what was made since. Writes allocate the most,
    so that is where collections land, and there they held the log counter's lock, which every
    worker's writes wait for. (Python's documentation advises `gc.freeze` for long-lived servers.)"""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, server: Server | None = None) -> FastAPI:
    settings = settings or (server.settings if server else Settings.from_env())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        srv = app.state.server = server or open_server(settings)
        if server is None:  # the process is the server's (`serve`), not a test's that opened one to share
            settle_memory()
        srv.hub.bind(asyncio.get_running_loop())
        tasks: list[asyncio.Task[Any]] = [asyncio.create_task(t) for t in background(srv)]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if server is None:
                srv.store.close()

    app = FastAPI(title="Expert Console sync server", version=__version__, lifespan=lifespan)
    errors.install(app)
    app.add_middleware(RefuseNul)  # added first, so it runs inside BodyLimit: reads only bodies within the limit
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(ServerTime)
    add_routes(app, DESKTOP_ROUTERS)
    web.install(app)  # its pages come before the other API routers: `/e/{slug}` is a page for browsers, JSON for the rest
    add_routes(app, ROUTERS)

    @app.get("/health", tags=["server"], response_model=Health,
             responses={503: {"model": Health, "description": "the database does not answer"}})
    def health(request: Request) -> JSONResponse:
        srv: Server = request.app.state.server
        try:
            with reading(srv.store.engine) as conn:
                conn.execute(sa.text("SELECT 1"))
            database = "ok"
        except sa.exc.SQLAlchemyError as exc:
            database = f"unreachable: {type(exc).__name__}"
        body = {"status": "ok" if database == "ok" else "degraded", "version": __version__,
                "database": database, "dialect": srv.store.engine.dialect.name, "epoch": srv.epoch}
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    @app.get("/policy", tags=["server"])
    def policy(request: Request) -> dict[str, Any]:
        """This deployment's rules (fees, windows, minimum prices): desktops decide with the same; and
        its video provider (`jitsi`, `bbb`, `personal`: with `personal` an expert's profile needs a room link)."""
        srv: Server = request.app.state.server
        return {"policy": srv.store.policy.to_mapping(), "video_provider": srv.video.name}

    errors.document(app)
    return app


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    database: str = Field(description="'ok', or why the database is unreachable")
    dialect: str
    epoch: str = Field(description="names this copy of the data; a restore takes a new one")


def background(server: Server) -> list[Any]:
    """Coroutines that run beside the routes: the scheduler, the cross-process listener."""
    return [scheduler.run(server), listener.run(server)]
