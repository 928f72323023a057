"""Jitsi Meet: rooms exist as soon as someone opens their address, so the name is the secret.

On a public Jitsi (the default, meet.jit.si) an unguessable room name keeps strangers out. A
self-hosted Jitsi with token authentication (prosody `token` auth) also wants a JWT on each
address; with `jitsi_app_id` and `jitsi_secret` every participant's address gets one, made when
they open their link, naming them, the room and the end of the R17 window.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlsplit

import jwt

from .provider import Participant, Room


class Jitsi:
    name = "jitsi"

    def __init__(self, base_url: str, app_id: str = "", secret: str = "") -> None:
        self.base_url = base_url
        self.host = urlsplit(base_url).hostname or ""
        self.app_id, self.secret = app_id, secret

    def room_name(self, room: Room) -> str:
        # Lowercase: Jitsi lowercases room names, and a token's `room` must match the room exactly.
        return f"expertconsole-{secrets.token_hex(16)}"

    def open_room(self, room_id: str, room: Room) -> None:
        return None  # the first person to arrive opens it

    def join_url(self, room_id: str, room: Room, who: Participant, closes: datetime) -> str:
        url = f"{self.base_url}/{room_id}"
        if not self.secret:
            return url
        return f"{url}?jwt={self.token(room_id, who, closes)}"

    def token(self, room_id: str, who: Participant, closes: datetime) -> str:
        """The claims prosody's token authentication checks (aud, iss, sub, room, exp) and the user shown."""
        claims = {
            "aud": "jitsi", "iss": self.app_id, "sub": self.host, "room": room_id,
            "exp": int(closes.timestamp()),
            "context": {"user": {"id": who.person, "name": who.name, "moderator": who.moderator}},
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def end_room(self, room_id: str) -> None:
        # Jitsi has no API to close a room: no one is linked to the old name any more, and a
        # token's `exp` ends its use on a self-hosted Jitsi.
        return None
