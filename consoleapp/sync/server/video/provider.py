"""What every video platform does for us (R17), and the one chosen by `CONSOLEAPP_VIDEO_PROVIDER`.

A meeting revision has one room; its id (a Jitsi room name, a BigBlueButton meetingID, the
expert's own link) is kept in `video_links.room`. Each participant's address into the room is
made when they open their `/join/<token>` link, so it can carry who they are (a JWT, a signed
BigBlueButton join). Which links work when, and attendance, stay the engine's (R17, R18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from ..settings import Settings


@dataclass(frozen=True)
class Room:
    """A meeting revision as a platform sees it."""

    meeting_id: str
    revision: int
    title: str
    expert_room_url: str = ""  # the expert's own link (personal provider)


@dataclass(frozen=True)
class Participant:
    person: str
    name: str
    moderator: bool  # the expert runs the room


class VideoUnavailable(Exception):
    """The platform did not answer, or refused; the participant is told to try again shortly."""


class NoRoom(Exception):
    """The meeting cannot have a room yet, for a reason the message gives (e.g. no personal link)."""


class VideoProvider(Protocol):
    name: str

    def room_name(self, room: Room) -> str:
        """The id of the revision's room, decided here, without calling the platform."""
        ...

    def open_room(self, room_id: str, room: Room) -> None:
        """Make the room exist on the platform (called when the revision's first link is made)."""
        ...

    def join_url(self, room_id: str, room: Room, who: Participant, closes: datetime) -> str:
        """Where `who` goes from their `/join` link, valid until `closes` (the end of the R17 window)."""
        ...

    def end_room(self, room_id: str) -> None:
        """The meeting moved or was cancelled: end the old room where the platform can."""
        ...


def provider_for(settings: Settings) -> VideoProvider:
    """The configured provider; a missing or bad setting stops the server naming the variable to set."""
    from .bbb import BigBlueButton
    from .jitsi import Jitsi
    from .personal import PersonalRoom

    chosen = settings.video_provider.strip().lower()
    if chosen == "jitsi":
        if bool(settings.jitsi_app_id) != bool(settings.jitsi_secret):
            missing = "CONSOLEAPP_JITSI_SECRET" if settings.jitsi_app_id else "CONSOLEAPP_JITSI_APP_ID"
            raise SystemExit(f"{missing} is not set: a self-hosted Jitsi with tokens needs both "
                             "CONSOLEAPP_JITSI_APP_ID and CONSOLEAPP_JITSI_SECRET (or neither, for a public Jitsi)")
        return Jitsi(web_address("CONSOLEAPP_JITSI_URL", settings.jitsi_url), settings.jitsi_app_id,
                     settings.jitsi_secret)
    if chosen == "bbb":
        if not settings.bbb_url:
            raise SystemExit("CONSOLEAPP_BBB_URL is not set: the video provider 'bbb' needs the BigBlueButton URL "
                             "that `bbb-conf --secret` prints (e.g. https://bbb.example.com/bigbluebutton/)")
        if not settings.bbb_secret:
            raise SystemExit("CONSOLEAPP_BBB_SECRET is not set: the video provider 'bbb' needs the shared secret "
                             "that `bbb-conf --secret` prints")
        return BigBlueButton(web_address("CONSOLEAPP_BBB_URL", settings.bbb_url), settings.bbb_secret)
    if chosen == "personal":
        return PersonalRoom()
    raise SystemExit(f"CONSOLEAPP_VIDEO_PROVIDER={settings.video_provider!r} is not a video provider; "
                     "use jitsi, bbb or personal")


def web_address(variable: str, url: str) -> str:
    """An http(s) address with a host, without a trailing slash; else stop, naming the variable."""
    try:
        parts = urlsplit(url.strip())
        scheme, host = parts.scheme, parts.hostname
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise SystemExit(f"{variable}={url!r} is not a web address; give one like https://meet.example.com")
    return url.strip().rstrip("/")
