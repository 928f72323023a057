"""`make run` / `consoleapp --demo`: a throw-away server with demo data, a customer simulator,
the console logged in as the demo expert, and the expert's booking page opened in the browser,
logged in as a demo customer with credits. Closing the window stops all of it and removes the
temporary folder; so does SIGTERM, SIGINT or SIGHUP, and if the app dies without a word (SIGKILL,
a crash) the server child gets SIGTERM from the kernel (Linux's parent-death signal) and the next
demo removes the folder left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import httpx
from PySide6.QtCore import QSettings

from consoleapp.sync.client import accounts
from consoleapp.sync.client.accounts import TokenVault

from .dataset import (
    BANK,
    EXPERT_EMAIL,
    EXPERT_SLUG,
    OPERATOR_EMAIL,
    PASSWORD,
    WEB_CUSTOMER_EMAIL,
    build,
)
from .simulator import Simulator

log = logging.getLogger("consoleapp.demo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The demo platform's bank account (a published test IBAN), so the console offers each payout
# run as a SEPA file; the environment's own CONSOLEAPP_PLATFORM_* win.
DEMO_PLATFORM = {"CONSOLEAPP_PLATFORM_NAME": "Expert Console Demo", "CONSOLEAPP_PLATFORM_IBAN": "DE89370400440532013000",
                 "CONSOLEAPP_PLATFORM_BIC": "COBADEFFXXX"}


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Loaded here, in the parent: the child between fork and exec only calls it (no dlopen after fork).
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def ends_with(parent: int) -> Callable[[], None]:
    """A `preexec_fn`: the child gets SIGTERM when the process that started it dies, however it dies.

    The signal survives the exec; if the parent is already gone before the call, the child ends at once.
    """
    def arm() -> None:
        if _LIBC is None:
            return
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)
    return arm


class DemoServer:
    """The bundled server as a child process on 127.0.0.1, embedded SQLite in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {**DEMO_PLATFORM, **os.environ, **BANK, "CONSOLEAPP_DATA_DIR": str(data_dir), "CONSOLEAPP_DATABASE_URL": "",
                    "CONSOLEAPP_PUBLIC_URL": self.url}

    async def start(self, http: httpx.AsyncClient, wait: float = 60) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "consoleapp.sync.server.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"], env=self.env, start_new_session=True,
            preexec_fn=ends_with(os.getpid()))
        deadline = time.monotonic() + wait
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo server stopped at start (exit code {self.process.returncode})")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{self.url}/health", timeout=1)).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the demo server did not answer within {wait:g} s")
            await asyncio.sleep(0.1)

    async def login_link(self, email: str, page: str) -> str:
        """A one-time link that logs a browser in as `email` and opens `page` (the admin CLI's)."""
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "consoleapp.sync.server.cli", "admin", "login-link",
                             "--email", email, "--next", page],
            env=self.env, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"no login link for the demo customer: {done.stderr.strip()}")
        return done.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is None or p.poll() is not None:
            return
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(5)


PREFIX = "expert-console-demo-"


def make_folder(where: Path | None = None) -> Path:
    """The demo's temporary folder, marked with this process's id; first, the folders of killed demos go."""
    where = where or Path(tempfile.gettempdir())
    sweep_stale(where)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=where))
    (folder / "pid").write_text(str(os.getpid()), encoding="ascii")
    return folder


def sweep_stale(where: Path) -> list[Path]:
    """Remove demo folders whose app is gone (killed with SIGKILL or crashed: it could not clean up)."""
    removed = []
    for folder in where.glob(f"{PREFIX}*"):
        try:
            pid = int((folder / "pid").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not marked (yet): leave it alone
        try:
            os.kill(pid, 0)
            continue  # that demo still runs
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # someone else's process
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
Handlers = dict[int, Callable[[int, FrameType | None], object] | int | None]


def clean_up_on_signals(server: DemoServer, folder: Path) -> Handlers:
    """SIGTERM, SIGINT (Ctrl+C) and SIGHUP (the terminal closed) stop the server and remove the folder
    first, then end the app as the signal would have. The handler runs at the loop's next Python
    callback (the simulator and the screens' timers keep coming). Gives the handlers it replaced."""
    def handler(signum: int, _frame: FrameType | None) -> None:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return {signum: signal.signal(signum, handler) for signum in _SIGNALS}


def open_in_browser(url: str) -> None:
    """The default browser where there is a screen; the address on the terminal always."""
    print(f"The demo expert's booking page, logged in as {WEB_CUSTOMER_EMAIL}: {url}", file=sys.stderr)
    has_screen = sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if has_screen and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        with contextlib.suppress(webbrowser.Error):
            webbrowser.open(url)


async def run_demo(settings: QSettings, open_page: Callable[[str], None] = open_in_browser) -> int:
    from consoleapp.ui.app import Controller  # the UI is only needed once the demo runs

    folder = make_folder()
    server = DemoServer(folder / "server")
    simulator_task: asyncio.Task[None] | None = None
    demo_settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    demo_settings.setValue("language", settings.value("language", "", type=str))
    previous = clean_up_on_signals(server, folder)
    try:
        print("Expert Console demo: writing a year of demo history…", file=sys.stderr)
        demo = await asyncio.to_thread(build, folder / "server")
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)) as http:
            await server.start(http)
            print(f"Demo server on {server.url} (log in as {EXPERT_EMAIL} / {PASSWORD}); "
                  "close the window to stop it.", file=sys.stderr)
            session = await accounts.login(http, server.url, EXPERT_EMAIL, PASSWORD)
            open_page(await server.login_link(WEB_CUSTOMER_EMAIL, f"/e/{EXPERT_SLUG}"))
            print(f"The operators' console, logged in as {OPERATOR_EMAIL} (password {PASSWORD}): "
                  f"{await server.login_link(OPERATOR_EMAIL, '/ops')}", file=sys.stderr)
            print(f"A bank transfer awaits the operator: reference {demo.pending_transfer} on the console's "
                  "Payments page (/ops/payments)", file=sys.stderr)
            simulator = Simulator(http, server.url, demo.expert, [e for _, e in demo.customers])
            simulator_task = asyncio.ensure_future(simulator.run())
            vault = TokenVault(allow_plaintext=True, config_dir=folder / "config")
            controller = Controller(http, vault, demo_settings, cache_dir=folder / "cache")
            try:
                return await controller.run(session=session)
            finally:
                simulator_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await simulator_task
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        for signum, old in previous.items():
            signal.signal(signum, old)
