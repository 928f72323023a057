"""Live sessions (R17-R21): the countdown, the bill, and the commands of the live window."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

import httpx

from consoleapp.engine import commands as c
from consoleapp.engine.errors import INVALID, DomainError
from consoleapp.engine.model import (
    Answer,
)

from ...protocol import new_id
from ..session_bill import Bill, session_bill
from ..sync import SyncError
from .base import ConsoleBase


@dataclass(frozen=True, slots=True)
class LiveClock:
    """R19: a running session's count, for the countdown."""

    meeting_id: str
    remaining_seconds: int
    elapsed_seconds: int
    running: bool
    gifted: bool
    ended: bool

def _hash_file(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


class LiveOps(ConsoleBase):
    async def session_bill(self, meeting_id: str) -> Bill | None:
        """R20: the bill of an ended live session as the server decided it; None until pulled."""
        bill: Bill | None = await self._read(session_bill, self.cache.store.engine, meeting_id)
        return bill

    async def live_clock(self, meeting_id: str) -> LiveClock | None:
        """R19: the countdown of a session once it started."""
        m = self.view().meetings.get(meeting_id)
        if m is None or m.live is None:
            return None
        now = self.now()
        live = m.live
        return LiveClock(m.id, max(live.remaining(now), 0), live.elapsed(now), live.running_since is not None,
                         live.gifted, live.ended_at is not None)

    async def join(self, meeting_id: str) -> int:
        """R18: opening the link records the expert's attendance."""
        return await self._submit(c.OpenLink(actor=self.me, meeting_id=meeting_id))

    async def video_link(self, meeting_id: str) -> str:
        """R17: the expert's own `/join` link into the meeting's video room (online only: the server
        makes rooms); a refusal raises `SyncError` with the server's words."""
        try:
            r = await self.sync.http.get(f"{self.sync.base_url}/api/meetings/{meeting_id}/link", timeout=15,
                                         headers={"Authorization": f"Bearer {self.sync.token}"})
        except httpx.HTTPError as exc:
            raise SyncError(f"the server cannot be reached for the video link ({type(exc).__name__}); "
                            "try again when you are online") from None
        try:
            body = r.json()
        except ValueError:
            body = {}
        if r.status_code != 200:
            problem = body.get("error", {}) if isinstance(body, dict) else {}
            if problem.get("code") == "no_room":  # the server says "this expert…": here it is the expert reading
                raise SyncError("you have not set a meeting room link yet; add it on the Profile screen", online=True)
            raise SyncError(str(problem.get("message", f"the server answered {r.status_code}")), online=True)
        return f"{self.sync.base_url}{body['path']}"  # the address this desktop reaches the server at

    async def start_session(self, meeting_id: str) -> int:
        return await self._submit(c.StartSession(actor=self.me, meeting_id=meeting_id))

    async def end_session(self, meeting_id: str) -> int:
        return await self._submit(c.EndSession(actor=self.me, meeting_id=meeting_id))

    async def gift_minutes(self, meeting_id: str) -> int:
        """R19: two extra minutes, once per session."""
        return await self._submit(c.GiftMinutes(actor=self.me, meeting_id=meeting_id))

    async def post_chat(self, meeting_id: str, text: str) -> int:
        return await self._submit(c.PostChat(actor=self.me, meeting_id=meeting_id, message_id=new_id(), text=text))

    async def add_attachment(self, meeting_id: str, source: Path | str | bytes, name: str = "",
                             kind: str = "file") -> int:
        """R21: a file (a path, or its bytes with a name) or a code snippet; its sha256 goes with it."""
        if isinstance(source, bytes):
            if not name:
                raise DomainError(INVALID, "give the attachment a name")
            size, digest = len(source), hashlib.sha256(source).hexdigest()
        else:
            path = Path(source)
            size, digest = await asyncio.to_thread(_hash_file, path)
            name = name or path.name
        return await self._submit(c.AddAttachment(actor=self.me, meeting_id=meeting_id, attachment_id=new_id(),
                                                  name=name, kind=kind, size=size, digest=digest))

    async def add_snippet(self, meeting_id: str, name: str, code: str) -> int:
        return await self.add_attachment(meeting_id, code.encode("utf-8"), name=name, kind="snippet")

    async def evaluate(self, meeting_id: str, answer: Answer | str) -> int:
        return await self._submit(c.Evaluate(actor=self.me, meeting_id=meeting_id, answer=Answer(answer)))
