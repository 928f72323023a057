"""The Session history screen from a real cache (R21-R26, R34): held and settled sessions made on
the server (book, approve, the clock moved past the end), search, the detail, the evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton, QTabWidget

from consoleapp.ui.screens.history import HistoryScreen
from tests.client.conftest import server_now

from .conftest import Desk, until
from .test_live import customer_meeting, follow_clock, server_events

pytestmark = pytest.mark.dates  # session dates and evaluation deadlines follow the clock


@dataclass
class Past:
    held: str  # Dora's session: held, the customer silent, waiting for the expert's evaluation
    settled: str  # Carl's session: the customer said it went smoothly (R22), settled
    dora: str  # Dora's token
    carl: str


async def past_sessions(desk: Desk) -> Past:
    sc, live = desk.scene, desk.live
    _, carl = sc.customer()
    dora_id, dora = live.register("customer", name="Dora")
    r = live.call(sc.op, "POST", "/operator/grants", json={"customer": dora_id, "amount": 200})
    assert r.status_code == 201, r.text
    settled = sc.book(carl, hours_after=0)
    held = sc.book(dora, hours_after=1)
    await desk.synced()
    for mid in (settled, held):
        await desk.console.approve_booking(mid)
    await desk.synced()
    assert customer_meeting(live, dora, held)["status"] == "Agreed"
    # past the end of both (15-minute packages): the server's scheduler marks them held
    end = sc.slot_start + timedelta(hours=1, minutes=16)
    live.advance(sc.op, seconds=(end - server_now(live, sc.op)).total_seconds())
    for token, mid in ((carl, settled), (dora, held)):
        await until(lambda t=token, m=mid: customer_meeting(live, t, m)["status"] == "Held", 15, "held")
    r = live.call(carl, "POST", f"/api/meetings/{settled}/evaluation", json={"answer": "went smoothly"})
    assert r.status_code == 200 and r.json()["meeting"]["status"] == "Settled", r.text
    await follow_clock(desk)
    return Past(held, settled, dora, carl)


async def shown(desk: Desk, qtbot: Any) -> HistoryScreen:
    screen = HistoryScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    screen.show()
    await screen.refresh()
    return screen


def visible_ids(screen: HistoryScreen) -> list[str]:
    return [screen.proxy.row(i).id for i in range(screen.proxy.rowCount())]


def cell(screen: HistoryScreen, row: int, column: str) -> str:
    titles = [c.title for c in screen.model.columns]
    return str(screen.proxy.index(row, titles.index(column)).data())


def click_row(screen: HistoryScreen, qtbot: Any, row: int) -> None:
    rect = screen.table.visualRect(screen.proxy.index(row, 2))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_r21_r34_history_renders_held_and_settled_sessions_and_filters_by_customer(open_desk, qrun, qtbot) -> None:
    async def steps() -> None:
        desk: Desk = await open_desk()
        past = await past_sessions(desk)
        screen = await shown(desk, qtbot)

        # newest first, with the customer's name, status, outcome and charge
        assert visible_ids(screen) == [past.held, past.settled]
        assert [cell(screen, i, "Customer") for i in range(2)] == ["Dora", "Carl"]
        assert [cell(screen, i, "Status") for i in range(2)] == ["Held", "Settled"]
        assert cell(screen, 0, "Evaluation") == "To do"
        assert cell(screen, 1, "Outcome") == "Paid to you" and cell(screen, 1, "Charged") == "40 cr"
        assert cell(screen, 0, "Topic") == "Tax question"
        assert await screen.badge() == 1  # one session waits for the expert's evaluation
        assert screen.count.text() == "2 sessions"

        # search by the customer's name, then the status filter
        qtbot.keyClicks(screen.search, "dor")
        assert visible_ids(screen) == [past.held]
        assert screen.count.text() == "1 of 2"
        screen.search.clear()
        qtbot.keyClicks(screen.search, "nobody")
        assert visible_ids(screen) == [] and screen.list_stack.currentWidget() is screen.empty
        screen.search.clear()
        screen.status.setCurrentIndex(screen.status.findData("Settled"))
        assert visible_ids(screen) == [past.settled]
        screen.status.setCurrentIndex(screen.status.findData("waiting"))
        assert visible_ids(screen) == [past.held]
        screen.status.setCurrentIndex(0)

        # the detail of the settled session: timeline, evaluations, settlement
        click_row(screen, qtbot, 1)
        await until(lambda: screen.pane.meeting_id == past.settled, 10, "the detail")
        pane = screen.pane
        assert pane.findChild(QLabel, "customer-answer").text() == "It went smoothly"
        assert pane.findChild(QLabel, "expert-answer").text() == "Not answered yet"
        assert pane.findChild(QLabel, "settlement").text().startswith("Paid to you")
        assert pane.findChild(QLabel, "expert-share").text() == "36 cr"
        assert pane.findChild(QLabel, "charged").text() == "40 cr"
        tabs = pane.findChild(QTabWidget, "session-tabs")
        assert tabs.tabText(0).startswith("Timeline")
        timeline = [tabs.widget(0).topLevelItem(i).text(1) for i in range(tabs.widget(0).topLevelItemCount())]
        assert "Meeting held" in timeline, timeline
        # a settled session still takes the expert's answer, which changes nothing (R26)
        assert pane.form is not None
        assert any("already decided" in label.text() for label in pane.form.findChildren(QLabel))

        # the layout is kept for the next run
        screen._save_layout()
        assert desk.ctx.settings().value("history/header") is not None

    qrun(steps())


def test_r23_r26_expert_evaluates_a_held_session_by_clicking(open_desk, qrun, qtbot) -> None:
    async def steps() -> None:
        desk: Desk = await open_desk()
        past = await past_sessions(desk)
        screen = await shown(desk, qtbot)
        click_row(screen, qtbot, 0)
        await until(lambda: screen.pane.meeting_id == past.held, 10, "the detail of the held session")
        send = screen.pane.findChild(QPushButton, "send-evaluation")
        assert send is not None and not send.isEnabled()  # nothing chosen yet
        choice = screen.pane.findChild(QRadioButton, "answer-MY_FAULT")
        assert choice.text() == "It failed because of me"
        qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))  # on its circle
        assert choice.isChecked() and send.isEnabled()
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
        await until(lambda: bool(desk.ctx.messages) and not desk.ctx.errors, 10, "the confirmation")

        # pending until the server has it: marked, on top, and no longer counted in the badge
        await until(lambda: screen.model.rowCount() > 0 and screen.model.rows[0].pending, 10, "the pending row")
        assert screen.model.rows[0].id == past.held
        assert await screen.badge() == 0

        await desk.synced()
        # R23: the expert's own fault returns the credits to the customer, at once (R26)
        on_server = customer_meeting(desk.live, past.dora, past.held)
        assert on_server["expert_answer"] == "failed because of me"
        assert on_server["status"] == "Settled" and on_server["outcome"] == "return"
        assert len(server_events(desk.live, past.held, "ProgressRecorded")) == 1

        await screen.refresh()
        assert not screen.model.rows[0].pending
        assert cell(screen, 0, "Outcome") == "Returned to the customer"
        assert cell(screen, 0, "Evaluation") == "Answered"
        await until(lambda: screen.pane.findChild(QPushButton, "send-evaluation") is None, 10, "the form to go")
        assert screen.pane.findChild(QLabel, "expert-answer").text() == "It failed because of me"

    qrun(steps())
