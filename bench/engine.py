"""Engine throughput: full meeting lifecycles per second, in memory and persisted to SQLite.

One lifecycle is five commands through the engine:

    RequestScheduled (customer; credits held) -> PickTime (expert; Agreed, video meeting)
    -> MarkHeld (scheduler, at the end) -> Evaluate smoothly (customer; settles: post + linked
    legs for the expert and the commission) -> Evaluate (expert; recorded, nothing re-settles)

spread over many customers and experts so the world keeps growing. If `consoleapp.store`
is importable, the same lifecycles are then persisted through `Store.execute_many` in
batches, and, in the same run, raw `sqlite3` inserts of as many rows into a table of the
event log's width (same batch count, same pragmas: WAL, synchronous=FULL) give the
baseline the persisted rate is compared with.

Prints exactly one JSON line, saying whether the engine ran compiled (`engine_mode`). Usage:

    .venv/bin/python bench/engine.py [--lifecycles N] [--persisted N] [--batch N] [--quick]
    CONSOLEAPP_INTERPRETED=1 .venv/bin/python bench/engine.py ...   # the .py files, not the .so
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consoleapp.engine import DEFAULT_POLICY, MODE, Policy, World, execute  # noqa: E402
from consoleapp.engine import commands as c  # noqa: E402
from consoleapp.engine.ledger import violations  # noqa: E402
from consoleapp.engine.model import SYSTEM, Answer, MeetingStatus, Mode, OfferKind, Role  # noqa: E402
from consoleapp.engine.native import compiled_modules  # noqa: E402

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AIM_IN_MEMORY = 20_000  # lifecycles per second
AIM_PERSISTED_RATIO = 0.25  # of the raw sqlite insert rate
Step = tuple[c.Command, datetime]


def population(lifecycles: int) -> tuple[list[str], list[str]]:
    customers = max(10, lifecycles // 20)
    experts = max(3, lifecycles // 200)
    return [f"cust{i}" for i in range(customers)], [f"exp{i}" for i in range(experts)]


def setup(customers: list[str], experts: list[str], lifecycles: int) -> Iterator[Step]:
    per_customer = -(-lifecycles // len(customers))
    yield c.OpenAccount(actor=SYSTEM, person="op", role=Role.OPERATOR, name="Op", email="op@example.com"), T0
    for x in experts:
        yield c.OpenAccount(actor=SYSTEM, person=x, role=Role.EXPERT, name=x, email=f"{x}@example.com"), T0
        yield c.SetOffers(actor=x, mode=Mode.VIDEO, per_minute=2, short_price=25, long_price=55), T0
    for u in customers:
        yield c.OpenAccount(actor=SYSTEM, person=u, role=Role.CUSTOMER, name=u, email=f"{u}@example.com"), T0
        yield c.GrantCredits(actor=SYSTEM, grant_id=f"g-{u}", customer=u, amount=55 * per_customer + 100), T0


def lifecycle(i: int, customers: list[str], experts: list[str]) -> Iterator[Step]:
    """The five commands of one meeting, each at its own moment on a clock that moves forward."""
    customer, expert = customers[i % len(customers)], experts[i % len(experts)]
    asked = T0 + timedelta(seconds=10 * i)
    start = asked + timedelta(hours=3)
    end = start + timedelta(minutes=30)
    mid = f"m{i}"
    yield c.RequestScheduled(actor=customer, meeting_id=mid, expert=expert, mode=Mode.VIDEO, offer=OfferKind.LONG,
                             topic="quarterly review", times=(start, start + timedelta(days=1))), asked
    yield c.PickTime(actor=expert, meeting_id=mid, start=start), asked + timedelta(minutes=5)
    yield c.MarkHeld(actor=SYSTEM, meeting_id=mid), end
    yield c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.SMOOTH), end + timedelta(minutes=2)
    yield c.Evaluate(actor=expert, meeting_id=mid, answer=Answer.SMOOTH), end + timedelta(minutes=3)


def steps(lifecycles: int, customers: list[str], experts: list[str]) -> list[Step]:
    return [step for i in range(lifecycles) for step in lifecycle(i, customers, experts)]


def in_memory(lifecycles: int, policy: Policy) -> dict[str, object]:
    customers, experts = population(lifecycles)
    world = World()
    for command, now in setup(customers, experts, lifecycles):
        execute(world, command, now, policy)
    work = steps(lifecycles, customers, experts)
    events = 0
    gc.collect()
    started = time.perf_counter()
    for command, now in work:
        events += len(execute(world, command, now, policy))
    elapsed = time.perf_counter() - started
    settled = sum(1 for m in world.meetings.values() if m.status is MeetingStatus.SETTLED)
    assert settled == lifecycles, f"only {settled} of {lifecycles} lifecycles settled"
    assert violations(world.ledger) == [], violations(world.ledger)
    return {
        "lifecycles": lifecycles,
        "customers": len(customers),
        "experts": len(experts),
        "commands": len(work),
        "events": events,
        "seconds": round(elapsed, 3),
        "lifecycles_per_s": round(lifecycles / elapsed),
        "commands_per_s": round(len(work) / elapsed),
        "events_per_s": round(events / elapsed),
    }


def persisted(lifecycles: int, batch: int, policy: Policy, folder: Path) -> dict[str, object] | None:
    try:
        from consoleapp.store import Store  # type: ignore[attr-defined]
    except ImportError:
        return None
    customers, experts = population(lifecycles)
    path = folder / "store.sqlite"
    store = Store.open(f"sqlite:///{path}", policy)
    try:
        prelude = list(setup(customers, experts, lifecycles))
        for i in range(0, len(prelude), batch):
            _expect_applied(store.execute_many(prelude[i:i + batch]))
        work = steps(lifecycles, customers, experts)
        rows_before = store.rows_written
        batches = 0
        gc.collect()
        started = time.perf_counter()
        for i in range(0, len(work), batch):
            _expect_applied(store.execute_many(work[i:i + batch]))
            batches += 1
        elapsed = time.perf_counter() - started
        rows = store.rows_written - rows_before
    finally:
        store.close()
    raw = raw_sqlite(rows, batches, folder / "raw.sqlite")
    persisted_rows_per_s = rows / elapsed
    return {
        "lifecycles": lifecycles,
        "commands": len(work),
        "batch_commands": batch,
        "transactions": batches,
        "rows": rows,
        "seconds": round(elapsed, 3),
        "lifecycles_per_s": round(lifecycles / elapsed),
        "rows_per_s": round(persisted_rows_per_s),
        "raw_sqlite_rows_per_s": round(raw),
        "ratio_to_raw": round(persisted_rows_per_s / raw, 3),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def _expect_applied(results: list[object]) -> None:
    refused = [r for r in results if isinstance(r, Exception)]
    if refused:
        raise SystemExit(f"the store refused {len(refused)} bench commands, e.g. {refused[0]!r}")


def raw_sqlite(rows: int, transactions: int, path: Path) -> float:
    """Rows per second of plain executemany inserts: the ceiling the store is measured against.

    The table has the event log's shape (position key, ref, kind, time, actor, a JSON payload
    of a typical event's size, and indexes on ref and kind); the rows are split into as many
    transactions as the persisted run used, under the same pragmas.
    """
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE log (position INTEGER PRIMARY KEY, ref TEXT NOT NULL, kind TEXT NOT NULL, "
               "at TEXT NOT NULL, actor TEXT NOT NULL, data TEXT NOT NULL)")
    db.execute("CREATE INDEX log_ref ON log (ref)")
    db.execute("CREATE INDEX log_kind ON log (kind)")
    payload = json.dumps({"ref": "m12345", "at": "2026-03-02T12:30:00+00:00", "actor": "cust123",
                          "kind": "MeetingAgreed", "by": "expert", "start": "2026-03-02T12:00:00+00:00",
                          "end": "2026-03-02T12:30:00+00:00", "overlaps": []})
    per = -(-rows // max(transactions, 1))
    data = [(n, f"m{n // 7}", ("MeetingRequested", "Transfer", "MeetingAgreed")[n % 3],
             "2026-03-02 12:30:00.000000", f"cust{n % 500}", payload) for n in range(1, rows + 1)]
    started = time.perf_counter()
    for i in range(0, rows, per):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?)", data[i:i + per])
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return rows / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=None, help="in-memory lifecycles (default 20000)")
    parser.add_argument("--persisted", type=int, default=None, help="persisted lifecycles (default 5000)")
    parser.add_argument("--batch", type=int, default=500, help="commands per store transaction (default 500)")
    parser.add_argument("--quick", action="store_true", help="a few hundred lifecycles: a smoke run")
    args = parser.parse_args(argv)
    memory_n = args.lifecycles or (300 if args.quick else 20_000)
    stored_n = args.persisted or (100 if args.quick else max(1, min(5_000, memory_n)))
    policy = DEFAULT_POLICY
    memory = in_memory(memory_n, policy)
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-") as tmp:
        stored = persisted(stored_n, args.batch, policy, Path(tmp))
    figures: dict[str, object] = {
        "bench": "engine",
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpus",
        # 'compiled' (mypyc, tools/compile_engine.py) or why the .py files ran; which modules were .so
        "engine_mode": MODE,
        "engine_compiled_modules": len(compiled_modules()),
        "in_memory": memory,
        "persisted": stored if stored is not None else "consoleapp.store not available",
        "aims": {
            "in_memory_lifecycles_per_s": AIM_IN_MEMORY,
            "in_memory_met": memory["lifecycles_per_s"] >= AIM_IN_MEMORY,  # type: ignore[operator]
            "persisted_ratio_to_raw": AIM_PERSISTED_RATIO,
            "persisted_met": None if stored is None else stored["ratio_to_raw"] >= AIM_PERSISTED_RATIO,  # type: ignore[operator]
        },
    }
    print(json.dumps(figures, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
