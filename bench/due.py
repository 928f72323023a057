"""What a scheduler's tick costs against the open business; ONE JSON line.

A busy platform has many meetings booked ahead: each is open business a store keeps in memory,
and the scheduler asks `due` every few seconds which of them has a deadline now (R6, R19, R22,
R29, R35). This bench writes `--meetings` agreed meetings of `--experts` experts, spread over the
coming days, through a `Store` (SQLite file, in batches), then opens it again and reports:

- `open_s`, `rss_mb`: the store opened (the open business loaded) and the process's memory after it;
- `book_ms`, `cancel_ms`: one more request held and then cancelled by its customer, mean of 200;
- `due_ms`: `due` at a time when nothing of the meetings is due, as a caller with no cache asks
  it (every open meeting's rules run), mean of 20;
- `due_seen_ms`: the same with a `DueCache` kept between calls, as the server's scheduler keeps
  one (ticks two seconds apart after a first call), mean of 20.

    .venv/bin/python bench/due.py [--meetings 20000] [--experts 100]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from processes import rss_mb  # noqa: E402  (bench/ is this script's folder)

from consoleapp.engine import commands as c  # noqa: E402
from consoleapp.engine import due  # noqa: E402
from consoleapp.engine.due import DueCache  # noqa: E402
from consoleapp.engine.model import SYSTEM, Mode, OfferKind, Role  # noqa: E402
from consoleapp.store import Store  # noqa: E402

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
BATCH = 5000


def build(url: str, meetings: int, experts: int) -> None:
    customers = max(meetings // 4, 10)
    store = Store.open(url)
    try:
        setup: list[tuple[c.Command, datetime]] = []
        for i in range(experts):
            setup += [(c.OpenAccount(actor=SYSTEM, person=f"x{i}", role=Role.EXPERT, name=f"Expert {i}",
                                     email=f"x{i}@example.com"), T0),
                      (c.SetOffers(actor=f"x{i}", mode=Mode.VIDEO, short_price=25, long_price=55), T0)]
        for k in range(customers):
            setup += [(c.OpenAccount(actor=SYSTEM, person=f"c{k}", role=Role.CUSTOMER, name=f"Customer {k}",
                                     email=f"c{k}@example.com"), T0),
                      (c.GrantCredits(actor=SYSTEM, grant_id=f"g{k}", customer=f"c{k}", amount=10**7), T0)]
        store.execute_many(setup)
        work: list[tuple[c.Command, datetime]] = []
        for i in range(meetings):  # each expert's meetings half an hour apart, from two days ahead
            x, who, mid = f"x{i % experts}", f"c{i % customers}", f"m{i}"
            start = T0 + timedelta(days=2, minutes=30 * (i // experts))
            work += [(c.RequestScheduled(actor=who, meeting_id=mid, expert=x, mode=Mode.VIDEO, offer=OfferKind.SHORT,
                                         topic="Planning", times=(start,)), T0),
                     (c.PickTime(actor=x, meeting_id=mid, start=start), T0 + timedelta(minutes=1))]
        work.sort(key=lambda step: step[1])
        for i in range(0, len(work), BATCH):
            refused = [r for r in store.execute_many(work[i:i + BATCH]) if isinstance(r, Exception)]
            if refused:
                raise SystemExit(f"the store refused {len(refused)} commands, e.g. {refused[0]!r}")
    finally:
        store.close()


def measure(url: str, meetings: int, experts: int) -> dict[str, object]:
    customers = max(meetings // 4, 10)
    started = time.perf_counter()
    store = Store.open(url)
    open_s = time.perf_counter() - started
    rss = rss_mb([os.getpid()])
    now = T0 + timedelta(minutes=5)
    started = time.perf_counter()
    for i in range(200):
        start = T0 + timedelta(days=300, minutes=30 * i)
        store.execute(c.RequestScheduled(actor=f"c{(i * 7) % customers}", meeting_id=f"new{i}", expert=f"x{i % experts}",
                                         mode=Mode.VIDEO, offer=OfferKind.SHORT, topic="One more", times=(start,)), now)
    book_ms = (time.perf_counter() - started) / 200 * 1000
    started = time.perf_counter()
    for i in range(200):
        store.execute(c.CancelMeeting(actor=f"c{(i * 7) % customers}", meeting_id=f"new{i}"), now)
    cancel_ms = (time.perf_counter() - started) / 200 * 1000
    world, policy, quiet = store.world, store.policy, now + timedelta(hours=1)  # before any reminder
    started = time.perf_counter()
    for i in range(20):
        due(world, quiet + timedelta(seconds=2 * i), policy)
    due_ms = (time.perf_counter() - started) / 20 * 1000
    seen = DueCache()
    due(world, quiet, policy, seen)
    started = time.perf_counter()
    for i in range(20):
        due(world, quiet + timedelta(seconds=2 * i), policy, seen)
    due_seen_ms = (time.perf_counter() - started) / 20 * 1000
    open_meetings = len(world.active)
    store.close()
    return {"open_meetings": open_meetings, "open_s": round(open_s, 3), "rss_mb": round(rss, 1),
            "book_ms": round(book_ms, 3), "cancel_ms": round(cancel_ms, 3), "due_ms": round(due_ms, 3),
            "due_seen_ms": round(due_seen_ms, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--experts", type=int, default=100)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'due.sqlite'}"
        build(url, args.meetings, args.experts)
        build_s = time.perf_counter() - began
        measured = measure(url, args.meetings, args.experts)
    print(json.dumps({"bench": "due", "date": datetime.now(UTC).date().isoformat(), "meetings": args.meetings,
                      "experts": args.experts, **measured, "build_s": round(build_s, 1),
                      "seconds": round(time.perf_counter() - began, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
