"""The customer's side of a live session over HTTP (R18-R21): the count on the server's clock,
the chat both ways, files, and the connection pausing and resuming the count (R19)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.client.conftest import push

from .live import LiveServer
from .test_stream import Cast, cast

pytestmark = pytest.mark.dates  # the count follows the server's clock


def live_of(server: LiveServer, token: str, mid: str) -> dict[str, Any]:
    r = server.call(token, "GET", f"/api/meetings/{mid}/live")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def accepted_instant(server: LiveServer, people: Cast) -> str:
    """The customer asks through the API; the expert accepts from the desktop: the session runs."""
    r = server.call(people.customer_token, "POST", "/api/requests/instant", json={
        "expert": people.expert, "mode": "video", "offer": "short", "topic": "Tax return"})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    before = live_of(server, people.customer_token, mid)
    assert (before["started"], before["running"], before["status"]) == (False, False, "Awaiting approval")
    push(server, people.expert_token, "AcceptInstant", meeting_id=mid)
    return mid


def test_r19_r21_customer_reads_the_clock_chats_shares_files_and_a_dropped_connection_pauses(server: LiveServer) -> None:
    people = cast(server)
    _, op = server.operator()
    mid = accepted_instant(server, people)
    carl, anna = people.customer_token, people.expert_token

    first = live_of(server, carl, mid)
    assert (first["started"], first["running"], first["paused"], first["ended"]) == (True, True, False, False)
    assert first["allotted_seconds"] == 15 * 60 and 800 < first["remaining_seconds"] <= 900
    assert first["status"] == "Agreed" and first["server_time"] and (first["chat"], first["attachments"]) == ([], [])

    # R21: the chat, both ways
    said = server.call(carl, "POST", f"/api/meetings/{mid}/chat", json={"text": "Hello, can you see my screen?"})
    assert said.status_code == 201, said.text
    assert said.json()["message"]["author"] == "customer"
    push(server, anna, "PostChat", meeting_id=mid, message_id=uuid.uuid4().hex, text="Yes, go ahead")
    chat = live_of(server, carl, mid)["chat"]
    assert [(x["author"], x["text"]) for x in chat] == [("customer", "Hello, can you see my screen?"),
                                                        ("expert", "Yes, go ahead")]
    assert live_of(server, anna, mid)["chat"] == chat  # the expert reads the same transcript
    blank = server.call(carl, "POST", f"/api/meetings/{mid}/chat", json={"text": "   "})
    assert blank.status_code == 422 and "required" in blank.json()["error"]["message"]

    # R21: the customer uploads a file with the attachment routes; each side downloads the other's
    up = server.call(carl, "PUT", f"/api/meetings/{mid}/attachments/receipt-1", params={"name": "receipt.pdf"},
                     content=b"%PDF receipt", headers={"Content-Type": "application/octet-stream"})
    assert up.status_code == 201, up.text
    back = server.call(anna, "PUT", f"/api/meetings/{mid}/attachments/snippet-1", params={"name": "calc.py", "kind": "snippet"},
                       content=b"print(42)", headers={"Content-Type": "application/octet-stream"})
    assert back.status_code == 201, back.text
    files = live_of(server, carl, mid)["attachments"]
    assert [(f["id"], f["name"], f["kind"], f["size"], f["author"]) for f in files] == [
        ("receipt-1", "receipt.pdf", "file", 12, "customer"), ("snippet-1", "calc.py", "snippet", 9, "expert")]
    got = server.call(carl, "GET", files[1]["download"])
    assert got.status_code == 200 and got.content == b"print(42)"
    assert server.call(anna, "GET", files[0]["download"]).content == b"%PDF receipt"

    # R19: the connection drops: the count stops while the server's clock moves on
    dropped = server.call(carl, "POST", f"/api/meetings/{mid}/connection", json={"connected": False})
    assert dropped.status_code == 200, dropped.text
    assert (dropped.json()["paused"], dropped.json()["running"]) == (True, False)
    held = live_of(server, carl, mid)["remaining_seconds"]
    server.advance(op, seconds=120)
    paused = live_of(server, carl, mid)
    assert paused["paused"] and paused["remaining_seconds"] == held
    again = server.call(carl, "POST", f"/api/meetings/{mid}/connection", json={"connected": False})
    assert again.status_code == 200 and again.json()["events"] == []  # already paused: nothing new

    # ... and runs again on reconnect
    back_on = server.call(carl, "POST", f"/api/meetings/{mid}/connection", json={"connected": True})
    assert back_on.status_code == 200 and back_on.json()["running"] is True
    server.advance(op, seconds=60)
    resumed = live_of(server, carl, mid)
    assert resumed["running"] and resumed["remaining_seconds"] <= held - 60
    titles = [x["title"] for x in server.call(carl, "GET", f"/api/meetings/{mid}").json()["timeline"]]
    assert "Connection lost, count paused" in titles and "Reconnected, count resumed" in titles

    # the expert ends it: an instant session settles on its bill (R20), and the count stays where it stopped
    push(server, anna, "EndSession", meeting_id=mid)
    ended = live_of(server, carl, mid)
    assert (ended["ended"], ended["running"], ended["paused"], ended["status"]) == (True, False, False, "Settled")
    server.advance(op, seconds=30)
    assert live_of(server, carl, mid)["remaining_seconds"] == ended["remaining_seconds"]


def test_r19_r21_a_stranger_gets_404_on_someone_elses_live_session(server: LiveServer) -> None:
    people = cast(server)
    mid = accepted_instant(server, people)
    _, stranger = server.register("customer")
    _, other_expert = server.register("expert")
    for token in (stranger, other_expert):
        for method, path, body in (("GET", "live", None), ("POST", "chat", {"text": "let me in"}),
                                   ("POST", "connection", {"connected": False})):
            r = server.call(token, method, f"/api/meetings/{mid}/{path}", json=body)
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (path, r.text)
            assert "Tax return" not in r.text and people.customer not in r.text
        assert server.call(token, "GET", "/api/meetings/no-such-meeting/live").status_code == 404  # the same answer
    _, op = server.operator()
    assert server.call(op, "GET", f"/api/meetings/{mid}/live").status_code == 403  # no participant's role
    view = live_of(server, people.customer_token, mid)
    assert view["chat"] == [] and view["running"]  # nothing of theirs arrived, nothing paused


def test_r19_no_connection_to_report_before_the_session_starts(server: LiveServer) -> None:
    people = cast(server)
    r = server.call(people.customer_token, "POST", "/api/requests/instant", json={
        "expert": people.expert, "mode": "video", "offer": "short", "topic": "Tax return"})
    mid = r.json()["meeting"]["id"]
    r = server.call(people.customer_token, "POST", f"/api/meetings/{mid}/connection", json={"connected": False})
    assert r.status_code == 409 and "no session is running" in r.json()["error"]["message"]
    r = server.call(people.customer_token, "POST", f"/api/meetings/{mid}/chat", json={"text": "hello?"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "wrong_state"  # chat opens once agreed
