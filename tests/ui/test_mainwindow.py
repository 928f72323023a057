"""The whole window on a real server: screens, badges, status bar, notifications, offline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QMainWindow, QPushButton, QTableView

from consoleapp.ui import tasks
from consoleapp.ui.issues import IssuesDialog
from consoleapp.ui.mainwindow import MainWindow
from tests.client.conftest import log_of, push

from .conftest import until


def _window(desk, settings, qtbot) -> MainWindow:
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _instant(desk, token: str, topic: str = "Urgent VAT question") -> str:
    r = desk.live.call(token, "POST", "/api/requests/instant", json={
        "expert": desk.scene.expert, "mode": "video", "offer": "short", "topic": topic})
    assert r.status_code == 201, r.text
    return str(r.json()["meeting"]["id"])


@pytest.mark.dates  # badges count today's sessions
def test_window_paints_its_frame_first_then_every_screen_fills_from_the_cache(desk, settings, qtbot, qrun) -> None:
    window = _window(desk, settings, qtbot)
    assert window.loading.isVisible() and not window.sidebar.isEnabled()

    async def steps() -> None:
        window.attach(desk.console)
        for key in window.screens:
            window.show_screen(key)
            await tasks.idle()
            assert window.current_screen() is window.screens[key]
        assert window.messages.history == [], window.messages.history  # no screen reported an error

    qrun(steps())
    assert window.sidebar.isEnabled() and window.sidebar.count() == len(window.screens) == 7


def test_r35_instant_request_pops_up_and_is_accepted_from_the_notification(open_desk, settings, qtbot, qrun) -> None:
    async def steps() -> None:
        desk = await open_desk(start=True)
        push(desk.live, desk.scene.expert_token, "AddSlot", slot_id="now-1", start=None)
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        await tasks.idle()
        await until(lambda: window.notifier.seen >= 0, what="the first notification read (old ones are history)")
        _, token = desk.scene.customer(credits=500)
        mid = _instant(desk, token)

        def accept_button() -> QPushButton | None:
            found = [b for b in window.findChildren(QPushButton, "toast-accept") if b.isVisible()]
            return found[0] if found else None

        await until(lambda: accept_button() is not None, what="the toast with Accept")
        assert window.badge_of("requests") == 1
        qtbot.mouseClick(accept_button(), Qt.MouseButton.LeftButton)
        await until(lambda: mid in window.live_windows, what="the live window of the accepted request")
        await until(lambda: desk.console.status().pending == 0, what="the accept sent")
        r = desk.live.call(token, "GET", f"/api/meetings/{mid}")
        assert r.json()["meeting"]["status"] == "Agreed", r.text
        assert r.json()["meeting"]["live"] is not None  # R6: accepting starts the session
        await until(lambda: window.badge_of("requests") == 0, what="the badge cleared")

    qrun(steps())


def test_offline_act_reconnect_and_the_change_is_applied(open_desk, settings, qtbot, qrun, restart) -> None:
    async def steps() -> None:
        desk = await open_desk(start=True)
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        window.show_screen("availability")
        await tasks.idle()
        await until(lambda: "Online" in window.sync_label.text(), what="online in the status bar")
        desk.live.stop()
        await until(lambda: "Offline" in window.sync_label.text(), what="offline in the status bar")
        qtbot.mouseClick(window.findChild(QPushButton, "now-slot"), Qt.MouseButton.LeftButton)
        await until(lambda: desk.console.status().pending == 1, what="the Now slot queued")
        await until(lambda: "1 change waiting to be sent" in window.sync_label.text(), what="pending shown")
        back = restart(desk.live)
        await until(lambda: desk.console.status().pending == 0, timeout=60, what="the queued slot sent")
        await until(lambda: "Online" in window.sync_label.text(), what="online again")
        added = [ref for kind, ref in log_of(back) if kind == "SlotAdded"]
        assert len(added) == 2 and "slot-1" in added, added  # the scene's slot and the Now slot, once

    qrun(steps())


def test_a_refused_command_shows_in_the_not_applied_list(open_desk, settings, qtbot, qrun) -> None:
    async def steps() -> None:
        desk = await open_desk(start=False)
        cid, token = desk.scene.customer()
        mid = desk.scene.book(token)
        await desk.synced()
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        await tasks.idle()
        # While this desktop is not syncing, the customer cancels; the expert approves here.
        r = desk.live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "found someone else"})
        assert r.status_code == 200, r.text
        await desk.console.approve_booking(mid)
        assert desk.console.status().pending == 1
        await desk.synced()
        await until(lambda: window.issues_button.isVisible(), what="'1 not applied' in the status bar")
        assert window.issues_button.text() == "1 not applied"
        window.open_issues()
        dialog = window.findChild(IssuesDialog)
        await tasks.idle()
        view = dialog.findChild(QTableView)
        assert view.model().rowCount() == 1
        reason = view.model().index(0, 2).data()
        assert "cancel" in reason.lower(), reason
        qtbot.mouseClick(dialog.findChild(QPushButton, "dismiss"), Qt.MouseButton.LeftButton)
        await until(lambda: not window.issues_button.isVisible(), what="the issue dismissed")
        dialog.close()

    qrun(steps())


def test_layout_and_last_screen_are_kept_between_runs(desk, settings, qtbot, qrun) -> None:
    async def steps() -> None:
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        window.resize(1200, 820)
        window.show_screen("earnings")
        await tasks.idle()
        window.close()
        again = _window(desk, settings, qtbot)
        again.attach(desk.console)
        await tasks.idle()
        assert again.current_screen().key == "earnings"
        # The offscreen platform clamps restored sizes to its small screen: check what was kept.
        saved = settings.value("window/geometry")
        assert isinstance(saved, QByteArray) and not saved.isEmpty()
        assert QMainWindow().restoreGeometry(saved)
        again.close()

    qrun(steps())


def test_r35_old_notifications_do_not_pop_up_at_first_start(open_desk, settings, qtbot, qrun) -> None:
    async def steps() -> None:
        desk = await open_desk(start=False)
        _, token = desk.scene.customer()
        start = desk.scene.slot_start + timedelta(hours=1)
        r = desk.live.call(token, "POST", "/api/requests/scheduled", json={
            "expert": desk.scene.expert, "mode": "video", "offer": "short", "topic": "Old news",
            "times": [start.isoformat()]})
        assert r.status_code == 201, r.text
        await desk.synced()
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        await tasks.idle()
        await until(lambda: window.notifier.seen > 0, what="notifications read")
        assert not [b for b in window.findChildren(QPushButton) if b.objectName().startswith("toast-")]

    qrun(steps())


def test_r8_one_click_works_out_the_request_list_once(desk, settings, qtbot, qrun, monkeypatch) -> None:
    """The screen that sent a command, the window told of the change and the sidebar's badge all
    read the list: it is worked out once for the new state, not three times."""
    _, token = desk.scene.customer()
    mid = desk.scene.book(token)
    walks: list[int] = []
    real = desk.console._waiting

    def counted(world):  # the real walk, counted
        walks.append(1)
        return real(world)

    async def steps() -> None:
        await desk.synced()
        window = _window(desk, settings, qtbot)
        window.attach(desk.console)
        window.show_screen("requests")
        await until(lambda: window.badge_of("requests") == 1, what="the booking on the badge")
        screen = window.screens["requests"]
        screen.select(mid)
        await tasks.idle()
        monkeypatch.setattr(desk.console, "_waiting", counted)
        qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
        await until(lambda: window.badge_of("requests") == 0 and not screen.model.rows, what="the list emptied")
        await until(lambda: not window._flush.isActive(), what="the window told of the change")
        await tasks.idle()
        assert len(walks) == 1, f"the list was worked out {len(walks)} times for one click"

    qrun(steps())
