"""Earnings (R32, R33): the month's figures, twelve months as bars, the transaction record,
the balance and the next payout, the payouts with their statements.

Every figure is the Console's: the screen picks a month, asks, and shows. The month picker
holds the last twelve months and any older month with a movement in the record.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import MonthSummary, Payout

from .. import fmt, widgets
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy, numeric
from ..tasks import async_slot, start
from .base import Screen
from .chart import Bar, BarChart
from .earnings_files import Movement, month_csv, movements, save_as, write
from .earnings_parts import Figure, describer, label_text, missing_text

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console, PayoutOutlook

    from .base import Context

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class EarningsScreen(Screen):
    key = "earnings"
    kinds = frozenset({"earnings", "profile"})

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self.zone = ZoneInfo("UTC")
        self.month = ""  # the month shown, 'YYYY-MM'
        self.summary: MonthSummary | None = None
        self.outlook: PayoutOutlook | None = None
        self._asked = ""  # the month whose summary was asked last: older answers are dropped
        self._build()

    @classmethod
    def caption(cls) -> str:
        return tr("Earnings")

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 20, 24, 16)
        page.setSpacing(12)
        page.addWidget(widgets.heading(tr("Earnings"), tr(
            "What your sessions earned month by month, every movement of your earnings, and when they are paid out.")))
        page.addLayout(self._month_bar())
        page.addLayout(self._figures())
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self._chart_card(), 3)
        middle.addWidget(self._payout_card(), 2)
        page.addLayout(middle, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("earnings-tabs")
        self.tabs.addTab(self._transactions_tab(), tr("Transactions"))
        self.tabs.addTab(self._payouts_tab(), tr("Payouts"))
        page.addWidget(self.tabs, 1)
        self._shortcuts()

    def _month_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        label = QLabel(tr("Month"))
        self.picker = QComboBox()
        self.picker.setObjectName("month-picker")
        self.picker.setMinimumWidth(170)
        self.picker.setToolTip(tr("The month the figures, the highlighted bar and the transactions show "
                                  "({prev} / {next})", prev=_keys("Ctrl+PgUp"), next=_keys("Ctrl+PgDown")))
        self.picker.currentIndexChanged.connect(self._picked_index)
        label.setBuddy(self.picker)
        self.export_month = QPushButton(tr("Export month CSV…"))
        self.export_month.setObjectName("export-month")
        self.export_month.setToolTip(tr("Save the transactions of the selected month as a CSV file ({key})",
                                        key=_keys("Ctrl+Shift+E")))
        self.export_month.clicked.connect(self._export_month)
        self.older = QToolButton()
        self.older.setObjectName("older-month")
        self.older.setArrowType(Qt.ArrowType.LeftArrow)
        self.older.setToolTip(tr("The month before ({key})", key=_keys("Ctrl+PgUp")))
        self.older.clicked.connect(lambda: self._step(+1))
        self.newer = QToolButton()
        self.newer.setObjectName("newer-month")
        self.newer.setArrowType(Qt.ArrowType.RightArrow)
        self.newer.setToolTip(tr("The month after ({key})", key=_keys("Ctrl+PgDown")))
        self.newer.clicked.connect(lambda: self._step(-1))
        bar.addWidget(label)
        bar.addWidget(self.older)
        bar.addWidget(self.picker)
        bar.addWidget(self.newer)
        bar.addStretch(1)
        bar.addWidget(self.export_month)
        return bar

    def _figures(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(10)
        self.figures = {
            "sessions": Figure(tr("Sessions"), tr("Sessions and events settled in the month")),
            "hours": Figure(tr("Hours"), tr("Hours of the sessions settled in the month")),
            "gross": Figure(tr("Gross"), tr("What customers were charged")),
            "commission": Figure(tr("Commission"), tr("The platform's commission")),
            "refunds": Figure(tr("Refunds"), tr("Credits refunded to customers after claims")),
            "claims": Figure(tr("Claims"), tr("Refund claims opened in the month")),
            "net": Figure(tr("Net"), tr("What you earned: gross less commission and refunds")),
        }
        for i, card in enumerate(self.figures.values()):
            grid.addWidget(card, 0, i)
        self.figures["net"].value.setStyleSheet("color: #0f766e;")  # the figure that matters most
        return grid

    def _chart_card(self) -> QWidget:
        card = widgets.Card()
        title = QLabel(tr("Net earnings, last 12 months"))
        title.setStyleSheet("font-weight: 600;")
        hint = QLabel(tr("Click a bar to see that month."))
        hint.setObjectName("subheading")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(hint)
        card.body.addLayout(head)
        self.chart = BarChart()
        self.chart.picked.connect(self.show_month)
        card.body.addWidget(self.chart, 1)
        return card

    def _payout_card(self) -> QWidget:
        card = widgets.Card()
        card.setObjectName("card")
        caption = QLabel(tr("Balance"))
        caption.setObjectName("figure-label")
        self.balance_label = QLabel("—")
        self.balance_label.setObjectName("figure")
        self.available_label = QLabel("")
        self.available_label.setObjectName("subheading")
        self.payout_day = QLabel("")
        self.payout_day.setWordWrap(True)
        self.payout_chip = widgets.Chip("")
        self.payout_why = QLabel("")
        self.payout_why.setWordWrap(True)
        self.payout_why.setObjectName("subheading")
        self.fix_profile = QPushButton(tr("Complete payout profile"))
        self.fix_profile.setObjectName("fix-payout-profile")
        self.fix_profile.setProperty("primary", True)
        self.fix_profile.setToolTip(tr("Open Profile & payout to fill in what a payout needs"))
        self.fix_profile.clicked.connect(lambda: self.ctx.show_screen("profile"))
        self.fix_profile.hide()
        self.payout_rule = QLabel("")
        self.payout_rule.setObjectName("subheading")
        self.payout_rule.setWordWrap(True)
        card.body.addWidget(caption)
        card.body.addWidget(self.balance_label)
        card.body.addWidget(self.available_label)
        card.body.addSpacing(6)
        card.body.addWidget(self.payout_day)
        card.body.addWidget(widgets.row(self.payout_chip))
        card.body.addWidget(self.payout_why)
        card.body.addWidget(self.fix_profile, 0, Qt.AlignmentFlag.AlignLeft)
        card.body.addStretch(1)
        card.body.addWidget(self.payout_rule)
        return card

    def _transactions_tab(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 8, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("search-transactions")
        self.search.setPlaceholderText(tr("Search the transactions (description, reference)"))
        self.search.setClearButtonEnabled(True)
        self.only_month = QCheckBox(tr("Only the selected month"))
        self.only_month.setObjectName("only-month")
        self.only_month.setChecked(True)
        self.only_month.toggled.connect(lambda _on: self._filter_moves())
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addSpacing(12)
        tools.addWidget(self.only_month)
        lay.addLayout(tools)
        self.moves_model: RowsModel[Movement] = RowsModel(self._move_columns(),
                                                          search_text=lambda m: f"{m.row['label']} {label_text(m.row['label'])} {m.row['ref']}")
        self.moves_proxy = RowsProxy(self.moves_model)
        self.search.textChanged.connect(self.moves_proxy.set_search)
        self.moves_view = widgets.table(self.moves_proxy)
        self.moves_view.setObjectName("transactions")
        self.moves_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self._keep_layout(self.moves_view, "transactions")
        self.moves_empty = widgets.EmptyState()
        self.moves_stack = QStackedWidget()
        self.moves_stack.addWidget(self.moves_view)
        self.moves_stack.addWidget(self.moves_empty)
        lay.addWidget(self.moves_stack, 1)
        return box

    def _move_columns(self) -> list[Column[Movement]]:
        def amount_text(m: Movement) -> str:
            text = fmt.signed_credits(m.row["amount"])
            return text if m.row["posted"] else tr("{amount} (held)", amount=text)

        return [
            Column(tr("Date"), lambda m: fmt.when(m.local, self.zone), sort=lambda m: m.row["at"], width=170),
            Column(tr("Description"), lambda m: label_text(m.row["label"]), width=280,
                   tip=lambda m: tr("Reference: {ref}", ref=m.row["ref"])),
            Column(tr("Amount"), amount_text, sort=lambda m: m.row["amount"], align=_RIGHT, width=120,
                   tip=lambda m: "" if m.row["posted"] else tr("Held credits: not in your balance until settled")),
            numeric(tr("Balance after"), lambda m: int(m.row["balance"]), fmt.credits, width=120),
            Column(tr("Session"), lambda m: m.about or str(m.row["ref"])[:12],
                   tip=lambda m: tr("Reference: {ref}", ref=m.row["ref"])),
        ]

    def _payouts_tab(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 8, 0, 0)
        self.payouts_model: RowsModel[Payout] = RowsModel([
            Column(tr("Payout day"), lambda p: fmt.day(_date(p.day)), sort=lambda p: p.day, width=220),
            numeric(tr("Amount"), lambda p: p.amount, fmt.credits, width=120),
            Column(tr("Made"), lambda p: fmt.when(p.made_at, self.zone), sort=lambda p: p.made_at, width=190),
            numeric(tr("Movements"), lambda p: len(p.transfer_ids), width=100),
        ])
        self.payouts_proxy = RowsProxy(self.payouts_model)
        self.payouts_view = widgets.table(self.payouts_proxy)
        self.payouts_view.setObjectName("payouts")
        self.payouts_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.payouts_view.selectionModel().selectionChanged.connect(lambda *_: self._payout_buttons())
        self._keep_layout(self.payouts_view, "payouts")
        self.payouts_empty = widgets.EmptyState()
        self.payouts_stack = QStackedWidget()
        self.payouts_stack.addWidget(self.payouts_view)
        self.payouts_stack.addWidget(self.payouts_empty)
        self.statement_csv = QPushButton(tr("Statement CSV…"))
        self.statement_csv.setObjectName("statement-csv")
        self.statement_csv.setToolTip(tr("Save the selected payout's statement as CSV ({key})", key=_keys("Ctrl+Shift+S")))
        self.statement_csv.clicked.connect(self._export_csv)
        self.statement_pdf = QPushButton(tr("Statement PDF…"))
        self.statement_pdf.setObjectName("statement-pdf")
        self.statement_pdf.setToolTip(tr("Save the selected payout's statement as PDF ({key})", key=_keys("Ctrl+Shift+P")))
        self.statement_pdf.clicked.connect(self._export_pdf)
        lay.addWidget(self.payouts_stack, 1)
        lay.addWidget(widgets.row(self.statement_csv, self.statement_pdf))
        self._payout_buttons()
        return box

    def _shortcuts(self) -> None:
        for keys, slot in (("Ctrl+Shift+E", self._export_month), ("Ctrl+Shift+S", self._export_csv),
                           ("Ctrl+Shift+P", self._export_pdf), ("Ctrl+PgUp", lambda: self._step(+1)),
                           ("Ctrl+PgDown", lambda: self._step(-1))):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    def _keep_layout(self, view: QTableView, name: str) -> None:
        """The column widths and order survive restarts (QSettings under 'earnings/...')."""
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

    # --- data ------------------------------------------------------------------------------------

    async def refresh(self) -> None:
        con = self.console
        profile = await con.profile()
        self.zone = fmt.zone(profile.time_zone)
        year = await con.earnings_last_12_months()
        rows = await con.transactions()
        moves = await asyncio.to_thread(movements, rows, self.zone, describer(con.movement_subjects()))
        outlook = await con.payout_outlook()
        balance = await con.balance()
        payouts = await con.payouts()

        this_month = year[-1].month
        months = sorted({s.month for s in year} | {m.month for m in moves}, reverse=True)
        month = self.month if self.month in months else this_month
        self.picker.blockSignals(True)
        self.picker.clear()
        for key in months:
            self.picker.addItem(fmt.month(key), key)
        self.picker.setCurrentIndex(months.index(month))
        self.picker.blockSignals(False)

        self.chart.set_bars([Bar(s.month, fmt.short_month(s.month), s.net, fmt.credits(s.net),
                                 tr("{month}: {net} net from {sessions} sessions", month=fmt.month(s.month),
                                    net=fmt.credits(s.net), sessions=s.sessions)) for s in year], month)
        self.moves_model.set_rows(moves)
        self._show_outlook(outlook, balance)
        self.payouts_model.set_rows(payouts)
        self.payouts_empty.setText(tr(
            "No payouts yet. Payouts are made on days {days} of each month when your balance reaches "
            "{threshold} and your payout profile is complete.", days=self._payout_days(),
            threshold=fmt.credits(outlook.threshold)))
        self.tabs.setTabText(1, tr("Payouts ({count})", count=len(payouts)) if payouts else tr("Payouts"))
        self.payouts_stack.setCurrentIndex(0 if payouts else 1)
        if payouts and not self.payouts_view.selectionModel().hasSelection():
            self.payouts_view.selectRow(0)
        self._payout_buttons()
        self.month = ""  # so the month below is shown again with fresh figures
        await self._show(month)

    def show_month(self, month: str) -> None:
        """Select a month (from the picker, a bar, or a shortcut) and load its figures."""
        start(self._show(month), self)

    def _picked_index(self, index: int) -> None:
        month = self.picker.itemData(index)
        if isinstance(month, str) and month:
            self.show_month(month)

    def _step(self, delta: int) -> None:
        """+1: an older month (the picker lists newest first); -1: a newer one."""
        i = self.picker.currentIndex() + delta
        if 0 <= i < self.picker.count():
            self.picker.setCurrentIndex(i)

    async def _show(self, month: str) -> None:
        if month == self.month and self.summary is not None and self.summary.month == month:
            return
        self.month = month
        i = self.picker.findData(month)
        if i >= 0 and i != self.picker.currentIndex():
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(i)
            self.picker.blockSignals(False)
        self.chart.select(month)
        self.older.setEnabled(self.picker.currentIndex() < self.picker.count() - 1)
        self.newer.setEnabled(self.picker.currentIndex() > 0)
        self.only_month.setText(tr("Only {month}", month=fmt.month(month)))
        self._filter_moves()
        self._asked = month
        summary = await self.console.earnings_month(month)
        if self._asked != month:
            return  # another month was picked while this one loaded
        self.summary = summary
        self._show_summary(summary)

    def _show_summary(self, s: MonthSummary) -> None:
        f = self.figures
        f["sessions"].value.setText(str(s.sessions))
        f["hours"].value.setText(fmt.hours(s.seconds))
        f["hours"].value.setToolTip(fmt.duration(s.seconds))
        f["gross"].value.setText(fmt.credits(s.gross))
        f["commission"].value.setText(fmt.credits(s.commission))
        f["refunds"].value.setText(fmt.credits(s.refunds))
        f["claims"].value.setText(str(s.claims))
        f["net"].value.setText(fmt.credits(s.net))

    def _filter_moves(self) -> None:
        month = self.month
        self.moves_proxy.set_keep((lambda m: m.month == month) if self.only_month.isChecked() and month else None)
        if not self.moves_model.rows:
            self.moves_empty.setText(tr("No movements yet. When a session is settled, its payment shows here, "
                                        "with every refund, bonus and payout after it."))
        else:
            self.moves_empty.setText(tr("No movements in {month}. Pick another month above, or untick "
                                        "“Only {month}” to see them all.", month=fmt.month(month)))
        self.moves_stack.setCurrentIndex(0 if self.moves_proxy.rowCount() else 1)
        self.export_month.setEnabled(any(m.month == month for m in self.moves_model.rows))

    def _show_outlook(self, outlook: PayoutOutlook, balance: dict[str, Any]) -> None:
        self.outlook = outlook
        self.balance_label.setText(fmt.credits(outlook.balance))
        blocked = int(balance.get("blocked", 0) or 0)
        self.available_label.setText(
            tr("{available} available, {blocked} held", available=fmt.credits(int(balance.get("available", 0))),
               blocked=fmt.credits(blocked)) if blocked else "")
        self.payout_day.setText(tr("Next payout day: {day}", day=fmt.day(outlook.day)))
        if outlook.will_pay:
            self.payout_chip.setText(tr("Will be paid"))
            self.payout_chip.setProperty("tone", "good")
            self.payout_why.setText(tr("Your balance of {amount} goes to your bank account that day.",
                                       amount=fmt.credits(outlook.balance)))
        else:
            self.payout_chip.setText(tr("No payout that day"))
            self.payout_chip.setProperty("tone", "warn")
            if outlook.missing:
                self.payout_why.setText(tr("Your payout profile is missing: {fields}.",
                                           fields=missing_text(outlook.missing)))
            else:
                self.payout_why.setText(tr("Payouts start once your balance reaches {threshold}.",
                                           threshold=fmt.credits(outlook.threshold)))
        self.payout_chip.style().unpolish(self.payout_chip)
        self.payout_chip.style().polish(self.payout_chip)
        self.fix_profile.setVisible(bool(outlook.missing))
        self.payout_rule.setText(tr("Payouts are made on days {days} of each month for a balance of at least "
                                    "{threshold} with a complete payout profile.", days=self._payout_days(),
                                    threshold=fmt.credits(outlook.threshold)))

    def _payout_days(self) -> str:
        """The policy's payout days ('1, 16'): a deployment sets its own."""
        return ", ".join(str(d) for d in self.console.policy.payout_days)

    # --- exports ---------------------------------------------------------------------------------

    def selected_payout(self) -> Payout | None:
        found = widgets.selected_row(self.payouts_view)
        return found if isinstance(found, Payout) else None

    def _payout_buttons(self) -> None:
        on = self.selected_payout() is not None
        self.statement_csv.setEnabled(on)
        self.statement_pdf.setEnabled(on)

    @async_slot
    async def _export_month(self) -> None:
        month = self.month
        moves = [m for m in self.moves_model.rows if m.month == month]
        if not moves:
            self.report(tr("There are no transactions in {month} to export.", month=fmt.month(month)))
            return
        path = await save_as(self, self.ctx.settings(), tr("Export the transactions of {month}", month=fmt.month(month)),
                             f"transactions-{month}.csv", tr("CSV files (*.csv)"), "csv")
        if path is None:
            return
        await write(path, await asyncio.to_thread(month_csv, moves))
        self.report(tr("Saved {count} transactions of {month} to {path}.", count=len(moves),
                       month=fmt.month(month), path=str(path)), False)

    @async_slot
    async def _export_csv(self) -> None:
        await self._export_statement("csv")

    @async_slot
    async def _export_pdf(self) -> None:
        await self._export_statement("pdf")

    async def _export_statement(self, kind: str) -> None:
        payout = self.selected_payout()
        if payout is None:
            self.report(tr("Select a payout first."))
            return
        data = await self.console.payout_statement(payout.id, kind)  # before asking where: a failure asks nothing
        filters = tr("CSV files (*.csv)") if kind == "csv" else tr("PDF files (*.pdf)")
        path = await save_as(self, self.ctx.settings(), tr("Save the statement of {day}", day=fmt.day(_date(payout.day))),
                             f"payout-statement-{payout.day}.{kind}", filters, kind)
        if path is None:
            return
        await write(path, data)
        self.report(tr("Statement saved to {path}.", path=str(path)), False)


def _date(day: str) -> date:
    return date.fromisoformat(day)


def _keys(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)
