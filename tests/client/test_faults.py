"""A server that is down, answers 500 or garbage, or cuts the stream mid-event: the client keeps
its outbox, says so in its status, backs off and recovers by itself; `run()` never raises."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from consoleapp.engine import commands as c
from tests.sync.live import LiveServer

from .conftest import count, make_client, open_cache, scene, until

pytestmark = pytest.mark.anyio


class Flaky(httpx.AsyncBaseTransport):
    """The real server behind a switch: 'ok', '500', 'garbage', or 'cut' (streams end mid-event)."""

    def __init__(self) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.mode = "ok"
        self.calls: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = f"{self.mode} {request.url.path}"
        self.calls[key] = self.calls.get(key, 0) + 1
        if self.mode == "500":
            return httpx.Response(500, text="Internal Server Error")
        if self.mode == "garbage":
            if request.url.path == "/sync/stream":
                return httpx.Response(200, headers={"content-type": "text/event-stream"},
                                      content=b"\xff\xfe garbage\n\x00\x00event: poke\nid: x\n\n")
            return httpx.Response(200, headers={"content-type": "application/json"}, content=b'{"last_seq": [1,')
        if self.mode == "cut" and request.url.path == "/sync/stream":
            return httpx.Response(200, headers={"content-type": "text/event-stream"},
                                  content=b'event: poke\nid: 999999\ndata: {"posi')
        response = await self.real.handle_async_request(request)
        if request.url.path == "/sync/stream":  # a live stream drops as soon as the switch moves
            response.stream = Cut(self, response.stream)  # type: ignore[arg-type]
        return response

    async def aclose(self) -> None:
        await self.real.aclose()


class Cut(httpx.AsyncByteStream):
    def __init__(self, flaky: Flaky, inner: httpx.AsyncByteStream) -> None:
        self.flaky, self.inner = flaky, inner

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        async for chunk in self.inner:
            if self.flaky.mode != "ok":
                raise httpx.ReadError("connection cut")
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


async def stopped(task: asyncio.Task[None]) -> None:
    """Cancel `run()`; it must end promptly (a loop that swallowed its cancellation would hang here)."""
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=15)
    assert done, "SyncClient.run() did not stop within 15 s of being cancelled"


@pytest.fixture
def chatty(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose streams send a keep-alive every 0.2 s."""
    server = LiveServer(tmp_path / "chatty", env={"CONSOLEAPP_STREAM_KEEPALIVE_SECONDS": "0.2"}).start()
    try:
        yield server
    finally:
        server.stop()


async def test_500_and_garbage_keep_the_outbox_and_recover(chatty: LiveServer, tmp_path: Path) -> None:
    live = chatty
    sc = scene(live)
    flaky = Flaky()
    async with httpx.AsyncClient(transport=flaky, timeout=10) as http:
        client = make_client(open_cache(tmp_path, live, sc.expert), live, sc.expert_token, http, pull_every=0.3)
        task = asyncio.create_task(client.run())
        try:
            await until(lambda: client.status.online and client.status.last_synced is not None, what="first sync")
            start = sc.slot_start + timedelta(days=2)

            flaky.mode = "500"
            await client.submit(c.AddSlot(actor=sc.expert, slot_id="f-1", start=start, end=start + timedelta(hours=1)))
            await until(lambda: "HTTP 500" in client.status.error and not client.status.online, what="500 status")
            assert client.status.pending == 1 and count(live, "SlotAdded", "f-1") == 0

            flaky.mode = "garbage"
            await until(lambda: "cannot read" in client.status.error, what="garbage status")
            assert client.status.pending == 1 and "f-1" in client.cache.view(client.server_now()).slots

            flaky.mode = "cut"
            await until(lambda: flaky.calls.get("cut /sync/stream", 0) >= 2, what="stream reconnects")
            assert client.last_event_id != "999999"  # half an event is not an event

            flaky.mode = "ok"
            await until(lambda: client.status.pending == 0 and client.status.error == "" and client.status.online,
                        what="recovery")
            assert count(live, "SlotAdded", "f-1") == 1 and "f-1" in client.cache.store.world.slots
            assert not task.done()
        finally:
            await stopped(task)


async def test_server_down_then_back_recovers_by_itself(live: LiveServer, tmp_path: Path, restart) -> None:  # type: ignore[no-untyped-def]
    sc = scene(live)
    async with httpx.AsyncClient(timeout=10) as http:
        client = make_client(open_cache(tmp_path, live, sc.expert), live, sc.expert_token, http, pull_every=0.3)
        task = asyncio.create_task(client.run())
        try:
            await until(lambda: client.stream_connected and client.status.online, what="connected")
            live.stop()
            start = sc.slot_start + timedelta(days=2)
            await client.submit(c.AddSlot(actor=sc.expert, slot_id="d-1", start=start, end=start + timedelta(hours=1)))
            await until(lambda: not client.status.online and "offline" in client.status.error, what="offline status")
            assert client.status.pending == 1
            again = restart(live)
            await until(lambda: client.status.pending == 0 and client.status.online, what="recovery")
            await until(lambda: client.stream_connected, what="the stream again")
            assert count(again, "SlotAdded", "d-1") == 1
            assert not task.done()
        finally:
            await stopped(task)


async def test_run_stops_when_cancelled_as_a_poke_wakes_it(live: LiveServer, tmp_path: Path) -> None:
    """Python 3.11's `wait_for` drops a cancellation that arrives in the same turn as the event it
    waits for: a poke at the moment the app closes left `run()` looping (a worker hung on it)."""
    sc = scene(live)
    async with httpx.AsyncClient(timeout=30) as http:
        client = make_client(open_cache(tmp_path, live, sc.expert), live, sc.expert_token, http, pull_every=60)
        for _ in range(5):  # each round: settle into the wait, then wake and cancel in one turn
            task = asyncio.create_task(client.run())
            await until(lambda: client.stream_connected, what="the stream")
            await client.sync_once()
            await asyncio.sleep(0.05)
            client._poke()
            await stopped(task)
        client.cache.close()
