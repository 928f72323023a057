"""One logged-in account on the desktop: its cache, sync client, console and sync task."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path
from typing import Any

import httpx

from consoleapp.engine import DEFAULT_POLICY, DomainError, Policy
from consoleapp.sync.client.accounts import Session
from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.console import Console
from consoleapp.sync.client.sync import SyncClient

log = logging.getLogger("consoleapp.ui")


async def deployment_policy(http: httpx.AsyncClient, server_url: str, remembered: Path) -> Policy:
    """The server's own rules (fees, windows, minimums), so the desktop previews decisions as the
    server will make them; offline, the ones it sent last time; never heard: the defaults."""
    try:
        r = await http.get(f"{server_url.rstrip('/')}/policy", timeout=5)
        if r.status_code == 200:
            values = r.json()["policy"]
            policy = Policy.from_mapping(values)
            await asyncio.to_thread(remembered.write_text, json.dumps(values), "utf-8")
            return policy
    except (httpx.HTTPError, ValueError, KeyError, TypeError, DomainError, OSError) as exc:
        log.info("the server's policy could not be read (%s); using the one kept last time", exc)
    try:
        return Policy.from_mapping(json.loads(await asyncio.to_thread(remembered.read_text, "utf-8")))
    except (OSError, ValueError, TypeError, DomainError):
        return DEFAULT_POLICY


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
        policy = await deployment_policy(http, session.server_url, path.with_name(path.name + ".policy.json"))
        cache = await asyncio.to_thread(Cache.open, path, session.server_url, session.user_id, policy)
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
            self.sync.stopped()

    async def close(self) -> None:
        await self.stop()
        await asyncio.to_thread(self.cache.close)
