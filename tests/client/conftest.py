"""The sync client against the real server (tests/sync/live.py) on 127.0.0.1, caches in tmp_path."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.store import db, schema
from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.sync import SyncClient
from tests.sync.live import LiveServer

_seq: dict[str, itertools.count[int]] = {}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "data").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def restart() -> Iterator[Callable[[LiveServer], LiveServer]]:
    """Start a server again on the same data and port; stopped at the end of the test."""
    started: list[LiveServer] = []

    def again(live: LiveServer) -> LiveServer:
        live.stop()
        server = LiveServer(live.data_dir, database_url=live.database_url, port=live.port).start()
        started.append(server)
        return server

    try:
        yield again
    finally:
        for server in started:
            server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


def push(live: LiveServer, token: str, command: str, /, **args: Any) -> dict[str, Any]:
    """One command through /sync/push from a helper desktop (not the client under test)."""
    client = f"helper-{token[:12]}"
    seq = next(_seq.setdefault(f"{live.port}:{client}", itertools.count(1)))
    r = live.call(token, "POST", "/sync/push", json={"client_id": client, "schema_version": 1, "commands": [
        {"seq": seq, "command_id": uuid.uuid4().hex, "name": command, "args": args}]})
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["results"][0]
    assert result["status"] == "applied", result
    return result


def server_now(live: LiveServer, op: str) -> datetime:
    r = live.call(op, "GET", "/admin/clock")
    assert r.status_code == 200, r.text
    return datetime.fromisoformat(r.json()["now"])


@dataclass
class Scene:
    live: LiveServer
    op: str
    expert: str
    expert_token: str
    slot: str
    slot_start: datetime

    def customer(self, credits: int = 200) -> tuple[str, str]:
        cid, token = self.live.register("customer", name="Carl")
        r = self.live.call(self.op, "POST", "/operator/grants", json={"customer": cid, "amount": credits})
        assert r.status_code == 201, r.text
        return cid, token

    def book(self, token: str, hours_after: int = 0) -> str:
        r = self.live.call(token, "POST", "/api/bookings", json={
            "slot_id": self.slot, "mode": "video", "offer": "short",
            "start": (self.slot_start + timedelta(hours=hours_after)).isoformat(), "topic": "Tax question"})
        assert r.status_code == 201, r.text
        mid: str = r.json()["meeting"]["id"]
        return mid


EXPERT_ZONE = "Europe/Paris"


def scene(live: LiveServer, hours_ahead: int = 72, local_hour: int | None = None) -> Scene:
    """An expert (in Paris) with a profile, video offers and a 4 h slot `hours_ahead` from now.

    With `local_hour`, the slot starts at that hour of the expert's wall clock on the first day
    at least `hours_ahead` away, so what a test draws or groups by day (week columns, "Today")
    never depends on the hour the suite runs: a slot starting at 23:30 would cross midnight."""
    _, op = live.operator()
    expert, token = live.register("expert", name="Anna")
    push(live, token, "UpdateProfile", name="Anna K", specialty="Tax law", time_zone=EXPERT_ZONE,
         slug=f"anna-{uuid.uuid4().hex[:6]}")
    push(live, token, "SetOffers", mode="video", short_price=40, long_price=70)
    start = (server_now(live, op) + timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    if local_hour is not None:
        start = at_local_hour(start, local_hour, ZoneInfo(EXPERT_ZONE))
    push(live, token, "AddSlot", slot_id="slot-1", start=start.isoformat(),
         end=(start + timedelta(hours=4)).isoformat())
    return Scene(live, op, expert, token, "slot-1", start)


def at_local_hour(earliest: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The first moment at `hour`:00 on `zone`'s wall clock that is not before `earliest` (UTC)."""
    day = earliest.astimezone(zone).date()
    while True:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)
        if moment >= earliest:
            return moment
        day += timedelta(days=1)


def open_cache(tmp_path: Path, live: LiveServer, user: str, name: str = "cache") -> Cache:
    return Cache.open(tmp_path / f"{name}.sqlite3", live.url, user)


def make_client(cache: Cache, live: LiveServer, token: str, http: httpx.AsyncClient, **kw: Any) -> SyncClient:
    kw.setdefault("backoff", (0.05, 0.5))
    return SyncClient(cache, live.url, token, http, **kw)


async def until(check: Callable[[], bool | Awaitable[bool]], timeout: float = 30, what: str = "") -> None:
    """Poll `check` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        ok = check()
        if inspect.isawaitable(ok):  # a check may also answer a plain truthy value (a row's 0/1 flag)
            ok = await ok
        if ok:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.05)


def log_of(live: LiveServer) -> list[tuple[str, str]]:
    """(kind, ref) of every event in the server's log, read straight from its database."""
    engine = db.create(live.settings.url)
    try:
        with db.reading(engine) as conn:
            e = schema.events.c
            return [(k, r) for k, r in conn.execute(sa.select(e.kind, e.ref).order_by(e.position))]
    finally:
        engine.dispose()


def count(live: LiveServer, kind: str, ref: str) -> int:
    return log_of(live).count((kind, ref))


def utc(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)
