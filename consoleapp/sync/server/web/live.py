"""The customer's live session page (R19-R21): the count on the server's clock, the warning, the
gifted minutes, chat and files both ways with the expert's desktop.

The page's own event stream is the customer's connection to the session: while one is open the
count runs; when the last one drops (the tab closed, the network gone) the engine's Disconnect
pauses it, and the next one to open resumes it (Reconnect). The video stays in the provider's
room behind the join link. Without JavaScript the page still shows the count and the chat as they
are, and the forms work; only the live updates need it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.model import Meeting, MeetingStatus

from ...protocol import MAX_POSITION
from .. import stream as sync_stream
from ..attachments import attachment_file, receive_file, record
from ..context import Server, server_of
from ..customer_live import live_view
from ..video.routes import link_for
from . import site
from .meetings import expert_names, mine

router = APIRouter(include_in_schema=False, dependencies=[Depends(site.page)])

UPLOAD_PATH = re.compile(r"^/me/meetings/[^/]+/files/?$")  # BodyLimit lets these through: attachments have their own limit


def _view(server: Server, user: site.WebUser, m: Meeting) -> dict[str, Any]:
    view = live_view(server, user.api, m.id)
    view["warning_seconds"] = server.store.policy.session_warning_seconds
    return view


def _video(server: Server, user: site.WebUser, m: Meeting) -> dict[str, Any] | None:
    """The customer's own join link while it is valid (R17); the room itself is the provider's."""
    if m.status is not MeetingStatus.AGREED or not m.video_active:
        return None
    try:
        return link_for(server, user.api, m.id)
    except HTTPException:
        return None


def _render(request: Request, template: str, m: Meeting, status: int = 200, **more: Any) -> Response:
    user = site.customer(request)
    server = server_of(request)
    return site.render(request, template, status=status, m=m, live=_view(server, user, m), me=user,
                       video=_video(server, user, m) if template == "live.html" else None,
                       expert_name=expert_names(server, [m]).get(m.expert, ""),
                       stream_url=f"/me/meetings/{m.id}/live/stream", Status=MeetingStatus, **more)


@router.get("/me/meetings/{meeting_id}/live")
def live_page(meeting_id: str, request: Request, part: str = "") -> Response:
    user = site.customer(request)
    m = mine(server_of(request), user, meeting_id)
    if part in ("clock", "chat", "files"):
        return _render(request, f"live_{part}.html", m)
    return _render(request, "live.html", m, form=site.Form())


# --- the connection: the page's stream ---------------------------------------------------------------

_open: Counter[tuple[str, str]] = Counter()  # (customer, meeting) -> open live streams in this process
_guard = threading.Lock()


def _connection(server: Server, user: site.WebUser, meeting_id: str, connected: bool) -> None:
    """Tell the engine the customer's connection came or went; nothing when no session runs."""
    command: c.Command = (c.Reconnect(actor=user.id, meeting_id=meeting_id) if connected
                          else c.Disconnect(actor=user.id, meeting_id=meeting_id))
    with contextlib.suppress(DomainError):  # not started yet, or over: there is no count to move
        server.runner.one(command)


@router.get("/me/meetings/{meeting_id}/live/stream")
async def live_stream(meeting_id: str, request: Request, since: int = Query(-1, ge=-1, le=MAX_POSITION)) -> Response:
    user = await asyncio.to_thread(site.web_user, request)
    if user is None:
        return Response(status_code=204)
    server = server_of(request)
    m = await asyncio.to_thread(mine, server, user, meeting_id)
    key = (user.id, m.id)
    with _guard:
        _open[key] += 1
        first = _open[key] == 1
    if first:
        await asyncio.to_thread(_connection, server, user, m.id, True)
    sync_stream.stop_streams_on_exit(server.hub)
    queue = server.hub.subscribe(user.id)
    start = site.stream_since(request, since)
    head, newest = await asyncio.to_thread(sync_stream.opening, server, user.id, start)

    async def frames() -> AsyncIterator[str]:
        try:
            async for frame in sync_stream.event_frames(server, user.api, queue, head, start, newest):
                yield frame
        finally:
            with _guard:
                _open[key] -= 1
                last = _open[key] <= 0
                if last:
                    del _open[key]
            if last:  # not awaited: the stream's task is being cancelled, the thread goes on
                asyncio.get_running_loop().run_in_executor(None, _connection, server, user, m.id, False)

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# --- chat and files ------------------------------------------------------------------------------------


async def _back(request: Request, m: Meeting, part: str, form: site.Form | None = None, status: int = 200) -> Response:
    """After a post: the updated part for htmx, the page again otherwise."""
    if request.headers.get("hx-request"):
        return _render(request, f"live_{part}.html", m, status, form=form or site.Form())
    if form is not None and not form.ok:
        return _render(request, "live.html", m, form=form)
    return site.redirect(request, f"/me/meetings/{m.id}/live")


@router.post("/me/meetings/{meeting_id}/chat")
async def chat(meeting_id: str, request: Request) -> Response:
    """R21: a message to the expert, in the session's transcript."""
    user = site.customer(request)
    form = await site.Form.read(request)
    server = server_of(request)
    m = mine(server, user, meeting_id)
    text = form.text("text", limit=4000)
    if form.ok and site.replayed(request, user, form) is None:
        try:
            site.run(request, user, form, [c.PostChat(actor=user.id, meeting_id=m.id, message_id=uuid.uuid4().hex,
                                                      text=text)], {"meeting": m.id})
            form = site.Form()
        except DomainError as refused:
            form.problem = refused.message
    return await _back(request, m, "chat", form)


@router.post("/me/meetings/{meeting_id}/files")
async def share(meeting_id: str, request: Request) -> Response:
    """R21: a file, or a code snippet typed in, shared with the expert."""
    user = site.customer(request)
    server = server_of(request)
    m = mine(server, user, meeting_id)
    data = await request.form(max_part_size=server.settings.max_attachment_bytes)
    site.check_csrf(request, data)
    form = site.Form({k: v for k, v in data.items() if isinstance(v, str)}, tr=site.gettext_for(site.choose_locale(request)))
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        name, kind = upload.filename, "file"
        chunks = _chunks(upload)
    else:
        code = form.values.get("snippet", "")
        name = form.text("snippet_name", limit=255) or ""
        if not code.strip():
            form.errors["snippet"] = form.tr("Choose a file, or paste a snippet.")
        name, kind = name, "snippet"
        chunks = _once(code.encode("utf-8"))
    if form.ok:
        try:
            temp, size, digest = await receive_file(server, chunks)
            try:
                await asyncio.to_thread(record, server, user.api, m.id, uuid.uuid4().hex, name, kind, size, digest, temp)
            finally:
                temp.unlink(missing_ok=True)
        except DomainError as refused:
            form.problem = refused.message
        except HTTPException as refused:  # over the size limit: said beside the form
            form.problem = site.refusal_text(request, refused)
    return await _back(request, m, "files", form if not form.ok else None)


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(64 * 1024):
        yield chunk


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


@router.get("/me/meetings/{meeting_id}/files/{attachment_id}")
def download(meeting_id: str, attachment_id: str, request: Request) -> Response:
    user = site.customer(request)
    return attachment_file(server_of(request), user.api, meeting_id[:200], attachment_id[:64])


@router.post("/me/meetings/{meeting_id}/end")
async def end(meeting_id: str, request: Request) -> Response:
    """R20: either side may end the session; it is billed on the connected minutes."""
    user = site.customer(request)
    form = await site.Form.read(request)
    server = server_of(request)
    m = mine(server, user, meeting_id)
    if site.replayed(request, user, form) is None:
        try:
            site.run(request, user, form, [c.EndSession(actor=user.id, meeting_id=m.id)], {"meeting": m.id})
        except DomainError as refused:
            form.problem = refused.message
            return _render(request, "live.html", mine(server, user, meeting_id), form=form)
    return site.redirect(request, f"/me/meetings/{m.id}")
