"""Several writers on one database: the counter lock keeps the log contiguous and nothing is lost."""

from __future__ import annotations

import threading

from consoleapp.engine import commands as c
from consoleapp.engine.model import Role
from consoleapp.store import Store
from tests.engine.scenario import T0
from tests.store.twin import same

WRITERS = 3
GRANTS = 15


def test_concurrent_writers_keep_a_contiguous_log(url: str) -> None:
    setup = Store.open(url)
    setup.execute(c.OpenAccount(actor="system", person="carl", role=Role.CUSTOMER, name="Carl",
                                email="carl@example.com"), T0)
    stores = [Store.open(url) for _ in range(WRITERS)]
    errors: list[BaseException] = []

    def write(n: int, store: Store) -> None:
        try:
            for i in range(GRANTS):
                if i % 5 == 4:  # some batches too
                    store.execute_many([(c.GrantCredits(actor="system", grant_id=f"{n}-{i}-{k}",
                                                        customer="carl", amount=1), T0) for k in range(2)])
                else:
                    store.execute(c.GrantCredits(actor="system", grant_id=f"{n}-{i}", customer="carl",
                                                 amount=1), T0)
        except BaseException as err:  # surfaced in the main thread below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(n, s)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    grants = WRITERS * (GRANTS + GRANTS // 5)
    setup.refresh()
    assert setup.world.version == 1 + grants
    assert setup.wallet_balance("carl")["balance"] == grants
    for store in stores:
        store.refresh()
        assert same(store.world, setup.world)
    assert setup.verify() == []
    for store in [setup, *stores]:
        store.close()
