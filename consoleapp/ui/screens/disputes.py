"""Disputes (R29-R31): customers' refund claims, answered by a refund or a dispute.

Open claims come first, each with the time left to answer before it goes to the operator
unanswered; then the disputed ones waiting for the operator; then the decided ones with their
outcome. The selected claim is shown on the right with the two answers. Every answer is
confirmed first and sent as the Console's command; the engine decides what it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import fmt, widgets
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy, numeric
from ..tasks import async_slot
from .base import Screen
from .dispute_card import ClaimCard
from .dispute_parts import ClaimRow, outcome_text, row_of, time_left

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console

    from .base import Context

OPEN, REVIEW, DECIDED = 0, 1, 2
REFUND_KEYS = "Ctrl+Shift+R"
DISPUTE_KEYS = "Ctrl+Shift+D"


def _keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class DisputesScreen(Screen):
    key = "disputes"
    kinds = frozenset({"claims", "profile"})

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self.zone = ZoneInfo("UTC")
        self._build()
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)  # the countdowns move on by the minute: half a minute is enough
        self._clock.timeout.connect(self._tick)
        self._clock.start()

    @classmethod
    def caption(cls) -> str:
        return tr("Disputes")

    async def badge(self) -> int:
        """Claims still waiting for an answer (one already sent is not counted)."""
        return sum(1 for item in (await self.console.claims()).open if not item.pending)

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 20, 24, 16)
        page.setSpacing(12)
        page.addWidget(widgets.heading(tr("Disputes"), tr(
            "Customers' refund claims. Refund all or part, or dispute with a summary for the operator; "
            "a claim left unanswered past its deadline goes to the operator.")))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("claim-tabs")
        self.models: list[RowsModel[ClaimRow]] = []
        self.proxies: list[RowsProxy] = []
        self.views: list[QTableView] = []
        self.stacks: list[QStackedWidget] = []
        self.empties: list[widgets.EmptyState] = []
        for kind, (columns, empty) in enumerate((
                (self._open_columns(), tr("No open claims. When a customer asks for a refund, the claim shows "
                                          "here with the time you have to answer it.")),
                (self._review_columns(), tr("No claims with the operator. Claims you dispute wait here for "
                                            "the operator's decision.")),
                (self._decided_columns(), tr("No decided claims yet. Refunded claims and the operator's "
                                             "decisions are kept here.")))):
            self.tabs.addTab(self._list(kind, columns, empty), "")
        self.tabs.currentChanged.connect(lambda _i: self._show_selected())
        split.addWidget(self.tabs)

        self.card = ClaimCard(_keys(REFUND_KEYS), _keys(DISPUTE_KEYS))
        self.card.refund.clicked.connect(self._refund)
        self.card.dispute.clicked.connect(self._dispute)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.card)
        self.nothing = widgets.EmptyState(tr("Select a claim to read it and answer it."))
        self.side = QStackedWidget()
        self.side.addWidget(scroll)
        self.side.addWidget(self.nothing)
        self.side.setCurrentWidget(self.nothing)
        self.side.setMinimumWidth(340)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        page.addWidget(split, 1)
        self._set_tab_titles(0, 0, 0)

        for keys, slot in ((REFUND_KEYS, self._refund), (DISPUTE_KEYS, self._dispute)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    def _list(self, kind: int, columns: list[Column[ClaimRow]], empty: str) -> QWidget:
        model: RowsModel[ClaimRow] = RowsModel(columns, pending=lambda r: r.pending)
        proxy = RowsProxy(model)
        view = widgets.table(proxy)
        view.setObjectName(("open-claims", "review-claims", "decided-claims")[kind])
        view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self._keep_layout(view, ("open", "review", "decided")[kind])
        blank = widgets.EmptyState(empty)
        stack = QStackedWidget()
        stack.addWidget(view)
        stack.addWidget(blank)
        self.models.append(model)
        self.proxies.append(proxy)
        self.views.append(view)
        self.stacks.append(stack)
        self.empties.append(blank)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(stack)
        return box

    def _common(self) -> list[Column[ClaimRow]]:
        return [
            Column(tr("Customer"), lambda r: r.customer, width=110),
            Column(tr("Session"), lambda r: r.session, width=150,
                   tip=lambda r: fmt.when(r.session_start, self.zone) if r.session_start else ""),
            numeric(tr("Claimed"), lambda r: r.claim.amount, fmt.credits, width=80),
        ]

    def _open_columns(self) -> list[Column[ClaimRow]]:
        return [Column(tr("Answer within"), lambda r: time_left(r.item.deadline, self.ctx.now()),
                       sort=lambda r: r.item.deadline, width=125,
                       tip=lambda r: tr("Answer by {when}", when=fmt.when(r.item.deadline, self.zone))),
                *self._common(),
                Column(tr("Reason"), lambda r: r.claim.reason.replace("\n", " "), tip=lambda r: r.claim.reason)]

    def _review_columns(self) -> list[Column[ClaimRow]]:
        return [Column(tr("Opened"), lambda r: fmt.when(r.claim.opened_at, self.zone), sort=lambda r: r.claim.opened_at,
                       width=160),
                *self._common(),
                Column(tr("Your summary"), lambda r: r.claim.summary.replace("\n", " "), tip=lambda r: r.claim.summary)]

    def _decided_columns(self) -> list[Column[ClaimRow]]:
        return [Column(tr("Decided"), lambda r: fmt.when(r.claim.decided_at or r.claim.opened_at, self.zone),
                       sort=lambda r: r.claim.decided_at or r.claim.opened_at, width=160),
                *self._common(),
                Column(tr("Outcome"), lambda r: outcome_text(r.item))]

    def _keep_layout(self, view: QTableView, name: str) -> None:
        """Column widths and order survive restarts (QSettings under 'disputes/...')."""
        key = f"{self.key}/{name}_header"
        header = view.horizontalHeader()
        state = self.ctx.settings().value(key)
        if isinstance(state, QByteArray | bytes) and state:
            header.restoreState(QByteArray(state))

        def save(*_: Any) -> None:
            self.ctx.settings().setValue(key, header.saveState())

        header.sectionResized.connect(save)
        header.sectionMoved.connect(save)
        header.sortIndicatorChanged.connect(save)

    def _set_tab_titles(self, n_open: int, n_review: int, n_decided: int) -> None:
        self.tabs.setTabText(OPEN, tr("Open ({count})", count=n_open))
        self.tabs.setTabText(REVIEW, tr("With the operator ({count})", count=n_review))
        self.tabs.setTabText(DECIDED, tr("Decided ({count})", count=n_decided))

    # --- data ------------------------------------------------------------------------------------

    async def refresh(self) -> None:
        self.zone = fmt.zone((await self.console.profile()).time_zone)
        claims = await self.console.claims()
        keep = self.card.row.id if self.card.row is not None else ""
        for kind, items in enumerate((claims.open, claims.under_review, claims.decided)):
            self.models[kind].set_rows([row_of(self.console, item) for item in items])
            self.stacks[kind].setCurrentIndex(0 if items else 1)
        self._set_tab_titles(len(claims.open), len(claims.under_review), len(claims.decided))
        self._reselect(keep)

    def select(self, ref: str) -> None:
        """Show the claim `ref`, in whichever list it is now."""
        for kind, proxy in enumerate(self.proxies):
            for i in range(proxy.rowCount()):
                if proxy.row(i).id == ref:
                    self.tabs.setCurrentIndex(kind)
                    self.views[kind].selectRow(i)
                    self._show_selected()
                    return

    def _reselect(self, claim_id: str) -> None:
        """After a refresh: the same claim if it is still in this list, else the first one."""
        kind = self.tabs.currentIndex()
        proxy, view = self.proxies[kind], self.views[kind]
        at = next((i for i in range(proxy.rowCount()) if proxy.row(i).id == claim_id), 0 if proxy.rowCount() else -1)
        if at >= 0:
            view.selectRow(at)
        self._show_selected()

    def selected(self) -> ClaimRow | None:
        found = widgets.selected_row(self.views[self.tabs.currentIndex()])
        return found if isinstance(found, ClaimRow) else None

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            kind = self.tabs.currentIndex()
            if self.proxies[kind].rowCount():
                self.views[kind].selectRow(0)  # selecting calls back here with the row
                return
            self.card.row = None
            self.side.setCurrentWidget(self.nothing)
            self.side.setVisible(False)  # an empty list's own message says it all, across the page
            return
        self.card.show_row(row, self.zone, self.ctx.now())
        self.side.setCurrentIndex(0)
        self.side.setVisible(True)

    def _tick(self) -> None:
        model = self.models[OPEN]
        if model.rows:
            model.dataChanged.emit(model.index(0, 0), model.index(len(model.rows) - 1, 0))
        self.card.tick(self.zone, self.ctx.now())

    # --- answers (R30) ---------------------------------------------------------------------------

    def _answerable(self) -> ClaimRow | None:
        row = self.card.row
        if row is None or self.tabs.currentIndex() != OPEN or not self.card.answer.isEnabled():
            return None
        return row

    @async_slot
    async def _refund(self) -> None:
        row = self._answerable()
        if row is None:
            return
        amount = self.card.amount.value()
        ok = await widgets.confirm(
            self, tr("Refund the claim?"),
            tr("Refund {amount} of the {claimed} {customer} claimed? The credits go back to the customer and are "
               "taken from your earnings.", amount=fmt.credits(amount), claimed=fmt.credits(row.claim.amount),
               customer=row.customer),
            tr("Refund {amount}", amount=fmt.credits(amount)))
        if not ok:
            return
        await self.console.refund_claim(row.id, amount)
        self.report(tr("Refund of {amount} to {customer} recorded; it reaches the server with the next sync.",
                       amount=fmt.credits(amount), customer=row.customer), False)
        await self.refresh()

    @async_slot
    async def _dispute(self) -> None:
        row = self._answerable()
        if row is None:
            return
        summary = self.card.summary.toPlainText().strip()
        if not summary:
            message = tr("Write a summary of what happened before disputing: the operator decides on it. "
                         "Nothing was sent.")
            self.card.refuse_summary(message)
            self.report(message)
            return
        ok = await widgets.confirm(
            self, tr("Dispute the claim?"),
            tr("Send the claim of {customer} to the operator with your summary? If the operator rejects the dispute, "
               "the customer is refunded {amount} from your earnings.", customer=row.customer,
               amount=fmt.credits(row.claim.amount)),
            tr("Send the dispute"))
        if not ok:
            return
        await self.console.dispute_claim(row.id, summary)
        self.card.summary.clear()
        self.report(tr("Dispute sent to the operator with your summary."), False)
        await self.refresh()
