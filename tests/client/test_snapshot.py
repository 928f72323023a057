"""The cache's world snapshot: a quick start that can never make the cache wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Mode, Role
from consoleapp.sync.client import snapshot
from consoleapp.sync.client.cache import Cache

URL = "http://127.0.0.1:9"
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _fill(cache: Cache, slots: int) -> None:
    cache.store.execute_many([
        (c.OpenAccount(actor=SYSTEM, person="anna", role=Role.EXPERT, name="Anna", email="a@example.com"), T0),
        (c.SetOffers(actor="anna", mode=Mode.VIDEO, short_price=20, long_price=40), T0),
        *[(c.AddSlot(actor="anna", slot_id=f"s{i}", start=T0 + timedelta(days=i + 1),
                     end=T0 + timedelta(days=i + 1, hours=2)), T0) for i in range(slots)],
    ])


def test_a_reopened_cache_starts_from_its_snapshot_and_equals_a_full_fold(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache.open(path, URL, "anna")
    _fill(cache, 5)
    cache.close()
    assert snapshot.path_for(path).exists()
    again = Cache.open(path, URL, "anna")
    assert again._snapshot_at == again.store.world.version > 0  # started from the file
    # More events after the snapshot are folded on top of it.
    again.store.execute(c.AddSlot(actor="anna", slot_id="late", start=T0 + timedelta(days=30),
                                  end=T0 + timedelta(days=30, hours=1)), T0)
    world = again.store.world
    again.close()
    third = Cache.open(path, URL, "anna")
    assert third.store.world == world and "late" in third.store.world.slots
    assert third.store.verify() == []
    third.close()


def test_a_snapshot_that_does_not_fit_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache.open(path, URL, "anna")
    _fill(cache, 3)
    cache.close()
    # Damaged file: the log is folded from the start, nothing breaks.
    snapshot.path_for(path).write_bytes(b'{"fingerprint": "x"}\nnot a pickle')
    again = Cache.open(path, URL, "anna")
    assert again._snapshot_at == -1 and len(again.store.world.slots) == 3
    again.close()
    # A snapshot taken at a position whose event is another one (the log was replaced).
    good = snapshot.path_for(path).read_bytes()
    header, _, body = good.partition(b"\n")
    forged = header.replace(b'"marker": "SlotAdded:s2"', b'"marker": "SlotAdded:zz"')
    assert forged != header
    snapshot.path_for(path).write_bytes(forged + b"\n" + body)
    third = Cache.open(path, URL, "anna")
    assert third._snapshot_at == -1 and third.store.verify() == []
    third.close()


def test_a_reset_forgets_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache.open(path, URL, "anna")
    _fill(cache, 2)
    cache.close()
    again = Cache.open(path, URL, "anna")
    again.reset()
    assert not snapshot.path_for(path).exists()
    again.close()
