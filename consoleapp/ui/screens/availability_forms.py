"""The small forms of the Availability screen: a slot by hand, a group event (R4, R28).

They only collect what the person typed, as aware datetimes in the expert's zone; the screen
sends the command and the engine says whether it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import Mode, Offer, OfferKind
from consoleapp.engine.policy import Policy

from .. import fmt, widgets
from ..i18n import tr


def mode_name(mode: Mode) -> str:
    names = {Mode.VIDEO: tr("Video"), Mode.CHAT: tr("Chat"), Mode.PHONE: tr("Phone")}
    return names.get(mode, mode.value)


_NO_ARROWS = ("QAbstractSpinBox { border: 1px solid #d1d5db; border-radius: 6px; padding: 4px 6px; background: white; }"
              "QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 0px; border: none; }")


def time_box(at: QTime) -> QTimeEdit:
    box = QTimeEdit(at)
    box.setDisplayFormat("HH:mm")
    box.setStyleSheet(_NO_ARROWS)
    return box


def number_box(low: int, high: int) -> QSpinBox:
    """A spin box typed into (arrow keys and the wheel still step): the shared sheet draws its
    arrow buttons broken, and NoButtons hides the text under it."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setStyleSheet(_NO_ARROWS)
    return box


def credits_box(maximum: int = 1_000_000) -> QSpinBox:
    box = number_box(0, maximum)
    box.setSuffix(tr(" cr"))
    box.setSpecialValueText(tr("off"))  # 0 disables a product (R3)
    box.setMinimumWidth(96)
    return box


def moment(day: QDate, at: QTime, zone: ZoneInfo) -> datetime:
    return datetime(day.year(), day.month(), day.day(), at.hour(), at.minute(), tzinfo=zone).astimezone(UTC)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


@dataclass(frozen=True)
class SlotForm:
    start: datetime
    end: datetime
    offers: tuple[Offer, ...]


class SlotDialog(QDialog):
    """Day, start, end and, optionally, prices for this slot only (they replace the usual ones)."""

    def __init__(self, parent: QWidget, zone: ZoneInfo, start: datetime, policy: Policy,
                 package_minutes: dict[tuple[Mode, OfferKind], int]) -> None:
        super().__init__(parent)
        self.setObjectName("slot-dialog")
        self.setWindowTitle(tr("Add a slot"))
        self.setMinimumWidth(460)
        self.zone = zone
        self.package_minutes = package_minutes
        local = start.astimezone(zone)
        self.day = QDateEdit(qdate(local.date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.start = time_box(QTime(local.hour, local.minute))
        end = local + timedelta(hours=2)
        self.end = time_box(QTime(end.hour, end.minute))
        form = QFormLayout()
        form.addRow(tr("Day"), self.day)
        form.addRow(tr("From"), self.start)
        form.addRow(tr("Until"), self.end)
        note = QLabel(tr("An end at or before the start means the next day. Times are in {zone}.", zone=zone.key))
        note.setObjectName("subheading")
        note.setWordWrap(True)

        self.own = QGroupBox(tr("Own prices in this slot"))
        self.own.setCheckable(True)
        self.own.setChecked(False)
        self.own.setToolTip(tr("Customers booking this slot see these prices instead of your usual offers."))
        grid = QGridLayout(self.own)
        for col, title in enumerate((tr("Per minute"), tr("Short package"), tr("Long package")), start=1):
            grid.addWidget(QLabel(title), 0, col)
        self.prices: dict[tuple[Mode, OfferKind], QSpinBox] = {}
        for r, mode in enumerate(Mode, start=1):
            grid.addWidget(QLabel(mode_name(mode)), r, 0)
            for col, kind in enumerate(OfferKind, start=1):
                box = credits_box()
                box.setObjectName(f"slot-price-{mode.value}-{kind.value}")
                self.prices[(mode, kind)] = box
                grid.addWidget(box, r, col)
        floor = QLabel(minimums_text(policy))
        floor.setObjectName("subheading")
        floor.setWordWrap(True)
        grid.addWidget(floor, len(Mode) + 1, 0, 1, 4)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.own)
        lay.addWidget(widgets.buttons(self, tr("Add slot"), tr("Cancel")))

    def value(self) -> SlotForm:
        start = moment(self.day.date(), self.start.time(), self.zone)
        end_day = self.day.date() if self.end.time() > self.start.time() else self.day.date().addDays(1)
        end = moment(end_day, self.end.time(), self.zone)
        offers: list[Offer] = []
        if self.own.isChecked():
            for (mode, kind), box in self.prices.items():
                if box.value() > 0:
                    minutes = 0 if kind is OfferKind.PER_MINUTE else self.package_minutes.get((mode, kind), 0)
                    offers.append(Offer(mode, kind, box.value(), minutes))
        return SlotForm(start, end, tuple(offers))


def minimum_of(policy: Policy, mode: Mode) -> str:
    return tr("{rate}/min · {package} per package", rate=_cr(policy.min_rate.get(mode, 0)),
              package=_cr(policy.min_package.get(mode, 0)))


def minimums_text(policy: Policy) -> str:
    """The platform minimums (R3), as the policy states them: the engine enforces them."""
    parts = [tr("{mode}: {rate} per minute, {package} per package", mode=mode_name(mode),
                rate=_cr(policy.min_rate.get(mode, 0)), package=_cr(policy.min_package.get(mode, 0)))
             for mode in Mode]
    return tr("Platform minimum prices: {list}. 0 turns a product off.", list="; ".join(parts))


def _cr(amount: int) -> str:
    return fmt.credits(amount)


@dataclass(frozen=True)
class EventForm:
    title: str
    start: datetime
    end: datetime
    price: int
    min_participants: int
    max_participants: int


class EventDialog(QDialog):
    """R28: title, time, fixed price, minimum and maximum participants."""

    def __init__(self, parent: QWidget, zone: ZoneInfo, day: date, policy: Policy) -> None:
        super().__init__(parent)
        self.setObjectName("event-dialog")
        self.setWindowTitle(tr("New group event"))
        self.setMinimumWidth(440)
        self.zone = zone
        self.title = QLineEdit()
        self.title.setObjectName("event-title")
        self.title.setPlaceholderText(tr("e.g. Tax return workshop"))
        self.day = QDateEdit(qdate(day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.start = time_box(QTime(18, 0))
        self.end = time_box(QTime(19, 30))
        self.price = credits_box()
        self.price.setObjectName("event-price")
        self.price.setSpecialValueText(tr("free"))
        self.minimum = number_box(1, 999)
        self.minimum.setValue(2)
        self.maximum = number_box(1, 999)
        self.maximum.setValue(min(10, policy.event_max_participants))
        form = QFormLayout()
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("Day"), self.day)
        form.addRow(tr("From"), self.start)
        form.addRow(tr("Until"), self.end)
        form.addRow(tr("Price per participant"), self.price)
        form.addRow(tr("At least"), self.minimum)
        form.addRow(tr("At most"), self.maximum)
        note = QLabel(tr("Each registration holds the price. If you are present less than {minutes} min, every "
                         "hold is voided; otherwise all are charged. At most {cap} participants; paid events "
                         "cost at least {floor}.", minutes=policy.event_presence_minutes,
                         cap=policy.event_max_participants, floor=_cr(policy.min_package.get(Mode.VIDEO, 0))))
        note.setObjectName("subheading")
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(widgets.buttons(self, tr("Create event"), tr("Cancel")))

    def value(self) -> EventForm:
        start = moment(self.day.date(), self.start.time(), self.zone)
        end_day = self.day.date() if self.end.time() > self.start.time() else self.day.date().addDays(1)
        return EventForm(self.title.text(), start, moment(end_day, self.end.time(), self.zone), self.price.value(),
                         self.minimum.value(), self.maximum.value())


def default_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The next full hour, a sensible first guess for a new slot."""
    local = now.astimezone(zone)
    nxt = datetime.combine(local.date(), time(local.hour), tzinfo=zone) + timedelta(hours=1)
    return nxt.astimezone(UTC)
