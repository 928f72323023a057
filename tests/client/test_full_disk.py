"""A desktop whose disk fills up mid-sync: the page that cannot be written is not half kept, the
status says so, and once there is room again the next sync brings everything, stored as a fresh
replay of the log would store it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.store import schema
from consoleapp.sync.client.cache import is_disk_refusal
from consoleapp.ui.errors import human
from tests.sync.live import LiveServer

from .conftest import make_client, open_cache, push, scene
from .test_recovery import disk_full

pytestmark = pytest.mark.anyio


async def test_a_pull_the_disk_cannot_hold_keeps_nothing_of_the_page_and_the_next_sync_brings_it_all(
        live: LiveServer, tmp_path: Path) -> None:
    sc = scene(live)
    async with httpx.AsyncClient(timeout=30) as http:
        cache = open_cache(tmp_path, live, sc.expert)
        client = make_client(cache, live, sc.expert_token, http)
        await client.sync_once()
        assert client.status.online and not client.status.error, client.status
        cursor, stored = cache.cursor, _count(cache.engine)
        later = sc.slot_start + timedelta(days=1)
        for i in range(40):  # what the next pull brings: more than a few pages of SQLite
            start = later + timedelta(hours=2 * i)
            push(live, sc.expert_token, "AddSlot", slot_id=f"more-{i}", start=start.isoformat(),
                 end=(start + timedelta(hours=1)).isoformat())
        # No write past a file's first 4 KiB: the write-ahead log's first frame already is (a frame
        # is a 4 KiB page and its header), wherever in the file SQLite would put it.
        with disk_full(room=4096):
            await client.sync_once()
        said = client.status.error
        assert not client.status.online and "disk did not take" in said and "free some space" in said, said
        assert cache.cursor == cursor and _count(cache.engine) == stored  # nothing of the page kept
        assert not any(s.startswith("more-") for s in cache.store.world.slots)

        await client.sync_once()  # room again
        assert client.status.online and not client.status.error, client.status
        assert {f"more-{i}" for i in range(40)} <= set(cache.store.world.slots)
        assert _count(cache.engine) == stored + 40
        assert cache.store.verify() == []
        cache.close()


async def test_a_change_the_disk_cannot_hold_is_not_queued_and_the_window_says_what_to_do(
        live: LiveServer, tmp_path: Path) -> None:
    sc = scene(live)
    later = sc.slot_start + timedelta(days=1)
    slot = c.AddSlot(actor=sc.expert, slot_id="full", start=later, end=later + timedelta(hours=1))
    async with httpx.AsyncClient(timeout=30) as http:
        cache = open_cache(tmp_path, live, sc.expert)
        client = make_client(cache, live, sc.expert_token, http)
        await client.sync_once()
        with disk_full(room=4096), pytest.raises(sa.exc.OperationalError) as refused:
            await client.submit(slot)
        assert is_disk_refusal(refused.value)
        assert cache.outbox_size() == 0 and cache.pending() == []  # not half queued
        said = human(refused.value)
        assert "disk did not take the change" in said and "Free some space and do it again" in said, said
        await client.submit(slot)  # room again: the same change goes through
        await client.sync_once()
        assert client.status.online and not client.status.error and "full" in cache.store.world.slots
        cache.close()


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one())
