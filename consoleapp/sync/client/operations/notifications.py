"""Notifications and the sync state (R35): what the window shows beside the screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from consoleapp.engine.errors import DomainError

if TYPE_CHECKING:

    from ..cache import SyncIssue

from .base import ConsoleBase


class NotificationOps(ConsoleBase):
    async def notifications(self, after: int = 0, limit: int | None = 100) -> list[dict[str, Any]]:
        """R35: the expert's notifications after a log position, oldest first."""
        found: list[dict[str, Any]] = await self._read(self.store.notifications, self.me, after, limit)
        return found

    async def sync_issues(self) -> list[Any]:
        """Commands the server refused, with its reason: shown until dismissed or retried."""
        return list(await self._read(self.cache.issues))

    async def pending_commands(self) -> list[Any]:
        return list(await self._read(self.cache.pending))

    def status(self) -> Any:
        return self.sync.status

    async def dismiss_issue(self, seq: int) -> None:
        """The person has read why a command was refused: take it off the list."""
        await self._read(self.cache.dismiss, seq)
        self._changed("issues")

    async def refusal(self, seq: int) -> SyncIssue | None:
        """Why the server refused the command `seq`; None while it waits, or once it was applied."""
        return next((i for i in await self._read(self.cache.issues) if i.seq == seq), None)

    def waiting(self, seq: int) -> bool:
        """Whether the command `seq` is still waiting for the server's answer."""
        return any(p.seq == seq for p in self.cache.pending())

    async def retry_issue(self, seq: int) -> int:
        """Send a refused command again, as a new command (after fixing its cause); returns its seq."""
        issue = next((i for i in await self._read(self.cache.issues) if i.seq == seq), None)
        if issue is None:
            raise DomainError("not_found", f"no sync issue {seq}; it was dismissed or retried already")
        new_seq = await self._submit(issue.command)
        await self._read(self.cache.dismiss, seq)
        self._changed("issues")
        return new_seq
