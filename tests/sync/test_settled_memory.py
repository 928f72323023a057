"""A served process moves what it holds at start (its modules, the open business it loaded) out of
the garbage collector's reach: a full collection then walks only what was made since, where it
walked everything, under the write that happened to allocate last (and so under the log counter's
lock, which every worker's writes wait for)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import gc, sys
    from fastapi.testclient import TestClient
    from consoleapp.sync.server.app import create_app
    from consoleapp.sync.server.opening import open_server
    from consoleapp.sync.server.settings import Settings

    settings = Settings.from_env()
    if sys.argv[1] == "served":
        app = create_app()  # what `serve` runs: the app opens its own server
    else:
        app = create_app(server=open_server(settings))  # a caller's server, shared: its memory is the caller's
    with TestClient(app) as http:
        assert http.get("/health").status_code == 200
        frozen = gc.get_freeze_count()
        # The process still collects what it makes afterwards.
        gc.collect()
        print(frozen, gc.isenabled())
""")


def run(mode: str, data: Path) -> tuple[int, bool]:
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, mode], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, enabled = done.stdout.split()
    return int(frozen), enabled == "True"


def test_a_served_process_freezes_what_it_holds_at_start(tmp_path: Path) -> None:
    frozen, enabled = run("served", tmp_path / "a")
    assert frozen > 10_000  # the modules and the open business: hundreds of thousands of objects
    assert enabled


def test_a_server_opened_by_its_caller_leaves_the_callers_memory_alone(tmp_path: Path) -> None:
    frozen, enabled = run("shared", tmp_path / "b")
    assert frozen == 0
    assert enabled
