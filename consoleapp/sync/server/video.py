"""Video links (R17, R18): one room per meeting revision, one link per participant.

A participant's link is `{base_url}/join/{token}`; the token names (meeting, person, revision)
in `video_links`. Opening it runs the engine's `OpenLink` as that person, which records
"Expert attended" / "User attended" on the timeline, then redirects to the room. Outside the
validity window the answer says when the link opens (or that it closed); a token of an older
revision says the meeting moved and where to get the new link.
"""

from __future__ import annotations

import html
import secrets
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.errors import TOO_EARLY, TOO_LATE, when
from consoleapp.engine.live import link_window
from consoleapp.engine.model import Meeting, MeetingStatus
from consoleapp.store.db import reading

from .auth import CurrentUser, User
from .context import Server, server_of
from .customer import own_meeting
from .errors import fail, responses
from .tables import video_links

router = APIRouter(tags=["video"])


class VideoProvider(Protocol):
    """The video platform: makes a room for a meeting revision and cancels a meeting's rooms."""

    def create_room(self, meeting_id: str, revision: int) -> str: ...

    def cancel(self, meeting_id: str) -> None: ...


class DefaultProvider:
    """No external platform: a unique, unguessable room address under `video_base_url`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def create_room(self, meeting_id: str, revision: int) -> str:
        return f"{self.base_url}/{meeting_id}-r{revision}-{secrets.token_urlsafe(12)}"

    def cancel(self, meeting_id: str) -> None:
        return None  # rooms of the default provider simply stop being linked to


def provider_of(server: Server) -> VideoProvider:
    found: VideoProvider | None = getattr(server, "video_provider", None)
    if found is None:
        found = DefaultProvider(server.settings.video_base_url)
        server.video_provider = found  # type: ignore[attr-defined]
    return found


def _linkable(m: Meeting) -> None:
    if m.status not in (MeetingStatus.AGREED, MeetingStatus.HELD) or not m.video_active:
        raise fail(409, "no_video_meeting",
                   f"this meeting has no video meeting (it is {m.status.value}); links exist once it is Agreed")


@router.get("/api/meetings/{meeting_id}/link", responses=responses(404, 409))
def my_link(meeting_id: str, request: Request, user: CurrentUser) -> dict[str, Any]:
    """R17: the caller's own link for the meeting's current time (a new one after a reschedule)."""
    return link_for(server_of(request), user, meeting_id)


def link_for(server: Server, user: User, meeting_id: str) -> dict[str, Any]:
    """The participant's own join link and when it is valid (the desktop's and the web page's)."""
    own_meeting(server, user, meeting_id)
    policy = server.store.policy
    with server.runner.transaction() as tx:
        m = tx.batch.world.meetings[meeting_id]
        _linkable(m)
        v = video_links.c
        row = tx.conn.execute(sa.select(v.token).where(v.meeting_id == m.id, v.person == user.id,
                                                       v.revision == m.video_revision)).first()
        if row is not None:
            token = str(row.token)
        else:
            room = tx.conn.execute(sa.select(v.room).where(v.meeting_id == m.id, v.revision == m.video_revision)
                                   .limit(1)).scalar_one_or_none()
            if room is None:
                room = provider_of(server).create_room(m.id, m.video_revision)
            token = secrets.token_urlsafe(24)
            tx.conn.execute(video_links.insert().values(token=token, meeting_id=m.id, person=user.id,
                                                        revision=m.video_revision, room=room))
        opens, closes = link_window(m, policy)
    return {"meeting_id": meeting_id, "url": f"{server.settings.base_url}/join/{token}", "path": f"/join/{token}",
            "revision": m.video_revision,
            "valid_from": opens.isoformat(), "valid_until": closes.isoformat()}


def _refusal(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if "text/html" in request.headers.get("accept", ""):
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>Expert Console</title></head>"
                f"<body><h1>{html.escape(message[:1].upper() + message[1:])}</h1></body></html>")
        return HTMLResponse(page, status_code=status)
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


@router.get("/join/{token}", status_code=307, response_class=Response, responses={
    307: {"description": "attendance recorded; on to the video room",
          "headers": {"Location": {"description": "the room", "required": True, "schema": {"type": "string"}}}},
    # A browser (Accept: text/html) gets the refusal as a page, a program as JSON.
    **{status: {**declared, "content": {"text/html": {"schema": {"type": "string"}}}}
       for status, declared in responses(404, 409, 410, 425).items()}})
def join(token: str, request: Request) -> Response:
    """R18: record attendance, then on to the room; the token itself is the credential."""
    server = server_of(request)
    if len(token) > 64:
        return _refusal(request, 404, "not_found", "this link is not valid; get yours from the meeting page")
    with reading(server.store.engine) as conn:
        row = conn.execute(sa.select(video_links).where(video_links.c.token == token)).first()
    if row is None:
        return _refusal(request, 404, "not_found", "this link is not valid; get yours from the meeting page")
    policy = server.store.policy
    refused: DomainError | None = None
    moved: Meeting | None = None
    with server.runner.transaction() as tx:
        m = tx.batch.world.meetings.get(row.meeting_id)
        if m is None or m.status is MeetingStatus.CANCELLED or not m.video_active:
            gone = True
        else:
            gone = False
            if row.revision != m.video_revision:
                moved = m
            else:
                result = tx.execute(c.OpenLink(actor=row.person, meeting_id=row.meeting_id))
                if isinstance(result, DomainError):
                    refused = result
    if gone:
        return _refusal(request, 410, "meeting_cancelled", "this meeting was cancelled; the link no longer works")
    if moved is not None:
        start = moved.start or server.clock.now()
        return _refusal(request, 410, "meeting_moved",
                        f"the meeting moved to {when(start)}; get the new link from the meeting page",
                        start=start.isoformat())
    if refused is not None:
        opens, closes = link_window(m, policy)  # type: ignore[arg-type]
        if refused.code == TOO_EARLY:
            return _refusal(request, 425, TOO_EARLY, refused.message, opens_at=_iso(opens))
        if refused.code == TOO_LATE:
            return _refusal(request, 410, TOO_LATE, refused.message, closed_at=_iso(closes))
        return _refusal(request, 409, refused.code, refused.message)
    return RedirectResponse(row.room, status_code=307)


def _iso(moment: datetime) -> str:
    return moment.isoformat()
