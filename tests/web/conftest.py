"""The booking site in a real browser: Playwright driving Debian's Chromium (never a downloaded
one) against the real server on 127.0.0.1, with the expert on a real desktop client.

The browser runs on the machine's real clock even in the time-travel pass (libfaketime is kept
out of it): what the pages show comes from the server's clock, which the pass moves.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from consoleapp.sync.client.accounts import Session
from consoleapp.sync.client.console import Console
from tests.client.conftest import Scene, make_client, open_cache, scene
from tests.sync.live import LiveServer

T = TypeVar("T")

CHROMIUM = os.environ.get("CONSOLEAPP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# As a headless browser on a machine without a network: no background traffic, no sandbox (root in CI).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
FAKING = ("LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED")
SHOTS = Path(os.environ.get("CONSOLEAPP_WEB_SHOTS", ""))  # set by `make screenshots`: pages are saved there


def _real_time_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in FAKING}


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
    # The driver runs on the real clock too: started without the preload that loads libfaketime.
    # Only LD_PRELOAD is taken away: libfaketime in this very process re-reads FAKETIME now and
    # then, and without it would run this process on the real clock for a while (tokens made
    # then were already expired on the servers' faked clock).
    saved = {k: os.environ.pop(k) for k in ("LD_PRELOAD",) if k in os.environ}
    try:
        pw = sync_playwright().start()
    finally:
        os.environ.update(saved)
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    found = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=_real_time_env())
    yield found
    found.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A visitor in New York with an English browser (the expert lives in Paris)."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, timezone_id="America/New_York",
                              locale="en-US")
    ctx.set_default_timeout(15_000)
    # The video rooms are on another platform: a room address answers a stand-in page.
    ctx.route("https://meet.jit.si/**", lambda route: route.fulfill(body="<h1>The video room</h1>",
                                                                         content_type="text/html"))
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# --- the expert's side: a real desktop client on its own event loop ------------------------------------


class Loop:
    """An asyncio loop in a thread, for the expert's desktop client beside the synchronous browser."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def start(self, coro: Coroutine[Any, Any, Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@dataclass
class Site:
    """The server, its expert (with her desktop client) and her public page."""

    live: LiveServer
    scene: Scene
    slug: str
    loop: Loop
    console: Console
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return self.live.url

    def page_of_expert(self) -> str:
        return f"{self.url}/e/{self.slug}"

    def desk(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a step of the expert's desktop client (on its own loop)."""
        return self.loop.run(coro)

    def synced(self) -> None:
        self.desk(self.console.sync.sync_once())

    def grant(self, email: str, amount: int) -> str:
        """Credits for the customer with this email, granted by an operator through the API."""
        users = self.live.call(self.scene.op, "GET", "/operator/users", params={"role": "customer"}).json()["users"]
        customer = next(u["id"] for u in users if u["email"] == email)
        r = self.live.call(self.scene.op, "POST", "/operator/grants", json={"customer": customer, "amount": amount})
        assert r.status_code == 201, r.text
        return str(customer)

    def advance(self, **delta: float) -> None:
        self.live.advance(self.scene.op, **delta)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    live = LiveServer(tmp_path / "data").start()
    loop = Loop()
    try:
        sc = scene(live, local_hour=10)  # her slot: 10:00-14:00 in Paris, three or four days ahead
        slug = live.call("", "GET", f"/api/experts/{sc.expert}").json()["slug"]
        http = loop.run(_client())
        cache = open_cache(tmp_path, live, sc.expert, name="expert-desk")
        session = Session(live.url, "anna@example.com", sc.expert, "expert", sc.expert_token)
        console = Console(session, cache, make_client(cache, live, sc.expert_token, http))
        found = Site(live, sc, slug, loop, console, http)
        found.synced()
        yield found
        loop.run(http.aclose())
        cache.close()
    finally:
        loop.close()
        live.stop()


async def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=30)


# --- the customer's side -------------------------------------------------------------------------------


def sign_up(page: Page, name: str = "Carla", email: str = "") -> str:
    """Sign up on the page the browser is on (its "Sign up" link), back where it was; the email."""
    email = email or f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    return email


def shot(page: Page, name: str) -> None:
    """Keep a picture of the page for the README (`make screenshots` sets where)."""
    if str(SHOTS) not in ("", "."):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
