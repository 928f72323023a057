"""The desktop console against the real server (tests/sync/live.py) with real caches, offscreen.

Qt and asyncio share one qasync loop: a test runs its steps as one coroutine with
`qrun(...)`, so clicks (qtbot) and the console's tasks interleave as in the app.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: no screen in tests

import httpx  # noqa: E402
import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from consoleapp.sync.client.accounts import Session
from consoleapp.ui import i18n, tasks
from consoleapp.ui.workspace import Workspace
from tests.client.conftest import Scene, scene, until
from tests.sync.live import LiveServer

T = TypeVar("T")

__all__ = ["Desk", "TestContext", "until"]


@pytest.fixture(scope="session", autouse=True)
def _english(qapp: QApplication) -> None:
    """As the app starts (`make_app`): a language installed, English's catalog giving the plural forms."""
    i18n.install("en")


@pytest.fixture(scope="session")
def _session_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    # One qasync loop for the whole run: closing a QEventLoop while Qt still holds its timers
    # and then making another one crashed the interpreter now and then.
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a window never stops the loop
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(_drain())
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def qloop(_session_loop: qasync.QEventLoop) -> Iterator[qasync.QEventLoop]:
    asyncio.set_event_loop(_session_loop)
    yield _session_loop
    _session_loop.run_until_complete(_drain())


async def _drain() -> None:
    """What a test started and left running ends with it. A task that does not end once
    cancelled fails the test with its stack, instead of holding the whole run."""
    tasks.cancel_all()
    await asyncio.sleep(0)
    try:
        await asyncio.wait_for(tasks.idle(), 30)
    except TimeoutError:
        stuck = [t for t in asyncio.all_tasks() if not t.done() and t is not asyncio.current_task()]
        stacks = "\n".join(f"{t.get_coro()!r}: {t.get_stack(limit=8)}" for t in stuck)
        raise AssertionError(f"{len(stuck)} task(s) still running 30 s after being cancelled:\n{stacks}") from None


@pytest.fixture
def qrun(qloop: qasync.QEventLoop) -> Callable[[Coroutine[Any, Any, T]], T]:
    def run(coro: Coroutine[Any, Any, T]) -> T:
        return qloop.run_until_complete(asyncio.wait_for(coro, 120))

    return run


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "data").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()


@dataclass
class TestContext:
    """The window around a screen, for testing a screen on its own."""

    __test__ = False  # a helper, not a test class

    console: Any
    qsettings: QSettings
    opened: list[str] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)
    messages: list[tuple[str, bool]] = field(default_factory=list)

    def open_live(self, meeting_id: str) -> None:
        self.opened.append(meeting_id)

    def show_screen(self, key: str, ref: str = "") -> None:
        self.shown.append((key, ref))

    def report(self, message: str, error: bool = True) -> None:
        self.messages.append((message, error))

    def settings(self) -> QSettings:
        return self.qsettings

    def now(self) -> datetime:
        return self.console.now()

    @property
    def errors(self) -> list[str]:
        return [m for m, e in self.messages if e]


@dataclass
class Desk:
    """A server with an expert (profile, offers, a 4 h slot from 10:00 Paris time, 72 to 96 h
    ahead) and the expert's workspace."""

    live: LiveServer
    scene: Scene
    workspace: Workspace
    http: httpx.AsyncClient
    ctx: TestContext

    @property
    def console(self) -> Any:
        return self.workspace.console

    async def synced(self) -> None:
        await self.workspace.sync.sync_once()

    async def close(self) -> None:
        await self.workspace.close()
        await self.http.aclose()


@pytest.fixture
def open_desk(live: LiveServer, tmp_path: Path, settings: QSettings,
              qrun: Callable[[Coroutine[Any, Any, Any]], Any]) -> Iterator[Callable[..., Awaitable[Desk]]]:
    """`desk = await open_desk(start=True)`: the expert's workspace, synced once; closed at the end."""
    opened: list[Desk] = []
    sc = scene(live, local_hour=10)  # 10:00 in Paris, three or four days ahead: no test meets midnight

    async def make(start: bool = False) -> Desk:
        http = httpx.AsyncClient(timeout=30)
        session = Session(live.url, "anna@example.com", sc.expert, "expert", sc.expert_token)
        ws = await Workspace.open(session, http, tmp_path / f"cache-{len(opened)}.sqlite3",
                                  backoff=(0.05, 0.5), pull_every=2.0)
        desk = Desk(live, sc, ws, http, TestContext(ws.console, settings))
        opened.append(desk)
        await ws.sync.sync_once()
        if start:
            ws.start()
        return desk

    yield make

    async def close_all() -> None:
        for desk in opened:
            await desk.close()

    qrun(close_all())


@pytest.fixture
def desk(open_desk: Callable[..., Awaitable[Desk]], qrun: Callable[[Coroutine[Any, Any, Any]], Any]) -> Desk:
    """The expert's workspace, synced once, not running the background sync."""
    result: Desk = qrun(open_desk())
    return result


@pytest.fixture
def restart() -> Iterator[Callable[[LiveServer], LiveServer]]:
    """Start a server again on the same data and port (the desktop's URL stays valid)."""
    started: list[LiveServer] = []

    def again(server: LiveServer) -> LiveServer:
        server.stop()
        back = LiveServer(server.data_dir, database_url=server.database_url, port=server.port).start()
        started.append(back)
        return back

    try:
        yield again
    finally:
        for server in started:
            server.stop()
