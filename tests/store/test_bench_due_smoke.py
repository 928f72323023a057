"""bench/due.py runs small and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_r35_due_bench_prints_one_json_line_over_the_open_meetings() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "due.py"), "--meetings", "300", "--experts", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["bench"] == "due" and figures["open_meetings"] == 300  # the 200 asked after were cancelled
    for key in ("open_s", "rss_mb", "book_ms", "cancel_ms", "due_ms", "due_seen_ms"):
        assert figures[key] > 0, key
