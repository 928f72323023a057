"""The login dialog (server URL, email, password) and the account switcher.

Both are opened with `open()` and answer through a future (`await dialog.answer()`), so
the loop keeps running while the person types.
"""

from __future__ import annotations

import asyncio

import httpx
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client.accounts import KnownAccount, LoginError, Session, login

from .errors import human
from .i18n import tr
from .notifier import app_icon
from .widgets import heading


class LoginDialog(QDialog):
    """Asks for the server, email and password, and logs in; `answer()` gives the Session or None."""

    def __init__(self, http: httpx.AsyncClient, server_url: str = "", email: str = "", note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.http = http
        self.setObjectName("login")
        self.setWindowTitle(tr("Log in to Expert Console"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(tr("Welcome back"), tr("Log in with the account your platform gave you.")))
        form = QFormLayout()
        self.server = QLineEdit(server_url or "http://127.0.0.1:8765")
        self.server.setObjectName("server")
        self.server.setPlaceholderText("https://console.example.com")
        self.email = QLineEdit(email)
        self.email.setObjectName("email")
        self.email.setPlaceholderText("you@example.com")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Server"), self.server)
        form.addRow(tr("Email"), self.email)
        form.addRow(tr("Password"), self.password)
        lay.addLayout(form)
        self.error = QLabel(note)
        self.error.setObjectName("login-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setVisible(bool(note))
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("login-button")
        self.ok.setProperty("primary", "true")
        self.ok.setDefault(True)
        buttons.addButton(tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        (self.password if email else self.email).setFocus()
        self._future: asyncio.Future[Session | None] = asyncio.get_event_loop().create_future()
        self.rejected.connect(lambda: self._settle(None))
        self.session: Session | None = None

    def _settle(self, session: Session | None) -> None:
        if not self._future.done():
            self._future.set_result(session)

    async def answer(self) -> Session | None:
        self.open()
        return await self._future

    def _submit(self) -> None:
        self.ok.setEnabled(False)
        self.error.setVisible(False)
        task = asyncio.ensure_future(login(self.http, self.server.text().strip(), self.email.text(),
                                           self.password.text()))
        task.add_done_callback(self._answered)

    def _answered(self, task: asyncio.Task[Session]) -> None:
        self.ok.setEnabled(True)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.error.setText(human(exc) if not isinstance(exc, LoginError) else human(exc))
            self.error.setVisible(True)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.session = task.result()
        self._settle(self.session)
        self.accept()


class AccountsDialog(QDialog):
    """Pick a known account (its token may still be saved) or add another; `answer()` gives it."""

    ADD = "__add__"

    def __init__(self, accounts: list[KnownAccount], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accounts")
        self.setWindowTitle(tr("Switch account"))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(tr("Switch account"), tr("Your accounts on this computer.")))
        self.list = QListWidget()
        self.list.setObjectName("account-list")
        for acc in accounts:
            item = QListWidgetItem(f"{acc.email}\n{acc.server_url}")
            item.setData(256, acc)
            self.list.addItem(item)
            if f"{acc.server_url}|{acc.email}" == current:
                item.setText(item.text() + "  " + tr("(current)"))
        lay.addWidget(self.list)
        add = QPushButton(tr("Add another account…"))
        add.setObjectName("add-account")
        add.clicked.connect(lambda: self._settle(self.ADD))
        lay.addWidget(add)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(tr("Switch"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("switch")
        ok.setProperty("primary", "true")
        buttons.addButton(tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._pick)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self._pick())
        lay.addWidget(buttons)
        self._future: asyncio.Future[KnownAccount | str | None] = asyncio.get_event_loop().create_future()
        self.rejected.connect(lambda: self._settle(None))

    def _settle(self, value: KnownAccount | str | None) -> None:
        if not self._future.done():
            self._future.set_result(value)
        self.accept()

    def _pick(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._settle(item.data(256))

    async def answer(self) -> KnownAccount | str | None:
        self.open()
        return await self._future
