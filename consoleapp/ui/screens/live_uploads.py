"""The bytes of attachments added in the live window, sent once their command is applied (R21).

`Console.add_attachment` queues the attachment's record (name, size, SHA-256) like any other
command, so it works offline. The bytes go separately, with `files.upload`, under the same
attachment id, and only after the server applied the record: the server then keeps the bytes
against the record it has (200), instead of adding a second record of its own. Until then, or
while the server cannot be reached, an upload waits here and is tried again on the next pump.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from consoleapp.sync.client import files
from consoleapp.sync.client.console import Console
from consoleapp.sync.client.outbox_state import command_state

from ..errors import human
from ..i18n import tr

RETRY_SECONDS = 5.0  # after a failed attempt (offline), wait this long before the next one


@dataclass
class Upload:
    seq: int  # the AddAttachment command's outbox number
    attachment_id: str
    name: str
    kind: str
    source: Path | bytes
    sending: bool = False
    next_try: float = 0.0


class Uploads:
    """The window's waiting uploads. `pump()` sends what can be sent and returns messages to show."""

    def __init__(self, console: Console, meeting_id: str) -> None:
        self.console = console
        self.meeting_id = meeting_id
        self.waiting: list[Upload] = []
        self.done: set[str] = set()  # attachment ids whose bytes reached the server

    def __len__(self) -> int:
        return len(self.waiting)

    def state(self, attachment_id: str) -> str:
        """'sent', 'sending', 'waiting' or '' (not one of ours)."""
        if attachment_id in self.done:
            return "sent"
        for u in self.waiting:
            if u.attachment_id == attachment_id:
                return "sending" if u.sending else "waiting"
        return ""

    async def add(self, seq: int, source: Path | bytes, kind: str) -> Upload | None:
        """Remember the bytes of the attachment command `seq` (just submitted)."""
        found = await asyncio.to_thread(command_state, self.console.cache, seq)
        if found.args is None or found.name != "AddAttachment":
            return None
        upload = Upload(seq, str(found.args["attachment_id"]), str(found.args["name"]), kind, source)
        self.waiting.append(upload)
        return upload

    async def pump(self) -> list[tuple[str, bool]]:
        """Send every upload whose record the server applied; (message, is_error) for the window."""
        messages: list[tuple[str, bool]] = []
        now = time.monotonic()
        for upload in list(self.waiting):
            if upload.sending or upload.next_try > now:
                continue
            found = await asyncio.to_thread(command_state, self.console.cache, upload.seq)
            if found.state in ("queued", "unknown"):
                continue
            if found.state == "rejected":
                self.waiting.remove(upload)
                messages.append((tr("“{name}” was not added to the session: {reason}", name=upload.name,
                                    reason=found.message), True))
                continue
            upload.sending = True
            try:
                sync = self.console.sync
                await files.upload(sync.http, sync.base_url, sync.token, self.meeting_id, upload.attachment_id,
                                   upload.source, name=upload.name, kind=upload.kind)
            except files.UploadError as exc:
                self.waiting.remove(upload)
                messages.append((tr("“{name}” could not be uploaded: {reason}", name=upload.name,
                                    reason=exc.message), True))
            except (httpx.HTTPError, OSError) as exc:
                upload.next_try = time.monotonic() + RETRY_SECONDS  # offline: try again later
                if isinstance(exc, OSError):
                    self.waiting.remove(upload)
                    messages.append((human(exc), True))
            else:
                self.waiting.remove(upload)
                self.done.add(upload.attachment_id)
                messages.append((tr("“{name}” was uploaded.", name=upload.name), False))
            finally:
                upload.sending = False
        return messages
