"""Pieces the New requests and Upcoming sessions screens share: words for a meeting's fields,
times in both zones, the R10 overlap warning, a reason dialog and a time picker.

Nothing here decides: the overlap list comes from the Console, the reasons from its list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QDate, QDateTime, QLocale, QSettings, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import DeclineReason, Meeting, MeetingStatus, Mode, OfferKind

from .. import fmt, widgets
from ..i18n import tr

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console


# --- words for a meeting's fields ---------------------------------------------------------------


def mode_label(mode: Mode) -> str:
    return {Mode.VIDEO: tr("Video"), Mode.CHAT: tr("Chat"), Mode.PHONE: tr("Phone")}.get(mode, str(mode))


def offer_label(m: Meeting) -> str:
    if m.offer is OfferKind.PER_MINUTE:
        return tr("Per minute ({rate} cr/min, up to {minutes} min)", rate=m.rate, minutes=m.minutes)
    if m.offer is OfferKind.LONG:
        return tr("Long package ({minutes} min)", minutes=m.minutes)
    return tr("Short package ({minutes} min)", minutes=m.minutes)


def status_label(status: MeetingStatus) -> str:
    return {
        MeetingStatus.AWAITING_APPROVAL: tr("Awaiting approval"),
        MeetingStatus.AGREED: tr("Agreed"),
        MeetingStatus.REJECTED: tr("Rejected"),
        MeetingStatus.CANCELLED: tr("Cancelled"),
        MeetingStatus.EXPIRED: tr("Expired"),
        MeetingStatus.HELD: tr("Held"),
        MeetingStatus.SETTLED: tr("Settled"),
        MeetingStatus.UNDER_REVIEW: tr("Under review"),
    }.get(status, str(status))


def reason_label(reason: DeclineReason | str) -> str:
    labels: dict[str, str] = {
        DeclineReason.NOT_AVAILABLE: tr("Not available at that time"),
        DeclineReason.OUTSIDE_EXPERTISE: tr("Outside my expertise"),
        DeclineReason.NEEDS_MORE_DETAIL: tr("Needs more detail"),
        DeclineReason.PRICE_OR_BUDGET: tr("Budget too low"),
        DeclineReason.PERSONAL: tr("Personal reasons"),
        DeclineReason.OTHER: tr("Other"),
    }
    return labels.get(str(reason), str(reason))


def customer_label(m: Meeting) -> str:
    """The customer's name as they asked; old records have none: a short id then."""
    return m.customer_name or tr("Customer {id}", id=m.customer[:8])


def zone_city(name: str) -> str:
    """'America/New_York' -> 'New York'."""
    return name.rsplit("/", 1)[-1].replace("_", " ") if name else ""


def same_zone(a: ZoneInfo, b: str) -> bool:
    return not b or a.key == fmt.zone(b).key


def their_time(moment: datetime | None, m: Meeting, zone: ZoneInfo, with_day: bool = True) -> str:
    """The customer's wall clock at `moment`, '' when unknown or the same as the expert's."""
    if moment is None or same_zone(zone, m.customer_zone):
        return ""
    theirs = fmt.zone(m.customer_zone)
    day_differs = moment.astimezone(theirs).date() != moment.astimezone(zone).date()
    shown = fmt.when(moment, theirs, with_day=with_day or day_differs)
    return tr("{time} for {name} ({city})", time=shown, name=customer_label(m), city=zone_city(m.customer_zone))


def short_day(d: date) -> str:
    """'Wed 25 Nov' (the year when it is not this one is rare for upcoming sessions; the tooltip has it)."""
    return QLocale().toString(QDate(d.year, d.month, d.day), "ddd d MMM")


def short_when(moment: datetime | None, zone: ZoneInfo) -> str:
    """'Wed 25 Nov, 17:15': for lists where the year goes without saying."""
    if moment is None:
        return "—"
    return tr("{day}, {time}", day=short_day(moment.astimezone(zone).date()), time=fmt.time_of(moment, zone))


def span(start: datetime | None, end: datetime | None, zone: ZoneInfo) -> str:
    """'Tue 3 Mar 2026, 14:30 – 14:45' in the expert's zone."""
    if start is None:
        return "—"
    if end is None:
        return fmt.when(start, zone)
    return tr("{start} – {end}", start=fmt.when(start, zone), end=fmt.time_of(end, zone))


# --- R10: warn, never refuse ---------------------------------------------------------------------


async def overlaps_ok(parent: QWidget, console: Console, meeting_id: str, start: datetime, zone: ZoneInfo) -> bool:
    """Ask the Console which agreed meetings `start` would overlap; if any, the expert confirms."""
    found = await console.overlaps(meeting_id, start)
    if not found:
        return True
    lines = "\n".join(tr("• {topic} with {customer}, {when}", topic=o.topic, customer=customer_label(o),
                         when=span(o.start, o.end, zone)) for o in found)
    return await widgets.confirm(
        parent, tr("Overlapping meeting"),
        tr("This time overlaps with:\n{meetings}\n\nConfirm it anyway?", meetings=lines),
        tr("Confirm anyway"), tr("Go back"))


# --- a reason (from a list or in words), asked without blocking --------------------------------------


class ReasonDialog(QDialog):
    """A short explanation, a reason (a list or free text), and the button that does it."""

    def __init__(self, parent: QWidget, title: str, text: str, ok: str,
                 choices: Sequence[tuple[str, Any]] = (), required: bool = True, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("reason-dialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        note = QLabel(text)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.choice = QComboBox()
        self.choice.setObjectName("reason-choice")
        self.text = QPlainTextEdit()
        self.text.setObjectName("reason-text")
        self.text.setPlaceholderText(placeholder)
        self.text.setFixedHeight(80)
        if choices:
            for label, value in choices:
                self.choice.addItem(label, value)
            lay.addWidget(self.choice)
        else:
            lay.addWidget(self.text)
        box = widgets.buttons(self, ok, tr("Back"))
        ok_button = box.findChild(QPushButton, "ok")
        assert ok_button is not None
        self.ok: QPushButton = ok_button
        lay.addWidget(box)
        if not choices and required:
            self.ok.setEnabled(False)
            self.text.textChanged.connect(lambda: self.ok.setEnabled(bool(self.text.toPlainText().strip())))

    def value(self) -> Any:
        return self.choice.currentData() if self.choice.count() else self.text.toPlainText().strip()


async def ask_reason(parent: QWidget, title: str, text: str, ok: str, choices: Sequence[tuple[str, Any]] = (),
                     required: bool = True, placeholder: str = "") -> Any | None:
    """The chosen or written reason, or None when the expert went back."""
    dialog = ReasonDialog(parent, title, text, ok, choices, required, placeholder)
    try:
        accepted = await widgets.finished(dialog) == QDialog.DialogCode.Accepted
        return dialog.value() if accepted else None
    finally:
        dialog.deleteLater()


def decline_choices(console: Console) -> list[tuple[str, DeclineReason]]:
    return [(reason_label(r), r) for r in console.decline_reasons()]


# --- a date and time in the expert's zone ---------------------------------------------------------------


class TimePicker(QDateTimeEdit):
    """Picks a wall-clock time in the expert's zone and gives it back as an aware datetime."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("time-picker")
        self.setCalendarPopup(True)
        self.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.zone = ZoneInfo("UTC")

    def show_moment(self, moment: datetime, zone: ZoneInfo) -> None:
        self.zone = zone
        local = moment.astimezone(zone)
        self.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))

    def moment(self) -> datetime:
        d, t = self.date(), self.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.zone)


def next_hour(now: datetime, days: int = 1) -> datetime:
    """A sensible default for "another time": the next full hour, a day later."""
    return (now + timedelta(days=days, hours=1)).replace(minute=0, second=0, microsecond=0)


# --- keys and layout ---------------------------------------------------------------------------------------


def shortcut(owner: QWidget, key: str, action: Callable[[], None]) -> QShortcut:
    """A screen-level key: works anywhere inside the screen, not elsewhere in the window."""
    sc = QShortcut(QKeySequence(key), owner)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(action)
    return sc


def keep_layout(settings: QSettings, prefix: str, header: QHeaderView, splitter: QSplitter) -> None:
    """Restore the table's columns and the split from QSettings and save them when they change."""
    state = settings.value(f"{prefix}/header")
    if isinstance(state, QByteArray | bytes):
        header.restoreState(QByteArray(state))
    split = settings.value(f"{prefix}/splitter")
    if isinstance(split, QByteArray | bytes):
        splitter.restoreState(QByteArray(split))

    def save_header(*_: object) -> None:
        settings.setValue(f"{prefix}/header", header.saveState())

    def save_split(*_: object) -> None:
        settings.setValue(f"{prefix}/splitter", splitter.saveState())

    header.sectionResized.connect(save_header)
    header.sectionMoved.connect(save_header)
    header.sortIndicatorChanged.connect(save_header)
    splitter.splitterMoved.connect(save_split)


def list_and_card(lists: QWidget, card: QWidget) -> QSplitter:
    """The list on the left, the selected item's card (scrolling) on the right."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(card)
    scroll.setMinimumWidth(400)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(lists)
    splitter.addWidget(scroll)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    splitter.setSizes([660, 420])
    return splitter
