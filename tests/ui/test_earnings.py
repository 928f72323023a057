"""The Earnings screen (R32, R33) on a real cache with sessions settled on the real server.

Sessions are booked through the customer API, approved from a helper desktop, held by the
server's scheduler once its clock is moved past their end, and settled by the customer's
"went smoothly" (R22). A second session one month later gives the chart two months.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from consoleapp.ui import fmt, tasks
from consoleapp.ui.screens.earnings import EarningsScreen
from tests.client.conftest import push, server_now
from tests.sync.live import LiveServer

from .conftest import Desk, until

pytestmark = pytest.mark.dates  # months, the chart and payout days follow the calendar

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """The real server, with sessions that outlive the month these tests move its clock by."""
    server = LiveServer(tmp_path / "data", env={"CONSOLEAPP_TOKEN_HOURS": str(24 * 365)}).start()
    try:
        yield server
    finally:
        server.stop()


def _meeting(live: LiveServer, token: str, mid: str) -> dict[str, Any]:
    r = live.call(token, "GET", f"/api/meetings/{mid}")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["meeting"]
    return found


def settle(desk: Desk, token: str, slot: str, start: datetime, offer: str = "short",
           topic: str = "Tax question") -> str:
    """A session booked at `start` in `slot`, approved, held after its end and settled (R8, R22)."""
    live, sc = desk.live, desk.scene
    r = live.call(token, "POST", "/api/bookings", json={"slot_id": slot, "mode": "video", "offer": offer,
                                                        "start": start.isoformat(), "topic": topic})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    push(live, sc.expert_token, "ApproveBooking", meeting_id=mid)
    end = datetime.fromisoformat(_meeting(live, token, mid)["end"])
    op = operator(desk)
    live.advance(op, seconds=(end - server_now(live, op)).total_seconds() + 1)
    deadline = time.monotonic() + 20
    while _meeting(live, token, mid)["status"] != "Held":  # the scheduler ticks every 0.2 s
        assert time.monotonic() < deadline, "the scheduler did not mark the meeting held"
        time.sleep(0.05)
    r = live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"})
    assert r.status_code == 200 and r.json()["meeting"]["status"] == "Settled", r.text
    return mid


def operator(desk: Desk) -> str:
    """A fresh operator token: the scene's one (30 days) expires when the clock moves a month."""
    return desk.live.operator()[1]


def add_slot(desk: Desk, slot: str, start: datetime, hours: int = 4) -> None:
    push(desk.live, desk.scene.expert_token, "AddSlot", slot_id=slot, start=start.isoformat(),
         end=(start + timedelta(hours=hours)).isoformat())


def next_month_start(moment: datetime) -> datetime:
    """10:00 (Paris, the expert's zone) on the 2nd of the month after `moment`'s."""
    local = moment.astimezone(PARIS)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 2, 10, 0, tzinfo=PARIS)


def two_months(desk: Desk, payout: bool = False) -> tuple[str, str]:
    """A short session (40 cr) settled this month, a long one (70 cr) settled early next month;
    with `payout`, a complete payout profile and the clock moved to the next payout day (R33)."""
    sc = desk.scene
    _, token = sc.customer()
    if payout:
        push(desk.live, sc.expert_token, "SetPayoutProfile", legal_name="Anna K", billing_address="1 Main St",
             tax_id="DE136695976", bank_account="DE89 3704 0044 0532 0130 00")
    first = settle(desk, token, sc.slot, sc.slot_start)
    later = next_month_start(sc.slot_start)
    add_slot(desk, "slot-2", later)
    second = settle(desk, token, "slot-2", later, offer="long", topic="Contract review")
    if payout:
        op = operator(desk)
        now = server_now(desk.live, op)
        day = now.date() + timedelta(days=1)
        while day.day not in (1, 16):
            day += timedelta(days=1)
        desk.live.advance(op, seconds=(day - now.date()).days * 86400 + 600)
        deadline = time.monotonic() + 20
        while not desk.live.call(sc.expert_token, "GET", "/api/payouts").json()["payouts"]:
            assert time.monotonic() < deadline, "the scheduler did not run the payout"
            time.sleep(0.05)
    return first, second


def figures(screen: EarningsScreen) -> dict[str, str]:
    return {k: f.value.text() for k, f in screen.figures.items()}


def expected(s: Any) -> dict[str, str]:
    return {"sessions": str(s.sessions), "hours": fmt.hours(s.seconds), "gross": fmt.credits(s.gross),
            "commission": fmt.credits(s.commission), "refunds": fmt.credits(s.refunds), "claims": str(s.claims),
            "net": fmt.credits(s.net)}


async def caught_up(desk: Desk) -> None:
    """Sync until the console's clock is the server's moved one (its X-Server-Time header may lag
    a moved clock by up to half a second)."""
    op = operator(desk)

    async def same_time() -> bool:
        await desk.synced()
        return abs((desk.console.now() - server_now(desk.live, op)).total_seconds()) < 5

    await until(same_time, 10, "the console to follow the server's clock")


async def open_screen(desk: Desk, qtbot: Any) -> EarningsScreen:
    await caught_up(desk)
    screen = EarningsScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    await screen.refresh()
    await tasks.idle()
    return screen


async def save_dialog(qtbot: Any, path: Path) -> None:
    """Answer the export's save dialog with `path`, as a person typing a name and pressing Enter."""
    async def shown() -> bool:
        return any(isinstance(w, QFileDialog) and w.isVisible() for w in QApplication.topLevelWidgets())

    await until(shown, 10, "the save dialog")
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible())
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    name.clear()
    qtbot.keyClicks(name, str(path))
    qtbot.keyClick(name, Qt.Key.Key_Return)


# --- tests ---------------------------------------------------------------------------------------


def test_r32_month_figures_chart_and_picker_match_the_console(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        two_months(desk)
        screen = await open_screen(desk, qtbot)
        con = desk.console
        year = await con.earnings_last_12_months()
        this_month = year[-1].month
        assert screen.month == this_month and screen.picker.currentData() == this_month
        now_summary = await con.earnings_month(this_month)
        assert now_summary.sessions == 1 and now_summary.gross == 70 and now_summary.net == 63
        assert figures(screen) == expected(now_summary)

        assert len(screen.chart.bars) == 12  # R32: twelve months, oldest first, net per month
        assert [b.key for b in screen.chart.bars] == [s.month for s in year]
        assert [b.value for b in screen.chart.bars] == [s.net for s in year]
        assert screen.chart.selected == this_month

        earlier = next(s for s in reversed(year[:-1]) if s.sessions)  # the month of the first session
        assert (earlier.gross, earlier.net) == (40, 36)
        screen.picker.setCurrentIndex(screen.picker.findData(earlier.month))  # the month picker
        await tasks.idle()
        assert figures(screen) == expected(await con.earnings_month(earlier.month))
        assert screen.chart.selected == earlier.month
        assert {screen.moves_proxy.row(i).month for i in range(screen.moves_proxy.rowCount())} == {earlier.month}

        # clicking the last bar selects this month again
        bar = screen.chart.bar_column(11).center().toPoint()
        qtbot.mouseClick(screen.chart, Qt.MouseButton.LeftButton, pos=QPoint(bar.x(), bar.y()))
        await tasks.idle()
        assert screen.picker.currentData() == this_month and figures(screen) == expected(now_summary)

        # the transaction record: the console's rows, labels and balances
        moves = await con.transactions()
        screen.only_month.setChecked(False)
        assert screen.moves_proxy.rowCount() == len(moves)
        top = screen.moves_proxy.index(0, 1)
        assert top.data() == moves[0]["label"] == "Payment of credits for services"
        assert screen.moves_proxy.index(0, 3).data() == fmt.credits(moves[0]["balance"]) == fmt.credits(99)
        assert screen.balance_label.text() == fmt.credits((await con.balance())["balance"])

        # R5/R33: no payout profile: the payout will not be made, and a button leads to the profile
        assert screen.fix_profile.isVisible() and "bank account" in screen.payout_why.text()
        qtbot.mouseClick(screen.fix_profile, Qt.MouseButton.LeftButton)
        assert desk.ctx.shown == [("profile", "")]

    qrun(steps())


def test_r32_export_month_csv_writes_the_months_transactions(desk: Desk, qrun, qtbot, tmp_path: Path) -> None:
    async def steps() -> None:
        two_months(desk)
        screen = await open_screen(desk, qtbot)
        month = screen.month
        zone = fmt.zone((await desk.console.profile()).time_zone)
        wanted = [r for r in await desk.console.transactions() if r["at"].astimezone(zone).strftime("%Y-%m") == month]
        assert wanted, "the month has movements"
        target = tmp_path / "out" / "month.csv"
        target.parent.mkdir()
        qtbot.mouseClick(screen.export_month, Qt.MouseButton.LeftButton)
        await save_dialog(qtbot, target)
        await tasks.idle()
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert [r["transfer"] for r in rows] == [r["id"] for r in reversed(wanted)]  # oldest first
        assert [int(r["credits"]) for r in rows] == [r["amount"] for r in reversed(wanted)]
        assert [int(r["balance"]) for r in rows] == [r["balance"] for r in reversed(wanted)]
        assert rows[-1]["description"] == "Payment of credits for services"
        assert [m for m, err in desk.ctx.messages if err] == []
        assert any(str(target) in m for m, err in desk.ctx.messages if not err)

    qrun(steps())


def test_r33_payout_statement_csv_and_pdf_are_saved(desk: Desk, qrun, qtbot, tmp_path: Path) -> None:
    async def steps() -> None:
        two_months(desk, payout=True)
        screen = await open_screen(desk, qtbot)
        payouts = await desk.console.payouts()
        assert len(payouts) == 1 and payouts[0].amount == 99
        assert screen.payouts_proxy.rowCount() == 1 and screen.statement_csv.isEnabled()
        assert not screen.fix_profile.isVisible()
        screen.tabs.setCurrentIndex(1)

        qtbot.mouseClick(screen.statement_csv, Qt.MouseButton.LeftButton)
        await save_dialog(qtbot, tmp_path / "statement.csv")
        await tasks.idle()
        saved = (tmp_path / "statement.csv").read_bytes()
        assert saved == await desk.console.payout_statement(payouts[0].id, "csv")
        assert b"Paid out" in saved and b"99" in saved

        qtbot.mouseClick(screen.statement_pdf, Qt.MouseButton.LeftButton)
        await save_dialog(qtbot, tmp_path / "statement.pdf")
        await tasks.idle()
        assert (tmp_path / "statement.pdf").read_bytes().startswith(b"%PDF")
        assert not desk.ctx.errors

    qrun(steps())


def test_r32_empty_earnings_say_what_to_do(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        screen = await open_screen(desk, qtbot)
        assert len(screen.chart.bars) == 12 and all(b.value == 0 for b in screen.chart.bars)
        assert screen.moves_stack.currentWidget() is screen.moves_empty
        assert "When a session is settled" in screen.moves_empty.text()
        assert screen.payouts_stack.currentWidget() is screen.payouts_empty
        assert not screen.export_month.isEnabled() and not screen.statement_csv.isEnabled()
        assert figures(screen)["net"] == fmt.credits(0)

    qrun(steps())
