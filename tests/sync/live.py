"""The real server, started as its own process on 127.0.0.1 on a free port, for the sync tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from consoleapp.engine.model import Role
from consoleapp.sync.server.accounts import create_user
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.settings import Settings

from . import zygote


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    data_dir: Path
    database_url: str = ""
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: zygote.Forked | subprocess.Popen[bytes] | None = None
    at: datetime | None = None  # where the server's clock starts; None: the real time

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.database_url, test_clock=True)

    def uvicorn_args(self) -> list[str]:
        return ["--factory", "consoleapp.sync.server.app:create_app",
                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]

    def spawn(self, env: dict[str, str]) -> zygote.Forked | subprocess.Popen[bytes]:
        """One worker: `python -m uvicorn <uvicorn_args>`, forked from a process that has imported it
        already. Several: `consoleapp-server serve`, whose supervisor gives each worker a socket of its
        own (workers.py), as a self-hoster runs them; each worker is a fresh interpreter either way."""
        if self.workers > 1:
            return self.serve(env)
        return zygote.spawn(self.uvicorn_args(), env)

    def serve(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        """`consoleapp-server serve`, the way an administrator starts it."""
        command = [sys.executable, "-m", "consoleapp.sync.server.cli", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning"]
        return subprocess.Popen(command, env=env, start_new_session=True)

    def start(self) -> LiveServer:
        """Start and wait until *this* server answers; a port another process took is retried."""
        if self.at is not None:
            self._set_clock(self.at)
            self.at = None  # the offset is in the data: a restart keeps the moved clock
        for _ in range(3):
            if self._launch():
                return self
            self.port = free_port()
        raise RuntimeError("the server could not get a free port in three tries")

    def _launch(self) -> bool:
        env = {**os.environ, "CONSOLEAPP_DATA_DIR": str(self.data_dir), "CONSOLEAPP_TEST_CLOCK": "1",
               "CONSOLEAPP_DATABASE_URL": self.database_url, "CONSOLEAPP_SCHEDULER_SECONDS": "0.2", **self.env}
        self.process = self.spawn(env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # most often: the port was taken between choosing and binding it
            try:
                r = httpx.get(f"{self.url}/health", timeout=1)
                if r.status_code == 200 and r.json().get("epoch") == self._epoch():
                    return True
            except (httpx.HTTPError, ValueError, sa.exc.SQLAlchemyError):
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("the server did not answer /health within 60 s")

    def _set_clock(self, moment: datetime) -> None:
        """Start the server's clock at `moment` (it runs on from there), for a test that needs a
        calendar of its own (payout days, month ends) rather than whatever day the suite runs on.
        Set before the server first runs, so its scheduler never sees another date."""
        server = open_server(self.settings)
        try:
            server.clock.advance((moment - server.clock.now()).total_seconds())
        finally:
            server.store.close()

    def _epoch(self) -> str | None:
        """The epoch in this server's own database: proof that /health came from it."""
        engine = sa.create_engine(self.settings.url)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text("SELECT value FROM server_meta WHERE name = 'epoch'")).scalar()
        finally:
            engine.dispose()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    # --- people ---------------------------------------------------------------------

    def register(self, role: str = "customer", name: str = "", email: str = "") -> tuple[str, str]:
        """(user id, token) of a new account."""
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        r = httpx.post(f"{self.url}/auth/register", json={"email": email, "password": "correct horse",
                                                          "name": name or role.title(), "role": role})
        assert r.status_code == 201, r.text
        body = r.json()
        return body["user_id"], body["token"]

    def operator(self) -> tuple[str, str]:
        """An operator account, made the way the admin command makes one: straight in the database."""
        server = open_server(self.settings)
        try:
            return create_user(server, f"operator-{uuid.uuid4().hex[:8]}@example.com", "correct horse",
                               "Operator", Role.OPERATOR)
        finally:
            server.store.close()

    def client(self, token: str = "") -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def advance(self, operator_token: str, **delta: float) -> str:
        seconds = delta.get("seconds", 0) + 60 * delta.get("minutes", 0) + 3600 * delta.get("hours", 0) + 86400 * delta.get("days", 0)
        with self.client(operator_token) as c:
            r = c.post("/admin/clock", json={"seconds": seconds})
            assert r.status_code == 200, r.text
            now: str = r.json()["now"]
            return now

    def call(self, token: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with self.client(token) as c:
            return c.request(method, path, **kwargs)
