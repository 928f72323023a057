"""R1 from the desktop: an expert creates an account in the login dialog, and changes a forgotten
password with the code the server mails (a real SMTP server, aiosmtpd), against the real server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from consoleapp.ui.login import LoginDialog
from tests.sync.live import LiveServer, free_port
from tests.sync.test_notifications import Inbox

from .conftest import until

PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def mailed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Inbox]]:
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    live = LiveServer(Path(tmp_path_factory.mktemp("signup")) / "data",
                      env={"CONSOLEAPP_SMTP_HOST": "127.0.0.1", "CONSOLEAPP_SMTP_PORT": str(port)})
    try:
        live.start()
        yield live, inbox
    finally:
        live.stop()
        smtp.stop()


def _type(dialog: LoginDialog, **fields: str) -> None:
    for name, text in fields.items():
        dialog.findChild(QLineEdit, name.replace("_", "-")).setText(text)


def _click(qtbot, dialog: LoginDialog, name: str) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_r1_an_expert_signs_up_from_the_login_dialog(mailed, qtbot, qrun) -> None:
    live, _ = mailed

    async def steps() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            dialog = LoginDialog(http, live.url)
            qtbot.addWidget(dialog)
            answer = asyncio.ensure_future(dialog.answer())
            _click(qtbot, dialog, "create-account")
            _type(dialog, signup_name="Dana Expert", signup_email="Dana@Example.com", signup_password="short")
            dialog.findChild(QComboBox, "signup-zone").setCurrentText("Asia/Tokyo")
            _click(qtbot, dialog, "signup-button")
            error = dialog.findChild(QLabel, "login-error")
            await until(lambda: error.isVisible() and "password" in error.text().lower(), what="the short password refused")
            _type(dialog, signup_password=PASSWORD)
            qtbot.keyClick(dialog.findChild(QLineEdit, "signup-password"), Qt.Key.Key_Return)  # Enter signs up
            session = await answer
            assert session is not None and session.role == "expert" and session.email == "dana@example.com"
            me = (await http.get(f"{live.url}/auth/me", headers=session.headers())).json()
            assert (me["name"], me["role"]) == ("Dana Expert", "expert")
            pulled = (await http.post(f"{live.url}/sync/pull", headers=session.headers(),
                                      json={"client_id": "signup-test"})).json()
            opened = [c for c in pulled["changes"] if "OpenAccount" in c["kind"] or "AccountOpened" in c["kind"]]
            assert opened and "Asia/Tokyo" in str(opened[0]), pulled["changes"][:2]  # her zone, as chosen

            # The same email again: the server's refusal is said in the dialog, nothing is created.
            again = LoginDialog(http, live.url)
            qtbot.addWidget(again)
            again.show()
            _click(qtbot, again, "create-account")
            _type(again, signup_name="Someone", signup_email="dana@example.com", signup_password=PASSWORD)
            _click(qtbot, again, "signup-button")
            error = again.findChild(QLabel, "login-error")
            await until(lambda: error.isVisible() and "exists" in error.text(), what="the taken email refused")
            again.reject()

    qrun(steps())


def test_r1_a_forgotten_password_is_changed_with_the_mailed_code(mailed, qtbot, qrun) -> None:
    live, inbox = mailed
    live.register("expert", name="Erin", email="erin@example.com")

    async def steps() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            dialog = LoginDialog(http, live.url, email="erin@example.com")
            qtbot.addWidget(dialog)
            answer = asyncio.ensure_future(dialog.answer())
            _click(qtbot, dialog, "forgot-password")
            assert dialog.findChild(QLineEdit, "reset-email").text() == "erin@example.com"  # followed from login
            _click(qtbot, dialog, "reset-send")
            info = dialog.findChild(QLabel, "login-info")
            await until(lambda: info.isVisible() and "erin@example.com" in info.text(), what="the code is on its way")
            await until(lambda: bool(inbox.to("erin@example.com", "Reset")), what="the reset mail")
            body = inbox.to("erin@example.com", "Reset")[0].get_payload(decode=True).decode().replace("\r\n", "\n")
            code = body.split("\n\n")[1].strip()

            _type(dialog, reset_code="not-the-code-at-all", reset_password="a new password")
            _click(qtbot, dialog, "reset-button")
            error = dialog.findChild(QLabel, "login-error")
            await until(lambda: error.isVisible() and "reset code" in error.text(), what="a wrong code refused")

            _type(dialog, reset_code=code)
            _click(qtbot, dialog, "reset-button")
            await until(lambda: dialog.pages.currentIndex() == LoginDialog.LOGIN and info.isVisible(),
                        what="back on the login page")
            assert dialog.findChild(QLineEdit, "email").text() == "erin@example.com"
            _type(dialog, password=PASSWORD)  # the old password no longer works
            _click(qtbot, dialog, "login-button")
            await until(lambda: error.isVisible() and "wrong email or password" in error.text().lower(),
                        what="the old password refused")
            _type(dialog, password="a new password")
            _click(qtbot, dialog, "login-button")
            session = await answer
            assert session is not None and session.email == "erin@example.com"

    qrun(steps())
