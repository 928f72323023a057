"""A live session from the browser's side (R18-R21): the count, the chat, the connection.

The count is the engine's `LiveSession` read at the server's clock, so the customer's page and
the expert's desktop show the same seconds; the chat and the attachments are the meeting's
transcript. Writes go through `write_path.mutate` with the caller as actor. Only the meeting's
two participants see or touch any of it; to anyone else it answers 404, as if it did not exist.
Files are sent and fetched with the attachment routes (attachments.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from consoleapp.engine import commands as c
from consoleapp.engine.events import ChatMessagePosted, Event
from consoleapp.engine.model import Meeting, Role

from ..protocol import new_id
from .auth import User, role
from .context import Server, server_of
from .customer import IdText, own_meeting
from .errors import responses
from .runner import Tx
from .write_path import check_key, jsonable, mutate, refusals, titles

router = APIRouter(tags=["customer"], dependencies=[Depends(check_key)])

ParticipantUser = Annotated[User, role(Role.CUSTOMER, Role.EXPERT)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Chat(Body):
    text: str = Field(min_length=1, max_length=4000)
    message_id: IdText | None = Field(default=None, description="your id for the message; a new one if left out")


class Connection(Body):
    connected: bool = Field(description="false: the connection dropped, the count pauses (R19); true: back, it resumes")


# --- reading ------------------------------------------------------------------------------------


def session_clock(m: Meeting, now: datetime) -> dict[str, Any]:
    """R19: the count at `now`; before the start, what the session will allot."""
    live = m.live
    if live is None:
        return {"started": False, "running": False, "paused": False, "ended": False,
                "remaining_seconds": m.minutes * 60, "elapsed_seconds": 0, "allotted_seconds": m.minutes * 60,
                "gifted": False, "warned": False, "started_at": None, "ended_at": None, "server_time": now}
    running = live.running_since is not None
    ended = live.ended_at is not None
    return {"started": True, "running": running, "paused": not running and not ended, "ended": ended,
            "remaining_seconds": max(live.remaining(now), 0), "elapsed_seconds": live.elapsed(now),
            "allotted_seconds": live.allotted_seconds, "gifted": live.gifted, "warned": live.warned,
            "started_at": live.started_at, "ended_at": live.ended_at, "server_time": now}


def live_view(server: Server, user: User, meeting_id: str) -> dict[str, Any]:
    """The session as either participant sees it: the count, the chat, the attachments, the recording
    (records and datetimes: the API makes them JSON, the web page formats them)."""
    m = own_meeting(server, user, meeting_id)
    now = server.clock.now()
    chat: list[dict[str, Any]] = []
    files: dict[str, dict[str, Any]] = {}
    recording = None
    for x in server.store.transcript(meeting_id):
        if x["event"] == "ChatMessagePosted":
            chat.append({"message_id": x["message_id"], "author": x["author"], "text": x["text"], "at": x["at"]})
        elif x["event"] == "AttachmentAdded":
            # the first record of an id is the attachment, as the attachment routes read it
            files.setdefault(x["attachment_id"], {
                "id": x["attachment_id"], "name": x["name"], "kind": x["kind"], "size": x["size"],
                "author": x["author"], "at": x["at"],
                "download": f"/api/meetings/{meeting_id}/attachments/{x['attachment_id']}"})
        elif x["event"] == "RecordingAttached":
            recording = x["uri"]
    return {"meeting_id": m.id, "status": m.status, "start": m.start, "end": m.end, "mode": m.mode,
            **session_clock(m, now), "chat": chat, "attachments": list(files.values()), "recording": recording}


# --- routes ---------------------------------------------------------------------------------------


@router.get("/api/meetings/{meeting_id}/live", responses=responses(404))
def live_session(meeting_id: str, request: Request, user: ParticipantUser) -> dict[str, Any]:
    """R19-R21: the count on the server's clock, the chat and the attachments; poll it while the session runs."""
    return jsonable(live_view(server_of(request), user, meeting_id))  # type: ignore[no-any-return]


@router.post("/api/meetings/{meeting_id}/chat", status_code=201, responses=refusals())
def post_chat(meeting_id: str, body: Chat, request: Request, user: ParticipantUser) -> JSONResponse:
    """R21: a chat message, kept in the session's transcript."""
    own_meeting(server_of(request), user, meeting_id)
    cmd = c.PostChat(actor=user.id, meeting_id=meeting_id, message_id=body.message_id or new_id(), text=body.text)

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        posted = next(ev for ev in events if isinstance(ev, ChatMessagePosted))
        return {"message": {"message_id": posted.message_id, "author": posted.author, "text": posted.text,
                            "at": posted.at}, "events": titles(events)}

    return mutate(request, user, body, [cmd], respond, 201)


@router.post("/api/meetings/{meeting_id}/connection", responses=refusals())
def connection(meeting_id: str, body: Connection, request: Request, user: ParticipantUser) -> JSONResponse:
    """R19: say the connection dropped (the count pauses) or is back (it resumes)."""
    server = server_of(request)
    own_meeting(server, user, meeting_id)
    cmd: c.Command = (c.Reconnect(actor=user.id, meeting_id=meeting_id) if body.connected
                      else c.Disconnect(actor=user.id, meeting_id=meeting_id))

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        m = tx.batch.world.meetings[meeting_id]
        return {"meeting_id": m.id, "status": m.status, **session_clock(m, server.clock.now()),
                "events": titles(events)}

    return mutate(request, user, body, [cmd], respond)
