"""The calendar feed block on "My meetings": the webcal link, the address to copy, a new link."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.sync.live import LiveServer


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "data").start()
    try:
        yield server
    finally:
        server.stop()


def test_the_customer_subscribes_and_a_new_link_revokes_the_old_one(live: LiveServer, page: Page) -> None:
    email = f"cleo-{uuid.uuid4().hex[:6]}@example.com"
    live.register("customer", "Cleo", email=email)
    page.goto(f"{live.url}/login?next=/me/meetings")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me/meetings")

    expect(page.get_by_role("heading", name="Calendar feed")).to_be_visible()
    address = page.get_by_label("Or copy this address where your calendar adds a calendar from a URL")
    old = address.input_value()
    webcal = page.get_by_role("link", name="Subscribe in your calendar").get_attribute("href")
    assert webcal == "webcal://" + old.split("://", 1)[1]
    feed = httpx.get(f"{live.url}{urlsplit(old).path}")  # as a calendar program fetches it: no login
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")

    page.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_role("status")).to_contain_text("the old one no longer works")
    new = address.input_value()
    assert new != old
    assert httpx.get(f"{live.url}{urlsplit(old).path}").status_code == 404
    assert httpx.get(f"{live.url}{urlsplit(new).path}").status_code == 200

    # the same form sent from elsewhere, with the visitor's cookie but without the page's CSRF token
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    forged = httpx.post(f"{live.url}/me/calendar/reset", cookies=cookies, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert httpx.get(f"{live.url}{urlsplit(new).path}").status_code == 200  # the link still works
