"""A small bar chart painted with QPainter (no QtCharts): one bar per month, clickable.

The chart only draws what it is given: (key, label, value, tip) bars, one of them selected.
Values may be negative (a lost dispute can make a month's net negative, R11/R30), so bars
grow up or down from a zero line. Clicking a bar emits `picked(key)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from .. import style

_BAR = QColor("#99d5cd")  # a light shade of the accent: the months not selected
_BAR_HOVER = QColor("#5eb3a8")
_NEGATIVE = QColor("#fca5a5")


@dataclass(frozen=True, slots=True)
class Bar:
    key: str  # what `picked` sends back: a month 'YYYY-MM'
    label: str  # under the bar
    value: int
    value_text: str  # above the bar (formatted money)
    tip: str = ""


class BarChart(QWidget):
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bar-chart")
        self.bars: list[Bar] = []
        self.selected = ""
        self._hover = -1
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(520, 220)

    def set_bars(self, bars: Sequence[Bar], selected: str = "") -> None:
        self.bars = list(bars)
        self.selected = selected
        self._hover = -1
        self.update()

    def select(self, key: str) -> None:
        if key != self.selected:
            self.selected = key
            self.update()

    # --- geometry (also used by tests to click a bar) -------------------------------------------

    def _plot(self) -> QRectF:
        fm = self.fontMetrics()
        top = fm.height() + 6  # room for the value above the tallest bar
        bottom = fm.height() + 10  # room for the month labels
        return QRectF(8, top, max(self.width() - 16, 1), max(self.height() - top - bottom, 1))

    def _scale(self) -> tuple[float, float]:
        """(zero line y, pixels per credit)."""
        plot = self._plot()
        high = max([b.value for b in self.bars] + [0])
        low = min([b.value for b in self.bars] + [0])
        span = (high - low) or 1
        per = plot.height() / span
        return plot.top() + high * per, per

    def bar_rect(self, i: int) -> QRectF:
        """The rectangle of bar `i` (at least 2 px tall, so an empty month can still be clicked)."""
        plot = self._plot()
        n = max(len(self.bars), 1)
        slot = plot.width() / n
        width = max(min(slot * 0.62, 56), 4)
        x = plot.left() + slot * i + (slot - width) / 2
        zero, per = self._scale()
        h = abs(self.bars[i].value) * per
        h = max(h, 2)
        y = zero - h if self.bars[i].value >= 0 else zero
        return QRectF(x, y, width, h)

    def bar_column(self, i: int) -> QRectF:
        """The whole column of bar `i`, labels included: what a click hits."""
        plot = self._plot()
        slot = plot.width() / max(len(self.bars), 1)
        return QRectF(plot.left() + slot * i, 0, slot, self.height())

    def bar_at(self, pos: QPoint) -> int:
        for i in range(len(self.bars)):
            if self.bar_column(i).contains(pos.toPointF()):
                return i
        return -1

    # --- events ---------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        i = self.bar_at(event.position().toPoint())
        if i != self._hover:
            self._hover = i
            self.update()
        if i >= 0 and self.bars[i].tip:
            QToolTip.showText(event.globalPosition().toPoint(), self.bars[i].tip, self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event: object) -> None:  # noqa: N802
        self._hover = -1
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        i = self.bar_at(event.position().toPoint())
        if i >= 0:
            self.select(self.bars[i].key)
            self.picked.emit(self.bars[i].key)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot()
        zero, _ = self._scale()
        fm = self.fontMetrics()
        p.setPen(QPen(QColor(style.LINE), 1))
        p.drawLine(int(plot.left()), int(zero), int(plot.right()), int(zero))
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7))
        bold = QFont(small)
        bold.setBold(True)
        for i, bar in enumerate(self.bars):
            rect = self.bar_rect(i)
            chosen = bar.key == self.selected
            if chosen:
                colour = QColor(style.ACCENT)
            elif bar.value < 0:
                colour = _NEGATIVE
            else:
                colour = _BAR_HOVER if i == self._hover else _BAR
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(rect, 3, 3)
            column = self.bar_column(i)
            p.setFont(bold if chosen else small)
            p.setPen(QColor(style.INK if chosen else style.MUTED))
            label_box = QRectF(column.left(), plot.bottom() + 4, column.width(), fm.height() + 4)
            p.drawText(label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, bar.label)
            if bar.value or chosen:
                above = rect.top() - fm.height() - 2 if bar.value >= 0 else rect.bottom() + 2
                value_box = QRectF(column.left(), above, column.width(), fm.height())
                p.drawText(value_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, bar.value_text)
        p.end()
