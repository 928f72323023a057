"""The real server, started the way an administrator starts it, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(data_dir: Path, database_url: str = "", workers: int = 1, wait: float = 120) -> Iterator[str]:
    """`consoleapp-server serve` on a free port (no test clock); yields its URL, stops it after."""
    port = free_port()
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(data_dir), "CONSOLEAPP_DATABASE_URL": database_url}
    env.pop("CONSOLEAPP_TEST_CLOCK", None)
    command = [sys.executable, "-m", "consoleapp.sync.server.cli", "serve", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer /health within {wait:g} s")
            time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
