"""Two server processes on PostgreSQL (`consoleapp-server serve --workers 2`): concurrent pushes
through both are applied exactly once with a contiguous log, and a reader pulling in a loop
never skips a change that committed out of order (docs/ARCHITECTURE.md §4); customers' requests
through both are held against balances neither process keeps in memory (R11)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

from consoleapp.engine.ledger import violations, wallet
from consoleapp.store import Store, db, schema
from consoleapp.sync.server.tables import event_audience, sync_clients, sync_results
from tests.store.conftest import _pg_schema

from .test_cli import CliServer, run_cli

EXPERTS = 6
BATCHES = 12
BATCH = 10


def _register(url: str, n: int) -> tuple[str, str]:
    r = httpx.post(f"{url}/auth/register", json={"email": f"expert{n}@example.com", "password": "correct horse",
                                                  "name": f"Expert {n}", "role": "expert"}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()["user_id"], r.json()["token"]


def _pusher(url: str, token: str, client: str, errors: list[BaseException]) -> None:
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            last = 0
            for b in range(BATCHES):
                batch = [{"seq": last + i, "command_id": f"{client}-{last + i}", "name": "SetOffers",
                          "args": {"mode": "chat", "per_minute": 1 + (last + i) % 5}} for i in range(1, BATCH + 1)]
                body = {"client_id": client, "schema_version": 1, "commands": batch}
                r = http.post("/sync/push", json=body)
                assert r.status_code == 200, r.text
                assert [x["status"] for x in r.json()["results"]] == ["applied"] * BATCH
                if b % 3 == 0:  # a retry of a batch already applied (lost answer): nothing runs twice
                    again = http.post("/sync/push", json=body)
                    assert again.status_code == 200 and again.json()["results"] == r.json()["results"]
                last = r.json()["last_seq"]
    except BaseException as exc:
        errors.append(exc)


class Reader(threading.Thread):
    """Pulls in a loop with its own client id; records every position it was given."""

    def __init__(self, url: str, token: str, client: str, done: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.client, self.done = url, token, client, done
        self.positions: list[int] = []
        self.cursors: list[int] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60) as http:
                cursor = ""
                final = False
                while True:
                    finishing = self.done.is_set()
                    r = http.post("/sync/pull", json={"client_id": self.client, "cursor": cursor})
                    assert r.status_code == 200, r.text
                    body = r.json()
                    assert body["reset"] is False
                    self.positions += [c["position"] for c in body["changes"]]
                    cursor = body["cursor"]
                    self.cursors.append(int(cursor.split(":")[1]))
                    if body["more"]:
                        continue
                    if final:
                        break
                    final = finishing  # one more complete pull after the writers finished
        except BaseException as exc:
            self.error = exc


def _pids(url: str, token: str, seen: set[int], stop: threading.Event) -> None:
    while not stop.is_set():
        _pids_once(url, token, seen)
        stop.wait(0.01)


def _both_serving(url: str, token: str, seen: set[int] | None = None) -> None:
    """Until both worker processes answer (`seen`: those that have already): `/health` answers once the
    first is up, and under a loaded machine the second may still be loading the open business when the
    pushes would end."""
    seen = set() if seen is None else seen
    deadline = time.monotonic() + 120
    while len(seen) < 2:
        assert time.monotonic() < deadline, f"only process(es) {seen} answered in 120 s"
        _pids_once(url, token, seen)
        time.sleep(0.01)


def _pids_once(url: str, token: str, seen: set[int]) -> None:
    try:  # a new connection each time, so both processes get a turn at accepting it
        r = httpx.get(f"{url}/admin/status", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        seen.add(r.json()["pid"])
    except httpx.HTTPError:
        pass


def test_two_workers_apply_every_push_once_and_readers_miss_nothing(tmp_path: Path) -> None:
    for url in _pg_schema():
        with CliServer(tmp_path / "data", database_url=url, workers=2) as server:
            made = run_cli("admin", "create-operator", "--email", "ops@example.com", "--name", "Ops",
                           "--password", "correct horse", database_url=url)
            assert made.returncode == 0, made.stderr
            operator = httpx.post(f"{server.url}/auth/login",
                                  json={"email": "ops@example.com", "password": "correct horse"}).json()["token"]
            experts = [_register(server.url, n) for n in range(EXPERTS)]
            _both_serving(server.url, operator)

            done, stop = threading.Event(), threading.Event()
            pids: set[int] = set()
            watcher = threading.Thread(target=_pids, args=(server.url, operator, pids, stop), daemon=True)
            readers = [Reader(server.url, token, f"reader-{n:04d}", done) for n, (_, token) in enumerate(experts)]
            errors: list[BaseException] = []
            pushers = [threading.Thread(target=_pusher, args=(server.url, token, f"desk-{n:04d}", errors))
                       for n, (_, token) in enumerate(experts)]
            for t in [watcher, *readers, *pushers]:
                t.start()
            for t in pushers:
                t.join(120)
            done.set()
            for r in readers:
                r.join(60)
            stop.set()
            watcher.join(10)
            assert not errors, errors[0]
            for r in readers:
                assert r.error is None, r.error
            # Both processes served through the run. The watcher's own connections land on either (the
            # kernel hashes each new one), but a fast run leaves it time for only a few, all maybe to
            # one: it then asks on until both answer, as neither may have died under the load.
            _both_serving(server.url, operator, pids)

        engine = db.create(url)
        try:
            with db.reading(engine) as conn:
                length = conn.execute(sa.select(schema.counters.c.value)
                                      .where(schema.counters.c.name == db.LOG)).scalar_one()
                count, top = conn.execute(sa.select(sa.func.count(), sa.func.max(schema.events.c.position))).one()
                assert count == top == length  # positions 1..n, no gap, no duplicate
                for n, (person, _) in enumerate(experts):
                    client = f"desk-{n:04d}"
                    last = conn.execute(sa.select(sync_clients.c.last_seq)
                                        .where(sync_clients.c.client_id == client)).scalar_one()
                    assert last == BATCHES * BATCH
                    seqs = conn.execute(sa.select(sync_results.c.seq).where(sync_results.c.client_id == client)
                                        .order_by(sync_results.c.seq)).scalars().all()
                    assert seqs == list(range(1, BATCHES * BATCH + 1))  # one result per seq
                    applied = conn.execute(sa.select(sa.func.count()).select_from(schema.events).where(
                        schema.events.c.kind == "OffersSet", schema.events.c.actor == person)).scalar_one()
                    assert applied == BATCHES * BATCH  # each command decided exactly once
                    visible = set(conn.execute(sa.select(event_audience.c.position)
                                               .where(event_audience.c.person == person)).scalars())
                    reader = readers[n]
                    assert set(reader.positions) == visible  # nothing skipped, nothing foreign
                    assert len(reader.positions) == len(set(reader.positions))  # nothing twice
                    assert reader.cursors == sorted(reader.cursors)  # the cursor only moves forward
        finally:
            engine.dispose()


CUSTOMERS = 6
CREDITS = 100
PRICE = 40  # each customer can pay for two requests, not three
TRIES = 6


def _request(server: str, token: str, expert: str, start: datetime, go: threading.Barrier, codes: list[int],
             errors: list[BaseException]) -> None:
    """A customer's scheduled request at `start`, sent with the others once all are ready."""
    try:
        go.wait(60)
        r = httpx.post(f"{server}/api/requests/scheduled", timeout=60, headers={"Authorization": f"Bearer {token}"},
                       json={"expert": expert, "mode": "video", "offer": "short", "topic": "A question",
                             "times": [start.isoformat()]})
        assert r.status_code in (201, 402), r.text
        codes.append(r.status_code)
    except BaseException as exc:
        errors.append(exc)


def test_r11_two_servers_hold_each_request_against_the_balance_the_other_just_moved(tmp_path: Path) -> None:
    """Each customer fires six scheduled requests at once, three at each of two servers on one
    database: neither keeps the customer's wallet in memory, each reads it back inside its write or
    folds the other's holds over it (escrow's too, which neither held at start), and exactly two
    of the six are held (402 for the rest), for every customer."""
    for url in _pg_schema():
        made = run_cli("admin", "create-operator", "--email", "ops@example.com", "--name", "Ops",
                       "--password", "correct horse", database_url=url)
        assert made.returncode == 0, made.stderr
        with CliServer(tmp_path / "a", database_url=url) as one, CliServer(tmp_path / "b", database_url=url) as other:
            servers = (one.url, other.url)
            operator = httpx.post(f"{one.url}/auth/login",
                                  json={"email": "ops@example.com", "password": "correct horse"}).json()["token"]
            expert, expert_token = _register(one.url, 0)
            offers = {"client_id": "desk-offers", "schema_version": 1, "commands": [
                {"seq": 1, "command_id": "offers-1", "name": "SetOffers",
                 "args": {"mode": "video", "short_price": PRICE, "long_price": 2 * PRICE}}]}
            r = httpx.post(f"{one.url}/sync/push", json=offers, headers={"Authorization": f"Bearer {expert_token}"})
            assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
            customers = []
            for n in range(CUSTOMERS):
                r = httpx.post(f"{servers[n % 2]}/auth/register", json={
                    "email": f"customer{n}@example.com", "role": "customer", "password": "correct horse",
                    "name": f"Customer {n}"})
                assert r.status_code == 201, r.text
                cid, token = r.json()["user_id"], r.json()["token"]
                r = httpx.post(f"{servers[n % 2]}/operator/grants", json={"customer": cid, "amount": CREDITS},
                               headers={"Authorization": f"Bearer {operator}"})
                assert r.status_code == 201, r.text
                customers.append((cid, token))
            now = datetime.fromisoformat(httpx.get(f"{one.url}/admin/clock",
                                                   headers={"Authorization": f"Bearer {operator}"}).json()["now"])
            codes: dict[str, list[int]] = {cid: [] for cid, _ in customers}
            errors: list[BaseException] = []
            go = threading.Barrier(CUSTOMERS * TRIES)
            askers = [threading.Thread(target=_request, args=(
                servers[n % 2], token, expert, (now + timedelta(days=2, hours=n)).replace(second=0, microsecond=0),
                go, codes[cid], errors)) for cid, token in customers for n in range(TRIES)]
            for t in askers:
                t.start()
            for t in askers:
                t.join(120)
            assert not errors, errors[0]
            for cid, seen in codes.items():
                assert sorted(seen) == [201] * (CREDITS // PRICE) + [402] * (TRIES - CREDITS // PRICE), (cid, seen)
            # One more request on each server, for a customer who can pay: each writes escrow from
            # what its memory holds after folding the other's holds.
            for n, server in enumerate(servers):
                cid, token = customers[n]
                r = httpx.post(f"{server}/operator/grants", json={"customer": cid, "amount": PRICE},
                               headers={"Authorization": f"Bearer {operator}"})
                assert r.status_code == 201, r.text
                r = httpx.post(f"{server}/api/requests/scheduled", headers={"Authorization": f"Bearer {token}"},
                               json={"expert": expert, "mode": "video", "offer": "short", "topic": "One more",
                                     "times": [(now + timedelta(days=3, hours=n)).replace(second=0, microsecond=0).isoformat()]})
                assert r.status_code == 201, r.text

        store = Store.open(url)
        try:
            for n, (cid, _) in enumerate(customers):
                account = store.world.ledger.account(wallet(cid))
                held = (2 + (n < 2)) * PRICE
                assert (account.debits_pending, account.available) == (held, CREDITS + PRICE * (n < 2) - held), account
            assert violations(store.world.ledger, store.every_account()) == []
            assert store.verify() == []
        finally:
            store.close()
