"""Writes that queue while another writes share the next transaction (`Runner.shared`, what a
push goes through): the log counter's lock, the catch-up and the commit paid once for them all,
while each caller still gets its own answer, and one caller's failure stays its own."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Mode, Role
from consoleapp.store import db, schema
from consoleapp.sync.server import sync_routes
from consoleapp.sync.server.context import Server
from consoleapp.sync.server.runner import Gather, Tx
from consoleapp.sync.server.tables import sync_clients, sync_results, users


@pytest.fixture
def server(opened_server: Server) -> Server:
    return opened_server  # in this process, on SQLite and on PostgreSQL (conftest)


def _open(person: str) -> Callable[[Tx], int]:
    """A caller's work: open `person`'s account; answers the transaction it ran in, by the log
    position that transaction started from (each one that writes moves it on)."""

    def work(tx: Tx) -> int:
        tx.execute(c.OpenAccount(actor=SYSTEM, person=person, role=Role.EXPERT, name=person,
                                 email=f"{person}@example.com"))
        return tx.batch.base

    return work


def _until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 20
    while not check():
        assert time.monotonic() < deadline, "the callers never queued"
        time.sleep(0.005)


class Callers:
    """Callers of `runner.shared` on threads of their own, queued behind a write that holds the
    runner until `release()`: what a busy server's push threads look like."""

    def __init__(self, server: Server) -> None:
        self.runner = server.runner
        self.answers: dict[str, object] = {}
        self.threads: list[threading.Thread] = []
        self._go = threading.Event()
        self._holding = threading.Event()
        self.call("holder", _open("holder"), before=self._hold)
        self._holding.wait(20)

    def _hold(self, conn: sa.Connection) -> None:
        """The first write's claim: it keeps the runner until the test lets it go."""
        self._holding.set()
        self._go.wait(20)

    def call(self, name: str, work: Callable[[Tx], object], key: str = "",
             before: Callable[[sa.Connection], None] | None = None, gather: Gather | None = None) -> None:
        def run() -> None:
            try:
                self.answers[name] = self.runner.shared(key or name, work, before, gather)
            except Exception as refused:
                self.answers[name] = refused

        self.threads.append(threading.Thread(target=run, name=name))
        self.threads[-1].start()

    def release(self, queued: int) -> dict[str, object]:
        _until(lambda: self.runner.waiting == queued)
        self._go.set()
        for t in self.threads:
            t.join(30)
        return self.answers


def _people(server: Server) -> set[str]:
    with server.store.engine.connect() as conn:
        return set(conn.execute(sa.select(schema.people.c.id)).scalars())


def test_writes_queued_behind_a_write_share_the_next_transaction(server: Server) -> None:
    callers = Callers(server)
    for name in ("ann", "bob", "cid"):
        callers.call(name, _open(name))
    answers = callers.release(queued=3)
    assert answers["ann"] == answers["bob"] == answers["cid"] != answers["holder"]
    assert {"ann", "bob", "cid"} <= _people(server)
    if server.store.engine.dialect.name == "postgresql":  # the database's own word: one transaction id
        with server.store.engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT DISTINCT xmin::text FROM events WHERE ref IN ('ann', 'bob', 'cid')"))
            assert len(ids.all()) == 1
    assert server.store.verify() == []


def test_two_writes_of_one_key_never_share_a_transaction(server: Server) -> None:
    """A desktop that sends its push again while the first is still queued (a timeout): the second
    must read the client's row as the first left it, so it waits for a transaction of its own."""
    callers = Callers(server)
    callers.call("first", _open("dan"), key="desk-1")
    _until(lambda: server.runner.waiting == 1)
    callers.call("again", _open("eve"), key="desk-1")
    callers.call("other", _open("fay"), key="desk-2")
    answers = callers.release(queued=3)
    # Whichever of the two leads takes the other client's push with it, never its twin.
    assert answers["first"] != answers["again"] and answers["other"] in (answers["first"], answers["again"])
    assert {"dan", "eve", "fay"} <= _people(server)


def test_one_callers_failure_in_a_shared_write_is_only_its_own(server: Server) -> None:
    """One caller's `before` refuses (a client id that is another's) and another's work fails
    after deciding: the transaction they shared rolls back, each is run again alone, and only
    those two get an error; nothing is applied twice or half."""
    def refuse(conn: sa.Connection) -> None:
        raise PermissionError("this client id is taken")

    def fail_after_deciding(tx: Tx) -> int:
        _open("gus")(tx)
        raise RuntimeError("the disk went away")

    callers = Callers(server)
    callers.call("hal", _open("hal"))
    callers.call("refused", _open("ivy"), before=refuse)
    callers.call("failing", fail_after_deciding)
    callers.call("joe", _open("joe"))
    answers = callers.release(queued=4)
    assert isinstance(answers["refused"], PermissionError)
    assert isinstance(answers["failing"], RuntimeError)
    assert isinstance(answers["hal"], int) and isinstance(answers["joe"], int)
    people = _people(server)
    assert {"hal", "joe"} <= people and not {"ivy", "gus"} & people
    with server.store.engine.connect() as conn:
        opened = conn.execute(sa.select(sa.func.count()).select_from(schema.events)
                              .where(schema.events.c.ref.in_(["hal", "joe"]),
                                     schema.events.c.kind == "AccountOpened")).scalar_one()
    assert opened == 2  # once each, though the first try ran them too
    assert server.store.verify() == []


def test_gather_reads_for_every_caller_of_a_transaction_at_once_before_their_own_reads(server: Server) -> None:
    """What each caller would read with a statement of its own (a push's client row) is read once
    for the whole shared transaction, before any caller's `before`; run alone after a failure, a
    caller gathers for itself."""
    seen: list[tuple[str, tuple[str, ...]]] = []

    def gather(keys: list[str]) -> tuple[db.Ask, Callable[[sa.Connection, list[tuple[object, ...]]], None]]:
        seen.append(("gather", tuple(keys)))
        return db.Ask("SELECT 1", ()), lambda conn, rows: seen.append(("took", tuple(map(tuple, rows))))

    def before(key: str) -> Callable[[sa.Connection], None]:
        return lambda conn: seen.append(("before", (key,)))

    def fail(tx: Tx) -> int:
        raise RuntimeError("the disk went away")

    callers = Callers(server)
    for name in ("max", "kim", "lea"):
        callers.call(name, _open(name), before=before(name), gather=gather)
    answers = callers.release(queued=3)
    assert answers["kim"] == answers["lea"] == answers["max"]
    assert seen == [("gather", ("kim", "lea", "max")), ("took", ((1,),)),
                    ("before", ("kim",)), ("before", ("lea",)), ("before", ("max",))]

    seen.clear()
    callers = Callers(server)
    callers.call("ned", _open("ned"), before=before("ned"), gather=gather)
    callers.call("oli", fail, before=before("oli"), gather=gather)
    answers = callers.release(queued=2)
    assert isinstance(answers["oli"], RuntimeError) and isinstance(answers["ned"], int)
    assert seen[:4] == [("gather", ("ned", "oli")), ("took", ((1,),)), ("before", ("ned",)), ("before", ("oli",))]
    assert sorted(seen[4:]) == [("before", ("ned",)), ("before", ("oli",)), ("gather", ("ned",)), ("gather", ("oli",)),
                                ("took", ((1,),)), ("took", ((1,),))]


def test_queued_pushes_lock_their_client_rows_in_one_statement(server: Server) -> None:
    """The push route's `gather`: the rows of every client whose push shares the transaction,
    locked by one statement (another transaction cannot take them meanwhile), each push's claim
    finding its own there."""
    clients = ["desk-c", "desk-a", "desk-b"]
    engine = server.store.engine
    with engine.begin() as conn:
        for n, client in enumerate(clients):
            conn.execute(users.insert().values(id=f"user-{n}", email=f"user-{n}@example.com", password_hash="-",
                                               role="expert", created_at=server.clock.now()))
            conn.execute(sync_clients.insert().values(client_id=client, user_id=f"user-{n}", last_seq=n,
                                                      created_at=server.clock.now()))
    asked: list[db.Ask] = []

    def gather(keys: list[str]) -> tuple[db.Ask, Callable[[sa.Connection, list[tuple[object, ...]]], None]]:
        read, take = sync_routes._claim_clients(keys)
        asked.append(read)
        return read, take

    found: dict[str, int] = {}
    taken_elsewhere: list[str] = []

    def claim(client: str) -> Callable[[sa.Connection], None]:
        def before(conn: sa.Connection) -> None:
            assert sync_routes._claimed.conn is conn
            found[client] = int(sync_routes._claimed.rows[client].last_seq)
            if engine.dialect.name == "postgresql":  # SQLite: the write's BEGIN IMMEDIATE holds the whole file
                with engine.connect() as other:
                    try:
                        other.execute(sa.select(sync_clients).where(sync_clients.c.client_id == client)
                                      .with_for_update(nowait=True)).all()
                        taken_elsewhere.append(client)
                    except sa.exc.OperationalError:
                        pass  # locked by the push's transaction, as it should be

        return before

    callers = Callers(server)
    for client in clients:
        callers.call(client, _open(f"p-{client}"), key=client, before=claim(client), gather=gather)
    answers = callers.release(queued=3)
    assert len({answers[c] for c in clients}) == 1  # one transaction
    assert found == {"desk-c": 0, "desk-a": 1, "desk-b": 2}
    assert len(asked) == 1 and asked[0].params == ("desk-a", "desk-b", "desk-c")
    assert taken_elsewhere == []


def test_callers_rows_sharing_a_transaction_go_in_one_statement_per_table(server: Server) -> None:
    """The push route's results and last seqs (`Tx.insert_later`, `Tx.update_later`): one INSERT
    and one UPDATE for every push of a shared transaction, each push's rows all there."""
    clients = ["desk-a", "desk-b", "desk-c"]
    with server.store.engine.begin() as conn:
        for n, client in enumerate(clients):
            conn.execute(users.insert().values(id=f"user-{n}", email=f"user-{n}@example.com", password_hash="-",
                                               role="expert", created_at=server.clock.now()))
            conn.execute(sync_clients.insert().values(client_id=client, user_id=f"user-{n}", last_seq=0,
                                                      created_at=server.clock.now()))
    statements: list[str] = []

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        if "sync_results" in statement or "sync_clients" in statement:
            statements.append(statement.split()[0].upper())

    def push(client: str, seqs: int) -> Callable[[Tx], int]:
        def work(tx: Tx) -> int:
            _open(f"p-{client}")(tx)
            at = db.time_formatter(tx.conn.dialect)(tx.now)
            rows = [(client, seq, f"{client}-{seq}", "applied", "", "", tx.last_position, at)
                    for seq in range(1, seqs + 1)]
            tx.insert_later(sync_results, sync_routes.RESULT_COLUMNS, rows)
            tx.update_later(sync_clients, ("last_seq",), [(seqs, client)])
            return tx.batch.base

        return work

    callers = Callers(server)
    sa.event.listen(server.store.engine, "before_cursor_execute", note)
    try:
        for n, client in enumerate(clients, 1):
            callers.call(client, push(client, n))
        answers = callers.release(queued=3)
    finally:
        sa.event.remove(server.store.engine, "before_cursor_execute", note)
    assert len({answers[c] for c in clients}) == 1  # one transaction
    assert sorted(statements) == ["INSERT", "UPDATE"]
    with server.store.engine.connect() as conn:
        stored = conn.execute(sa.select(sync_results.c.client_id, sa.func.count())
                              .group_by(sync_results.c.client_id)).all()
        last = dict(conn.execute(sa.select(sync_clients.c.client_id, sync_clients.c.last_seq)).all())
    assert dict(stored) == {"desk-a": 1, "desk-b": 2, "desk-c": 3}
    assert last == {"desk-a": 1, "desk-b": 2, "desk-c": 3}


def test_r11_a_write_that_named_only_prices_but_decides_money_runs_over_the_whole_log(server: Server) -> None:
    """A caller names the commands it will run (`commands`), and prices alone may be decided beside
    other experts' writes: if its work then decides more (credits), the local write stops before
    deciding it and the whole write runs again over the whole log, once, with nothing lost."""
    runner = server.runner
    runner.one(c.OpenAccount(actor=SYSTEM, person="kim", role=Role.EXPERT, name="Kim", email="kim@example.com"))
    runner.one(c.OpenAccount(actor=SYSTEM, person="lou", role=Role.CUSTOMER, name="Lou", email="lou@example.com"))
    prices = c.SetOffers(actor="kim", mode=Mode.VIDEO, per_minute=3)
    grant = c.GrantCredits(actor=SYSTEM, grant_id="more", customer="lou", amount=7)
    ran: list[int] = []

    def work(tx: Tx) -> int:
        ran.append(1)
        assert not isinstance(tx.execute(prices), DomainError)
        assert not isinstance(tx.execute(grant), DomainError)
        return tx.last_position

    last = runner.shared("desk-money", work, commands=[prices])
    with server.store.engine.connect() as conn:
        kinds = conn.execute(sa.select(schema.events.c.kind).where(schema.events.c.position > last - 2)
                             .order_by(schema.events.c.position)).scalars().all()
    assert kinds == ["OffersSet", "Transfer"]
    assert len(ran) == (2 if server.store.engine.dialect.name == "postgresql" else 1)
    assert server.store.wallet_balance("lou")["balance"] == 7
    assert server.store.verify() == []
