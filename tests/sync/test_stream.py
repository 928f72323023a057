"""The live stream: pokes, notifications, keep-alives and Last-Event-ID (docs/ARCHITECTURE.md §3, R35).

Also the helpers the scheduler and notification tests share: a small SSE reader in a thread,
pushes, credits granted straight in the database, and polling with a deadline.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from consoleapp.engine import commands as c
from consoleapp.sync.server.opening import open_server

from .live import LiveServer

T = TypeVar("T")


# --- helpers ---------------------------------------------------------------------------------


def wait_for(probe: Callable[[], T], seconds: float = 10, what: str = "the condition") -> T:
    """Poll `probe` until it returns something truthy, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s (last: {value!r})")
        time.sleep(0.05)


@dataclass
class Event:
    event: str
    id: str
    data: Any


@dataclass
class Stream:
    """An SSE connection read by a thread: `events`, and the raw `comments` (keep-alives)."""

    url: str
    headers: dict[str, str]
    events: list[Event] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    status: int = 0
    error: str = ""
    _response: httpx.Response | None = None
    _client: httpx.Client | None = None

    def open(self) -> Stream:
        ready = threading.Event()
        threading.Thread(target=self._read, args=(ready,), daemon=True).start()
        assert ready.wait(10), "the stream did not open"
        assert self.status == 200, f"stream answered {self.status}: {self.error}"
        wait_for(lambda: self.comments, 5, "the stream's first comment")
        return self

    def _read(self, ready: threading.Event) -> None:
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=None))
        try:
            with self._client.stream("GET", self.url, headers=self.headers) as response:
                self._response, self.status = response, response.status_code
                if response.status_code != 200:
                    self.error = response.read().decode()
                    ready.set()
                    return
                ready.set()
                kind, ident, data = "message", "", []
                for line in response.iter_lines():
                    if line.startswith(":"):
                        self.comments.append(line[1:].strip())
                    elif line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("id:"):
                        ident = line[3:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                    elif line == "" and data:
                        self.events.append(Event(kind, ident, json.loads("\n".join(data))))
                        kind, ident, data = "message", "", []
        except Exception as exc:  # closed by the test, or the server went away
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            ready.set()

    def of(self, kind: str) -> list[Event]:
        return [e for e in list(self.events) if e.event == kind]

    @property
    def worker(self) -> str:
        first = next((x for x in self.comments if x.startswith("connected")), "")
        return first.rsplit(" ", 1)[-1]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def stream(live: LiveServer, token: str, *, query_token: bool = False, last: str = "") -> Stream:
    headers = {} if query_token else {"Authorization": f"Bearer {token}"}
    if last:
        headers["Last-Event-ID"] = last
    url = f"{live.url}/sync/stream" + (f"?token={token}" if query_token else "")
    return Stream(url, headers).open()


@dataclass
class Desk:
    """A desktop client: pushes numbered commands, pulls everything it may see."""

    live: LiveServer
    token: str
    client_id: str = field(default_factory=lambda: f"desk-{uuid.uuid4().hex[:10]}")
    seq: int = 0

    def push(self, name: str, **args: Any) -> dict[str, Any]:
        self.seq += 1
        command = {"seq": self.seq, "command_id": uuid.uuid4().hex, "name": name, "args": args}
        r = self.live.call(self.token, "POST", "/sync/push",
                           json={"client_id": self.client_id, "schema_version": 1, "commands": [command]})
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()["results"][0]
        assert result["status"] == "applied", result
        return result

    def changes(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        cursor = ""
        while True:
            r = self.live.call(self.token, "POST", "/sync/pull", json={"client_id": self.client_id, "cursor": cursor})
            assert r.status_code == 200, r.text
            body = r.json()
            out += body["changes"]
            cursor = body["cursor"]
            if not body["more"]:
                return out

    def kinds(self, ref: str = "") -> list[str]:
        return [ch["kind"] for ch in self.changes() if not ref or ch["ref"] == ref]


def grant(live: LiveServer, customer: str, amount: int = 1000) -> None:
    """Credits for a customer, run as the system straight against the server's database."""
    server = open_server(live.settings)
    try:
        server.runner.one(c.GrantCredits(actor="system", grant_id=uuid.uuid4().hex, customer=customer, amount=amount))
    finally:
        server.store.close()


def server_now(live: LiveServer, operator_token: str) -> datetime:
    r = live.call(operator_token, "GET", "/admin/clock")
    assert r.status_code == 200, r.text
    return datetime.fromisoformat(r.json()["now"])


@dataclass
class Cast:
    expert: str
    expert_token: str
    customer: str
    customer_token: str
    anna: Desk
    carl: Desk


def cast(live: LiveServer, *, expert_email: str = "", customer_email: str = "", now_slot: bool = True) -> Cast:
    """An expert with video offers (and a 'Now' slot) and a customer with 1000 credits."""
    expert, expert_token = live.register("expert", "Anna", email=expert_email)
    customer, customer_token = live.register("customer", "Carl", email=customer_email)
    anna, carl = Desk(live, expert_token), Desk(live, customer_token)
    anna.push("SetOffers", mode="video", per_minute=2, short_price=20, long_price=50)
    if now_slot:
        anna.push("AddSlot", slot_id=f"now-{uuid.uuid4().hex[:6]}", start=None)
    grant(live, customer)
    return Cast(expert, expert_token, customer, customer_token, anna, carl)


def instant(people: Cast, meeting_id: str = "") -> str:
    meeting_id = meeting_id or f"m-{uuid.uuid4().hex[:10]}"
    people.carl.push("RequestInstant", meeting_id=meeting_id, expert=people.expert, mode="video",
                     offer="short", topic="Tax return")
    return meeting_id


def booked(live: LiveServer, people: Cast, start: datetime, meeting_id: str = "") -> str:
    """A 30-minute meeting at `start`, booked on a slot and approved."""
    meeting_id = meeting_id or f"m-{uuid.uuid4().hex[:10]}"
    slot = f"slot-{meeting_id}"
    end = start + timedelta(minutes=30)
    people.anna.push("AddSlot", slot_id=slot, start=start.isoformat(), end=end.isoformat(),
                     offers=[{"mode": "video", "kind": "long", "price": 120, "minutes": 30}])
    people.carl.push("BookSlot", meeting_id=meeting_id, slot_id=slot, mode="video", offer="long",
                     start=start.isoformat(), topic="Pension plan")
    people.anna.push("ApproveBooking", meeting_id=meeting_id)
    return meeting_id


@pytest.fixture
def keepalive_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "data", env={"CONSOLEAPP_STREAM_KEEPALIVE_SECONDS": "0.3"}).start()
    try:
        yield live
    finally:
        live.stop()


# --- the stream --------------------------------------------------------------------------------


def test_stream_pokes_the_expert_when_a_customer_requests(any_server: LiveServer) -> None:
    people = cast(any_server)
    s = stream(any_server, people.expert_token)
    try:
        assert s.of("poke") == []  # no Last-Event-ID: nothing old is replayed
        mid = instant(people)
        poke = wait_for(lambda: s.of("poke"), 5, "a poke")[-1]
        assert poke.data["position"] == int(poke.id) > 0
        note = wait_for(lambda: s.of("notification"), 5, "the new-request notification")[0]
        assert note.data["kind"] == "new_request" and note.data["ref"] == mid
        assert note.data["text"] == "Instant request: Tax return" and note.data["at"]
        assert int(note.id) == note.data["position"] <= int(poke.id)
        # what the poke announces is there to pull
        assert "MeetingRequested" in people.anna.kinds(mid)
    finally:
        s.close()


def test_stream_is_scoped_to_the_caller(server: LiveServer) -> None:
    people = cast(server)
    _, stranger = server.register("expert")
    mine, theirs = stream(server, people.expert_token), stream(server, stranger)
    try:
        instant(people)
        wait_for(lambda: mine.of("poke"), 5, "the expert's poke")
        time.sleep(0.5)  # not a timing assertion: a little room for a wrong poke to show up
        assert theirs.events == []
    finally:
        mine.close()
        theirs.close()


def test_stream_accepts_the_token_as_a_query_parameter(server: LiveServer) -> None:
    people = cast(server)
    s = stream(server, people.expert_token, query_token=True)
    try:
        instant(people)
        wait_for(lambda: s.of("poke"), 5, "a poke")
    finally:
        s.close()
    anonymous = httpx.get(f"{server.url}/sync/stream", timeout=5)
    assert anonymous.status_code == 401
    wrong = httpx.get(f"{server.url}/sync/stream?token=nonsense", timeout=5)
    assert wrong.status_code == 401


def test_stream_resumes_from_last_event_id(server: LiveServer) -> None:
    people = cast(server)
    s = stream(server, people.expert_token)
    first = instant(people)
    seen = wait_for(lambda: s.of("poke"), 5, "a poke")[-1].id
    s.close()
    second = instant(people)  # while the expert is away

    again = stream(server, people.expert_token, last=seen)
    try:
        notes = wait_for(lambda: again.of("notification"), 5, "the missed notification")
        assert [n.data["ref"] for n in notes] == [second]
        poke = wait_for(lambda: again.of("poke"), 5, "the catch-up poke")[0]
        assert int(poke.id) > int(seen)
    finally:
        again.close()

    # up to date: no poke on connect
    current = stream(server, people.expert_token, last=poke.id)
    try:
        time.sleep(0.5)
        assert current.events == []
    finally:
        current.close()

    # from the start: every notification so far, then a poke
    everything = stream(server, people.expert_token, last="0")
    try:
        wait_for(lambda: everything.of("poke"), 5, "a poke")
        assert [n.data["ref"] for n in everything.of("notification")] == [first, second]
    finally:
        everything.close()
    bad = httpx.get(f"{server.url}/sync/stream", headers={"Authorization": f"Bearer {people.expert_token}",
                                                          "Last-Event-ID": "abc"}, timeout=5)
    assert bad.status_code == 422


def test_stream_sends_keep_alives(keepalive_server: LiveServer) -> None:
    _, token = keepalive_server.register("expert")
    s = stream(keepalive_server, token)
    try:
        wait_for(lambda: s.comments.count("keep-alive") >= 2, 5, "two keep-alives")
    finally:
        s.close()


def test_a_closed_stream_leaves_the_hub(server: LiveServer) -> None:
    """Many idle streams open and close; the server keeps answering and pokes the live ones."""
    people = cast(server)
    idle = [stream(server, people.customer_token) for _ in range(30)]
    for s in idle:
        s.close()
    watcher = stream(server, people.expert_token)
    try:
        instant(people)
        wait_for(lambda: watcher.of("poke"), 5, "a poke after many closed streams")
    finally:
        watcher.close()


def test_notifications_endpoint_lists_the_callers_notifications(server: LiveServer) -> None:
    people = cast(server)
    first, second = instant(people), instant(people)
    r = server.call(people.expert_token, "GET", "/sync/notifications")
    assert r.status_code == 200, r.text
    notes = r.json()
    assert [n["ref"] for n in notes] == [first, second]
    assert {n["kind"] for n in notes} == {"new_request"}
    later = server.call(people.expert_token, "GET", "/sync/notifications", params={"after": notes[0]["position"]}).json()
    assert [n["ref"] for n in later] == [second]
    assert server.call(people.customer_token, "GET", "/sync/notifications").json() == []
    assert server.call("", "GET", "/sync/notifications").status_code == 401


def test_open_streams_end_when_the_server_stops(server: LiveServer) -> None:
    _, token = server.register("expert")
    streams = [stream(server, token) for _ in range(3)]
    started = time.monotonic()
    server.stop()  # SIGTERM; stop() would SIGKILL after 10 s if the streams held the server up
    assert server.process is not None and server.process.returncode in (0, -15)  # not SIGKILLed
    assert time.monotonic() - started < 8
    for s in streams:
        s.close()
