"""One logged-in account on the desktop: its cache, sync client, console and sync task."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

import httpx

from consoleapp.sync.client.accounts import Session
from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.console import Console
from consoleapp.sync.client.sync import SyncClient

log = logging.getLogger("consoleapp.ui")


class Workspace:
    def __init__(self, session: Session, cache: Cache, sync: SyncClient) -> None:
        self.session = session
        self.cache = cache
        self.sync = sync
        self.console = Console(session, cache, sync)
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, session: Session, http: httpx.AsyncClient, cache_path: Path | None = None,
                   **sync_options: Any) -> Workspace:
        """Open (or create) the account's cache off the UI thread; the sync starts with `start()`."""
        path = cache_path or Cache.default_path(session.server_url, session.user_id)
        cache = await asyncio.to_thread(Cache.open, path, session.server_url, session.user_id)
        sync = SyncClient(cache, session.server_url, session.token, http, **sync_options)
        return cls(session, cache, sync)

    @property
    def online_wanted(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Sync in the background: push the outbox, pull, listen for pokes."""
        if self._task is None:
            self._task = asyncio.ensure_future(self.sync.run())

    async def stop(self) -> None:
        """Stop talking to the server (work offline): commands keep queueing in the outbox."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            self.sync._set_status(online=False, syncing=False, error="")

    async def close(self) -> None:
        await self.stop()
        await asyncio.to_thread(self.cache.close)
