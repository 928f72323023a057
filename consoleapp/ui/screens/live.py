"""The live session window (R17-R21): join, start, the countdown, chat and files, the end and the bill.

A window of its own beside the main one. Every action is a Console command; what the window
shows (the clock, who attended, the bill) is what the optimistic view and the engine say. The
countdown reads `Console.live_clock` every second: the clock is the server's, so a paused
count (a dropped connection, R19) shows as paused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, QMetaMethod, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from consoleapp.engine.live import can_attend, can_chat, can_open_video, can_start, warning_due
from consoleapp.engine.model import Meeting, Mode, Party
from consoleapp.sync.client.console import Console, LiveClock, SessionDetail
from consoleapp.sync.client.outbox_state import command_state

from .. import fmt
from ..i18n import tr
from ..tasks import async_slot, start
from ..widgets import Card, Chip, confirm, finished, row
from .live_panels import ChatPanel, FilesPanel, SnippetDialog
from .live_uploads import Uploads
from .session_text import (
    customer_label,
    kind_label,
    mode_label,
    outcome_label,
    status_label,
    status_tone,
)

_WATCH = frozenset({"meetings", "history", "status", "issues"})  # changes that may touch this window


def open_url(url: str) -> bool:
    """The video room is the platform's, in the person's browser (tests put a recorder here instead)."""
    return bool(QDesktopServices.openUrl(QUrl(url)))


class LiveWindow(QWidget):
    """`history_requested(meeting_id)`: the expert wants to evaluate the session in Session history
    (when nothing is connected to it, the top-level window with a `show_screen` is asked directly)."""

    history_requested = Signal(str)

    def __init__(self, console: Console, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        self.setObjectName("live-window")
        self.console = console
        self.meeting_id = meeting_id
        self.zone = ZoneInfo("UTC")
        self.uploads = Uploads(console, meeting_id)
        self._unsubscribe: Callable[[], None] | None = None
        self._refreshing = False
        self._dirty = False
        self._ticking = False
        self._stage = ""
        self._closing_anyway = False
        self._ending = False  # "End session" was sent and the server has not confirmed it yet
        self._tasks: set[asyncio.Task[None]] = set()
        self._shown: tuple[SessionDetail, list[object]] | None = None  # what the side panels last showed
        self._watching: dict[int, tuple[str, bool]] = {}  # seq -> (what it did, is it the end)
        self.setWindowTitle(tr("Live session"))
        self.resize(1000, 640)

        root = QVBoxLayout(self)
        root.setContentsMargins(18, 14, 18, 14)
        root.setSpacing(10)
        self.title = QLabel(tr("Live session"))
        self.title.setObjectName("heading")
        self.title.setWordWrap(True)
        self.sub = QLabel()
        self.sub.setObjectName("subheading")
        self.sub.setWordWrap(True)
        root.addWidget(self.title)
        root.addWidget(self.sub)
        self.status_chip = Chip("", "neutral")
        self.status_chip.setObjectName("chip")
        self.online_chip = Chip("", "neutral")
        self.count_chip = Chip("", "neutral")
        self.video_button = QPushButton(tr("Open the video room"))
        self.video_button.setObjectName("video-room")
        self.video_button.setToolTip(tr("Your own link into the meeting's video room, in your browser"))
        self.video_button.clicked.connect(self._open_video)
        root.addWidget(row(self.status_chip, self.online_chip, self.count_chip, self.video_button))

        self.bar = QFrame()
        self.bar.setObjectName("messagebar")
        bar_lay = QHBoxLayout(self.bar)
        bar_lay.setContentsMargins(10, 6, 10, 6)
        self.message = QLabel()
        self.message.setObjectName("live-message")
        self.message.setWordWrap(True)
        bar_lay.addWidget(self.message, 1)
        hide = QPushButton(tr("Dismiss"))
        hide.clicked.connect(self.bar.hide)
        bar_lay.addWidget(hide)
        self.bar.hide()
        root.addWidget(self.bar)
        self._hide_message = QTimer(self)
        self._hide_message.setSingleShot(True)
        self._hide_message.timeout.connect(self.bar.hide)

        body = QHBoxLayout()
        body.setSpacing(12)
        self.stages = QStackedWidget()
        self.stages.setObjectName("live-stages")
        self.before = self._before_page()
        self.running = self._running_page()
        self.ended = self._ended_page()
        for page in (self.before, self.running, self.ended):
            self.stages.addWidget(page)
        body.addWidget(self.stages, 5)
        side = QVBoxLayout()
        self.chat = ChatPanel()
        self.files = FilesPanel()
        side.addWidget(self.chat, 3)
        side.addWidget(self.files, 2)
        body.addLayout(side, 4)
        root.addLayout(body, 1)

        self.chat.send.clicked.connect(self._send_chat)
        self.files.attach.clicked.connect(self._attach_file)
        self.files.snippet.clicked.connect(self._attach_snippet)
        self._shortcut("Ctrl+J", self.join.click)
        self._shortcut("Ctrl+Return", self.start_button.click)
        self._shortcut("Ctrl+G", self.gift.click)
        self._shortcut("Ctrl+Shift+E", self.end.click)
        self._shortcut("Ctrl+O", self.files.attach.click)
        self._shortcut("Ctrl+K", self.files.snippet.click)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        sc = QShortcut(QKeySequence(keys), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(slot)

    # --- the three stages ----------------------------------------------------------------------------

    def _before_page(self) -> QWidget:
        card = Card()
        head = QLabel(tr("Before the session"))
        head.setObjectName("figure-label")
        card.body.addWidget(head)
        self.when = QLabel()
        self.when.setObjectName("figure")
        self.when.setWordWrap(True)
        card.body.addWidget(self.when)
        self.attendance = QLabel()
        self.attendance.setWordWrap(True)
        self.attendance.setObjectName("attendance")
        card.body.addWidget(self.attendance)
        explain = QLabel(tr("“Join” records on the timeline that you are here. “Start session” starts the "
                            "countdown for both of you."))
        explain.setObjectName("subheading")
        explain.setWordWrap(True)
        card.body.addWidget(explain)
        self.join = QPushButton(tr("Join"))
        self.join.setObjectName("join")
        self.join.setToolTip(tr("Record that you are here (Ctrl+J)"))
        self.join.clicked.connect(self._join)
        self.start_button = QPushButton(tr("Start session"))
        self.start_button.setObjectName("start")
        self.start_button.setProperty("primary", True)
        self.start_button.setToolTip(tr("Start the countdown (Ctrl+Return)"))
        self.start_button.clicked.connect(self._start)
        card.body.addWidget(row(self.join, self.start_button))
        card.body.addStretch(1)
        return card

    def _running_page(self) -> QWidget:
        card = Card()
        head = QLabel(tr("Time left"))
        head.setObjectName("figure-label")
        card.body.addWidget(head)
        card.body.addStretch(1)
        self.countdown = QLabel("—")
        self.countdown.setObjectName("countdown")
        font = QFont(self.font())
        font.setPointSize(54)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.countdown.setFont(font)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.body.addWidget(self.countdown)
        self.warning = Chip("", "bad")
        self.warning.setObjectName("chip")
        self.warning.setAccessibleName("warning")
        big = QFont(self.font())
        big.setPointSize(13)
        big.setBold(True)
        self.warning.setFont(big)
        self.warning.setStyleSheet("font-size: 15px; font-weight: 600; padding: 8px 12px; border-radius: 8px;")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning.hide()
        card.body.addWidget(self.warning)
        self.elapsed = QLabel()
        self.elapsed.setObjectName("subheading")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.body.addWidget(self.elapsed)
        self.presence = QLabel()
        self.presence.setObjectName("subheading")
        self.presence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.body.addWidget(self.presence)
        minutes = self.console.policy.gift_seconds // 60
        self.gift = QPushButton(tr("+{minutes} min", minutes=minutes))
        self.gift.setObjectName("gift")
        self.gift.setToolTip(tr("Give the customer {minutes} extra minutes, free; once per session (Ctrl+G)",
                                minutes=minutes))
        self.gift.clicked.connect(self._gift)
        self.end = QPushButton(tr("End session"))
        self.end.setObjectName("end")
        self.end.setProperty("danger", True)
        self.end.setToolTip(tr("End the session for both of you (Ctrl+Shift+E)"))
        self.end.clicked.connect(self._end)
        card.body.addStretch(1)
        card.body.addWidget(row(self.gift, self.end))
        return card

    def _ended_page(self) -> QWidget:
        card = Card()
        head = QLabel(tr("Session ended"))
        head.setObjectName("figure-label")
        card.body.addWidget(head)
        self.bill_form = QFormLayout()
        self.bill_form.setHorizontalSpacing(18)
        card.body.addLayout(self.bill_form)
        self.bill_note = QLabel()
        self.bill_note.setObjectName("subheading")
        self.bill_note.setWordWrap(True)
        card.body.addWidget(self.bill_note)
        pointer = QLabel(tr("Give your evaluation in Session history: with the customer's answer, it decides "
                            "the payment."))
        pointer.setWordWrap(True)
        card.body.addWidget(pointer)
        evaluate = QPushButton(tr("Evaluate in Session history"))
        evaluate.setObjectName("to-history")
        evaluate.setProperty("primary", True)
        evaluate.clicked.connect(self._to_history)
        card.body.addWidget(row(evaluate))
        card.body.addStretch(1)
        return card

    def _to_history(self) -> None:
        """Ask for the Session history at this session: whoever listens, else the main window."""
        if self.isSignalConnected(QMetaMethod.fromSignal(self.history_requested)):
            self.history_requested.emit(self.meeting_id)
            return
        for window in QApplication.topLevelWidgets():
            show = getattr(window, "show_screen", None)
            if window is not self and callable(show):
                show("history", self.meeting_id)
                return

    # --- messages ------------------------------------------------------------------------------------

    def report(self, message: str, error: bool = True) -> None:
        if not isValid(self.message):  # a late answer after the window was destroyed
            return
        self.message.setText(message)
        self.bar.setProperty("error", bool(error))
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)
        self.bar.show()
        if error:
            self._hide_message.stop()
        else:
            self._hide_message.start(6000)

    # --- life of the window ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._unsubscribe is None:
            self._unsubscribe = self.console.subscribe(self._changed)
            self.timer.start()
            self.refresh_later()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if len(self.uploads) and not self._closing_anyway:
            event.ignore()  # files still to send: ask first, without blocking
            start(self._ask_close(), self)
            return
        self.timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._tasks):
            task.cancel()
        self._refreshing = self._ticking = False
        self._closing_anyway = False
        super().closeEvent(event)

    async def _ask_close(self) -> None:
        if await confirm(self, tr("Files are waiting"),
                         tr("%n file(s) are still waiting to be uploaded. If you close this window they are not "
                            "sent; the customer sees their names but cannot download them.", None, len(self.uploads)),
                         tr("Close anyway"), tr("Keep the window open")):
            self._closing_anyway = True
            self.close()

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        """A refresh or tick: cancelled when the window closes (actions are not: they finish)."""
        task = start(coro, self)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & _WATCH:
            self.refresh_later()

    def refresh_later(self) -> None:
        """Refresh soon; changes arriving during a refresh get one more after it."""
        if self._refreshing:
            self._dirty = True
            return
        self._refreshing = True
        self._run(self._refresh_loop())

    async def _refresh_loop(self) -> None:
        try:
            while True:
                self._dirty = False
                await self.refresh()
                if not self._dirty:
                    break
        finally:
            self._refreshing = False

    # --- reading ---------------------------------------------------------------------------------------

    async def refresh(self) -> None:
        self.zone = fmt.zone((await self.console.profile()).time_zone)
        await self._check_watched()
        m = self.console.meeting(self.meeting_id)
        if m is None:
            self.title.setText(tr("Live session"))
            self.sub.setText(tr("This meeting is not in your data (yet). It appears after the next sync."))
            for w in (self.join, self.start_button, self.chat.send, self.files.attach, self.files.snippet):
                w.setEnabled(False)
            return
        self._show_header(m)
        clock = await self.console.live_clock(self.meeting_id)
        self._show_stage(m, clock)
        detail = await self.console.session_detail(self.meeting_id)
        pending = [p.command for p in await self.console.pending_commands()]
        self.chat.show_chat(detail, self.console.me, self.zone, pending)
        self.files.show_files(detail, self.console.me, pending, self.uploads)
        self._shown = (detail, pending)
        if self._stage == "ended":
            await self._show_bill(detail, clock)
        await self._pump_uploads()

    def _show_header(self, m: Meeting) -> None:
        self.setWindowTitle(tr("Live session — {topic}", topic=m.topic))
        self.title.setText(m.topic or tr("Live session"))
        times = (tr("{start} to {end}", start=fmt.when(m.start, self.zone), end=fmt.time_of(m.end, self.zone))
                 if m.start and m.end else tr("no time agreed yet"))
        self.sub.setText(tr("{customer} · {mode} · {kind} · {times}",
                            customer=customer_label(m.customer_name, m.customer), mode=mode_label(m.mode.value),
                            kind=kind_label(m.kind.value), times=times))
        self.status_chip.setText(status_label(m.status.value))
        _tone(self.status_chip, status_tone(m.status.value))
        status = self.console.status()
        if status.online:
            self.online_chip.setText(tr("Online"))
            _tone(self.online_chip, "good")
            self.online_chip.setToolTip("")
        else:
            self.online_chip.setText(tr("Offline"))
            _tone(self.online_chip, "bad")
            self.online_chip.setToolTip(tr("What you do is kept and sent when the connection is back."))
        chatting = can_chat(m)
        for w in (self.chat.send, self.chat.input, self.files.attach, self.files.snippet):
            w.setEnabled(chatting)
        joined = [tr("You joined at {time}.", time=fmt.time_of(m.expert_attended, self.zone))
                  if m.expert_attended else tr("You have not joined yet."),
                  tr("The customer joined at {time}.", time=fmt.time_of(m.customer_attended, self.zone))
                  if m.customer_attended else tr("The customer has not joined yet.")]
        self.attendance.setText(" ".join(joined))
        self.presence.setText(joined[1])
        self.when.setText(times)
        self.join.setEnabled(can_attend(m, Party.EXPERT))
        self.video_button.setVisible(m.mode is Mode.VIDEO)
        self.video_button.setEnabled(can_open_video(m))
        self.start_button.setEnabled(can_start(m))

    def _show_stage(self, m: Meeting, clock: LiveClock | None) -> None:
        if m.live is None:
            stage, page = "before", self.before
        elif m.live.ended_at is None:
            stage, page = "running", self.running
        else:
            stage, page = "ended", self.ended
        if stage == "ended" and self._stage != "ended" and self._ending:
            self._ending = False
            if self.bar.isVisible() and not self.bar.property("error"):
                self.bar.hide()  # "the session is ending" is over: the bill says the rest
        self._stage = stage
        self.stages.setCurrentWidget(page)
        self._show_clock(clock)

    def _show_clock(self, clock: LiveClock | None) -> None:
        if self._stage == "before" or clock is None:
            self.count_chip.setText(tr("Not started"))
            _tone(self.count_chip, "neutral")
            return
        if clock.ended:
            self.count_chip.setText(tr("Ended"))
            _tone(self.count_chip, "neutral")
        elif self._ending:
            self.count_chip.setText(tr("Ending: waiting for the server"))
            _tone(self.count_chip, "neutral")
        elif clock.running:
            self.count_chip.setText(tr("Running"))
            _tone(self.count_chip, "accent")
        else:
            self.count_chip.setText(tr("Paused: the connection dropped; the count resumes on reconnect"))
            _tone(self.count_chip, "warn")
        self.countdown.setText(fmt.countdown(clock.remaining_seconds))
        self.elapsed.setText(tr("Connected for {time}", time=fmt.duration(clock.elapsed_seconds)))
        if not clock.ended and warning_due(clock.remaining_seconds, self.console.policy):
            self.warning.setText(tr("{seconds} seconds left: time to wrap up", seconds=clock.remaining_seconds)
                                 if clock.remaining_seconds > 0 else tr("Time is up: the session is ending"))
            self.warning.show()
        else:
            self.warning.hide()
        self.gift.setEnabled(not clock.gifted and not clock.ended and not self._ending)
        self.gift.setToolTip(tr("Already given in this session") if clock.gifted else self.gift.toolTip())
        self.end.setEnabled(not clock.ended and not self._ending)

    async def _show_bill(self, d: SessionDetail, clock: LiveClock | None) -> None:
        bill = await self.console.session_bill(self.meeting_id)
        while self.bill_form.rowCount():
            self.bill_form.removeRow(0)

        def line(label: str, value: str, name: str = "") -> None:
            shown = QLabel(value)
            if name:
                shown.setObjectName(name)
            self.bill_form.addRow(label, shown)

        connected = bill.connected_seconds if bill else (clock.elapsed_seconds if clock else 0)
        line(tr("Connected time"), fmt.duration(connected), "bill-connected")
        if bill is None:
            self.bill_note.setText(tr("The bill appears once the server has confirmed the end of the session."))
            return
        line(tr("Billed minutes"), QLocale().toString(bill.billed_minutes), "bill-minutes")
        line(tr("Charged to the customer"), fmt.credits(bill.amount), "bill-amount")
        s = d.settlement
        if s is not None:
            line(tr("Outcome"), outcome_label(str(s.get("outcome") or "")))
            line(tr("Your share"), fmt.credits(int(s.get("expert_share") or 0)), "bill-share")
            line(tr("Platform commission"), fmt.credits(int(s.get("commission") or 0)))
            line(tr("Returned to the customer"), fmt.credits(int(s.get("returned") or 0)))
            self.bill_note.setText(tr("Settled. The customer may still claim a refund for a while; you will be told."))
        else:
            self.bill_note.setText(tr("The payment is settled after the evaluations."))

    # --- the clock, every second -------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._ticking:
            return
        self._ticking = True
        self._run(self._tick_once())

    async def _tick_once(self) -> None:
        try:
            m = self.console.meeting(self.meeting_id)
            if m is None:
                return
            stage = "before" if m.live is None else ("running" if m.live.ended_at is None else "ended")
            if stage != self._stage:
                self.refresh_later()
                return
            self._show_clock(await self.console.live_clock(self.meeting_id))
            if len(self.uploads):
                await self._pump_uploads()
        finally:
            self._ticking = False

    async def _pump_uploads(self) -> None:
        messages = await self.uploads.pump()
        for message, error in messages:
            self.report(message, error)
        if messages and self._shown is not None:  # an upload ended: say so in the list
            detail, pending = self._shown
            self.files.show_files(detail, self.console.me, pending, self.uploads)

    # --- actions ----------------------------------------------------------------------------------------------

    @async_slot
    async def _join(self) -> None:
        self.join.setEnabled(False)
        self._watch(await self.console.join(self.meeting_id), tr("Joining"))
        self.refresh_later()
        m = self.console.meeting(self.meeting_id)
        if m is not None and m.expert_attended is not None:
            self.report(tr("Your attendance is recorded."), False)

    @async_slot
    async def _open_video(self) -> None:
        """R17, R18: the server's link for the expert; opening it records attendance and leads into the room."""
        url = await self.console.video_link(self.meeting_id)
        if open_url(url):
            self.report(tr("The video room opens in your browser."), False)
        else:
            self.report(tr("No browser could be opened; your link is {url}", url=url))

    @async_slot
    async def _start(self) -> None:
        self.start_button.setEnabled(False)
        self._watch(await self.console.start_session(self.meeting_id), tr("Starting the session"))
        self.refresh_later()

    @async_slot
    async def _gift(self) -> None:
        self.gift.setEnabled(False)  # once per session; the engine refuses a second one anyway
        self._watch(await self.console.gift_minutes(self.meeting_id), tr("The extra minutes"))
        self.report(tr("{minutes} extra minutes given to the customer.",
                       minutes=self.console.policy.gift_seconds // 60), False)
        self._show_clock(await self.console.live_clock(self.meeting_id))

    @async_slot
    async def _end(self) -> None:
        if not await confirm(self, tr("End the session?"),
                             tr("The countdown stops for both of you and the session is billed."),
                             tr("End session"), tr("Keep going")):
            return
        self._ending = True  # the local view may not replay the end (the bill needs the server's ledger)
        self._watch(await self.console.end_session(self.meeting_id), tr("Ending the session"), ending=True)
        self.report(tr("The session is ending; the bill appears once the server confirms it."), False)
        self.refresh_later()

    @async_slot
    async def _send_chat(self) -> None:
        text = self.chat.input.text().strip()
        if not text:
            return
        self._watch(await self.console.post_chat(self.meeting_id, text), tr("Your message"))
        self.chat.input.clear()
        self.refresh_later()

    # --- the server's verdict on what was sent from here ------------------------------------------------

    def _watch(self, seq: int, what: str, ending: bool = False) -> None:
        self._watching[seq] = (what, ending)

    async def _check_watched(self) -> None:
        """Tell here, not only in the sync issues, when the server refused something done here."""
        for seq, (what, ending) in list(self._watching.items()):
            found = await asyncio.to_thread(command_state, self.console.cache, seq)
            if found.state == "rejected":
                del self._watching[seq]
                self._ending = self._ending and not ending
                reason = found.message[:1].upper() + found.message[1:]
                self.report(tr("{what} was refused by the server: {reason}", what=what, reason=reason))
            elif found.state == "applied":
                del self._watching[seq]

    @async_slot
    async def _attach_file(self) -> None:
        dialog = QFileDialog(self, tr("Attach a file"))
        dialog.setObjectName("attach-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if await finished(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        path = Path(dialog.selectedFiles()[0])
        seq = await self.console.add_attachment(self.meeting_id, path)
        await self.uploads.add(seq, path, "file")
        self.report(tr("“{name}” is shared; its upload starts once the server has it.", name=path.name), False)
        self.refresh_later()

    @async_slot
    async def _attach_snippet(self) -> None:
        dialog = SnippetDialog(self)
        if await finished(dialog) != QDialog.DialogCode.Accepted:
            return
        name, code = dialog.name.text().strip(), dialog.code.toPlainText()
        if not code.strip():
            self.report(tr("The snippet is empty; nothing was shared."))
            return
        seq = await self.console.add_snippet(self.meeting_id, name, code)
        await self.uploads.add(seq, code.encode("utf-8"), "snippet")
        self.refresh_later()


def _tone(chip: QLabel, tone: str) -> None:
    """Change a chip's colour (a property the style sheet reads), and make the style see it."""
    if chip.property("tone") != tone:
        chip.setProperty("tone", tone)
        chip.style().unpolish(chip)
        chip.style().polish(chip)
