"""Buying credits on the booking site by bank transfer, confirmed in the operators' console, in a
real browser against the real server (R11, R32)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.sync.live import LiveServer
from tests.sync.test_payments import BANK

from .conftest import shot, sign_up
from .test_operators import log_in, make_operator


@pytest.fixture
def bank(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "data", env=BANK).start()
    try:
        yield live
    finally:
        live.stop()


def test_r11_a_customer_buys_credits_by_transfer_and_they_arrive_when_the_operator_marks_it_received(
        bank: LiveServer, page: Page, browser: Browser) -> None:
    page.goto(f"{bank.url}/experts")
    sign_up(page, "Carla")
    page.goto(f"{bank.url}/me/wallet")
    page.get_by_label("How many credits").fill("0")
    page.get_by_role("button", name="Get the bank details").click()
    expect(page.get_by_text("A whole number from 1 to 100000, please.")).to_be_visible()
    page.get_by_label("How many credits").fill("30")
    page.get_by_role("button", name="Get the bank details").click()
    page.wait_for_url(re.compile(r"/me/wallet/payments/"))
    expect(page.locator("#iban")).to_have_text("DE89 3704 0044 0532 0130 00")
    expect(page.locator("#amount")).to_have_text("€15.00")
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"EC-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    qr = page.get_by_role("img", name="QR code with these details, for your banking app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth > 0")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "payment")

    email, _ = make_operator(bank, "Olga")
    ops = browser.new_context(locale="en-GB").new_page()
    log_in(ops, bank.url, email, then="/ops/payments")
    ops.goto(f"{bank.url}/ops/payments")
    ops.get_by_label("Reference").fill(reference.replace("-", " ").lower())
    ops.get_by_role("button", name="Search").click()
    ops.get_by_role("button", name=f"Mark {reference} received").click()
    expect(ops.get_by_role("status")).to_contain_text(f"{reference} received: 30 cr added")
    expect(ops.get_by_text("No transfer awaited.")).to_be_visible()
    shot(ops, "ops-payments")
    ops.goto(f"{bank.url}/ops/money")  # the platform's money counts them as credits in
    expect(ops.locator(".figure", has_text="Credits bought")).to_contain_text("30 cr")
    expect(ops.locator(".figure", has_text="Credits that entered")).to_contain_text("30 cr")
    expect(ops.locator(".checks li.broken")).to_have_count(0)
    ops.context.close()

    page.goto(f"{bank.url}/me/wallet")
    expect(page.get_by_role("cell", name="Credits bought")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("received")
    expect(page.locator(".figure").first).to_contain_text("30 cr")
