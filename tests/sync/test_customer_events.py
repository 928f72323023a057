"""Group events for customers over HTTP (R28, with R11 and R13): browse, register, cancel, join."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.client.conftest import push

from .live import LiveServer
from .test_stream import Cast, cast, grant, server_now

pytestmark = pytest.mark.dates  # registration closes at the start; the 48 h cancel window; the join window

PRICE = 30  # a late cancel costs 15 (50 %)


def event_of(people: Cast, live: LiveServer, op: str, *, days: float = 5, seats: int = 3,
             price: int = PRICE) -> tuple[str, datetime]:
    """An open event of the expert (with a public link) `days` ahead: (id, start)."""
    slug = f"anna-{uuid.uuid4().hex[:6]}"
    push(live, people.expert_token, "UpdateProfile", name="Anna K", specialty="Tax law", time_zone="UTC", slug=slug)
    event_id = f"ev-{uuid.uuid4().hex[:8]}"
    start = (server_now(live, op) + timedelta(days=days)).replace(microsecond=0)
    push(live, people.expert_token, "CreateGroupEvent", event_id=event_id, title="Intro to tax law",
         start=start.isoformat(), end=(start + timedelta(hours=1)).isoformat(), price=price, min_participants=1,
         max_participants=seats)
    return event_id, start


def view(live: LiveServer, token: str, event_id: str) -> dict[str, Any]:
    r = live.call(token, "GET", f"/api/events/{event_id}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def wallet(live: LiveServer, token: str) -> dict[str, Any]:
    body: dict[str, Any] = live.call(token, "GET", "/api/wallet").json()
    return body


def customer(live: LiveServer, credits: int) -> tuple[str, str]:
    cid, token = live.register("customer")
    if credits:
        grant(live, cid, credits)
    return cid, token


def test_r28_r11_register_holds_credits_seats_left_decrease_and_not_enough_credits_refused(server: LiveServer) -> None:
    people = cast(server, now_slot=False)
    _, op = server.operator()
    ev, start = event_of(people, server, op, seats=2)
    carl = people.customer_token

    [listed] = server.call("", "GET", "/api/events").json()["events"]  # public, no login
    assert listed == view(server, "", ev)
    slug = listed["expert"]["slug"]
    assert (listed["id"], listed["title"], listed["price"], listed["seats_left"], listed["status"]) == (
        ev, "Intro to tax law", PRICE, 2, "open")
    assert listed["expert"] == {"id": people.expert, "name": "Anna K", "slug": slug}
    assert (listed["start"], listed["min_participants"], listed["max_participants"]) == (start.isoformat(), 1, 2)
    assert [x["id"] for x in server.call("", "GET", "/api/events", params={"expert": slug}).json()["events"]] == [ev]
    assert server.call("", "GET", "/api/events", params={"expert": people.customer}).status_code == 404
    assert view(server, carl, ev)["my_registration"] == {"status": "none"}
    assert "my_registration" not in view(server, people.expert_token, ev)
    assert [x["id"] for x in server.call("", "GET", f"/e/{slug}").json()["events"]] == [ev]

    r = server.call(carl, "POST", f"/api/events/{ev}/registration")
    assert r.status_code == 201, r.text
    mine = r.json()["event"]["my_registration"]
    assert mine["status"] == "registered" and mine["cancellation"]["fee"] == 0 and r.json()["event"]["seats_left"] == 1
    assert "Registration" in r.json()["events"]
    w = wallet(server, carl)
    assert (w["balance"], w["available"], w["blocked"]) == (1000, 1000 - PRICE, PRICE)
    twice = server.call(carl, "POST", f"/api/events/{ev}/registration")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_exists"

    _, poor = customer(server, 10)
    r = server.call(poor, "POST", f"/api/events/{ev}/registration")
    assert r.status_code == 402 and r.json()["error"]["message"] == f"not enough credits: 10 available, {PRICE} needed"
    assert view(server, poor, ev)["my_registration"] == {"status": "none"} and view(server, "", ev)["seats_left"] == 1

    _, dora = customer(server, 100)
    assert server.call(dora, "POST", f"/api/events/{ev}/registration").status_code == 201
    assert view(server, "", ev)["seats_left"] == 0
    assert server.call("", "GET", f"/e/{slug}").json()["events"] == []  # the profile lists events with seats left
    _, erin = customer(server, 100)
    full = server.call(erin, "POST", f"/api/events/{ev}/registration")
    assert full.status_code == 409 and full.json()["error"]["code"] == "full"
    assert server.call(people.expert_token, "POST", f"/api/events/{ev}/registration").status_code == 403
    assert server.call(carl, "POST", "/api/events/no-such-event/registration").status_code == 404


def test_r13_r28_cancelling_a_registration_is_free_early_and_late_costs_the_fee_shown_first(server: LiveServer) -> None:
    people = cast(server, now_slot=False)
    _, op = server.operator()
    ev, start = event_of(people, server, op, days=5)
    carl = people.customer_token

    assert server.call(carl, "POST", f"/api/events/{ev}/registration").status_code == 201
    terms = server.call(carl, "GET", f"/api/events/{ev}/cancellation").json()
    assert (terms["late"], terms["fee"], terms["returned"]) == (False, 0, PRICE) and "free" in terms["message"]
    assert datetime.fromisoformat(terms["deadline"]) == start - timedelta(hours=48)
    r = server.call(carl, "POST", f"/api/events/{ev}/registration/cancel", json={})
    assert r.status_code == 200, r.text
    assert r.json()["event"]["my_registration"] == {"status": "cancelled", "fee": 0} and r.json()["event"]["seats_left"] == 3
    assert wallet(server, carl)["available"] == 1000

    assert server.call(carl, "POST", f"/api/events/{ev}/registration").status_code == 201  # again, then late
    server.advance(op, seconds=(start - timedelta(hours=24) - server_now(server, op)).total_seconds())
    terms = server.call(carl, "GET", f"/api/events/{ev}/cancellation").json()
    assert (terms["late"], terms["fee"], terms["returned"]) == (True, PRICE // 2, PRICE // 2)
    assert f"costs {PRICE // 2} credits" in terms["message"]
    assert view(server, carl, ev)["my_registration"]["cancellation"]["fee"] == PRICE // 2  # shown on the event too
    blind = server.call(carl, "POST", f"/api/events/{ev}/registration/cancel", json={})
    assert blind.status_code == 409 and blind.json()["error"]["code"] == "fee_not_confirmed"
    wrong = server.call(carl, "POST", f"/api/events/{ev}/registration/cancel", json={"accept_fee": 1})
    assert wrong.status_code == 409
    assert wallet(server, carl)["blocked"] == PRICE  # refused twice: nothing moved
    done = server.call(carl, "POST", f"/api/events/{ev}/registration/cancel", json={"accept_fee": PRICE // 2})
    assert done.status_code == 200, done.text
    assert done.json()["event"]["my_registration"] == {"status": "cancelled", "fee": PRICE // 2}
    w = wallet(server, carl)
    assert (w["balance"], w["available"], w["blocked"]) == (1000 - PRICE // 2, 1000 - PRICE // 2, 0)


def test_r28_another_customers_registration_is_invisible_and_join_records_presence(server: LiveServer) -> None:
    people = cast(server, now_slot=False)
    _, op = server.operator()
    ev, start = event_of(people, server, op, days=3)
    carl = people.customer_token
    assert server.call(carl, "POST", f"/api/events/{ev}/registration").status_code == 201
    stranger_id, stranger = customer(server, 0)

    seen = server.call(stranger, "GET", f"/api/events/{ev}")
    assert seen.json()["my_registration"] == {"status": "none"} and people.customer not in seen.text
    assert people.customer not in server.call("", "GET", "/api/events").text
    for method, path, body in (("GET", "cancellation", None), ("POST", "registration/cancel", {"accept_fee": 15}),
                               ("POST", "join", None)):
        theirs = server.call(stranger, method, f"/api/events/{ev}/{path}", json=body)
        missing = server.call(stranger, method, f"/api/events/no-such-event/{path}", json=body)
        assert theirs.status_code == missing.status_code == 404, (path, theirs.text, missing.text)
        assert people.customer not in theirs.text
    assert view(server, carl, ev)["my_registration"]["status"] == "registered"  # untouched

    early = server.call(carl, "POST", f"/api/events/{ev}/join")
    assert early.status_code == 409 and early.json()["error"]["code"] == "too_early" and "opens at" in early.text
    server.advance(op, seconds=(start - timedelta(minutes=10) - server_now(server, op)).total_seconds())
    joined = server.call(carl, "POST", f"/api/events/{ev}/join")
    assert joined.status_code == 200, joined.text
    assert joined.json()["events"] == ["User joined the event"]
    at = joined.json()["event"]["my_registration"]["joined_at"]
    assert at is not None
    again = server.call(carl, "POST", f"/api/events/{ev}/join")  # opening it twice records it once
    assert again.status_code == 200 and again.json()["events"] == [] and again.json()["event"]["my_registration"]["joined_at"] == at
    changes = people.anna.changes()  # the expert's desktop learns who came
    assert [ch["kind"] for ch in changes if ch["ref"] == ev].count("ParticipantJoined") == 1
    assert stranger_id not in str(changes)
