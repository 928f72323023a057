"""Rough edges a newcomer met, each through the real server: the cancel preview after the start (R13),
someone else's meeting answered exactly like an unknown id (R1), refusals of malformed bodies as
sentences, and the 30 s warning as a notification to both parties (R19)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from .live import LiveServer
from .test_customer_api import now_of, push, scene
from .test_customer_live import accepted_instant
from .test_stream import cast, stream, wait_for


def error(r: httpx.Response) -> tuple[int, str, str]:
    body = r.json()["error"]
    return r.status_code, body["code"], body["message"]


def test_r13_the_cancellation_preview_after_the_start_refuses_like_the_cancel(server: LiveServer) -> None:
    live = server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    start = datetime.fromisoformat(sc.meeting(token, mid)["meeting"]["start"])
    live.advance(sc.op, seconds=(start - now_of(live, sc.op)).total_seconds() + 60)  # one minute after the start
    preview = live.call(token, "GET", f"/api/meetings/{mid}/cancellation")
    cancel = live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "ill", "accept_fee": 20})
    assert preview.status_code == 409, preview.text  # no "send accept_fee: 20" that the cancel then refuses
    assert error(preview) == error(cancel)
    assert "started" in error(preview)[2]


def test_r1_someone_elses_meeting_answers_like_an_unknown_id_everywhere(server: LiveServer) -> None:
    live = server
    sc = scene(live)
    _, carl = sc.customer(100)
    mid = sc.agreed(carl)
    _, mallory = sc.customer(100)
    _, other_expert = live.register("expert", name="Otto")
    unknown = uuid.uuid4().hex
    api = [("GET", "/api/meetings/{}", None), ("GET", "/api/meetings/{}/cancellation", None),
           ("POST", "/api/meetings/{}/cancel", {"reason": "mine", "accept_fee": 20}),
           ("POST", "/api/meetings/{}/evaluation", {"answer": "went smoothly"}),
           ("POST", "/api/meetings/{}/rating", {"stars": 1}),
           ("POST", "/api/meetings/{}/reschedule", {"start": (sc.slot_start + timedelta(hours=1)).isoformat()}),
           ("GET", "/api/meetings/{}/live", None), ("GET", "/api/meetings/{}/link", None),
           ("GET", "/api/meetings/{}/attachments", None)]
    for method, path, body in api:
        theirs = live.call(mallory, method, path.format(mid), json=body)
        nothing = live.call(mallory, method, path.format(unknown), json=body)
        assert theirs.status_code == 404, (path, theirs.text)
        assert error(theirs) == tuple(x.replace(unknown, mid) if isinstance(x, str) else x for x in error(nothing))
    claim = {"amount": 5, "reason": "not mine"}
    theirs = live.call(mallory, "POST", "/api/claims", json={"session": mid, **claim})
    nothing = live.call(mallory, "POST", "/api/claims", json={"session": unknown, **claim})
    assert theirs.status_code == 404 and error(theirs)[1:] == (error(nothing)[1], error(nothing)[2].replace(unknown, mid))
    # a desktop pushing commands at it hears the same as for an id that does not exist
    for name, args in (("ApproveBooking", {}), ("CancelMeeting", {"reason": "x"}), ("OpenLink", {})):
        theirs_result = push(live, other_expert, name, meeting_id=mid, **args)
        nothing_result = push(live, other_expert, name, meeting_id=unknown, **args)
        assert theirs_result["code"] == nothing_result["code"] == "not_found", (name, theirs_result)
        assert theirs_result["message"] == nothing_result["message"].replace(unknown, mid)
    assert sc.meeting(carl, mid)["meeting"]["status"] == "Agreed"  # and nothing of theirs changed


def test_refusals_of_malformed_bodies_are_sentences_saying_what_to_fix(server: LiveServer) -> None:
    live = server
    sc = scene(live)
    _, token = sc.customer(100)
    later = (sc.slot_start + timedelta(hours=1)).isoformat()
    not_json = live.call(token, "POST", "/api/requests/scheduled", content=b"{times: [",
                         headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400, not_json.text  # as the OpenAPI document says
    status, code, message = error(not_json)
    assert code == "bad_json" and message.startswith("the body is not valid JSON: ")
    four = live.call(token, "POST", "/api/requests/scheduled", json={
        "expert": sc.expert, "mode": "video", "offer": "short", "topic": "x", "times": [later] * 4})
    assert error(four) == (422, "invalid", "times: give at most 3 times")
    wrong = live.call(token, "POST", "/api/requests/scheduled", json={
        "expert": sc.expert, "mode": "video", "offer": "short", "times": ["soon"], "colour": "red"})
    message = error(wrong)[2]
    assert "topic: it is required; give it" in message
    assert "times (item 1): give a date and time such as" in message
    assert "colour: not a known field; leave it out" in message
    for part in message.split("; "):  # the product's own sentences, never pydantic's
        assert "Input should" not in part and "Field required" not in part and "after validation" not in part


@pytest.mark.dates  # the count follows the server's clock
def test_r19_the_30s_warning_reaches_both_parties_as_a_notification(server: LiveServer) -> None:
    people = cast(server)
    _, op = server.operator()
    expert, customer = stream(server, people.expert_token), stream(server, people.customer_token)
    try:
        mid = accepted_instant(server, people)
        remaining = server.call(people.customer_token, "GET", f"/api/meetings/{mid}/live").json()["remaining_seconds"]
        server.advance(op, seconds=remaining - 25)  # inside the last 30 s: the scheduler warns
        for s in (expert, customer):
            note = wait_for(lambda s=s: [x for x in s.of("notification") if x.data["kind"] == "session_ending"],
                            10, "the warning on the stream")[0]
            assert note.data["ref"] == mid and note.data["text"].startswith("The session ends in ")
        listed = server.call(people.customer_token, "GET", "/api/notifications").json()["notifications"]
        assert [n["ref"] for n in listed if n["kind"] == "session_ending"] == [mid]  # the site's list has it too
    finally:
        expert.close()
        customer.close()
