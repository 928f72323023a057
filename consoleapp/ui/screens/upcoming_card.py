"""The right-hand card of the Upcoming sessions screen: one meeting or group event.

It shows the times in both zones, the Join button (live while the engine's join window is open,
at the server's time), another-time and cancel actions, a customer's new time to answer,
and the meeting's timeline. The screen sends the commands when a signal fires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import MeetingStatus, Party
from consoleapp.sync.client.console import UpcomingItem

from .. import fmt, timeline, widgets
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy
from . import meeting_parts as mp


def _moment(value: object) -> datetime | None:
    """A timeline entry's time: a datetime from the cache (an ISO string from older rows)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


class UpcomingCard(widgets.Card):
    join = Signal()
    cancel = Signal()
    propose = Signal()
    approve_alternative = Signal()
    reject_alternative = Signal()
    withdraw_alternative = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(380)
        self.item: UpcomingItem | None = None
        self.join_before = 15
        self.content = QWidget()
        self.body.addWidget(self.content)
        self.join_button: QPushButton | None = None
        self.join_hint: QLabel | None = None
        self.cancel_button: QPushButton | None = None
        self.picker: mp.TimePicker | None = None

        self.timeline_model: RowsModel[dict[str, Any]] = RowsModel([
            Column(tr("When"), lambda r: mp.short_when(_moment(r.get("at")), self.zone), width=130,
                   tip=lambda r: fmt.when(_moment(r.get("at")), self.zone)),
            Column(tr("By"), lambda r: self._actor(str(r.get("actor", ""))), width=80),
            Column(tr("What happened"), timeline.title, tip=timeline.title),
        ])
        self.timeline = widgets.table(RowsProxy(self.timeline_model, self), sortable=False)  # in the order it happened
        self.timeline.setObjectName("timeline")
        self.timeline.setMinimumHeight(150)
        self.timeline_caption = QLabel(tr("Timeline"))
        self.timeline_caption.setObjectName("figure-label")
        self.body.addWidget(self.timeline_caption)
        self.body.addWidget(self.timeline, 1)
        # Without a timeline (a group event) the free room goes below the card's content.
        self.filler = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
        self.body.addItem(self.filler)
        self.zone = ZoneInfo("UTC")
        self.me = ""
        self.show_nothing()

    def _fresh(self) -> QVBoxLayout:
        self.body.removeWidget(self.content)
        self.content.deleteLater()
        self.content = QWidget()
        self.content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.body.insertWidget(0, self.content)
        self.join_button = self.join_hint = self.cancel_button = None
        self.picker = None
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        return lay

    def show_nothing(self) -> None:
        self.item = None
        lay = self._fresh()
        hint = QLabel(tr("Select a session on the left to see its details and timeline."))
        hint.setObjectName("subheading")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.set_timeline(None)

    def show_item(self, item: UpcomingItem, zone: ZoneInfo, now: datetime, me: str, join_before: int) -> None:
        if self.item is not None and (self.item, self.zone) == (item, zone):
            self.update_join(now)
            return
        self.item, self.zone, self.me, self.join_before = item, zone, me, join_before
        lay = self._fresh()
        if item.meeting is not None:
            self._meeting(lay, item, now)
        else:
            self._event(lay, item)
        self.update_join(now)

    # --- a meeting ---------------------------------------------------------------------------------

    def _chips(self, lay: QVBoxLayout, item: UpcomingItem, *more: widgets.Chip) -> None:
        chips = list(more)
        if item.pending:
            chip = widgets.Chip(tr("Not yet on the server"), "warn")
            chip.setToolTip(tr("Your change is saved here and is sent when the server is reached."))
            chips.append(chip)
        lay.addWidget(widgets.row(*chips))
        title = QLabel(item.title)
        title.setObjectName("heading")
        title.setWordWrap(True)
        lay.addWidget(title)

    def _meeting(self, lay: QVBoxLayout, item: UpcomingItem, now: datetime) -> None:
        m = item.meeting
        assert m is not None
        tone = "good" if m.status is MeetingStatus.AGREED else "neutral"
        self._chips(lay, item, widgets.Chip(mp.status_label(m.status), tone))
        form = QFormLayout()
        form.addRow(tr("When"), QLabel(mp.span(item.start, item.end, self.zone)))
        theirs = mp.their_time(item.start, m, self.zone)
        if theirs:
            their_label = QLabel(theirs)
            their_label.setWordWrap(True)
            form.addRow(tr("Their time"), their_label)
        form.addRow(tr("Customer"), QLabel(mp.customer_label(m)))
        form.addRow(tr("Mode"), QLabel(mp.mode_label(m.mode)))
        form.addRow(tr("Offer"), QLabel(mp.offer_label(m)))
        form.addRow(tr("Price"), QLabel(fmt.credits(m.price)))
        lay.addLayout(form)

        self.join_button = QPushButton(tr("Join"))
        self.join_button.setObjectName("join")
        self.join_button.setProperty("primary", True)
        self.join_button.clicked.connect(self.join.emit)
        self.join_hint = QLabel()
        self.join_hint.setObjectName("subheading")
        self.join_hint.setWordWrap(True)
        joining = QWidget()
        line = QHBoxLayout(joining)
        line.setContentsMargins(0, 4, 0, 4)
        line.addWidget(self.join_button)
        line.addWidget(self.join_hint, 1)
        lay.addWidget(joining)

        if m.alternative is not None:
            self._alternative(lay, item)
        else:
            self._another_time(lay, item, now)
        self.cancel_button = QPushButton(tr("Cancel the meeting…"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setProperty("danger", True)
        self.cancel_button.setToolTip(tr("Cancel; {customer} gets every credit back (C)", customer=mp.customer_label(m)))
        self.cancel_button.clicked.connect(self.cancel.emit)
        lay.addWidget(widgets.row(self.cancel_button))

    def _alternative(self, lay: QVBoxLayout, item: UpcomingItem) -> None:
        m = item.meeting
        assert m is not None and m.alternative is not None
        alt = m.alternative
        box = widgets.Card()
        when = mp.span(alt.start, alt.end, self.zone)
        theirs = mp.their_time(alt.start, m, self.zone)
        if alt.by is Party.CUSTOMER:
            text = tr("{customer} asks to move it to {time}.", customer=mp.customer_label(m), time=when)
            yes = QPushButton(tr("Approve the new time"))
            yes.setObjectName("approve-alternative")
            yes.clicked.connect(self.approve_alternative.emit)
            no = QPushButton(tr("Reject…"))
            no.setObjectName("reject-alternative")
            no.clicked.connect(self.reject_alternative.emit)
            buttons = widgets.row(yes, no)
        else:
            text = tr("You proposed {time}; waiting for {customer}.", time=when, customer=mp.customer_label(m))
            back = QPushButton(tr("Withdraw my proposal"))
            back.setObjectName("withdraw-alternative")
            back.clicked.connect(self.withdraw_alternative.emit)
            buttons = widgets.row(back)
        note = QLabel(text + (f"\n{theirs}" if theirs else ""))
        note.setWordWrap(True)
        box.body.addWidget(note)
        box.body.addWidget(buttons)
        lay.addWidget(box)

    def _another_time(self, lay: QVBoxLayout, item: UpcomingItem, now: datetime) -> None:
        caption = QLabel(tr("Propose another time"))
        caption.setObjectName("figure-label")
        lay.addWidget(caption)
        self.picker = mp.TimePicker()
        self.picker.show_moment(item.start + timedelta(days=1), self.zone)
        go = QPushButton(tr("Propose"))
        go.setObjectName("propose")
        go.setToolTip(tr("The customer approves or rejects it; the agreed time stays until then."))
        go.clicked.connect(self.propose.emit)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.picker, 1)
        row.addWidget(go)
        lay.addWidget(box)

    # --- a group event ---------------------------------------------------------------------------

    def _event(self, lay: QVBoxLayout, item: UpcomingItem) -> None:
        g = item.event
        assert g is not None
        count = len(g.active())
        chips = [widgets.Chip(tr("Group event"), "accent")]
        if count < g.min_participants:
            chips.append(widgets.Chip(tr("Below the minimum"), "warn"))
        elif count >= g.max_participants:
            chips.append(widgets.Chip(tr("Full"), "good"))
        self._chips(lay, item, *chips)
        form = QFormLayout()
        form.addRow(tr("When"), QLabel(mp.span(item.start, item.end, self.zone)))
        form.addRow(tr("Price"), QLabel(tr("{price} per participant", price=fmt.credits(g.price))))
        regs = QLabel(tr("{count} registered (min {min}, max {max})", count=count, min=g.min_participants,
                         max=g.max_participants))
        regs.setObjectName("registrations")
        form.addRow(tr("Registrations"), regs)
        lay.addLayout(form)
        self.cancel_button = QPushButton(tr("Cancel the event…"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setProperty("danger", True)
        self.cancel_button.setToolTip(tr("Cancel; every participant gets their credits back (C)"))
        self.cancel_button.clicked.connect(self.cancel.emit)
        lay.addWidget(widgets.row(self.cancel_button))

    # --- live parts --------------------------------------------------------------------------------

    def update_join(self, now: datetime) -> None:
        """Join is live while the engine's join window is open (R17, the server's time)."""
        if self.item is None or self.item.join_window is None or self.join_button is None or self.join_hint is None:
            return
        opens, closes = self.item.join_window.opens, self.item.join_window.closes
        live = self.item.join_window.is_open(now)
        self.join_button.setEnabled(live)
        if live:
            self.join_hint.setText(tr("Open now, until {time}.", time=fmt.time_of(closes, self.zone)))
            self.join_button.setToolTip(tr("Open the live session (J)"))
        elif now < opens:
            self.join_hint.setText(tr("Opens {minutes} min before the start (in {wait}).", minutes=self.join_before,
                                      wait=fmt.duration(int((opens - now).total_seconds()))))
            self.join_button.setToolTip(tr("Opens {minutes} min before the start (J)", minutes=self.join_before))
        else:
            self.join_hint.setText(tr("This session has ended."))

    def set_timeline(self, rows: list[dict[str, Any]] | None) -> None:
        shown = rows is not None
        self.timeline.setVisible(shown)
        self.timeline_caption.setVisible(shown)
        self.timeline_model.set_rows(rows or [])
        grow = QSizePolicy.Policy.Minimum if shown else QSizePolicy.Policy.Expanding
        self.filler.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow)
        self.body.invalidate()

    def _actor(self, actor: str) -> str:
        m = self.item.meeting if self.item is not None else None
        if actor == self.me:
            return tr("You")
        if m is not None and actor == m.customer:
            return mp.customer_label(m)
        if actor == "system":
            return tr("Platform")
        return actor[:8]

    def proposed_time(self) -> datetime | None:
        return self.picker.moment() if self.picker is not None else None
