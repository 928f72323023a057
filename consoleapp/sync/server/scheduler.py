"""The scheduler: every `scheduler_seconds`, run what `due(world, now, policy)` says has come.

Deadlines (instant-request expiry, reminders, the 168 h auto-evaluation, claim windows, payout
days...) live in the engine's `due`; this loop only asks it and executes the answer through
`server.runner`, so the changes get audience rows and pokes like any other write.

Exactly once, even with several server processes:
- On PostgreSQL one process leads: it holds `pg_try_advisory_lock` on a dedicated connection
  for as long as it leads; the others try again each tick and take over if the leader dies.
- Whatever the database, due commands are recomputed *inside* the write transaction, on a
  world caught up with the log under the log's lock; a command that is no longer due is
  refused by the engine (logged at debug) and changes nothing.

The work runs in a thread (`asyncio.to_thread`) so the event loop never blocks. The same loop
also drives the mail worker (`notify.py`). Errors are logged and the loop carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

from consoleapp.engine import DomainError, due
from consoleapp.engine.commands import Command
from consoleapp.engine.due import DueCache

from .context import Server
from .listener import conninfo
from .notify import MailWorker

log = logging.getLogger("consoleapp.scheduler")

LOCK_NAME = "consoleapp.scheduler"
ROUNDS = 10  # a tick runs what became due because of what it just ran, up to this many times


class Leader:
    """Leadership among the server's processes; on SQLite this process always leads."""

    def __init__(self, server: Server) -> None:
        self.engine = server.store.engine
        self.conn: Any = None  # psycopg.Connection while leading on PostgreSQL

    @property
    def shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def check(self) -> bool:
        if not self.shared:
            return True
        if self.conn is not None:
            try:
                self.conn.execute("SELECT 1")
                return True
            except Exception as exc:
                log.warning("scheduler lost its leader connection (%s); trying to lead again", exc)
                self.release()
        return self._take()

    def _take(self) -> bool:
        import psycopg

        conn = psycopg.connect(conninfo(self.engine.url), autocommit=True, connect_timeout=10)
        try:
            # One lock per schema, so deployments sharing a database do not block each other.
            row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s || current_schema()))", (LOCK_NAME,)).fetchone()
        except Exception:
            conn.close()
            raise
        if row and row[0]:
            self.conn = conn
            log.info("this process now runs the scheduler")
            return True
        conn.close()
        return False

    def release(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()  # closing the session releases its advisory lock


class Scheduler:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.leader = Leader(server)
        self.mail = MailWorker(server)
        self.refused: dict[Command, int] = {}  # command -> world version it was refused at
        self.seen = DueCache()  # the open meetings with nothing due for a while (engine's `due`)
        self.stopping = threading.Event()

    def tick(self) -> int:
        """One round: lead (or not), run what is due, send mail. Returns commands applied."""
        if not self.leader.check():
            return 0
        applied = self.run_due()
        if not self.stopping.is_set():
            self.mail.work()
        return applied

    def pending(self) -> list[Command]:
        """What is due now, judged on a world caught up with the log; cheap, writes nothing."""
        with self.server.runner.world() as world:
            now = self.server.clock.now()
            version = world.version
            return [cmd for cmd in due(world, now, self.server.store.policy, self.seen)
                    if self.refused.get(cmd) != version]

    def run_due(self) -> int:
        if not self.pending():
            return 0
        applied = 0
        policy = self.server.store.policy
        tried: set[Command] = set()
        with self.server.runner.transaction() as tx:
            world = tx.batch.world
            for _ in range(ROUNDS):
                now = self.server.clock.now()
                version = world.version
                commands = [cmd for cmd in due(world, now, policy, self.seen)
                            if cmd not in tried and self.refused.get(cmd) != version]
                if not commands or self.stopping.is_set():
                    break
                for cmd in commands:
                    tried.add(cmd)
                    result = tx.execute(cmd)
                    if isinstance(result, DomainError):
                        # Another process ran it first, or the engine judges it not due yet.
                        log.debug("due command %s refused: %s", type(cmd).__name__, result)
                        self.refused[cmd] = version
                    else:
                        applied += 1
                        log.debug("ran %s", cmd)
        if len(self.refused) > 10_000:
            self.refused.clear()
        if applied:
            log.info("scheduler ran %d due command(s)", applied)
        return applied

    def close(self) -> None:
        self.leader.release()


async def run(server: Server) -> None:
    scheduler = Scheduler(server)
    interval = max(0.05, float(server.settings.scheduler_seconds))
    try:
        while True:
            work = asyncio.ensure_future(asyncio.to_thread(_safe_tick, scheduler))
            try:
                await asyncio.shield(work)
            except asyncio.CancelledError:
                scheduler.stopping.set()  # shutting down: let the tick in flight finish first
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(work, 30)
                raise
            await asyncio.sleep(interval)
    finally:
        scheduler.stopping.set()
        await asyncio.to_thread(scheduler.close)


def _safe_tick(scheduler: Scheduler) -> None:
    try:
        scheduler.tick()
    except Exception:
        log.exception("scheduler tick failed; trying again next tick")
