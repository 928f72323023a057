"""bench/ui.py runs end to end on a small cache and prints one JSON line (no timing assertions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_ui_prints_one_json_line_and_the_view_copies_only_the_open_business() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "ui.py"), "--sessions", "300"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, done.stdout
    result = json.loads(lines[0])
    assert result["bench"] == "ui" and result["sessions"] == 300
    for key in ("first_paint_s", "ready_s", "filter_ms", "view_ms", "peak_mb"):
        assert result[key] > 0, key
    # The history's 300 sessions stay in the cache's tables: the view copies the 40 meetings
    # ahead and replays the 5 queued answers over them.
    assert result["view_meetings_in_memory"] == 40 and result["view_pending"] == 5
    assert set(result["met"]) == {"first_paint_s", "filter_ms", "peak_mb"}
