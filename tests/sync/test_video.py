"""Video links through the real server (R17, R18): own links, the validity window, attendance, moves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .live import LiveServer
from .test_customer_api import applied, now_of, scene, titles

pytestmark = pytest.mark.dates  # the join window opens and closes with the clock


def test_r17_r18_join_records_attendance_within_the_window(any_server: LiveServer) -> None:
    live = any_server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    mine = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    theirs = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/link").json()
    assert mine["url"] != theirs["url"] and "/join/" in mine["url"]  # each participant has an own link
    assert live.call(token, "GET", f"/api/meetings/{mid}/link").json()["url"] == mine["url"]  # stable
    assert mine["valid_from"] == (sc.slot_start - timedelta(minutes=15)).isoformat()
    assert mine["valid_until"] == (sc.slot_start + timedelta(minutes=15 + 60)).isoformat()
    path = "/join/" + mine["url"].rsplit("/join/", 1)[1]
    expert_path = "/join/" + theirs["url"].rsplit("/join/", 1)[1]

    early = live.call("", "GET", path, follow_redirects=False)  # before the window: says when it opens
    assert early.status_code == 425 and early.json()["error"]["code"] == "too_early"
    assert "opens at" in early.json()["error"]["message"] and early.json()["error"]["opens_at"] == mine["valid_from"]
    page = live.call("", "GET", path, headers={"Accept": "text/html"})
    assert page.status_code == 425 and "opens at" in page.text
    assert "User attended" not in titles(sc, token, mid)

    live.advance(sc.op, seconds=(sc.slot_start - now_of(live, sc.op)).total_seconds() - 5 * 60)
    went = live.call("", "GET", path, follow_redirects=False)
    assert went.status_code == 307 and went.headers["location"].startswith("https://meet.jit.si/expertconsole-")
    assert live.call("", "GET", expert_path, follow_redirects=False).headers["location"] == went.headers["location"]
    seen = titles(sc, token, mid)
    assert "User attended" in seen and "Expert attended" in seen
    assert live.call("", "GET", path, follow_redirects=False).status_code == 307  # again: no second record
    assert titles(sc, token, mid).count("User attended") == 1

    live.advance(sc.op, hours=3)  # 60 min after the end has passed
    late = live.call("", "GET", path, follow_redirects=False)
    assert late.status_code == 410 and late.json()["error"]["code"] == "too_late"
    assert live.call("", "GET", "/join/not-a-token").status_code == 404


def test_r17_rescheduling_regenerates_links_and_old_ones_say_it_moved(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    old = server.call(token, "GET", f"/api/meetings/{mid}/link").json()
    new_start = sc.slot_start + timedelta(days=1)
    applied(server, sc.expert_token, "ProposeAlternative", meeting_id=mid, start=new_start.isoformat())
    assert server.call(token, "POST", f"/api/meetings/{mid}/alternative/approve").status_code == 200
    new = server.call(token, "GET", f"/api/meetings/{mid}/link").json()
    assert new["url"] != old["url"] and new["revision"] == old["revision"] + 1
    moved = server.call("", "GET", "/join/" + old["url"].rsplit("/join/", 1)[1], follow_redirects=False)
    assert moved.status_code == 410 and moved.json()["error"]["code"] == "meeting_moved"
    assert "get the new link" in moved.json()["error"]["message"]


def test_r17_cancelled_meeting_has_no_link(server: LiveServer) -> None:
    sc = scene(server)
    _, token = sc.customer(100)
    waiting = sc.book(token)["meeting"]["id"]
    r = server.call(token, "GET", f"/api/meetings/{waiting}/link")
    assert r.status_code == 409 and "Agreed" in r.json()["error"]["message"]
    mid = sc.agreed(token, timedelta(hours=1))
    link = server.call(token, "GET", f"/api/meetings/{mid}/link").json()["url"]
    assert server.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "no longer needed"}).status_code == 200
    gone = server.call("", "GET", "/join/" + link.rsplit("/join/", 1)[1], follow_redirects=False)
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "meeting_cancelled"
