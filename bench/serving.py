"""The real server, started the way an administrator starts it, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import sqlalchemy as sa

from consoleapp.sync.server.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(data_dir: Path, database_url: str = "", workers: int = 1, wait: float = 120,
            launcher: Sequence[str] = ()) -> Iterator[str]:
    """`consoleapp-server serve` on a free port (no test clock); yields its URL, stops it after.
    `launcher`: what to run instead of `python -m consoleapp.sync.server.cli`, given the same
    `serve ...` arguments (a bench's own wrapper around the server).

    A port is only free until someone binds it: another process (a test beside this one, any
    client's outgoing connection) may take it between our choosing and the server's binding it,
    and the server then exits. So a start that lost its port is tried again on another one, and
    /health counts only when it names this data's epoch (another server may hold the port)."""
    env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(data_dir), "CONSOLEAPP_DATABASE_URL": database_url}
    env.pop("CONSOLEAPP_TEST_CLOCK", None)
    for _ in range(3):
        port = free_port()
        command = [*(launcher or (sys.executable, "-m", "consoleapp.sync.server.cli")), "serve", "--port", str(port),
                   "--workers", str(workers), "--log-level", "warning"]
        # What the server says goes to a file, not a pipe nobody reads (a full pipe would stall it);
        # its tail is what a failed start reports.
        with tempfile.TemporaryFile() as said:
            process = subprocess.Popen(command, env=env, start_new_session=True, stderr=said)
            try:
                url = f"http://127.0.0.1:{port}"
                if _answers(process, url, Settings(data_dir=data_dir, database_url=database_url).url, wait):
                    yield url
                    return
                said.seek(0)
                tail = said.read().decode(errors="replace").strip()
                if "address already in use" not in tail.lower():
                    raise RuntimeError(f"the server exited with {process.returncode}: {tail[-2000:]}")
            finally:
                _stop(process)
    raise RuntimeError("the server lost its port to another process three times")


def _answers(process: subprocess.Popen[bytes], url: str, database: str, wait: float) -> bool:
    """Whether this process came to answer /health (False: it exited first)."""
    deadline = time.monotonic() + wait
    while process.poll() is None:
        with contextlib.suppress(httpx.HTTPError, ValueError, sa.exc.SQLAlchemyError):
            r = httpx.get(f"{url}/health", timeout=1)
            if r.status_code == 200 and r.json().get("epoch") == _epoch(database):
                return True
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer /health within {wait:g} s")
        time.sleep(0.1)
    return False


def _epoch(database: str) -> str | None:
    engine = sa.create_engine(database, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            epoch: str | None = conn.execute(sa.text("SELECT value FROM server_meta WHERE name = 'epoch'")).scalar()
            return epoch
    finally:
        engine.dispose()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
