"""What a push does under the log counter's lock, which every write of every worker waits for:
only what needs it. Its own client's row is claimed and its earlier results read before."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import sqlalchemy as sa

from consoleapp.store import db, schema
from consoleapp.sync.server.tables import sync_clients
from tests.sync.live import LiveServer

OFFERS = {"name": "SetOffers", "args": {"mode": "video", "per_minute": 2, "short_price": 20}}


def _waiting_for_the_log(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%counters%'"
        )).scalar())


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
