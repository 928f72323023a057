"""Starting the console: `consoleapp --server URL` (or `make run` for the demo).

One asyncio loop on Qt (qasync) and one httpx.AsyncClient made inside it and closed on quit.
The controller signs in (a saved token, else the login dialog), opens the account's
workspace (cache off the UI thread, then the background sync), shows the main window, and
closes everything when the window closes. Switching account closes one workspace and opens
another; nothing else in the app knows about accounts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from consoleapp.sync.client import accounts
from consoleapp.sync.client.accounts import KnownAccount, NoKeyring, Session, TokenVault
from consoleapp.sync.client.cache import Cache, CacheError
from consoleapp.sync.client.recovery import start_afresh

from . import display_check, i18n, style, tasks
from .errors import human
from .i18n import tr
from .login import AccountsDialog, LoginDialog
from .mainwindow import MainWindow
from .notifier import app_icon
from .workspace import Workspace

log = logging.getLogger("consoleapp.ui")


class Controller:
    def __init__(self, http: httpx.AsyncClient, vault: TokenVault, settings: QSettings,
                 cache_dir: Path | None = None) -> None:
        self.http = http
        self.vault = vault
        self.settings = settings
        self.cache_dir = cache_dir
        self.workspace: Workspace | None = None
        self.window: MainWindow | None = None
        self.finished: asyncio.Future[int] = asyncio.get_event_loop().create_future()

    # --- signing in ------------------------------------------------------------------------------

    async def sign_in(self, server_url: str = "", email: str = "", note: str = "") -> Session | None:
        """A saved session if the server still takes it; else the login dialog."""
        server_url = server_url or self.settings.value("account/server", "", type=str)
        email = email or self.settings.value("account/email", "", type=str)
        if server_url and email:
            with contextlib.suppress(NoKeyring):
                saved = await accounts.resume(self.http, self.vault, server_url, email)
                if saved is not None:
                    return saved
        dialog = LoginDialog(self.http, server_url, email, note)
        session = await dialog.answer()
        dialog.deleteLater()
        if session is not None:
            self._keep(session)
        return session

    def _keep(self, session: Session) -> None:
        self.settings.setValue("account/server", session.server_url)
        self.settings.setValue("account/email", session.email)
        try:
            self.vault.save(session)
        except NoKeyring as exc:
            # Logged in for this run; the next start asks for the password again.
            log.warning("%s", exc)

    # --- a workspace and its window ----------------------------------------------------------------

    async def open(self, session: Session) -> MainWindow:
        """The window frame paints at once; the screens fill in when the cache is open."""
        window = MainWindow(None, self.settings)
        window.closed.connect(self._on_closed)
        window.switch_account.connect(lambda: tasks.start(self.switch(), window))
        window.log_out.connect(lambda: tasks.start(self.log_out(), window))
        window.offline_toggled.connect(lambda off: tasks.start(self._offline(off), window))
        tasks.set_fallback(lambda message: window.report(message, True))
        self.window = window
        window.show()
        try:
            ws = await Workspace.open(session, self.http, self._cache_path(session))
        except CacheError as exc:  # the window stays, says why and offers a fresh copy
            self._offer_fresh_copy(session, window, exc)
            return window
        except Exception as exc:
            window.loading.setText(human(exc))
            raise
        self._attach(window, ws)
        return window

    def _attach(self, window: MainWindow, ws: Workspace) -> None:
        self.workspace = ws
        window.attach(ws.console)
        ws.start()

    def _cache_path(self, session: Session) -> Path:
        if self.cache_dir:
            return self.cache_dir / f"{session.user_id}.sqlite3"
        return Cache.default_path(session.server_url, session.user_id)

    def _offer_fresh_copy(self, session: Session, window: MainWindow, exc: BaseException) -> None:
        why = tr("The copy of your data on this computer cannot be opened. Nothing is lost: the server "
                 "has it all, and the changes you had not sent yet are carried over when they can be read.")
        details = tr("Details: {reason}", reason=human(exc))
        window.offer_fresh_copy(f"{why}\n\n{details}", lambda: tasks.start(self.afresh(session, window), window))

    async def afresh(self, session: Session, window: MainWindow) -> None:
        """Set the account's unusable cache aside, start a new one with its unsent work, open it."""
        path = self._cache_path(session)
        window.loading.setText(tr("Setting the old copy aside…"))
        try:
            done = await asyncio.to_thread(start_afresh, path, session.server_url, session.user_id)
            ws = await Workspace.open(session, self.http, path)
        except Exception as exc:  # a full disk, a folder not writable: said, and the button back
            log.warning("the fresh copy could not be made: %s", exc)
            self._offer_fresh_copy(session, window, exc)
            return
        if window is not self.window:  # closed or switched meanwhile
            await ws.close()
            return
        self._attach(window, ws)
        if done.read:
            window.report(tr("The old copy is kept as {path}. Your data is being downloaded again, and "
                             "%n change(s) you had not sent yet will be sent.", None, done.unsent,
                             path=str(done.kept)), False)
        else:
            window.report(tr("The old copy is kept as {path}. Your data is being downloaded again; the changes "
                             "not yet sent could not be read from it.", path=str(done.kept)), True)

    async def _offline(self, offline: bool) -> None:
        if self.workspace is None:
            return
        if offline:
            await self.workspace.stop()
        else:
            self.workspace.start()

    async def close_current(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            with contextlib.suppress(RuntimeError):
                window.closed.disconnect(self._on_closed)
            window.close()
            window.deleteLater()
        ws, self.workspace = self.workspace, None
        if ws is not None:
            await ws.close()

    def _on_closed(self) -> None:
        if not self.finished.done():
            self.finished.set_result(0)

    async def switch(self) -> None:
        current = self.workspace.session.key if self.workspace else ""
        dialog = AccountsDialog(self.vault.accounts(), current, self.window)
        choice = await dialog.answer()
        if choice is None:
            return
        if isinstance(choice, KnownAccount):
            if f"{choice.server_url}|{choice.email}" == current:
                return
            server, email = choice.server_url, choice.email
        else:
            server, email = (self.workspace.session.server_url if self.workspace else ""), ""
        await self.close_current()
        self.settings.setValue("account/email", email)
        session = await self.sign_in(server, email)
        if session is None:
            self._on_closed()
            return
        await self.open(session)

    async def log_out(self) -> None:
        if self.workspace is None:
            return
        session = self.workspace.session
        with contextlib.suppress(Exception):
            await accounts.logout(self.http, session, self.vault)
        await self.close_current()
        session2 = await self.sign_in(session.server_url, session.email, tr("You are logged out."))
        if session2 is None:
            self._on_closed()
            return
        await self.open(session2)

    async def run(self, session: Session | None = None, server_url: str = "", email: str = "") -> int:
        session = session or await self.sign_in(server_url, email)
        if session is None:
            return 0
        await self.open(session)
        code = await self.finished
        await self.close_current()
        return code


def settings_for(path: str = "") -> QSettings:
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("ExpertConsole", "Expert Console")


def make_app(argv: list[str], settings: QSettings, language: str = "") -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Expert Console")
    app.setOrganizationName("ExpertConsole")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the controller decides when to quit
    i18n.install(language or settings.value("language", "", type=str) or i18n.system_language())
    style.apply(app)
    return app


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="consoleapp", description="Expert Console, the expert's desktop.")
    p.add_argument("--server", default="", help="the sync server's URL, e.g. https://console.example.com")
    p.add_argument("--email", default="", help="log in as this account")
    p.add_argument("--demo", action="store_true",
                   help="start a local server with demo data and a customer simulator, logged in as the demo expert")
    p.add_argument("--language", default="", choices=["", *i18n.LANGUAGES], help="en or fr (default: as last time, or the system's)")
    p.add_argument("--plaintext-tokens", action="store_true",
                   help="where no system keyring exists, keep login tokens in a file readable only by you")
    p.add_argument("--settings", default="", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def run_loop(app: QApplication, main: Callable[[], Awaitable[int]]) -> int:
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        try:
            return loop.run_until_complete(main())
        finally:
            tasks.cancel_all()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    missing = display_check.problem(os.environ)
    if missing:  # before QApplication, which would abort with Qt's own message
        print(missing, file=sys.stderr)
        return 3
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = settings_for(args.settings)
    app = make_app(sys.argv[:1], settings, args.language)
    if args.demo:
        from consoleapp.demo.launch import run_demo

        return run_loop(app, lambda: run_demo(settings))

    async def start() -> int:
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)) as http:
            vault = TokenVault(allow_plaintext=args.plaintext_tokens)
            controller = Controller(http, vault, settings)
            try:
                return await controller.run(server_url=args.server, email=args.email)
            except Exception as exc:  # the last line of defence: a sentence, not a traceback
                log.exception("the console stopped")
                print(human(exc), file=sys.stderr)
                return 1

    return run_loop(app, start)
