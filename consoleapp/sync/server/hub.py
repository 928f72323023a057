"""Pokes for connected desktop streams: 'new data for you, pull now'.

Within one process a poke goes straight to the person's open streams. Across processes on
PostgreSQL the runner also sends `NOTIFY` inside the write transaction, so other processes
hear of the change only once it is committed.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict

import sqlalchemy as sa

from consoleapp.store import db

CHANNEL = "consoleapp_pokes"
CLOSE = -1  # offered to every queue when the server shuts down


class Hub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._streams: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def subscribe(self, person: str) -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=100)
        with self._lock:
            self._streams[person].add(queue)
        return queue

    def unsubscribe(self, person: str, queue: asyncio.Queue[int]) -> None:
        with self._lock:
            self._streams[person].discard(queue)
            if not self._streams[person]:
                del self._streams[person]

    def people(self) -> set[str]:
        """Everyone with an open stream in this process."""
        with self._lock:
            return set(self._streams)

    def close_all(self) -> None:
        """Shutting down: tell every open stream to end (a negative position), so the server can exit."""
        loop = self._loop
        if loop is None:
            return
        with self._lock:
            queues = [q for qs in self._streams.values() for q in qs]
        for queue in queues:
            loop.call_soon_threadsafe(_offer, queue, CLOSE)

    @property
    def connected(self) -> int:
        with self._lock:
            return sum(len(q) for q in self._streams.values())

    def publish(self, people: set[str], position: int) -> None:
        """After a write's commit: poke this process's streams."""
        self.deliver(people, position)

    def notify(self, conn: sa.Connection, people: set[str], events: int) -> None:
        """Inside a write's transaction, before it moves the log's counter on: tell other processes
        on PostgreSQL that the write's last event (the counter's value + `events`) concerns `people`.
        The position is the database's to say: a local write learns where its events go only as it
        commits them (`Store._write`). Plain SQL, as the write path's, under the counter's lock."""
        if conn.dialect.name == "postgresql":
            position = db.past_counter(conn.dialect)
            conn.exec_driver_sql(f"SELECT pg_notify(%s, ({position})::text || %s)",
                                 (CHANNEL, db.LOG, events, f":{','.join(sorted(people))}"[:7880]))

    def deliver(self, people: set[str], position: int) -> None:
        loop = self._loop
        if loop is None:
            return
        with self._lock:
            queues = [q for p in people for q in self._streams.get(p, ())]
        for queue in queues:
            loop.call_soon_threadsafe(_offer, queue, position)


def _offer(queue: asyncio.Queue[int], position: int) -> None:
    if queue.full():  # a slow reader needs only the newest poke: it pulls everything anyway
        queue.get_nowait()
    queue.put_nowait(position)
