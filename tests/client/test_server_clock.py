"""The client follows the server's own clock (`X-Server-Time`), even a test clock an operator moved."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.sync import SyncClient
from tests.sync.live import LiveServer

from .conftest import make_client, open_cache, server_now, until

pytestmark = [pytest.mark.anyio, pytest.mark.dates]  # the desktop's time is the server's, wherever its own clock is


def stamp_of(response: httpx.Response) -> datetime:
    value = response.headers.get("x-server-time")
    assert value, f"no X-Server-Time on {response.request.url.path}: {dict(response.headers)}"
    when = datetime.fromisoformat(value)
    assert when.tzinfo is not None, value  # ISO 8601 with an offset
    return when


async def test_the_header_is_on_every_answer(live: LiveServer) -> None:
    health = live.call("", "GET", "/health")
    assert health.status_code == 200
    assert abs((stamp_of(health) - datetime.now(UTC)).total_seconds()) < 5
    refused = live.call("not-a-token", "POST", "/sync/pull", json={"client_id": "c" * 12})
    assert refused.status_code == 401
    stamp_of(refused)


async def test_client_follows_a_clock_moved_three_days(live: LiveServer, tmp_path: Path,
                                                        http: httpx.AsyncClient) -> None:
    expert, token = live.register("expert", name="Anna")
    _, op = live.operator()
    live.advance(op, days=3)
    target = server_now(live, op)
    assert target - datetime.now(UTC) > timedelta(days=2, hours=23)
    client = make_client(open_cache(tmp_path, live, expert), live, token, http)

    async def follows() -> bool:
        await client.sync_once()
        return abs((client.server_now() - server_now(live, op)).total_seconds()) < 2

    await until(follows, timeout=5, what="the client to follow the moved clock")
    assert client.status.online, client.status
    assert abs((stamp_of(live.call("", "GET", "/health")) - target).total_seconds()) < 5

    live.advance(op, hours=5)  # and a second move
    await until(follows, timeout=5, what="the client to follow the second move")

def fake_server(headers: dict[str, str]) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"cursor": "e:0", "last_seq": 0, "changes": [], "results": []}
        return httpx.Response(200, json=body, headers=headers)

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


async def test_without_the_header_the_date_header_is_used(tmp_path: Path) -> None:
    then = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    async with fake_server({"Date": email.utils.format_datetime(then, usegmt=True)}) as http:
        client = SyncClient(Cache.open(tmp_path / "c.sqlite3", "http://fake", "u1"), "http://fake", "t", http)
        assert abs((client.server_now() - datetime.now(UTC)).total_seconds()) < 5  # nothing heard yet: ours
        await client.sync_once()
    assert client.status.online, client.status
    assert abs((client.server_now() - then).total_seconds()) < 2


async def test_the_header_wins_over_the_date_header(tmp_path: Path) -> None:
    date = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    exact = datetime(2031, 6, 7, 8, 9, 10, 500000, tzinfo=UTC)
    headers = {"Date": email.utils.format_datetime(date, usegmt=True), "X-Server-Time": exact.isoformat()}
    async with fake_server(headers) as http:
        client = SyncClient(Cache.open(tmp_path / "c.sqlite3", "http://fake", "u1"), "http://fake", "t", http,
                            clock=lambda: datetime.now(UTC) - timedelta(days=400))  # our own wall clock is wrong
        await client.sync_once()
    assert abs((client.server_now() - exact).total_seconds()) < 1
