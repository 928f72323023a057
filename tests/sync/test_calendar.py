"""Calendar feeds and `.ics` invitations, against the real server and a real SMTP server (aiosmtpd).

The server's clock starts at a fixed moment, so no outcome depends on the day the suite runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from .live import LiveServer, free_port
from .test_notifications import Inbox
from .test_stream import Cast, booked, cast, server_now, wait_for

START = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # a Monday; meetings are booked days after it


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Inbox, str]]:
    """One server for the module, mailing to a local SMTP server; (server, inbox, an operator's token)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    live = LiveServer(Path(tmp_path_factory.mktemp("calendar")) / "data", at=START,
                      env={"CONSOLEAPP_SMTP_HOST": "127.0.0.1", "CONSOLEAPP_SMTP_PORT": str(port)})
    try:
        live.start()
        yield live, inbox, live.operator()[1]
    finally:
        live.stop()
        controller.stop()


@dataclass
class People(Cast):
    expert_email: str = ""
    customer_email: str = ""


def people(live: LiveServer) -> People:
    """An expert and a customer with credits, with their email addresses."""
    suffix = uuid.uuid4().hex[:8]
    emails = {"expert_email": f"anna-{suffix}@example.com", "customer_email": f"carl-{suffix}@example.com"}
    return People(**vars(cast(live, now_slot=False, **emails)), **emails)


def links(live: LiveServer, token: str) -> dict[str, str]:
    r = live.call(token, "GET", "/api/calendar")
    assert r.status_code == 200, r.text
    body: dict[str, str] = r.json()
    return body


def feed(live: LiveServer, token: str) -> dict[str, Any]:
    """The caller's feed fetched as a calendar program does (no login), by UID."""
    r = live.call("", "GET", path(links(live, token)["url"]))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    return {str(ev["UID"]): ev for ev in Calendar.from_ical(r.content).walk("VEVENT")}


def path(url: str) -> str:
    """The address's path: the server's public URL is its configured one, not the test's port."""
    return urlsplit(url).path


def utc(value: Any) -> datetime:
    moment: datetime = value.dt
    assert moment.utcoffset() == timedelta(0), moment  # written in UTC
    return moment


def test_feed_has_each_sides_agreed_meeting_in_utc_with_its_uid_and_nobody_elses(
        world: tuple[LiveServer, Inbox, str]) -> None:
    live, _, op = world
    ours, theirs = people(live), people(live)
    start = (server_now(live, op) + timedelta(days=3)).replace(microsecond=0)
    mid = booked(live, ours, start)
    other = booked(live, theirs, start + timedelta(hours=2))
    uid = f"{mid}@127.0.0.1"

    got = links(live, ours.customer_token)
    assert got["webcal"] == "webcal://" + got["url"].removeprefix("http://")
    assert links(live, ours.customer_token) == got  # made once, then the same link
    for token, other_name in ((ours.expert_token, "Carl"), (ours.customer_token, "Anna")):
        events = feed(live, token)
        assert f"{other}@127.0.0.1" not in events  # someone else's meeting
        ev = events[uid]
        assert utc(ev["DTSTART"]) == start and utc(ev["DTEND"]) == start + timedelta(minutes=30)
        assert str(ev["STATUS"]) == "CONFIRMED" and int(ev["SEQUENCE"]) == 1
        assert str(ev["SUMMARY"]) == f"Session with {other_name} — Video, 30 min"
        assert "DTSTAMP" in ev and "LAST-MODIFIED" in ev
    customer_view = feed(live, ours.customer_token)[uid]
    page = f"/me/meetings/{mid}"
    assert path(str(customer_view["URL"])) == page and page in str(customer_view["DESCRIPTION"])
    assert "/join/" not in str(customer_view["DESCRIPTION"])  # the attendance link stays the person's


def test_r15_a_move_raises_the_sequence_and_r12_a_cancelled_meeting_stays_marked_cancelled(
        world: tuple[LiveServer, Inbox, str]) -> None:
    live, inbox, op = world
    p = people(live)
    start = (server_now(live, op) + timedelta(days=4)).replace(microsecond=0)
    mid = booked(live, p, start)
    uid = f"{mid}@127.0.0.1"
    moved = start + timedelta(days=1, hours=1)
    r = live.call(p.customer_token, "POST", f"/api/meetings/{mid}/reschedule", json={"start": moved.isoformat()})
    assert r.status_code == 200, r.text
    p.anna.push("ApproveAlternative", meeting_id=mid)
    ev = feed(live, p.expert_token)[uid]
    assert int(ev["SEQUENCE"]) == 2 and str(ev["STATUS"]) == "CONFIRMED"
    assert utc(ev["DTSTART"]) == moved and utc(ev["DTEND"]) == moved + timedelta(minutes=30)

    r = live.call(p.customer_token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "ill"})
    assert r.status_code == 200, r.text
    for token in (p.expert_token, p.customer_token):
        ev = feed(live, token)[uid]  # kept, not dropped
        assert str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) == 3
        assert utc(ev["DTSTART"]) == moved

    # the expert's email about the customer's cancellation cancels the same calendar entry
    mail = wait_for(lambda: inbox.to(p.expert_email, "Cancellation"), 10, "the cancellation mail")[0]
    invite = invitation(mail)
    assert invite["method"] == "CANCEL" and invite["uid"] == uid and invite["status"] == "CANCELLED"
    assert invite["sequence"] == 3


def test_r28_group_events_hosted_and_registered_are_in_the_feed(world: tuple[LiveServer, Inbox, str]) -> None:
    live, _, op = world
    p = people(live)
    event_id = f"ev-{uuid.uuid4().hex[:8]}"
    start = (server_now(live, op) + timedelta(days=5)).replace(microsecond=0)
    p.anna.push("CreateGroupEvent", event_id=event_id, title="Intro to tax law", start=start.isoformat(),
                end=(start + timedelta(hours=1)).isoformat(), price=30, min_participants=1, max_participants=5)
    uid = f"event-{event_id}@127.0.0.1"
    assert uid not in feed(live, p.customer_token)
    p.carl.push("Register", event_id=event_id)
    for token in (p.expert_token, p.customer_token):
        ev = feed(live, token)[uid]
        assert str(ev["SUMMARY"]) == "Group event — Intro to tax law" and str(ev["STATUS"]) == "CONFIRMED"
        assert utc(ev["DTSTART"]) == start and path(str(ev["URL"])) == f"/events/{event_id}"


def test_a_new_link_revokes_the_old_one_and_unknown_links_are_not_found(world: tuple[LiveServer, Inbox, str]) -> None:
    live, _, op = world
    p = people(live)
    old = path(links(live, p.customer_token)["url"])
    assert live.call("", "GET", old).status_code == 200
    r = live.call(p.customer_token, "POST", "/api/calendar/reset")
    assert r.status_code == 200, r.text
    new = path(r.json()["url"])
    assert new != old and links(live, p.customer_token)["url"] == r.json()["url"]
    gone = live.call("", "GET", old)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert live.call("", "GET", new).status_code == 200
    for forged in ("/calendar/.ics", "/calendar/not-a-token.ics", f"/calendar/{'x' * 65}.ics"):
        assert live.call("", "GET", forged).status_code == 404, forged
    assert live.call("", "GET", "/api/calendar").status_code == 401  # the link itself needs a login
    closed = live.call(op, "POST", f"/operator/users/{p.customer}/close", json={"reason": "asked to"})
    assert closed.status_code == 200, closed.text
    assert live.call("", "GET", new).status_code == 404  # a closed account's feed ends with it


def invitation(mail: Any) -> dict[str, Any]:
    """The mail's `invite.ics`, parsed: its method and its one event's fields."""
    parts = [part for part in mail.walk() if part.get_filename() == "invite.ics"]
    assert len(parts) == 1 and parts[0].get_content_type() == "text/calendar"
    cal = Calendar.from_ical(parts[0].get_payload(decode=True))
    (ev,) = cal.walk("VEVENT")
    return {"method": str(cal["METHOD"]), "uid": str(ev["UID"]), "status": str(ev["STATUS"]),
            "sequence": int(ev["SEQUENCE"]), "start": utc(ev["DTSTART"]), "end": utc(ev["DTEND"]),
            "attendee": str(ev["ATTENDEE"]), "mail_method": parts[0].get_param("method")}


def test_r35_confirmation_and_cancellation_mails_carry_the_invitation(world: tuple[LiveServer, Inbox, str]) -> None:
    live, inbox, op = world
    p = people(live)
    start = (server_now(live, op) + timedelta(days=6)).replace(microsecond=0)
    mid = booked(live, p, start)  # the expert approves: the customer is told it is agreed
    mail = wait_for(lambda: inbox.to(p.customer_email, "Meeting agreed"), 10, "the confirmation mail")[0]
    invite = invitation(mail)
    assert invite == {"method": "REQUEST", "uid": f"{mid}@127.0.0.1", "status": "CONFIRMED", "sequence": 1,
                      "start": start, "end": start + timedelta(minutes=30),
                      "attendee": f"mailto:{p.customer_email}", "mail_method": "REQUEST"}

    p.anna.push("CancelMeeting", meeting_id=mid, reason="ill")  # R14: the expert cancels
    mail = wait_for(lambda: inbox.to(p.customer_email, "Cancellation"), 10, "the cancellation mail")[0]
    invite = invitation(mail)
    assert (invite["method"], invite["uid"], invite["status"], invite["sequence"]) == (
        "CANCEL", f"{mid}@127.0.0.1", "CANCELLED", 2)
    # a notice that announces no calendar change has no attachment
    assert not [part for part in inbox.to(p.expert_email, "New request")[0].walk() if part.get_filename()]
