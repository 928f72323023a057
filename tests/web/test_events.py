"""Group events on the web (R28, R11, R13): find one, register (credits held), join, cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.client.conftest import push, server_now

from .conftest import Site, shot
from .test_account import api_customer, log_in


def workshop(site: Site, days: float = 3, price: int = 30) -> str:
    start = (server_now(site.live, site.scene.op) + timedelta(days=days)).replace(second=0, microsecond=0)
    push(site.live, site.scene.expert_token, "CreateGroupEvent", event_id="ev-1", title="Tax basics workshop",
         start=start.isoformat(), end=(start + timedelta(hours=1)).isoformat(), price=price, min_participants=1,
         max_participants=5)
    return "ev-1"


@pytest.mark.dates  # the 48 h cancel terms of a registration
def test_r28_r13_register_then_cancel_early_for_free(site: Site, page: Page) -> None:
    workshop(site)
    _, token, email = api_customer(site)
    log_in(page, site, email, then="/events")
    shot(page, "events")
    page.get_by_role("link", name="Tax basics workshop").click()
    expect(page.locator(".facts")).to_contain_text("5 seats left")
    page.get_by_role("button", name="Register (30 cr held)").click()
    expect(page.get_by_role("status")).to_have_text("You are registered: your credits are held until the event.")
    expect(page.locator(".facts")).to_contain_text("4 seats left")
    shot(page, "event")
    assert site.live.call(token, "GET", "/api/wallet").json()["available"] == 170
    expect(page.get_by_text("Cancelling now is free: 30 cr come back to you.")).to_be_visible()
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("status")).to_have_text("Your registration is cancelled.")
    assert site.live.call(token, "GET", "/api/wallet").json()["available"] == 200


def test_r28_r11_not_enough_credits_says_how_many_are_missing(site: Site, page: Page) -> None:
    workshop(site, price=80)
    _, _, email = api_customer(site, credits=50)
    log_in(page, site, email, then="/events/ev-1")
    page.get_by_role("button", name="Register (80 cr held)").click()
    expect(page.get_by_role("alert").first).to_contain_text("30 more credits are needed.")


def test_r28_join_records_presence(site: Site, page: Page) -> None:
    workshop(site, days=0.01)  # starts in about a quarter of an hour
    _, _, email = api_customer(site)
    log_in(page, site, email, then="/events/ev-1")
    page.get_by_role("button", name="Register (30 cr held)").click()
    site.advance(minutes=20)  # it has started
    page.reload()
    page.get_by_role("button", name="I am here: join the event").click()
    expect(page.get_by_role("status")).to_have_text("Your presence is recorded. Enjoy the event.")
    expect(page.get_by_text("Your presence was recorded at")).to_be_visible()
