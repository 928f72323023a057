"""Run the simulation from the command line; the last line printed is one JSON object of figures.

    .venv/bin/python -m tests.simulation --seed 7 --steps 2000 --customers 4 --experts 3
    .venv/bin/python -m tests.simulation --seed 1 --seeds 50 --steps 400 --jobs 2 --table

Each seed draws its own mix of actions and faults (swarm.py), printed with it. A failing seed
prints what broke, the last steps, the mix and the command that replays it, and exits 1. A run of
3 000 steps or more (all seeds together) also exits 1 when it reached one of the required
outcomes (coverage.py) fewer than 5 times, naming them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

from . import coverage
from .harness import PG_DEFAULT, Simulation, SimulationFailed, parse_focus, pg_schema

LONG = 3000  # steps from which the outcome coverage is required (the "long run")
REQUIRE = 5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.simulation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds to run, from --seed on")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--customers", type=int, default=3)
    parser.add_argument("--experts", type=int, default=2)
    parser.add_argument("--second", type=int, default=1, help="experts with a second desktop")
    parser.add_argument("--focus", default="", help="weight multipliers of actions, like claim=3,operator=4")
    parser.add_argument("--no-swarm", dest="swarm", action="store_false",
                        help="every seed the same mix of actions and faults (swarm.py draws one per seed)")
    parser.add_argument("--pg", action="store_true",
                        help=f"the server on PostgreSQL (CONSOLEAPP_TEST_PG, else {PG_DEFAULT})")
    parser.add_argument("--require", type=int, default=REQUIRE,
                        help="a long run (all seeds together) fails when it reaches one of coverage.REQUIRED "
                             "fewer times than this (0: never)")
    parser.add_argument("--long", type=int, default=LONG, help="the steps from which a run counts as long")
    parser.add_argument("--table", action="store_true", help="print the outcome table (Markdown) before the JSON line")
    parser.add_argument("--jobs", type=int, default=1, help="seeds run side by side in this many processes")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    totals: dict[str, Any] = {"seeds": [], "steps": 0}
    sums: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    jumps: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    providers: Counter[str] = Counter()
    seeds = range(args.seed, args.seed + args.seeds)
    with contextlib.ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        if args.jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(args.jobs))
            runs: Iterator[dict[str, Any] | str] = pool.map(partial(one_seed, args), seeds)
        else:
            runs = map(partial(one_seed, args), seeds)
        for seed, line in zip(seeds, runs, strict=False):
            if isinstance(line, str):
                print(line, file=sys.stderr)
                totals["failed"] = seed
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)  # the seeds not started yet are not run
                break
            totals["seeds"].append(seed)
            totals["steps"] += line["steps"]
            faults.update(line["faults"])
            jumps.update(line["time_jumps"])
            for key in ("restarts", "restores", "client_restarts", "commands_applied", "commands_rejected", "api_ok",
                        "api_refused", "scheduler_commands", "settles", "delivered_late", "log_length"):
                sums[key] += line[key]
            outcomes.update(line["outcomes"])
            providers[line["payment_provider"]] += 1
            if args.seeds == 1:
                totals["digest"] = line["digest"]
                totals["swarm"] = line["swarm"]
    short = coverage.missing(outcomes, args.require) if totals["steps"] >= args.long and "failed" not in totals else []
    totals.update({"customers": args.customers, "experts": args.experts, "second": args.second,
                   "focus": args.focus, "payment_providers": dict(sorted(providers.items())), "swarm": totals.get("swarm", "on" if args.swarm else "off"),
                   "database": "postgresql" if args.pg else "sqlite", "faults": dict(sorted(faults.items())),
                   "time_jumps": dict(sorted(jumps.items())), **sums, "outcomes": dict(sorted(outcomes.items())),
                   "short_of": short, "seconds": round(time.perf_counter() - began, 2)})
    if args.table:
        print(coverage.table(outcomes))
    for name in short:
        print(f"reached {outcomes[name]} times, fewer than {args.require}: {name}", file=sys.stderr)
    print(json.dumps(totals))
    return 1 if "failed" in totals or short else 0


def one_seed(args: argparse.Namespace, seed: int) -> dict[str, Any] | str:
    """One seed's figures (Stats.line), or what broke and how to replay it."""
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(pg_schema(os.environ.get("CONSOLEAPP_TEST_PG", PG_DEFAULT))) if args.pg else ""
            sim = Simulation(seed, args.steps, args.customers, args.experts, args.second, url,
                             parse_focus(args.focus), swarm=args.swarm)
            return asyncio.run(sim.run()).line()
    except SimulationFailed as failed:
        return str(failed)


if __name__ == "__main__":
    sys.exit(main())
