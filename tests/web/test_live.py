"""Ask now and the live session on the web (R6, R19-R21): the waiting page turns into the live page
when the expert's desktop accepts; chat both ways; a dropped connection pauses the count."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.client.conftest import push
from tests.sync.test_stream import wait_for

from .conftest import Site, shot, sign_up
from .test_booking import meeting_id


def ask_now(site: Site, page: Page, topic: str = "Quick VAT question") -> str:
    push(site.live, site.scene.expert_token, "AddSlot", slot_id="now-1", start=None)  # "Now": 3 h from now
    page.goto(site.page_of_expert())
    page.get_by_role("link", name="Ask now").click()
    email = sign_up(page, "Nora")
    site.grant(email, 200)
    page.reload()
    page.get_by_label("Video · 15 min · 40 cr").check()
    page.get_by_label("Your question").fill(topic)
    shot(page, "ask")
    page.get_by_role("button", name="Ask now").click()
    expect(page.get_by_role("heading", name="Waiting for Anna K")).to_be_visible()
    return meeting_id(page)


def accepted_on_the_desktop(site: Site, mid: str) -> None:
    """The expert's desktop sees the request arrive, and accepts it."""
    def arrived() -> bool:
        site.synced()
        return any(r.meeting.id == mid for r in site.desk(site.console.new_requests()))

    wait_for(arrived, 15, "the request on the expert's desktop")
    site.desk(site.console.accept_instant(mid))
    site.synced()


def test_r6_r19_r21_ask_now_accepted_on_the_desktop_opens_the_live_page_and_chat_goes_both_ways(
        site: Site, page: Page) -> None:
    mid = ask_now(site, page)
    expect(page.locator("[data-countdown]")).to_be_visible()
    shot(page, "waiting")
    accepted_on_the_desktop(site, mid)
    page.wait_for_url(f"**/me/meetings/{mid}/live", timeout=15_000)  # the waiting page follows by itself
    expect(page.get_by_role("heading", name="Live session with Anna K")).to_be_visible()
    expect(page.locator("#clock [data-countdown]")).to_be_visible()

    page.get_by_label("Your message").fill("Hello from the web")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat")).to_contain_text("Hello from the web")

    def on_the_desktop() -> bool:
        site.synced()
        detail = site.desk(site.console.session_detail(mid))
        return any(x.get("text") == "Hello from the web" for x in detail.chat)

    wait_for(on_the_desktop, 15, "the customer's message in the expert's cache")
    site.desk(site.console.post_chat(mid, "Hello Nora, ask away"))
    site.synced()
    expect(page.locator("#chat")).to_contain_text("Hello Nora, ask away", timeout=15_000)  # a poke, no reload
    shot(page, "live")


def test_r19_the_count_pauses_when_the_customers_page_is_closed(site: Site, page: Page) -> None:
    mid = ask_now(site, page, "Will it pause?")
    accepted_on_the_desktop(site, mid)
    page.wait_for_url(f"**/me/meetings/{mid}/live", timeout=15_000)
    expect(page.locator("#clock [data-running='true']")).to_be_visible()
    page.close()  # the connection drops

    def paused() -> bool:
        site.synced()
        live = site.console.view().meetings[mid].live
        return live is not None and live.running_since is None

    wait_for(paused, 15, "the count to pause")
