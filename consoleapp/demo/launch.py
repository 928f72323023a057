"""`make run` / `consoleapp --demo`: a throw-away server with demo data, a customer simulator,
and the console logged in as the demo expert. Closing the window stops all of it and removes
the temporary folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PySide6.QtCore import QSettings

from consoleapp.sync.client import accounts
from consoleapp.sync.client.accounts import TokenVault

from .dataset import EXPERT_EMAIL, PASSWORD, build
from .simulator import Simulator

log = logging.getLogger("consoleapp.demo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DemoServer:
    """The bundled server as a child process on 127.0.0.1, embedded SQLite in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self, http: httpx.AsyncClient, wait: float = 60) -> None:
        env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(self.data_dir), "CONSOLEAPP_DATABASE_URL": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "consoleapp.sync.server.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"], env=env, start_new_session=True)
        deadline = time.monotonic() + wait
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo server stopped at start (exit code {self.process.returncode})")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{self.url}/health", timeout=1)).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the demo server did not answer within {wait:g} s")
            await asyncio.sleep(0.1)

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is None or p.poll() is not None:
            return
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(5)


async def run_demo(settings: QSettings) -> int:
    from consoleapp.ui.app import Controller  # the UI is only needed once the demo runs

    folder = Path(tempfile.mkdtemp(prefix="expert-console-demo-"))
    server = DemoServer(folder / "server")
    simulator_task: asyncio.Task[None] | None = None
    demo_settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    demo_settings.setValue("language", settings.value("language", "", type=str))
    try:
        print("Expert Console demo: writing a year of demo history…", file=sys.stderr)
        demo = await asyncio.to_thread(build, folder / "server")
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)) as http:
            await server.start(http)
            print(f"Demo server on {server.url} (log in as {EXPERT_EMAIL} / {PASSWORD}); "
                  "close the window to stop it.", file=sys.stderr)
            session = await accounts.login(http, server.url, EXPERT_EMAIL, PASSWORD)
            simulator = Simulator(http, server.url, demo.expert, [e for _, e in demo.customers])
            simulator_task = asyncio.ensure_future(simulator.run())
            vault = TokenVault(allow_plaintext=True, config_dir=folder / "config")
            controller = Controller(http, vault, demo_settings, cache_dir=folder / "cache")
            try:
                return await controller.run(session=session)
            finally:
                simulator_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await simulator_task
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
