"""bench/engine.py --quick runs and prints exactly one line of valid JSON (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_engine_bench_quick_prints_one_json_line() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "engine.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["bench"] == "engine"
    assert figures["python"] and figures["date"]
    assert figures["in_memory"]["lifecycles_per_s"] > 0
    persisted = figures["persisted"]
    if isinstance(persisted, dict):  # only when consoleapp.store is there
        assert persisted["rows"] > 0 and persisted["ratio_to_raw"] > 0
