"""What a push does under the log counter's lock, which every write of every worker waits for:
only what needs it. Its own client's row is claimed and its earlier results read before; an
expert's own prices and slots are decided before it too, and only numbered under it."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.engine.model import Mode
from consoleapp.store import Store, db, schema
from consoleapp.sync.server.tables import event_audience, sync_clients, sync_results
from tests.engine.scenario import T0
from tests.sync.live import LiveServer

OFFERS = {"name": "SetOffers", "args": {"mode": "video", "per_minute": 2, "short_price": 20}}


def _waiting_for_the_log(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%counters%'"
        )).scalar())


def _blocked_by(engine: sa.Engine, holder: int) -> bool:
    """Whether a connection waits for a lock the backend `holder` holds (this test's, not another's)."""
    with engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))"),
                                 {"holder": holder}).scalar())


def test_a_push_claims_its_client_row_before_it_waits_for_the_log_lock(pg_server: LiveServer) -> None:
    _, token = pg_server.register("expert")
    body = {"client_id": "desk-locks", "schema_version": 1, "commands": [{**OFFERS, "seq": 1, "command_id": "c1"}]}
    assert pg_server.call(token, "POST", "/sync/push", json=body).status_code == 200
    engine = db.create(pg_server.database_url)
    answers: list[httpx.Response] = []
    try:
        with engine.connect() as holder:
            with holder.begin():  # another writer holds the log counter
                holder.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)
                               .with_for_update())
                body["commands"] = [{**OFFERS, "seq": 2, "command_id": "c2", "args": {**OFFERS["args"], "short_price": 25}}]
                pushing = threading.Thread(target=lambda: answers.append(
                    pg_server.call(token, "POST", "/sync/push", json=body)))
                pushing.start()
                deadline = time.monotonic() + 20
                while not _waiting_for_the_log(engine):
                    assert time.monotonic() < deadline, "the push never waited for the log counter"
                    time.sleep(0.02)
                # Waiting there, it already holds its client's row: its own work came first.
                with engine.connect() as other, other.begin(), pytest.raises(sa.exc.OperationalError, match="lock"):
                    other.execute(sa.select(sync_clients.c.last_seq).where(sync_clients.c.client_id == "desk-locks")
                                  .with_for_update(nowait=True))
            pushing.join(20)
        assert answers and answers[0].status_code == 200, answers
        assert answers[0].json()["last_seq"] == 2 and answers[0].json()["results"][0]["status"] == "applied"
        with engine.connect() as conn:
            assert conn.execute(sa.select(sync_clients.c.last_seq)
                                .where(sync_clients.c.client_id == "desk-locks")).scalar() == 2
    finally:
        engine.dispose()


def test_a_push_numbered_after_another_workers_write_answers_and_keeps_its_final_positions(
        pg_server: LiveServer) -> None:
    """The push decides an expert's prices while another worker's write (here a store in this
    process) holds the counter; that one commits first, so the push's event goes one further on
    than where it was decided: its answer, its result row and its audience row all say the final
    position, and a fresh replay of the log agrees with every table."""
    anna, token = pg_server.register("expert")
    bert, _ = pg_server.register("expert")
    other = Store.open(pg_server.database_url)
    engine = db.create(pg_server.database_url)
    answers: list[httpx.Response] = []
    body = {"client_id": "desk-numbered", "schema_version": 1, "commands": [{**OFFERS, "seq": 1, "command_id": "c1"}]}
    try:
        with engine.connect() as conn:
            start = db.committed_length(conn)
        with other.batch(local=[bert]) as batch:
            assert batch.execute(c.SetOffers(actor=bert, mode=Mode.CHAT, per_minute=4), T0)
            db.lock_counter(batch.conn)  # numbered now: the push decides meanwhile, then waits to number its own
            pushing = threading.Thread(target=lambda: answers.append(
                pg_server.call(token, "POST", "/sync/push", json=body)))
            pushing.start()
            holder = batch.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            deadline = time.monotonic() + 20
            while not _blocked_by(engine, holder):
                assert time.monotonic() < deadline, "the push never waited to number its events"
                time.sleep(0.02)
        pushing.join(20)
        assert answers and answers[0].status_code == 200, answers
        (result,) = answers[0].json()["results"]
        assert result["status"] == "applied" and result["position"] == start + 2, (result, start)
        with engine.connect() as conn:
            e = schema.events.c
            assert [tuple(r) for r in conn.execute(sa.select(e.position, e.kind, e.ref).where(e.position > start)
                                                   .order_by(e.position))] == [
                (start + 1, "OffersSet", bert), (start + 2, "OffersSet", anna)]
            assert conn.execute(sa.select(sync_results.c.position)
                                .where(sync_results.c.client_id == "desk-numbered")).scalar_one() == start + 2
            assert conn.execute(sa.select(event_audience.c.position).where(event_audience.c.person == anna)
                                .where(event_audience.c.position > start)).scalars().all() == [start + 2]
        pulled = pg_server.call(token, "POST", "/sync/pull", json={"client_id": "desk-numbered", "cursor": ""}).json()
        assert [ch["position"] for ch in pulled["changes"] if ch["kind"] == "OffersSet"] == [start + 2]
        # The server folded the other worker's event after its own: its next push still decides right.
        body["commands"] = [{**OFFERS, "seq": 2, "command_id": "c2", "args": {**OFFERS["args"], "short_price": 30}}]
        again = pg_server.call(token, "POST", "/sync/push", json=body).json()
        assert again["results"][0]["status"] == "applied" and again["results"][0]["position"] == start + 3
        fresh = Store.open(pg_server.database_url)
        try:
            assert fresh.verify() == []
        finally:
            fresh.close()
    finally:
        other.close()
        engine.dispose()
