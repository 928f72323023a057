"""New requests (R6-R10, R15, R16): what customers asked, answered from one card.

Instant requests come first with a countdown that ticks here every second (from the
`seconds_left` the Console computed at the server's time) and is read again from the Console
when anything changes. Scheduled requests offer the customer's times in both zones; bookings
and moved meetings are approved or declined. Before any time is confirmed the Console is asked
for overlapping agreed meetings (R10): a warning the expert may override, never a refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.requests import RequestCategory
from consoleapp.sync.client.console import RequestItem

from .. import fmt, style, tasks, widgets
from ..i18n import tr
from ..models import Column, Index, RowsModel, RowsProxy, numeric
from ..tasks import async_slot
from . import meeting_parts as mp
from .base import Screen
from .request_card import RequestCard, category_label

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console

    from .base import Context


class Requests(RowsModel[RequestItem]):
    """The request rows, with an instant request's countdown drawn bold and red: it is urgent."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == 1 and self.rows[index.row()].category is RequestCategory.INSTANT:
            if role == Qt.ItemDataRole.ForegroundRole:
                return _URGENT
            if role == Qt.ItemDataRole.FontRole:
                return _BOLD
        return super().data(index, role)


_URGENT = QBrush(QColor(style.BAD))
_BOLD = QFont()
_BOLD.setBold(True)


class RequestsScreen(Screen):
    key: ClassVar[str] = "requests"
    kinds: ClassVar[frozenset[str]] = frozenset({"requests", "meetings", "profile"})

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self.zone = ZoneInfo("UTC")
        self._loaded_at = time.monotonic()  # when the Console's `seconds_left` were read
        self._wanted = ""  # a request `select()` asked for before it was loaded
        self._reloading = False
        self._filling = False  # the table is being refilled: its selection signals mean nothing
        self._watched: dict[int, str] = {}  # "Accept and start" sent from here, until answered: seq -> customer
        self._unwatch: Callable[[], None] | None = None

        self.model: RowsModel[RequestItem] = Requests(self._columns(), pending=lambda r: r.pending)
        self.proxy = RowsProxy(self.model, self)
        self.table = widgets.table(self.proxy, sortable=False)  # the Console's order is the order to answer in
        self.table.setObjectName("requests-table")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.empty = widgets.EmptyState(tr(
            "No request is waiting. Instant requests arrive while you have an open slot: add a \"Now\" "
            "slot under Availability & offers to receive them."))
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)

        self.card = RequestCard()
        self.card.primary.connect(self.on_primary)
        self.card.decline.connect(self.on_decline)
        self.card.propose.connect(self.on_propose)
        self.card.withdraw.connect(self.on_withdraw)
        self.splitter = mp.list_and_card(self.lists, self.card)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(widgets.heading(tr("New requests"), tr(
            "Answer instant requests before their countdown ends; pick a time for scheduled ones. "
            "A accepts or approves the selected request, D declines it.")))
        body = QHBoxLayout()
        body.addWidget(self.splitter)
        lay.addLayout(body, 1)
        mp.keep_layout(ctx.settings(), self.key, self.table.horizontalHeader(), self.splitter)

        mp.shortcut(self, "A", self.on_primary)
        mp.shortcut(self, "D", self.on_decline)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)

    @classmethod
    def caption(cls) -> str:
        return tr("New requests")

    # --- the list --------------------------------------------------------------------------------

    def _columns(self) -> list[Column[RequestItem]]:
        return [
            Column(tr("Kind"), lambda r: category_label(r.category), width=88),
            Column(tr("Answer within / time"), self._when_text, width=225),
            Column(tr("Customer"), lambda r: mp.customer_label(r.meeting), width=100),
            numeric(tr("Budget"), lambda r: r.meeting.price, fmt.credits, width=70),
            Column(tr("Topic"), lambda r: r.meeting.topic),  # the last column takes the room left
        ]

    def left(self, item: RequestItem) -> int | None:
        """Seconds an instant request has left, counted down here since the last read."""
        if item.seconds_left is None:
            return None
        return max(0, item.seconds_left - int(time.monotonic() - self._loaded_at))

    def _when_text(self, item: RequestItem) -> str:
        if item.category is RequestCategory.INSTANT:
            return tr("{left} left", left=fmt.countdown(self.left(item) or 0))
        if not item.times:
            return "—"
        first = fmt.when(item.times[0], self.zone)
        more = len(item.times) - 1
        return tr("{time} (+{n} more)", time=first, n=more) if more else first

    def selected(self) -> RequestItem | None:
        found = widgets.selected_row(self.table)
        return found if isinstance(found, RequestItem) else None

    def select(self, ref: str) -> None:
        self._wanted = ref
        for i in range(self.proxy.rowCount()):
            if self.proxy.row(i).id == ref:
                self.table.selectionModel().setCurrentIndex(
                    self.proxy.index(i, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.proxy.index(i, 0))
                self._wanted = ""
                return

    # --- reading ---------------------------------------------------------------------------------

    async def refresh(self) -> None:
        self.zone = fmt.zone((await self.console.profile()).time_zone)
        items = await self.console.new_requests()
        self._loaded_at = time.monotonic()
        current = self.selected()
        keep = self._wanted or (current.id if current is not None else "")
        self._filling = True
        try:
            self.model.set_rows(items)
            self.lists.setCurrentWidget(self.table if items else self.empty)
            if items:
                self.select(keep if any(i.id == keep for i in items) else items[0].id)
        finally:
            self._filling = False
        self._show_selected()
        if any(i.category is RequestCategory.INSTANT for i in items):
            self.ticker.start()
        else:
            self.ticker.stop()

    async def badge(self) -> int:
        return len(await self.console.new_requests())

    def _show_selected(self) -> None:
        if self._filling:
            return
        item = self.selected()
        if item is None:
            self.card.show_nothing()
            return
        self.card.show_item(item, self.zone, self.console.now(), self.left(item))

    def _tick(self) -> None:
        """Each second: move the countdowns; when one runs out, read the list again."""
        instants = [r for r in self.model.rows if r.category is RequestCategory.INSTANT]
        if not instants:
            self.ticker.stop()
            return
        top, bottom = self.model.index(0, 1), self.model.index(self.model.rowCount() - 1, 1)
        self.model.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])
        item = self.selected()
        if item is not None:
            self.card.tick(self.left(item), self.console.now(), self.zone)
        if any(self.left(r) == 0 for r in instants) and not self._reloading:
            self._reloading = True
            tasks.start(self._reload(), self)

    async def _reload(self) -> None:
        try:
            await self.refresh()
        finally:
            self._reloading = False

    # --- answering -----------------------------------------------------------------------------------

    @async_slot
    async def on_primary(self) -> None:
        """A: accept an instant request, pick the chosen time, approve a booking or a new time."""
        item = self.card.item if self.card.item is not None else self.selected()
        if item is None:
            return
        m = item.meeting
        who = mp.customer_label(m)
        if item.category is RequestCategory.INSTANT:
            self._watch(await self.console.accept_instant(m.id), who)
            self.ctx.open_live(m.id)  # R6: accepted means the session starts now
            self.report(tr("Accepted: your session with {customer} starts now.", customer=who), False)
        else:
            start = self.card.chosen_time()
            if start is None:
                self.report(tr("Choose one of the proposed times first."))
                return
            if not await mp.overlaps_ok(self, self.console, m.id, start, self.zone):
                return
            if item.category is RequestCategory.SCHEDULED:
                await self.console.pick_time(m.id, start)
            elif item.category is RequestCategory.BOOKING:
                await self.console.approve_booking(m.id)
            else:
                await self.console.approve_alternative(m.id)
            self.report(tr("Agreed with {customer} for {time}.", customer=who, time=fmt.when(start, self.zone)), False)
        await self.refresh()

    def _watch(self, seq: int, who: str) -> None:
        """Follow a sent "Accept and start" until the server answers: a refusal is said here."""
        self._watched[seq] = who
        if self._unwatch is None:
            unwatch = self._unwatch = self.console.subscribe(self._on_changes)
            self.destroyed.connect(lambda *_: unwatch())

    def _on_changes(self, changes: frozenset[str]) -> None:
        if changes & {"issues", "status"}:
            tasks.start(self._check_watched(), self)

    async def _check_watched(self) -> None:
        for seq in list(self._watched):
            # Whether it waits is asked first: the answer leaves the outbox and lands in the
            # issues in one transaction, so once it no longer waits its refusal can be read.
            # Asked the other way round, an answer landing between the two reads went unsaid.
            if self.console.waiting(seq):
                continue
            issue = await self.console.refusal(seq)
            who = self._watched.pop(seq, None)  # None: a check running beside this one said it
            if issue is not None and who is not None:
                self.report(tr("{customer}'s request could not be accepted: {reason}", customer=who,
                               reason=issue.message))
        if not self._watched and self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    @async_slot
    async def on_decline(self) -> None:
        """D: decline with a reason from the list; a customer's new time is rejected in words."""
        item = self.card.item if self.card.item is not None else self.selected()
        if item is None:
            return
        m = item.meeting
        who = mp.customer_label(m)
        if item.category is RequestCategory.ALTERNATIVE:
            reason = await mp.ask_reason(
                self, tr("Reject the new time"),
                tr("{customer} keeps the time already agreed. Tell them why the new one does not suit you.",
                   customer=who),
                tr("Reject the new time"), placeholder=tr("Your reason, shown to the customer"))
            if reason is None:
                return
            await self.console.reject_alternative(m.id, reason)
            self.report(tr("New time rejected; the agreed time stays."), False)
        else:
            reason = await mp.ask_reason(
                self, tr("Decline the request"),
                tr("Decline \"{topic}\" from {customer}? Their held credits go back to them.", topic=m.topic,
                   customer=who),
                tr("Decline"), choices=mp.decline_choices(self.console))
            if reason is None:
                return
            await self.console.decline(m.id, reason)
            self.report(tr("Request from {customer} declined.", customer=who), False)
        await self.refresh()

    @async_slot
    async def on_propose(self) -> None:
        """R7/R16: another time; the customer approves or rejects it."""
        item = self.card.item
        start = self.card.proposed_time()
        if item is None or start is None:
            return
        await self.console.propose_time(item.id, start)
        self.report(tr("Proposed {time} to {customer}.", time=fmt.when(start, self.zone),
                       customer=mp.customer_label(item.meeting)), False)
        await self.refresh()

    @async_slot
    async def on_withdraw(self) -> None:
        item = self.card.item
        if item is None:
            return
        await self.console.withdraw_alternative(item.id)
        self.report(tr("Your proposed time was withdrawn."), False)
        await self.refresh()
