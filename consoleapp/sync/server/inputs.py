"""Text the database cannot keep is refused at the door: the NUL character (U+0000).

PostgreSQL text cannot hold NUL, so a NUL in a path, a query or a JSON body used to fail deep
inside a query as a 500 there, while SQLite kept it. No name, topic, reason or id ever needs
one, so every request carrying one is refused with a 422 on both databases, before any route
runs. (Found by the API fuzz, tests/reliability/test_fuzz.py.)

In JSON a NUL can only arrive escaped, as `\\u0000` (a raw control character is not JSON); an
escaped backslash followed by the letters `u0000` is not a NUL and passes.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import errors

# `\u0000` preceded by an even number of backslashes (each pair is one escaped backslash).
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
MESSAGE = "text must not contain the NUL character (U+0000); remove it and send again"


def has_nul(body: bytes) -> bool:
    # The plain search first: the pattern has no literal prefix for the regex engine to skip to,
    # so searching with it alone cost 0.2 ms per push of 50 commands (7 kB), 4 % of a push's CPU.
    return b"\x00" in body or (b"\\u0000" in body and _ESCAPED_NUL.search(body) is not None)


class RefuseNul:
    """An ASGI middleware: 422 for a NUL in the path, the query or a JSON body.

    Goes inside `BodyLimit`, so only bodies within the limit are read; attachment uploads
    (raw bytes, which may hold anything) pass unread.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query:
            await errors.problem(422, "invalid", MESSAGE)(scope, receive, send)
            return
        if scope.get("method") not in _BODY_METHODS or _is_upload(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replay([], message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        if has_nul(b"".join(chunks)):
            await errors.problem(422, "invalid", MESSAGE)(scope, receive, send)
            return
        await self.app(scope, _replay(chunks, None, receive), send)


def _replay(chunks: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """The body already read, as one message, then whatever the client sends next."""
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}] if last is None else [last]

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _is_upload(scope: Scope) -> bool:
    from .attachments import UPLOAD_PATH

    return scope.get("method") == "PUT" and bool(UPLOAD_PATH.match(scope.get("path", "")))
