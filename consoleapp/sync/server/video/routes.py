"""Video links (R17, R18): one room per meeting revision, one link per participant.

A participant's link is `{base_url}/join/{token}`; the token names (meeting, person, revision)
in `video_links`, beside the revision's room id. Opening it runs the engine's `OpenLink` as that
person, which records "Expert attended" / "User attended" on the timeline, then redirects to
the provider's address for that person. Outside the validity window the answer says when the
link opens (or that it closed); a token of an older revision says the meeting moved and where
to get the new link. Calls to the video platform happen outside the database transaction: a
platform that does not answer gets the participant a 503 and leaves nothing recorded.
"""

from __future__ import annotations

import html
import secrets
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from consoleapp.engine import DomainError, World
from consoleapp.engine import commands as c
from consoleapp.engine.errors import TOO_EARLY, TOO_LATE, when
from consoleapp.engine.live import can_open_video, join_window_of
from consoleapp.engine.model import Meeting, MeetingStatus
from consoleapp.store.db import reading

from ..auth import CurrentUser, User
from ..context import Server, server_of
from ..customer import own_meeting
from ..errors import fail, responses
from ..tables import video_links
from .provider import NoRoom, Participant, Room, VideoUnavailable

router = APIRouter(tags=["video"])
NOT_VALID = "this link is not valid; get yours from the meeting page"


def room_of(world: World, m: Meeting) -> Room:
    """The meeting's current revision as the platform sees it."""
    profile = world.profiles.get(m.expert)
    expert = (profile.name if profile and profile.name else "") or _name(world, m.expert)
    return Room(m.id, m.video_revision, f"Expert Console: meeting with {expert}",
                profile.room_url if profile else "")


def participant(world: World, m: Meeting, person: str) -> Participant:
    profile = world.profiles.get(m.expert) if person == m.expert else None
    return Participant(person, (profile.name if profile and profile.name else "") or _name(world, person),
                       moderator=person == m.expert)


def _name(world: World, person: str) -> str:
    found = world.people.get(person)
    return found.name if found else person


def _linkable(m: Meeting) -> None:
    if not can_open_video(m):
        raise fail(409, "no_video_meeting",
                   f"this meeting has no video meeting (it is {m.status.value}); links exist once it is Agreed")


@router.get("/api/meetings/{meeting_id}/link", responses=responses(404, 409, 503))
def my_link(meeting_id: str, request: Request, user: CurrentUser) -> dict[str, Any]:
    """R17: the caller's own link for the meeting's current time (a new one after a reschedule)."""
    return link_for(server_of(request), user, meeting_id)


def link_for(server: Server, user: User, meeting_id: str) -> dict[str, Any]:
    """The participant's own join link and when it is valid (the desktop's and the web page's)."""
    own_meeting(server, user, meeting_id)
    v = video_links.c
    with server.runner.world() as world:
        m = world.meetings[meeting_id]
        _linkable(m)
        room = room_of(world, m)
        window = join_window_of(m, server.store.policy)
    with reading(server.store.engine) as conn:
        token = conn.execute(sa.select(v.token).where(v.meeting_id == m.id, v.person == user.id,
                                                      v.revision == m.video_revision)).scalar_one_or_none()
        room_id = None if token else _room_id(conn, m.id, m.video_revision)
    if token is None:
        if room_id is None:  # the revision's first link: the room is made on the platform first
            try:
                room_id = server.video.room_name(room)
                server.video.open_room(room_id, room)
            except NoRoom as exc:
                raise fail(409, "no_room", str(exc)) from None
            except VideoUnavailable as exc:
                raise fail(503, "video_unavailable", str(exc)) from None
        token = _store_link(server, m, user.id, room_id)
    return {"meeting_id": meeting_id, "url": f"{server.settings.base_url}/join/{token}", "path": f"/join/{token}",
            "revision": m.video_revision,
            "valid_from": window.opens.isoformat(), "valid_until": window.closes.isoformat()}


def _room_id(conn: sa.Connection, meeting_id: str, revision: int) -> str | None:
    v = video_links.c
    found = conn.execute(sa.select(v.room).where(v.meeting_id == meeting_id, v.revision == revision)
                         .order_by(v.token).limit(1)).scalar_one_or_none()
    return None if found is None else str(found)


def _store_link(server: Server, m: Meeting, person: str, room_id: str) -> str:
    """Keep the participant's token; a room another participant's request stored meanwhile wins."""
    v = video_links.c
    with server.runner.transaction() as tx:
        mine = tx.conn.execute(sa.select(v.token).where(v.meeting_id == m.id, v.person == person,
                                                        v.revision == m.video_revision)).scalar_one_or_none()
        if mine is not None:
            return str(mine)
        room_id = _room_id(tx.conn, m.id, m.video_revision) or room_id
        token = secrets.token_urlsafe(24)
        tx.conn.execute(video_links.insert().values(token=token, meeting_id=m.id, person=person,
                                                    revision=m.video_revision, room=room_id))
    return token


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
       for status, declared in responses(404, 409, 410, 425, 503).items()}})
def join(token: str, request: Request) -> Response:
    """R18: record attendance, then on to the room; the token itself is the credential."""
    server = server_of(request)
    if len(token) > 64:
        return _refusal(request, 404, "not_found", NOT_VALID)
    with reading(server.store.engine) as conn:
        row = conn.execute(sa.select(video_links).where(video_links.c.token == token)).first()
    if row is None:
        return _refusal(request, 404, "not_found", NOT_VALID)
    policy = server.store.policy
    with server.runner.world() as world:
        m = world.meetings.get(row.meeting_id)
        if m is None or m.status is MeetingStatus.CANCELLED or not m.video_active:
            return _refusal(request, 410, "meeting_cancelled", "this meeting was cancelled; the link no longer works")
        if row.revision != m.video_revision:
            return _moved(request, server, m)
        room, who = room_of(world, m), participant(world, m, row.person)
    window = join_window_of(m, policy)
    opens, closes = window.opens, window.closes
    address = None
    if window.is_open(server.clock.now()):
        # The platform first: attendance is recorded only once there is a room to go to.
        try:
            room_id = str(row.room)
            if "://" in room_id and server.video.name != "personal":
                room_id = _replace_room(server, row, room)
            address = server.video.join_url(room_id, room, who, closes)
        except VideoUnavailable as exc:
            return _refusal(request, 503, "video_unavailable", str(exc))
    with server.runner.transaction() as tx:
        now_m = tx.batch.world.meetings[row.meeting_id]
        if now_m.video_revision != row.revision:  # moved while the platform answered
            moved: Meeting | None = now_m
        else:
            moved, result = None, tx.execute(c.OpenLink(actor=row.person, meeting_id=row.meeting_id))
    if moved is not None:
        return _moved(request, server, moved)
    if isinstance(result, DomainError):
        if result.code == TOO_EARLY:
            return _refusal(request, 425, TOO_EARLY, result.message, opens_at=opens.isoformat())
        if result.code == TOO_LATE:
            return _refusal(request, 410, TOO_LATE, result.message, closed_at=closes.isoformat())
        return _refusal(request, 409, result.code, result.message)
    if address is None:  # the engine let in what the window said was shut: never a room without a check
        return _refusal(request, 409, "try_again", "the link's window just changed; open your link again")
    return RedirectResponse(address, status_code=307)


def _replace_room(server: Server, row: Any, room: Room) -> str:
    """A room address kept by an earlier version (a placeholder URL, not a room of this provider):
    the revision gets a room of the provider, for every participant's link; the first one made wins."""
    v = video_links.c
    fresh = server.video.room_name(room)
    server.video.open_room(fresh, room)
    with server.runner.transaction() as tx:
        tx.conn.execute(video_links.update().where(v.meeting_id == row.meeting_id, v.revision == row.revision,
                                                   v.room == row.room).values(room=fresh))
        return _room_id(tx.conn, row.meeting_id, row.revision) or fresh


def _moved(request: Request, server: Server, m: Meeting) -> Response:
    start = m.start or server.clock.now()
    return _refusal(request, 410, "meeting_moved",
                    f"the meeting moved to {when(start)}; get the new link from the meeting page",
                    start=start.isoformat())
