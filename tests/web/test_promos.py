"""Promo codes in the browser: an operator creates one on the console, a customer checks it on
the booking form and books with it; the meeting and the wallet say what the code paid."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta

from playwright.sync_api import Browser, Page, expect

from tests.sync.test_customer_api import now_of

from .test_operators import Console, console, log_in  # noqa: F401  (the fixture)


def test_promo_r8_created_on_the_console_checked_and_used_on_the_booking_form(console: Console, page: Page,  # noqa: F811
                                                                              browser: Browser) -> None:
    con = console
    log_in(page, con.url, con.email, then="/ops/promos")
    page.get_by_role("link", name="Promo codes").click()
    now = now_of(con.live, con.sc.op).astimezone(UTC)
    page.get_by_label("Code", exact=True).fill("spring-10")
    page.get_by_label("Kind").select_option("credits")
    page.get_by_label("Value").fill("10")
    page.get_by_label("Valid from (UTC)").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Valid until (UTC), not included").fill((now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Create the code").click()
    expect(page.get_by_role("alert")).to_contain_text("The code must end after it starts")  # the engine's refusal
    page.get_by_label("Valid until (UTC), not included").fill((now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Create the code").click()
    expect(page.get_by_text("Promo code SPRING-10 created.")).to_be_visible()
    expect(page.locator("table.promos")).to_contain_text("SPRING-10")

    email = f"carla-{uuid.uuid4().hex[:6]}@example.com"
    cid, _ = con.live.register("customer", name="Carla", email=email)
    assert con.live.call(con.sc.op, "POST", "/operator/grants", json={"customer": cid, "amount": 100}).status_code == 201
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        customer = ctx.new_page()
        customer.goto(f"{con.url}/login?next=/e/{con.sc.slug}")
        customer.get_by_label("Email", exact=True).fill(email)
        customer.get_by_label("Password").fill("correct horse")
        customer.get_by_role("button", name="Log in").click()
        customer.get_by_role("link", name="Book").first.click()
        customer.get_by_label("Video · 15 min · 40 cr").check()
        customer.get_by_label("What would you like to talk about?").fill("My tax return")
        customer.get_by_label("Promo code (optional)").fill("nope")
        customer.get_by_role("button", name="Check the code").click()
        expect(customer.locator("#promo_code-error")).to_contain_text("There is no promo code 'NOPE'")
        customer.get_by_label("Promo code (optional)").fill("spring-10")
        customer.get_by_role("button", name="Check the code").click()
        expect(customer.locator("#promo-quote")).to_have_text("Code SPRING-10: 10 cr off; you pay 30 cr.")
        customer.get_by_role("button", name="Book", exact=True).click()
        expect(customer.locator(".facts")).to_contain_text("promo code SPRING-10: 10 cr off, you pay 30 cr")
        customer.goto(f"{con.url}/me/wallet")
        expect(customer.locator("table")).to_contain_text("promo code SPRING-10: 10 cr paid by the platform")
    finally:
        ctx.close()
    page.reload()
    expect(page.locator("table.promos tbody tr").first.locator("td.num")).to_have_text("1")  # one use counts
    page.goto(f"{con.url}/ops/audit")
    expect(page.locator("table.audit")).to_contain_text("promo code created")
