"""Booking on the web (R1, R8, R11, R17-R18, R22): from the expert's page to a settled session,
with the expert answering from a real desktop client."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import unquote

import httpx
from playwright.sync_api import Page, expect

from tests.client.conftest import server_now
from tests.sync.test_stream import wait_for

from .conftest import Site, shot, sign_up


def meeting_id(page: Page) -> str:
    found = re.search(r"/me/meetings/([0-9a-f]{32})", page.url)
    assert found, page.url
    return found.group(1)


def status_of(site: Site, mid: str) -> str:
    """The meeting's status as the expert's desktop has it once synced."""
    site.synced()
    return str(site.console.view().meetings[mid].status.value)


def test_r1_r8_r17_r22_sign_up_book_a_slot_approved_on_the_desktop_join_and_evaluate(site: Site, page: Page) -> None:
    page.goto(site.page_of_expert())
    expect(page.get_by_role("heading", name="Anna K")).to_be_visible()
    shot(page, "expert")
    page.get_by_role("link", name="Book").first.click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()  # booking needs an account
    shot(page, "login")
    email = sign_up(page, "Carla")
    expect(page.get_by_role("heading", name="Book a time with Anna K")).to_be_visible()  # the choice kept
    site.grant(email, 200)
    page.reload()
    page.get_by_label("Video · 15 min · 40 cr").check()
    page.get_by_label("What would you like to talk about?").fill("My tax return")
    shot(page, "book")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Booked: the expert approves or rejects it")).to_be_visible()
    mid = meeting_id(page)
    expect(page.locator(".facts")).to_contain_text("Awaiting approval")
    expect(page.locator(".facts")).to_contain_text("Blocked")

    # The expert approves on her desktop; the customer's page follows (a poke on its stream).
    site.synced()
    site.desk(site.console.approve_booking(mid))
    site.synced()
    assert status_of(site, mid) == "Agreed"
    expect(page.locator(".facts")).to_contain_text("Agreed", timeout=15_000)
    page.reload()
    expect(page.get_by_text("Your link opens at")).to_be_visible()

    # Ten minutes before the start, the join link is live (R17) and opening it records attendance (R18).
    start = site.scene.slot_start
    site.live.advance(site.scene.op, seconds=(start - now_of(site)).total_seconds() - 600)
    page.reload()
    shot(page, "meeting")
    page.get_by_role("link", name="Join the video meeting").click()
    expect(page.get_by_role("heading", name="The video room")).to_be_visible()
    site.synced()
    assert site.console.view().meetings[mid].customer_attended is not None

    # After the end the scheduler marks it held; the customer says it went smoothly: settled (R22).
    site.advance(minutes=40)
    wait_for(lambda: status_of(site, mid) == "Held", 10, "the meeting to be held")
    page.goto(f"{site.url}/me/meetings/{mid}")
    page.get_by_label("Went smoothly").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your evaluation is recorded.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Settled")
    expect(page.locator(".facts")).to_contain_text("Paid")
    assert status_of(site, mid) == "Settled"
    page.goto(f"{site.url}/me/meetings")
    shot(page, "my-meetings")
    page.goto(f"{site.url}/me/notifications")
    shot(page, "notifications")
    page.goto(f"{site.url}/experts")
    shot(page, "directory")


def now_of(site: Site) -> datetime:
    return server_now(site.live, site.scene.op)


def test_r8_a_double_submit_or_a_reload_of_the_post_books_once(site: Site, page: Page) -> None:
    page.goto(site.page_of_expert())
    page.get_by_role("link", name="Book").first.click()
    email = sign_up(page, "Dora")
    site.grant(email, 200)
    page.reload()
    page.get_by_label("What would you like to talk about?").fill("Twice?")
    sent = page.evaluate("""() => {
        const form = document.querySelector('form[action$="/book"]');
        return Object.fromEntries(new FormData(form).entries());
    }""")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Booked: the expert approves or rejects it")).to_be_visible()
    first = meeting_id(page)
    # The same form again (a second click that got through, or the browser resending the POST)
    again = page.request.post(page.url.split("/me/")[0] + f"/e/{site.slug}/book", form=sent, max_redirects=0)
    assert again.status == 303 and again.headers["location"].startswith(f"/me/meetings/{first}")
    listed = page.request.get(f"{site.url}/me/meetings").text()
    assert listed.count("Twice?") == 1
    assert page.request.get(f"{site.url}/me/wallet").text().count("Blocked") >= 1


def test_r4_r8_a_free_time_that_begins_now_is_offered_from_the_next_quarter_hour_and_stays_bookable(
        site: Site, page: Page) -> None:
    # The expert presses "Now": a slot from this very second. Its link must not name that second,
    # or it is "gone" by the time the visitor opens it.
    slot = site.desk(site.console.add_now_slot())
    site.synced()
    page.goto(site.page_of_expert())
    link = page.locator(f'a[href*="slot={slot}"]').first
    href = link.get_attribute("href") or ""
    at = datetime.fromisoformat(unquote(href.split("at=", 1)[1]))
    assert at.minute % 15 == 0 and at.second == 0 and at.microsecond == 0
    assert at >= server_now(site.live, site.scene.op)
    now = datetime.fromisoformat(site.live.advance(site.scene.op, minutes=3))
    link.click()
    sign_up(page, "Nora")
    expect(page.get_by_role("heading", name=re.compile("Book a time with"))).to_be_visible()
    # Still bookable from that quarter hour, or from the next one if the three minutes passed it.
    quarter = now.replace(second=0, microsecond=0)
    quarter += timedelta(minutes=(1 if quarter < now else 0))
    quarter += timedelta(minutes=-quarter.minute % 15)
    first = page.locator('select[name="start"] option').first.get_attribute("value") or ""
    assert datetime.fromisoformat(first) == max(at, quarter)


def test_r8_r35_a_change_between_the_page_and_its_live_channel_still_reaches_the_page(site: Site, page: Page) -> None:
    # The page is made, then the expert approves, then the page's channel opens (a slow phone):
    # the channel starts from where the page was made, so it pokes at once and the page refreshes.
    page.goto(site.page_of_expert())
    page.get_by_role("link", name="Book").first.click()
    email = sign_up(page, "Rita")
    site.grant(email, 200)
    page.reload()
    page.get_by_label("What would you like to talk about?").fill("Late channel")
    page.get_by_role("button", name="Book").click()
    mid = meeting_id(page)
    channel = page.locator("body").get_attribute("data-stream") or ""
    assert channel.startswith("/web/stream?since=")
    site.synced()
    site.desk(site.console.approve_booking(mid))
    site.synced()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    heard = []
    with httpx.Client(base_url=site.url, cookies=cookies, timeout=10) as http, http.stream("GET", channel) as r:
        assert r.status_code == 200
        for line in r.iter_lines():  # a read timeout (10 s, no keep-alive before 15 s) fails the test
            heard.append(line)
            if line == "event: poke":
                break
    assert "event: poke" in heard
