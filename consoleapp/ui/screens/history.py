"""Session history (R21-R26, R34): every past session, newest first, and the detail of one.

The list is read with `history_index.load` (one SQL select over the cache, fast with 100 000
sessions) with the console's pending records laid on top; search and the status filter run
in `RowsProxy` over rows already in memory, so typing a customer's name filters at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QLocale, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client import history_index
from consoleapp.sync.client.console import HISTORY_STATUSES, Console
from consoleapp.sync.client.history_index import HistoryRow

from .. import fmt
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy, numeric
from ..tasks import start
from ..widgets import EmptyState, heading, selected_row, table
from .base import Context, Screen
from .history_detail import SessionPane
from .session_text import customer_label, mode_label, outcome_label, payment_label, status_label

WAITING = "waiting"  # the status filter's "waiting for your evaluation"


def _search_text(r: HistoryRow) -> str:
    """What the search box matches: the customer as shown, and the topic."""
    return f"{customer_label(r.customer_name, r.customer)}\x1f{r.topic}"


def _evaluation(r: HistoryRow) -> str:
    if r.expert_answer:
        return tr("Answered")
    if r.waiting_for_expert:
        return tr("To do")
    return "—"


def _outcome(r: HistoryRow) -> str:
    text = outcome_label(r.outcome) if r.outcome else payment_label(r.payment)
    if r.refunded:
        text = tr("{outcome}, {amount} refunded", outcome=text, amount=fmt.credits(r.refunded))
    return text


class HistoryScreen(Screen):
    key = "history"
    kinds = frozenset({"history", "claims", "profile"})  # profile: the time zone of the dates

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self.zone = ZoneInfo("UTC")
        self._lock = asyncio.Lock()
        self._loaded = False
        self._detail_task: asyncio.Task[None] | None = None
        self._keep = ""  # the status filter in force

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(heading(tr("Session history"),
                              tr("Every past session, newest first. Select one to see its timeline, chat, files "
                                 "and payment, and to give your evaluation.")))

        self.search = QLineEdit()
        self.search.setObjectName("history-search")
        self.search.setPlaceholderText(tr("Search by customer or topic (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.status = QComboBox()
        self.status.setObjectName("history-status")
        self.status.setToolTip(tr("Show only sessions in one state"))
        self.status.addItem(tr("All sessions"), "")
        self.status.addItem(tr("Waiting for your evaluation"), WAITING)
        for s in HISTORY_STATUSES:
            self.status.addItem(status_label(s.value), s.value)
        self.status.currentIndexChanged.connect(self._filter)
        self.count = QLabel()
        self.count.setObjectName("subheading")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.count)
        lay.addLayout(bar)

        columns: list[Column[HistoryRow]] = [
            Column(tr("Date"), lambda r: fmt.when(r.moment, self.zone), sort=lambda r: r.when, width=175),
            Column(tr("Customer"), lambda r: customer_label(r.customer_name, r.customer), width=100),
            Column(tr("Topic"), lambda r: r.topic, width=150, tip=lambda r: r.topic),
            Column(tr("Mode"), lambda r: mode_label(r.mode), width=55),
            Column(tr("Status"), lambda r: status_label(r.status), width=80,
                   tip=lambda r: tr("Not yet on the server") if r.pending else ""),
            Column(tr("Evaluation"), _evaluation, width=90, tip=lambda r: tr("Your evaluation")),
            Column(tr("Outcome"), _outcome, width=130),
            numeric(tr("Charged"), lambda r: r.charged, fmt.credits, width=65),
        ]
        self.model: RowsModel[HistoryRow] = RowsModel(columns, pending=lambda r: r.pending, search_text=_search_text)
        self.proxy = RowsProxy(self.model)
        self.table = table(self.proxy)
        self.table.setObjectName("history-table")
        self.empty = EmptyState()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.pane = SessionPane(console)
        self.pane.evaluated.connect(lambda _mid: start(self.refresh(), self))
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("history-split")
        self.split.addWidget(self.list_stack)
        self.split.addWidget(self.pane)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        lay.addWidget(self.split, 1)

        self._restore_layout()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._save_later())
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._save_later())
        self.split.splitterMoved.connect(lambda *_: self._save_later())
        self._saver = QTimer(self)
        self._saver.setSingleShot(True)
        self._saver.setInterval(400)
        self._saver.timeout.connect(self._save_layout)

        self._shortcut("Ctrl+F", self._focus_search)
        self._shortcut("F5", lambda: start(self.refresh(), self))
        self._shortcut("Escape", self._clear_search)

    @classmethod
    def caption(cls) -> str:
        return tr("Session history")

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        sc = QShortcut(QKeySequence(keys), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(slot)

    # --- layout kept between runs ------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = self.ctx.settings()
        header = s.value(f"{self.key}/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        else:
            self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        split = s.value(f"{self.key}/split")
        if split is not None:
            self.split.restoreState(split)
        else:
            self.split.setSizes([830, 430])
        h = self.table.horizontalHeader()
        self.proxy.sort(h.sortIndicatorSection(), h.sortIndicatorOrder())

    def _save_later(self) -> None:
        self._saver.start()

    def _save_layout(self) -> None:
        s = self.ctx.settings()
        s.setValue(f"{self.key}/header", self.table.horizontalHeader().saveState())
        s.setValue(f"{self.key}/split", self.split.saveState())

    # --- reading ------------------------------------------------------------------------------------

    async def refresh(self) -> None:
        async with self._lock:  # one load at a time; a change during a load gets the next one
            self.zone = fmt.zone((await self.console.profile()).time_zone)
            stored = await asyncio.to_thread(history_index.load, self.console.store.engine, self.console.me,
                                             HISTORY_STATUSES)
            page = await self.console.history(limit=0)  # only the records pending commands touch
            pending = [history_index.row_of(i.meeting, True) for i in page.items if i.pending]
            rows = history_index.merge(stored, pending)
            current = self.current_id()
            self.model.set_rows(rows)
            self._loaded = True
            # The lowercase search text of every row, built now rather than on the first keystroke.
            await asyncio.to_thread(self.model.haystack)
            self._show_count()
            if current and self._select_id(current):
                await self.pane.show_session(current, self.zone)
            elif self.pane.meeting_id:
                self.pane.clear()

    async def badge(self) -> int:
        """Sessions waiting for the expert's evaluation (R26), counting answers not yet sent."""
        waiting = await asyncio.to_thread(history_index.waiting_ids, self.console.store.engine, self.console.me)
        page = await self.console.history(limit=0)  # records pending commands touch, as they will be
        for item in page.items:
            if item.pending and history_index.row_of(item.meeting).waiting_for_expert:
                waiting.add(item.meeting.id)
            elif item.pending:
                waiting.discard(item.meeting.id)
        return len(waiting)

    def select(self, ref: str) -> None:
        if not self._select_id(ref):
            self.search.clear()
            self.status.setCurrentIndex(0)
            if not self._select_id(ref) and not self._loaded:
                start(self._select_after_load(ref), self)

    async def _select_after_load(self, ref: str) -> None:
        await self.refresh()
        self._select_id(ref)

    # --- list -----------------------------------------------------------------------------------------

    def current_id(self) -> str:
        found = selected_row(self.table)
        return found.id if isinstance(found, HistoryRow) else ""

    def _select_id(self, meeting_id: str) -> bool:
        for i in range(self.proxy.rowCount()):
            if self.proxy.row(i).id == meeting_id:
                index = self.proxy.index(i, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return True
        return False

    def _filter(self) -> None:
        """Search and status filter; each only rebuilds the proxy when it changed (one pass over the rows)."""
        wanted = self.status.currentData() or ""
        if wanted != self._keep:
            self._keep = wanted
            if wanted == WAITING:
                self.proxy.set_keep(lambda r: r.waiting_for_expert)
            elif wanted:
                self.proxy.set_keep(lambda r: r.status == wanted)
            else:
                self.proxy.set_keep(None)
        self.proxy.set_search(self.search.text())
        self._show_count()
        if not self.current_id() and self.pane.meeting_id:
            self.pane.clear()

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.empty.setText(tr("No past sessions yet. Sessions appear here once they are over, cancelled or "
                                  "declined; accepted requests wait in Upcoming sessions."))
        elif shown == 0:
            self.empty.setText(tr("No session matches this search. Clear the search box or choose "
                                  "\u201cAll sessions\u201d."))
        self.list_stack.setCurrentWidget(self.table if shown else self.empty)
        self.count.setText(tr("{shown} of {total}", shown=QLocale().toString(shown),
                              total=QLocale().toString(total)) if shown != total
                           else tr("{total} sessions", total=QLocale().toString(total)))

    def _selection_changed(self) -> None:
        meeting_id = self.current_id()
        if meeting_id == self.pane.meeting_id:
            return
        if self._detail_task is not None and not self._detail_task.done():
            self._detail_task.cancel()
        self._detail_task = start(self.pane.show_session(meeting_id, self.zone), self)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _clear_search(self) -> None:
        if self.search.text():
            self.search.clear()
