"""A row of a record memory let go (a customer's Person, an ended slot) is first read by the call
that needs it, long after the server started: one that cannot be read is answered 503, the tables
are rebuilt from the log at once, and the same call sent again is decided on the true record."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from consoleapp.engine.ledger import violations, wallet
from consoleapp.store import Store, db, schema
from tests.store.conftest import _pg_schema

from .live import LiveServer


def corrupt(live: LiveServer, table: sa.Table, key: str) -> None:
    engine = db.create(live.settings.url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.update(table).where(table.c.id == key).values(record="{not json")).rowcount == 1
    finally:
        engine.dispose()


def test_r11_a_grant_to_a_customer_whose_row_is_corrupt_applies_on_the_row_rebuilt_from_the_log(
        any_server: LiveServer) -> None:
    _, operator = any_server.operator()
    carl, _ = any_server.register("customer")
    corrupt(any_server, schema.people, carl)
    grant = any_server.call(operator, "POST", "/operator/grants", json={"customer": carl, "amount": 300, "reason": "x"})
    assert grant.status_code == 201, grant.text  # run again once the tables were rebuilt
    assert grant.json()["balance"] == 300  # once: the attempt that found the row changed nothing
    again = any_server.call(operator, "POST", "/operator/grants", json={"customer": carl, "amount": 5, "reason": "x"})
    assert again.json()["balance"] == 305


def test_a_page_that_reads_a_corrupt_row_answers_503_and_the_next_call_finds_it_rebuilt(
        any_server: LiveServer) -> None:
    """Outside a write nothing is run again: the call says what happened, and the next one (any
    caller's) finds the tables rebuilt."""
    carl, token = any_server.register("customer", name="Carl")
    corrupt(any_server, schema.people, carl)
    first = any_server.call(token, "GET", "/auth/me")
    assert first.status_code == 503, first.text
    assert first.json()["error"]["code"] == "rebuilt" and "send it again" in first.json()["error"]["message"]
    again = any_server.call(token, "GET", "/auth/me")
    assert again.status_code == 200 and again.json()["name"] == "Carl"


def test_r12_a_closed_meetings_row_deleted_or_corrupt_answers_503_then_the_meeting_not_404_or_500(
        any_server: LiveServer) -> None:
    """A row deleted by hand is not "no such meeting": the log created it. The page that asks says
    the tables were rebuilt, and the next call finds the meeting as the log made it."""
    from .test_customer_api import applied, scene

    sc = scene(any_server)
    _, carl = sc.customer()
    mid = sc.book(carl)["meeting"]["id"]
    applied(any_server, sc.expert_token, "DeclineRequest", meeting_id=mid, reason="not available at that time")
    engine = db.create(any_server.settings.url)
    try:
        with engine.begin() as conn:  # declined: closed, so memory let it go and only its row holds it
            assert conn.execute(sa.delete(schema.meetings).where(schema.meetings.c.id == mid)).rowcount == 1
    finally:
        engine.dispose()
    first = any_server.call(carl, "GET", f"/api/meetings/{mid}")
    assert first.status_code == 503 and first.json()["error"]["code"] == "rebuilt", first.text
    again = any_server.call(carl, "GET", f"/api/meetings/{mid}")
    assert again.status_code == 200 and again.json()["meeting"]["status"] == "Rejected", again.text
    assert any_server.call(carl, "GET", "/api/meetings/no-such-meeting").status_code == 404
    corrupt(any_server, schema.meetings, mid)  # a row that cannot be read: the same, not a 500
    assert any_server.call(carl, "GET", f"/api/meetings/{mid}").status_code == 503
    assert any_server.call(carl, "GET", f"/api/meetings/{mid}").json()["meeting"]["status"] == "Rejected"


def _push(live: LiveServer, token: str, seq: int, name: str, args: dict[str, object]) -> dict[str, object]:
    r = live.call(token, "POST", "/sync/push", json={"client_id": "desk-0001", "schema_version": 1, "commands": [
        {"seq": seq, "command_id": f"c{seq}", "name": name, "args": args}]})
    assert r.status_code == 200, r.text
    result: dict[str, object] = r.json()["results"][0]
    return result


def test_r04_an_ended_slots_corrupt_row_a_push_reads_is_rebuilt_and_the_push_decided_on_it(
        any_server: LiveServer) -> None:
    _, operator = any_server.operator()
    _, anna = any_server.register("expert")
    now = datetime.fromisoformat(any_server.advance(operator, seconds=0))
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    slot = {"slot_id": "s-old", "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    assert _push(any_server, anna, 1, "AddSlot", slot)["status"] == "applied"
    any_server.advance(operator, days=10)
    # A later write lets the ended slot go from memory; from then on it is read back by id.
    later = start + timedelta(days=11)
    fresh = {"slot_id": "s-new", "start": later.isoformat(), "end": (later + timedelta(hours=1)).isoformat()}
    assert _push(any_server, anna, 2, "AddSlot", fresh)["status"] == "applied"
    corrupt(any_server, schema.slots, "s-old")
    result = _push(any_server, anna, 3, "RemoveSlot", {"slot_id": "s-old"})
    # Decided on the slot as the log made it (a slot taken for missing would be refused, not_found).
    assert result["status"] == "applied", result


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_schema()


def _give(live: LiveServer, operator: str, customer: str, n: int, refused: list[int]) -> None:
    """Grant n's call, sent again with its Idempotency-Key while it answers 503 (as a client does)."""
    with live.client(operator) as http:
        for _ in range(20):
            r = http.post("/operator/grants", headers={"Idempotency-Key": f"grant-{n}"},
                          json={"customer": customer, "amount": 10 + n, "reason": "load"})
            if r.status_code != 503:
                break
            refused.append(n)
        assert r.status_code == 201, r.text


def test_r11_two_workers_finding_corrupt_rows_under_concurrent_grants_lose_and_double_nothing(
        tmp_path: Path, pg_url: str) -> None:
    """Two PostgreSQL workers, grants to six customers at once, two of whose rows cannot be read:
    the calls that read them run again once the tables are rebuilt; every grant lands exactly
    once, and the ledger and the tables match the log."""
    live = LiveServer(tmp_path / "data", database_url=pg_url, workers=2).start()
    try:
        _, operator = live.operator()
        customers = [live.register("customer")[0] for _ in range(6)]
        for carl in customers[:2]:
            corrupt(live, schema.people, carl)
        refused: list[int] = []
        with ThreadPoolExecutor(12) as pool:
            for done in [pool.submit(_give, live, operator, customers[n % 6], n, refused) for n in range(24)]:
                done.result(120)
        assert refused == []  # each call that found a corrupt row ran again on the rebuilt one
    finally:
        live.stop()
    with Store.open(pg_url) as store:
        for i, customer in enumerate(customers):
            granted = sum(10 + n for n in range(24) if n % 6 == i)
            assert store.world.ledger.account(wallet(customer)).credits_posted == granted
        assert violations(store.world.ledger, store.every_account()) == []
        assert store.verify() == []
