"""The Upcoming sessions screen against the real server: days, both zones, join window, cancel, new times."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from consoleapp.ui import fmt, i18n, style, tasks
from consoleapp.ui.screens.meeting_parts import ReasonDialog, short_day
from consoleapp.ui.screens.upcoming import UpcomingScreen
from tests.client.conftest import push, server_now

from .conftest import until
from .test_requests import dialog, meeting, settle

pytestmark = pytest.mark.dates  # days, "Today", both zones and the join window follow the calendar

PARIS = "Europe/Paris"


def customer_in(desk: Any, zone: str, name: str = "Maya") -> tuple[str, str]:
    """A customer living in `zone`, with 200 credits."""
    r = httpx.post(f"{desk.live.url}/auth/register", json={
        "email": f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com", "password": "correct horse", "name": name,
        "role": "customer", "time_zone": zone})
    assert r.status_code == 201, r.text
    cid, token = r.json()["user_id"], r.json()["token"]
    g = desk.live.call(desk.scene.op, "POST", "/operator/grants", json={"customer": cid, "amount": 200})
    assert g.status_code == 201, g.text
    return cid, token


def agreed_meeting(desk: Any, token: str) -> str:
    mid = desk.scene.book(token)
    push(desk.live, desk.scene.expert_token, "ApproveBooking", meeting_id=mid)
    return mid


async def open_screen(desk: Any, qtbot: Any, qapp: Any) -> UpcomingScreen:
    style.apply(qapp)
    screen = UpcomingScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    await screen.refresh()
    await settle()
    return screen


def cell(screen: UpcomingScreen, row: int, title: str) -> str:
    col = [c.title for c in screen.model.columns].index(title)
    return str(screen.proxy.data(screen.proxy.index(row, col)))


async def timeline_loaded(screen: UpcomingScreen) -> list[str]:
    """The timeline's titles as the table shows them, top to bottom."""
    await until(lambda: bool(screen.card.timeline_model.rows), timeout=10, what="the timeline")
    shown = screen.card.timeline.model()
    column = len(screen.card.timeline_model.columns) - 1  # "What happened", in either language
    return [str(shown.data(shown.index(i, column))) for i in range(shown.rowCount())]


def shown_ids(screen: UpcomingScreen) -> list[str]:
    """The list's rows as the table shows them, top to bottom."""
    return [screen.proxy.row(i).id for i in range(screen.proxy.rowCount())]


def test_r17_r28_upcoming_renders_days_both_zones_and_group_events(desk, qrun, qtbot, qapp) -> None:
    _, token = customer_in(desk, "America/New_York")
    mid = agreed_meeting(desk, token)
    start = desk.scene.slot_start
    push(desk.live, desk.scene.expert_token, "CreateGroupEvent", event_id="ev-1", title="Tax basics workshop",
         start=(start + timedelta(days=1)).isoformat(), end=(start + timedelta(days=1, hours=1)).isoformat(),
         price=20, min_participants=3, max_participants=10)
    _, joiner = desk.scene.customer()
    push(desk.live, joiner, "Register", event_id="ev-1")

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        assert screen.lists.currentWidget() is screen.table
        assert [r.id for r in screen.model.rows] == shown_ids(screen) == [mid, "ev-1"]  # in time order, not by day name
        assert cell(screen, 0, "Day") == short_day(start.astimezone(fmt.zone(PARIS)).date())
        assert cell(screen, 0, "Your time").startswith(fmt.time_of(start, PARIS))
        assert cell(screen, 0, "Their time") == f"{fmt.time_of(start, 'America/New_York')} New York"
        assert cell(screen, 0, "With") == "Maya" and cell(screen, 0, "Topic") == "Tax question"
        assert cell(screen, 1, "With") == "Group: 1/10" and cell(screen, 1, "Mode") == "Group"
        assert await screen.badge() == 0  # nothing today

        screen.select(mid)
        await settle()
        assert screen.card.join_button is not None and not screen.card.join_button.isEnabled()
        assert "Opens 15 min before the start" in screen.card.join_hint.text()
        titles = await timeline_loaded(screen)
        assert titles.index("Slot booked by user") < titles.index("Approved by expert")  # in the order it happened
        screen.grab().save("/tmp/upcoming.png")

        screen.select("ev-1")
        await settle()
        regs = screen.card.findChild(QLabel, "registrations")
        assert regs is not None and regs.text() == "1 registered (min 3, max 10)"
        assert "Below the minimum" in [c.text() for c in screen.card.findChildren(QLabel, "chip")]
        assert screen.card.timeline.isHidden()
        screen.grab().save("/tmp/upcoming-event.png")
        try:  # the same screen in French: every string has its entry and its placeholders
            i18n.install("fr")
            french = await open_screen(desk, qtbot, qapp)
            french.select(mid)
            await settle()
            assert french.card.join_button is not None and french.card.join_button.text() == "Rejoindre"
            await timeline_loaded(french)
            french.grab().save("/tmp/upcoming-fr.png")
        finally:
            i18n.install("en")

    qrun(steps())


def test_r17_join_is_live_only_from_15_minutes_before_the_start(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    mid = agreed_meeting(desk, token)
    start = desk.scene.slot_start

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        screen.select(mid)
        await settle()
        join = screen.card.join_button
        assert join is not None and not join.isEnabled()
        qtbot.mouseClick(join, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.opened == []

        # the server's clock moves to 10 minutes before the start; the client hears it on its next sync
        ahead = (start - timedelta(minutes=10)) - server_now(desk.live, desk.scene.op)
        desk.live.advance(desk.scene.op, seconds=ahead.total_seconds())

        async def heard() -> bool:
            await desk.synced()
            return desk.console.now() > start - timedelta(minutes=11)

        await until(heard, timeout=10, what="the client to hear the moved clock")
        assert screen.clock.isActive() and screen.clock.interval() <= 5000  # re-checked every few seconds
        screen._tick()
        assert join.isEnabled() and "Open now" in screen.card.join_hint.text()
        qtbot.mouseClick(join, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.opened == [mid]
        today = desk.console.now().astimezone(fmt.zone(PARIS)).date()
        await screen.refresh()
        assert await screen.badge() == (1 if start.astimezone(fmt.zone(PARIS)).date() == today else 0)

    qrun(steps())


def test_r14_expert_cancels_from_upcoming_and_the_customer_gets_everything_back(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    mid = agreed_meeting(desk, token)

    async def steps() -> None:
        await desk.synced()
        assert desk.live.call(token, "GET", "/api/wallet").json()["available"] == 160
        screen = await open_screen(desk, qtbot, qapp)
        screen.select(mid)
        await settle()
        qtbot.mouseClick(screen.card.cancel_button, Qt.MouseButton.LeftButton)
        box: ReasonDialog = await dialog(screen, ReasonDialog, "reason-dialog")
        assert not box.ok.isEnabled()  # a reason first
        qtbot.keyClicks(box.text, "I am ill")
        assert box.ok.isEnabled()
        qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert screen.model.rows == [] and screen.lists.currentWidget() is screen.empty
        await desk.synced()
        found = meeting(desk, token, mid)["meeting"]
        assert (found["status"], found["payment"]) == ("Cancelled", "Returned")
        assert desk.live.call(token, "GET", "/api/wallet").json()["available"] == 200
        assert not desk.ctx.errors

    qrun(steps())


def test_r15_r16_reject_the_customers_new_time_then_propose_another(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    mid = agreed_meeting(desk, token)
    theirs = desk.scene.slot_start + timedelta(hours=2)
    mine = (desk.scene.slot_start + timedelta(days=1)).replace(second=0, microsecond=0)

    async def steps() -> None:
        r = desk.live.call(token, "POST", f"/api/meetings/{mid}/reschedule", json={"start": theirs.isoformat()})
        assert r.status_code == 200, r.text
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        screen.select(mid)
        await settle()
        screen.grab().save("/tmp/upcoming-alternative.png")
        qtbot.mouseClick(screen.card.findChild(QWidget, "reject-alternative"), Qt.MouseButton.LeftButton)
        box: ReasonDialog = await dialog(screen, ReasonDialog, "reason-dialog")
        qtbot.keyClicks(box.text, "Fully booked that afternoon")
        qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
        await tasks.idle()
        await desk.synced()
        found = meeting(desk, token, mid)
        assert found["meeting"]["alternative"] is None and found["meeting"]["status"] == "Agreed"
        assert "Rejected alternate date by expert" in [t["title"] for t in found["timeline"]]

        await screen.refresh()
        await settle()
        assert screen.card.picker is not None
        screen.card.picker.show_moment(mine, screen.zone)
        qtbot.mouseClick(screen.card.findChild(QWidget, "propose"), Qt.MouseButton.LeftButton)
        await tasks.idle()
        await desk.synced()
        alternative = meeting(desk, token, mid)["meeting"]["alternative"]
        assert alternative["by"] == "expert" and datetime.fromisoformat(alternative["start"]) == mine
        await screen.refresh()
        await settle()
        assert screen.card.findChild(QWidget, "withdraw-alternative") is not None
        assert not desk.ctx.errors

    qrun(steps())


def test_r17_join_stays_live_until_the_link_closes_an_hour_after_the_end(desk, qrun, qtbot, qapp) -> None:
    """The engine's window runs until 60 min after the end: the desktop once hid Join at the end."""
    _, token = desk.scene.customer()
    mid = agreed_meeting(desk, token)

    async def moved_to(moment: datetime) -> None:
        desk.live.advance(desk.scene.op, seconds=(moment - server_now(desk.live, desk.scene.op)).total_seconds())

        async def heard() -> bool:
            await desk.synced()
            return desk.console.now() >= moment - timedelta(seconds=30)

        await until(heard, timeout=10, what="the client to hear the moved clock")

    async def steps() -> None:
        await desk.synced()
        m = desk.console.meeting(mid)
        assert m is not None and m.end is not None
        await moved_to(m.end + timedelta(minutes=30))
        screen = await open_screen(desk, qtbot, qapp)
        assert mid in shown_ids(screen)
        screen.select(mid)
        await settle()
        join = screen.card.join_button
        assert join is not None and join.isEnabled() and "Open now" in screen.card.join_hint.text()
        assert screen.join_open()

        await moved_to(m.end + timedelta(minutes=61))
        await screen.refresh()
        await settle()
        assert mid not in shown_ids(screen) and not screen.join_open()

    qrun(steps())
