"""The Disputes screen (R29-R31) on a real cache: a customer's claim through the customer API,
answered by clicking (refund or dispute), checked on the server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from consoleapp.ui import fmt, tasks
from consoleapp.ui.screens.disputes import DECIDED, OPEN, REVIEW, DisputesScreen

from .conftest import Desk, until
from .test_earnings import caught_up, live, operator, settle  # noqa: F401 (live: the long-lived tokens)

pytestmark = pytest.mark.dates  # a claim's answer deadline follows the clock


def claimed(desk: Desk, amount: int = 25, reason: str = "The call was cut after ten minutes") -> tuple[str, str, str]:
    """(claim id, meeting id, customer token): a settled 40 cr session and its customer's claim (R29)."""
    sc = desk.scene
    _, token = sc.customer()
    mid = settle(desk, token, sc.slot, sc.slot_start)
    r = desk.live.call(token, "POST", "/api/claims", json={"session": mid, "amount": amount, "reason": reason})
    assert r.status_code == 201, r.text
    return r.json()["claim"]["id"], mid, token


def server_claim(desk: Desk, token: str, claim_id: str) -> dict[str, Any]:
    r = desk.live.call(token, "GET", f"/api/claims/{claim_id}")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["claim"]
    return found


async def open_screen(desk: Desk, qtbot: Any) -> DisputesScreen:
    await caught_up(desk)
    screen = DisputesScreen(desk.console, desk.ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    await screen.refresh()
    return screen


async def answer_confirm(qtbot: Any, yes: bool) -> str:
    """Click the confirmation box's accept (or cancel) button; returns the question asked."""
    def box() -> QMessageBox | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)

    await until(lambda: box() is not None, 10, "the confirmation")
    found = box()
    assert found is not None
    wanted = QMessageBox.ButtonRole.AcceptRole if yes else QMessageBox.ButtonRole.RejectRole
    button = next(b for b in found.buttons() if found.buttonRole(b) == wanted)
    text = found.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await tasks.idle()
    return text


def no_box_open() -> bool:
    return not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_r29_r30_customers_claim_shows_with_its_deadline(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        claim_id, mid, _ = claimed(desk)
        screen = await open_screen(desk, qtbot)
        assert await screen.badge() == 1
        assert screen.tabs.tabText(OPEN) == "Open (1)"
        proxy = screen.proxies[OPEN]
        assert proxy.rowCount() == 1
        row = proxy.row(0)
        assert row.id == claim_id and row.customer == "Carl"
        assert row.session == "Tax question"
        item = (await desk.console.claims()).open[0]
        zone = fmt.zone("Europe/Paris")
        assert proxy.index(0, 0).data().startswith("2 days 23 h")  # 72 h to answer, a few seconds gone
        assert proxy.index(0, 3).data() == fmt.credits(25)
        card = screen.card
        assert card.row is not None and card.row.id == claim_id
        assert card.deadline.text() == f"Answer within {proxy.index(0, 0).data()}, by {fmt.when(item.deadline, zone)}"
        assert item.deadline == item.claim.opened_at + timedelta(hours=72)
        assert card.reason.text() == "The call was cut after ten minutes"
        assert card.amount.maximum() == 25 and card.amount.value() == 25
        assert card.answer.isVisible() and card.answer.isEnabled()

        # two days later the countdown says so, in the warning colour under a day
        desk.live.advance(operator(desk), hours=50)
        await caught_up(desk)
        await screen.refresh()
        assert screen.proxies[OPEN].index(0, 0).data().startswith("21 h")
        assert card.deadline.text().startswith("Answer within 21 h") and "font-weight" in card.deadline.styleSheet()

    qrun(steps())


def test_r30_partial_refund_by_clicking_is_applied_on_the_server(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        claim_id, _, token = claimed(desk)
        screen = await open_screen(desk, qtbot)
        card = screen.card
        card.amount.selectAll()
        qtbot.keyClicks(card.amount, "99")  # more than claimed: the box caps it
        assert card.amount.value() <= 25
        card.amount.selectAll()
        qtbot.keyClicks(card.amount, "15")
        assert card.amount.value() == 15

        qtbot.mouseClick(card.refund, Qt.MouseButton.LeftButton)
        await answer_confirm(qtbot, yes=False)  # cancelled: nothing is sent
        assert await desk.console.pending_commands() == []

        qtbot.mouseClick(card.refund, Qt.MouseButton.LeftButton)
        question = await answer_confirm(qtbot, yes=True)
        assert fmt.credits(15) in question and fmt.credits(25) in question
        assert [p.command.amount for p in await desk.console.pending_commands()] == [15]
        assert screen.proxies[OPEN].row(0).pending and not card.answer.isEnabled()  # on its way
        assert await screen.badge() == 0

        await desk.synced()
        found = server_claim(desk, token, claim_id)
        assert (found["status"], found["refunded"]) == ("refunded", 15)  # R30 on the server

        await screen.refresh()
        assert screen.proxies[OPEN].rowCount() == 0 and screen.stacks[OPEN].currentIndex() == 1
        screen.tabs.setCurrentIndex(DECIDED)
        decided = screen.proxies[DECIDED]
        assert decided.rowCount() == 1 and decided.row(0).id == claim_id
        assert decided.index(0, 4).data() == f"Refunded {fmt.credits(15)} of {fmt.credits(25)}"
        assert not desk.ctx.errors

    qrun(steps())


def test_r30_dispute_with_summary_goes_to_the_operator(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        claim_id, _, token = claimed(desk)
        screen = await open_screen(desk, qtbot)
        summary = "The session ran its full 15 minutes; the customer left the call himself."
        qtbot.keyClicks(screen.card.summary, summary)
        qtbot.mouseClick(screen.card.dispute, Qt.MouseButton.LeftButton)
        await answer_confirm(qtbot, yes=True)
        await desk.synced()
        found = server_claim(desk, token, claim_id)
        assert (found["status"], found["summary"], found["refunded"]) == ("disputed", summary, 0)

        await screen.refresh()
        screen.tabs.setCurrentIndex(REVIEW)
        assert screen.proxies[REVIEW].rowCount() == 1 and screen.proxies[REVIEW].index(0, 4).data() == summary
        assert screen.card.summary_shown.text() == summary and not screen.card.answer.isVisible()

        # the operator accepts the dispute (R30): nothing is refunded, and the screen says so
        r = desk.live.call(operator(desk), "POST", f"/operator/claims/{claim_id}/decision", json={"note": "read the evidence", "accept": True})
        assert r.status_code == 200, r.text
        await desk.synced()
        await screen.refresh()
        screen.tabs.setCurrentIndex(DECIDED)
        assert screen.proxies[DECIDED].index(0, 4).data() == "Dispute accepted: nothing refunded"
        assert screen.card.outcome.text() == "Dispute accepted: nothing refunded"

    qrun(steps())


def test_r30_empty_dispute_summary_is_refused_and_nothing_sent(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        claim_id, _, token = claimed(desk)
        screen = await open_screen(desk, qtbot)
        qtbot.keyClicks(screen.card.summary, "   ")
        qtbot.mouseClick(screen.card.dispute, Qt.MouseButton.LeftButton)
        await tasks.idle()
        assert no_box_open()  # refused before asking
        assert screen.card.summary_error.isVisible()
        assert "Write a summary" in screen.card.summary_error.text()
        assert desk.ctx.errors and "Nothing was sent" in desk.ctx.errors[-1]
        assert await desk.console.pending_commands() == []
        await desk.synced()
        assert server_claim(desk, token, claim_id)["status"] == "open"

    qrun(steps())


def test_r29_no_claims_say_what_happens(desk: Desk, qrun, qtbot) -> None:
    async def steps() -> None:
        screen = await open_screen(desk, qtbot)
        assert await screen.badge() == 0
        assert screen.stacks[OPEN].currentIndex() == 1 and "customer asks for a refund" in screen.empties[OPEN].text()
        assert screen.side.currentWidget() is screen.nothing and not screen.side.isVisible()

    qrun(steps())

