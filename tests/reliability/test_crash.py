"""The server killed with SIGKILL at seeded random moments, mid push storm and mid scheduler
run, then restarted on the same data (docs/ARCHITECTURE.md §3, R22/R26 deadlines, R34 log).

A few crashes per database here (CONSOLEAPP_CRASH_ROUNDS=<n> for more); the long run is
`.venv/bin/python -m tests.reliability.crash --rounds 200`. What is checked after each crash,
on the data as the kill left it and again after the restart, is in crash.py's `check`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import crash

SEED = 6


def assert_survived(report: crash.Report, rounds: int) -> None:
    assert report.problems == [], "\n".join(report.problems[:20])
    assert report.duplicates == 0
    assert report.crashes == report.survived == rounds
    assert report.acknowledged > 50 * rounds  # the storm really ran between the crashes
    assert report.deadlines >= 30  # and so did the scheduler, over many meetings at once


def test_sqlite_crashes_lose_no_acknowledged_push_and_apply_nothing_twice(tmp_path: Path) -> None:
    rounds = crash.rounds_from_env(3)
    assert_survived(crash.run("", tmp_path / "data", rounds, SEED), rounds)


def test_postgresql_crashes_lose_no_acknowledged_push_and_apply_nothing_twice(tmp_path: Path) -> None:
    rounds = crash.rounds_from_env(2)
    try:
        with crash.pg_schema() as url:
            report = crash.run(url, tmp_path / "data", rounds, SEED)
    except LookupError as why:
        pytest.skip(str(why))
    assert_survived(report, rounds)
