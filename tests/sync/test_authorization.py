"""Every endpoint of the customer, operator and video APIs refuses other people's ids and the wrong role,
and bad input gets a 4xx that says what to do, never a 500 and never a change."""

from __future__ import annotations

from datetime import timedelta

from .live import LiveServer
from .test_customer_api import finish, scene, wallet


def test_other_peoples_ids_and_operator_actions_are_refused(server: LiveServer) -> None:
    sc = scene(server)
    carl, token = sc.customer(100)
    mallory, intruder = sc.customer(100)
    other_expert, other_expert_token = server.register("expert")
    mid = sc.agreed(token)
    link = server.call(token, "GET", f"/api/meetings/{mid}/link").json()["url"]
    finish(sc, mid)
    assert server.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    cid = server.call(token, "POST", "/api/claims", json={"session": mid, "amount": 5, "reason": "x"}).json()["claim"]["id"]
    before = server.call(token, "GET", f"/api/meetings/{mid}").json()

    attempts = [
        ("GET", f"/api/meetings/{mid}", None),
        ("GET", f"/api/meetings/{mid}/cancellation", None),
        ("GET", f"/api/meetings/{mid}/link", None),
        ("GET", f"/api/claims/{cid}", None),
        ("POST", f"/api/meetings/{mid}/cancel", {"reason": "mine now", "accept_fee": 20}),
        ("POST", f"/api/meetings/{mid}/confirm", None),
        ("POST", f"/api/meetings/{mid}/reject", {"reason": "other"}),
        ("POST", f"/api/meetings/{mid}/reschedule", {"start": (sc.slot_start + timedelta(days=3)).isoformat()}),
        ("POST", f"/api/meetings/{mid}/alternative/approve", None),
        ("POST", f"/api/meetings/{mid}/alternative/reject", {"reason": "no"}),
        ("POST", f"/api/meetings/{mid}/alternative/withdraw", None),
        ("POST", f"/api/meetings/{mid}/evaluation", {"answer": "failed because of the other party"}),
        ("POST", f"/api/meetings/{mid}/rating", {"stars": 1}),
        ("POST", "/api/claims", {"session": mid, "amount": 5, "reason": "not mine"}),
        ("PUT", f"/api/experts/{sc.expert}/review", {"text": "never met"}),
    ]
    for method, path, body in attempts:
        r = server.call(intruder, method, path, json=body)
        assert r.status_code in (403, 404), (path, r.status_code, r.text)
        assert mid not in str(r.json().get("meeting", "")) and "timeline" not in r.json(), path
        assert r.json()["error"]["message"], path
    assert server.call(intruder, "GET", "/api/meetings").json()["meetings"] == []
    assert server.call(intruder, "GET", "/api/claims").json()["claims"] == []
    assert wallet(server, intruder)["movements"][0]["label"] == "Credits granted"
    assert len(wallet(server, intruder)["movements"]) == 1
    after = server.call(token, "GET", f"/api/meetings/{mid}").json()
    assert after == before  # nothing the intruder tried changed anything

    # customer endpoints are for customers: an expert is refused
    for method, path, body in [("POST", "/api/bookings", {"slot_id": sc.slot, "mode": "video", "offer": "short",
                                                         "start": sc.slot_start.isoformat(), "topic": "x"}),
                               ("GET", "/api/wallet", None), ("GET", f"/api/meetings/{mid}", None),
                               ("POST", "/api/claims", {"session": mid, "amount": 5, "reason": "x"})]:
        r = server.call(sc.expert_token, method, path, json=body)
        assert r.status_code == 403 and "customer" in r.json()["error"]["message"], path
    # the other expert sees nothing of this meeting
    assert server.call(other_expert_token, "GET", f"/api/meetings/{mid}/link").status_code == 404

    # operator-only actions, as a customer and as an expert
    operator_calls = [
        ("GET", "/operator/reviews", None), ("GET", "/operator/flagged", None), ("GET", "/operator/users", None),
        ("GET", "/operator/payouts", None),
        ("POST", f"/operator/meetings/{mid}/decision", {"outcome": "pay", "note": "why"}),
        ("POST", f"/operator/claims/{cid}/decision", {"accept": False, "note": "why"}),
        ("POST", "/operator/grants", {"customer": mallory, "amount": 1000}),
        ("POST", f"/operator/users/{carl}/close", {"reason": "spite"}),
        ("POST", "/operator/payouts", {"day": "2026-01-01"}),
        ("GET", "/operator/payouts/payout:x:2026-01-01/statement.csv", None),
    ]
    for who in (token, sc.expert_token):
        for method, path, body in operator_calls:
            r = server.call(who, method, path, json=body)
            assert r.status_code == 403 and "operator" in r.json()["error"]["message"], (path, r.text)
    assert wallet(server, intruder)["balance"] == 100
    # experts' payouts are the expert's own; customers have none
    assert server.call(token, "GET", "/api/payouts").status_code == 403
    assert server.call(other_expert_token, "GET", "/api/payouts").json()["payouts"] == []
    assert server.call(other_expert_token, "GET", f"/api/payouts/payout:{sc.expert}:2026-01-01/statement.pdf").status_code == 404
    # no token, a made-up token
    assert server.call("", "GET", "/api/wallet").status_code == 401
    assert server.call("not-a-token", "GET", "/api/wallet").status_code == 401
    assert server.call("", "GET", f"/api/meetings/{mid}/link").status_code == 401
    assert "/join/" in link


def test_bad_input_gets_a_clear_4xx_and_changes_nothing(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    with server.client(token) as c:
        malformed = c.post("/api/bookings", content=b"{not json", headers={"Content-Type": "application/json"})
        # as the OpenAPI document says: 400, in a sentence saying what to send
        assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "bad_json"
        assert malformed.json()["error"]["message"].startswith("the body is not valid JSON: ")
        wrong = c.post("/api/bookings", json={"slot_id": sc.slot, "mode": "telepathy", "offer": "short",
                                              "start": "tomorrow", "topic": 5})
        assert wrong.status_code == 422
        message = wrong.json()["error"]["message"]
        assert "mode" in message and "start" in message
        naive = c.post("/api/bookings", json={"slot_id": sc.slot, "mode": "video", "offer": "short",
                                              "start": "2030-01-01T10:00:00", "topic": "x"})
        assert naive.status_code == 422 and "offset from UTC" in naive.json()["error"]["message"]
        extra = c.post("/api/meetings/x/cancel", json={"reason": "x", "actor": "someone-else"})
        assert extra.status_code == 422 and "actor" in extra.json()["error"]["message"]
        assert c.post("/api/bookings", json=[1, 2]).status_code == 422
        unknown_slot = c.post("/api/bookings", json={"slot_id": "nope", "mode": "video", "offer": "short",
                                                     "start": sc.slot_start.isoformat(), "topic": "x"})
        assert unknown_slot.status_code == 404 and "slot" in unknown_slot.json()["error"]["message"]
        past = c.post("/api/bookings", json={"slot_id": sc.slot, "mode": "video", "offer": "short",
                                             "start": (sc.slot_start - timedelta(days=10)).isoformat(), "topic": "x"})
        assert past.status_code == 409 and "passed" in past.json()["error"]["message"]
        assert c.get("/api/meetings/does-not-exist").status_code == 404
        assert c.get("/api/meetings/does-not-exist/cancellation").status_code == 404
        assert c.post("/api/meetings/does-not-exist/cancel", json={"reason": "x"}).status_code == 404
        assert c.post("/api/meetings/does-not-exist/evaluation", json={"answer": "went smoothly"}).status_code == 404
        assert c.get("/api/claims/does-not-exist").status_code == 404
        assert c.get("/e/nobody-here").status_code == 404
        assert c.get("/api/experts/nobody-here").status_code == 404
        assert c.post("/api/requests/instant", json={"expert": "nobody", "mode": "video", "offer": "short",
                                                     "topic": "x"}).status_code == 404
        assert c.get("/api/notifications", params={"after": -1}).status_code == 422
        long_key = c.post("/api/meetings/x/confirm", headers={"Idempotency-Key": "k" * 300})
        assert long_key.status_code == 400 and "shorter" in long_key.json()["error"]["message"]
    assert server.call(token, "GET", "/api/meetings").json()["meetings"] == []
    w = wallet(server, token)
    assert (w["balance"], w["blocked"]) == (100, 0)
    # an expired session token
    server.advance(sc.op, days=31)
    expired = server.call(token, "GET", "/api/wallet")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"


def test_r27_the_stars_a_customer_gives_never_reach_the_experts_desktop() -> None:
    """Found by the simulation (seed 26, focus rate_or_review=5): the rating event went to both
    sides of the meeting, so the expert's desktop cache held the stars R27 keeps for the operator
    (the customer API already hid them from everyone but the customer)."""
    from consoleapp.engine import World, evolve
    from consoleapp.engine import commands as c
    from consoleapp.engine.events import RatingGiven
    from consoleapp.sync.server.audience import audience
    from tests.engine.scenario import Scenario

    s = Scenario()
    s.expert("anna", now_slot=False)
    s.customer("carl")
    s.held_meeting("m1", price=40)
    s.do(c.Rate(actor="carl", meeting_id="m1", stars=2))
    full = World()
    seen: dict[str, list[str]] = {}
    for ev in s.log:
        evolve(full, ev)
        for person in audience(full, ev):
            seen.setdefault(person, []).append(type(ev).__name__)
    assert "RatingGiven" in seen["carl"] and "RatingGiven" not in seen["anna"]
    assert "MeetingHeld" in seen["anna"]  # the rest of the meeting still reaches her
    assert isinstance(s.log[-1], RatingGiven)
