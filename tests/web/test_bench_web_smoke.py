"""`bench/web.py` runs end to end and prints one JSON line (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_web_prints_one_json_line_with_every_page_answered() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "web.py"), "--visitors", "2", "--seconds", "1",
                           "--think", "0.1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    for run in ("expert_page", "booking_form", "health", "expert_page_paced", "booking_form_paced"):
        assert figures[run]["requests"] > 0 and figures[run]["errors"] == 0, (run, figures[run])
    assert figures["bench"] == "web" and "page_share_of_health" in figures
