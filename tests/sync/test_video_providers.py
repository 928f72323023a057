"""The video providers through the real server (R17, R18): BigBlueButton against a local fake that
checks every signature, Jitsi's per-participant JWT, the expert's personal room, and start-up
refusing a provider without its settings. The window and attendance stay the engine's."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import jwt
import pytest
import sqlalchemy as sa

from consoleapp.sync.server.admin import login_link
from consoleapp.sync.server.cli import main
from consoleapp.sync.server.opening import open_server

from .fake_bbb import FakeBBB
from .live import LiveServer
from .test_customer_api import Scene, applied, now_of, push, titles

UNAVAILABLE = "the video service did not answer; try again in a minute"


def _server(tmp: Path, env: dict[str, str]) -> Iterator[LiveServer]:
    live = LiveServer(tmp / "data", env=env).start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def bbb() -> Iterator[FakeBBB]:
    fake = FakeBBB("bbb-shared-secret").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def bbb_server(tmp_path_factory: pytest.TempPathFactory, bbb: FakeBBB) -> Iterator[LiveServer]:
    yield from _server(tmp_path_factory.mktemp("bbb"), {
        "CONSOLEAPP_VIDEO_PROVIDER": "bbb", "CONSOLEAPP_BBB_URL": bbb.url, "CONSOLEAPP_BBB_SECRET": bbb.secret})


def scene(live: LiveServer) -> Scene:
    """An expert (Anna K) with video offers and a 4 h slot 72 h ahead; slot ids differ, so one server serves many."""
    _, op = live.operator()
    expert, token = live.register("expert", name="Anna")
    slug, slot = f"anna-{uuid.uuid4().hex[:6]}", f"slot-{uuid.uuid4().hex[:8]}"
    applied(live, token, "UpdateProfile", name="Anna K", specialty="Tax law", time_zone="Europe/Paris", slug=slug)
    applied(live, token, "SetOffers", mode="video", short_price=40, long_price=70)
    start = (now_of(live, op) + timedelta(hours=72)).replace(second=0, microsecond=0)
    applied(live, token, "AddSlot", slot_id=slot, start=start.isoformat(), end=(start + timedelta(hours=4)).isoformat())
    return Scene(live, op, expert, token, slug, slot, start)


def path_of(link: dict[str, str]) -> str:
    return "/join/" + link["url"].rsplit("/join/", 1)[1]


def into_window(sc: Scene) -> None:
    """Five minutes before the slot's start: the R17 window (15 min before) is open."""
    sc.live.advance(sc.op, seconds=(sc.slot_start - now_of(sc.live, sc.op)).total_seconds() - 5 * 60)


def links_stored(live: LiveServer, meeting_id: str) -> int:
    engine = sa.create_engine(live.settings.url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM video_links WHERE meeting_id = :m"),
                                    {"m": meeting_id}).scalar_one())
    finally:
        engine.dispose()


@contextlib.contextmanager
def browser_of(live: LiveServer, person: str) -> Iterator[httpx.Client]:
    """A browser session of `person` for the site's pages, through a one-time login link."""
    engine = sa.create_engine(live.settings.url)
    try:
        with engine.connect() as conn:
            email = conn.execute(sa.text("SELECT email FROM users WHERE id = :id"), {"id": person}).scalar_one()
    finally:
        engine.dispose()
    server = open_server(live.settings)
    try:
        code, _ = login_link(server, email)
    finally:
        server.store.close()
    with httpx.Client(base_url=live.url, follow_redirects=True, timeout=30) as client:
        assert client.get("/login/link", params={"code": code, "next": "/me/meetings"}).status_code == 200
        yield client


# --- BigBlueButton -------------------------------------------------------------------------------------


def test_r17_r18_bbb_creates_on_first_link_joins_signed_per_participant(bbb_server: LiveServer, bbb: FakeBBB) -> None:
    live = bbb_server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    room = f"ec-{mid}-r1"
    mine = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    created = [c for c in bbb.named("create") if c.params["meetingID"] == room]
    assert len(created) == 1 and created[0].ok and "Anna K" in created[0].params["name"]
    theirs = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/link").json()
    assert len([c for c in bbb.named("create") if c.params["meetingID"] == room]) == 1  # one room per revision

    early = live.call("", "GET", path_of(mine), follow_redirects=False)  # R17: the window is ours
    assert early.status_code == 425 and not [c for c in bbb.named("join") if c.params.get("meetingID") == room]

    into_window(sc)
    went = live.call("", "GET", path_of(mine), follow_redirects=False)
    assert went.status_code == 307
    join = dict(parse_qsl(urlsplit(went.headers["location"]).query))
    assert went.headers["location"].startswith(bbb.url + "api/join?")
    assert (join["fullName"], join["meetingID"], join["redirect"]) == ("Carl", room, "true")
    assert join["password"] == bbb.meetings[room]["attendeePW"]
    assert "VIEWER" in httpx.get(went.headers["location"]).text  # the fake checks the signature and the password
    expert = live.call("", "GET", path_of(theirs), follow_redirects=False).headers["location"]
    assert "MODERATOR" in httpx.get(expert).text and dict(parse_qsl(urlsplit(expert).query))["fullName"] == "Anna K"
    # The signature covers the role: the customer cannot make themselves moderator.
    forged = went.headers["location"].replace(join["password"], bbb.meetings[room]["moderatorPW"])
    assert "checksumError" in httpx.get(forged).text
    refused = [c for c in bbb.calls if c.params.get("meetingID") == room and not c.ok]
    assert [c.params["password"] for c in refused] == [bbb.meetings[room]["moderatorPW"]]  # only the forgery
    seen = titles(sc, token, mid)
    assert "User attended" in seen and "Expert attended" in seen


def test_r17_bbb_move_and_cancel_end_the_old_room(bbb_server: LiveServer, bbb: FakeBBB) -> None:
    live = bbb_server
    sc = scene(live)
    _, token = sc.customer(200)
    mid = sc.agreed(token)
    live.call(token, "GET", f"/api/meetings/{mid}/link")
    applied(live, sc.expert_token, "ProposeAlternative", meeting_id=mid, start=(sc.slot_start + timedelta(days=1)).isoformat())
    assert live.call(token, "POST", f"/api/meetings/{mid}/alternative/approve").status_code == 200
    assert f"ec-{mid}-r1" in bbb.ended and f"ec-{mid}-r1" not in bbb.meetings
    new = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    assert new["revision"] == 2 and f"ec-{mid}-r2" in bbb.meetings
    assert live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "no longer needed"}).status_code == 200
    assert f"ec-{mid}-r2" in bbb.ended
    assert [c.ok for c in bbb.named("end") if mid in c.params["meetingID"]] == [True, True]


def test_r17_bbb_not_answering_gives_503_and_records_nothing(bbb_server: LiveServer, bbb: FakeBBB) -> None:
    live = bbb_server
    sc = scene(live)
    _, token = sc.customer(200)
    mid = sc.agreed(token)
    bbb.secret = "another-secret"  # a BigBlueButton that refuses our checksums
    try:
        refused = live.call(token, "GET", f"/api/meetings/{mid}/link")
    finally:
        bbb.secret = "bbb-shared-secret"
    assert refused.status_code == 503 and refused.json()["error"]["message"] == UNAVAILABLE
    assert links_stored(live, mid) == 0 and f"ec-{mid}-r1" not in bbb.meetings

    link = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    other = sc.agreed(token, timedelta(hours=2))
    live.call(token, "GET", f"/api/meetings/{other}/link")
    into_window(sc)
    bbb.down = True
    try:
        down = live.call("", "GET", path_of(link), follow_redirects=False)
        page = live.call("", "GET", path_of(link), headers={"Accept": "text/html"})
        assert "User attended" not in titles(sc, token, mid)  # no room to go to: no attendance either
        # The expert cancels the other meeting: applied, although its room cannot be ended now.
        cancelled = push(live, sc.expert_token, "CancelMeeting", meeting_id=other, reason="I am ill")
    finally:
        bbb.down = False
    assert down.status_code == 503 and down.json()["error"] == {"code": "video_unavailable", "message": UNAVAILABLE}
    assert page.status_code == 503 and "try again in a minute" in page.text
    assert cancelled["status"] == "applied" and sc.meeting(token, other)["meeting"]["status"] == "Cancelled"
    assert f"ec-{other}-r1" not in bbb.ended
    assert live.call("", "GET", path_of(link), follow_redirects=False).status_code == 307
    assert "User attended" in titles(sc, token, mid)


# --- Jitsi ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jitsi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from _server(tmp_path_factory.mktemp("jitsi"), {
        "CONSOLEAPP_JITSI_URL": "https://meet.example.com/", "CONSOLEAPP_JITSI_APP_ID": "expert-console",
        "CONSOLEAPP_JITSI_SECRET": "jitsi-shared-secret-of-32-bytes-at-least"})


def test_r17_jitsi_room_is_unguessable_and_each_participant_gets_a_signed_token(jitsi_server: LiveServer) -> None:
    live = jitsi_server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    mine = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    theirs = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/link").json()
    into_window(sc)
    customer = urlsplit(live.call("", "GET", path_of(mine), follow_redirects=False).headers["location"])
    expert = urlsplit(live.call("", "GET", path_of(theirs), follow_redirects=False).headers["location"])
    assert customer.netloc == expert.netloc == "meet.example.com" and customer.path == expert.path  # one room
    room = customer.path.lstrip("/")
    assert re.fullmatch(r"expertconsole-[0-9a-f]{32}", room) and mid not in room

    def claims(url: str, secret: str = "jitsi-shared-secret-of-32-bytes-at-least") -> dict[str, object]:
        found: dict[str, object] = jwt.decode(dict(parse_qsl(url))["jwt"], secret, algorithms=["HS256"],
                                              audience="jitsi", options={"verify_exp": False})
        return found

    mine_claims, expert_claims = claims(customer.query), claims(expert.query)
    closes = datetime.fromisoformat(mine["valid_until"])
    assert {k: mine_claims[k] for k in ("aud", "iss", "sub", "room", "exp")} == {
        "aud": "jitsi", "iss": "expert-console", "sub": "meet.example.com", "room": room, "exp": int(closes.timestamp())}
    assert mine_claims["context"] == {"user": {"id": mine_claims["context"]["user"]["id"],  # type: ignore[index]
                                               "name": "Carl", "moderator": False}}
    assert expert_claims["context"]["user"]["name"] == "Anna K"  # type: ignore[index]
    assert expert_claims["context"]["user"]["moderator"] is True  # type: ignore[index]
    with pytest.raises(jwt.InvalidSignatureError):
        claims(customer.query, secret="not-the-secret-but-as-long-as-the-real-one")


def test_r17_a_room_address_kept_by_an_earlier_version_gets_a_room_of_the_provider(jitsi_server: LiveServer) -> None:
    live = jitsi_server
    sc = scene(live)
    _, token = sc.customer(100)
    mid = sc.agreed(token)
    mine = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    theirs = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/link").json()
    engine = sa.create_engine(live.settings.url)
    try:
        with engine.begin() as conn:  # as the placeholder provider of earlier versions left them
            conn.execute(sa.text("UPDATE video_links SET room = 'https://meet.example.org/room/x' WHERE meeting_id = :m"),
                         {"m": mid})
        into_window(sc)
        went = urlsplit(live.call("", "GET", path_of(mine), follow_redirects=False).headers["location"])
        expert = urlsplit(live.call("", "GET", path_of(theirs), follow_redirects=False).headers["location"])
        assert went.netloc == "meet.example.com" and went.path == expert.path
        assert re.fullmatch(r"/expertconsole-[0-9a-f]{32}", went.path)  # a Jitsi room, not the old address
        with engine.connect() as conn:
            rooms = conn.execute(sa.text("SELECT DISTINCT room FROM video_links WHERE meeting_id = :m"), {"m": mid})
            assert [r for (r,) in rooms] == [went.path.lstrip("/")]
    finally:
        engine.dispose()


# --- personal room --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def personal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from _server(tmp_path_factory.mktemp("personal"), {"CONSOLEAPP_VIDEO_PROVIDER": "personal"})


def test_r17_personal_room_is_the_experts_own_link(personal_server: LiveServer) -> None:
    live = personal_server
    sc = scene(live)
    carl, token = sc.customer(100)
    mid = sc.agreed(token)
    none = live.call(token, "GET", f"/api/meetings/{mid}/link")
    assert none.status_code == 409 and none.json()["error"]["message"] == "this expert has not set a meeting room link yet"
    assert links_stored(live, mid) == 0
    with browser_of(live, carl) as browser:  # the meeting page says why there is no link yet
        page = browser.get(f"/me/meetings/{mid}")
    assert page.status_code == 200 and "This expert has not set a meeting room link yet" in page.text

    profile = {"name": "Anna K", "specialty": "Tax law", "time_zone": "Europe/Paris", "slug": sc.slug}
    bad = push(live, sc.expert_token, "UpdateProfile", **profile, room_url="http://zoom.us/j/1")
    assert bad["status"] == "rejected" and "https://" in bad["message"]
    applied(live, sc.expert_token, "UpdateProfile", **profile, room_url="https://zoom.us/j/123456789")
    link = live.call(token, "GET", f"/api/meetings/{mid}/link").json()
    assert live.call("", "GET", path_of(link), follow_redirects=False).status_code == 425  # the window is ours
    into_window(sc)
    went = live.call("", "GET", path_of(link), follow_redirects=False)
    assert went.status_code == 307 and went.headers["location"] == "https://zoom.us/j/123456789"
    assert "User attended" in titles(sc, token, mid)
    # A link the expert changes reaches the meetings already agreed.
    applied(live, sc.expert_token, "UpdateProfile", **profile, room_url="https://meet.google.com/abc-defg-hij")
    assert live.call("", "GET", path_of(link), follow_redirects=False).headers["location"] == "https://meet.google.com/abc-defg-hij"


# --- start-up -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "named"), [
    ({"CONSOLEAPP_VIDEO_PROVIDER": "bbb"}, "CONSOLEAPP_BBB_URL"),
    ({"CONSOLEAPP_VIDEO_PROVIDER": "bbb", "CONSOLEAPP_BBB_URL": "https://bbb.example.com/bigbluebutton/"},
     "CONSOLEAPP_BBB_SECRET"),
    ({"CONSOLEAPP_JITSI_APP_ID": "expert-console"}, "CONSOLEAPP_JITSI_SECRET"),
    ({"CONSOLEAPP_JITSI_URL": "meet.example.com"}, "CONSOLEAPP_JITSI_URL"),
    ({"CONSOLEAPP_VIDEO_PROVIDER": "zoom"}, "CONSOLEAPP_VIDEO_PROVIDER"),
])
def test_r17_start_up_refuses_a_provider_without_its_settings(env: dict[str, str], named: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONSOLEAPP_DATA_DIR", str(tmp_path / "data"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("consoleapp-server: error: ") and named in said and said.count("\n") == 1
    assert not (tmp_path / "data").exists()  # refused before anything was made
