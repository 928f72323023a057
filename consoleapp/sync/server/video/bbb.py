"""BigBlueButton, through its API: every call is `{bbb_url}/api/<call>?<query>&checksum=<sha1>`
with `checksum = sha1(call + query + secret)`, answered in XML (`<returncode>SUCCESS</returncode>`).

- `create` when a revision's first link is made, and again when someone opens their link:
  create is idempotent for one meetingID, and BigBlueButton forgets a meeting nobody joined
  within minutes, so the meeting is made again if it was.
- `join` is an address, signed for one participant when they open their link (the expert as
  moderator, the other side as attendee), with `redirect=true` so the browser goes straight in.
- `end` when the meeting moves (the old revision's room) or is cancelled.

The meetingID is `ec-<meeting>-r<revision>`; joining needs a signed address, so it need not be
secret. The two passwords are derived from the secret, so nothing more is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlencode

import httpx

from .provider import Participant, Room, VideoUnavailable

log = logging.getLogger("consoleapp.video")

_PLAIN = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
TIMEOUT_SECONDS = 5.0  # a move or cancel waits at most this long for `end`
UNAVAILABLE = "the video service did not answer; try again in a minute"


class BigBlueButton:
    name = "bbb"

    def __init__(self, url: str, secret: str) -> None:
        base = url.rstrip("/")
        self.api = base if base.endswith("/api") else f"{base}/api"
        self.secret = secret

    # --- the API's signature -------------------------------------------------------------------

    def checksum(self, call: str, query: str) -> str:
        return hashlib.sha1(f"{call}{query}{self.secret}".encode()).hexdigest()

    def signed(self, call: str, params: dict[str, str]) -> str:
        query = urlencode(params)
        return f"{self.api}/{call}?{query}&checksum={self.checksum(call, query)}"

    def password(self, room_id: str, role: str) -> str:
        return hmac.new(self.secret.encode(), f"{room_id}:{role}".encode(), hashlib.sha256).hexdigest()[:24]

    def call(self, call: str, params: dict[str, str], fine: tuple[str, ...] = ()) -> ET.Element:
        """One API call; anything but SUCCESS (or a `messageKey` in `fine`), or no answer, is `VideoUnavailable`."""
        try:
            answer = httpx.get(self.signed(call, params), timeout=TIMEOUT_SECONDS)
            answer.raise_for_status()
            root = ET.fromstring(answer.content)
        except (httpx.HTTPError, ET.ParseError) as exc:
            log.warning("BigBlueButton %s: no usable answer (%s)", call, exc)
            raise VideoUnavailable(UNAVAILABLE) from exc
        if root.findtext("returncode") != "SUCCESS" and root.findtext("messageKey") not in fine:
            log.warning("BigBlueButton %s refused: %s %s", call, root.findtext("messageKey"), root.findtext("message"))
            raise VideoUnavailable(UNAVAILABLE)
        return root

    # --- the provider --------------------------------------------------------------------------

    def room_name(self, room: Room) -> str:
        # BigBlueButton takes 2-256 characters and no commas; an id outside the plain ones is hashed.
        plain = _PLAIN.fullmatch(room.meeting_id)
        name = room.meeting_id if plain else hashlib.sha256(room.meeting_id.encode()).hexdigest()[:32]
        return f"ec-{name}-r{room.revision}"

    def open_room(self, room_id: str, room: Room) -> None:
        self.call("create", {"name": room.title, "meetingID": room_id,
                             "attendeePW": self.password(room_id, "attendee"),
                             "moderatorPW": self.password(room_id, "moderator")})

    def join_url(self, room_id: str, room: Room, who: Participant, closes: datetime) -> str:
        self.open_room(room_id, room)
        role = "moderator" if who.moderator else "attendee"
        return self.signed("join", {"fullName": who.name, "meetingID": room_id,
                                    "password": self.password(room_id, role), "userID": who.person,
                                    "redirect": "true"})

    def end_room(self, room_id: str) -> None:
        # notFound: nobody was in it, and BigBlueButton has forgotten it already.
        self.call("end", {"meetingID": room_id, "password": self.password(room_id, "moderator")}, fine=("notFound",))
