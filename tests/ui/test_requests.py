"""The New requests screen against the real server: instant, scheduled, booking and moved meetings."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from consoleapp.engine.model import DeclineReason
from consoleapp.ui import fmt, i18n, style, tasks
from consoleapp.ui.models import ROW_ROLE
from consoleapp.ui.screens.meeting_parts import ReasonDialog
from consoleapp.ui.screens.requests import RequestsScreen
from tests.client.conftest import push

from .conftest import until

pytestmark = pytest.mark.dates  # proposed times in two zones, countdowns and expiry follow the clock


def meeting(desk: Any, token: str, mid: str) -> dict[str, Any]:
    r = desk.live.call(token, "GET", f"/api/meetings/{mid}")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()
    return found


def scheduled(desk: Any, token: str, times: list[datetime], topic: str = "Contract review") -> str:
    r = desk.live.call(token, "POST", "/api/requests/scheduled", json={
        "expert": desk.scene.expert, "mode": "video", "offer": "short", "topic": topic,
        "times": [t.isoformat() for t in times]})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    return mid


async def open_screen(desk: Any, qtbot: Any, qapp: Any) -> RequestsScreen:
    style.apply(qapp)
    screen = RequestsScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    await screen.refresh()
    await settle()
    return screen


async def dialog(screen: QWidget, kind: type, name: str) -> Any:
    """The visible dialog of that kind and name the screen opened (it opens without blocking)."""
    found: list[Any] = []

    def shown() -> bool:
        found[:] = [w for w in screen.findChildren(kind) if w.objectName() == name and w.isVisible()]
        return bool(found)

    await until(shown, timeout=10, what=f"the {name} dialog")
    return found[0]


def click_text(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text() == text)
    button.click()


async def settle() -> None:
    """Let Qt show and lay out what was just built (it does so from queued events)."""
    await asyncio.sleep(0.05)


async def select(screen: RequestsScreen, mid: str) -> None:
    screen.select(mid)
    assert screen.card.item is not None and screen.card.item.id == mid
    await settle()


def test_r6_r7_r8_requests_render_from_a_real_cache(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    _, other = desk.scene.customer()

    async def steps() -> None:
        empty = await open_screen(desk, qtbot, qapp)
        assert empty.lists.currentWidget() is empty.empty and await empty.badge() == 0
        booked = desk.scene.book(token)
        asked = scheduled(desk, other, [desk.scene.slot_start + timedelta(hours=2),
                                        desk.scene.slot_start + timedelta(days=1)])
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        assert screen.lists.currentWidget() is screen.table
        assert await screen.badge() == 2
        rows = {screen.proxy.row(i).id: screen.proxy.row(i).category for i in range(screen.proxy.rowCount())}
        assert rows == {booked: "booking", asked: "scheduled"}
        shown = [screen.proxy.row(i).id for i in range(screen.proxy.rowCount())]
        assert shown == [r.id for r in screen.model.rows]  # the Console's order, not sorted by a column
        cells = [screen.proxy.data(screen.proxy.index(i, c)) for i in range(2) for c in range(5)]
        assert "Carl" in cells and "Contract review" in cells and fmt.credits(40) in cells
        await select(screen, asked)
        # both proposed times offered, in the expert's zone and the customer's
        choices = [screen.card.findChild(QWidget, f"time-{i}") for i in range(2)]
        assert all(c is not None for c in choices)
        first = fmt.when(desk.scene.slot_start + timedelta(hours=2), "Europe/Paris")
        assert choices[0].text().startswith(first) and choices[0].isChecked()
        screen.grab().save("/tmp/requests.png")
        try:  # the same screen in French: every string has its entry and its placeholders
            i18n.install("fr")
            french = await open_screen(desk, qtbot, qapp)
            await select(french, asked)
            assert french.card.primary_button.text() == "Choisir cet horaire"
            french.grab().save("/tmp/requests-fr.png")
        finally:
            i18n.install("en")

    qrun(steps())


async def instant_request(desk: Any, token: str) -> str:
    """The customer asks the expert now (the expert opens a "Now" slot first); synced; its id."""
    await desk.console.add_now_slot()  # instant requests need an open slot (R4, R6)
    await desk.synced()
    r = desk.live.call(token, "POST", "/api/requests/instant", json={
        "expert": desk.scene.expert, "mode": "video", "offer": "short", "topic": "Quick one"})
    assert r.status_code == 201, r.text
    await desk.synced()
    return str(r.json()["meeting"]["id"])


def test_r6_instant_request_counts_down_and_is_accepted_by_a_click(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()

    async def steps() -> None:
        mid = await instant_request(desk, token)
        screen = await open_screen(desk, qtbot, qapp)
        (item,) = screen.model.rows
        assert item.category == "instant" and screen.ticker.isActive()
        cell = screen.proxy.data(screen.proxy.index(0, 1))
        assert re.fullmatch(r"1?:?\d{1,2}:\d\d left", cell), cell
        before = screen.left(item)
        assert before is not None and 60 < before <= 90
        assert screen.card.countdown is not None and screen.card.countdown.text() == fmt.countdown(before)
        screen._loaded_at -= 5  # five seconds pass: the local tick moves both countdowns
        screen._tick()
        assert screen.card.countdown.text() == fmt.countdown(before - 5)
        assert screen.proxy.data(screen.proxy.index(0, 1)) == f"{fmt.countdown(before - 5)} left"
        screen.grab().save("/tmp/requests-instant.png")

        qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert desk.ctx.opened == [mid]
        assert screen.model.rows == [] and screen.lists.currentWidget() is screen.empty
        await desk.synced()
        found = meeting(desk, token, mid)["meeting"]
        assert found["status"] == "Agreed" and found["live"] is not None  # R6: the session started
        assert not desk.ctx.errors

    qrun(steps())


def test_r7_r10_picking_an_overlapping_time_warns_and_the_expert_may_go_back_or_confirm(desk, qrun, qtbot,
                                                                                       qapp) -> None:
    _, first = desk.scene.customer()
    _, second = desk.scene.customer()
    start = desk.scene.slot_start
    agreed = desk.scene.book(first)  # "Tax question" at the slot's start, 15 min
    push(desk.live, desk.scene.expert_token, "ApproveBooking", meeting_id=agreed)
    asked = scheduled(desk, second, [start + timedelta(minutes=5), start + timedelta(hours=2)])

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        await select(screen, asked)
        choice = screen.card.findChild(QWidget, "time-1")
        qtbot.mouseClick(choice, Qt.MouseButton.LeftButton)
        assert screen.card.chosen_time() == start + timedelta(hours=2)
        qtbot.mouseClick(screen.card.findChild(QWidget, "time-0"), Qt.MouseButton.LeftButton)
        assert screen.card.chosen_time() == start + timedelta(minutes=5)

        qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
        box = await dialog(screen, QMessageBox, "confirm")
        assert "Tax question" in box.text()  # R10: the overlapping agreed meeting, by name
        box.grab().save("/tmp/requests-overlap.png")
        click_text(box, "Go back")
        await tasks.idle()
        assert desk.console.status().pending == 0  # nothing was sent
        assert meeting(desk, second, asked)["meeting"]["status"] == "Awaiting approval"

        qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
        box = await dialog(screen, QMessageBox, "confirm")
        click_text(box, "Confirm anyway")  # a warning, never a refusal
        await tasks.idle()
        assert asked not in [r.id for r in screen.model.rows]
        await desk.synced()
        found = meeting(desk, second, asked)["meeting"]
        assert found["status"] == "Agreed"
        assert datetime.fromisoformat(found["start"]) == start + timedelta(minutes=5)
        assert not desk.ctx.errors

    qrun(steps())


def test_r7_decline_with_a_reason_from_the_list(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    asked = scheduled(desk, token, [desk.scene.slot_start + timedelta(hours=1)])

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        await select(screen, asked)
        qtbot.mouseClick(screen.card.decline_button, Qt.MouseButton.LeftButton)
        box: ReasonDialog = await dialog(screen, ReasonDialog, "reason-dialog")
        labels = [box.choice.itemText(i) for i in range(box.choice.count())]
        assert "Outside my expertise" in labels and len(labels) == len(DeclineReason)
        box.choice.setCurrentIndex(labels.index("Outside my expertise"))
        qtbot.mouseClick(box.ok, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert screen.model.rows == []
        await desk.synced()
        found = meeting(desk, token, asked)
        assert found["meeting"]["status"] == "Rejected"
        assert any("outside my expertise" in t["title"] for t in found["timeline"])
        wallet = desk.live.call(token, "GET", "/api/wallet").json()
        assert wallet["available"] == 200  # the hold was voided
        assert ("Request from Carl declined.", False) in desk.ctx.messages

    qrun(steps())


def test_r7_r16_proposing_another_time_looks_pending_until_the_server_has_it(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    asked = scheduled(desk, token, [desk.scene.slot_start + timedelta(hours=1)])
    other_time = (desk.scene.slot_start + timedelta(days=2)).replace(second=0, microsecond=0)

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        await select(screen, asked)
        assert screen.card.picker is not None
        screen.card.picker.show_moment(other_time, screen.zone)
        qtbot.mouseClick(screen.card.findChild(QWidget, "propose-action"), Qt.MouseButton.LeftButton)
        await tasks.idle()
        (row,) = screen.model.rows
        assert row.pending  # in the outbox: drawn as not yet on the server
        assert screen.proxy.data(screen.proxy.index(0, 0), Qt.ItemDataRole.FontRole).italic()
        assert screen.card.findChild(QWidget, "withdraw-action") is not None
        await desk.synced()
        await screen.refresh()
        assert not screen.proxy.data(screen.proxy.index(0, 0), ROW_ROLE).pending
        alternative = meeting(desk, token, asked)["meeting"]["alternative"]
        assert datetime.fromisoformat(alternative["start"]) == other_time

    qrun(steps())


def test_r8_r15_booking_approved_with_the_a_key_and_a_moved_meeting_approved(desk, qrun, qtbot, qapp) -> None:
    _, token = desk.scene.customer()
    booked = desk.scene.book(token)
    new_time = desk.scene.slot_start + timedelta(hours=3)

    async def steps() -> None:
        await desk.synced()
        screen = await open_screen(desk, qtbot, qapp)
        await select(screen, booked)
        screen.activateWindow()
        screen.table.setFocus()
        await asyncio.sleep(0.05)
        qtbot.keyClick(screen.table, Qt.Key.Key_A)
        await tasks.idle()
        await desk.synced()
        assert meeting(desk, token, booked)["meeting"]["status"] == "Agreed"

        r = desk.live.call(token, "POST", f"/api/meetings/{booked}/reschedule", json={"start": new_time.isoformat()})
        assert r.status_code == 200, r.text
        await desk.synced()
        await screen.refresh()
        (item,) = screen.model.rows
        assert item.category == "alternative" and item.times == (new_time,)
        moved = screen.card.findChild(QWidget, "booked-time")
        assert moved is not None and moved.text().startswith(fmt.when(new_time, "Europe/Paris"))
        qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
        await tasks.idle()
        await desk.synced()
        assert datetime.fromisoformat(meeting(desk, token, booked)["meeting"]["start"]) == new_time
        assert not desk.ctx.errors

    qrun(steps())


async def accept_withdrawn_request(desk: Any, qtbot: Any, qapp: Any) -> tuple[RequestsScreen, str]:
    """An instant request the customer withdraws while this desktop is not syncing, then the
    expert's "Accept and start" on it (sent, not yet answered); the screen and the meeting's id."""
    _, token = desk.scene.customer()
    mid = await instant_request(desk, token)
    screen = await open_screen(desk, qtbot, qapp)
    r = desk.live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "sorted it out"})
    assert r.status_code == 200, r.text
    qtbot.mouseClick(screen.card.primary_button, Qt.MouseButton.LeftButton)
    await tasks.idle()
    assert screen._watched and not desk.ctx.errors
    return screen, mid


def test_r6_a_refused_accept_and_start_is_said_on_the_requests_screen(desk, qrun, qtbot, qapp) -> None:
    async def steps() -> None:
        screen, mid = await accept_withdrawn_request(desk, qtbot, qapp)
        assert desk.ctx.opened == [mid]
        await desk.synced()  # the server refuses the accept
        await until(lambda: bool(desk.ctx.errors), timeout=10, what="the refusal said on the screen")
        (said,) = desk.ctx.errors
        assert "request could not be accepted: " in said and "cancel" in said.lower(), said
        assert not screen._watched and screen._unwatch is None  # answered: no longer watched

    qrun(steps())


def test_r6_a_refusal_landing_between_the_screens_two_reads_is_still_said(desk, qrun, qtbot, qapp,
                                                                         monkeypatch) -> None:
    """The screen asks whether the accept still waits and what became of it: the server's answer
    landing between those two reads (a sync finishing while a busy machine runs the check) must
    still be said, not taken for "applied"."""

    async def steps() -> None:
        screen, _ = await accept_withdrawn_request(desk, qtbot, qapp)
        real = desk.console.refusal

        async def then_the_answer_lands(seq: int) -> Any:
            found = await real(seq)
            monkeypatch.setattr(desk.console, "refusal", real)
            await desk.synced()  # the server refuses the accept right after this read
            return found

        monkeypatch.setattr(desk.console, "refusal", then_the_answer_lands)
        await screen._check_watched()
        await desk.synced()
        await until(lambda: bool(desk.ctx.errors), timeout=10, what="the refusal said on the screen")
        (said,) = desk.ctx.errors
        assert "request could not be accepted: " in said and "cancel" in said.lower(), said
        assert not screen._watched and screen._unwatch is None

    qrun(steps())
