"""The core every group of operations builds on: the optimistic view, time, change listeners, sending a command."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.policy import Policy

from ..accounts import Session
from ..sync import kinds_of_command

if TYPE_CHECKING:
    from consoleapp.store import Store

    from ..cache import Cache
    from ..sync import SyncClient

log = logging.getLogger("consoleapp.console")

Changes = frozenset[str]

Listener = Callable[[Changes], None]

@dataclass
class _Memo:
    key: Any = None
    value: Any = None

def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")

def month_key(moment: date | datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"

def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


class ConsoleBase:
    def __init__(self, session: Session, cache: Cache, sync: SyncClient) -> None:
        self.session = session
        self.cache = cache
        self.sync = sync
        self._view = _Memo()
        self._requests = _Memo()  # new_requests() per state of the data
        self._listeners: list[Listener] = []

    @property
    def me(self) -> str:
        return self.session.user_id

    @property
    def store(self) -> Store:
        return self.cache.store

    @property
    def policy(self) -> Policy:
        return self.cache.store.policy

    def now(self) -> datetime:
        return self.sync.server_now()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(changes)` after each change (the sync client's, and the ones made here,
        like a dismissed issue); returns the function that unsubscribes."""
        self._listeners.append(listener)
        undo = self.sync.subscribe(listener)

        def unsubscribe() -> None:
            undo()
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _changed(self, *kinds: str) -> None:
        """Tell the screens about a change made here, outside the sync client."""
        refresh = getattr(self.sync, "recount", None)  # the issue count in the status bar
        if callable(refresh):
            refresh()
        changes = frozenset(kinds)
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # a screen's bug must not break the command that was made
                log.exception("a console listener failed")

    def view(self) -> World:
        """Server state plus pending commands, replayed at the server's time (a copy: safe to walk
        while the sync client folds a pull in another thread).

        Rebuilt only when the server copy or the outbox changed (or, with commands pending, a
        second has passed so time-based decisions stay fresh): a screen asking several
        questions in a row pays for one copy.
        """
        now = self.now()
        pending = self.cache.pending()
        key = (id(self.cache.store), self.cache.store.world.version, tuple(p.seq for p in pending),
               int(now.timestamp()) if pending else 0)
        if self._view.key != key or self._view.value is None:
            self._view.value = self.cache.view(now)
            self._view.key = key
        world: World = self._view.value
        return world

    def _pending(self) -> set[str]:
        return set(self.cache.pending_refs())

    def _time_zone(self, w: World) -> ZoneInfo:
        profile = w.profiles.get(self.me)
        return _zone(profile.time_zone if profile else "UTC")

    async def _read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Blocking SQLite work off the event loop."""
        return await asyncio.to_thread(fn, *args)

    async def _submit(self, command: c.Command) -> int:
        now = self.now()
        seq = await self.sync.submit(command, kinds_of_command(command, self.view(), now, self.policy))
        self._view.key = None
        return int(seq)
