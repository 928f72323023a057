"""Logging in, staying logged in, switching accounts and logging out, against the real server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QPushButton

from consoleapp.sync.client.accounts import TokenVault
from consoleapp.ui import tasks
from consoleapp.ui.app import Controller
from consoleapp.ui.login import AccountsDialog, LoginDialog
from consoleapp.ui.mainwindow import MainWindow

from .conftest import until

PASSWORD = "correct horse"


def _dialog(kind: type) -> object | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def _main() -> MainWindow | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.console is not None
             and w.isVisible()]
    return found[0] if found else None


async def _log_in(qtbot, email: str, password: str, server: str = "") -> LoginDialog:
    await until(lambda: _dialog(LoginDialog) is not None, what="the login dialog")
    dialog = _dialog(LoginDialog)
    if server:
        dialog.findChild(QLineEdit, "server").setText(server)
    dialog.findChild(QLineEdit, "email").setText(email)
    dialog.findChild(QLineEdit, "password").setText(password)
    qtbot.mouseClick(dialog.findChild(QPushButton, "login-button"), Qt.MouseButton.LeftButton)
    return dialog


def test_r1_log_in_wrong_then_right_stay_logged_in_switch_and_log_out(live, tmp_path: Path, settings, qtbot,
                                                                      qrun) -> None:
    anna, _ = live.register("expert", name="Anna", email="anna@example.com")
    bert, _ = live.register("expert", name="Bert", email="bert@example.com")
    vault = TokenVault(allow_plaintext=True, config_dir=tmp_path / "config")

    async def steps() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            controller = Controller(http, vault, settings, cache_dir=tmp_path / "caches")
            run = asyncio.ensure_future(controller.run(server_url=live.url))
            dialog = await _log_in(qtbot, "anna@example.com", "not the password")
            error = dialog.findChild(QLabel, "login-error")
            await until(lambda: error.isVisible() and "wrong email or password" in error.text().lower(),
                        what="the refusal in the dialog")
            await _log_in(qtbot, "anna@example.com", PASSWORD)
            await until(lambda: _main() is not None, what="the main window as Anna")
            assert _main().console.me == anna
            await tasks.idle()

            # Switch to another account: the first is remembered with its token.
            _main().switch_account.emit()
            await until(lambda: _dialog(AccountsDialog) is not None, what="the account switcher")
            qtbot.mouseClick(_dialog(AccountsDialog).findChild(QPushButton, "add-account"), Qt.MouseButton.LeftButton)
            await _log_in(qtbot, "bert@example.com", PASSWORD)
            await until(lambda: _main() is not None and _main().console.me == bert, what="Bert's window")
            _main().switch_account.emit()
            await until(lambda: _dialog(AccountsDialog) is not None, what="the switcher again")
            switcher = _dialog(AccountsDialog)
            accounts = switcher.findChild(QListWidget, "account-list")
            assert accounts.count() == 2
            anna_row = next(i for i in range(accounts.count()) if "anna@" in accounts.item(i).text())
            accounts.setCurrentRow(anna_row)
            qtbot.mouseClick(switcher.findChild(QPushButton, "switch"), Qt.MouseButton.LeftButton)
            # Anna's saved token is used: no password asked.
            await until(lambda: _main() is not None and _main().console.me == anna, what="back to Anna")
            assert _dialog(LoginDialog) is None

            # Log out: the token is revoked on the server and forgotten here.
            token = vault.load(live.url, "anna@example.com").token
            _main().log_out.emit()
            await until(lambda: _dialog(LoginDialog) is not None, what="the login dialog after logging out")
            assert vault.load(live.url, "anna@example.com") is None
            r = await http.get(f"{live.url}/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401
            _dialog(LoginDialog).reject()
            assert await asyncio.wait_for(run, 30) == 0

    qrun(steps())
