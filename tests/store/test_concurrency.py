"""Several writers on one database: the counter lock keeps the log contiguous and nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.model import Mode, Role
from consoleapp.engine.people import own_keys
from consoleapp.store import Store, schema
from tests.engine.scenario import T0
from tests.store.twin import same

WRITERS = 3
GRANTS = 15


def _side_by_side(stores: list[Store], write: Callable[[int, Store], None]) -> None:
    """`write(n, store)` for each store on a thread of its own, all at once; any error fails the test."""
    errors: list[BaseException] = []

    def run(n: int, store: Store) -> None:
        try:
            write(n, store)
        except BaseException as err:  # surfaced in the main thread below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(n, s)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _one_world(setup: Store, stores: list[Store]) -> None:
    """Every store, caught up, holds the same World, and the tables are the log's replay; then closed."""
    for store in stores:
        store.refresh()
        assert same(store.world, setup.world)
    assert setup.verify() == []
    for store in [setup, *stores]:
        store.close()


def test_concurrent_writers_keep_a_contiguous_log(url: str) -> None:
    setup = Store.open(url)
    setup.execute(c.OpenAccount(actor="system", person="carl", role=Role.CUSTOMER, name="Carl",
                                email="carl@example.com"), T0)
    stores = [Store.open(url) for _ in range(WRITERS)]

    def write(n: int, store: Store) -> None:
        for i in range(GRANTS):
            if i % 5 == 4:  # some batches too
                store.execute_many([(c.GrantCredits(actor="system", grant_id=f"{n}-{i}-{k}",
                                                    customer="carl", amount=1), T0) for k in range(2)])
            else:
                store.execute(c.GrantCredits(actor="system", grant_id=f"{n}-{i}", customer="carl",
                                             amount=1), T0)

    _side_by_side(stores, write)
    grants = WRITERS * (GRANTS + GRANTS // 5)
    setup.refresh()
    assert setup.world.version == 1 + grants
    assert setup.wallet_balance("carl")["balance"] == grants
    _one_world(setup, stores)


def test_experts_local_writes_among_grants_keep_one_log_and_one_world(url: str) -> None:
    """Three workers at once, each pushing its own expert's prices and slots as local writes (on
    PostgreSQL decided side by side, numbered at the end), one slot id wanted by all three, and
    grants over the whole log between them: the log stays contiguous, exactly one expert gets the
    contested slot, and every World, folded in whatever order its store saw the events, is the log's replay."""
    setup = Store.open(url)
    setup.execute(c.OpenAccount(actor="system", person="carl", role=Role.CUSTOMER, name="Carl",
                                email="carl@example.com"), T0)
    experts = [f"x{n}" for n in range(WRITERS)]
    for x in experts:
        setup.execute(c.OpenAccount(actor="system", person=x, role=Role.EXPERT, name=x, email=f"{x}@example.com"), T0)
    stores = [Store.open(url) for _ in range(WRITERS)]
    won: list[str] = []

    def write(n: int, store: Store) -> None:
        me = experts[n]
        for i in range(GRANTS):
            start = T0 + timedelta(days=1, hours=i)
            commands: list[c.Command] = [
                c.SetOffers(actor=me, mode=Mode.VIDEO, per_minute=1 + i % 5),
                c.AddSlot(actor=me, slot_id=f"{me}-{i}", start=start, end=start + timedelta(minutes=30)),
            ]
            if i == GRANTS // 2:  # every expert wants this id at about the same time
                commands.append(c.AddSlot(actor=me, slot_id="contested", start=start + timedelta(minutes=30),
                                          end=start + timedelta(minutes=60)))
            keys = {k for command in commands for k in own_keys(command) or ()}
            with store.batch(local=keys) as b:
                results = [b.execute(command, T0) for command in commands]
            if len(commands) == 3 and not isinstance(results[2], DomainError):
                won.append(me)
            if i % 3 == 0:
                store.execute(c.GrantCredits(actor="system", grant_id=f"{n}-{i}", customer="carl", amount=1), T0)

    _side_by_side(stores, write)
    assert len(won) == 1
    setup.refresh()
    assert setup.world.slots["contested"].expert == won[0]
    grants = WRITERS * len(range(0, GRANTS, 3))
    assert setup.wallet_balance("carl")["balance"] == grants
    with setup.engine.connect() as conn:
        positions = conn.execute(sa.select(schema.events.c.position).order_by(schema.events.c.position)).scalars().all()
    assert positions == list(range(1, len(positions) + 1))
    assert setup.world.version == len(positions)
    _one_world(setup, stores)
