"""The strip above every page that tells what just happened, or what went wrong and what to do."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from .i18n import tr


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagebar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("message")
        close = QToolButton()
        close.setText("×")
        close.setToolTip(tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.history: list[tuple[str, bool]] = []
        self.hide()

    def show_message(self, message: str, error: bool = True) -> None:
        self.history.append((message, error))
        del self.history[:-50]
        self.label.setText(message)
        self.setProperty("error", "true" if error else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        # Confirmations fade; errors stay until read.
        if error:
            self._timer.stop()
        else:
            self._timer.start(6000)

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
