"""Personal room: the expert's own Zoom, Meet or Teams link, from their profile (`room_url`).

The room is the expert's, so it is never ended; a participant goes to the link the profile has
when they open their `/join` link, so a link the expert changes reaches meetings already agreed.
"""

from __future__ import annotations

from datetime import datetime

from .provider import NoRoom, Participant, Room

NO_LINK = "this expert has not set a meeting room link yet"


class PersonalRoom:
    name = "personal"

    def room_name(self, room: Room) -> str:
        if not room.expert_room_url:
            raise NoRoom(NO_LINK)
        return room.expert_room_url

    def open_room(self, room_id: str, room: Room) -> None:
        return None

    def join_url(self, room_id: str, room: Room, who: Participant, closes: datetime) -> str:
        return room.expert_room_url or room_id

    def end_room(self, room_id: str) -> None:
        return None  # the expert's own room outlives any one meeting
