"""The pages' live channel: the same Server-Sent Events as the desktop's `/sync/stream`, for the
browser's session cookie (an EventSource sends cookies, not headers). A page that shows
something that can change (the waiting page, the live session, a meeting) refreshes its parts
when a poke says the customer's data moved."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from consoleapp.engine.model import Role

from ...protocol import MAX_POSITION
from .. import stream as sync_stream
from ..context import server_of
from . import site

router = APIRouter(include_in_schema=False)


@router.get("/web/stream")
async def stream(request: Request, since: int = Query(-1, ge=-1, le=MAX_POSITION)) -> Response:
    user = await asyncio.to_thread(site.web_user, request)
    if user is None or user.role is Role.OPERATOR:
        # Logged out: nothing to listen to (EventSource stops on 204). Operators' pages have no
        # live parts, and a channel reconnecting by itself must not keep their session alive.
        return Response(status_code=204)
    server = server_of(request)
    sync_stream.stop_streams_on_exit(server.hub)
    queue = server.hub.subscribe(user.id)
    last = site.stream_since(request, since)
    try:
        head, newest = await asyncio.to_thread(sync_stream.opening, server, user.id, last)
    except BaseException:
        server.hub.unsubscribe(user.id, queue)
        raise
    return StreamingResponse(sync_stream.event_frames(server, user.api, queue, head, last, newest),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
