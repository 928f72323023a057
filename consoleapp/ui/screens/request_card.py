"""The right-hand card of the New requests screen: one request, its facts and its answers.

The card only shows and asks; the screen sends the commands when a signal fires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import Party
from consoleapp.engine.requests import RequestCategory
from consoleapp.sync.client.console import RequestItem

from .. import fmt, widgets
from ..i18n import tr
from . import meeting_parts as mp


def category_label(category: RequestCategory) -> str:
    return {RequestCategory.INSTANT: tr("Instant"), RequestCategory.SCHEDULED: tr("Scheduled"),
            RequestCategory.BOOKING: tr("Booking"), RequestCategory.ALTERNATIVE: tr("New time asked")}[category]


def category_tone(category: RequestCategory) -> str:
    return {RequestCategory.INSTANT: "bad", RequestCategory.ALTERNATIVE: "warn"}.get(category, "accent")


class RequestCard(widgets.Card):
    """Shows one RequestItem; `primary` is Accept / Approve / Pick, `decline` is Decline / Reject."""

    primary = Signal()
    decline = Signal()
    propose = Signal()
    withdraw = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(380)
        self.item: RequestItem | None = None
        self.content = QWidget()
        self.body.addWidget(self.content)
        self.body.addStretch(1)
        self.countdown: QLabel | None = None
        self.times: QButtonGroup | None = None
        self.picker: mp.TimePicker | None = None
        self.primary_button: QPushButton | None = None
        self.decline_button: QPushButton | None = None
        self.show_nothing()

    # --- what is shown ---------------------------------------------------------------------------

    def _fresh(self) -> QVBoxLayout:
        """Drop the previous request's widgets and give a clean layout."""
        self.body.removeWidget(self.content)
        self.content.deleteLater()
        self.content = QWidget()
        self.body.insertWidget(0, self.content)
        self.countdown = None
        self.times = None
        self.picker = None
        self.primary_button = self.decline_button = None
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        return lay

    def show_nothing(self) -> None:
        self.item = None
        lay = self._fresh()
        hint = QLabel(tr("Select a request on the left to answer it."))
        hint.setObjectName("subheading")
        hint.setWordWrap(True)
        lay.addWidget(hint)

    def show_item(self, item: RequestItem, zone: ZoneInfo, now: datetime, left: int | None) -> None:
        """Rebuild for `item` (kept as is when it is the same record, so a chosen time stays chosen)."""
        same = self.item is not None and (self.item.meeting, self.item.pending, self.item.category) == (
            item.meeting, item.pending, item.category)
        self.item = item
        if same:
            self.tick(left, now, zone)
            return
        m = item.meeting
        lay = self._fresh()
        chips = [widgets.Chip(category_label(item.category), category_tone(item.category))]
        if item.pending:
            chips.append(widgets.Chip(tr("Not yet on the server"), "warn"))
            chips[-1].setToolTip(tr("Your answer is saved here and is sent when the server is reached."))
        lay.addWidget(widgets.row(*chips))
        title = QLabel(m.topic)
        title.setObjectName("heading")
        title.setWordWrap(True)
        lay.addWidget(title)
        if item.category is RequestCategory.INSTANT:
            self.countdown = QLabel(fmt.countdown(left or 0))
            self.countdown.setObjectName("figure")
            caption = QLabel(tr("Left to answer"))
            caption.setObjectName("figure-label")
            lay.addWidget(self.countdown)
            lay.addWidget(caption)
        lay.addLayout(self._facts(item, zone, now))
        if item.category is RequestCategory.SCHEDULED:
            self._time_choices(lay, item, zone)
        elif item.category in (RequestCategory.BOOKING, RequestCategory.ALTERNATIVE):
            self._one_time(lay, item, zone)
        lay.addWidget(self._actions(item))
        if item.category in (RequestCategory.SCHEDULED, RequestCategory.BOOKING):
            self._another_time(lay, item, zone, now)

    def tick(self, left: int | None, now: datetime, zone: ZoneInfo) -> None:
        if self.countdown is not None and left is not None:
            self.countdown.setText(fmt.countdown(left))

    # --- parts -----------------------------------------------------------------------------------

    def _facts(self, item: RequestItem, zone: ZoneInfo, now: datetime) -> QFormLayout:
        m = item.meeting
        form = QFormLayout()
        form.setContentsMargins(0, 4, 0, 4)
        who = QLabel(mp.customer_label(m))
        form.addRow(tr("Customer"), who)
        if m.customer_zone:
            local = QLabel(tr("{time} in {city}", time=fmt.time_of(now, m.customer_zone),
                              city=mp.zone_city(m.customer_zone)))
            local.setToolTip(tr("The customer's time zone: {zone}", zone=m.customer_zone))
            form.addRow(tr("Their time now"), local)
        form.addRow(tr("Mode"), QLabel(mp.mode_label(m.mode)))
        form.addRow(tr("Offer"), QLabel(mp.offer_label(m)))
        money = QLabel(fmt.credits(m.price))
        money.setToolTip(tr("Credits held from the customer's wallet for this request."))
        form.addRow(tr("Budget") if item.category is RequestCategory.INSTANT else tr("Price"), money)
        form.addRow(tr("Asked"), QLabel(fmt.when(m.requested_at, zone)))
        return form

    def _time_line(self, start: datetime, item: RequestItem, zone: ZoneInfo) -> str:
        m = item.meeting
        end = start + timedelta(minutes=m.minutes) if m.minutes else None
        mine = mp.span(start, end, zone)
        theirs = mp.their_time(start, m, zone)
        return f"{mine}\n{theirs}" if theirs else mine

    def _time_choices(self, lay: QVBoxLayout, item: RequestItem, zone: ZoneInfo) -> None:
        label = QLabel(tr("Proposed times (your time zone first)"))
        label.setObjectName("figure-label")
        lay.addWidget(label)
        self.times = QButtonGroup(self.content)
        for i, start in enumerate(item.times):
            choice = QRadioButton(self._time_line(start, item, zone))
            choice.setObjectName(f"time-{i}")
            self.times.addButton(choice, i)
            lay.addWidget(choice)
            if i == 0:
                choice.setChecked(True)

    def _one_time(self, lay: QVBoxLayout, item: RequestItem, zone: ZoneInfo) -> None:
        m = item.meeting
        if item.category is RequestCategory.ALTERNATIVE:
            was = QLabel(tr("Now agreed for: {time}", time=mp.span(m.start, m.end, zone)))
            was.setObjectName("subheading")
            lay.addWidget(was)
            caption = QLabel(tr("{customer} asks to move it to", customer=mp.customer_label(m)))
        else:
            caption = QLabel(tr("Booked time"))
        caption.setObjectName("figure-label")
        lay.addWidget(caption)
        if item.times:
            when = QLabel(self._time_line(item.times[0], item, zone))
            when.setObjectName("booked-time")
            lay.addWidget(when)

    def _actions(self, item: RequestItem) -> QWidget:
        text = {RequestCategory.INSTANT: tr("Accept and start"), RequestCategory.SCHEDULED: tr("Pick this time"),
                RequestCategory.BOOKING: tr("Approve"), RequestCategory.ALTERNATIVE: tr("Approve the new time")}[item.category]
        self.primary_button = QPushButton(text)
        self.primary_button.setObjectName("primary-action")
        self.primary_button.setProperty("primary", True)
        self.primary_button.setToolTip(tr("{action} (A)", action=text))
        self.primary_button.clicked.connect(self.primary.emit)
        no = tr("Reject…") if item.category is RequestCategory.ALTERNATIVE else tr("Decline…")
        self.decline_button = QPushButton(no)
        self.decline_button.setObjectName("decline-action")
        self.decline_button.setProperty("danger", True)
        self.decline_button.setToolTip(tr("{action} with a reason (D)", action=no.rstrip("…")))
        self.decline_button.clicked.connect(self.decline.emit)
        return widgets.row(self.primary_button, self.decline_button)

    def _another_time(self, lay: QVBoxLayout, item: RequestItem, zone: ZoneInfo, now: datetime) -> None:
        m = item.meeting
        if m.alternative is not None and m.alternative.by is Party.EXPERT:
            waiting = QLabel(tr("You proposed {time}; waiting for {customer}.",
                                time=mp.span(m.alternative.start, m.alternative.end, zone),
                                customer=mp.customer_label(m)))
            waiting.setWordWrap(True)
            back = QPushButton(tr("Withdraw my proposal"))
            back.setObjectName("withdraw-action")
            back.clicked.connect(self.withdraw.emit)
            lay.addWidget(waiting)
            lay.addWidget(widgets.row(back))
            return
        caption = QLabel(tr("None of these? Propose another time"))
        caption.setObjectName("figure-label")
        lay.addWidget(caption)
        self.picker = mp.TimePicker()
        self.picker.show_moment(item.times[0] if item.times else mp.next_hour(now), zone)
        go = QPushButton(tr("Propose"))
        go.setObjectName("propose-action")
        go.setToolTip(tr("Send this time to the customer, who approves or rejects it."))
        go.clicked.connect(self.propose.emit)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.picker, 1)
        row.addWidget(go)
        lay.addWidget(box)

    # --- what the expert chose -----------------------------------------------------------------

    def chosen_time(self) -> datetime | None:
        if self.item is None:
            return None
        if self.item.category is RequestCategory.SCHEDULED:
            if self.times is None or self.times.checkedId() < 0:
                return None
            return self.item.times[self.times.checkedId()]
        return self.item.times[0] if self.item.times else None

    def proposed_time(self) -> datetime | None:
        return self.picker.moment() if self.picker is not None else None
