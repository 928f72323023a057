"""Experts' own prices and slots are decided side by side on PostgreSQL (`Store.batch(local=...)`):
each write locks only its keys (the expert, the slot id), and the log counter only to number its
events at the end. Whatever the interleaving, the log stays contiguous and in commit order, every
World ends as a replay of it, and writes over the same key, or over anything else, still wait."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.commands import Command
from consoleapp.engine.model import SYSTEM, Mode, Role
from consoleapp.engine.people import own_keys
from consoleapp.store import Store, db, schema
from consoleapp.store import store as store_module
from consoleapp.store.repository import Reader
from consoleapp.store.store import Batch, NotLocal, StaleLog
from tests.engine.scenario import T0
from tests.store.conftest import _pg_schema
from tests.store.twin import same

WAIT = 20  # seconds a write that must not wait is given; one that must wait is watched as long


@pytest.fixture
def stores(pg_url: str) -> Iterator[tuple[Store, Store]]:
    """Two stores on one PostgreSQL database, as two server workers are, with two experts and a customer."""
    setup = Store.open(pg_url)
    for person, role in (("anna", Role.EXPERT), ("bert", Role.EXPERT), ("carl", Role.CUSTOMER)):
        setup.execute(c.OpenAccount(actor=SYSTEM, person=person, role=role, name=person,
                                    email=f"{person}@example.com"), T0)
    setup.close()
    a, b = Store.open(pg_url), Store.open(pg_url)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _slot(expert: str, slot_id: str, hours: int) -> c.AddSlot:
    start = T0 + timedelta(days=1, hours=hours)
    return c.AddSlot(actor=expert, slot_id=slot_id, start=start, end=start + timedelta(hours=1))


def _offers(expert: str, price: int) -> c.SetOffers:
    return c.SetOffers(actor=expert, mode=Mode.VIDEO, per_minute=price)


def _keys(*commands: Command) -> set[str]:
    return {key for command in commands for key in own_keys(command) or ()}


class Beside:
    """A write run on a thread of its own while the test holds another open: `done` says whether it
    got through, `result` what it decided (events or the refusal)."""

    def __init__(self, write: Callable[[], object]) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(write,), daemon=True)
        self._thread.start()

    def _run(self, write: Callable[[], object]) -> None:
        try:
            self.result = write()
        except BaseException as err:  # surfaced by `finished`
            self.error = err

    def finished(self, seconds: float = WAIT) -> bool:
        self._thread.join(seconds)
        if self.error is not None:
            raise self.error
        return not self._thread.is_alive()


def _local(store: Store, command: Command) -> object:
    with store.batch(local=_keys(command)) as b:
        return b.execute(command, T0)


def _log(store: Store) -> list[tuple[int, str, str]]:
    with store.engine.connect() as conn:
        e = schema.events.c
        return [tuple(r) for r in conn.execute(sa.select(e.position, e.kind, e.ref).order_by(e.position))]


def _until_waiting(batch: Batch) -> None:
    """Until another connection waits for a lock `batch`'s transaction holds."""
    holder = batch.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    blocked = sa.text("SELECT count(*) FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))")
    for _ in range(WAIT * 50):
        with batch.conn.engine.connect() as conn:  # a transaction each: the statistics are read once in one
            if conn.execute(blocked, {"holder": holder}).scalar():
                return
        threading.Event().wait(0.02)
    raise AssertionError("the other write never waited for a lock")


def test_two_experts_slots_and_prices_are_decided_side_by_side_and_the_log_stays_in_commit_order(
        stores: tuple[Store, Store]) -> None:
    a, b = stores
    start = a.world.version
    with a.batch(local=_keys(_slot("anna", "a1", 1), _offers("anna", 3))) as batch:
        assert batch.execute(_slot("anna", "a1", 1), T0)
        assert batch.execute(_offers("anna", 3), T0)
        # Anna's write is decided and open; Bert's, on the other worker, does not wait for it.
        bert = Beside(lambda: _local(b, _slot("bert", "b1", 1)))
        assert bert.finished(), "bert's write waited for anna's"
    # Bert's committed first, so anna's events were numbered after it, where she had decided them at start + 1.
    assert [(p, k) for p, k, _ in _log(a)[start:]] == [
        (start + 1, "SlotAdded"), (start + 2, "SlotAdded"), (start + 3, "OffersSet")]
    assert _log(a)[start][2] == "b1"
    # Each World folded the other's events too (anna's after her own): both are the log's replay,
    # and every row carries the position of the event that wrote it.
    for store in (a, b):
        store.refresh()
        assert store.world.version == start + 3
        assert store.verify() == []
    assert same(a.world, b.world)
    with a.engine.connect() as conn:
        assert conn.execute(sa.select(schema.slots.c.position).where(schema.slots.c.id == "a1")).scalar_one() == start + 3
        assert conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar_one() == start + 3


def test_r1_the_events_a_local_write_passed_are_folded_by_the_next_write_before_it_decides(
        stores: tuple[Store, Store]) -> None:
    """What other workers committed while a local write decided is not folded before that write
    answers, but by the store's next catch-up: the next write decides over it, without a refresh."""
    a, b = stores
    start = a.world.version
    with a.batch(local=_keys(_offers("anna", 3))) as batch:
        assert batch.execute(_offers("anna", 3), T0)
        assert Beside(lambda: _local(b, _slot("bert", "b1", 1))).finished()
    assert _local(b, _slot("bert", "b4", 5))  # and one after anna's: her next catch-up reads both spans at once
    # Anna's store now writes for bert (as a worker does for any expert): his slots b1, numbered
    # before anna's prices, and b4, after them, must be in its World when it decides.
    for taken in (1, 5):
        refused = _local(a, _slot("bert", "b2", taken))
        assert isinstance(refused, DomainError) and refused.code == "slot_overlap", refused
    assert _local(a, _slot("bert", "b3", 3))
    assert [r for _, _, r in _log(a)[start:]] == ["b1", "anna", "b4", "b3"]
    assert a.world.version == start + 4
    assert a.verify() == []
    b.refresh()
    assert same(a.world, b.world)


def _catch_up_queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The catch-up queries a store sends of its own (not with a write's locks), as they are sent."""
    sent: list[str] = []

    class Watched(dict[bool, str]):
        def __getitem__(self, qmark: bool) -> str:
            sent.append(super().__getitem__(qmark))
            return sent[-1]

    for name in ("_CATCH_UP", "_CATCH_UP_TWO"):
        monkeypatch.setattr(store_module, name, Watched(getattr(store_module, name)))
    return sent


def test_a_local_write_reads_what_it_owes_with_its_locks_and_refuses_a_log_short_of_its_counter(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """A local write reads the events other workers committed in the same statement as the log's
    length, with its locks (one round trip, `db.LogRead`), not in a query of its own after them.
    A log whose last row was deleted by hand fails that write aloud, and the store then loads the
    open business from the tables."""
    a, b = stores
    assert _local(b, _slot("bert", "b1", 1))
    own_query = _catch_up_queries(monkeypatch)
    assert _local(a, _offers("anna", 3))
    assert own_query == [] and a.world.slots["b1"].expert == "bert"
    a.refresh()  # a reader's catch-up still has a query of its own
    assert _local(b, _slot("bert", "b0", 7))
    assert a.refresh() == 1 and len(own_query) == 1
    monkeypatch.undo()
    prices = a.world.offers[("anna", Mode.VIDEO)]
    assert _local(b, _slot("bert", "b2", 3))
    with a.engine.begin() as conn:
        conn.execute(sa.delete(schema.events).where(schema.events.c.ref == "b2"))
    with pytest.raises(StaleLog, match="ends at position"):
        _local(a, _offers("anna", 4))
    assert "b2" in a.world.slots and a.world.offers[("anna", Mode.VIDEO)] == prices
    assert _local(a, _offers("anna", 4))
    assert a.world.offers[("anna", Mode.VIDEO)] != prices


def test_a_write_far_behind_the_log_folds_it_from_a_cursor_not_all_with_its_locks(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """What a write reads of the log with its locks is bounded (`db.READ_WITH_LOCKS`): a worker that
    was idle while others wrote more folds them a chunk at a time from a query of its own, local
    writes and writes of the whole log alike, and ends where the log does."""
    a, b = stores
    monkeypatch.setattr(db, "READ_WITH_LOCKS", 2)
    own_query = _catch_up_queries(monkeypatch)
    assert _local(b, _slot("bert", "b1", 1))
    assert _local(a, _offers("anna", 3))
    assert own_query == []  # one event behind: read with the locks
    for n in range(3):
        assert _local(b, _slot("bert", f"b{n + 2}", n + 2))
    assert _local(a, _offers("anna", 4))
    assert len(own_query) == 1 and all(f"b{n}" in a.world.slots for n in range(1, 5))
    for n in range(3):
        assert _local(b, _slot("bert", f"b{n + 5}", n + 5))
    a.execute(c.OpenAccount(actor=SYSTEM, person="dora", role=Role.CUSTOMER, name="dora", email="dora@example.com"), T0)
    assert len(own_query) == 2 and all(f"b{n}" in a.world.slots for n in range(1, 8))
    assert a.verify() == []
    b.refresh()
    assert same(a.world, b.world)


@pytest.mark.parametrize("local", [True, False], ids=["local", "whole-log"])
def test_a_write_sends_its_callers_reads_and_its_prefetch_with_its_locks(
        stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch, local: bool) -> None:
    """What a write reads before it decides (its callers' row locks, `first`; the records its
    commands name that memory does not hold, `prefetch`; the log's length and the events it owes)
    goes in its locks' round trip, not in statements of their own: nothing reaches the database
    between its BEGIN and its decisions but that pipeline. The rows read first stay locked to the
    commit."""
    a, b = stores
    assert _local(b, _slot("bert", "b1", 1))  # owed by `a`
    with a.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS desks (id text PRIMARY KEY, seq integer)"))
        conn.execute(sa.text("INSERT INTO desks VALUES ('desk-1', 4)"))
    own_statements: list[str] = []
    own_reads: list[str] = []
    sa.event.listen(a.engine, "before_cursor_execute", lambda *args: own_statements.append(args[2]))
    monkeypatch.setattr(db, "ask", lambda conn, asks: own_reads.extend(x.sql for x in asks))
    real_rows = Reader._rows
    monkeypatch.setattr(Reader, "_rows", lambda self, conn, sql, *params: [own_reads.append(sql),
                                                                           real_rows(self, conn, sql, *params)][1])
    claim = db.Ask("SELECT id, seq FROM desks WHERE id IN (?)", ("desk-1",), for_update=True)
    new = [_slot("anna", f"n{i}", i) for i in range(3)]
    with a.batch(local=_keys(*new) if local else None, first=[claim], prefetch=new) as batch:
        assert own_statements == [] and own_reads == []
        assert "b1" in a.world.slots
        assert claim.rows == [("desk-1", 4)]
        with a.engine.connect() as other, pytest.raises(sa.exc.OperationalError, match="lock"):
            other.execute(sa.text("SELECT seq FROM desks WHERE id = 'desk-1' FOR UPDATE NOWAIT"))
        own_statements.clear()
        assert [batch.execute(command, T0) for command in new]
        assert own_statements == [] and own_reads == [], "a named slot was read in a round trip of its own"
    assert all(f"n{i}" in a.world.slots for i in range(3)) and a.verify() == []


def test_an_experts_payout_details_are_decided_beside_another_experts_slots(stores: tuple[Store, Store]) -> None:
    a, b = stores
    details = c.SetPayoutProfile(actor="anna", legal_name="Anna A.", billing_address="1 rue de Rivoli, Paris",
                                 tax_id="", bank_account="FR76 3000 6000 0112 3456 7890 189", bic="")
    with a.batch(local=_keys(details)) as batch:
        assert batch.execute(details, T0)
        assert Beside(lambda: _local(b, _slot("bert", "b1", 1))).finished(), "bert's write waited for anna's"
    a.refresh()
    assert a.verify() == []
    profile = a.payout_profile("anna")
    assert profile is not None and profile.bank_account == "FR7630006000011234567890189"
    b.refresh()
    assert same(a.world, b.world)


def test_r1_one_experts_two_writes_still_wait_and_the_second_sees_the_first(stores: tuple[Store, Store]) -> None:
    a, b = stores
    with a.batch(local=_keys(_slot("anna", "a1", 1))) as batch:
        assert batch.execute(_slot("anna", "a1", 1), T0)
        overlapping = Beside(lambda: _local(b, _slot("anna", "a2", 1)))
        _until_waiting(batch)
        assert not overlapping.finished(0.3), "a second write of anna's went on beside the first"
    assert overlapping.finished()
    refused = overlapping.result
    assert isinstance(refused, DomainError) and refused.code == "slot_overlap", refused
    assert a.verify() == []


def test_one_slot_id_taken_by_two_experts_at_once_is_refused_to_the_second_not_overwritten(
        stores: tuple[Store, Store]) -> None:
    a, b = stores
    with a.batch(local=_keys(_slot("anna", "s9", 1))) as batch:
        assert batch.execute(_slot("anna", "s9", 1), T0)
        twin = Beside(lambda: _local(b, _slot("bert", "s9", 3)))
        _until_waiting(batch)
        assert not twin.finished(0.3)
    assert twin.finished()
    assert isinstance(twin.result, DomainError) and twin.result.code == "already_exists", twin.result
    b.refresh()
    assert b.world.slots["s9"].expert == "anna"
    assert b.verify() == []


def test_r11_a_write_over_anything_else_waits_for_local_writes_and_they_for_it(stores: tuple[Store, Store]) -> None:
    a, b = stores
    grant = c.GrantCredits(actor=SYSTEM, grant_id="g1", customer="carl", amount=5)
    with a.batch(local=_keys(_slot("anna", "a1", 1))) as batch:
        assert batch.execute(_slot("anna", "a1", 1), T0)
        whole = Beside(lambda: b.execute(grant, T0))
        _until_waiting(batch)
        assert not whole.finished(0.3), "a grant went on beside an expert's local write"
    assert whole.finished()
    with b.batch() as batch:  # the other way round: a write of the whole log open, a local one waits
        assert batch.execute(c.GrantCredits(actor=SYSTEM, grant_id="g2", customer="carl", amount=5), T0)
        slot = Beside(lambda: _local(a, _slot("bert", "b1", 1)))
        _until_waiting(batch)
        assert not slot.finished(0.3), "a local write went on beside a grant"
    assert slot.finished()
    for store in (a, b):
        store.refresh()
        assert store.verify() == []
    assert b.wallet_balance("carl")["balance"] == 10


def test_deployments_in_two_schemas_of_one_database_do_not_wait_on_each_others_writes(
        stores: tuple[Store, Store]) -> None:
    """Advisory locks belong to the whole database: each names its schema, so a staging copy (or a
    parallel test) in another schema neither waits for this one's writes nor makes them wait."""
    a, b = stores
    for other_url in _pg_schema():
        other = Store.open(other_url)
        try:
            other.execute(c.OpenAccount(actor=SYSTEM, person="dora", role=Role.CUSTOMER, name="dora",
                                        email="dora@example.com"), T0)
            with a.batch(local=_keys(_slot("anna", "a1", 1))) as batch:
                assert batch.execute(_slot("anna", "a1", 1), T0)
                grant = Beside(lambda store=other: store.execute(  # type: ignore[misc]
                    c.GrantCredits(actor=SYSTEM, grant_id="g1", customer="dora", amount=5), T0))
                assert grant.finished(), "the other schema's grant waited for this schema's local write"
            with other.batch() as whole:  # and the other way round
                assert whole.execute(c.GrantCredits(actor=SYSTEM, grant_id="g2", customer="dora", amount=5), T0)
                assert Beside(lambda: _local(b, _slot("bert", "b1", 1))).finished(), \
                    "this schema's local write waited for the other schema's grant"
            assert other.wallet_balance("dora")["balance"] == 10
            assert other.verify() == []
        finally:
            other.close()
    for store in (a, b):
        store.refresh()
        assert store.verify() == []


def test_a_local_write_refuses_a_command_beyond_its_keys_before_deciding_it(stores: tuple[Store, Store]) -> None:
    a, _ = stores
    before = _log(a)
    grant = c.GrantCredits(actor=SYSTEM, grant_id="g1", customer="carl", amount=5)
    for command in (grant, _slot("bert", "b1", 1)):  # money; another expert's slot
        with pytest.raises(NotLocal), a.batch(local=_keys(_slot("anna", "a1", 1))) as batch:
            batch.execute(command, T0)
    assert _log(a) == before
    assert a.verify() == []


def test_sqlite_has_one_writer_and_ignores_local(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    store.execute(c.OpenAccount(actor=SYSTEM, person="anna", role=Role.EXPERT, name="anna",
                                email="anna@example.com"), T0)
    grant = c.GrantCredits(actor=SYSTEM, grant_id="g1", customer="anna", amount=5)
    with store.batch(local=_keys(_slot("anna", "a1", 1))) as batch:
        assert batch.local is None
        assert isinstance(batch.execute(grant, T0), DomainError)  # decided as any write (anna is no customer)
    store.close()


def test_a_local_write_takes_the_counter_in_the_round_trip_that_writes_its_rows(
        stores: tuple[Store, Store]) -> None:
    """A local write makes its rows ready before it takes the log counter, then sends the counter's
    lock and every row in one round trip: while it waits for the counter it has nothing left to send
    but its commit, and its rows still land past the events written meanwhile."""
    a, b = stores
    start = a.world.version
    new = [_slot("anna", f"n{i}", i) for i in range(3)]
    sent_while_waiting: list[str] = []
    waiting = threading.Event()
    sa.event.listen(a.engine, "before_cursor_execute",
                    lambda *args: sent_while_waiting.append(args[2]) if waiting.is_set() else None)

    def anna() -> object:
        with a.batch(local=_keys(*new)) as batch:
            return [batch.execute(command, T0) for command in new]

    with b.batch(local=_keys(_slot("bert", "b1", 1))) as held:
        assert held.execute(_slot("bert", "b1", 1), T0)
        db.lock_counter(held.conn)  # bert's write holds the counter to its commit
        writing = Beside(anna)
        _until_waiting(held)
        waiting.set()
    assert writing.finished() and all(writing.result)  # type: ignore[union-attr]
    assert sent_while_waiting == [], "the write sent statements once it had the counter"
    assert [(p, ref) for p, _, ref in _log(a)[start:]] == [(start + 1, "b1"), (start + 2, "n0"), (start + 3, "n1"),
                                                           (start + 4, "n2")]
    with a.engine.connect() as conn:
        slots = schema.slots.c
        assert set(conn.execute(sa.select(slots.position).where(slots.id.in_(["n0", "n1", "n2"]))).scalars()) == {start + 4}
        assert conn.execute(sa.select(schema.counters.c.value)).scalars().all() == [start + 4, start + 4]
    a.refresh()
    assert a.world.version == start + 4 and a.verify() == []


def test_bound_rows_follow_the_counter_and_keep_position_zero(stores: tuple[Store, Store]) -> None:
    """`db.bind_rows` moves a positions' column by how far the counter is past the write's base when
    the rows run, in SQL; 0 (a row that names no event) stays 0."""
    a, _ = stores
    with a.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS marks (id text PRIMARY KEY, position bigint, note text)"))
    marks = sa.Table("marks", sa.MetaData(), sa.Column("id", sa.Text, primary_key=True),
                     sa.Column("position", sa.BigInteger), sa.Column("note", sa.Text))
    with a.engine.begin() as conn:
        length = db.committed_length(conn)
        bound = db.bind_rows(conn, marks, ("id", "position", "note"), [("x", length + 1, None), ("y", 0, None)],
                             shifted="position")
        assert bound is not None
        conn.exec_driver_sql("UPDATE counters SET value = value + 3 WHERE name = %s", (db.LOG,))
        bound.run(conn, length)
        assert sorted(conn.execute(sa.text("SELECT id, position, note FROM marks")).all()) == [
            ("x", length + 4, None), ("y", 0, None)]
        conn.rollback()
