"""Ask the engine before queueing: would this command be refused right now?

A command goes to the outbox and only the server decides it; a refusal then comes back as a
sync issue, seconds (or, offline, hours) later. For forms the person is still looking at (a
price under the platform minimum, a slot over another one, removing a booked slot) it is
kinder to say no at once, with the engine's own words. `trial(console)` is a Console whose
commands are decided by the engine against the optimistic view and then dropped: nothing is
queued, nothing changes, and a refusal raises the engine's DomainError.

    await trial(console).set_offers(Mode.VIDEO, per_minute=1)   # raises if the engine refuses
    await console.set_offers(Mode.VIDEO, per_minute=1)          # then really queue it

The server still decides the real command; this only spares the round trip for what the
local copy already knows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from consoleapp.engine.commands import Command
from consoleapp.engine.decide import decide

from .console import Console, Listener


class _Decider:
    """Stands in for the SyncClient under a Console: `submit` decides and forgets."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def server_now(self) -> datetime:
        return self._console.now()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return lambda: None

    async def submit(self, command: Command, changes: frozenset[str] | None = None) -> int:
        # `decide` is pure: the memoised view is read, never changed.
        decide(self._console.view(), command, self._console.now(), self._console.policy)
        return 0


def trial(console: Console) -> Console:
    """A Console whose commands only ask the engine (raising its refusal) and queue nothing."""
    return Console(console.session, console.cache, _Decider(console))  # type: ignore[arg-type]
