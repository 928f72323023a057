"""The week of availability: Monday to Sunday columns, hour rows, in the expert's time zone.

Slots are blocks with their bookings drawn inside. The view only turns gestures into
requests (`create_requested`, `move_requested`, `delete_requested`); the screen sends the
Console's commands and the engine decides. Times snap to 15 minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QFrame, QScrollArea, QToolTip, QVBoxLayout, QWidget

from consoleapp.engine.model import Meeting, MeetingStatus
from consoleapp.sync.client.console import SlotItem

from .. import fmt, style
from ..i18n import tr

GUTTER = 56  # hour labels
HOUR = 44  # pixels per hour: a quarter hour is 11 px, big enough to aim at
SNAP = 15  # minutes
DAY = 24 * 60
EDGE = 6  # pixels at a block's lower edge that resize instead of move
DRAG = 4  # pixels before a press becomes a drag

_SLOT_FILL = QColor("#ccfbf1")
_SLOT_SELECTED = QColor("#99f6e4")
_PENDING_FILL = QColor("#fef3c7")
_PAST = QColor("#f3f4f6")
_TODAY = QColor("#f0fdfa")
_NOW = QColor(style.BAD)
_LINE = QColor(style.LINE)
_HALF = QColor("#f1f5f9")
_AWAITING = QColor("#d97706")  # a booking waiting for the expert's approval


def local_at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The moment of a wall-clock time `minutes` after midnight of `day` in `zone`, in UTC."""
    d = day + timedelta(days=minutes // DAY)
    m = minutes % DAY
    return datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=zone).astimezone(UTC)


def snapped(minutes: float) -> int:
    return int(round(minutes / SNAP)) * SNAP


def snap_moment(moment: datetime, zone: ZoneInfo) -> datetime:
    """The nearest quarter hour of the wall clock in `zone`."""
    local = moment.astimezone(zone)
    minutes = snapped(local.hour * 60 + local.minute + local.second / 60)
    return local_at(local.date(), minutes, zone)


class Gesture(Enum):
    NONE = 0
    CREATE = 1
    MOVE = 2
    RESIZE = 3


@dataclass(frozen=True)
class Block:
    """The part of a slot inside one day column (a slot may cross midnight)."""

    item: SlotItem
    day: int
    top: int  # minutes after midnight
    bottom: int
    first: bool
    last: bool

    @property
    def slot_id(self) -> str:
        return self.item.slot.id


class WeekGrid(QWidget):
    """The scrolling part: hour rows and day columns, painted."""

    create_requested = Signal(object, object)  # start, end (UTC datetimes)
    move_requested = Signal(str, object, object)  # slot id, start, end
    delete_requested = Signal(str)
    selection_changed = Signal(str)  # slot id, or "" when nothing is selected
    add_at_requested = Signal(object)  # a double click on empty space: the form, at that time

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("week-grid")
        self.setMouseTracking(True)  # hover cursor and tooltips
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(GUTTER + 7 * 60, 24 * HOUR + 1))
        self.monday = date.today() - timedelta(days=date.today().weekday())
        self.zone = ZoneInfo("UTC")
        self.now = datetime.now(UTC)
        self.items: list[SlotItem] = []
        self.blocks: list[Block] = []
        self.selected = ""
        self.empty_text = ""
        self._gesture = Gesture.NONE
        self._press = QPoint()
        self._dragging = False
        self._anchor: datetime | None = None  # the pointer's time at the press
        self._origin: tuple[datetime, datetime] | None = None  # the slot's times at the press
        self._preview: tuple[datetime, datetime] | None = None
        self._preview_slot = ""

    # --- data ------------------------------------------------------------------------------------

    def set_week(self, monday: date, zone: ZoneInfo, items: Sequence[SlotItem], now: datetime) -> None:
        self.monday, self.zone, self.now = monday, zone, now
        self.items = list(items)
        self.blocks = self._blocks()
        if self.selected and not any(i.slot.id == self.selected for i in self.items):
            self.select("")
        self.update()

    def select(self, slot_id: str) -> None:
        if slot_id != self.selected:
            self.selected = slot_id
            self.selection_changed.emit(slot_id)
            self.update()

    def item(self, slot_id: str) -> SlotItem | None:
        return next((i for i in self.items if i.slot.id == slot_id), None)

    def _blocks(self) -> list[Block]:
        out = []
        for item in self.items:
            for d in range(7):
                day_start = local_at(self.monday + timedelta(days=d), 0, self.zone)
                day_end = local_at(self.monday + timedelta(days=d + 1), 0, self.zone)
                start, end = max(item.slot.start, day_start), min(item.slot.end, day_end)
                if start >= end:
                    continue
                out.append(Block(item, d, self._minutes(start, d), self._minutes(end, d),
                                 start == item.slot.start, end == item.slot.end))
        return out

    def _minutes(self, moment: datetime, day: int) -> int:
        """Wall-clock minutes of `moment` after midnight of column `day` (24:00 for the next midnight)."""
        local = moment.astimezone(self.zone)
        days = (local.date() - (self.monday + timedelta(days=day))).days
        return days * DAY + local.hour * 60 + local.minute

    # --- geometry ------------------------------------------------------------------------------

    def column_width(self) -> float:
        return max((self.width() - GUTTER) / 7, 1.0)

    def day_x(self, day: int) -> float:
        return GUTTER + day * self.column_width()

    def y_of(self, minutes: float) -> float:
        return minutes * HOUR / 60

    def point_at(self, day: int, minutes: int) -> QPoint:
        """The middle of column `day` at a wall-clock time (for tests and scrolling)."""
        return QPoint(int(self.day_x(day) + self.column_width() / 2), int(self.y_of(minutes)))

    def time_at(self, pos: QPointF | QPoint, snap: bool = True) -> tuple[int, int]:
        """(day column, minutes after midnight) under a point, clamped to the week."""
        day = int((pos.x() - GUTTER) // self.column_width())
        minutes = pos.y() * 60 / HOUR
        return min(max(day, 0), 6), min(max(snapped(minutes) if snap else int(minutes), 0), DAY)

    def moment_at(self, pos: QPointF | QPoint) -> datetime:
        day, minutes = self.time_at(pos)
        return local_at(self.monday + timedelta(days=day), minutes, self.zone)

    def block_rect(self, b: Block) -> QRectF:
        x = self.day_x(b.day)
        return QRectF(x + 3, self.y_of(b.top) + 1, self.column_width() - 6, max(self.y_of(b.bottom - b.top) - 2, 6))

    def slot_rect(self, slot_id: str) -> QRectF:
        """The first block of a slot (tests aim at it)."""
        b = next((b for b in self.blocks if b.slot_id == slot_id), None)
        return self.block_rect(b) if b is not None else QRectF()

    def block_at(self, pos: QPointF | QPoint) -> Block | None:
        p = QPointF(pos)
        for b in reversed(self.blocks):
            if self.block_rect(b).contains(p):
                return b
        return None

    def _on_edge(self, b: Block, pos: QPointF | QPoint) -> bool:
        return b.last and self.block_rect(b).bottom() - pos.y() <= EDGE

    # --- gestures ------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        self._press = pos.toPoint()
        self._dragging = False
        self._preview = None
        b = self.block_at(pos)
        if b is None:
            self.select("")
            self._gesture = Gesture.CREATE
            self._anchor = self.moment_at(pos)
            return None
        self.select(b.slot_id)
        self._gesture = Gesture.RESIZE if self._on_edge(b, pos) else Gesture.MOVE
        day, minutes = self.time_at(pos, snap=False)
        self._anchor = local_at(self.monday + timedelta(days=day), minutes, self.zone)
        self._origin = (b.item.slot.start, b.item.slot.end)
        self._preview_slot = b.slot_id
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._gesture is Gesture.NONE:
            b = self.block_at(pos)
            shape = (Qt.CursorShape.SizeVerCursor if b is not None and self._on_edge(b, pos)
                     else Qt.CursorShape.OpenHandCursor if b is not None else Qt.CursorShape.CrossCursor)
            self.setCursor(shape)
            return
        if not self._dragging and (pos.toPoint() - self._press).manhattanLength() < DRAG:
            return
        self._dragging = True
        self._preview = self._proposal(pos)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._gesture is Gesture.NONE:
            return
        gesture, proposal = self._gesture, (self._proposal(event.position()) if self._dragging else None)
        slot_id = self._preview_slot
        self._end_gesture()
        if proposal is None:
            return
        start, end = proposal
        if gesture is Gesture.CREATE:
            self.create_requested.emit(start, end)
        elif self._origin is not None and (start, end) != self._origin:
            self.move_requested.emit(slot_id, start, end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.block_at(event.position()) is None:
            self._end_gesture()
            self.add_at_requested.emit(self.moment_at(event.position()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self._gesture is not Gesture.NONE:
            self._end_gesture()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected:
            self.delete_requested.emit(self.selected)
            return
        super().keyPressEvent(event)

    def _end_gesture(self) -> None:
        self._gesture = Gesture.NONE
        self._dragging = False
        self._preview = None
        self._preview_slot = ""
        self.update()

    def _proposal(self, pos: QPointF) -> tuple[datetime, datetime] | None:
        """Where the gesture would put the slot now (UTC times)."""
        if self._anchor is None:
            return None
        if self._gesture is Gesture.CREATE:
            day, _ = self.time_at(QPointF(self._press))
            _, minutes = self.time_at(QPointF(self.day_x(day) + 1, pos.y()))  # stay in the pressed day
            here = local_at(self.monday + timedelta(days=day), minutes, self.zone)
            start, end = sorted((self._anchor, here))
            if end - start < timedelta(minutes=SNAP):
                return None
            return start, end
        if self._origin is None:
            return None
        start, end = self._origin
        if self._gesture is Gesture.RESIZE:
            new_end = max(self.moment_at(pos), start + timedelta(minutes=SNAP))
            return start, new_end
        day, minutes = self.time_at(pos, snap=False)
        delta = local_at(self.monday + timedelta(days=day), minutes, self.zone) - self._anchor
        new_start = snap_moment(start + delta, self.zone)
        return new_start, new_start + (end - start)

    # --- tooltips ------------------------------------------------------------------------------

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            b = self.block_at(e.pos())
            if b is None:
                QToolTip.hideText()
                e.ignore()
                return True
            QToolTip.showText(e.globalPos(), self.describe(b.item), self)
            return True
        return super().event(e)

    def describe(self, item: SlotItem) -> str:
        lines = [tr("Slot {start} – {end}", start=fmt.when(item.slot.start, self.zone),
                    end=fmt.time_of(item.slot.end, self.zone))]
        if item.pending:
            lines.append(tr("Not yet on the server"))
        if item.slot.offers:
            lines.append(tr("Own prices in this slot"))
        for m in item.bookings:
            lines.append(booking_line(m, self.zone))
        if not item.bookings:
            lines.append(tr("No bookings yet"))
        return "\n".join(lines)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(style.CARD))
        self._paint_days(p)
        self._paint_hours(p)
        for b in self.blocks:
            if b.slot_id != self._preview_slot or self._preview is None:
                self._paint_block(p, b)
        self._paint_preview(p)
        self._paint_now(p)
        if self.empty_text and not self.blocks and self._preview is None:
            p.setPen(QColor(style.MUTED))
            area = QRectF(GUTTER, self.y_of(self._visible_middle()) - 40, self.width() - GUTTER, 80)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
        p.end()

    def _visible_middle(self) -> float:
        """Minutes at the middle of what the scroll area shows, so the empty note is seen."""
        visible = self.visibleRegion().boundingRect()
        return (visible.center().y() if not visible.isEmpty() else 12 * HOUR) * 60 / HOUR

    def _paint_days(self, p: QPainter) -> None:
        now_local = self.now.astimezone(self.zone)
        for d in range(7):
            day = self.monday + timedelta(days=d)
            x, w = self.day_x(d), self.column_width()
            if day < now_local.date():
                p.fillRect(QRectF(x, 0, w, self.height()), _PAST)
            elif day == now_local.date():
                p.fillRect(QRectF(x, 0, w, self.height()), _TODAY)
                past = self.y_of(now_local.hour * 60 + now_local.minute)
                p.fillRect(QRectF(x, 0, w, past), _PAST)
            p.setPen(QPen(_LINE))
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))

    def _paint_hours(self, p: QPainter) -> None:
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7.0))
        p.setFont(small)
        for h in range(25):
            y = self.y_of(h * 60)
            p.setPen(QPen(_LINE))
            p.drawLine(QPointF(GUTTER - 4, y), QPointF(self.width(), y))
            if h < 24:
                p.setPen(QPen(_HALF, 1, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(GUTTER, y + HOUR / 2), QPointF(self.width(), y + HOUR / 2))
                p.setPen(QColor(style.MUTED))
                p.drawText(QRectF(0, y + 2, GUTTER - 8, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                           f"{h:02d}:00")

    def _paint_block(self, p: QPainter, b: Block) -> None:
        item = b.item
        rect = self.block_rect(b)
        selected = b.slot_id == self.selected
        if item.pending:
            fill, border = _PENDING_FILL, QColor(style.WARN)
            pen = QPen(border, 2 if selected else 1.2, Qt.PenStyle.DashLine)
        else:
            fill, border = (_SLOT_SELECTED if selected else _SLOT_FILL), QColor(style.ACCENT)
            pen = QPen(border, 2 if selected else 1)
        p.setPen(pen)
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(rect, 5, 5)
        if item.pending:  # hatched: the server has not said yes yet
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(QColor(180, 83, 9, 40), Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(rect, 5, 5)
        for m in item.bookings:
            self._paint_booking(p, b, m)
        if b.first:
            self._paint_label(p, b, rect)

    def _paint_label(self, p: QPainter, b: Block, rect: QRectF) -> None:
        """The slot's hours (shortened to fit a narrow column) and a line of notes, on a backing
        that keeps them readable over a booking."""
        item = b.item
        bold = QFont(self.font())
        bold.setPointSizeF(max(bold.pointSizeF() - 1, 7.5))
        bold.setBold(True)
        p.setFont(bold)
        start, end = fmt.time_of(item.slot.start, self.zone), fmt.time_of(item.slot.end, self.zone)
        room = rect.width() - 10
        metrics = QFontMetricsF(bold)
        text = next((t for t in (f"{start} – {end}", f"{start}–{end}") if metrics.horizontalAdvance(t) <= room), start)
        back = QRectF(rect.left() + 3, rect.top() + 2, min(metrics.horizontalAdvance(text) + 6, rect.width() - 6),
                      metrics.height() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        fill = QColor(_PENDING_FILL if item.pending else _SLOT_SELECTED if b.slot_id == self.selected else _SLOT_FILL)
        fill.setAlpha(225)
        p.setBrush(fill)
        p.drawRoundedRect(back, 3, 3)
        p.setPen(QColor(style.WARN if item.pending else style.ACCENT_DARK))
        p.drawText(back.adjusted(3, 1, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
        notes = []
        if item.pending:
            notes.append(tr("pending"))
        if item.slot.offers:
            notes.append(tr("own prices"))
        if item.bookings:
            notes.append(tr("%n booked", None, len(item.bookings)))
        if notes and rect.height() > 40:
            small = QFont(self.font())
            small.setPointSizeF(max(small.pointSizeF() - 1.5, 7.0))
            small.setItalic(item.pending)
            p.setFont(small)
            line = QFontMetricsF(small).elidedText(" · ".join(notes), Qt.TextElideMode.ElideRight, room)
            p.drawText(rect.adjusted(6, metrics.height() + 5, -4, 0),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, line)

    def _paint_booking(self, p: QPainter, b: Block, m: Meeting) -> None:
        if m.start is None or m.end is None:
            return
        top, bottom = max(self._minutes(m.start, b.day), b.top), min(self._minutes(m.end, b.day), b.bottom)
        if top >= bottom:
            return
        outer = self.block_rect(b)
        rect = QRectF(outer.left() + 10, self.y_of(top) + 1, outer.width() - 13, max(self.y_of(bottom - top) - 2, 5))
        agreed = m.status is MeetingStatus.AGREED
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(style.ACCENT if agreed else _AWAITING))
        p.drawRoundedRect(rect, 3, 3)
        if rect.height() >= 9:
            small = QFont(self.font())
            small.setPixelSize(int(min(max(rect.height() - 2, 8), 11)))
            p.setFont(small)
            p.setPen(QColor("white"))
            who = m.customer_name or m.customer[:6]
            text = f"{fmt.time_of(m.start, self.zone)} {who}"
            text = QFontMetricsF(small).elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 6)
            p.drawText(rect.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_preview(self, p: QPainter) -> None:
        if self._preview is None:
            return
        start, end = self._preview
        tint = QColor(style.ACCENT)
        tint.setAlpha(60)
        for d in range(7):
            day_start = local_at(self.monday + timedelta(days=d), 0, self.zone)
            day_end = local_at(self.monday + timedelta(days=d + 1), 0, self.zone)
            a, z = max(start, day_start), min(end, day_end)
            if a >= z:
                continue
            rect = QRectF(self.day_x(d) + 3, self.y_of(self._minutes(a, d)),
                          self.column_width() - 6, self.y_of(self._minutes(z, d) - self._minutes(a, d)))
            p.setPen(QPen(QColor(style.ACCENT), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(tint)
            p.drawRoundedRect(rect, 5, 5)
            if a == start:
                p.setPen(QColor(style.ACCENT_DARK))
                p.drawText(rect.adjusted(6, 3, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                           f"{fmt.time_of(start, self.zone)} – {fmt.time_of(end, self.zone)}")

    def _paint_now(self, p: QPainter) -> None:
        local = self.now.astimezone(self.zone)
        d = (local.date() - self.monday).days
        if not 0 <= d < 7:
            return
        y = self.y_of(local.hour * 60 + local.minute)
        p.setPen(QPen(_NOW, 2))
        p.drawLine(QPointF(self.day_x(d), y), QPointF(self.day_x(d) + self.column_width(), y))
        p.setBrush(_NOW)
        p.drawEllipse(QPointF(self.day_x(d), y), 4, 4)


def booking_line(m: Meeting, zone: ZoneInfo) -> str:
    who = m.customer_name or m.customer[:6]
    if m.status is MeetingStatus.AGREED:
        return tr("{time} {customer}: {topic} (agreed)", time=fmt.time_of(m.start, zone), customer=who, topic=m.topic)
    return tr("{time} {customer}: {topic} (awaiting your approval)", time=fmt.time_of(m.start, zone),
              customer=who, topic=m.topic)


class DayHeader(QWidget):
    """Day names over the grid's columns; follows the grid's width."""

    def __init__(self, grid: WeekGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.setFixedHeight(40)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(style.CARD))
        g = self.grid
        today = g.now.astimezone(g.zone).date()
        for d in range(7):
            day = g.monday + timedelta(days=d)
            rect = QRectF(g.day_x(d), 0, g.column_width(), self.height())
            name = QLocale().toString(QDate(day.year, day.month, day.day), "ddd")
            number = QLocale().toString(QDate(day.year, day.month, day.day), "d MMM")
            font = QFont(self.font())
            font.setBold(day == today)
            p.setFont(font)
            if day == today:
                pill = QRectF(rect.center().x() - 44, 6, 88, 28)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(style.ACCENT))
                p.drawRoundedRect(pill, 14, 14)
                p.setPen(QColor("white"))
            else:
                p.setPen(QColor(style.MUTED if day < today else style.INK))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{name} {number}")
        p.setPen(QPen(_LINE))
        p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        p.end()


class WeekView(QFrame):
    """The header and the scrolling grid, as one widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.grid = WeekGrid()
        self.header = DayHeader(self.grid)
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setWidget(self.grid)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.scroll, 1)
        self._scrolled_for: date | None = None

    def set_week(self, monday: date, zone: ZoneInfo, items: Sequence[SlotItem], now: datetime, empty_text: str) -> None:
        first_time = self._scrolled_for != monday
        self.grid.empty_text = empty_text
        self.grid.set_week(monday, zone, items, now)
        self.header.update()
        if first_time:  # a new week opens at its first slot (or the working morning), not at midnight
            self._scrolled_for = monday
            tops = [b.top for b in self.grid.blocks]
            minutes = max(min(tops) - 60, 0) if tops else 7 * 60
            QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(int(self.grid.y_of(minutes))))

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.header.update()
