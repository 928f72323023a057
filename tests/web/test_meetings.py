"""My meetings on the web: late cancel with the fee shown first (R13), new times (R15-R16), a
suggestion (R9), claims within and after 72 h (R29-R30), the review on the expert's page (R27),
files both ways (R21), an instant request that expires (R6)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from consoleapp.engine.model import Mode, OfferKind
from tests.client.conftest import server_now
from tests.sync.test_stream import wait_for

from .conftest import Site, shot
from .test_account import api_customer, log_in, requested
from .test_live import accepted_on_the_desktop, ask_now


def booked(site: Site, token: str, topic: str = "Pension plan", hours_after: int = 0) -> str:
    """A booking in the expert's slot, made through the API, approved on her desktop: Agreed."""
    mid = requested(site, token, topic, timedelta(hours=hours_after))
    site.synced()
    site.desk(site.console.approve_booking(mid))
    site.synced()
    return mid


def meeting(site: Site, token: str, mid: str) -> dict[str, Any]:
    r = site.live.call(token, "GET", f"/api/meetings/{mid}")
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()["meeting"]
    return found


def to(site: Site, moment: datetime) -> None:
    """Move the server's clock to `moment`."""
    site.live.advance(site.scene.op, seconds=(moment - server_now(site.live, site.scene.op)).total_seconds())


@pytest.mark.dates  # the 48 h cancel window
def test_r13_a_late_cancel_shows_the_fee_before_it_is_charged(site: Site, page: Page) -> None:
    _, token, email = api_customer(site)
    mid = booked(site, token)
    to(site, site.scene.slot_start - timedelta(hours=20))  # inside the 48 h
    log_in(page, site, email, then=f"/me/meetings/{mid}")
    expect(page.locator(".warning")).to_contain_text("Cancelling now costs 20 cr; 20 cr come back to you.")
    shot(page, "cancel-late")
    page.get_by_label("Why do you cancel?").fill("Ill")
    page.get_by_role("button", name="Cancel and pay 20 cr").click()
    expect(page.get_by_role("status")).to_have_text("Cancelled.")
    expect(page.locator(".facts")).to_contain_text("Reimbursed cancellation")
    m = meeting(site, token, mid)
    assert m["status"] == "Cancelled" and m["charged"] == 20
    page.goto(f"{site.url}/me/wallet")
    expect(page.locator(".figures")).to_contain_text("180 cr")  # 200 less the fee
    shot(page, "wallet")


@pytest.mark.dates  # new times must be before the start
def test_r15_r16_a_new_time_by_the_customer_then_one_by_the_expert_taken_on_the_page(site: Site, page: Page) -> None:
    _, token, email = api_customer(site)
    mid = booked(site, token)
    log_in(page, site, email, then=f"/me/meetings/{mid}")
    later = site.scene.slot_start + timedelta(hours=1)
    zone = "America/New_York"
    from zoneinfo import ZoneInfo

    page.get_by_label("New start, on your clock").fill(later.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Propose this time").click()
    expect(page.get_by_role("status")).to_have_text("Your new time is sent; the expert approves it.")
    expect(page.locator(".facts")).to_contain_text("by you, waiting for the expert")
    page.get_by_role("button", name="Withdraw my proposed time").click()
    expect(page.get_by_role("status")).to_have_text("Your proposed time is withdrawn.")

    # the expert proposes another time from her desktop; the customer takes it on the page
    site.synced()
    site.desk(site.console.propose_time(mid, site.scene.slot_start + timedelta(hours=2)))
    site.synced()
    page.reload()
    expect(page.get_by_text("The expert proposes")).to_be_visible()
    page.get_by_role("button", name="Take this time").click()
    expect(page.get_by_role("status")).to_have_text("The new time is agreed.")
    assert meeting(site, token, mid)["start"].startswith((site.scene.slot_start + timedelta(hours=2)).isoformat()[:16])


def test_r9_a_meeting_the_expert_suggests_is_confirmed_on_the_page(site: Site, page: Page) -> None:
    customer, token, email = api_customer(site)
    start = site.scene.slot_start + timedelta(days=1)
    site.desk(site.console.suggest_meeting(customer, Mode.VIDEO, OfferKind.LONG, start, "Year-end review",
                                           meeting_id="suggested-1"))
    site.synced()
    log_in(page, site, email, then="/me/meetings/suggested-1")
    expect(page.get_by_role("heading", name="The expert suggests this meeting")).to_be_visible()
    page.get_by_role("button", name="Confirm (70 cr held)").click()
    expect(page.get_by_role("status")).to_have_text("Confirmed: the meeting is agreed.")
    assert meeting(site, token, "suggested-1")["status"] == "Agreed"


def settled(site: Site, token: str) -> str:
    """A meeting held and settled ('went smoothly'): 40 credits charged."""
    mid = booked(site, token)
    to(site, site.scene.slot_start + timedelta(minutes=16))
    wait_for(lambda: meeting(site, token, mid)["status"] == "Held", 10, "the meeting to be held")
    r = site.live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"})
    assert r.status_code == 200 and r.json()["meeting"]["status"] == "Settled", r.text
    return mid


@pytest.mark.dates  # the 72 h claim window
def test_r29_r30_a_claim_within_72h_is_sent_and_followed_after_72h_it_is_refused(site: Site, page: Page) -> None:
    _, token, email = api_customer(site)
    mid = settled(site, token)
    log_in(page, site, email, then=f"/me/meetings/{mid}")
    expect(page.locator("#claim")).to_contain_text("Up to 40 cr")
    page.get_by_label("Credits to claim back").fill("15")
    page.get_by_label("What went wrong?").fill("The call dropped twice")
    shot(page, "claim")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_role("status")).to_have_text("Your claim is sent to the expert.")
    page.get_by_role("link", name="15 cr · Open").click()
    expect(page.locator(".facts")).to_contain_text("The call dropped twice")
    claim_page = page.url
    # someone else's claim answers exactly like one that does not exist
    _, _, stranger = api_customer(site, "Stranger")
    elsewhere = page.context.browser.new_context()
    try:
        theirs = elsewhere.new_page()
        log_in(theirs, site, stranger)
        answers = [theirs.goto(claim_page), theirs.goto(f"{site.url}/me/claims/{uuid.uuid4().hex}")]
        assert [a.status for a in answers if a is not None] == [404, 404]
        assert "The call dropped twice" not in theirs.content()
        shot(theirs, "claim-not-yours")
    finally:
        elsewhere.close()

    # the expert refunds from her desktop: the claim page says so
    site.synced()
    [claim] = site.desk(site.console.claims()).open
    site.desk(site.console.refund_claim(claim.claim.id, 15))
    site.synced()
    page.reload()
    expect(page.locator(".facts")).to_contain_text("Refunded")

    # a second session; its page is opened within the window, the claim sent after 72 h
    mid2 = settled_again(site, token)
    page.goto(f"{site.url}/me/meetings/{mid2}")
    page.get_by_label("Credits to claim back").fill("10")
    page.get_by_label("What went wrong?").fill("Too late?")
    site.advance(hours=73)
    page.get_by_role("button", name="Send the claim").click()
    expect(page.locator("#claim .problem")).to_contain_text("claim window closed on")
    expect(page.get_by_label("What went wrong?")).to_have_count(0)  # the form is gone: the window is shut
    assert not [c for c in site.live.call(token, "GET", "/api/claims").json()["claims"] if c["session"] == mid2]


def settled_again(site: Site, token: str) -> str:
    """Another settled 15-minute meeting, an hour later in the expert's slot."""
    mid = booked(site, token, "Second", hours_after=1)
    to(site, site.scene.slot_start + timedelta(hours=1, minutes=16))
    wait_for(lambda: meeting(site, token, mid)["status"] == "Held", 10, "the second meeting to be held")
    r = site.live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"})
    assert r.status_code == 200, r.text
    return mid


def test_r27_stars_stay_private_and_the_review_is_on_the_experts_page(site: Site, page: Page) -> None:
    _, token, email = api_customer(site)
    mid = settled(site, token)
    log_in(page, site, email, then=f"/me/meetings/{mid}")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Rate").click()
    expect(page.get_by_role("status")).to_have_text("Thank you for your rating.")
    page.get_by_label("A public review of the expert").fill("Clear and patient.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("status")).to_have_text("Your review is saved.")
    page.goto(site.page_of_expert())
    expect(page.locator(".reviews")).to_contain_text("Clear and patient.")
    assert "★" not in page.content() and "stars" not in page.locator(".reviews").inner_text()  # R27: the operator's


def test_r21_files_go_both_ways_on_the_live_page(site: Site, page: Page, tmp_path) -> None:  # noqa: ANN001
    mid = ask_now(site, page, "Look at my return")
    accepted_on_the_desktop(site, mid)
    page.wait_for_url(f"**/me/meetings/{mid}/live", timeout=15_000)
    upload = tmp_path / "return-2026.txt"
    upload.write_text("Income: 42 000\n")
    page.get_by_label("Share a file").set_input_files(str(upload))
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.locator("#files-list")).to_contain_text("return-2026.txt")

    def on_the_desktop() -> bool:
        site.synced()
        return any(a.get("name") == "return-2026.txt" for a in site.desk(site.console.session_detail(mid)).attachments)

    wait_for(on_the_desktop, 15, "the file on the expert's desktop")
    site.desk(site.console.add_snippet(mid, "fix.py", "print('deduct the pension')\n"))
    site.synced()
    shared = site.live.call(site.scene.expert_token, "GET", f"/api/meetings/{mid}/live").json()["attachments"]
    assert "fix.py" in [a["name"] for a in shared], shared
    expect(page.locator("#files-list")).to_contain_text("fix.py", timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="return-2026.txt").click()
    assert download.value.suggested_filename == "return-2026.txt"


@pytest.mark.dates  # the 90 s acceptance timeout
def test_r6_an_unanswered_request_expires_and_the_page_says_the_credits_are_back(site: Site, page: Page) -> None:
    mid = ask_now(site, page, "Anyone there?")
    site.advance(seconds=91)
    expect(page.locator("#waiting")).to_contain_text("The expert did not answer in time.", timeout=15_000)
    expect(page.locator("#waiting")).to_contain_text("Your credits are back in your wallet.")
    page.goto(f"{site.url}/me/wallet")
    expect(page.locator(".figures")).to_contain_text("200 cr")
    del mid
