"""The operator API through the real server: review queue with evidence, disputes, flags, accounts, payouts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from .live import LiveServer
from .test_customer_api import applied, finish, now_of, scene, wallet


def test_r25_review_queue_with_evidence_and_split(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    finish(sc, mid)
    other = "failed because of the other party"
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": other}).status_code == 200
    applied(live, sc.expert_token, "Evaluate", meeting_id=mid, answer=other)
    queue = live.call(sc.op, "GET", "/operator/reviews").json()
    [item] = queue["meetings"]
    assert item["meeting"]["id"] == mid and item["meeting"]["status"] == "Under review"
    ev = item["evidence"]
    assert ev["expert_attended"] and ev["session_started"] and ev["customer_answer"] == other and ev["expert_answer"] == other
    assert any("Expert attended" in line for line in map(str, ev["timeline"]))
    too_much = live.call(sc.op, "POST", f"/operator/meetings/{mid}/decision", json={"note": "read the evidence", "outcome": "split", "expert_amount": 40})
    assert too_much.status_code == 422 and "between 1 and 39" in too_much.json()["error"]["message"]
    done = live.call(sc.op, "POST", f"/operator/meetings/{mid}/decision", json={"note": "read the evidence", "outcome": "split", "expert_amount": 15})
    assert done.status_code == 200, done.text
    assert done.json()["meeting"]["status"] == "Settled" and done.json()["meeting"]["charged"] == 15
    assert wallet(live, token)["balance"] == 85
    assert live.call(sc.op, "GET", "/operator/reviews").json()["meetings"] == []


def test_r30_r31_disputes_decided_and_experts_flagged(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    finish(sc, mid)
    assert server.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    first = server.call(token, "POST", "/api/claims", json={"session": mid, "amount": 5, "reason": "late start"}).json()["claim"]["id"]
    applied(server, sc.expert_token, "DisputeClaim", claim_id=first, summary="started on time, see the log")
    [item] = server.call(sc.op, "GET", "/operator/reviews").json()["claims"]
    assert item["claim"]["id"] == first and item["evidence"]["claim_summary"] == "started on time, see the log"
    assert item["evidence"]["meeting"] == mid and item["evidence"]["session_started"]
    kept = server.call(sc.op, "POST", f"/operator/claims/{first}/decision", json={"note": "read the evidence", "accept": True})
    assert kept.status_code == 200 and kept.json()["claim"]["status"] == "dispute accepted"
    assert wallet(server, token)["balance"] == 60
    for n in range(4):  # four lost disputes in 90 days: flagged (R31)
        cid = server.call(token, "POST", "/api/claims", json={"session": mid, "amount": 5, "reason": f"#{n}"}).json()["claim"]["id"]
        applied(server, sc.expert_token, "DisputeClaim", claim_id=cid, summary="no")
        lost = server.call(sc.op, "POST", f"/operator/claims/{cid}/decision", json={"note": "read the evidence", "accept": False})
        assert lost.status_code == 200 and lost.json()["claim"]["status"] == "dispute rejected"
    assert wallet(server, token)["balance"] == 80  # R30: refunded from the expert's earnings
    flagged = server.call(sc.op, "GET", "/operator/flagged").json()["experts"]
    assert flagged == [{"expert": sc.expert, "name": "Anna", "lost_disputes": 4}]
    again = server.call(sc.op, "POST", f"/operator/claims/{first}/decision", json={"note": "read the evidence", "accept": False})
    assert again.status_code == 409 and "not disputed" in again.json()["error"]["message"]


def test_close_account_revokes_access_and_grants_need_an_open_customer(server: LiveServer) -> None:
    _, op = server.operator()
    carl, token = server.register("customer")
    expert, _ = server.register("expert")
    users = server.call(op, "GET", "/operator/users").json()["users"]
    assert {carl, expert} <= {u["id"] for u in users}
    assert server.call(op, "POST", "/operator/grants", json={"customer": expert, "amount": 10}).status_code == 403
    assert server.call(op, "POST", "/operator/grants", json={"customer": "nobody", "amount": 10}).status_code == 404
    assert server.call(op, "POST", "/operator/grants", json={"customer": carl, "amount": -3}).status_code == 422
    granted = server.call(op, "POST", "/operator/grants", json={"customer": carl, "amount": 30})
    assert granted.status_code == 201 and granted.json()["balance"] == 30
    assert server.call(op, "POST", f"/operator/users/{carl}/close", json={"reason": ""}).status_code == 422
    closed = server.call(op, "POST", f"/operator/users/{carl}/close", json={"reason": "fraud"})
    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert server.call(token, "GET", "/api/wallet").status_code == 401  # every token revoked
    login = server.call("", "POST", "/auth/login", json={"email": [u for u in users if u["id"] == carl][0]["email"],
                                                       "password": "correct horse"})
    assert login.status_code == 403 and login.json()["error"]["code"] == "account_closed"
    twice = server.call(op, "POST", f"/operator/users/{carl}/close", json={"reason": "again"})
    assert twice.status_code == 404
    assert [u["closed"] for u in server.call(op, "GET", "/operator/users").json()["users"] if u["id"] == carl] == [True]


def _next_payday(now: datetime) -> date:
    d = now.date() + timedelta(days=1)
    while d.day not in (1, 16):
        d += timedelta(days=1)
    return d


@pytest.mark.dates  # payout days
def test_r33_payouts_with_csv_and_pdf_statements(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    _, token = sc.customer(100)
    applied(live, sc.expert_token, "SetPayoutProfile", legal_name="Anna K", billing_address="1 Main St",
            tax_id="DE136695976", bank_account="DE89370400440532013000")
    mid = sc.agreed(token, offer="long")
    finish(sc, mid)
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    day = _next_payday(now_of(live, sc.op))
    live.advance(sc.op, seconds=(datetime(day.year, day.month, day.day, 12, tzinfo=now_of(live, sc.op).tzinfo)
                                 - now_of(live, sc.op)).total_seconds())
    assert live.call(sc.op, "POST", "/operator/payouts", json={"day": "2026-06-02"}).status_code == 422
    ran = live.call(sc.op, "POST", "/operator/payouts", json={"day": day.isoformat()})
    # the server's scheduler may have run this payout day already; either way it is made once
    assert ran.status_code == 200 or ran.json()["error"]["code"] == "already_exists", ran.text
    mine = live.call(sc.expert_token, "GET", "/api/payouts").json()["payouts"]
    [payout] = [p for p in mine if p["day"] == day.isoformat()]
    assert payout["amount"] == 63 and payout["expert"] == sc.expert
    csv = live.call(sc.expert_token, "GET", payout["statement_csv"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "Payment of credits for services" in csv.text and "Paid out" in csv.text
    pdf = live.call(sc.expert_token, "GET", payout["statement_pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    by_op = live.call(sc.op, "GET", f"/operator/payouts/{payout['id']}/statement.csv")
    assert by_op.status_code == 200 and by_op.text == csv.text
    assert payout["id"] in {p["id"] for p in live.call(sc.op, "GET", "/operator/payouts").json()["payouts"]}
    assert live.call(sc.expert_token, "GET", f"/api/payouts/{payout['id']}/statement.doc").status_code == 404
