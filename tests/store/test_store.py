"""The Store against the in-memory engine, on SQLite files and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from consoleapp.engine import DomainError, World, replay
from consoleapp.engine import commands as c
from consoleapp.engine.events import Event
from consoleapp.engine.model import Mode, OfferKind, Role
from consoleapp.store import Store, db, schema
from consoleapp.store import store as store_module
from tests.engine.scenario import T0, Scenario
from tests.store.twin import Twin, events, same, varied


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in schema.metadata.sorted_tables}


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t))), key=repr)
                for t in schema.metadata.sorted_tables}


def started(s: Twin) -> Twin:
    s.expert("anna")
    s.customer("carl", 100)
    return s


def test_r34_lifecycle_through_the_store_matches_the_engine(twin: Twin) -> None:
    varied(twin)
    assert same(twin.store.world, twin.world)
    assert twin.store.world.version == len(twin.log)
    assert twin.store.verify() == []
    assert twin.store.rows_written > len(twin.log)


def test_reopening_the_file_replays_the_same_world(twin: Twin, url: str) -> None:
    varied(twin)
    twin.store.close()
    with Store.open(url) as again:
        assert same(again.world, twin.world)
        assert again.world.version == len(twin.log)
        assert again.verify() == []
        # ... and it keeps writing where the log ended.
        twin.store = again
        twin.do(c.GrantCredits(actor="system", grant_id="after-reopen", customer="carl", amount=5))
        assert again.verify() == []


def test_a_refused_command_writes_nothing(twin: Twin) -> None:
    s = started(twin)
    before, rows, version = snapshot(s.store), s.store.rows_written, s.store.world.version
    memory = s.store.world.copy()
    with pytest.raises(DomainError) as refused:
        s.store.execute(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                                         offer=OfferKind.LONG, topic="too dear", max_budget=10), s.now)
    assert refused.value.code == "invalid"
    assert snapshot(s.store) == before
    assert (s.store.rows_written, s.store.world.version) == (rows, version)
    assert s.store.world == memory


def test_r11_execute_many_skips_a_refused_command_and_applies_the_rest(twin: Twin) -> None:
    s = started(twin)
    store = s.store
    batch = [
        (c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="first"), s.now),
        (c.RequestInstant(actor="carl", meeting_id="m2", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.PER_MINUTE, topic="too much", max_budget=500), s.now),
        (c.GrantCredits(actor="system", grant_id="g2", customer="carl", amount=7), s.now),
    ]
    results = store.execute_many(batch)
    assert isinstance(results[1], DomainError) and results[1].code == "insufficient_credits"
    # The same batch through the engine alone, the refused command skipped.
    assert results[0] == Scenario.do(s, batch[0][0])
    assert results[2] == Scenario.do(s, batch[2][0])
    assert same(store.world, s.world)
    assert "m2" not in store.world.meetings
    assert store.wallet_balance("carl") == {"account": "customer:carl", "balance": 107, "available": 87,
                                            "blocked": 20}
    assert store.verify() == []


def test_verify_detects_tampered_rows(twin: Twin) -> None:
    varied(twin)
    store = twin.store
    with store.engine.begin() as conn:
        conn.execute(sa.update(schema.meetings).where(schema.meetings.c.id == "m3").values(status="Settled"))
        conn.execute(sa.delete(schema.claims).where(schema.claims.c.id == "k1"))
        conn.execute(sa.update(schema.accounts).where(schema.accounts.c.id == "customer:carl")
                     .values(debits_posted=5000))
    found = store.verify()
    assert "meetings m3: status is 'Settled', the log says 'Rejected'" in found
    assert "claims k1 is missing from the table" in found
    assert any(line.startswith("accounts customer:carl: debits_posted is 5000") for line in found)
    assert any("posted debits" in line and "differ from posted credits" in line for line in found)
    assert "customer:carl is below zero" in " ".join(found)


def test_verify_detects_a_tampered_record_and_a_forged_transfer(twin: Twin) -> None:
    varied(twin)
    store = twin.store
    with store.engine.begin() as conn:
        record = conn.execute(sa.select(schema.slots.c.record).where(schema.slots.c.id == "b-slot")).scalar_one()
        conn.execute(sa.update(schema.slots).where(schema.slots.c.id == "b-slot")
                     .values(record=record.replace('"expert":"bob"', '"expert":"eve"')))
        conn.execute(sa.insert(schema.transfers).values(
            id="forged", pending_id="m1:hold1", kind="void_pending", debit="customer:carl", credit="escrow",
            amount=1, label="x", ref="m1", at=T0, position=1))
    found = store.verify()
    # The one field changed inside the record is named, not the whole record twice.
    assert "slots b-slot: record.expert is 'eve', the log says 'bob'" in found
    assert "transfers forged is in the table but not in the log" in found
    assert any(line.startswith("hold m1:hold1 was resolved 2 times") for line in found), found


@dataclass
class Alternating(Scenario):
    """Every command goes to the engine and, in turn, to one of several stores on one file."""

    stores: list[Store] = field(default_factory=list)

    def do(self, command: c.Command) -> list[Event]:
        events = super().do(command)
        store = self.stores[len(self.log) % len(self.stores)]
        assert store.execute(command, self.now) == events
        return events


def test_two_stores_on_one_file_see_each_others_writes(sqlite_url: str) -> None:
    first, second = Store.open(sqlite_url), Store.open(sqlite_url)
    s = Alternating(stores=[first, second])
    s.expert("anna")
    s.customer("carl", 50)
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="both"))
    s.do(c.AcceptInstant(actor="anna", meeting_id="m1"))
    # A store catches up inside its next write, before it decides ...
    grant = c.GrantCredits(actor="system", grant_id="a", customer="carl", amount=30)
    first.execute(grant, s.now)
    with pytest.raises(DomainError, match="already recorded"):
        second.execute(grant, s.now)
    Scenario.do(s, grant)
    assert same(second.world, s.world)
    # ... and a reader catches up on demand.
    assert first.refresh() == 0 and same(first.world, s.world)
    second.execute(c.GrantCredits(actor="system", grant_id="b", customer="carl", amount=12), s.now)
    assert first.world.version < second.world.version
    assert first.refresh() == 1
    assert same(first.world, replay(list(events(second)))) and same(second.world, replay(list(events(second))))
    assert first.wallet_balance("carl")["available"] == second.wallet_balance("carl")["available"]
    assert first.verify() == [] and second.verify() == []
    first.close()
    second.close()


def test_a_catch_up_longer_than_one_fetch_folds_every_event_in_order(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`_catch_up` reads the log in lists of rows (`CATCH_UP_CHUNK`): a store that fell several
    lists behind folds every event once, in order, and ends as the writer's World."""
    monkeypatch.setattr(store_module, "CATCH_UP_CHUNK", 7)
    writer, reader = Store.open(url), Store.open(url)
    try:
        writer.execute(c.OpenAccount(actor="system", person="carl", role=Role.CUSTOMER, name="Carl",
                                     email="carl@example.com"), T0)
        writer.execute_many([(c.GrantCredits(actor="system", grant_id=f"g{i}", customer="carl", amount=i + 1), T0)
                             for i in range(40)])
        assert writer.world.version > 3 * 7
        assert reader.refresh() == writer.world.version
        assert same(reader.world, writer.world)
        assert reader.wallet_balance("carl")["available"] == sum(range(1, 41))
        assert reader.verify() == []
    finally:
        writer.close()
        reader.close()


def test_a_catch_up_that_finds_the_log_short_of_its_counter_says_so_and_loads_the_tables_afresh(url: str) -> None:
    """The counter and the events commit together: a log that ends before its counter (its last
    rows deleted by hand) is damage, refused aloud, not a World left silently behind the tables."""
    writer, reader = Store.open(url), Store.open(url)
    try:
        writer.execute(c.OpenAccount(actor="system", person="carl", role=Role.CUSTOMER, name="Carl",
                                     email="carl@example.com"), T0)
        reader.refresh()
        writer.execute_many([(c.GrantCredits(actor="system", grant_id=f"g{i}", customer="carl", amount=i + 1), T0)
                             for i in range(3)])
        with writer.engine.begin() as conn:
            e = schema.events.c
            conn.execute(sa.delete(schema.events).where(e.position == writer.world.version))
        with pytest.raises(store_module.StaleLog, match=f"ends at position {writer.world.version - 1}"):
            reader.refresh()
        # The tables still hold the last grant: the World is loaded from them, not from the short log.
        assert reader.world.version == writer.world.version
        assert reader.wallet_balance("carl")["available"] == 1 + 2 + 3
    finally:
        writer.close()
        reader.close()


def test_a_failed_commit_rebuilds_the_world_from_the_log(twin: Twin, monkeypatch: pytest.MonkeyPatch) -> None:
    s = started(twin)
    store = s.store
    before, memory = snapshot(store), store.world.copy()

    def broken(conn: sa.Connection, value: int) -> None:
        raise sa.exc.OperationalError("UPDATE counters", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db, "advance_counter", broken)
    with pytest.raises(sa.exc.OperationalError):
        store.execute(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                                       offer=OfferKind.SHORT, topic="lost"), s.now)
    assert snapshot(store) == before
    assert store.world == memory and "m1" not in store.world.meetings
    monkeypatch.undo()
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="kept"))
    assert same(store.world, s.world) and store.verify() == []


def test_positions_are_contiguous_and_match_the_counter(twin: Twin) -> None:
    varied(twin)
    with twin.store.engine.connect() as conn:
        positions = conn.execute(sa.select(schema.events.c.position).order_by(schema.events.c.position)).scalars().all()
        counter = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar_one()
    assert positions == list(range(1, len(twin.log) + 1)) and counter == len(twin.log)


def test_the_log_alone_replays_to_the_world(twin: Twin) -> None:
    varied(twin)
    assert same(twin.store.world, replay(twin.log))
    assert isinstance(twin.store.world, World)


def test_sqlite_runs_in_wal_with_full_sync(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS


def test_now_without_a_time_zone_is_refused_and_writes_nothing(twin: Twin) -> None:
    s = started(twin)
    before = counts(s.store)
    with pytest.raises(DomainError, match="time zone"):
        s.store.execute(c.GrantCredits(actor="system", grant_id="x", customer="carl", amount=1),
                        (T0 + timedelta(hours=1)).replace(tzinfo=None))
    assert counts(s.store) == before


def test_a_failure_before_anything_is_decided_keeps_the_world(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A caller's own error inside a batch (before deciding) must not replay the whole log."""
    import pytest as _pytest

    from consoleapp.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'c.db'}")
    world = store.world
    with _pytest.raises(RuntimeError), store.batch():
        raise RuntimeError("the caller changed its mind")
    assert store.world is world  # not rebuilt
    store.close()


def test_r22_no_write_walks_the_log_by_kind_on_sqlite(sqlite_url: str) -> None:
    """Every statement a varied history sends about the log searches it by a record's `ref` or by
    position, never through the index of a kind (every meeting ever requested) or the whole table:
    SQLite keeps no statistics, and a new booking's "was this id ever created?" once walked every
    MeetingRequested before it."""
    store = Store.open(sqlite_url)
    store.engine.dispose()  # the connections made from here on trace what they run
    seen: set[str] = set()

    @sa.event.listens_for(store.engine, "connect")
    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(lambda sql: seen.add(sql) if " events " in f" {sql} " else None)

    varied(Twin(store=store))
    plans: dict[str, str] = {}
    with store.engine.connect() as conn:
        for sql in seen:
            if sql.lstrip().upper().startswith("SELECT"):
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
                plans[sql] = " | ".join(str(r[-1]) for r in rows)
    store.close()
    assert plans, "no read of the log was traced"
    walking = {sql: plan for sql, plan in plans.items() if "ix_events_kind" in plan or "SCAN " in plan}
    assert walking == {}


def test_a_start_reads_the_kinds_it_needs_through_an_index_of_those_kinds_only(url: str) -> None:
    """The log's index of kinds holds only `START_KINDS` (a partial index), and the start's read of
    them uses it, on SQLite (which needs the index's own term in the query) and on PostgreSQL."""
    from consoleapp.store import open_world, schema

    store = Store.open(url)
    varied(Twin(store=store))
    statement = open_world.logged_statement(*schema.START_KINDS)
    with store.engine.connect() as conn:
        sql = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            made = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_events_start_kinds'").scalar_one()
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        else:
            made = conn.exec_driver_sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_events_start_kinds'"
                                        " AND schemaname = current_schema()").scalar_one()
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table is read whole otherwise
            plan = " | ".join(str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert "WHERE" in made and "PromoCodeCreated" in made and "MeetingRequested" not in made
        assert "ix_events_start_kinds" in plan, plan
        assert {"ix_events_kind"}.isdisjoint(i["name"] for i in sa.inspect(conn).get_indexes("events"))
        # Each kind asked for alone comes alone (the index's term is one group: an OR beside an AND).
        every = [(p, type(ev).__name__) for p, ev in open_world.logged(conn, *schema.START_KINDS)]
        assert every, "the history holds none of the kinds a start reads"
        for kind in schema.START_KINDS:
            assert [(p, type(ev).__name__) for p, ev in open_world.logged(conn, kind)] == [x for x in every if x[1] == kind]
    with pytest.raises(ValueError, match="holds only"):
        open_world.logged_statement("MeetingRequested")
    store.close()
