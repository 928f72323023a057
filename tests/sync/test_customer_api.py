"""The customer API through the real server: every customer-facing rule over HTTP at least once."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from consoleapp.engine import due
from consoleapp.sync.server.opening import open_server

from .live import LiveServer

_seq: dict[str, itertools.count[int]] = {}


def push(live: LiveServer, token: str, command: str, **args: Any) -> dict[str, Any]:
    """One command from an expert's desktop through /sync/push; returns its result."""
    client = f"desk-{token[:12]}"
    seq = next(_seq.setdefault(f"{live.port}:{client}", itertools.count(1)))
    r = live.call(token, "POST", "/sync/push", json={"client_id": client, "schema_version": 1, "commands": [
        {"seq": seq, "command_id": uuid.uuid4().hex, "name": command, "args": args}]})
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["results"][0]
    return result


def applied(live: LiveServer, token: str, command: str, **args: Any) -> None:
    result = push(live, token, command, **args)
    assert result["status"] == "applied", result


def now_of(live: LiveServer, op: str) -> datetime:
    return datetime.fromisoformat(live.call(op, "GET", "/admin/clock").json()["now"])


def tick(live: LiveServer) -> None:
    """What the scheduler does: run every command whose time has come (in-process, same database)."""
    server = open_server(live.settings)
    try:
        world = server.store.world
        commands = due(world, server.clock.now(), server.store.policy)
        if commands:
            server.runner.run(commands)
    finally:
        server.store.close()


@dataclass
class Scene:
    live: LiveServer
    op: str
    expert: str
    expert_token: str
    slug: str
    slot: str
    slot_start: datetime
    customers: dict[str, str] = field(default_factory=dict)

    def customer(self, credits: int = 200) -> tuple[str, str]:
        cid, token = self.live.register("customer", name="Carl")
        if credits:
            r = self.live.call(self.op, "POST", "/operator/grants", json={"customer": cid, "amount": credits})
            assert r.status_code == 201, r.text
        self.customers[cid] = token
        return cid, token

    def book(self, token: str, start_after: timedelta = timedelta(0), offer: str = "short", **extra: Any) -> dict[str, Any]:
        r = self.live.call(token, "POST", "/api/bookings", json={
            "slot_id": self.slot, "mode": "video", "offer": offer, "start": (self.slot_start + start_after).isoformat(),
            "topic": "Tax question", **extra})
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    def agreed(self, token: str, start_after: timedelta = timedelta(0), offer: str = "short") -> str:
        mid: str = self.book(token, start_after, offer)["meeting"]["id"]
        applied(self.live, self.expert_token, "ApproveBooking", meeting_id=mid)
        return mid

    def meeting(self, token: str, mid: str) -> dict[str, Any]:
        r = self.live.call(token, "GET", f"/api/meetings/{mid}")
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body


def scene(live: LiveServer, hours_ahead: int = 72) -> Scene:
    """An expert with a profile, video offers (short 40, long 70) and a 4 h slot `hours_ahead` from now."""
    _, op = live.operator()
    expert, token = live.register("expert", name="Anna")
    slug = f"anna-{uuid.uuid4().hex[:6]}"
    applied(live, token, "UpdateProfile", name="Anna K", specialty="Tax law", time_zone="Europe/Paris", slug=slug,
            photo="https://example.org/anna.png")
    applied(live, token, "SetOffers", mode="video", short_price=40, long_price=70)
    start = (now_of(live, op) + timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    applied(live, token, "AddSlot", slot_id="slot-1", start=start.isoformat(), end=(start + timedelta(hours=4)).isoformat())
    return Scene(live, op, expert, token, slug, "slot-1", start)


def finish(sc: Scene, mid: str) -> None:
    """Start and end the session at its time, then move past the end so the meeting is Held."""
    live = sc.live
    m = sc.meeting(next(iter(sc.customers.values())), mid)["meeting"]
    start = datetime.fromisoformat(m["start"])
    live.advance(sc.op, seconds=max((start - now_of(live, sc.op)).total_seconds(), 0) + 1)
    applied(live, sc.expert_token, "StartSession", meeting_id=mid)
    applied(live, sc.expert_token, "EndSession", meeting_id=mid)
    end = datetime.fromisoformat(m["end"])
    live.advance(sc.op, seconds=max((end - now_of(live, sc.op)).total_seconds(), 0) + 1)
    tick(live)
    assert sc.meeting(next(iter(sc.customers.values())), mid)["meeting"]["status"] == "Held"


def titles(sc: Scene, token: str, mid: str) -> list[str]:
    return [x["title"] for x in sc.meeting(token, mid)["timeline"]]


def wallet(live: LiveServer, token: str) -> dict[str, Any]:
    r = live.call(token, "GET", "/api/wallet")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


# --- tests -------------------------------------------------------------------------------------


@pytest.mark.dates  # settlement and the 72 h claim window follow the clock
def test_r8_r22_r27_r29_book_approve_evaluate_settle_review_claim(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    carl, token = sc.customer(100)

    page = live.call("", "GET", f"/e/{sc.slug}").json()  # R2: public, no login
    assert page["name"] == "Anna K" and page["specialty"] == "Tax law" and page["time_zone"] == "Europe/Paris"
    assert {(o["kind"], o["price"]) for o in page["offers"]} == {("short", 40), ("long", 70)}
    assert page["free_slots"][0]["slot_id"] == "slot-1"
    assert any(x["link"] == f"/e/{sc.slug}" for x in live.call(token, "GET", "/api/experts").json()["experts"])

    booked = sc.book(token)  # R8: held, awaiting approval
    mid = booked["meeting"]["id"]
    assert booked["meeting"]["status"] == "Awaiting approval" and booked["meeting"]["payment"] == "Blocked"
    assert "Credits blocked" in booked["events"]
    w = wallet(live, token)
    assert (w["balance"], w["available"], w["blocked"]) == (100, 60, 40)
    free = live.call("", "GET", f"/e/{sc.slug}").json()["free_slots"][0]["free"]
    assert free[0]["start"] == (sc.slot_start + timedelta(minutes=15)).isoformat()  # the booked 15 min are gone

    applied(live, sc.expert_token, "ApproveBooking", meeting_id=mid)  # the expert, from the desktop
    listed = live.call(token, "GET", "/api/meetings", params={"status": "Agreed"}).json()["meetings"]
    assert [m["id"] for m in listed] == [mid]
    assert live.call(token, "GET", "/api/meetings", params={"status": "Nonsense"}).status_code == 422

    finish(sc, mid)
    done = live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"})
    assert done.status_code == 200, done.text
    assert done.json()["meeting"]["status"] == "Settled" and done.json()["meeting"]["payment"] == "Paid"
    assert "Payment to expert" in done.json()["events"]  # R22/R26: settled at once
    again = live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "failed because of me"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"

    assert live.call(token, "POST", f"/api/meetings/{mid}/rating", json={"stars": 4}).status_code == 200
    assert live.call(token, "POST", f"/api/meetings/{mid}/rating", json={"stars": 9}).status_code == 422
    reviewed = live.call(token, "PUT", f"/api/experts/{sc.slug}/review", json={"text": "Clear and kind."})
    assert reviewed.status_code == 200 and reviewed.json()["bonus"] == 10  # R27: first review earns 10
    edited = live.call(token, "PUT", f"/api/experts/{sc.expert}/review", json={"text": "Clear, kind, quick."})
    assert edited.json()["bonus"] == 0
    page = live.call("", "GET", f"/e/{sc.slug}").json()
    assert [r["text"] for r in page["reviews"]] == ["Clear, kind, quick."]
    assert "stars" not in str(page)  # stars never public

    claim = live.call(token, "POST", "/api/claims", json={"session": mid, "amount": 10, "reason": "cut short"})  # R29
    assert claim.status_code == 201, claim.text
    cid = claim.json()["claim"]["id"]
    assert live.call(token, "GET", f"/api/claims/{cid}").json()["claim"]["status"] == "open"
    assert [c["id"] for c in live.call(token, "GET", "/api/claims").json()["claims"]] == [cid]

    w = wallet(live, token)  # R32: labelled movements
    assert (w["balance"], w["blocked"]) == (100 - 40 + 10, 0)
    labels = [x["label"] for x in w["movements"]]
    assert "Credits granted" in labels and "Deduction of credits for services" in labels
    assert "Bonus credits for verbal evaluation" in labels
    notes = live.call(sc.expert_token, "GET", "/api/notifications").json()["notifications"]
    assert {"new_request", "claim"} <= {n["kind"] for n in notes}  # R35


@pytest.mark.dates  # the 72 h claim window
def test_r29_claim_after_72h_is_refused_with_a_clear_error(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    finish(sc, mid)
    assert server.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    server.advance(sc.op, hours=73)
    late = server.call(token, "POST", "/api/claims", json={"session": mid, "amount": 10, "reason": "late"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "claim_window_closed"
    assert "claim window closed" in late.json()["error"]["message"]
    assert server.call(token, "GET", "/api/claims").json()["claims"] == []


@pytest.mark.dates  # the 48 h cancel window
def test_r13_cancel_requires_the_fee_shown_first(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    carl, token = sc.customer(100)
    mid = sc.agreed(token)
    live.advance(sc.op, hours=30)  # now 42 h before the start: late
    terms = live.call(token, "GET", f"/api/meetings/{mid}/cancellation").json()
    assert terms["late"] is True and terms["fee"] == 20 and terms["returned"] == 20 and "accept_fee: 20" in terms["message"]
    refused = live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "ill"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "fee_not_confirmed"
    assert sc.meeting(token, mid)["meeting"]["status"] == "Agreed"  # a refused call changes nothing
    wrong = live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "ill", "accept_fee": 5})
    assert wrong.status_code == 409
    done = live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "ill", "accept_fee": 20})
    assert done.status_code == 200, done.text
    m = done.json()["meeting"]
    assert m["status"] == "Cancelled" and m["payment"] == "Reimbursed cancellation"
    assert {"Cancelled by user", "Appointment reimbursed to expert"} <= set(titles(sc, token, mid))
    assert wallet(live, token)["balance"] == 80
    notes = live.call(sc.expert_token, "GET", "/api/notifications").json()["notifications"]
    assert any(n["kind"] == "cancellation" for n in notes)


@pytest.mark.dates  # the 48 h cancel window
def test_r12_r13_free_cancels_return_everything(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    waiting = sc.book(token)["meeting"]["id"]  # R12: awaiting approval
    r = server.call(token, "POST", f"/api/meetings/{waiting}/cancel", json={})
    assert r.status_code == 200 and r.json()["meeting"]["payment"] == "Returned"
    mid = sc.agreed(token, timedelta(hours=1))  # R13: >= 48 h ahead, free
    terms = server.call(token, "GET", f"/api/meetings/{mid}/cancellation").json()
    assert terms["late"] is False and terms["fee"] == 0
    r = server.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "plans changed"})
    assert r.status_code == 200 and r.json()["meeting"]["payment"] == "Returned"
    assert wallet(server, token)["available"] == 100


def test_r11_cannot_book_without_credits(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(10)
    r = server.call(token, "POST", "/api/bookings", json={
        "slot_id": sc.slot, "mode": "video", "offer": "short", "start": sc.slot_start.isoformat(), "topic": "x"})
    assert r.status_code == 402 and r.json()["error"]["code"] == "insufficient_credits"
    assert server.call(token, "GET", "/api/meetings").json()["meetings"] == []


@pytest.mark.dates  # expiry of requests and proposed times
def test_r6_r7_r9_instant_scheduled_and_suggested(server: LiveServer) -> None:
    sc = scene(server, hours_ahead=5)
    carl, token = sc.customer(200)
    # R6: instant needs the expert available now (inside a slot): a "Now" slot
    applied(server, sc.expert_token, "AddSlot", slot_id="now", start=None)
    r = server.call(token, "POST", "/api/requests/instant", json={
        "expert": sc.slug, "mode": "video", "offer": "short", "topic": "Quick one"})
    assert r.status_code == 201, r.text
    assert r.json()["meeting"]["kind"] == "instant" and r.json()["meeting"]["payment"] == "Blocked"
    # R7: scheduled with proposed times; the expert picks one
    t1 = (sc.slot_start + timedelta(days=5)).isoformat()
    t2 = (sc.slot_start + timedelta(days=6)).isoformat()
    r = server.call(token, "POST", "/api/requests/scheduled", json={
        "expert": sc.expert, "mode": "video", "offer": "long", "topic": "Contract", "times": [t1, t2]})
    assert r.status_code == 201, r.text
    sched = r.json()["meeting"]["id"]
    applied(server, sc.expert_token, "PickTime", meeting_id=sched, start=t2)
    assert sc.meeting(token, sched)["meeting"]["status"] == "Agreed"
    four = server.call(token, "POST", "/api/requests/scheduled", json={
        "expert": sc.expert, "mode": "video", "offer": "long", "topic": "x", "times": [t1, t1, t1, t1]})
    assert four.status_code == 422
    # R9: the expert suggests; the customer confirms one and rejects another
    s1, s2 = "sugg-1", "sugg-2"
    applied(server, sc.expert_token, "SuggestMeeting", meeting_id=s1, customer=carl, mode="video", offer="short",
            start=(sc.slot_start + timedelta(days=8)).isoformat(), topic="Follow-up")
    applied(server, sc.expert_token, "SuggestMeeting", meeting_id=s2, customer=carl, mode="video", offer="short",
            start=(sc.slot_start + timedelta(days=9)).isoformat(), topic="Another")
    ok = server.call(token, "POST", f"/api/meetings/{s1}/confirm")
    assert ok.status_code == 200 and ok.json()["meeting"]["status"] == "Agreed"
    no = server.call(token, "POST", f"/api/meetings/{s2}/reject", json={"reason": "personal reasons"})
    assert no.status_code == 200 and no.json()["meeting"]["status"] == "Rejected"
    bad = server.call(token, "POST", f"/api/meetings/{s2}/reject", json={"reason": "because"})
    assert bad.status_code == 422 and "reason" in bad.json()["error"]["message"]


@pytest.mark.dates  # new times before the start
def test_r15_r16_reschedule_and_alternatives(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(200)
    mid = sc.agreed(token)
    new = (sc.slot_start + timedelta(days=2)).isoformat()
    r = server.call(token, "POST", f"/api/meetings/{mid}/reschedule", json={"start": new})  # R15
    assert r.status_code == 200, r.text
    assert r.json()["meeting"]["status"] == "Agreed" and r.json()["meeting"]["alternative"]["by"] == "customer"
    own = server.call(token, "POST", f"/api/meetings/{mid}/alternative/approve")
    assert own.status_code == 403  # the other side answers
    assert server.call(token, "POST", f"/api/meetings/{mid}/alternative/withdraw").status_code == 200
    # R16: the expert proposes; the customer rejects with a reason, then approves the next one
    applied(server, sc.expert_token, "ProposeAlternative", meeting_id=mid, start=new)
    r = server.call(token, "POST", f"/api/meetings/{mid}/alternative/reject", json={"reason": "does not suit me"})
    assert r.status_code == 200 and r.json()["meeting"]["alternative"] is None
    applied(server, sc.expert_token, "ProposeAlternative", meeting_id=mid, start=new)
    r = server.call(token, "POST", f"/api/meetings/{mid}/alternative/approve")
    assert r.status_code == 200 and r.json()["meeting"]["start"] == new and r.json()["meeting"]["video_revision"] == 2
    none = server.call(token, "POST", f"/api/meetings/{mid}/alternative/withdraw")
    assert none.status_code == 409 and "no other time" in none.json()["error"]["message"]


def test_idempotency_key_replays_and_conflicts(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    _, token = sc.customer(100)
    body = {"slot_id": sc.slot, "mode": "video", "offer": "short", "start": sc.slot_start.isoformat(), "topic": "x"}
    key = {"Idempotency-Key": "book-0001"}
    first = live.call(token, "POST", "/api/bookings", json=body, headers=key)
    again = live.call(token, "POST", "/api/bookings", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert wallet(live, token)["blocked"] == 40  # held once
    assert len(live.call(token, "GET", "/api/meetings").json()["meetings"]) == 1
    other = live.call(token, "POST", "/api/bookings", json={**body, "topic": "y"}, headers=key)
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert "new key" in other.json()["error"]["message"]
    # a refused call stores nothing: the same key works once the cause is fixed
    bad = {**body, "start": (sc.slot_start + timedelta(minutes=5)).isoformat()}  # overlaps the booking
    k2 = {"Idempotency-Key": "book-0002"}
    assert live.call(token, "POST", "/api/bookings", json=bad, headers=k2).status_code == 409
    fixed = live.call(token, "POST", "/api/bookings", json=bad | {"start": (sc.slot_start + timedelta(hours=1)).isoformat()},
                      headers={"Idempotency-Key": "book-0002"})
    assert fixed.status_code == 201, fixed.text


@pytest.mark.dates  # free times start from the server's clock
def test_r4_r7_r9_free_slots_leave_out_every_meeting_holding_the_experts_time(server: LiveServer) -> None:
    """A time the expert agreed through a scheduled request, or suggested and the customer has not
    answered, is neither listed as free nor bookable, although it was never booked in the slot."""
    sc = scene(server)
    carl, carl_token = sc.customer(200)
    _, dora = sc.customer(200)
    start, end = sc.slot_start, sc.slot_start + timedelta(hours=4)
    picked = start + timedelta(minutes=30)  # a 30 min long meeting
    r = server.call(carl_token, "POST", "/api/requests/scheduled", json={
        "expert": sc.slug, "mode": "video", "offer": "long", "topic": "Contract", "times": [picked.isoformat()]})
    assert r.status_code == 201, r.text
    applied(server, sc.expert_token, "PickTime", meeting_id=r.json()["meeting"]["id"], start=picked.isoformat())
    suggested = start + timedelta(hours=2)  # a 15 min short one, awaiting the customer (R9)
    applied(server, sc.expert_token, "SuggestMeeting", meeting_id="sugg-r9", customer=carl, mode="video",
            offer="short", start=suggested.isoformat(), topic="Follow-up")

    [slot] = server.call("", "GET", f"/e/{sc.slug}").json()["free_slots"]
    assert set(slot) == {"slot_id", "start", "end", "offers", "free"}  # the shape clients read
    assert (slot["slot_id"], slot["start"], slot["end"], slot["offers"]) == ("slot-1", start.isoformat(), end.isoformat(), [])
    spans = [(start, picked), (picked + timedelta(minutes=30), suggested), (suggested + timedelta(minutes=15), end)]
    assert slot["free"] == [{"start": a.isoformat(), "end": b.isoformat()} for a, b in spans]
    assert server.call("", "GET", f"/api/experts/{sc.expert}").json()["free_slots"] == [slot]

    for taken in (picked + timedelta(minutes=15), suggested - timedelta(minutes=5)):
        r = server.call(dora, "POST", "/api/bookings", json={
            "slot_id": sc.slot, "mode": "video", "offer": "short", "start": taken.isoformat(), "topic": "x"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "slot_taken", r.text
        assert "already booked" in r.json()["error"]["message"]
    assert wallet(server, dora)["blocked"] == 0
    r = server.call(dora, "POST", "/api/bookings", json={  # right after the picked time: free
        "slot_id": sc.slot, "mode": "video", "offer": "short", "start": (picked + timedelta(minutes=30)).isoformat(),
        "topic": "x"})
    assert r.status_code == 201, r.text
