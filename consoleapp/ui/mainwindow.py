"""The main window: sidebar with badges, the screens, the message bar, the status bar.

It subscribes to the console once and tells screens what changed: the visible screen
refreshes at once, hidden ones when they are next shown (a change set is coalesced for
150 ms so a burst of pulls costs one refresh). Layout, last screen and language are kept
in QSettings.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client.console import Console

from . import i18n
from .i18n import tr
from .issues import IssuesDialog
from .messagebar import MessageBar
from .notifier import Notifier, app_icon
from .screens import screen_classes
from .screens.base import Screen
from .tasks import start
from .widgets import EmptyState

log = logging.getLogger("consoleapp.ui")
BADGE = Qt.ItemDataRole.UserRole + 10


class BadgeDelegate(QStyledItemDelegate):
    """Sidebar items with a count pill on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        super().paint(painter, option, index)
        count = index.data(BADGE) or 0
        if not count:
            return
        text = str(count) if count < 100 else "99+"
        r = option.rect  # type: ignore[attr-defined]
        w = max(22, 10 + 8 * len(text))
        pill = r.adjusted(r.width() - w - 18, 10, -18, -10)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Qt.GlobalColor.white if option.state & option.state.State_Selected  # type: ignore[attr-defined]
                         else Qt.GlobalColor.darkCyan)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setPen(Qt.GlobalColor.black if option.state & option.state.State_Selected  # type: ignore[attr-defined]
                       else Qt.GlobalColor.white)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 40))


class MainWindow(QMainWindow):
    """`closed` fires when the expert closes the window; `switch_account` / `log_out` ask the app."""

    closed = Signal()
    switch_account = Signal()
    log_out = Signal()
    offline_toggled = Signal(bool)

    def __init__(self, console: Console | None, settings: QSettings, parent: QWidget | None = None) -> None:
        """Without a console the window shows its frame and "Opening your data…" at once;
        `attach(console)` fills it when the account's cache is open (that can take seconds)."""
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("main-window")
        self.setWindowTitle(tr("Expert Console"))
        self.setWindowIcon(app_icon())
        self.screens: dict[str, Screen] = {}
        self._classes = screen_classes()
        self._dirty: set[str] = set()
        self._pending_kinds: set[str] = set()
        self._live: dict[str, QWidget] = {}
        self._unsubscribe: Callable[[], None] = lambda: None
        self._fresh_start: Callable[[], object] = lambda: None
        self.console: Console | None = None
        self.notifier: Notifier | None = None
        self._build()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(150)
        self._flush.timeout.connect(self._apply_changes)
        self._clock = QTimer(self)  # the "last sync" text and badges stay current
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._refresh_badges)
        self._restore_geometry()
        if console is not None:
            self.attach(console)

    def attach(self, console: Console) -> None:
        """Build the screens on the account's console and start listening to its changes."""
        self.console = console
        self.account.setText(console.session.email)
        for cls in self._classes:
            screen = cls(console, self)
            self.screens[cls.key] = screen
            self.stack.addWidget(screen)
            self._dirty.add(cls.key)
        self._menus()
        self.notifier = Notifier(console, self, self._settings, app_icon())
        self._unsubscribe = console.subscribe(self._on_changes)
        self._clock.start()
        key = self._settings.value("window/screen", "requests", type=str)
        keys = list(self.screens)
        row = keys.index(key) if key in keys else 0
        self.sidebar.setEnabled(True)
        if self.sidebar.currentRow() == row:
            self._on_row(row)
        else:
            self.sidebar.setCurrentRow(row)
        self._show_status()
        self.notifier.check()
        self._refresh_badges()

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        side = QWidget()
        side.setObjectName("side")
        side.setStyleSheet("QWidget#side { background: #111827; }")
        side.setFixedWidth(236)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.setSpacing(0)
        brand = QLabel(tr("Expert Console"))
        brand.setObjectName("brand")
        self.account = QLabel("")
        self.account.setObjectName("account")
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setItemDelegate(BadgeDelegate(self.sidebar))
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_lay.addWidget(brand)
        side_lay.addWidget(self.account)
        side_lay.addWidget(self.sidebar, 1)

        page = QWidget()
        page.setObjectName("page")
        page_lay = QVBoxLayout(page)
        page_lay.setContentsMargins(20, 14, 20, 10)
        self.messages = MessageBar()
        self.stack = QStackedWidget()
        page_lay.addWidget(self.messages)
        page_lay.addWidget(self.stack, 1)

        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(side)
        lay.addWidget(page, 1)
        self.setCentralWidget(central)

        for n, cls in enumerate(self._classes):
            item = QListWidgetItem(cls.caption())
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            item.setToolTip(tr("{name} (Ctrl+{n})", name=cls.caption(), n=n + 1))
            self.sidebar.addItem(item)
        self.sidebar.setEnabled(False)
        self.loading = EmptyState(tr("Opening your data…"))
        self.loading.setObjectName("loading")
        # Shown only when the account's cache cannot be used (`offer_fresh_copy`).
        self.fresh_copy = QPushButton(tr("Set this copy aside and download my data again"))
        self.fresh_copy.setObjectName("fresh-copy")
        self.fresh_copy.hide()
        self.fresh_copy.clicked.connect(self._fresh_clicked)
        opening = QWidget()
        opening_lay = QVBoxLayout(opening)
        opening_lay.addStretch(1)
        opening_lay.addWidget(self.loading)
        opening_lay.addWidget(self.fresh_copy, 0, Qt.AlignmentFlag.AlignHCenter)
        opening_lay.addStretch(1)
        self.stack.addWidget(opening)
        self.sidebar.currentRowChanged.connect(self._on_row)

        bar = self.statusBar()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("sync-status")
        self.sync_label.setTextFormat(Qt.TextFormat.RichText)
        self.issues_button = QPushButton()
        self.issues_button.setObjectName("not-applied")
        self.issues_button.setFlat(True)
        self.issues_button.clicked.connect(self.open_issues)
        bar.addWidget(self.sync_label, 1)
        bar.addPermanentWidget(self.issues_button)

    def _menus(self) -> None:
        menu = self.menuBar()
        file = menu.addMenu(tr("&Account"))
        switch = QAction(tr("Switch account…"), self)
        switch.triggered.connect(self.switch_account.emit)
        self.offline_action = QAction(tr("Work offline"), self)
        self.offline_action.setCheckable(True)
        self.offline_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.offline_action.toggled.connect(self.offline_toggled.emit)
        logout = QAction(tr("Log out"), self)
        logout.triggered.connect(self.log_out.emit)
        quit_ = QAction(tr("Quit"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        for a in (switch, self.offline_action, logout):
            file.addAction(a)
        file.addSeparator()
        file.addAction(quit_)

        view = menu.addMenu(tr("&View"))
        for n, screen in enumerate(self.screens.values()):
            action = QAction(screen.caption(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _=False, k=screen.key: self.show_screen(k))
            view.addAction(action)
            self.addAction(action)
        view.addSeparator()
        refresh = QAction(tr("Sync now"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: start(self._console().sync.sync_once(), self))
        view.addAction(refresh)
        issues = QAction(tr("Not applied…"), self)
        issues.triggered.connect(self.open_issues)
        view.addAction(issues)

        prefs = menu.addMenu(tr("&Settings"))
        lang = prefs.addMenu(tr("Language"))
        group = QActionGroup(self)
        current = self._settings.value("language", "", type=str) or i18n.system_language()
        for code, name in i18n.LANGUAGES.items():
            a = QAction(name, self)
            a.setCheckable(True)
            a.setChecked(code == current)
            a.triggered.connect(lambda _=False, c=code: self._set_language(c))
            group.addAction(a)
            lang.addAction(a)
        notify = QAction(tr("Desktop notifications"), self)
        notify.setCheckable(True)
        notify.setChecked(self._settings.value("notifications/enabled", True, type=bool))
        notify.toggled.connect(lambda on: self.notifier.set_enabled(on) if self.notifier else None)
        prefs.addAction(notify)

    def _set_language(self, code: str) -> None:
        self._settings.setValue("language", code)
        self.report(tr("The language changes the next time the console starts."), False)

    # --- Context (what screens may ask) -----------------------------------------------------------

    def show_screen(self, key: str, ref: str = "") -> None:
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.sidebar.setCurrentRow(row)
                break
        screen = self.screens.get(key)
        if screen is not None and ref:
            screen.select(ref)
        self.bring_to_front()

    def open_live(self, meeting_id: str) -> None:
        from .screens.live import LiveWindow

        window = self._live.get(meeting_id)
        if window is None or not window.isVisible():
            window = LiveWindow(self._console(), meeting_id)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_, m=meeting_id: self._live.pop(m, None))
            window.history_requested.connect(lambda m: self.show_screen("history", m))
            self._live[meeting_id] = window
            window.show()
        window.raise_()
        window.activateWindow()

    @property
    def live_windows(self) -> dict[str, QWidget]:
        return dict(self._live)

    def offer_fresh_copy(self, message: str, start: Callable[[], object]) -> None:
        """The account's cache cannot be used: say why, with the way out as a button."""
        self.loading.setText(message)
        self._fresh_start = start
        self.fresh_copy.show()

    def _fresh_clicked(self) -> None:
        self.fresh_copy.hide()
        self._fresh_start()

    def report(self, message: str, error: bool = True) -> None:
        self.messages.show_message(message, error)

    def settings(self) -> QSettings:
        return self._settings

    def now(self) -> datetime:
        return self._console().now()

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def place_toast(self, toast: QWidget) -> None:
        toast.setParent(self)
        toast.adjustSize()
        visible = [w for w in self.findChildren(QWidget, "toast") if w.isVisible() and w is not toast]
        y = self.height() - self.statusBar().height() - 12 - toast.height()
        for other in visible:
            y = min(y, other.y() - 8 - toast.height())
        toast.move(QPoint(self.width() - toast.width() - 18, max(y, 40)))
        toast.show()
        toast.raise_()

    # --- changes -----------------------------------------------------------------------------------

    def _on_changes(self, kinds: frozenset[str]) -> None:
        self._pending_kinds |= kinds
        if not self._flush.isActive():
            self._flush.start()

    def _apply_changes(self) -> None:
        kinds, self._pending_kinds = self._pending_kinds, set()
        if "status" in kinds or "issues" in kinds:
            self._show_status()
        if self.notifier is not None and kinds & {"notifications", "requests", "claims"}:
            self.notifier.check()
        current = self.current_screen()
        for key, screen in self.screens.items():
            if screen.kinds & kinds:
                self._dirty.add(key)
        if current is not None and current.key in self._dirty:
            self._refresh(current)
        self._refresh_badges()

    def current_screen(self) -> Screen | None:
        w = self.stack.currentWidget()
        return w if isinstance(w, Screen) else None

    def _on_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.sidebar.item(row).data(Qt.ItemDataRole.UserRole)
        screen = self.screens.get(key)
        if screen is None:
            return
        self.stack.setCurrentWidget(screen)
        self._settings.setValue("window/screen", key)
        if key in self._dirty:
            self._refresh(screen)

    def _refresh(self, screen: Screen) -> None:
        self._dirty.discard(screen.key)
        start(screen.refresh(), self)

    def _refresh_badges(self) -> None:
        start(self._badges(), self)
        self._show_status()

    async def _badges(self) -> None:
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            screen = self.screens.get(item.data(Qt.ItemDataRole.UserRole))
            if screen is None:
                continue
            try:
                count = await screen.badge()
            except Exception:  # a badge is decoration: log, do not nag the expert
                log.exception("badge of %s", screen.key)
                count = 0
            item.setData(BADGE, count)

    def badge_of(self, key: str) -> int:
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                return int(item.data(BADGE) or 0)
        return 0

    def _show_status(self) -> None:
        if self.console is None:
            return
        s = self.console.status()
        dot = f'<span style="color:{"#15803d" if s.online else "#9ca3af"}">●</span>'  # no emoji font needed
        parts = [tr("Online") if s.online else tr("Offline")]
        if s.syncing:
            parts.append(tr("syncing…"))
        if s.pending:
            parts.append(tr("%n change(s) waiting to be sent", None, s.pending))
        if s.last_synced is not None:
            parts.append(tr("last sync {time}", time=s.last_synced.astimezone().strftime("%H:%M:%S")))
        if s.error and not s.online:
            parts.append(s.error)
        self.sync_label.setText(f"{dot} " + html.escape(" · ".join(parts)))
        self.issues_button.setText(tr("%n not applied", None, s.issues) if s.issues else "")
        self.issues_button.setVisible(bool(s.issues))

    def open_issues(self) -> None:
        dialog = IssuesDialog(self.console, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- layout kept between runs ------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1280, 800)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def _console(self) -> Console:
        if self.console is None:
            raise RuntimeError("the window has no account open yet")
        return self.console

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.sync()
        self._clock.stop()
        self._flush.stop()
        self._unsubscribe()
        for window in list(self._live.values()):
            window.close()
        if self.notifier is not None and self.notifier.tray is not None:
            self.notifier.tray.hide()
        super().closeEvent(event)
        self.closed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        for toast in self.findChildren(QWidget, "toast"):
            if toast.isVisible():
                toast.move(self.width() - toast.width() - 18, toast.y())
