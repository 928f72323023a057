"""Desktop notifications (R35): the system tray when there is one, and a toast in the window.

New notifications are read from the console after the last position this account has seen
(kept in QSettings, so a restart does not repeat old ones). An instant request's toast has
Accept and Decline right there: the expert can take it without looking for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client.console import Console

from .i18n import tr
from .tasks import start

# The notification kinds that pop up (the rest stay in the lists they belong to).
POPUP = frozenset({"new_request", "cancellation", "claim", "reminder", "link", "reschedule", "session_ending"})


def title_of(kind: str) -> str:
    titles = {
        "new_request": tr("New request"),
        "cancellation": tr("Meeting cancelled"),
        "claim": tr("Claim"),
        "reminder": tr("Reminder"),
        "link": tr("Your session starts soon"),
        "reschedule": tr("New time proposed"),
        "session_ending": tr("Session ending"),  # R19's warning, also when the live window is behind others
    }
    return titles.get(kind, tr("Notification"))


class Toast(QFrame):
    """A card in the window's corner; instant requests get Accept / Decline buttons."""

    def __init__(self, parent: QWidget, title: str, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setStyleSheet("QFrame#toast { background: white; border: 1px solid #0f766e; border-radius: 8px; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        head = QLabel(f"<b>{title}</b>")
        body = QLabel(text)
        body.setWordWrap(True)
        lay.addWidget(head)
        lay.addWidget(body)
        self.actions = QHBoxLayout()
        lay.addLayout(self.actions)
        self.setFixedWidth(330)
        close = QPushButton(tr("Close"))
        close.setObjectName("toast-close")
        close.clicked.connect(self.close)
        self.actions.addStretch(1)
        self.actions.addWidget(close)
        QTimer.singleShot(20_000, self.close)

    def add_action(self, text: str, name: str, slot: Callable[[], None], primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if primary:
            button.setProperty("primary", "true")
        button.clicked.connect(slot)
        button.clicked.connect(self.close)
        self.actions.insertWidget(0, button)
        return button


class Notifier(QObject):
    """Watches the console's notifications; `shown` carries (kind, ref, text) of each popped one."""

    shown = Signal(str, str, str)

    def __init__(self, console: Console, window: Any, settings: QSettings, icon: QIcon) -> None:
        super().__init__(window)
        self.console = console
        self.window = window
        self.settings = settings
        self.key = f"notifications/{console.session.key}/seen"
        self.enabled = settings.value("notifications/enabled", True, type=bool)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(tr("Expert Console"))
            self.tray.activated.connect(lambda *_: window.bring_to_front())
            self.tray.messageClicked.connect(lambda: window.show_screen(self._last_screen, self._last_ref))
            self.tray.show()
        self._last_screen = "requests"
        self._last_ref = ""
        self.toasts: list[Toast] = []
        self._reading = False
        self._again = False

    @property
    def seen(self) -> int:
        return int(self.settings.value(self.key, -1))

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.settings.setValue("notifications/enabled", on)

    def check(self) -> None:
        if self._reading:  # one read at a time; a change during it triggers one more
            self._again = True
            return
        self._reading = True
        start(self._check(), self.window)

    async def _check(self) -> None:
        try:
            seen = self.seen
            found = await self.console.notifications(after=max(seen, 0), limit=200)
            if found or seen < 0:
                self.settings.setValue(self.key, int(found[-1]["position"]) if found else 0)
            if seen < 0:
                return  # the first run on this account: old notifications are history, not news
            for n in found:
                if n["kind"] in POPUP and self.enabled:
                    self.pop(n)
        finally:
            self._reading = False
            if self._again:
                self._again = False
                self.check()

    def pop(self, n: dict[str, Any]) -> None:
        kind, ref, text = str(n["kind"]), str(n["ref"]), str(n["text"])
        screen = {"new_request": "requests", "claim": "disputes"}.get(kind, "upcoming")
        self._last_screen, self._last_ref = screen, ref
        title = title_of(kind)
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        toast = Toast(self.window, title, text)
        meeting = self.console.meeting(ref) if kind == "new_request" else None
        if meeting is not None and meeting.kind.value == "instant":
            toast.add_action(tr("Decline"), "toast-decline", lambda: self.window.show_screen("requests", ref))
            toast.add_action(tr("Accept"), "toast-accept", lambda: start(self._accept(ref), self.window),
                             primary=True)
        else:
            toast.add_action(tr("View"), "toast-view", lambda: self.window.show_screen(screen, ref), primary=True)
        self.toasts = [t for t in self.toasts if t.isVisible()]
        self.toasts.append(toast)
        self.window.place_toast(toast)
        self.shown.emit(kind, ref, text)

    async def _accept(self, meeting_id: str) -> None:
        await self.console.accept_instant(meeting_id)
        self.window.open_live(meeting_id)


def app_icon() -> QIcon:
    """A simple drawn icon (a teal rounded square with 'EC'), so no image file is needed."""
    from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

    pix = QPixmap(64, 64)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#0f766e"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(2, 2, 60, 60, 14, 14)
    p.setPen(QColor("white"))
    font = QFont()
    font.setPixelSize(26)
    font.setBold(True)
    p.setFont(font)
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, "EC")
    p.end()
    return QIcon(pix)
