"""R17: moving a meeting regenerates its links and cancelling cancels it: the old room is ended
on the platform where the platform can (BigBlueButton's `end`).

Run by the runner after a transaction commits (`Runner.after_commit`), whichever way the command
came (a desktop's push, a page, the API, the scheduler). The command already stands: a platform
that does not answer is logged, never the user's error. Old links stop working anyway, since
`/join` checks the meeting's revision and status.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from consoleapp.engine import Event
from consoleapp.engine import events as e
from consoleapp.store.db import reading

from ..context import Server
from ..tables import video_links
from .provider import VideoUnavailable

log = logging.getLogger("consoleapp.video")


def end_old_rooms(server: Server, events: list[Event]) -> None:
    v = video_links.c
    ends: list[tuple[str, int | None]] = []  # (meeting, revision ended; None: the latest one)
    for ev in events:
        if isinstance(ev, e.VideoMeetingEdited):
            ends.append((ev.ref, ev.revision - 1))
        elif isinstance(ev, e.VideoMeetingCancelled):
            ends.append((ev.ref, None))
    if not ends:
        return
    rooms: set[str] = set()
    with reading(server.store.engine) as conn:
        for meeting_id, revision in ends:
            if revision is None:
                revision = conn.execute(sa.select(sa.func.max(v.revision)).where(v.meeting_id == meeting_id)).scalar()
            rooms.update(str(room) for room in conn.execute(
                sa.select(v.room).where(v.meeting_id == meeting_id, v.revision == revision).distinct()).scalars())
    for room in sorted(rooms):
        try:
            server.video.end_room(room)
        except VideoUnavailable:
            log.warning("the video room %s could not be ended; the platform will close it when it empties", room)
