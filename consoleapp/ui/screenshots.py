"""`python -m consoleapp.ui.screenshots DIR`: every screen, rendered with the demo data, as PNG.

It runs the real thing offscreen: the demo dataset in a temporary server, the console logged
in as the demo expert and synced, one customer's instant request accepted into a live
session with a little chat. The README's pictures come from here (`make screenshots`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from consoleapp.demo.dataset import EXPERT_EMAIL, PASSWORD, build  # noqa: E402
from consoleapp.demo.launch import DemoServer  # noqa: E402
from consoleapp.demo.simulator import Simulator  # noqa: E402
from consoleapp.engine.requests import RequestCategory  # noqa: E402
from consoleapp.sync.client import accounts  # noqa: E402

from . import tasks  # noqa: E402
from .app import make_app, run_loop  # noqa: E402
from .issues import IssuesDialog  # noqa: E402
from .login import LoginDialog  # noqa: E402
from .mainwindow import MainWindow  # noqa: E402
from .workspace import Workspace  # noqa: E402

SIZE = (1360, 860)


async def settle(seconds: float = 0.3) -> None:
    """Let queued refreshes and paints run."""
    await asyncio.sleep(seconds)
    await tasks.idle()
    await asyncio.sleep(0.05)


def save(widget: QWidget, path: Path) -> None:
    widget.repaint()
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"could not write {path}")
    print(path)


async def shoot(out: Path, settings: QSettings) -> None:
    folder = Path(tempfile.mkdtemp(prefix="expert-console-shots-"))
    server = DemoServer(folder / "server")
    try:
        demo = await asyncio.to_thread(build, folder / "server")
        async with httpx.AsyncClient(timeout=30) as http:
            await server.start(http)
            session = await accounts.login(http, server.url, EXPERT_EMAIL, PASSWORD)
            ws = await Workspace.open(session, http, folder / "cache.sqlite3")
            await ws.sync.sync_once()
            sim = Simulator(http, server.url, demo.expert, [e for _, e in demo.customers], seed=3)
            for _ in range(4):  # something to answer: instant requests come first
                await sim.once()
            await ws.sync.sync_once()
            window = MainWindow(ws.console, settings)
            window.resize(*SIZE)
            window.show()
            await settle(1.0)
            for key in window.screens:
                window.show_screen(key)
                await settle(0.8)
                if key == "availability" and hasattr(window.screens[key], "next_button"):
                    window.screens[key].next_button.click()  # the demo's working hours start next week
                    await settle(0.5)
                save(window, out / f"{key}.png")
            # A live session: accept the first instant request, chat a little.
            waiting = [r for r in await ws.console.new_requests() if r.category is RequestCategory.INSTANT]
            if waiting:
                mid = waiting[0].id
                await ws.console.accept_instant(mid)
                await ws.sync.sync_once()
                await ws.console.post_chat(mid, "Hello! I have your VAT figures in front of me.")
                await ws.sync.sync_once()
                window.open_live(mid)
                await settle(1.5)
                live = window.live_windows.get(mid)
                if live is not None:
                    live.resize(900, 680)
                    await settle(0.3)
                    save(live, out / "live.png")
                    live.close()
            dialog = IssuesDialog(ws.console, window)
            dialog.show()
            await settle(0.5)
            save(dialog, out / "not-applied.png")
            dialog.close()
            login = LoginDialog(http, server.url, EXPERT_EMAIL)
            login.show()
            await settle(0.2)
            save(login, out / "login.png")
            login.close()
            window.close()
            await ws.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m consoleapp.ui.screenshots DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="expert-console-settings-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("notifications/enabled", False)
    app = make_app(sys.argv[:1], settings, os.environ.get("CONSOLEAPP_LANGUAGE", "en"))
    try:
        return run_loop(app, lambda: _run(out, settings))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _run(out: Path, settings: QSettings) -> int:
    await shoot(out, settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
