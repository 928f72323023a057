"""Availability & offers (R3, R4, R28) against the real server, clicked and dragged with qtbot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMessageBox

from consoleapp.engine.model import Mode, OfferKind
from consoleapp.engine.policy import Policy
from consoleapp.sync.client.accounts import Session
from consoleapp.sync.client.cache import Cache
from consoleapp.sync.client.sync import SyncClient
from consoleapp.ui import style, tasks
from consoleapp.ui.screens.availability import AvailabilityScreen
from consoleapp.ui.screens.availability_forms import EventDialog, SlotDialog
from consoleapp.ui.screens.weekview import HOUR
from consoleapp.ui.workspace import Workspace
from tests.client.conftest import count, scene, server_now
from tests.sync.live import LiveServer

from .conftest import TestContext, until

pytestmark = pytest.mark.dates  # week columns, "Now" and slots in the expert's zone follow the calendar

PARIS = "Europe/Paris"


def open_screen(desk: Any, qtbot: Any) -> AvailabilityScreen:
    style.apply(QApplication.instance())  # type: ignore[arg-type]
    screen = AvailabilityScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 800)
    screen.show()
    return screen


def public_slots(desk: Any) -> list[dict[str, Any]]:
    """The expert's future slots as the server shows them to customers."""
    r = desk.live.call("", "GET", f"/api/experts/{desk.scene.expert}")
    assert r.status_code == 200, r.text
    return list(r.json()["free_slots"])


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(PARIS))


async def show_day(screen: AvailabilityScreen, moment: datetime, minutes: int) -> int:
    """Show the week of `moment`, scrolled to `minutes` of the day; the day's column index."""
    day = local(moment).date()
    await screen.show_week(day)
    QApplication.processEvents()
    screen.week.scroll.verticalScrollBar().setValue(int(minutes * HOUR / 60) - 40)
    QApplication.processEvents()
    return day.weekday()


def drag(qtbot: Any, widget: Any, a: QPoint, b: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=a)
    steps = 4
    for i in range(1, steps + 1):
        qtbot.mouseMove(widget, QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=b)


def test_r4_week_view_paints_the_scenes_slot_from_the_cache(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        column = await show_day(screen, desk.scene.slot_start, local(desk.scene.slot_start).hour * 60)
        grid = screen.week.grid
        assert [i.slot.id for i in screen.items] == ["slot-1"]
        rect = grid.slot_rect("slot-1")
        assert not rect.isEmpty()
        assert int(rect.center().x() - 56) // int(grid.column_width()) == column  # the slot's own day
        start = local(desk.scene.slot_start)
        assert abs(rect.top() - (start.hour * 60 + start.minute) * HOUR / 60) <= 2
        image = grid.grab().toImage()
        inside = image.pixelColor(int(rect.left() + 4), int(rect.center().y()))
        assert inside == QColor("#ccfbf1"), inside.name()  # painted as a (confirmed) slot
        screen.grab().save("/tmp/availability-week.png")

    qrun(steps())


def test_r4_add_a_slot_with_its_own_prices_by_the_form(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)
    day = local(desk.scene.slot_start).date() + timedelta(days=1)

    async def steps() -> None:
        await screen.refresh()
        qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
        await until(lambda: isinstance(screen._dialog, SlotDialog), what="the slot form")
        form = screen._dialog
        assert isinstance(form, SlotDialog)
        form.day.setDate(form.day.date().fromString(day.isoformat(), "yyyy-MM-dd"))
        form.start.setTime(form.start.time().fromString("09:30", "HH:mm"))
        form.end.setTime(form.end.time().fromString("12:00", "HH:mm"))
        form.own.setChecked(True)
        form.prices[(Mode.VIDEO, OfferKind.PER_MINUTE)].setValue(3)
        ok = next(b for b in form.findChildren(type(screen.add_button)) if b.objectName() == "ok")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        added = [i for i in screen.items if i.slot.id != "slot-1"]
        assert len(added) == 1 and added[0].pending
        await desk.synced()
        (new,) = [s for s in public_slots(desk) if s["slot_id"] == added[0].slot.id]
        assert local(at(new["start"])).replace(tzinfo=None) == datetime(day.year, day.month, day.day, 9, 30)
        assert local(at(new["end"])).strftime("%H:%M") == "12:00"
        assert [(o["mode"], o["kind"], o["price"]) for o in new["offers"]] == [("video", "per_minute", 3)]

    qrun(steps())


def test_r4_add_a_slot_by_dragging_on_empty_space(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)
    target = desk.scene.slot_start + timedelta(days=1)

    async def steps() -> None:
        column = await show_day(screen, target, 9 * 60)
        grid = screen.week.grid
        drag(qtbot, grid, grid.point_at(column, 9 * 60), grid.point_at(column, 11 * 60 + 30))
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        await desk.synced()
        day = local(target).date()
        starts = [local(at(s["start"])).replace(tzinfo=None) for s in public_slots(desk)]
        assert datetime(day.year, day.month, day.day, 9, 0) in starts
        (new,) = [s for s in public_slots(desk) if s["slot_id"] != "slot-1"]
        assert at(new["end"]) - at(new["start"]) == timedelta(hours=2, minutes=30)

    qrun(steps())


def test_r4_move_a_slot_by_dragging_it_snaps_to_15_minutes(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)
    start = desk.scene.slot_start  # 10:00 in Paris: the drag stays inside its day

    async def steps() -> None:
        await show_day(screen, start, local(start).hour * 60 + local(start).minute)
        grid = screen.week.grid
        rect = grid.slot_rect("slot-1")
        a = QPoint(int(rect.center().x()), int(rect.top() + 20))
        drag(qtbot, grid, a, QPoint(a.x(), a.y() + HOUR * 64 // 60))  # about 64 minutes later
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        await desk.synced()
        (slot,) = public_slots(desk)
        moved = at(slot["start"])
        assert moved.minute % 15 == 0 and moved.second == 0  # on the quarter hour
        assert local(moved).strftime("%H:%M") in ("11:00", "11:15")
        assert at(slot["end"]) - moved == timedelta(hours=4)  # the length is kept

    qrun(steps())


def test_r4_delete_refused_while_booked_then_deleted_with_confirm(desk, qtbot, qrun) -> None:
    customer, token = desk.scene.customer()
    desk.scene.book(token)
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await desk.synced()
        await show_day(screen, desk.scene.slot_start, local(desk.scene.slot_start).hour * 60)
        grid = screen.week.grid
        (item,) = screen.items
        assert len(item.bookings) == 1  # the booking is drawn inside the slot
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.slot_rect("slot-1").center().toPoint())
        assert grid.selected == "slot-1" and screen.delete_button.isEnabled()
        qtbot.keyClick(grid, Qt.Key.Key_Delete)
        await tasks.idle()
        assert desk.ctx.errors == ["Meetings are booked in this slot; cancel or reject them first"]
        assert screen.findChild(QMessageBox, "confirm") is None

        # a free slot later the same day (so in the week shown, whatever the weekday) goes, once confirmed
        day = local(desk.scene.slot_start).date()
        begin = datetime(day.year, day.month, day.day, 16, tzinfo=ZoneInfo(PARIS))
        sid = await desk.console.add_slot(begin, begin + timedelta(hours=1))
        await desk.synced()
        assert sid in {s["slot_id"] for s in public_slots(desk)}
        await screen.refresh()
        grid.select(sid)
        qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
        await until(lambda: screen.findChild(QMessageBox, "confirm") is not None, what="the confirmation")
        box = screen.findChild(QMessageBox, "confirm")
        yes = next(b for b in box.buttons() if b.text() == "Delete slot")
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert len(desk.ctx.errors) == 1
        await desk.synced()
        assert {s["slot_id"] for s in public_slots(desk)} == {"slot-1"}

    qrun(steps())


def test_r4_now_makes_a_slot_from_now_for_three_hours(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        assert screen.now_button.text() == "Now (3 h)"
        qtbot.mouseClick(screen.now_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        (mine,) = [i for i in screen.items if i.slot.id != "slot-1"]
        assert mine.pending and screen.week.grid.selected == mine.slot.id
        await desk.synced()
        now = server_now(desk.live, desk.scene.op)
        (slot,) = [s for s in public_slots(desk) if s["slot_id"] == mine.slot.id]
        assert at(slot["end"]) - at(slot["start"]) == timedelta(hours=3)
        assert abs((at(slot["start"]) - now).total_seconds()) < 120

    qrun(steps())


def test_r28_create_a_group_event_by_the_form(desk, qtbot, qrun) -> None:
    screen = open_screen(desk, qtbot)

    async def steps() -> None:
        await screen.refresh()
        assert screen.events.stack.currentWidget() is screen.events.empty
        qtbot.mouseClick(screen.events.new_button, Qt.MouseButton.LeftButton)
        await until(lambda: isinstance(screen._dialog, EventDialog), what="the event form")
        form = screen._dialog
        qtbot.keyClicks(form.title, "Tax return workshop")
        form.price.setValue(25)
        form.minimum.setValue(3)
        form.maximum.setValue(12)
        ok = next(b for b in form.findChildren(type(screen.add_button)) if b.objectName() == "ok")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert not desk.ctx.errors, desk.ctx.errors
        (row,) = screen.events.model.rows
        assert row.title == "Tax return workshop" and row.pending
        assert screen.tabs.currentWidget() is screen.events
        await desk.synced()
        assert count(desk.live, "GroupEventCreated", row.id) == 1
        await screen.refresh()
        (row,) = screen.events.model.rows
        assert not row.pending and row.event.price == 25 and row.event.max_participants == 12

    qrun(steps())


# --- offers, on a deployment with minimum prices -------------------------------------------------

POLICY = {"min_rate": {"video": 5, "chat": 2, "phone": 3}, "min_package": {"video": 20, "chat": 10, "phone": 15}}


@pytest.fixture
def priced_live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "priced", env={"CONSOLEAPP_POLICY": json.dumps(POLICY)}).start()
    try:
        yield server
    finally:
        server.stop()


def test_r3_offers_below_the_minimum_are_refused_with_the_engines_message(priced_live, tmp_path, settings,
                                                                            qtbot, qrun) -> None:
    sc = scene(priced_live)
    policy = Policy.from_mapping(POLICY)

    async def steps() -> None:
        http = httpx.AsyncClient(timeout=30)
        session = Session(priced_live.url, "anna@example.com", sc.expert, "expert", sc.expert_token)
        cache = Cache.open(tmp_path / "priced.sqlite3", priced_live.url, sc.expert, policy)
        ws = Workspace(session, cache, SyncClient(cache, priced_live.url, sc.expert_token, http, backoff=(0.05, 0.5)))
        try:
            await ws.sync.sync_once()
            ctx = TestContext(ws.console, settings)
            style.apply(QApplication.instance())  # type: ignore[arg-type]
            screen = AvailabilityScreen(ws.console, ctx)
            qtbot.addWidget(screen)
            screen.resize(1100, 700)
            screen.show()
            await screen.refresh()
            screen.tabs.setCurrentWidget(screen.offers)
            boxes = screen.offers.boxes
            assert boxes[Mode.VIDEO]["short_price"].value() == 40 and boxes[Mode.VIDEO]["long_price"].value() == 70
            assert screen.offers.floors[Mode.VIDEO].text() == "5 cr/min · 20 cr per package"
            screen.grab().save("/tmp/availability-offers.png")

            boxes[Mode.VIDEO]["per_minute"].setValue(4)  # under the video minimum of 5
            boxes[Mode.CHAT]["per_minute"].setValue(2)  # fine on its own
            qtbot.mouseClick(screen.offers.save_button, Qt.MouseButton.LeftButton)
            await tasks.idle()
            assert ctx.errors == ["The video per-minute price must be at least 5 credits"]
            assert await ws.console.pending_commands() == []  # nothing queued, not even the chat price
            offers = await ws.console.offers()
            assert {(o.kind.value, o.price) for o in offers[Mode.VIDEO]} == {
                ("per_minute", 0), ("short", 40), ("long", 70)}
            assert offers[Mode.CHAT] == ()
            assert boxes[Mode.VIDEO]["per_minute"].value() == 4  # the person's edit stays to be fixed

            boxes[Mode.VIDEO]["per_minute"].setValue(6)
            qtbot.mouseClick(screen.offers.save_button, Qt.MouseButton.LeftButton)
            await tasks.idle()
            assert len(ctx.errors) == 1
            assert screen.offers.chips[Mode.VIDEO].isVisibleTo(screen.offers)  # pending until synced
            await ws.sync.sync_once()
            r = priced_live.call("", "GET", f"/api/experts/{sc.expert}")
            live_offers = {(o["mode"], o["kind"], o["price"]) for o in r.json()["offers"]}
            assert live_offers == {("video", "per_minute", 6), ("video", "short", 40), ("video", "long", 70),
                                   ("chat", "per_minute", 2)}
            await screen.refresh()
            assert not screen.offers.chips[Mode.VIDEO].isVisibleTo(screen.offers)
        finally:
            await ws.close()
            await http.aclose()

    qrun(steps())
