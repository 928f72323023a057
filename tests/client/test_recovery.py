"""A cache that cannot be used is set aside and started afresh, its unsent work carried over
(`consoleapp/sync/client/recovery.py`); damage found during use is checked at the next start."""

from __future__ import annotations

import contextlib
import resource
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.sync.client.cache import Cache, CacheError, is_damage
from consoleapp.sync.client.recovery import read_unsent, start_afresh
from tests.client.test_cache import URL, _filled, _scribble_table


def _queued(path: Path, commands: int) -> Cache:
    cache = Cache.open(path, URL, "anna")
    for i in range(commands):
        cache.enqueue(c.PostChat(actor="anna", meeting_id="m", message_id=f"x{i}", text=f"hello {i}"))
    return cache


def _crashed_with_damaged_history(path: Path, commands: int) -> tuple[str, list[tuple[int, str]]]:
    """A cache with queued commands whose process died, then whose history pages went bad."""
    cache = _queued(path, commands)
    client_id, queued = cache.client_id, [(p.seq, p.command_id) for p in cache.pending()]
    cache.store.close()
    cache.engine.dispose()  # no clean close
    _filled(path)
    _scribble_table(path, "events")
    return client_id, queued


def test_a_damaged_cache_is_set_aside_and_its_unsent_commands_are_kept_under_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    client_id, queued = _crashed_with_damaged_history(path, 3)
    with pytest.raises(CacheError, match="damaged.*set it aside"):
        Cache.open(path, URL, "anna")
    done = start_afresh(path, URL, "anna")
    assert done.read and done.unsent == 3
    assert done.kept == tmp_path / "c.sqlite3.damaged" and done.kept.exists()
    fresh = Cache.open(path, URL, "anna")
    try:
        # The same client id and seqs: the server applies none of them twice.
        assert fresh.client_id == client_id and fresh.cursor == ""
        assert [(p.seq, p.command_id) for p in fresh.pending()] == queued
        assert [p.command.text for p in fresh.pending()] == ["hello 0", "hello 1", "hello 2"]  # type: ignore[attr-defined]
        assert fresh.enqueue(c.PostChat(actor="anna", meeting_id="m", message_id="x9", text="after")) == queued[-1][0] + 1
    finally:
        fresh.close()
    # A second time keeps the first set-aside file as it is.
    assert start_afresh(path, URL, "anna").kept == tmp_path / "c.sqlite3.damaged-2"
    assert (tmp_path / "c.sqlite3.damaged").exists()


def test_an_unreadable_outbox_starts_a_new_client_and_says_nothing_was_read(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = _queued(path, 200)
    client_id = cache.client_id
    cache.close()
    _scribble_table(path, "outbox")
    assert read_unsent(path, URL, "anna") is None
    done = start_afresh(path, URL, "anna")
    assert not done.read and done.unsent == 0
    fresh = Cache.open(path, URL, "anna")
    assert fresh.pending() == [] and fresh.client_id != client_id  # a new id: no number reused
    fresh.close()


def test_someone_elses_cache_is_set_aside_without_sending_their_commands(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    _queued(path, 2).close()
    with pytest.raises(CacheError, match="belongs to account"):
        Cache.open(path, URL, "bob")
    done = start_afresh(path, URL, "bob")
    assert not done.read
    fresh = Cache.open(path, URL, "bob")
    assert fresh.pending() == []
    fresh.close()


def test_damage_found_while_reading_is_checked_whole_at_the_next_start(tmp_path: Path) -> None:
    """After a clean close only the unsent work's tables are checked at start (a quick start);
    a bad history page found later marks the file, so the next start checks it all and refuses it."""
    path = tmp_path / "c.sqlite3"
    _queued(path, 1).close()
    _filled(path)
    _scribble_table(path, "events")
    cache = Cache.open(path, URL, "anna")
    with pytest.raises(sa.exc.DatabaseError) as raised, cache.engine.connect() as conn:
        conn.execute(sa.text("SELECT count(*), max(length(data)) FROM events")).all()
    assert is_damage(raised.value) and "malformed" in cache.damaged
    cache.close()
    with pytest.raises(CacheError, match="is damaged"):
        Cache.open(path, URL, "anna")


def test_a_locked_database_is_not_damage() -> None:
    assert not is_damage(sqlite3.OperationalError("database is locked"))
    assert is_damage(sqlite3.DatabaseError("database disk image is malformed"))


@contextlib.contextmanager
def disk_full(room: int = 2048) -> Iterator[None]:
    """This process may grow no file beyond `room` bytes, as on a disk that has filled up: a write
    past it fails (EFBIG; the signal that would end the process is ignored meanwhile)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    before = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, before)


def test_r3_a_fresh_copy_the_disk_cannot_hold_puts_the_old_file_back_and_a_retry_carries_the_work(
        tmp_path: Path) -> None:
    """Found writing this test: the damaged file was already renamed when the new cache failed, so
    a retry read the half-made new file (no unsent work in it), set that aside and started empty:
    the commands waiting in the old file were never carried over."""
    path = tmp_path / "c.sqlite3"
    client_id, queued = _crashed_with_damaged_history(path, 2)
    before = path.read_bytes()
    with disk_full(), pytest.raises(CacheError, match="cannot be used"):
        start_afresh(path, URL, "anna")
    # As it was, nothing half made beside it (SQLite's -wal and -shm files of reading it may be).
    assert path.read_bytes() == before and not list(tmp_path.glob("*.damaged*"))
    unsent = read_unsent(path, URL, "anna")
    assert unsent is not None and unsent.commands == 2
    done = start_afresh(path, URL, "anna")  # room again
    assert done.read and done.unsent == 2 and done.kept == tmp_path / "c.sqlite3.damaged"
    fresh = Cache.open(path, URL, "anna")
    try:
        assert fresh.client_id == client_id and [(p.seq, p.command_id) for p in fresh.pending()] == queued
    finally:
        fresh.close()
