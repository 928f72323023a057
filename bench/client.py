"""Desktop-client benchmark: prints ONE JSON line of figures.

- initial sync: a fresh client (new cache file) of an expert with `--sessions` past sessions
  pulls everything from the real server process (`consoleapp-server serve` on SQLite):
  seconds from `Cache.open` until `SyncClient.sync_once()` is caught up, events and pages.
- one change: with the expert's `SyncClient.run()` connected to the live stream, a customer's
  `POST /api/requests/instant` until the new meeting is in the expert's cache (the subscribe()
  notification naming 'requests' that shows it), p50/p99 ms.
- cache size: the cache file after the initial sync, MB.

The history is written straight into the server's database before the server starts: the
server opened in this process (`open_server`), every command run through the server's own
`Runner`/`Tx` (so audience rows are written as in production) but on a clock the bench sets,
so each session happened at its own moment in the past. One session is five commands:

    RequestScheduled (customer) -> PickTime (expert) -> MarkHeld (system, at its end)
    -> Evaluate (customer; settles) -> Evaluate (expert)

    .venv/bin/python bench/client.py                    # 50 000 sessions, 100 samples
    .venv/bin/python bench/client.py --quick            # 2 000 sessions, 10 samples
    .venv/bin/python bench/client.py --sessions 10000 --profile   # + cProfile of the initial sync
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from serving import serving  # noqa: E402

from consoleapp.demo.dataset import Quiet, SetClock  # noqa: E402  (the demo writes its past the same way)
from consoleapp.engine import DEFAULT_POLICY, DomainError  # noqa: E402
from consoleapp.engine import commands as c  # noqa: E402
from consoleapp.engine.model import SYSTEM, Answer, Mode, OfferKind, Role  # noqa: E402
from consoleapp.store import schema  # noqa: E402
from consoleapp.store.db import create as create_engine  # noqa: E402
from consoleapp.sync import migrations  # noqa: E402
from consoleapp.sync.client.cache import Cache  # noqa: E402
from consoleapp.sync.client.sync import SyncClient  # noqa: E402
from consoleapp.sync.server.accounts import create_user  # noqa: E402
from consoleapp.sync.server.opening import open_server  # noqa: E402
from consoleapp.sync.server.runner import Runner  # noqa: E402
from consoleapp.sync.server.settings import Settings  # noqa: E402

PASSWORD = "correct horse"
AIMS = {"initial_sync_s": 20.0, "change_p99_ms": 150.0}
BUILT = "bench-client.json"  # in a built folder: who is who, and the history's size
SPACING = timedelta(minutes=45)  # one expert: sessions must not overlap
Step = tuple[c.Command, datetime]


# --- the history ----------------------------------------------------------------------------------


def session(i: int, expert: str, customer: str, t0: datetime) -> list[tuple[datetime, int, int, c.Command]]:
    asked = t0 + SPACING * i
    start = asked + timedelta(hours=3)
    end = start + timedelta(minutes=15)
    mid = f"past-{i}"
    steps: list[tuple[datetime, c.Command]] = [
        (asked, c.RequestScheduled(actor=customer, meeting_id=mid, expert=expert, mode=Mode.VIDEO,
                                   offer=OfferKind.SHORT, topic="quarterly review",
                                   times=(start, start + timedelta(days=1)))),
        (asked + timedelta(minutes=5), c.PickTime(actor=expert, meeting_id=mid, start=start)),
        (end, c.MarkHeld(actor=SYSTEM, meeting_id=mid)),
        (end + timedelta(minutes=2), c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.SMOOTH)),
        (end + timedelta(minutes=3), c.Evaluate(actor=expert, meeting_id=mid, answer=Answer.SMOOTH)),
        # What the server's scheduler does next (R29): a history is of closed business.
        (end + timedelta(hours=DEFAULT_POLICY.claim_window_hours, minutes=1),
         c.CloseClaimWindow(actor=SYSTEM, session=mid)),
    ]
    return [(at, i, n, command) for n, (at, command) in enumerate(steps)]


def paydays(start: datetime, end: datetime) -> list[tuple[datetime, int, int, c.Command]]:
    """The payout runs the scheduler makes between two instants (R33), an hour into each payout day."""
    out = []
    day = start.date().replace(day=1)
    while day <= end.date():
        for d in DEFAULT_POLICY.payout_days:
            at = datetime(day.year, day.month, d, 1, tzinfo=UTC)
            if start <= at <= end:
                out.append((at, -1, 0, c.RunPayouts(actor=SYSTEM, day=at.date().isoformat())))
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def build(data_dir: Path, sessions: int, customers: int, batch: int) -> dict[str, Any]:
    """Write the expert's history straight into the server's database; returns who is who."""
    started = time.perf_counter()
    settings = Settings(data_dir=data_dir)
    server = open_server(settings)
    real_now = datetime.now(UTC).replace(microsecond=0)
    t0 = real_now - SPACING * (sessions + 10) - timedelta(days=2)
    clock = SetClock(server.clock, t0)
    server.clock = clock
    server.runner = runner = Runner(server.store, clock, Quiet())
    refused: list[str] = []

    def run(steps: list[tuple[datetime, c.Command]]) -> None:
        for i in range(0, len(steps), batch):
            with runner.transaction() as tx:
                for at, command in steps[i:i + batch]:
                    clock.at = at
                    result = tx.execute(command, at)
                    if isinstance(result, DomainError) and len(refused) < 5:
                        refused.append(f"{type(command).__name__}: {result}")

    try:
        tag = uuid.uuid4().hex[:6]
        expert_email, buyer_email = f"expert-{tag}@example.com", f"buyer-{tag}@example.com"
        expert, _ = create_user(server, expert_email, PASSWORD, "Anna", Role.EXPERT)
        buyer, _ = create_user(server, buyer_email, PASSWORD, "Bob", Role.CUSTOMER)
        people = [f"cust-{tag}-{n}" for n in range(customers)]
        per_customer = -(-sessions // customers)
        prelude: list[tuple[datetime, c.Command]] = [
            (t0, c.UpdateProfile(actor=expert, name="Anna K", specialty="Tax law", time_zone="Europe/Paris",
                                 slug=f"anna-{tag}")),
            (t0, c.SetOffers(actor=expert, mode=Mode.VIDEO, short_price=25, long_price=55)),
            (t0, c.SetPayoutProfile(actor=expert, legal_name="Anna K", billing_address="1 Rue X, Paris",
                                    tax_id="FR40303265045", bank_account="FR7630006000011234567890189")),
        ]
        for n, person in enumerate(people):
            prelude.append((t0, c.OpenAccount(actor=SYSTEM, person=person, role=Role.CUSTOMER, name=f"C{n}",
                                              email=f"{person}@example.com")))
            prelude.append((t0, c.GrantCredits(actor=SYSTEM, grant_id=f"g-{person}", customer=person,
                                               amount=25 * per_customer + 100)))
        run(prelude)
        work = sorted([*(step for i in range(sessions) for step in session(i, expert, people[i % customers], t0)),
                       *paydays(t0, real_now - timedelta(hours=1))], key=lambda step: step[:3])
        run([(at, command) for at, _, _, command in work])
        # Now: the buyer's credits and a slot covering the next hours, for the instant requests.
        run([(real_now, c.GrantCredits(actor=SYSTEM, grant_id=f"g-{buyer}", customer=buyer, amount=1_000_000)),
             (real_now, c.AddSlot(actor=expert, slot_id=f"now-{tag}", start=None))])
        with server.store.engine.connect() as conn:
            events = int(conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one())
    finally:
        server.store.close()
    if refused:
        raise SystemExit(f"the engine refused bench commands, e.g. {refused}")
    return {"expert": expert, "expert_email": expert_email, "buyer": buyer, "buyer_email": buyer_email,
            "events": events, "seconds": round(time.perf_counter() - started, 2)}


def prepared(data: Path, sessions: int, customers: int, batch: int) -> dict[str, Any]:
    """The history in the folder `data`, built on the first call and reused by the next ones.

    The build goes into a sibling folder renamed to `data` only when it is complete, so an
    interrupted build is started again rather than measured half-made.
    """
    made = data / BUILT
    if made.exists():
        built: dict[str, Any] = json.loads(made.read_text())
        if (built.get("sessions"), built.get("customers", customers)) == (sessions, customers):
            migrated(data)
            return built
        raise SystemExit(f"{data} holds another history ({built.get('sessions')} sessions, "
                         f"{built.get('customers')} customers); give an empty or new folder")
    if data.exists() and any(data.iterdir()):
        raise SystemExit(f"{data} holds other data; give an empty or new folder")
    building = data.with_name(f".{data.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    built = {**build(building, sessions, customers, batch), "sessions": sessions, "customers": customers}
    migrated(building)
    (building / BUILT).write_text(json.dumps(built))
    building.replace(data)  # an empty `data` is replaced too
    return built


def migrated(data: Path) -> None:
    """Stamp or bring a built database to the newest schema, as `serve` does on a real server's
    database, and let the store rebuild what a migration asks it to rebuild (its projections,
    once): a start then measures the server, not a one-time adoption of an older file."""
    settings = Settings(data_dir=data)
    engine = create_engine(settings.url)
    try:
        migrations.upgrade(engine)
    finally:
        engine.dispose()
    open_server(settings).store.close()


# --- the server -------------------------------------------------------------------------------------


def login(url: str, email: str) -> str:
    r = httpx.post(f"{url}/auth/login", json={"email": email, "password": PASSWORD}, timeout=60)
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


# --- the measurements -------------------------------------------------------------------------------


def cached_events(cache: Cache) -> int:
    with cache.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one())


async def initial_sync(url: str, path: Path, expert: str, token: str, profile: bool) -> dict[str, Any]:
    pages = 0

    async def count(request: httpx.Request) -> None:
        nonlocal pages
        if request.url.path == "/sync/pull":
            pages += 1

    profiler = cProfile.Profile() if profile else None
    async with httpx.AsyncClient(timeout=120, event_hooks={"request": [count]}) as http:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        cache = Cache.open(path, url, expert)
        client = SyncClient(cache, url, token, http, request_timeout=120)
        await client.sync_once()
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
    try:
        if not client.status.online or client.status.error:
            raise SystemExit(f"the initial sync failed: {client.status}")
        events = cached_events(cache)
        with cache.engine.connect() as conn:
            meetings = int(conn.execute(sa.select(sa.func.count()).select_from(schema.meetings)).scalar_one())
        in_memory = len(dict.keys(cache.store.world.meetings))  # the open business only
    finally:
        cache.close()
    out: dict[str, Any] = {"seconds": round(elapsed, 2), "events": events, "pages": pages, "meetings": meetings,
                           "meetings_in_memory": in_memory, "events_per_s": round(events / elapsed)}
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
        print(text.getvalue(), file=sys.stderr)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        print(text.getvalue(), file=sys.stderr)
    return out


async def one_change(url: str, path: Path, expert: str, expert_token: str, buyer_token: str,
                     samples: int) -> dict[str, Any]:
    """Customer's instant request -> the meeting in the expert's cache, over the live stream."""
    cache = Cache.open(path, url, expert)
    waiting: dict[str, asyncio.Event] = {}

    def changed(kinds: frozenset[str]) -> None:
        if "requests" not in kinds:
            return
        meetings = cache.store.world.meetings
        for mid, seen in waiting.items():
            if mid in meetings:
                seen.set()

    latencies: list[float] = []
    posted: list[float] = []  # of which the customer's POST itself
    async with httpx.AsyncClient(timeout=60) as http, httpx.AsyncClient(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {buyer_token}"}) as buyer:
        client = SyncClient(cache, url, expert_token, http, pull_every=3600)
        client.subscribe(changed)
        task = asyncio.create_task(client.run())
        try:
            deadline = time.monotonic() + 120
            while not (client.stream_connected and client.status.last_synced and not client.status.syncing):
                if time.monotonic() > deadline:
                    raise SystemExit(f"the expert's client did not connect: {client.status}")
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # let the first poke's sync settle
            for n in range(samples):
                mid = f"live-{uuid.uuid4().hex[:10]}"
                seen = waiting[mid] = asyncio.Event()
                started = time.perf_counter()
                r = await buyer.post("/api/requests/instant", json={
                    "expert": expert, "mode": "video", "offer": "short", "topic": f"question {n}", "meeting_id": mid})
                posted.append((time.perf_counter() - started) * 1000)
                if r.status_code != 201:
                    raise SystemExit(f"POST /api/requests/instant answered {r.status_code}: {r.text}")
                try:
                    await asyncio.wait_for(seen.wait(), 30)
                except TimeoutError:
                    raise SystemExit(f"meeting {mid} did not reach the expert's cache within 30 s") from None
                latencies.append((time.perf_counter() - started) * 1000)
                del waiting[mid]
                await asyncio.sleep(0.02)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            cache.close()
    ordered = sorted(latencies)
    return {"samples": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
            "max_ms": round(ordered[-1], 1), "post_p50_ms": round(statistics.median(posted), 1),
            "post_max_ms": round(max(posted), 1)}


def file_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return round(total / 1e6, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=None, help="past sessions of the expert (default 50000)")
    parser.add_argument("--samples", type=int, default=None, help="one-change samples (default 100)")
    parser.add_argument("--customers", type=int, default=300, help="customers the sessions are spread over")
    parser.add_argument("--batch", type=int, default=500, help="commands per transaction while building")
    parser.add_argument("--quick", action="store_true", help="2000 sessions, 10 samples: a smoke run")
    parser.add_argument("--profile", action="store_true", help="cProfile the initial sync (to stderr)")
    parser.add_argument("--data", type=Path, default=None,
                        help="keep the server's data in this folder and reuse it on the next run (same --sessions)")
    args = parser.parse_args(argv)
    sessions = args.sessions or (2_000 if args.quick else 50_000)
    samples = args.samples or (10 if args.quick else 100)
    customers = max(1, min(args.customers, sessions))
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-client-") as tmp:
        folder = Path(tmp)
        data = args.data or folder / "data"
        built = prepared(data, sessions, customers, args.batch)
        with serving(data) as url:
            expert_token = login(url, built["expert_email"])
            buyer_token = login(url, built["buyer_email"])
            path = folder / "cache.sqlite3"
            first = asyncio.run(initial_sync(url, path, built["expert"], expert_token, args.profile))
            cache_mb = file_mb(path)
            change = asyncio.run(one_change(url, path, built["expert"], expert_token, buyer_token, samples))
    result = {
        "bench": "client",
        "sessions": sessions,
        "server_events": built["events"],
        "build_seconds": built["seconds"],
        "initial_sync": first,
        "one_change": change,
        "cache_mb": cache_mb,
        "aims": AIMS,
        "met": {"initial_sync_s": first["seconds"] <= AIMS["initial_sync_s"],
                "change_p99_ms": change["p99_ms"] <= AIMS["change_p99_ms"]},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
