"""`bench/server.py --quick` runs end to end and prints one JSON line (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_server_quick_prints_one_json_line() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "server.py"), "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["bench"] == "server" and figures["quick"] is True
    assert figures["push_commands_per_s"]["sqlite"] > 0
    assert figures["push_sqlite"]["rejected"] == 0 and figures["push_sqlite"]["errors"] == []
    assert "poke_p99_ms" in figures and "health_rps" in figures
