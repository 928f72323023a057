"""A damaged cache at start: the window says so and offers a fresh copy; one click sets the file
aside, downloads the data again and sends the changes that were waiting (`recovery.start_afresh`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QSettings

from consoleapp.engine import commands as c
from consoleapp.engine.model import Mode
from consoleapp.sync.client.accounts import Session, TokenVault
from consoleapp.sync.client.cache import Cache
from consoleapp.ui.app import Controller
from tests.client.test_cache import _filled, _scribble_table
from tests.client.test_recovery import disk_full
from tests.sync.live import LiveServer

from .conftest import until


def damaged_with_a_waiting_change(live: LiveServer, tmp_path: Path) -> Session:
    """An expert whose cache holds a change made offline, then lost power and came back damaged."""
    expert, token = live.register("expert", name="Anna")
    session = Session(live.url, "anna@example.com", expert, "expert", token)
    path = tmp_path / f"{expert}.sqlite3"
    cache = Cache.open(path, live.url, expert)
    cache.enqueue(c.SetOffers(actor=expert, mode=Mode.VIDEO, short_price=25, long_price=55))  # made offline
    cache.store.close()
    cache.engine.dispose()  # the laptop lost power: no clean close
    _filled(path)
    _scribble_table(path, "events")
    return session


def test_r3_a_damaged_cache_is_replaced_in_one_click_and_the_waiting_change_is_sent(
        live: LiveServer, tmp_path: Path, settings: QSettings,
        qrun: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    session = damaged_with_a_waiting_change(live, tmp_path)
    expert = session.user_id

    async def steps() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            controller = Controller(http, TokenVault(config_dir=tmp_path / "config"), settings, cache_dir=tmp_path)
            window = await controller.open(session)
            try:
                assert controller.workspace is None
                assert "is damaged" in window.loading.text() and window.fresh_copy.isVisible()
                window.fresh_copy.click()
                await until(lambda: controller.workspace is not None, what="the fresh copy opened")
                assert not window.fresh_copy.isVisible()
                said = window.messages.label.text()
                assert f"kept as {tmp_path / expert}.sqlite3.damaged" in said
                assert "1 change you had not sent yet will be sent" in said
                assert (tmp_path / f"{expert}.sqlite3.damaged").exists()

                async def sent() -> bool:
                    r = await http.get(f"{live.url}/api/experts/{expert}")
                    return r.status_code == 200 and {"mode": "video", "kind": "short", "price": 25, "minutes": 15} \
                        in r.json()["offers"]

                await until(sent, what="the offers made offline on the server")
            finally:
                await controller.close_current()

    qrun(steps())


def test_r3_a_fresh_copy_the_disk_cannot_hold_says_why_offers_the_button_again_and_keeps_the_change(
        live: LiveServer, tmp_path: Path, settings: QSettings,
        qrun: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    session = damaged_with_a_waiting_change(live, tmp_path)

    async def steps() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            controller = Controller(http, TokenVault(config_dir=tmp_path / "config"), settings, cache_dir=tmp_path)
            window = await controller.open(session)
            try:
                assert window.fresh_copy.isVisible()
                with disk_full():
                    window.fresh_copy.click()
                    assert not window.fresh_copy.isVisible()
                    await until(window.fresh_copy.isVisible, what="the button offered again")
                said = window.loading.text()
                assert "cannot be opened" in said and "cannot be used" in said, said  # the why, then the reason
                assert controller.workspace is None and not list(tmp_path.glob("*.damaged*"))
                window.fresh_copy.click()  # room again
                await until(lambda: controller.workspace is not None, what="the fresh copy opened")
                assert "1 change you had not sent yet will be sent" in window.messages.label.text()
            finally:
                await controller.close_current()

    qrun(steps())
