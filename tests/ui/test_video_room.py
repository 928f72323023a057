"""Video rooms on the desktop (R17, R18) against a real server whose video provider is `personal`: the
expert's own meeting room link on the Profile screen, and the live window's "Open the video room"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consoleapp.ui import tasks
from consoleapp.ui.screens import live as live_window
from tests.client.conftest import server_now
from tests.sync.live import LiveServer

from .conftest import Desk, until
from .test_profile import open_screen, retype


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "data", env={"CONSOLEAPP_VIDEO_PROVIDER": "personal"}).start()
    try:
        yield server
    finally:
        server.stop()


def test_r17_the_expert_sets_a_meeting_room_link_and_the_screen_says_when_it_is_missing(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        assert screen.room.text() == "" and screen.room_note.isVisibleTo(screen)  # no link: customers cannot join

        retype(qtbot, screen.room, "http://zoom.us/j/123")
        qtbot.mouseClick(screen.save_profile_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.errors and "https://" in desk.ctx.errors[-1]
        assert await desk.console.pending_commands() == []  # refused at once, nothing queued

        retype(qtbot, screen.room, "https://zoom.us/j/123456789")
        qtbot.mouseClick(screen.save_profile_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        await desk.synced()
        assert await desk.console.pending_commands() == [] and await desk.console.sync_issues() == []
        assert (await desk.console.profile()).room_url == "https://zoom.us/j/123456789"  # as the server applied it
        await screen.refresh()
        assert not screen.room_note.isVisibleTo(screen)

    qrun(steps())


def test_r17_r18_the_live_window_opens_the_experts_own_link_into_the_video_room(
        open_desk, qrun, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(live_window, "open_url", lambda url: opened.append(url) or True)  # the OS's browser

    async def steps() -> None:
        desk: Desk = await open_desk()
        sc = desk.scene
        _, token = sc.customer()
        mid = sc.book(token)
        await desk.synced()
        await desk.console.approve_booking(mid)
        await desk.synced()
        win = live_window.LiveWindow(desk.console, mid)
        qtbot.addWidget(win)
        win.show()
        await until(lambda: win.video_button.isEnabled(), 10, "the video room button")

        qtbot.mouseClick(win.video_button, Qt.MouseButton.LeftButton)  # no room link yet: the server says so
        await until(lambda: "meeting room link" in win.message.text(), 10, "the server's answer")
        assert win.message.text() == "You have not set a meeting room link yet; add it on the Profile screen"
        assert not opened

        p = await desk.console.profile()
        await desk.console.update_profile(p.name, p.specialty, p.time_zone, p.slug, p.photo, room_url="https://zoom.us/j/42")
        await desk.synced()
        qtbot.mouseClick(win.video_button, Qt.MouseButton.LeftButton)
        await until(lambda: bool(opened), 10, "the link to open")
        [url] = opened
        assert url.startswith(desk.live.url + "/join/") and "browser" in win.message.text()
        gap = (sc.slot_start - server_now(desk.live, sc.op) - timedelta(minutes=5)).total_seconds()
        desk.live.advance(sc.op, seconds=gap)  # 5 minutes before the start: the link is open
        went = desk.live.call("", "GET", url.removeprefix(desk.live.url), follow_redirects=False)
        assert went.status_code == 307 and went.headers["location"] == "https://zoom.us/j/42"
        await desk.synced()
        await until(lambda: _attended(desk, mid), 10, "the expert's attendance")
        win.close()

    qrun(steps())


def _attended(desk: Any, mid: str) -> bool:
    m = desk.console.meeting(mid)
    return m is not None and m.expert_attended is not None
