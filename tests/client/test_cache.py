"""The cache file: damaged, foreign or someone else's files are refused with a clear CacheError."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.engine import Event, World, evolve
from consoleapp.engine import commands as c
from consoleapp.engine.model import GroupEventStatus, Role
from consoleapp.store import Store, db, schema
from consoleapp.store.codec import dumps, event_from
from consoleapp.sync.client.cache import Cache, CacheError, host_port
from consoleapp.sync.server.audience import audience
from tests.engine.scenario import Scenario

URL = "http://127.0.0.1:8000"


def test_a_new_cache_keeps_its_outbox_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache.open(path, URL, "anna")
    start = datetime.now(UTC) + timedelta(days=1)
    assert cache.enqueue(c.AddSlot(actor="anna", slot_id="s1", start=start, end=start + timedelta(hours=1))) == 1
    assert cache.enqueue(c.RemoveSlot(actor="anna", slot_id="s1")) == 2
    client_id = cache.client_id
    cache.close()
    again = Cache.open(path, URL + "/", "anna")
    assert again.client_id == client_id and [p.seq for p in again.pending()] == [1, 2]
    assert isinstance(again.pending()[0].command, c.AddSlot) and again.pending_refs() == {"s1"}
    assert again.enqueue(c.RemoveSlot(actor="anna", slot_id="s1")) == 3
    again.reset()  # drops the server's state only
    assert [p.seq for p in again.pending()] == [1, 2, 3]
    again.close()


def test_default_path_names_server_and_user() -> None:
    path = Cache.default_path("https://console.example.org", "u-1")
    assert path.name == "console.example.org_443-u-1.sqlite3" and "consoleapp" in str(path)
    assert host_port("http://127.0.0.1:8000") == "127.0.0.1_8000"


@pytest.mark.parametrize("content", [b"garbage" * 100, b"\x00" * 4096, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_garbage_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CacheError, match="set it aside"):
        Cache.open(path, URL, "anna")


def _with_outbox(path: Path, commands: int) -> None:
    """A cache closed cleanly with `commands` chat messages waiting in its outbox."""
    cache = Cache.open(path, URL, "anna")
    for i in range(commands):
        cache.enqueue(c.PostChat(actor="anna", meeting_id="m", message_id=f"x{i}", text="hello " * 50))
    cache.close()


def test_a_damaged_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    _with_outbox(path, 300)
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data) - 100, 4096):  # scribble over every page but the first
        data[offset + 8: offset + 60] = b"\xa5" * 52
    path.write_bytes(bytes(data))
    with pytest.raises(CacheError, match="set it aside"):
        Cache.open(path, URL, "anna")


def _scribble_table(path: Path, table: str) -> None:
    """Overwrite the leaf pages of one table, as a failing disk would."""
    with sqlite3.connect(path) as conn:
        pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    conn.close()
    assert pages
    data = bytearray(path.read_bytes())
    for page in pages:
        offset = (page - 1) * 4096
        data[offset + 8: offset + 60] = b"\xa5" * 52
    path.write_bytes(bytes(data))


def _filled(path: Path) -> None:
    """A cache whose log holds pages that opening it never reads (events of no kind the rules load)."""
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO events (position, ref, kind, at, actor, data) VALUES (?, 'r', 'Filler', "
                         "'2026-01-01 00:00:00.000000', 'x', ?)", [(10**6 + i, "y" * 400) for i in range(400)])
    conn.close()


def test_after_a_crash_the_whole_cache_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache.open(path, URL, "anna")
    cache.store.close()
    cache.engine.dispose()  # the process died: `close` never ran
    _filled(path)
    _scribble_table(path, "events")
    with pytest.raises(CacheError, match="is damaged.*set it aside"):
        Cache.open(path, URL, "anna")


def test_after_a_clean_close_the_outbox_is_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    _with_outbox(path, 100)
    _scribble_table(path, "outbox")
    with pytest.raises(CacheError, match="is damaged.*set it aside"):
        Cache.open(path, URL, "anna")


def test_after_a_clean_close_history_pages_are_not_read_at_start(tmp_path: Path) -> None:
    """The trade made for a quick start (a whole check of a large cache takes seconds): damage in
    pages the start does not read is found after the next unclean end, not now."""
    path = tmp_path / "c.sqlite3"
    Cache.open(path, URL, "anna").close()
    _filled(path)
    _scribble_table(path, "events")
    Cache.open(path, URL, "anna").close()


def test_someone_elses_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Cache.open(path, URL, "anna").close()
    with pytest.raises(CacheError, match="belongs to account 'anna'"):
        Cache.open(path, URL, "bob")
    with pytest.raises(CacheError, match="belongs to account"):
        Cache.open(path, "http://other.example.org", "anna")
    Cache.open(path, URL, "anna").close()  # its owner still opens it


def test_a_database_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO photos VALUES (1, 'cat')")
    conn.close()
    with pytest.raises(CacheError, match="not an Expert Console cache"):
        Cache.open(path, URL, "anna")
    assert sqlite3.connect(path).execute("SELECT name FROM photos").fetchone() == ("cat",)  # left untouched


def test_store_append_folds_events_decided_elsewhere(tmp_path: Path) -> None:
    server = Store.open(f"sqlite:///{tmp_path / 'server.db'}")
    start = datetime.now(UTC) + timedelta(days=1)
    server.execute(c.OpenAccount(actor="system", person="anna", role=Role.EXPERT, name="Anna", email="a@x.org"),
                   datetime.now(UTC))
    server.execute(c.AddSlot(actor="anna", slot_id="s1", start=start, end=start + timedelta(hours=1)), datetime.now(UTC))
    with db.reading(server.engine) as conn:
        e = schema.events.c
        events = [event_from(k, json.loads(d)) for k, d in conn.execute(sa.select(e.kind, e.data).order_by(e.position))]
    local = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    local.append(events[:1])
    local.append(events[1:])
    local.append([])
    assert local.world.version == len(events) and local.verify() == []
    assert local.world.slots == server.world.slots and local.world.people == server.world.people
    server.close()
    local.close()


def _pulled_by(log: list[Event], person: str) -> list[tuple[str, str]]:
    """The (kind, data's JSON text) pairs a pull gives `person`: the events the server's audience rule sends them."""
    full = World()
    out = []
    for ev in log:
        evolve(full, ev)
        if person in audience(full, ev):
            out.append((type(ev).__name__, dumps(ev)))
    return out


def test_view_replays_an_offline_event_cancel_without_the_customers_holds(tmp_path: Path) -> None:
    """Found by the simulation (seed 111): an expert's cache never holds the customers' holds
    (they move a customer's wallet into escrow), so replaying a queued CancelGroupEvent for an
    event with registrations raised KeyError and took the whole optimistic view down. The view
    now shows the event cancelled; the server voids the holds."""
    s = Scenario()
    s.expert(now_slot=False)
    s.customer("carl")
    start = s.now + timedelta(days=3)
    s.do(c.CreateGroupEvent(actor="anna", event_id="ev", title="Tax day", start=start, end=start + timedelta(hours=1),
                            price=30, min_participants=1, max_participants=5))
    s.do(c.Register(actor="carl", event_id="ev"))
    cache = Cache.open(tmp_path / "anna.sqlite3", URL, "anna")
    cache.absorb(_pulled_by(s.log, "anna"), "e:1")
    assert cache.store.world.group_events["ev"].active()[0].hold not in cache.store.world.ledger.transfers
    cache.enqueue(c.CancelGroupEvent(actor="anna", event_id="ev", reason="ill"))
    assert cache.view(s.now).group_events["ev"].status is GroupEventStatus.CANCELLED
    cache.close()


def test_a_refusal_the_restored_server_lost_is_pending_again_not_also_an_issue(tmp_path: Path) -> None:
    """Found by the simulation (seed 4): after a restore, commands above the server's last seq go
    back to the outbox to be decided anew, but the refused ones also stayed in the issues list,
    so the app showed each of them twice ("pending" and "not applied"). A new refusal brings the
    issue back."""
    from consoleapp.sync.client.cache import CommandResult

    cache = Cache.open(tmp_path / "anna.sqlite3", URL, "anna")
    start = datetime.now(UTC) + timedelta(days=1)
    cache.enqueue(c.AddSlot(actor="anna", slot_id="s1", start=start, end=start + timedelta(hours=1)))
    cache.enqueue(c.RemoveSlot(actor="anna", slot_id="nope"))
    ids = [cid for _, cid, _, _ in cache.outbox_rows()]
    cache.record([CommandResult(1, ids[0], "applied", position=3),
                  CommandResult(2, ids[1], "rejected", "not_found", "no slot 'nope'")])
    cache.confirm_up_to(2)
    assert [i.seq for i in cache.issues()] == [2]
    assert cache.confirm_up_to(0)  # the restored server has processed nothing of ours
    assert [seq for seq, *_ in cache.outbox_rows()] == [1, 2] and cache.issues() == []
    cache.record([CommandResult(1, ids[0], "applied", position=1),
                  CommandResult(2, ids[1], "rejected", "not_found", "no slot 'nope'")])
    assert [(i.seq, i.code) for i in cache.issues()] == [(2, "not_found")]
    cache.close()


def test_the_status_counts_are_the_pending_and_issues_lists_lengths_at_every_stage(tmp_path: Path) -> None:
    """The sync status counts in SQL (`counts`) what the screens list (`pending`, `issues`):
    queued, applied but not yet pulled, confirmed, refused, sent back by a restore, dismissed."""
    from consoleapp.sync.client.cache import CommandResult

    cache = Cache.open(tmp_path / "anna.sqlite3", URL, "anna")

    def agree() -> tuple[int, int]:
        counted = cache.counts()
        assert counted == (len(cache.pending()), len(cache.issues()))
        return counted

    assert agree() == (0, 0)
    start = datetime.now(UTC) + timedelta(days=1)
    cache.enqueue(c.AddSlot(actor="anna", slot_id="s1", start=start, end=start + timedelta(hours=1)))
    cache.enqueue(c.RemoveSlot(actor="anna", slot_id="nope"))
    cache.enqueue(c.AddSlot(actor="anna", slot_id="s2", start=start, end=start + timedelta(hours=2)))
    assert agree() == (3, 0)
    ids = [cid for _, cid, _, _ in cache.outbox_rows()]
    cache.record([CommandResult(1, ids[0], "applied", position=3),
                  CommandResult(2, ids[1], "rejected", "not_found", "no slot 'nope'")])
    assert agree() == (2, 1)  # s1 applied, not yet pulled; s2 still queued; the refusal an issue
    cache.confirm_up_to(2)
    assert agree() == (1, 1)
    cache.confirm_up_to(0)  # a restored server has processed nothing of ours: all three go back
    assert agree() == (3, 0)
    cache.record([CommandResult(2, ids[1], "rejected", "not_found", "no slot 'nope'")])
    assert agree() == (2, 1)
    cache.dismiss(2)
    assert agree() == (2, 0)
    cache.close()


def test_an_older_cache_loses_the_index_no_read_needs_and_a_persons_notices_use_the_other(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Cache.open(path, URL, "anna").close()
    with sqlite3.connect(path) as conn:  # as an earlier version made it
        conn.execute("CREATE INDEX ix_notifications_recipient ON notifications (recipient)")
    cache = Cache.open(path, URL, "anna")
    try:
        with cache.engine.connect() as conn:
            names = {i["name"] for i in sa.inspect(conn).get_indexes("notifications")}
            assert names == {"ix_notifications_recipient_position"}
            # A person's notifications after a position (a stream catching up, the bell's list).
            n = schema.notifications.c
            plan = conn.execute(sa.text("EXPLAIN QUERY PLAN " + str(
                sa.select(n.text).where(n.recipient == "anna", n.position > 5).order_by(n.position)
                .compile(conn, compile_kwargs={"literal_binds": True})))).all()
            assert any("ix_notifications_recipient_position" in str(row) for row in plan), plan
    finally:
        cache.close()


def test_an_index_dropped_by_hand_is_made_again_with_a_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Without the log's index of the kinds a start reads, a start reads every event to find them."""
    path = tmp_path / "c.sqlite3"
    Cache.open(path, URL, "anna").close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_events_start_kinds")
    with caplog.at_level("WARNING", logger="consoleapp.store"):
        cache = Cache.open(path, URL, "anna")
    try:
        assert "the index ix_events_start_kinds of the table events was not found: making it" in caplog.text
        with cache.engine.connect() as conn:
            assert "ix_events_start_kinds" in {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    finally:
        cache.close()
    caplog.clear()
    with caplog.at_level("WARNING", logger="consoleapp.store"):
        Cache.open(path, URL, "anna").close()
    assert "not found" not in caplog.text  # made once


def test_an_older_cache_trades_its_index_of_every_events_kind_for_one_of_the_kinds_a_start_reads(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Cache.open(path, URL, "anna").close()
    with sqlite3.connect(path) as conn:  # as an earlier version made it
        conn.execute("DROP INDEX ix_events_start_kinds")
        conn.execute("CREATE INDEX ix_events_kind ON events (kind)")
    Cache.open(path, URL, "anna").close()
    with sqlite3.connect(path) as conn:
        made = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'events' AND type = 'index'"
                                 " AND sql IS NOT NULL").fetchall())
    assert set(made) == {"ix_events_ref", "ix_events_start_kinds"}
    assert "WHERE (kind = 'PromoCodeCreated' OR kind = 'PromoCodeEnded'" in made["ix_events_start_kinds"]
