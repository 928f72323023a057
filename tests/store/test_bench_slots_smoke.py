"""bench/slots.py runs small and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_r4_slots_bench_prints_one_json_line_and_keeps_only_the_slots_not_ended() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "slots.py"), "--experts", "5", "--days", "20"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["bench"] == "slots" and figures["slots"] == 5 * 20
    # Each expert's slots of the last two days and tomorrow's: not the twenty days of history.
    assert figures["slots_in_memory"] == 5 * 3
    assert figures["open_s"] > 0 and figures["rss_mb"] > 0 and figures["add_slot_ms"] > 0
