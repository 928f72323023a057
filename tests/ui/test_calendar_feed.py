"""The Profile screen's calendar feed row against the real server: the link, a new one, offline."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from consoleapp.ui import tasks

from .test_profile import open_screen


def fetched(desk: Any, webcal: str) -> int:
    """The feed as a calendar program fetches it (no login): its status code."""
    return int(desk.live.call("", "GET", urlsplit(webcal).path).status_code)


def test_the_calendar_link_is_shown_copied_and_replaced_and_offline_the_row_says_why(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        old = screen.calendar_link.text()
        assert old.startswith("webcal://") and old.endswith(".ics")
        assert fetched(desk, old) == 200
        qtbot.mouseClick(screen.copy_calendar_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert QGuiApplication.clipboard().text() == old

        qtbot.mouseClick(screen.new_calendar_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        new = screen.calendar_link.text()
        assert new.startswith("webcal://") and new != old
        assert fetched(desk, old) == 404 and fetched(desk, new) == 200

        desk.live.stop()  # offline: the link cannot be asked for
        offline = open_screen(desk, qtbot)
        await offline.refresh()
        assert "needs a connection" in offline.calendar_link.text()
        assert not offline.copy_calendar_button.isEnabled()
        qtbot.mouseClick(offline.new_calendar_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.errors and "needs a connection" in desk.ctx.errors[-1]

    qrun(steps())
