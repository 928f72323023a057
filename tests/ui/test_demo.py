"""`make run`: the demo server with a year of history, the simulator, the console logged in."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QSettings

from consoleapp.demo.dataset import EXPERT_EMAIL, EXPERT_SLUG
from consoleapp.demo.launch import run_demo
from consoleapp.ui import tasks
from consoleapp.ui.mainwindow import MainWindow

from .conftest import until

pytestmark = pytest.mark.dates  # the demo's year of history is laid out backwards from now, month by month


def test_demo_opens_the_console_logged_in_and_closing_stops_everything(qapp, qrun, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def window() -> MainWindow | None:
        found = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.console is not None]
        return found[0] if found else None

    opened: list[str] = []

    async def steps() -> None:
        demo = asyncio.ensure_future(run_demo(settings, open_page=opened.append))
        await until(lambda: window() is not None or demo.done(), timeout=120, what="the demo's main window")
        assert not demo.done(), demo.exception() if demo.done() else ""
        win = window()
        assert win is not None and win.console.session.email == EXPERT_EMAIL
        await tasks.idle()
        # A year of history, claims to answer, requests waiting: the badges say so.
        await until(lambda: win.badge_of("requests") >= 2 and win.badge_of("disputes") == 2, timeout=60,
                    what="the demo's waiting requests and claims")
        history = await win.console.history(limit=1)
        assert history.total > 200
        server_url = win.console.session.server_url
        # The expert's booking page, for the browser, logged in as a demo customer with credits.
        assert len(opened) == 1 and opened[0].startswith(f"{server_url}/login/link?")
        async with httpx.AsyncClient(follow_redirects=True, headers={"Accept": "text/html"}) as browser:
            page = await browser.get(opened[0])
            assert page.status_code == 200 and str(page.url) == f"{server_url}/e/{EXPERT_SLUG}"
            assert "Anna" in page.text and "Log out" in page.text and "Inês" in page.text
            wallet = await browser.get(f"{server_url}/me/wallet")
            assert wallet.status_code == 200 and "Balance" in wallet.text
            # Inês asked to buy credits by bank transfer: the request waits for the demo operator.
            assert "Buy credits" in wallet.text and "awaiting payment" in wallet.text
        async with httpx.AsyncClient(headers={"Accept": "text/html"}) as stranger:  # a login link works once
            again = await stranger.get(opened[0])
            assert again.status_code == 400 and "Log out" not in again.text
        folder = Path(win.console.cache.path).parents[1]
        assert folder.exists()
        win.close()
        assert await asyncio.wait_for(demo, 60) == 0
        assert not folder.exists()  # the temporary data is gone
        async with httpx.AsyncClient() as http:  # and so is the server
            try:
                await http.get(f"{server_url}/health", timeout=2)
                raise AssertionError("the demo server still answers after the window closed")
            except httpx.ConnectError:
                pass

    qrun(steps())
