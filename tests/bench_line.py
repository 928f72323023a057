"""What every bench smoke test checks first: the script runs small and prints exactly one line of
valid JSON. Timings are never asserted, only that the keys are there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def one_json_line(script: str, *args: str, timeout: float = 300) -> dict[str, Any]:
    """Run `bench/<script> <args>` from the project's root; its one line of output, parsed."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    figures: dict[str, Any] = json.loads(lines[0])
    return figures
