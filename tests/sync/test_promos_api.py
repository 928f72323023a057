"""Promo codes through the real server: an operator creates one, a customer books with it, the
meeting settles on the full price, a claim refunds each source, the operator ends the code."""

from __future__ import annotations

from datetime import timedelta

from consoleapp.engine.ledger import PLATFORM, earnings
from consoleapp.store.db import reading
from consoleapp.sync.server.audit import entries
from consoleapp.sync.server.opening import open_server

from .live import LiveServer
from .test_customer_api import applied, finish, now_of, scene, wallet


def balances(live: LiveServer, expert: str) -> tuple[int, int, int]:
    """(expert's earnings, commission, platform's own funds), read from the server's own database."""
    server = open_server(live.settings)
    try:
        ledger = server.store.world.ledger
        return ledger.account(earnings(expert)).balance, ledger.account("commission").balance, ledger.account(PLATFORM).balance
    finally:
        server.store.close()


def audit_rows(live: LiveServer) -> list[tuple[str, str]]:
    server = open_server(live.settings)
    try:
        with reading(server.store.engine) as conn:
            return [(r.action, r.subject) for r in entries(conn)]
    finally:
        server.store.close()


def test_promo_r8_r22_r30_create_book_settle_refund_end(server: LiveServer) -> None:
    live = server
    sc = scene(live)
    now = now_of(live, sc.op)
    code = {"code": "welcome-25", "kind": "percent", "value": 25, "valid_from": (now - timedelta(days=1)).isoformat(),
            "valid_until": (now + timedelta(days=10)).isoformat(), "max_uses": 10, "max_per_customer": 1}
    _, token = sc.customer(100)
    assert live.call(token, "POST", "/operator/promos", json=code).status_code == 403  # operators only
    bad = live.call(sc.op, "POST", "/operator/promos", json={**code, "value": 150})
    assert bad.status_code == 422 and "1 to 100, not 150" in bad.json()["error"]["message"]
    made = live.call(sc.op, "POST", "/operator/promos", json=code)
    assert made.status_code == 201, made.text
    assert (made.json()["promo"]["code"], made.json()["uses"]) == ("WELCOME-25", 0)
    again = live.call(sc.op, "POST", "/operator/promos", json=code)
    assert again.status_code == 409 and "already exists" in again.json()["error"]["message"]

    booked = sc.book(token, offer="long", promo_code="Welcome-25")["meeting"]  # 70 credits, 17 off (rounded down)
    assert (booked["price"], booked["promo"]["code"]) == (70, "WELCOME-25")
    assert wallet(live, token)["available"] == 100 - 53
    twice = live.call(token, "POST", "/api/bookings", json={
        "slot_id": sc.slot, "mode": "video", "offer": "short", "start": (sc.slot_start + timedelta(hours=2)).isoformat(),
        "topic": "again", "promo_code": "WELCOME-25"})
    assert twice.status_code == 422 and twice.json()["error"] == {
        "code": "promo_refused", "message": "you have already used this code"}
    [listed] = live.call(sc.op, "GET", "/operator/promos").json()["promos"]
    assert (listed["code"], listed["uses"], listed["active"]) == ("WELCOME-25", 1, True)

    applied(live, sc.expert_token, "ApproveBooking", meeting_id=booked["id"])
    finish(sc, booked["id"])
    assert live.call(token, "POST", f"/api/meetings/{booked['id']}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    m = sc.meeting(token, booked["id"])["meeting"]
    assert (m["charged"], m["discount"], m["paid"]) == (70, 17, 53)
    assert wallet(live, token)["balance"] == 47
    assert balances(live, sc.expert) == (63, 7, -17)  # anna and the commission on the full 70
    labels = [x["label"] for x in wallet(live, token)["movements"]]
    assert "Promo code discount" not in labels  # the platform's part is not a movement of the customer's wallet

    claim = live.call(token, "POST", "/api/claims", json={"session": booked["id"], "amount": 53, "reason": "no show"})
    assert claim.status_code == 201, claim.text
    applied(live, sc.expert_token, "RefundClaim", claim_id=claim.json()["claim"]["id"], amount=53)
    assert wallet(live, token)["balance"] == 100
    assert balances(live, sc.expert) == (0, 0, 0)  # each source got back what it gave

    ended = live.call(sc.op, "POST", "/operator/promos/welcome-25/end")
    assert ended.status_code == 200 and ended.json()["promo"]["active"] is False
    other_id, other = sc.customer(100)
    refused = live.call(other, "POST", "/api/requests/scheduled", json={
        "expert": sc.slug, "mode": "video", "offer": "short", "topic": "hi", "promo_code": "WELCOME-25",
        "times": [(now_of(live, sc.op) + timedelta(days=3)).isoformat()]})
    assert refused.status_code == 422 and refused.json()["error"]["message"].startswith("this code ended on ")
    anna_only = live.call(sc.op, "POST", "/operator/promos", json={**code, "code": "ANNA-5", "kind": "credits",
                                                                  "value": 5, "expert": sc.expert})
    assert anna_only.status_code == 201, anna_only.text
    applied(live, sc.expert_token, "SuggestMeeting", meeting_id="s1", customer=other_id, mode="video", offer="short",
            start=(sc.slot_start + timedelta(hours=3)).isoformat(), topic="Follow-up")
    confirmed = live.call(other, "POST", "/api/meetings/s1/confirm", json={"promo_code": "anna-5"})  # R9
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["meeting"]["promo_discount"], wallet(live, other)["available"]) == (5, 100 - 35)
    rows = audit_rows(live)
    assert ("promo code created", "WELCOME-25") in rows and ("promo code ended", "WELCOME-25") in rows
