"""Ask now and the live session on the web (R6, R19-R21): the waiting page turns into the live page
when the expert's desktop accepts; chat both ways; a dropped connection pauses the count."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Page, Route, expect

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


def test_r21_a_message_that_pokes_while_the_chat_is_settling_still_shows(site: Site, page: Page) -> None:
    """The expert writes twice in a row. The second message's poke reaches the page after the chat's
    refresh for the first was swapped in but before it settled: htmx hooks the new list's triggers
    only then, so nothing listens for that poke, and the page must refresh once more after it. The
    settling (20 ms, longer on a loaded machine) is stretched here so that the poke falls inside it."""
    mid = ask_now(site, page, "Two while settling?")
    accepted_on_the_desktop(site, mid)
    page.wait_for_url(f"**/me/meetings/{mid}/live", timeout=15_000)
    expect(page.get_by_role("heading", name="Live session with Anna K")).to_be_visible()
    page.evaluate("htmx.config.defaultSettleDelay = 4000")
    site.desk(site.console.post_chat(mid, "First message"))
    site.synced()
    expect(page.locator("#chat")).to_contain_text("First message", timeout=10_000)  # swapped in: settling
    site.desk(site.console.post_chat(mid, "Second message"))
    site.synced()
    expect(page.locator("#chat")).to_contain_text("Second message", timeout=15_000)


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


def test_r21_a_message_that_pokes_while_the_chat_is_refreshing_still_shows(site: Site, page: Page) -> None:
    """The expert writes twice in a row. The second message's poke reaches the page while the chat
    is still refreshing for the first (its answer held back here, as a slow network would): htmx
    drops a request an element triggers while its last one is in flight, so the page must refresh
    once more after it, or the second message waits for a poke that may never come."""
    _second_message_while_the_first_refreshes(site, page, "Two in a row?")


def test_r21_the_refresh_once_more_waits_for_htmx_to_settle_however_slow_the_swap(site: Site, page: Page) -> None:
    """As above, on a page whose swap takes a while (here 60 ms in a listener of the swap, as a slow
    phone or a loaded machine takes laying the chat out): htmx sets its settle timer only after the
    swap's listeners have run, and the page's refresh once more must still come after that timer,
    when the new chat listens, not a fixed time after the swap began."""
    _second_message_while_the_first_refreshes(site, page, "Two on a slow page?", slow_swap_ms=60)


def _second_message_while_the_first_refreshes(site: Site, page: Page, topic: str, slow_swap_ms: int = 0) -> None:
    mid = ask_now(site, page, topic)
    accepted_on_the_desktop(site, mid)
    page.wait_for_url(f"**/me/meetings/{mid}/live", timeout=15_000)
    expect(page.get_by_role("heading", name="Live session with Anna K")).to_be_visible()
    if slow_swap_ms:
        page.evaluate("""ms => document.body.addEventListener("htmx:afterSwap", () => {
            const end = performance.now() + ms;
            while (performance.now() < end) { /* a swap that takes a while */ }
        })""", slow_swap_ms)
    held: list[tuple[Route, APIResponse]] = []

    def hold_the_first(route: Route) -> None:
        if held or route.request.method != "GET":
            route.continue_()
            return
        held.append((route, route.fetch()))  # answered by the server now, given to the page later

    page.route("**/live?part=chat", hold_the_first)
    site.desk(site.console.post_chat(mid, "First message"))
    site.synced()
    for _ in range(150):  # the route's handler runs inside Playwright's own calls: wait in one
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the chat never refreshed for the first message"
    site.desk(site.console.post_chat(mid, "Second message"))
    site.synced()
    page.wait_for_timeout(500)  # the second poke arrives while the first refresh is held
    route, answer = held[0]
    assert "Second message" not in answer.text()  # rendered before the second message existed
    route.fulfill(response=answer)
    expect(page.locator("#chat")).to_contain_text("First message")
    expect(page.locator("#chat")).to_contain_text("Second message", timeout=10_000)
