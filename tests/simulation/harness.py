"""The simulation: one seed, the real server in process, real desktop caches, a simulated network.

`Simulation(seed, steps, customers, experts).run()` builds, in a temporary folder,
- the real server (`open_server` + `create_app`) on real SQLite files (or a PostgreSQL
  schema), its wall clock the simulation's own (`Clock(wall=...)`) and its movable offset
  moved through `/admin/clock`; the scheduler's `tick()` is called by the simulation instead
  of a background loop, and requests reach the app through `httpx.ASGITransport`;
- M experts, each a real `Cache` file and a `SyncClient` whose HTTP goes through a `Wire`
  (net.py), some with a second desktop on the same account;
- N customers calling the customer API (with `Idempotency-Key`s), pushing group-event
  commands and buying credits (by bank transfer or through a fake Stripe, per seed: money.py);
  one operator deciding reviews and disputes (by the API, or on the console's forms: web.py),
  granting credits, marking transfers received, making promo codes, running payouts.

Each step the seeded RNG picks an action (actors.py): a valid or invalid command, a client
going offline or back, a sync whose push or pull is duplicated, delayed or cut, a late delivery
of a delayed request, a client or server restart, a backup or a restore of one, time passing
or jumping onto a deadline followed by the scheduler, or a settle (everyone online, synced,
compared). After every step
the invariants (checks.py) are checked; the first failure raises `SimulationFailed` with the
seed, the step, the last steps taken and the command that replays it.

Determinism: every choice comes from the seed, the server's and caches' uuids are drawn from a
second generator seeded from it (`seeded_uuids`), time is simulated, and the steps run one
after the other on one event loop. The same seed gives the same log (`digest`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import itertools
import json
import logging
import random
import shutil
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import sqlalchemy as sa

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.decide import evolve
from consoleapp.engine.model import Mode, Role
from consoleapp.store import db, schema
from consoleapp.store.codec import event_from
from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.sync import SyncClient
from consoleapp.sync.protocol import PULL_PAGE
from consoleapp.sync.server import backup
from consoleapp.sync.server.accounts import create_user
from consoleapp.sync.server.app import create_app
from consoleapp.sync.server.context import Server
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.scheduler import Scheduler
from consoleapp.sync.server.settings import Settings

from . import coverage
from .net import Network, Wire
from .swarm import Swarm

if TYPE_CHECKING:
    from .money import Money

BASE = "http://sim.test"  # the server's address as clients know it; the wires route it in process
REPLAY = (".venv/bin/python -m tests.simulation --seed {seed} --steps {steps} --customers {customers} "
          "--experts {experts} --second {second}{focus}{swarm}{pg}")
TRACE = 40  # steps shown when one fails
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"  # as tests/store uses it


class SimulationFailed(AssertionError):
    """An invariant broke: the message says which, where, and how to replay it."""


@contextlib.contextmanager
def seeded_uuids(seed: int) -> Iterator[None]:
    """Every `uuid.uuid4()` (user ids, client and command ids, the epoch) from a seeded generator,
    so a seed replays the same ids; restored afterwards."""
    rng = random.Random(seed * 7919 + 17)
    original = uuid.uuid4

    def uuid4() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    uuid.uuid4 = uuid4
    try:
        yield
    finally:
        uuid.uuid4 = original


@dataclass
class Expert:
    index: int
    id: str
    token: str
    wire: Wire
    http: httpx.AsyncClient
    path: Path
    cache: Cache
    client: SyncClient
    page: int = 5000  # events per pull page (small ones walk the paging code)
    stale: bool = False  # the server was restored since this client's last complete sync
    enqueued: list[str] = field(default_factory=list)  # command ids, in the order submitted
    handled: set[str] = field(default_factory=set)  # command ids whose issue was dismissed or retried
    client_ids: set[str] = field(default_factory=set)  # every client id this cache has used
    device: str = ""  # "" for the expert's first desktop, "b" for a second one (same account)

    @property
    def name(self) -> str:
        return f"expert{self.index}{self.device}"


@dataclass
class Customer:
    index: int
    id: str
    token: str
    wire: Wire
    http: httpx.AsyncClient
    client_id: str
    next_seq: int = 1
    closed: bool = False  # the operator closed the account: the customer does nothing more
    web: httpx.AsyncClient | None = None  # the customer's browser on the booking site (web.py), once used

    @property
    def name(self) -> str:
        return f"customer{self.index}"


@dataclass
class Stats:
    seed: int
    payment_provider: str = ""  # how this seed's server sells credits: 'bank' or 'stripe' (money.py)
    steps: int = 0
    customers: int = 0
    experts: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    restarts: int = 0
    restores: int = 0
    client_restarts: int = 0
    time_jumps: Counter[str] = field(default_factory=Counter)
    scheduler_commands: int = 0
    applied: int = 0  # client commands the server applied
    rejected: int = 0  # client commands the server refused (each one in the client's issues)
    api_ok: int = 0  # customer and operator calls that changed something
    api_refused: int = 0  # ... that were refused with a 4xx
    settles: int = 0
    faults: Counter[str] = field(default_factory=Counter)  # injected, by kind
    delivered_late: int = 0  # delayed requests that reached the server at a later step
    log_length: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # what the run ended with, for the tests
    swarm: dict[str, float] = field(default_factory=dict)  # the seed's mix of actions and faults
    digest: str = ""
    seconds: float = 0.0

    def line(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "payment_provider": self.payment_provider, "steps": self.steps, "customers": self.customers, "experts": self.experts,
            "faults": dict(sorted(self.faults.items())), "delivered_late": self.delivered_late,
            "restarts": self.restarts, "restores": self.restores, "client_restarts": self.client_restarts,
            "time_jumps": dict(sorted(self.time_jumps.items())), "scheduler_commands": self.scheduler_commands,
            "commands_applied": self.applied, "commands_rejected": self.rejected,
            "api_ok": self.api_ok, "api_refused": self.api_refused, "settles": self.settles,
            "log_length": self.log_length, "outcomes": dict(sorted(self.outcomes.items())), "swarm": self.swarm,
            "digest": self.digest, "seconds": round(self.seconds, 2),
        }


class LoggedErrors(logging.Handler):
    """Collects what our code logs at ERROR: each one fails the step it happened in."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def check(self) -> None:
        if self.records:
            first, self.records = self.records[0], []
            detail = self.format(first)
            raise AssertionError(f"logged by {first.name}: {detail}")


class Simulation:
    def __init__(self, seed: int, steps: int = 200, customers: int = 3, experts: int = 2,
                 second: int = 1, database_url: str = "", focus: dict[str, float] | None = None,
                 root: Path | None = None, swarm: bool = True) -> None:
        self.seed = seed
        self.steps = steps
        self.n_customers = customers
        self.n_experts = experts
        self.n_second = second  # experts with a second desktop
        self.database_url = database_url  # empty: SQLite files in the temporary folder
        self.focus = focus or {}  # action name -> weight multiplier, to dwell on some rules
        self.swarm = Swarm.draw(seed, swarm)  # the seed's own mix (swarm.py); focus multiplies on top
        self.rng = random.Random(seed)
        start = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
        self._wall = start + timedelta(days=self.rng.randrange(60), minutes=self.rng.randrange(0, 600, 5))
        self._root = root
        self.root = Path()
        self.settings = Settings()
        self.network = Network(self._app)
        self.server: Server | None = None
        self._full: World | None = None  # the server's log folded whole (see `world`)
        self.app: Any = None
        self.scheduler: Scheduler | None = None
        self.backups: list[Path] = []
        self.operator_id = self.operator_token = ""
        self.operator_wire = Wire(self.network, "operator")
        self.operator_http = httpx.AsyncClient(transport=self.operator_wire, base_url=BASE, timeout=30)
        self.operator_web: httpx.AsyncClient | None = None  # the operator's browser on the console (web.py), once used
        self.experts: list[Expert] = []
        self.customers: list[Customer] = []
        from . import money

        self.money: Money = money.Money(money.provider_for(seed))
        self.stats = Stats(seed, self.money.provider, customers=customers, experts=experts)
        self.trace: deque[str] = deque(maxlen=TRACE)
        self.errors = LoggedErrors()
        self.step_index = 0
        self._ids = itertools.count(1)
        self.goals: list[tuple[str, AsyncIterator[str]]] = []  # goals.py: the journeys under way
        self.goals_done: list[str] = []

    # --- ids, time, the server ---------------------------------------------------------------

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def wall(self) -> datetime:
        """The server's wall clock: simulated, moved by `pass_time`; the test offset goes on top."""
        return self._wall

    def now(self) -> datetime:
        assert self.server is not None
        return self.server.clock.now()

    def pass_time(self, delta: timedelta) -> None:
        self._wall += delta

    def _app(self) -> Any:
        if self.app is None:
            raise httpx.ConnectError("simulated: the server is down")
        return self.app

    def open_server(self) -> None:
        self.server = open_server(self.settings, wall=self.wall)
        self.app = create_app(server=self.server)
        # What the lifespan would do, minus its background loops: the simulation calls the
        # scheduler itself, at the moments it chooses, so runs are repeatable.
        self.app.state.server = self.server
        self.scheduler = Scheduler(self.server)

    def close_server(self) -> None:
        self._full = None  # a restore may bring back an older log of the same length
        if self.scheduler is not None:
            self.scheduler.close()
        if self.server is not None:
            self.server.store.close()
        self.server = self.app = self.scheduler = None

    def restart_server(self) -> None:
        """The server process ends and starts again on the same database files."""
        self.close_server()
        self.open_server()
        self.stats.restarts += 1

    def backup_server(self) -> Path:
        """An online backup (the sqlite3 backup API), as `consoleapp-server backup` takes it."""
        suffix = ".db" if not self.database_url else ".jsonl.gz"
        target = self.root / "backups" / f"backup-{self.step_index}{suffix}"
        backup.backup(self.settings, target)
        self.backups.append(target)
        return target

    def restore_server(self, source: Path) -> None:
        """The operator restores an older backup: the work since is lost, a new epoch begins.

        Time does not go back with the data (the clock's offset is stored in it), so the clock
        is moved on to where it was."""
        was = self.now()
        self.close_server()
        backup.restore(self.settings, source)
        self.open_server()
        assert self.server is not None
        behind = (was - self.now()).total_seconds()
        if behind > 0:
            self.server.clock.advance(behind)
        for ex in self.experts:
            ex.stale = True
        self.stats.restores += 1

    @property
    def world(self) -> World:
        """The server's whole World, folded from its log (read by the parties to choose what to
        do, and by the checks). The server itself keeps only the open business in memory; this
        copy follows its log, so the parties may look at every record, as the oracle should."""
        assert self.server is not None
        live = self.server.store.world.version
        full = self._full
        if full is None or full.version > live:
            full = self._full = World()
        if full.version < live:
            follow(full, self.server.store.engine, live)
        return full

    def tick(self) -> int:
        """The scheduler's work, as its loop would do it; a due command it refuses is a bug
        (`due` and the deciders disagree), so the refusals are checked too."""
        assert self.scheduler is not None
        before = dict(self.scheduler.refused)
        applied = self.scheduler.tick()
        new = {cmd: v for cmd, v in self.scheduler.refused.items() if before.get(cmd) != v}
        if new:
            raise AssertionError(f"the scheduler's due commands were refused by the engine: {sorted(map(repr, new))[:3]}")
        self.stats.scheduler_commands += applied
        return applied

    # --- parties ---------------------------------------------------------------------------

    async def register(self, role: str, name: str) -> tuple[str, str]:
        email = f"{name}@sim.test"
        r = await self.operator_http.post("/auth/register", json={
            "email": email, "password": "correct horse", "name": name.title(), "role": role})
        assert r.status_code == 201, r.text
        body = r.json()
        return str(body["user_id"]), str(body["token"])

    def open_client(self, ex_path: Path, user: str, token: str, http: httpx.AsyncClient,
                    page: int) -> tuple[Cache, SyncClient]:
        cache = Cache.open(ex_path, BASE, user)
        client = SyncClient(cache, BASE, token, http, clock=self.now, backoff=(0.01, 0.01), request_timeout=30,
                            page=page)
        return cache, client

    def restart_client(self, ex: Expert) -> None:
        """The desktop app quits and starts again: the cache file is all it keeps."""
        ex.cache.close()
        ex.cache, ex.client = self.open_client(ex.path, ex.id, ex.token, ex.http, ex.page)
        ex.client_ids.add(ex.cache.client_id)
        self.stats.client_restarts += 1

    async def setup(self) -> None:
        self.open_server()
        assert self.server is not None
        self.operator_id, self.operator_token = create_user(
            self.server, "operator@sim.test", "correct horse", "Olga", Role.OPERATOR)
        for i in range(self.n_experts):
            user, token = await self.register("expert", f"expert{i}")
            ex = self.desktop(i, user, token, "")
            await self.submit(ex, c.UpdateProfile(actor=user, name=f"Expert {i}", specialty="Tax law",
                                                  time_zone="Europe/Paris", slug=f"expert-{i}"))
            await self.submit(ex, c.SetOffers(actor=user, mode=Mode.VIDEO, per_minute=2, short_price=20,
                                              long_price=40))
            if self.rng.random() < 0.7:  # the others have no payout profile: no payout for them (R5)
                await self.submit(ex, c.SetPayoutProfile(actor=user, legal_name=f"Expert {i}", billing_address="1 Rue",
                                                         tax_id="FR40303265045",
                                                         bank_account="FR76 3000 6000 0112 3456 7890 189"))
            await self.submit(ex, c.AddSlot(actor=user, slot_id=self.fresh("s"), start=None))
            await self.sync(ex)
            if i < self.n_second:  # the same expert on a second computer: two caches, one account
                await self.sync(self.desktop(i, user, token, "b"))
        for i in range(self.n_customers):
            user, token = await self.register("customer", f"customer{i}")
            wire = Wire(self.network, f"customer{i}")
            http = httpx.AsyncClient(transport=wire, base_url=BASE, timeout=30)
            self.customers.append(Customer(i, user, token, wire, http, client_id=uuid.uuid4().hex))
            await self.grant(user, self.rng.choice([60, 150, 300, 600]))
        await self.promo_codes()

    async def promo_codes(self) -> None:
        """The operator's codes the customers type (`actors.PROMOS`): 20 % off for anyone, at most
        four uses; 15 credits off the first expert's sessions only. No draw of the seed's
        randomness here, so a seed picks the same actions as before the codes existed."""
        start, until = self.now() - timedelta(days=1), self.now() + timedelta(days=120)
        for body in ({"code": "SPRING-20", "kind": "percent", "value": 20, "max_uses": 4, "max_per_customer": 2},
                     {"code": "EXPERT0-15", "kind": "credits", "value": 15, "max_per_customer": 0,
                      "expert": self.experts[0].id}):
            r = await self.operator_http.post("/operator/promos", json={
                **body, "valid_from": start.isoformat(), "valid_until": until.isoformat()},
                headers={"Authorization": f"Bearer {self.operator_token}"})
            assert r.status_code == 201, r.text

    def desktop(self, index: int, user: str, token: str, device: str) -> Expert:
        name = f"expert{index}{device}"
        wire = Wire(self.network, name)
        http = httpx.AsyncClient(transport=wire, base_url=BASE, timeout=30)
        path = self.root / "clients" / f"{name}.sqlite3"
        page = self.rng.choice([3, 10, PULL_PAGE])
        cache, client = self.open_client(path, user, token, http, page)
        ex = Expert(index, user, token, wire, http, path, cache, client, page, device=device)
        ex.client_ids.add(cache.client_id)
        self.experts.append(ex)
        return ex

    async def grant(self, customer: str, amount: int) -> None:
        r = await self.operator_http.post("/operator/grants", json={"customer": customer, "amount": amount},
                                          headers={"Authorization": f"Bearer {self.operator_token}"})
        assert r.status_code == 201, r.text

    async def submit(self, ex: Expert, command: c.Command) -> None:
        """The expert does something in the app: the command goes to the outbox (and the view)."""
        seq = await ex.client.submit(command)
        cid = next(cid for s, cid, _, _ in ex.cache.outbox_rows() if s == seq)
        ex.enqueued.append(cid)

    async def sync(self, ex: Expert) -> None:
        """One sync of the expert's app. Its status may then say offline (a fault), never anything
        else: a refusal of the sync itself, an answer the app cannot read or an exception inside
        it are bugs."""
        await ex.client.sync_once()
        error = ex.client.status.error
        if error and not error.startswith("offline:"):
            raise AssertionError(f"{ex.name}'s sync failed: {error}")
        if not error:
            ex.stale = False  # a complete pull: the client knows what the server kept

    # --- running -------------------------------------------------------------------------------

    async def run(self) -> Stats:
        from . import actors, checks

        began = time.perf_counter()
        self.stats.swarm = self.swarm.describe([action.__name__ for action, _, _ in actors.TABLE])
        made = self._root is None
        self.root = Path(tempfile.mkdtemp(prefix=f"sim-{self.seed}-")) if made else Path(self._root or ".")
        # Tokens outlive the simulated months: signing in again is not what this simulation tests.
        # The port is never listened on: a restore asks it whether a server still runs there.
        self.settings = Settings(data_dir=self.root / "server", database_url=self.database_url, test_clock=True,
                                 token_hours=24 * 365 * 10, port=9, **self.money.start())
        # Errors our code logs instead of raising (a sync that failed inside, a view that could
        # not replay a command, a 500) are failures; the rest (refusals, retries) is not news.
        logger = logging.getLogger("consoleapp")
        propagate = logger.propagate
        logger.propagate = False
        logger.addHandler(self.errors)
        try:
            with seeded_uuids(self.seed):
                await self._guarded("setup", self.setup)
                for index in range(1, self.steps + 1):
                    self.step_index = index
                    await self._guarded("step", lambda: actors.step(self))
                    await self._guarded("check", lambda: checks.after_step(self))
                self.step_index = self.steps + 1
                await self._guarded("final settle", lambda: actors.settle(self))
            self.stats.steps = self.steps
            self.stats.log_length, self.stats.digest = self.digest()
            self.stats.outcomes = self.outcomes()
            self.stats.faults = Counter({str(k): n for k, n in self.network.faults.items()})
            self.stats.delivered_late = self.network.delivered_late
            self.stats.seconds = time.perf_counter() - began
            return self.stats
        finally:
            logger.removeHandler(self.errors)
            logger.propagate = propagate
            await self.close()
            if made:
                shutil.rmtree(self.root, ignore_errors=True)

    async def _guarded(self, what: str, work: Any) -> None:
        try:
            done = work()
            if inspect.isawaitable(done):
                await done
            self.errors.check()
        except SimulationFailed:
            raise
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | asyncio.CancelledError):
                raise
            raise SimulationFailed(self.failure(what, exc)) from exc

    def failure(self, what: str, exc: BaseException) -> str:
        replay = REPLAY.format(seed=self.seed, steps=self.step_index if self.step_index <= self.steps else self.steps,
                               customers=self.n_customers, experts=self.n_experts, second=self.n_second,
                               pg=" --pg" if self.database_url else "",
                               focus=f" --focus {focus_text(self.focus)}" if self.focus else "",
                               swarm="" if self.swarm.on else " --no-swarm")
        steps = "\n".join(f"  {line}" for line in self.trace)
        mix = ", ".join(f"{k}={v:g}" for k, v in self.stats.swarm.items() if v != 1) if self.swarm.on else "off"
        return (f"seed {self.seed} ({self.money.provider} payments): {what} failed at step {self.step_index}: "
                f"{type(exc).__name__}: {exc}\n"
                f"last steps:\n{steps}\nthe seed's mix (swarm.py): {mix}\nreplay: {replay}")

    def note(self, text: str) -> None:
        self.trace.append(f"{self.step_index:>5} {text}")

    async def close(self) -> None:
        for ex in self.experts:
            with contextlib.suppress(Exception):
                ex.cache.close()
            await ex.http.aclose()
        for cu in self.customers:
            await cu.http.aclose()
            if cu.web is not None:
                await cu.web.aclose()
        await self.operator_http.aclose()
        if self.operator_web is not None:
            await self.operator_web.aclose()
        self.close_server()
        self.money.close()

    def outcomes(self) -> Counter[str]:
        """How far the records got: meetings by status, claims, events, payouts, sessions, money in."""
        from . import money

        w = self.world
        found: Counter[str] = Counter(f"meetings {m.status.value.lower()}" for m in w.meetings.values())
        found.update(f"claims {cl.status.value}" for cl in w.claims.values())
        found.update(f"group events {g.status.value}" for g in w.group_events.values())
        found["live sessions"] = sum(1 for m in w.meetings.values() if m.live is not None)
        found["payouts"] = len(w.payouts)
        found["promo codes charged"] = sum(1 for m in w.meetings.values() if m.discount)
        found["promo codes in use"] = sum(w.promo_uses.values())
        found["reviews"] = len(w.reviews)
        found.update(coverage.from_database(self.settings.url))  # how the records got there
        found.update(money.outcomes(self))
        return found

    def digest(self) -> tuple[int, str]:
        """The log's length and a hash of its kinds and refs: equal for two runs of one seed."""
        engine = db.create(self.settings.url)
        try:
            with db.reading(engine) as conn:
                e = schema.events.c
                h = hashlib.sha256()
                n = 0
                for kind, ref in conn.execute(sa.select(e.kind, e.ref).order_by(e.position)):
                    h.update(f"{kind}:{ref}\n".encode())
                    n += 1
        finally:
            engine.dispose()
        return n, h.hexdigest()[:16]


def focus_text(focus: dict[str, float]) -> str:
    return ",".join(f"{name}={weight:g}" for name, weight in sorted(focus.items()))


def parse_focus(text: str) -> dict[str, float]:
    """'claim=3,operator=4' -> {'claim': 3.0, 'operator': 4.0}"""
    out: dict[str, float] = {}
    for part in filter(None, (x.strip() for x in text.split(","))):
        name, _, weight = part.partition("=")
        out[name.strip()] = float(weight)
    return out


@contextlib.contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server at `url` for one run, dropped afterwards."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    name = f"sim_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def run(seed: int, steps: int = 200, customers: int = 3, experts: int = 2, second: int = 1,
        database_url: str = "") -> Stats:
    return asyncio.run(Simulation(seed, steps, customers, experts, second, database_url).run())


def follow(world: World, engine: sa.Engine, upto: int | None = None) -> World:
    """Fold a database's log into `world` from where it stopped (to `upto`, or the end)."""
    e = schema.events.c
    stmt = sa.select(e.kind, e.data).where(e.position > world.version).order_by(e.position)
    if upto is not None:
        stmt = stmt.where(e.position <= upto)
    with db.reading(engine) as conn:
        for kind, data in conn.execute(stmt):
            evolve(world, event_from(kind, json.loads(data)))
    return world
