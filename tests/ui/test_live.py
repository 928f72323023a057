"""The live session window against the real server (R17-R21): join and start, the countdown with
its 30-second warning, the gift, chat, files and snippets, the end and the bill."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPushButton

from consoleapp.store import db, schema
from consoleapp.ui.screens.live import LiveWindow
from consoleapp.ui.screens.live_panels import SnippetDialog
from tests.client.conftest import server_now
from tests.sync.live import LiveServer

from .conftest import Desk, until

pytestmark = pytest.mark.dates  # the countdown and the join window follow the server's clock


def server_events(live: LiveServer, ref: str, kind: str) -> list[dict[str, Any]]:
    """The data of the server's events of one kind on one record, read from its database."""
    engine = db.create(live.settings.url)
    try:
        with db.reading(engine) as conn:
            e = schema.events.c
            rows = conn.execute(sa.select(e.data).where(e.ref == ref, e.kind == kind).order_by(e.position)).scalars()
            return [json.loads(r) for r in rows]
    finally:
        engine.dispose()


def customer_meeting(live: LiveServer, token: str, mid: str) -> dict[str, Any]:
    r = live.call(token, "GET", f"/api/meetings/{mid}")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["meeting"]
    return found


async def accepted_instant(desk: Desk) -> tuple[str, str]:
    """A customer's instant request, accepted from the console: the session runs (R6)."""
    con = desk.console
    await con.add_now_slot()
    await desk.synced()
    _, token = desk.scene.customer()
    r = desk.live.call(token, "POST", "/api/requests/instant", json={
        "expert": desk.scene.expert, "mode": "video", "offer": "short", "topic": "Quick tax question"})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    await desk.synced()
    await con.accept_instant(mid)
    await desk.synced()
    assert customer_meeting(desk.live, token, mid)["status"] == "Agreed"
    return mid, token


def open_window(desk: Desk, qtbot: Any, mid: str) -> LiveWindow:
    win = LiveWindow(desk.console, mid)
    qtbot.addWidget(win)
    win.show()
    return win


async def click_confirm(win: LiveWindow, qtbot: Any, label: str) -> None:
    await until(lambda: win.findChild(QMessageBox, "confirm") is not None, 10, "the confirmation")
    box = win.findChild(QMessageBox, "confirm")
    button = next(b for b in box.buttons() if b.text() == label)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


async def follow_clock(desk: Desk) -> None:
    """Sync until the console's clock is the server's moved one (its time header lags up to 0.5 s)."""
    async def follows() -> bool:
        await desk.synced()
        return abs((desk.console.now() - server_now(desk.live, desk.scene.op)).total_seconds()) < 2

    await until(follows, 10, "the console to follow the server's clock")


def seconds_of(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    return parts[0] * 60 + parts[1] if len(parts) == 2 else parts[0] * 3600 + parts[1] * 60 + parts[2]


def test_r19_r20_r21_countdown_warning_gift_chat_and_end(open_desk, qrun, qtbot) -> None:
    async def steps() -> None:
        desk: Desk = await open_desk()
        mid, token = await accepted_instant(desk)
        win = open_window(desk, qtbot, mid)
        await until(lambda: win.stages.currentWidget() is win.running, 10, "the running stage")

        # R19: a big countdown from the server's clock: a 15-minute package, just started
        await until(lambda: re.fullmatch(r"\d+:\d\d", win.countdown.text()) is not None, 10, "the countdown")
        assert 14 * 60 - 5 <= seconds_of(win.countdown.text()) <= 15 * 60
        assert win.count_chip.text() == "Running" and win.online_chip.text() == "Online"
        assert not win.warning.isVisible()

        # R21: a chat message, sent with Enter, reaches the server's transcript
        qtbot.keyClicks(win.chat.input, "Hello Carl, let us start")
        qtbot.keyClick(win.chat.input, Qt.Key.Key_Return)
        await until(lambda: win.chat.input.text() == "", 10, "the message to be sent")
        await until(lambda: "sending" in win.chat.transcript.toPlainText(), 10, "the message shown as being sent")
        await desk.synced()
        assert [x["text"] for x in server_events(desk.live, mid, "ChatMessagePosted")] == ["Hello Carl, let us start"]
        await until(lambda: "sending" not in win.chat.transcript.toPlainText(), 10, "the transcript from the server")
        assert "Hello Carl, let us start" in win.chat.transcript.toPlainText()

        # R19: 30 seconds before the end, a clear warning (the server's clock is moved, not waited for)
        clock = await desk.console.live_clock(mid)
        assert clock is not None
        desk.live.advance(desk.scene.op, seconds=clock.remaining_seconds - 25)
        await follow_clock(desk)
        await until(lambda: win.warning.isVisible(), 10, "the 30-second warning")
        assert "seconds left" in win.warning.text()
        assert seconds_of(win.countdown.text()) <= 30

        # R19: +2 min, once: the button is disabled after it, the warning goes away
        assert win.gift.isEnabled()
        qtbot.mouseClick(win.gift, Qt.MouseButton.LeftButton)
        await until(lambda: not win.gift.isEnabled(), 10, "the gift button to be disabled")
        await desk.synced()
        assert len(server_events(desk.live, mid, "ExtraMinutesGifted")) == 1
        await until(lambda: not win.warning.isVisible(), 10, "the warning to go")
        assert seconds_of(win.countdown.text()) > 2 * 60
        win._tick()  # a later tick keeps it disabled (the view says it was given)
        await until(lambda: not win._ticking, 10, "the tick")
        assert not win.gift.isEnabled()

        # End, with a confirmation: the server ends and bills the session (R20: a package bills its price)
        qtbot.mouseClick(win.end, Qt.MouseButton.LeftButton)
        await click_confirm(win, qtbot, "End session")
        await until(lambda: not win.end.isEnabled(), 10, "the end to be sent")
        await desk.synced()
        await until(lambda: win.stages.currentWidget() is win.ended, 10, "the ended stage")
        [ended] = server_events(desk.live, mid, "SessionEnded")
        assert ended["amount"] == 40
        assert customer_meeting(desk.live, token, mid)["status"] == "Settled"
        await until(lambda: (w := win.findChild(type(win.title), "bill-amount")) is not None and w.text() == "40 cr",
                    10, "the bill")
        assert win.findChild(type(win.title), "bill-share").text() == "36 cr"
        assert win.findChild(QPushButton, "to-history").isVisible()
        seen: list[str] = []
        win.history_requested.connect(seen.append)
        qtbot.mouseClick(win.findChild(QPushButton, "to-history"), Qt.MouseButton.LeftButton)
        assert seen == [mid]
        win.close()
        assert win._unsubscribe is None and not win.timer.isActive()

    qrun(steps())


def test_r21_file_and_snippet_are_shared_and_their_bytes_uploaded(open_desk, qrun, qtbot, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"line one\n" * 500)

    async def steps() -> None:
        desk: Desk = await open_desk()
        mid, _ = await accepted_instant(desk)
        win = open_window(desk, qtbot, mid)
        await until(lambda: win.stages.currentWidget() is win.running, 10, "the running stage")

        qtbot.mouseClick(win.files.attach, Qt.MouseButton.LeftButton)  # a non-blocking file dialog
        await until(lambda: win.findChild(QFileDialog, "attach-dialog") is not None, 10, "the file dialog")
        dialog = win.findChild(QFileDialog, "attach-dialog")
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(notes))  # typed, as a person may
        dialog.accept()
        await until(lambda: (item := win.files.list.item(0)) is not None and "notes.txt" in item.text(), 10,
                    "the file in the list")
        assert len(win.uploads) == 1 and "waiting for the server" in win.files.list.item(0).text()
        # offline (not synced yet): the bytes wait for the record to be applied
        await win.uploads.pump()
        assert len(win.uploads) == 1

        qtbot.mouseClick(win.files.snippet, Qt.MouseButton.LeftButton)
        await until(lambda: win.findChild(SnippetDialog) is not None, 10, "the snippet dialog")
        snippet = win.findChild(SnippetDialog)
        snippet.name.setText("calc.py")
        qtbot.keyClicks(snippet.code, "print(40 * 0.9)")
        box = snippet.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
        await until(lambda: len(win.uploads) == 2, 10, "the snippet's upload")

        await desk.synced()  # the records are applied: the window uploads the bytes
        await until(lambda: len(win.uploads) == 0, 20, "both uploads")
        listed = desk.live.call(desk.scene.expert_token, "GET", f"/api/meetings/{mid}/attachments").json()
        assert [(a["name"], a["kind"], a["stored"]) for a in listed["attachments"]] == [
            ("notes.txt", "file", True), ("calc.py", "snippet", True)]
        got = desk.live.call(desk.scene.expert_token, "GET",
                             f"/api/meetings/{mid}/attachments/{listed['attachments'][1]['attachment_id']}")
        assert got.content == b"print(40 * 0.9)"
        await until(lambda: "uploaded" in win.files.list.item(0).text(), 10, "the file list to say so")
        win.close()

    qrun(steps())


def test_r18_join_and_start_an_appointment_from_the_window(open_desk, qrun, qtbot) -> None:
    async def steps() -> None:
        desk: Desk = await open_desk()
        sc = desk.scene
        _, token = sc.customer()
        mid = sc.book(token)
        await desk.synced()
        await desk.console.approve_booking(mid)
        await desk.synced()
        win = open_window(desk, qtbot, mid)
        await until(lambda: win.stages.currentWidget() is win.before, 10, "the before stage")
        assert win.join.isEnabled() and win.start_button.isEnabled()

        qtbot.mouseClick(win.join, Qt.MouseButton.LeftButton)  # too early: the server refuses, and says when
        await until(lambda: desk.console.status().pending == 1, 10, "the join to be queued")
        await desk.synced()
        await until(lambda: "refused" in win.message.text(), 10, "the server's refusal in the window")
        assert "link opens at" in win.message.text()
        assert not server_events(desk.live, mid, "Attended")

        gap = (sc.slot_start - server_now(desk.live, sc.op) - timedelta(minutes=5)).total_seconds()
        desk.live.advance(sc.op, seconds=gap)  # 5 minutes before the start: the link is open (R17)
        await follow_clock(desk)
        await until(lambda: win.join.isEnabled(), 10, "join to be possible again")
        qtbot.mouseClick(win.join, Qt.MouseButton.LeftButton)
        await until(lambda: "You joined" in win.attendance.text(), 10, "the attendance")
        await desk.synced()
        [attended] = server_events(desk.live, mid, "Attended")
        assert attended["party"] == "expert"

        qtbot.mouseClick(win.start_button, Qt.MouseButton.LeftButton)
        await until(lambda: win.stages.currentWidget() is win.running, 10, "the running stage")
        await desk.synced()
        assert len(server_events(desk.live, mid, "SessionStarted")) == 1
        assert seconds_of(win.countdown.text()) > 14 * 60
        win.close()

    qrun(steps())
