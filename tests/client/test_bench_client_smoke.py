"""bench/client.py --quick runs end to end and prints one JSON line (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_client_quick_prints_one_json_line() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "client.py"), "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, done.stdout
    result = json.loads(lines[0])
    assert result["bench"] == "client" and result["sessions"] == 2000
    first = result["initial_sync"]
    assert first["events"] > 0 and first["pages"] >= 1 and first["meetings"] == 2000 and first["seconds"] > 0
    change = result["one_change"]
    assert change["samples"] == 10 and 0 < change["p50_ms"] <= change["p99_ms"] <= change["max_ms"]
    assert result["cache_mb"] > 0
    assert set(result["met"]) == {"initial_sync_s", "change_p99_ms"}
