"""The expert's own meeting room link on the Profile screen (R17, personal video rooms), against a real
server whose video provider is `personal`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from consoleapp.ui import tasks
from tests.sync.live import LiveServer

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
