"""A store over years of published availability: what its memory and its slot rules cost; ONE JSON line.

Experts publish slots for years (here each expert opens one two-hour slot a day, tomorrow's, for
`--days` days), so the slots are history as much as the sessions are. This bench writes that log
through a `Store` (SQLite file, in batches), then, in a fresh process so that memory is the
start's alone:

- `open_s`, `rss_mb`: the store opened (the open business loaded from the tables) and the
  process's resident memory after it;
- `slots`, `slots_in_memory`: the slots in the log, and those the opened store holds;
- `add_slot_ms`: one more slot for an expert, decided and written (the overlap rule walks the
  expert's slots held in memory), mean of 200;
- `free_times_ms`: one expert's free times as the booking site asks them (`free_times`, R4/R8),
  mean of 200.

An expert may also publish far ahead: the `ahead_*` figures are the engine's alone (a `World` in
memory, the rules decided in this process) for one expert with four two-hour slots a day for the
next `--ahead` days, a booking in every fourth (customers' bookings hold the expert's time):

- `ahead_slots`, `ahead_bookings`: what that expert has published and what is booked in it;
- `ahead_add_slot_us`: one more slot decided (R4: it must not overlap one of those), mean of 500;
- `ahead_move_slot_us`: one of them moved within its day (R4, the slot itself aside), mean of 500;
- `ahead_ask_now_us`: an instant request decided (R6: the slot open now is looked up), mean of 500;
- `ahead_free_times_ms`: the expert's free times (`free_times`, R4/R8), mean of 20.

    .venv/bin/python bench/slots.py [--experts 200] [--days 365] [--ahead 365]

Run it from another commit's tree (copied there) to compare: it uses only `Store.open`,
`execute_many`, `execute` and `world`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from processes import rss_mb  # noqa: E402  (bench/ is this script's folder)

from consoleapp.engine import DEFAULT_POLICY, DomainError, World, decide, evolve  # noqa: E402
from consoleapp.engine import commands as c  # noqa: E402
from consoleapp.engine.availability import free_times  # noqa: E402
from consoleapp.engine.model import SYSTEM, Mode, OfferKind, Role  # noqa: E402
from consoleapp.store import Store  # noqa: E402

T0 = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
BATCH = 2000


def build(path: Path, experts: int, days: int) -> int:
    store = Store.open(f"sqlite:///{path}")
    try:
        names = [f"exp{i}" for i in range(experts)]
        store.execute_many([(c.OpenAccount(actor=SYSTEM, person=x, role=Role.EXPERT, name=x, email=f"{x}@example.com"), T0)
                            for x in names])
        work = []
        for day in range(days):
            now = T0 + timedelta(days=day)
            start = now + timedelta(days=1)
            for x in names:
                work.append((c.AddSlot(actor=x, slot_id=f"{x}-d{day}", start=start, end=start + timedelta(hours=2)), now))
        for i in range(0, len(work), BATCH):
            refused = [r for r in store.execute_many(work[i:i + BATCH]) if isinstance(r, Exception)]
            if refused:
                raise SystemExit(f"the store refused {len(refused)} slots, e.g. {refused[0]!r}")
        return len(work)
    finally:
        store.close()


def measure(path: Path, experts: int, days: int) -> dict[str, object]:
    """In a process of its own (see the module's doc)."""
    started = time.perf_counter()
    store = Store.open(f"sqlite:///{path}")
    open_s = time.perf_counter() - started
    rss = rss_mb([os.getpid()])
    world = store.world
    in_memory = len(dict.keys(world.slots))  # type: ignore[call-overload]
    now = T0 + timedelta(days=days)
    started = time.perf_counter()
    for i in range(200):
        free_times(world, f"exp{i % experts}", now)
    free_ms = (time.perf_counter() - started) / 200 * 1000
    started = time.perf_counter()
    for i in range(200):
        start = now + timedelta(days=2, hours=3 * (i // experts))
        store.execute(c.AddSlot(actor=f"exp{i % experts}", slot_id=f"more{i}", start=start,
                                end=start + timedelta(hours=1)), now)
    add_ms = (time.perf_counter() - started) / 200 * 1000
    store.close()
    return {"open_s": round(open_s, 3), "rss_mb": round(rss, 1), "slots_in_memory": in_memory,
            "add_slot_ms": round(add_ms, 3), "free_times_ms": round(free_ms, 3)}


def ahead(days: int) -> dict[str, object]:
    """The `ahead_*` figures (see the module's doc): the rules over one expert's far future."""
    w = World()

    def run(command: c.Command, at: datetime) -> list[object]:
        events = decide(w, command, at, DEFAULT_POLICY)
        for ev in events:
            evolve(w, ev)
        return list(events)

    def timed(commands: list[c.Command], at: datetime) -> float:
        """Mean µs to decide each command (on the World as it is: nothing is folded)."""
        started = time.perf_counter()
        for command in commands:
            try:
                decide(w, command, at, DEFAULT_POLICY)
            except DomainError as refused:
                raise SystemExit(f"the engine refused {command!r}: {refused}") from None
        return (time.perf_counter() - started) / len(commands) * 1e6

    now = T0
    run(c.OpenAccount(actor=SYSTEM, person="far", role=Role.EXPERT, name="Far", email="far@example.com"), now)
    run(c.SetOffers(actor="far", mode=Mode.VIDEO, per_minute=2, short_price=20, long_price=50), now)
    run(c.OpenAccount(actor=SYSTEM, person="cust", role=Role.CUSTOMER, name="Cust", email="cust@example.com"), now)
    run(c.GrantCredits(actor=SYSTEM, grant_id="g", customer="cust", amount=50 * days + 1000), now)
    run(c.AddSlot(actor="far", slot_id="now", start=now, end=now + timedelta(hours=2)), now)
    slots = bookings = 0
    for day in range(1, days + 1):
        for k in range(4):
            start = now + timedelta(days=day, hours=3 * k)
            sid = f"d{day}-{k}"
            run(c.AddSlot(actor="far", slot_id=sid, start=start, end=start + timedelta(hours=2)), now)
            slots += 1
            if k == 0:
                run(c.BookSlot(actor="cust", meeting_id=f"b{day}", slot_id=sid, mode=Mode.VIDEO, offer=OfferKind.LONG,
                               start=start, topic="planning"), now)
                bookings += 1
    last = now + timedelta(days=days + 1)
    add_us = timed([c.AddSlot(actor="far", slot_id=f"more{i}", start=last + timedelta(hours=3 * i),
                              end=last + timedelta(hours=3 * i + 1)) for i in range(500)], now)
    move_us = timed([c.MoveSlot(actor="far", slot_id=f"d{1 + i % days}-3",
                                start=now + timedelta(days=1 + i % days, hours=9, minutes=30),
                                end=now + timedelta(days=1 + i % days, hours=11)) for i in range(500)], now)
    ask_us = timed([c.RequestInstant(actor="cust", meeting_id=f"i{i}", expert="far", mode=Mode.VIDEO,
                                     offer=OfferKind.SHORT, topic="quick") for i in range(500)], now)
    started = time.perf_counter()
    for _ in range(20):
        free_times(w, "far", now)
    free_ms = (time.perf_counter() - started) / 20 * 1000
    return {"ahead_slots": slots, "ahead_bookings": bookings, "ahead_add_slot_us": round(add_us, 1),
            "ahead_move_slot_us": round(move_us, 1), "ahead_ask_now_us": round(ask_us, 1),
            "ahead_free_times_ms": round(free_ms, 2)}



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--ahead", type=int, default=365, help="days one expert publishes ahead (the ahead_* figures)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.experts, args.days)))
        return 0
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slots.sqlite"
        slots = build(path, args.experts, args.days)
        build_s = time.perf_counter() - began
        child = subprocess.run([sys.executable, __file__, "--experts", str(args.experts), "--days", str(args.days),
                                "--measure", str(path)], check=True, capture_output=True, text=True)
        measured = json.loads(child.stdout.strip().splitlines()[-1])
    far = ahead(args.ahead)
    print(json.dumps({"bench": "slots", "date": datetime.now(UTC).date().isoformat(), "experts": args.experts,
                      "days": args.days, "slots": slots, **measured, "ahead": args.ahead, **far, "build_s": round(build_s, 1),
                      "seconds": round(time.perf_counter() - began, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
