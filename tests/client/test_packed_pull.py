"""The desktop's pulls ask for `packed` changes (each event's data as the log's own JSON text):
the same events as the objects an older client reads, a server that predates `packed` still
understood, and a change the app cannot read refused whole, the cache left as it was."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.store import db, schema
from consoleapp.sync.client import sync as sync_module
from consoleapp.sync.protocol import PullResponse
from tests.sync.live import LiveServer

from .conftest import make_client, open_cache, scene

pytestmark = pytest.mark.anyio


def _log_data(live: LiveServer) -> list[tuple[str, str]]:
    """(kind, data) of every event in the server's log, read straight from its database."""
    engine = db.create(live.settings.url)
    try:
        with db.reading(engine) as conn:
            e = schema.events.c
            return [(r.kind, r.data) for r in conn.execute(sa.select(e.kind, e.data).order_by(e.position))]
    finally:
        engine.dispose()


def test_a_packed_pull_carries_the_logs_own_text_and_only_when_asked(live: LiveServer) -> None:
    sc = scene(live)
    body = {"client_id": "desk-packed", "cursor": ""}
    objects = live.call(sc.expert_token, "POST", "/sync/pull", json=body).json()
    packed = live.call(sc.expert_token, "POST", "/sync/pull", params={"packed": "true"}, json=body).json()
    # An older client's strict model refuses unknown keys: `packed` is never sent unasked.
    assert "packed" not in objects and PullResponse.model_validate(objects).changes
    assert packed["changes"] == [] and packed["cursor"] == objects["cursor"]
    texts = [text for _, text in packed["packed"]]
    assert [kind for kind, _ in packed["packed"]] == [c["kind"] for c in objects["changes"]]
    assert [json.loads(t) for t in texts] == [c["data"] for c in objects["changes"]]
    assert set(texts) <= {text for _, text in _log_data(live)}  # as stored, byte for byte
    assert PullResponse.model_validate(packed).packed == [tuple(p) for p in packed["packed"]]


class OlderServer(httpx.AsyncBaseTransport):
    """The real server as one that predates `packed`: the query parameter never reaches it."""

    def __init__(self) -> None:
        self.real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sync/pull":
            assert request.url.params.get("packed") == "true"
            request.url = request.url.copy_remove_param("packed")
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


async def test_a_server_without_packed_pulls_still_syncs_the_same_cache(live: LiveServer, tmp_path: Path) -> None:
    sc = scene(live)
    caches = {}
    for name, transport in (("packed", httpx.AsyncHTTPTransport()), ("older", OlderServer())):
        async with httpx.AsyncClient(transport=transport, timeout=30) as http:
            cache = open_cache(tmp_path, live, sc.expert, name)
            client = make_client(cache, live, sc.expert_token, http)
            await client.sync_once()
            assert client.status.online and not client.status.error, client.status
            with cache.engine.connect() as conn:
                caches[name] = conn.execute(sa.select(schema.events.c.kind, schema.events.c.data)
                                            .order_by(schema.events.c.position)).all()
            assert "slot-1" in cache.store.world.slots
            cache.close()
    assert caches["packed"] == caches["older"] and len(caches["packed"]) >= 4


class Tampered(httpx.AsyncBaseTransport):
    """The real server, with one change of the first pull page replaced by `bad` (kind, text)."""

    def __init__(self, bad: tuple[str, str]) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.bad: tuple[str, str] | None = bad

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.real.handle_async_request(request)
        if request.url.path != "/sync/pull" or self.bad is None:
            return response
        body = json.loads(await response.aread())
        body["packed"][-1] = list(self.bad)
        return httpx.Response(200, json=body)

    async def aclose(self) -> None:
        await self.real.aclose()


@pytest.mark.parametrize("bad", [("SlotAdded", "{not json"), ("SlotAdded", "[1, 2]"), ("SlotAdded", '{"ref": 5}'),
                                 ("NoSuchEvent", "{}")], ids=["not-json", "not-an-object", "wrong-fields", "unknown-kind"])
async def test_an_unreadable_change_refuses_the_page_whole_and_keeps_the_cache(
        live: LiveServer, tmp_path: Path, bad: tuple[str, str]) -> None:
    sc = scene(live)
    tampered = Tampered(bad)
    async with httpx.AsyncClient(transport=tampered, timeout=30) as http:
        cache = open_cache(tmp_path, live, sc.expert)
        client = make_client(cache, live, sc.expert_token, http)
        await client.sync_once()
        assert not client.status.online and "cannot read" in client.status.error, client.status
        assert bad[0] in client.status.error  # says which change
        with cache.engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()
        assert stored == 0 and cache.cursor == ""  # nothing of the page half-applied
        assert gc.isenabled()  # the collector is back on after a pull that failed
        tampered.bad = None  # the server mends: the next sync takes everything
        await client.sync_once()
        assert client.status.online and not client.status.error, client.status
        assert "slot-1" in cache.store.world.slots
        cache.close()


def test_the_collector_pause_nests_and_always_ends() -> None:
    assert gc.isenabled()
    with sync_module._collector_paused():
        assert not gc.isenabled()
        with pytest.raises(RuntimeError), sync_module._collector_paused():
            raise RuntimeError("a pull that fails inside another")
        assert not gc.isenabled()  # the outer pull is still running
    assert gc.isenabled()
    gc.disable()  # someone else's pause is theirs to end
    try:
        with sync_module._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_pages_that_arrive_while_one_is_stored_are_stored_together_and_the_cache_is_the_same(
        live: LiveServer, tmp_path: Path) -> None:
    """A long first sync: the next pages are asked for one after the other while a page is stored,
    and those that arrived meanwhile go into the next transaction together (fewer commits and
    rewrites of the records that span pages). The cache ends as one synced a page at a time."""
    sc = scene(live)
    for hours in (0, 1, 2):
        sc.book(sc.customer()[1], hours_after=hours)
    pulls = 0
    asked = threading.Event()

    async def count(request: httpx.Request) -> None:
        nonlocal pulls
        if request.url.path == "/sync/pull":
            pulls += 1
            if pulls >= 4:  # the 4th asked for: the 2nd and 3rd (asked one after the other) have arrived
                asked.set()

    stored: list[int] = []
    caches = {}
    for name, page in (("together", 3), ("whole", sync_module.PULL_PAGE)):
        async with httpx.AsyncClient(timeout=30, event_hooks={"request": [count]}) as http:
            cache = open_cache(tmp_path, live, sc.expert, name)
            absorb = cache.absorb

            def slow_first(changes: Sequence[tuple[str, str]], cursor: str, absorb: Any = absorb) -> Any:
                if not stored:
                    assert asked.wait(30), "the pages after the first were not asked for while it was stored"
                stored.append(len(changes))
                return absorb(changes, cursor)

            if name == "together":
                cache.absorb = slow_first  # type: ignore[method-assign]
            client = make_client(cache, live, sc.expert_token, http, page=page)
            await client.sync_once()
            assert client.status.online and not client.status.error, client.status
            with cache.engine.connect() as conn:
                # A projection row's `position` is where the write that last touched it ends: it
                # depends on how the log was cut into transactions, the rest must not.
                caches[name] = [conn.execute(sa.select(*(c for c in t.columns if c.name != "position"
                                                         or t is not schema.meetings))
                                             .order_by(*t.primary_key.columns)).all()
                                for t in (schema.events, schema.meetings, schema.accounts, schema.notifications,
                                          schema.transfers)]
            cache.close()
    assert stored[0] == 3 and max(stored) >= 6, stored  # at least two pages in one transaction
    assert max(stored) <= sync_module.MERGED_EVENTS
    assert sum(stored) == len(caches["whole"][0]) > 9
    assert caches["together"] == caches["whole"]
