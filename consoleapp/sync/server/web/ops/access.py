"""Who may see the operators' console, and how its pages are kept out of caches.

Only an operator's browser session opens these pages. Anyone else gets exactly what an address
that does not exist answers (a 404 page to a browser, the same JSON to anything else), so the
console's addresses tell them nothing. A browser whose operator session ended (idle for
`operator_idle_minutes`, or logged out) is sent to log in again, and comes back after.
"""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consoleapp.engine.model import Role

from .. import site

PREFIX = "/ops"


class SessionEnded(site.LoginNeeded):
    """The operator's session ended: the login page says why, and comes back to `back`."""


def operator_only(request: Request) -> None:
    """Router dependency of every console page (runs first)."""
    user = site.web_user(request)
    if user is not None and user.role is Role.OPERATOR:
        site.page(request)
        return
    if user is None and site.ended_operator_session(request):
        site.page(request)
        raise SessionEnded(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    # As an unknown address: a page to a browser asking for one, JSON otherwise.
    request.state.page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    raise HTTPException(404)


def me(request: Request) -> site.WebUser:
    """The operator of this request (`operator_only` has checked)."""
    user = site.web_user(request)
    assert user is not None and user.role is Role.OPERATOR
    return user


class NoStore:
    """The console's answers are never kept by a browser or a proxy (back after logging out
    shows nothing; a shared computer keeps no case open)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)
