"""The login dialog (server URL, email, password; sign-up and a forgotten password) and the account switcher.

Both are opened with `open()` and answer through a future (`await dialog.answer()`), so
the loop keeps running while the person types.
"""

from __future__ import annotations

import asyncio
import zoneinfo
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
from PySide6.QtCore import Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client.accounts import (
    KnownAccount,
    Session,
    confirm_reset,
    login,
    register,
    request_reset,
)

from .errors import human
from .i18n import tr
from .notifier import app_icon
from .widgets import heading

T = TypeVar("T")


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _link(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFlat(True)
    button.setAutoDefault(False)  # Enter submits the page's form, never a link
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class LoginDialog(QDialog):
    """Asks for the server, email and password, and logs in; `answer()` gives the Session or None.

    Two more pages on the same server: "Create an account" (an expert's sign-up, logged in at once)
    and "Forgot password?" (a code by email, then the code and a new password).
    """

    LOGIN, SIGN_UP, RESET = 0, 1, 2

    def __init__(self, http: httpx.AsyncClient, server_url: str = "", email: str = "", note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.http = http
        self.setObjectName("login")
        self.setWindowTitle(tr("Log in to Expert Console"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        self.titles = QStackedWidget()
        self.titles.addWidget(heading(tr("Welcome back"), tr("Log in with the account your platform gave you.")))
        self.titles.addWidget(heading(tr("Create an account"), tr("An expert's account on this server.")))
        self.titles.addWidget(heading(tr("Choose a new password"),
                                      tr("We send a one-time code to your email; enter it here with a new password.")))
        lay.addWidget(self.titles)
        top = QFormLayout()
        self.server = QLineEdit(server_url or "http://127.0.0.1:8765")
        self.server.setObjectName("server")
        self.server.setPlaceholderText("https://console.example.com")
        top.addRow(tr("Server"), self.server)
        lay.addLayout(top)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._login_page(email))
        self.pages.addWidget(self._sign_up_page())
        self.pages.addWidget(self._reset_page())
        lay.addWidget(self.pages)
        self.error = QLabel(note)
        self.error.setObjectName("login-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setVisible(bool(note))
        lay.addWidget(self.error)
        self.info = QLabel()
        self.info.setObjectName("login-info")
        self.info.setWordWrap(True)
        self.info.setVisible(False)
        lay.addWidget(self.info)
        # The stacks keep their own height; a taller window gives its room below the fields.
        for stack in (self.titles, self.pages):
            stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        lay.addStretch(1)
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
        self._busy: list[QPushButton] = [self.ok, self.signup_button, self.reset_send, self.reset_button]

    # --- the three pages ---

    def _login_page(self, email: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.email = QLineEdit(email)
        self.email.setObjectName("email")
        self.email.setPlaceholderText("you@example.com")
        self.password = _password_field("password")
        form.addRow(tr("Email"), self.email)
        form.addRow(tr("Password"), self.password)
        links = QHBoxLayout()
        forgot = _link(tr("Forgot password?"), "forgot-password")
        forgot.clicked.connect(lambda: self.show_page(self.RESET))
        create = _link(tr("Create an account"), "create-account")
        create.clicked.connect(lambda: self.show_page(self.SIGN_UP))
        links.addWidget(forgot)
        links.addStretch(1)
        links.addWidget(create)
        form.addRow(links)
        return page

    def _sign_up_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.signup_name = QLineEdit()
        self.signup_name.setObjectName("signup-name")
        self.signup_email = QLineEdit()
        self.signup_email.setObjectName("signup-email")
        self.signup_email.setPlaceholderText("you@example.com")
        self.signup_password = _password_field("signup-password")
        self.signup_password.setPlaceholderText(tr("at least 8 characters"))
        self.signup_zone = QComboBox()
        self.signup_zone.setObjectName("signup-zone")
        self.signup_zone.setEditable(True)
        self.signup_zone.addItems(sorted(zoneinfo.available_timezones()))
        here = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
        self.signup_zone.setCurrentText(here if here in zoneinfo.available_timezones() else "UTC")
        form.addRow(tr("Your name"), self.signup_name)
        form.addRow(tr("Email"), self.signup_email)
        form.addRow(tr("Password"), self.signup_password)
        form.addRow(tr("Time zone"), self.signup_zone)
        self.signup_button = QPushButton(tr("Create the account"))
        self.signup_button.setObjectName("signup-button")
        self.signup_button.setProperty("primary", "true")
        self.signup_button.clicked.connect(self._sign_up)
        back = _link(tr("Back to log in"), "signup-back")
        back.clicked.connect(lambda: self.show_page(self.LOGIN))
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.signup_button)
        form.addRow(row)
        return page

    def _reset_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.reset_email = QLineEdit()
        self.reset_email.setObjectName("reset-email")
        self.reset_email.setPlaceholderText("you@example.com")
        self.reset_send = QPushButton(tr("Email me a code"))
        self.reset_send.setObjectName("reset-send")
        self.reset_send.setAutoDefault(False)
        self.reset_send.clicked.connect(self._send_code)
        send = QHBoxLayout()
        send.addWidget(self.reset_email, 1)
        send.addWidget(self.reset_send)
        form.addRow(tr("Email"), send)
        self.reset_code = QLineEdit()
        self.reset_code.setObjectName("reset-code")
        self.reset_password = _password_field("reset-password")
        self.reset_password.setPlaceholderText(tr("at least 8 characters"))
        form.addRow(tr("Code from the email"), self.reset_code)
        form.addRow(tr("New password"), self.reset_password)
        self.reset_button = QPushButton(tr("Change the password"))
        self.reset_button.setObjectName("reset-button")
        self.reset_button.setProperty("primary", "true")
        self.reset_button.clicked.connect(self._change_password)
        back = _link(tr("Back to log in"), "reset-back")
        back.clicked.connect(lambda: self.show_page(self.LOGIN))
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.reset_button)
        form.addRow(row)
        return page

    def show_page(self, page: int, info: str = "") -> None:
        """Switch page; the email typed on one page follows to the next."""
        typed = [f.text().strip() for f in (self.email, self.signup_email, self.reset_email) if f.text().strip()]
        address = {self.LOGIN: self.email, self.SIGN_UP: self.signup_email, self.RESET: self.reset_email}[page]
        if typed and not address.text().strip():
            address.setText(typed[0])
        self.pages.setCurrentIndex(page)
        self.titles.setCurrentIndex(page)
        self.ok.setVisible(page == self.LOGIN)
        for index, button in ((self.LOGIN, self.ok), (self.SIGN_UP, self.signup_button), (self.RESET, self.reset_button)):
            button.setDefault(index == page)  # Enter presses the page's own button
        self.error.setVisible(False)
        self.info.setText(info)
        self.info.setVisible(bool(info))
        first = {self.LOGIN: self.password if self.email.text() else self.email,
                 self.SIGN_UP: self.signup_name, self.RESET: self.reset_email if not address.text() else self.reset_code}
        first[page].setFocus()

    # --- answers ---

    def _settle(self, session: Session | None) -> None:
        if not self._future.done():
            self._future.set_result(session)

    async def answer(self) -> Session | None:
        self.open()
        return await self._future

    def _run(self, work: Coroutine[Any, Any, T], done: Callable[[T], None], retry: QLineEdit) -> None:
        """Run one call to the server with the buttons disabled; a refusal is said under the form."""
        for button in self._busy:
            button.setEnabled(False)
        self.error.setVisible(False)
        self.info.setVisible(False)

        def answered(task: asyncio.Task[T]) -> None:
            for button in self._busy:
                button.setEnabled(True)
            if task.cancelled():
                return
            exc = task.exception()
            if exc is not None:
                self.error.setText(human(exc))
                self.error.setVisible(True)
                retry.selectAll()
                retry.setFocus()
                return
            done(task.result())

        asyncio.ensure_future(work).add_done_callback(answered)

    def _server(self) -> str:
        return self.server.text().strip()

    def _submit(self) -> None:
        if self.pages.currentIndex() != self.LOGIN:
            return
        self._run(login(self.http, self._server(), self.email.text(), self.password.text()), self._logged_in,
                  self.password)

    def _sign_up(self) -> None:
        self._run(register(self.http, self._server(), self.signup_name.text(), self.signup_email.text(),
                           self.signup_password.text(), self.signup_zone.currentText().strip()),
                  self._logged_in, self.signup_password)

    def _send_code(self) -> None:
        def sent(_status: str) -> None:
            self.info.setText(tr("If {email} has an account, a code is on its way. Enter it below with a new "
                                 "password.", email=self.reset_email.text().strip()))
            self.info.setVisible(True)
            self.reset_code.setFocus()

        self._run(request_reset(self.http, self._server(), self.reset_email.text()), sent, self.reset_email)

    def _change_password(self) -> None:
        def changed(_: None) -> None:
            self.email.setText(self.reset_email.text().strip())
            self.password.clear()
            self.reset_code.clear()
            self.reset_password.clear()
            self.show_page(self.LOGIN, tr("Your password is changed. Log in with the new one."))

        self._run(confirm_reset(self.http, self._server(), self.reset_code.text(), self.reset_password.text()),
                  changed, self.reset_code)

    def _logged_in(self, session: Session) -> None:
        self.session = session
        self._settle(session)
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
