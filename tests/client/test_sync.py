"""The offline-first sync client against the real server: exactly once, conflicts, resets, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.engine.model import MeetingStatus, Mode
from consoleapp.sync.client.cache import sent_commands
from consoleapp.sync.client.sync import SyncClient
from tests.sync.live import LiveServer
from tests.sync.test_cli import run_cli

from .conftest import count, log_of, make_client, open_cache, push, scene, until

pytestmark = pytest.mark.anyio
Restart = Callable[[LiveServer], LiveServer]


def status_of(client: SyncClient, mid: str) -> MeetingStatus | None:
    m = client.cache.view(client.server_now()).meetings.get(mid)
    return m.status if m else None


async def test_offline_commands_apply_exactly_once_after_reconnect(
        live: LiveServer, restart: Restart, tmp_path: Path, http: httpx.AsyncClient) -> None:
    sc = scene(live)
    _, carl = sc.customer()
    mid = sc.book(carl)
    cache = open_cache(tmp_path, live, sc.expert)
    client = make_client(cache, live, sc.expert_token, http)
    seen: list[frozenset[str]] = []
    client.subscribe(seen.append)
    await client.sync_once()
    assert client.status.online and client.status.error == ""
    assert cache.store.world.meetings[mid].status is MeetingStatus.AWAITING_APPROVAL
    assert any("meetings" in s for s in seen)

    live.stop()
    start = sc.slot_start + timedelta(days=1)
    await client.submit(c.ApproveBooking(actor=sc.expert, meeting_id=mid))
    await client.submit(c.AddSlot(actor=sc.expert, slot_id="slot-2", start=start, end=start + timedelta(hours=2)))
    await client.submit(c.SetOffers(actor=sc.expert, mode=Mode.VIDEO, short_price=45, long_price=75))
    await client.sync_once()
    assert not client.status.online and "offline" in client.status.error
    assert client.status.pending == 3 and [p.seq for p in cache.pending()] == [1, 2, 3]
    view = cache.view(client.server_now())  # optimistic; the pulled state is untouched
    assert view.meetings[mid].status is MeetingStatus.AGREED and "slot-2" in view.slots
    assert cache.store.world.meetings[mid].status is MeetingStatus.AWAITING_APPROVAL
    assert {mid, "slot-2", sc.expert} <= cache.pending_refs()

    again = restart(live)
    await client.sync_once()
    assert client.status.online and client.status.error == "", client.status
    assert cache.pending() == [] and cache.issues() == [] and client.status.pending == 0
    assert cache.store.world.meetings[mid].status is MeetingStatus.AGREED
    assert "slot-2" in cache.store.world.slots
    await client.sync_once()  # nothing is pushed twice
    assert count(again, "MeetingAgreed", mid) == 1
    assert count(again, "SlotAdded", "slot-2") == 1
    assert count(again, "OffersSet", sc.expert) == 2


async def test_server_killed_mid_push_applies_exactly_once(
        live: LiveServer, restart: Restart, tmp_path: Path) -> None:
    sc = scene(live)
    cache = open_cache(tmp_path, live, sc.expert)
    sent = asyncio.Event()

    async def hook(request: httpx.Request) -> None:
        if request.url.path == "/sync/push":
            sent.set()

    async with httpx.AsyncClient(timeout=30, event_hooks={"request": [hook]}) as http:
        client = make_client(cache, live, sc.expert_token, http)
        await client.sync_once()
        base = sc.slot_start + timedelta(days=2)
        n = 400
        for i in range(n):
            start = base + timedelta(hours=i)
            cache.enqueue(c.AddSlot(actor=sc.expert, slot_id=f"k-{i}", start=start, end=start + timedelta(minutes=30)))
        task = asyncio.create_task(client.sync_once())
        await asyncio.wait_for(sent.wait(), 30)
        await asyncio.to_thread(live.kill)  # SIGKILL while the push is in flight
        await task
        assert not client.status.online and client.status.error
        assert client.status.pending == n  # nothing confirmed, nothing dropped

        again = restart(live)
        await client.sync_once()
        assert client.status.error == "", client.status
        assert cache.pending() == [] and cache.issues() == []
        slots = [ref for kind, ref in log_of(again)
                 if kind == "SlotAdded" and ref.startswith("k-")]
        assert sorted(slots) == sorted(f"k-{i}" for i in range(n))  # each exactly once
        assert sum(1 for s in cache.store.world.slots if s.startswith("k-")) == n


async def test_the_same_batch_pushed_twice_is_applied_once(live: LiveServer, tmp_path: Path,
                                                           http: httpx.AsyncClient) -> None:
    sc = scene(live)
    cache = open_cache(tmp_path, live, sc.expert)
    client = make_client(cache, live, sc.expert_token, http)
    base = sc.slot_start + timedelta(days=2)
    for i in range(3):
        start = base + timedelta(hours=i)
        await client.submit(c.AddSlot(actor=sc.expert, slot_id=f"t-{i}", start=start, end=start + timedelta(minutes=30)))
    batch = {"client_id": cache.client_id, "schema_version": 1,
             "commands": [{"seq": s, "command_id": cid, "name": name, "args": args}
                          for s, cid, name, args in cache.outbox_rows()]}
    first = live.call(sc.expert_token, "POST", "/sync/push", json=batch).json()
    second = live.call(sc.expert_token, "POST", "/sync/push", json=batch).json()
    assert first == second and first["last_seq"] == 3
    await client.sync_once()  # the client pushes the same batch a third time
    assert client.status.error == "" and cache.pending() == [] and cache.issues() == []
    for i in range(3):
        assert count(live, "SlotAdded", f"t-{i}") == 1
    assert {f"t-{i}" for i in range(3)} <= set(cache.store.world.slots)


async def test_conflict_customer_cancels_while_expert_offline_approves(
        live: LiveServer, tmp_path: Path, http: httpx.AsyncClient) -> None:
    sc = scene(live)
    _, carl = sc.customer(100)
    mid = sc.book(carl)
    cache = open_cache(tmp_path, live, sc.expert)
    client = make_client(cache, live, sc.expert_token, http)
    await client.sync_once()
    assert cache.store.world.meetings[mid].status is MeetingStatus.AWAITING_APPROVAL

    offline = SyncClient(cache, "http://127.0.0.1:9", sc.expert_token, http)  # nothing listens on port 9
    await offline.submit(c.ApproveBooking(actor=sc.expert, meeting_id=mid))
    await offline.sync_once()
    assert not offline.status.online
    assert status_of(offline, mid) is MeetingStatus.AGREED  # optimistic
    assert mid in cache.pending_refs()

    r = live.call(carl, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "changed my mind"})
    assert r.status_code == 200, r.text

    await client.sync_once()
    issues = cache.issues()
    assert len(issues) == 1 and client.status.issues == 1
    issue = issues[0]
    assert isinstance(issue.command, c.ApproveBooking) and issue.code and issue.message
    assert issue.message == _server_reason(live, sc.expert_token, mid)
    assert cache.pending() == [] and mid not in cache.pending_refs()
    assert status_of(client, mid) is MeetingStatus.CANCELLED  # the optimistic effect is gone
    assert count(live, "MeetingAgreed", mid) == 0 and count(live, "MeetingCancelled", mid) == 1
    balance = live.call(carl, "GET", "/api/wallet").json()
    assert balance["balance"] == 100 and balance["available"] == 100, balance  # one escrow outcome: all returned

    cache.dismiss(issue.seq)
    await client.sync_once()
    assert cache.issues() == [] and client.status.issues == 0  # a dismissed issue never comes back


def _server_reason(live: LiveServer, token: str, mid: str) -> str:
    r = live.call(token, "POST", "/sync/push", json={"client_id": "probe-client", "schema_version": 1, "commands": [
        {"seq": 1, "command_id": "probe", "name": "ApproveBooking", "args": {"meeting_id": mid}}]})
    message: str = r.json()["results"][0]["message"]
    return message


async def test_restored_server_resets_and_gets_lost_commands_again(
        live: LiveServer, restart: Restart, tmp_path: Path, http: httpx.AsyncClient) -> None:
    sc = scene(live)
    cache = open_cache(tmp_path, live, sc.expert)
    client = make_client(cache, live, sc.expert_token, http)
    base = sc.slot_start + timedelta(days=2)

    def slot(i: int) -> c.AddSlot:
        start = base + timedelta(hours=i)
        return c.AddSlot(actor=sc.expert, slot_id=f"r-{i}", start=start, end=start + timedelta(minutes=30))

    await client.submit(slot(0))
    await client.sync_once()
    backup = tmp_path / "backup.db"
    made = run_cli("backup", str(backup), data_dir=live.data_dir)
    assert made.returncode == 0, made.stderr
    old_epoch = cache.epoch
    for i in (1, 2):
        await client.submit(slot(i))
    await client.sync_once()
    assert cache.pending() == [] and {"r-1", "r-2"} <= set(cache.store.world.slots)
    with cache.engine.connect() as conn:
        ids = dict(conn.execute(sa.select(sent_commands.c.seq, sent_commands.c.command_id)).all())
    assert sorted(ids) == [1, 2, 3]
    live.stop()
    restored = run_cli("restore", str(backup), data_dir=live.data_dir)
    assert restored.returncode == 0, restored.stderr
    await client.submit(slot(3))  # queued while the server is away
    again = restart(live)
    await client.sync_once()
    assert client.status.error == "", client.status
    assert cache.epoch != old_epoch
    assert cache.pending() == [] and cache.issues() == []
    for i in range(4):
        assert count(again, "SlotAdded", f"r-{i}") == 1, i
    assert {f"r-{i}" for i in range(4)} <= set(cache.store.world.slots)
    results = again.call(sc.expert_token, "POST", "/sync/pull", json={"client_id": cache.client_id, "cursor": ""}).json()
    assert [r["seq"] for r in results["results"]] == [1, 2, 3, 4]  # the same seqs, pushed again
    assert {r["seq"]: r["command_id"] for r in results["results"] if r["seq"] <= 3} == ids  # and the same ids


async def test_a_second_restore_that_decided_a_command_otherwise_shows_it_as_not_applied(
        live: LiveServer, restart: Restart, tmp_path: Path, http: httpx.AsyncClient) -> None:
    """Found by the simulation (seed 3): restored from backup A, the server lost a refused
    command and applied it when the app sent it again; restored then from backup B, in which
    that command had been refused, the app still believed it applied (it never asked again), so
    a command the server did not apply was shown nowhere. After a reset the app now asks for the
    results of every command it sent and takes the server's word."""
    sc = scene(live)
    cache = open_cache(tmp_path, live, sc.expert)
    client = make_client(cache, live, sc.expert_token, http)
    await client.sync_once()
    start = sc.slot_start + timedelta(days=2)
    before = tmp_path / "before.db"
    assert run_cli("backup", str(before), data_dir=live.data_dir).returncode == 0
    push(live, sc.expert_token, "AddSlot", slot_id="blocker", start=start.isoformat(),
         end=(start + timedelta(hours=2)).isoformat())
    await client.submit(c.AddSlot(actor=sc.expert, slot_id="x", start=start, end=start + timedelta(hours=1)))
    await client.sync_once()
    assert [i.code for i in cache.issues()] == ["slot_overlap"]
    refused = tmp_path / "refused.db"
    assert run_cli("backup", str(refused), data_dir=live.data_dir).returncode == 0

    live.stop()
    assert run_cli("restore", str(before), data_dir=live.data_dir).returncode == 0
    live = restart(live)
    await client.sync_once()  # the refused command was lost: sent again, applied this time
    assert cache.issues() == [] and "x" in cache.store.world.slots, client.status

    live.stop()
    assert run_cli("restore", str(refused), data_dir=live.data_dir).returncode == 0
    live = restart(live)
    await client.sync_once()
    assert client.status.error == "", client.status
    assert "x" not in cache.store.world.slots and "blocker" in cache.store.world.slots
    assert [(type(i.command).__name__, i.code) for i in cache.issues()] == [("AddSlot", "slot_overlap")]
    assert client.status.issues == 1 and cache.recheck is None


async def test_client_clock_skew_changes_no_deadline(live: LiveServer, tmp_path: Path,
                                                     http: httpx.AsyncClient) -> None:
    sc = scene(live, hours_ahead=30)  # approving is possible until the start, 30 h from now
    _, carl = sc.customer()
    mid = sc.book(carl)
    cache = open_cache(tmp_path, live, sc.expert)
    skewed = make_client(cache, live, sc.expert_token, http, clock=lambda: datetime.now(UTC) + timedelta(days=3))
    await skewed.sync_once()
    assert abs((skewed.server_now() - datetime.now(UTC)).total_seconds()) < 5  # the server's time, not ours
    await skewed.submit(c.ApproveBooking(actor=sc.expert, meeting_id=mid))
    assert status_of(skewed, mid) is MeetingStatus.AGREED  # with the client's clock it would be too late
    assert cache.view(datetime.now(UTC) + timedelta(days=3)).meetings[mid].status is MeetingStatus.AWAITING_APPROVAL
    await skewed.sync_once()
    assert cache.issues() == [] and cache.store.world.meetings[mid].status is MeetingStatus.AGREED


async def test_two_clients_of_one_expert_converge(live: LiveServer, tmp_path: Path, http: httpx.AsyncClient) -> None:
    sc = scene(live)
    _, carl = sc.customer()
    a = make_client(open_cache(tmp_path, live, sc.expert, "a"), live, sc.expert_token, http, pull_every=60)
    b = make_client(open_cache(tmp_path, live, sc.expert, "b"), live, sc.expert_token, http, pull_every=60)
    assert a.cache.client_id != b.cache.client_id
    tasks = [asyncio.create_task(x.run()) for x in (a, b)]
    try:
        await until(lambda: a.stream_connected and b.stream_connected, what="both streams")
        mid = sc.book(carl)  # a poke reaches both
        await until(lambda: mid in a.cache.store.world.meetings and mid in b.cache.store.world.meetings,
                    what="the booking on both")
        base = sc.slot_start + timedelta(days=2)
        await a.submit(c.ApproveBooking(actor=sc.expert, meeting_id=mid))
        await b.submit(c.AddSlot(actor=sc.expert, slot_id="b-1", start=base, end=base + timedelta(hours=1)))
        await b.submit(c.ApproveBooking(actor=sc.expert, meeting_id=mid))  # one of the two is refused

        def same() -> bool:
            wa, wb = a.cache.store.world, b.cache.store.world
            return (not a.cache.pending() and not b.cache.pending() and "b-1" in wa.slots
                    and wa.meetings == wb.meetings and wa.slots == wb.slots and wa.offers == wb.offers
                    and wa.profiles == wb.profiles)

        await until(same, what="the same state on both")
        assert a.cache.store.world.meetings[mid].status is MeetingStatus.AGREED
        assert len(a.cache.issues()) + len(b.cache.issues()) == 1
        assert count(live, "MeetingAgreed", mid) == 1
        now = a.server_now()
        assert a.cache.view(now).meetings == b.cache.view(now).meetings
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
