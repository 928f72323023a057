"""Accounts and safety on the web (R1): forms that say what to fix and keep what was typed, a
password reset by emailed code, CSRF, and someone else's pages answering 404."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from consoleapp.store import db, schema
from tests.sync.live import LiveServer, free_port
from tests.sync.test_notifications import Inbox
from tests.sync.test_stream import wait_for

from .conftest import Site, shot, sign_up


def api_customer(site: Site, name: str = "Cleo", credits: int = 200) -> tuple[str, str, str]:
    """A customer made through the API: (id, bearer token, email); the password is 'correct horse'."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    r = httpx.post(f"{site.url}/auth/register", json={"email": email, "password": "correct horse", "name": name,
                                                      "role": "customer", "time_zone": "America/New_York"})
    assert r.status_code == 201, r.text
    body = r.json()
    if credits:
        g = site.live.call(site.scene.op, "POST", "/operator/grants", json={"customer": body["user_id"], "amount": credits})
        assert g.status_code == 201, g.text
    return body["user_id"], body["token"], email


def requested(site: Site, token: str, topic: str, start_after: timedelta = timedelta(0)) -> str:
    """A booking in the expert's slot, made through the API: awaiting her approval. Its meeting id."""
    r = site.live.call(token, "POST", "/api/bookings", json={
        "slot_id": site.scene.slot, "mode": "video", "offer": "short", "topic": topic,
        "start": (site.scene.slot_start + start_after).isoformat()})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    return mid


def delete_meeting_row(site: Site, mid: str) -> None:
    """What a self-hoster's hand might do to the server's database."""
    engine = db.create(site.live.settings.url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.delete(schema.meetings).where(schema.meetings.c.id == mid)).rowcount == 1
    finally:
        engine.dispose()


def log_in(page: Page, site: Site, email: str, password: str = "correct horse", then: str = "/me/meetings") -> None:
    page.goto(f"{site.url}/login?next={then}")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{then}")


def test_r1_sign_up_errors_are_shown_beside_the_fields_and_what_was_typed_stays(site: Site, page: Page) -> None:
    page.goto(f"{site.url}/signup")
    page.get_by_label("Your name").fill("Eva")
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#email-error")).to_have_text("An email address like name@example.com, please.")
    expect(page.locator("#password-error")).to_have_text("At least 8 characters, please.")
    expect(page.get_by_label("Your name")).to_have_value("Eva")  # kept
    expect(page.get_by_label("Email", exact=True)).to_have_value("not an email")
    expect(page.get_by_label("Password")).to_have_value("")  # never sent back
    shot(page, "signup-errors")
    assert page.get_by_label("Email", exact=True).get_attribute("aria-invalid") == "true"

    _, _, taken = api_customer(site, "Taken")
    page.get_by_label("Email", exact=True).fill(taken)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#email-error")).to_contain_text("An account with this email exists")


def test_r1_wrong_password_then_log_out_ends_the_session(site: Site, page: Page) -> None:
    _, _, email = api_customer(site)
    page.goto(f"{site.url}/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password")
    expect(page.get_by_label("Email", exact=True)).to_have_value(email)
    log_in(page, site, email)
    session = next(c for c in page.context.cookies() if c["name"] == "ec_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    # the old cookie is revoked on the server, not only forgotten by the browser
    stale = httpx.get(f"{site.url}/me/wallet", cookies={"ec_session": session["value"]}, headers={"Accept": "text/html"})
    assert stale.status_code == 401 and "Log in" in stale.text


@pytest.fixture
def mail_site(site: Site) -> Iterator[tuple[Site, Inbox]]:
    """The site's server again, this time sending its emails to a real SMTP server."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    live = site.live
    live.stop()
    again = LiveServer(live.data_dir, port=live.port,
                       env={"CONSOLEAPP_SMTP_HOST": "127.0.0.1", "CONSOLEAPP_SMTP_PORT": str(port)}).start()
    site.live = again
    try:
        yield site, inbox
    finally:
        again.stop()
        controller.stop()


def test_r1_password_reset_by_emailed_code_then_log_in_with_the_new_one(mail_site: tuple[Site, Inbox],
                                                                       page: Page) -> None:
    site, inbox = mail_site
    _, _, email = api_customer(site, "Rita")
    page.goto(f"{site.url}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    shot(page, "reset")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("status")).to_contain_text("a code is on its way")
    [message] = wait_for(lambda: inbox.to(email, "Reset"), 15, "the reset email")
    link = re.search(r"/reset\?token=(\S+)", message.get_payload())
    assert link, message.get_payload()
    page.goto(f"{site.url}/reset?token={link.group(1)}")  # the link in the email fills the code in
    page.get_by_label("New password").fill("a new horse battery")
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    log_in(page, site, email, "a new horse battery")
    # the code works once
    again = page.request.post(f"{site.url}/reset", form={"csrf": "", "step": "confirm", "token": link.group(1),
                                                         "password": "another one again"})
    assert again.status == 403  # no CSRF token: refused before anything else


def test_csrf_a_form_sent_from_elsewhere_changes_nothing(site: Site, page: Page) -> None:
    page.goto(site.page_of_expert())
    page.get_by_role("link", name="Book").first.click()
    email = sign_up(page, "Vic")
    site.grant(email, 200)
    page.reload()
    slot, at = page.locator("input[name=slot]").input_value(), page.locator("input[name=at]").input_value()
    start = page.locator("select[name=start] option").first.get_attribute("value")
    data = {"slot": slot, "at": at, "offer": "video:short", "start": start, "topic": "forged", "idem": uuid.uuid4().hex}
    forged = page.request.post(f"{site.url}/e/{site.slug}/book", form={**data, "csrf": "0" * 64})
    assert forged.status == 403 and "nothing was done" in forged.text()
    elsewhere = page.request.post(f"{site.url}/e/{site.slug}/book", headers={"Origin": "https://evil.example"},
                                  form={**data, "csrf": page.locator("input[name=csrf]").first.input_value()})
    assert elsewhere.status == 403
    assert "forged" not in page.request.get(f"{site.url}/me/meetings").text()


def test_someone_elses_meeting_answers_404_like_one_that_does_not_exist(site: Site, page: Page) -> None:
    _, token, _ = api_customer(site, "Owner")
    theirs = requested(site, token, "Private matter")
    _, _, email = api_customer(site, "Stranger")
    log_in(page, site, email)
    for path in (f"/me/meetings/{theirs}", f"/me/meetings/{theirs}/live", f"/me/meetings/{theirs}/waiting"):
        mine = page.goto(f"{site.url}{path}")
        nothing = page.goto(f"{site.url}{path.replace(theirs, uuid.uuid4().hex)}")
        assert mine is not None and nothing is not None
        assert mine.status == nothing.status == 404, path
    expect(page.get_by_role("heading", name="This page does not exist, or it is not yours")).to_be_visible()
    shot(page, "not-found")
    assert "Private matter" not in page.content()
    cancel = page.request.post(f"{site.url}/me/meetings/{theirs}/cancel",
                               form={"csrf": page.locator("input[name=csrf]").first.input_value(), "reason": "mine"})
    assert cancel.status == 404
    assert site.live.call(token, "GET", f"/api/meetings/{theirs}").json()["meeting"]["status"] == "Awaiting approval"


def test_a_meeting_page_whose_row_was_deleted_by_hand_says_the_tables_were_rebuilt_then_shows_it(
        site: Site, page: Page) -> None:
    """A self-hoster's table damaged by hand: the page does not answer "not yours" for a meeting
    the log holds. It says the server rebuilt its tables, and the next load shows the meeting."""
    _, token, email = api_customer(site, "Rowena")
    mid = requested(site, token, "A row gone missing")
    delete_meeting_row(site, mid)
    log_in(page, site, email)
    first = page.goto(f"{site.url}/me/meetings/{mid}")
    assert first is not None and first.status == 503
    expect(page.get_by_role("heading", name="Try again in a moment")).to_be_visible()
    expect(page.get_by_text("rebuilt its tables from the log and nothing was changed: reload the page")).to_be_visible()
    shot(page, "rebuilt")
    again = page.goto(f"{site.url}/me/meetings/{mid}")
    assert again is not None and again.status == 200
    expect(page.get_by_text("A row gone missing")).to_be_visible()
    # In French, as every page: the server's own sentence too.
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("link", name="Mes rendez-vous", exact=True)).to_be_visible()
    delete_meeting_row(site, mid)
    french = page.goto(f"{site.url}/me/meetings/{mid}")
    assert french is not None and french.status == 503
    expect(page.get_by_role("heading", name="Réessayez dans un instant")).to_be_visible()
    expect(page.get_by_text("le serveur a reconstruit ses tables à partir du journal")).to_be_visible()


def test_the_site_works_on_a_phone(site: Site, browser) -> None:  # noqa: ANN001
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                timezone_id="Europe/Berlin", locale="en-GB")
    try:
        page = phone.new_page()
        page.goto(site.page_of_expert())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px screen"
        expect(page.get_by_role("link", name="Book").first).to_be_visible()
        shot(page, "expert-phone")
        assert "Europe/Berlin" in page.locator("footer").inner_text()  # the phone's own zone
    finally:
        phone.close()
