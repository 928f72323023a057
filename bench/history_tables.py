"""A store over years of reviews and monthly figures: what its start and memory cost; ONE JSON line.

Every customer–expert pair that had a session may hold a review (R27), and every expert gets a
month of figures each month they earn (R32): both grow with the platform's history, not with its
open business. This bench writes such a log through a `Store` (SQLite file, in batches):
`--experts` experts, each customer meeting `--per-customer` of them once, the sessions spread
over `--months` months, each session held, settled, past its claim window and reviewed. Then, in
a fresh process so that memory is the start's alone:

- `open_s`, `rss_mb`: the store opened (the open business loaded from the tables) and the
  process's resident memory after it;
- `reviews`, `reviews_in_memory`: the reviews in the tables, and those the opened store holds;
- `months`, `months_in_memory`: the experts' months in the tables, and those it holds;
- `edit_review_ms`: a customer's review edited, decided and written (R27: whether it is the first
  is asked of the review already written), mean of 200;
- `settle_ms`: then 100 more sessions (customers meeting an expert again), each command decided
  and written alone: the mean of a session's six writes. Its transfers (the hold, its posting,
  the expert's share, the commission) are what each write adds to the experts' unpaid earnings,
  which never paid experts here have from their whole history (R32, R33);
- `unpaid_ids`: the transfer ids the opened store names as unpaid earnings (no expert here is
  ever paid); `transfers_in_memory`: the transfers it holds after those sessions (open holds only);
- `accounts`, `accounts_in_memory`: the ledger's accounts in the table, and those the opened store
  holds (the platform's and the experts': a customer's wallet is read back when a rule asks, R11);
  `people`, `people_in_memory`: the same of the people (the experts: a customer is read back).

    .venv/bin/python bench/history_tables.py [--experts 200] [--customers 2000] [--per-customer 10] [--months 36]

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
from ui import settled_session  # noqa: E402

from consoleapp.engine import commands as c  # noqa: E402
from consoleapp.engine.model import SYSTEM, Mode, Role  # noqa: E402
from consoleapp.store import Store  # noqa: E402

T0 = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
BATCH = 5000
SETTLED = 100  # sessions settled after the start (`settle_ms`)


def _pairs(experts: int, customers: int, per_customer: int) -> list[tuple[str, str]]:
    """(customer, expert), each pair once: customer k meets experts k, k+17, k+34, …"""
    assert per_customer <= experts and experts % 17, "each customer's experts must differ"
    return [(f"c{k}", f"x{(k + 17 * j) % experts}") for k in range(customers) for j in range(per_customer)]


def build(path: Path, experts: int, customers: int, per_customer: int, months: int) -> int:
    store = Store.open(f"sqlite:///{path}")
    try:
        setup: list[tuple[c.Command, datetime]] = []
        for i in range(experts):
            x = f"x{i}"
            setup += [(c.OpenAccount(actor=SYSTEM, person=x, role=Role.EXPERT, name=f"Expert {i}", email=f"{x}@example.com"), T0),
                      (c.SetOffers(actor=x, mode=Mode.VIDEO, short_price=25, long_price=55), T0)]
        for k in range(customers):
            setup += [(c.OpenAccount(actor=SYSTEM, person=f"c{k}", role=Role.CUSTOMER, name=f"Customer {k}",
                                     email=f"c{k}@example.com"), T0),
                      (c.GrantCredits(actor=SYSTEM, grant_id=f"g{k}", customer=f"c{k}", amount=10**7), T0)]
        store.execute_many(setup)
        pairs = _pairs(experts, customers, per_customer)
        step = timedelta(days=30.4 * months) / len(pairs)
        work: list[tuple[c.Command, datetime]] = []
        for i, (who, x) in enumerate(pairs):
            session = settled_session(who, x, f"m{i}", T0 + timedelta(days=1) + step * i, "Review")
            reviewed = session[-2][1] + timedelta(minutes=1)  # once both answered: R27 after a session
            work += [*session, (c.WriteReview(actor=who, expert=x, text=f"Session {i}: clear and patient."), reviewed)]
        work.sort(key=lambda step: step[1])
        for i in range(0, len(work), BATCH):
            refused = [r for r in store.execute_many(work[i:i + BATCH]) if isinstance(r, Exception)]
            if refused:
                raise SystemExit(f"the store refused {len(refused)} commands, e.g. {refused[0]!r}")
        return len(pairs)
    finally:
        store.close()


def measure(path: Path, experts: int, customers: int, per_customer: int, months: int) -> dict[str, object]:
    """In a process of its own (see the module's doc)."""
    import sqlalchemy as sa

    started = time.perf_counter()
    store = Store.open(f"sqlite:///{path}")
    open_s = time.perf_counter() - started
    rss = rss_mb([os.getpid()])
    world = store.world
    reviews_held = len(dict.keys(world.reviews))  # type: ignore[call-overload]
    months_held = len(dict.keys(world.months))  # type: ignore[call-overload]
    unpaid_ids = sum(len(ids) for ids in world.unpaid_of.values())
    accounts_held = len(dict.keys(world.ledger.accounts))  # type: ignore[call-overload]
    people_held = len(dict.keys(world.people))  # type: ignore[call-overload]
    with store.engine.connect() as conn:
        reviews = conn.execute(sa.text("SELECT count(*) FROM reviews")).scalar_one()
        month_rows = conn.execute(sa.text("SELECT count(*) FROM months")).scalar_one()
        accounts = conn.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one()
        people = conn.execute(sa.text("SELECT count(*) FROM people")).scalar_one()
    pairs = _pairs(experts, customers, per_customer)
    now = T0 + timedelta(days=30.4 * months + 10)
    started = time.perf_counter()
    for i in range(200):
        who, x = pairs[(i * 97) % len(pairs)]
        store.execute(c.WriteReview(actor=who, expert=x, text=f"Edited {i}: still clear."), now + timedelta(seconds=i))
    edit_ms = (time.perf_counter() - started) / 200 * 1000
    later = now + timedelta(days=1)
    work = sorted((step for i in range(SETTLED) for step in settled_session(
        *pairs[(i * 101) % len(pairs)], f"again{i}", later + timedelta(minutes=10 * i), "Again")), key=lambda s: s[1])
    started = time.perf_counter()
    for command, at in work:
        store.execute(command, at)
    settle_ms = (time.perf_counter() - started) / SETTLED * 1000
    transfers_held = len(dict.keys(store.world.ledger.transfers))  # type: ignore[call-overload]
    store.close()
    return {"open_s": round(open_s, 3), "rss_mb": round(rss, 1), "reviews": reviews, "reviews_in_memory": reviews_held,
            "months": month_rows, "months_in_memory": months_held, "edit_review_ms": round(edit_ms, 3), "settle_ms": round(settle_ms, 2),
            "unpaid_ids": unpaid_ids, "transfers_in_memory": transfers_held,
            "accounts": accounts, "accounts_in_memory": accounts_held, "people": people, "people_in_memory": people_held}



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--experts", type=int, default=200)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--per-customer", type=int, default=10, help="experts each customer meets (and reviews)")
    parser.add_argument("--months", type=int, default=36, help="months the sessions are spread over")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args(argv)
    shape = [str(args.experts), str(args.customers), str(args.per_customer), str(args.months)]
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.experts, args.customers, args.per_customer, args.months)))
        return 0
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite"
        sessions = build(path, args.experts, args.customers, args.per_customer, args.months)
        build_s = time.perf_counter() - began
        child = subprocess.run([sys.executable, __file__, "--experts", shape[0], "--customers", shape[1],
                                "--per-customer", shape[2], "--months", shape[3], "--measure", str(path)],
                               check=True, capture_output=True, text=True)
        measured = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps({"bench": "history_tables", "date": datetime.now(UTC).date().isoformat(), "experts": args.experts,
                      "customers": args.customers, "per_customer": args.per_customer, "months_spread": args.months,
                      "sessions": sessions, **measured, "build_s": round(build_s, 1),
                      "seconds": round(time.perf_counter() - began, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
