"""Killing the demo (SIGTERM, or SIGKILL as a crash would) must not leave its server running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consoleapp.demo import launch

# The demo launcher's server and signal handling, without the window: what `run_demo` sets up.
PARENT = """
import asyncio, sys
from pathlib import Path
import httpx
from consoleapp.demo.launch import DemoServer, clean_up_on_signals, make_folder

async def main() -> None:
    folder = make_folder(Path(sys.argv[1]))
    print(folder, flush=True)
    server = DemoServer(folder / "server")
    clean_up_on_signals(server, folder)
    async with httpx.AsyncClient() as http:
        await server.start(http)
        print(server.process.pid, flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""


def gone(pid: int) -> bool:
    """Ended (reaped, or a zombie waiting for init to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def wait_until_gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def start_parent(where: Path) -> tuple[subprocess.Popen[str], int, Path]:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(where)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert parent.stdout is not None
    folder = Path(parent.stdout.readline().strip())
    line = parent.stdout.readline()
    assert line.strip().isdigit(), f"the demo server did not start (exit {parent.wait(30)})"
    child = int(line)
    assert not gone(child)
    return parent, child, folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_demo_server_ends_with_the_app(tmp_path: Path, how: signal.Signals) -> None:
    parent, child, folder = start_parent(tmp_path)
    try:
        parent.send_signal(how)
        assert parent.wait(30) == -how
        assert wait_until_gone(child), f"the demo server (pid {child}) outlived the app killed with {how.name}"
        if how == signal.SIGTERM:  # the app had its say: the temporary folder is gone too
            assert not folder.exists()
        else:  # it could not: the next demo removes what it left, and nothing of a running one
            assert folder.exists()
            running = launch.make_folder(tmp_path)
            assert not folder.exists() and running.exists()
            assert launch.sweep_stale(tmp_path) == []
    finally:
        if not gone(child):
            os.kill(child, signal.SIGKILL)
