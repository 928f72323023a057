"""Run the simulation from the command line; the last line printed is one JSON object of figures.

    .venv/bin/python -m tests.simulation --seed 7 --steps 2000 --customers 4 --experts 3
    .venv/bin/python -m tests.simulation --seed 1 --seeds 20 --steps 300    # seeds 1..20

A failing seed prints what broke, the last steps and the command that replays it, and exits 1.
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
from typing import Any

from .harness import PG_DEFAULT, Simulation, SimulationFailed, parse_focus, pg_schema


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
    parser.add_argument("--pg", action="store_true",
                        help=f"the server on PostgreSQL (CONSOLEAPP_TEST_PG, else {PG_DEFAULT})")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    totals: dict[str, Any] = {"seeds": [], "steps": 0}
    sums: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    jumps: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for seed in range(args.seed, args.seed + args.seeds):
        try:
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(pg_schema(os.environ.get("CONSOLEAPP_TEST_PG", PG_DEFAULT))) if args.pg else ""
                sim = Simulation(seed, args.steps, args.customers, args.experts, args.second, url,
                                 parse_focus(args.focus))
                stats = asyncio.run(sim.run())
        except SimulationFailed as failed:
            print(failed, file=sys.stderr)
            totals["failed"] = seed
            break
        line = stats.line()
        totals["seeds"].append(seed)
        totals["steps"] += stats.steps
        faults.update(line["faults"])
        jumps.update(line["time_jumps"])
        for key in ("restarts", "restores", "client_restarts", "commands_applied", "commands_rejected", "api_ok",
                    "api_refused", "scheduler_commands", "settles", "delivered_late", "log_length"):
            sums[key] += line[key]
        outcomes.update(line["outcomes"])
        if args.seeds == 1:
            totals["digest"] = line["digest"]
    totals.update({"customers": args.customers, "experts": args.experts, "second": args.second,
                   "focus": args.focus,
                   "database": "postgresql" if args.pg else "sqlite", "faults": dict(sorted(faults.items())),
                   "time_jumps": dict(sorted(jumps.items())), **sums, "outcomes": dict(sorted(outcomes.items())),
                   "seconds": round(time.perf_counter() - began, 2)})
    print(json.dumps(totals))
    return 1 if "failed" in totals else 0


if __name__ == "__main__":
    sys.exit(main())
