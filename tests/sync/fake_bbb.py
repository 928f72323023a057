"""A stand-in BigBlueButton server on 127.0.0.1 for the tests: it checks every call's checksum
(`sha1(call + query + secret)`) as BigBlueButton does, keeps the meetings it was asked to create,
and answers in BigBlueButton's XML. `down` makes it answer 500; `secret` can be changed to play
a server configured with another secret."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    name: str
    params: dict[str, str]
    ok: bool


@dataclass
class FakeBBB:
    secret: str
    down: bool = False
    calls: list[Call] = field(default_factory=list)
    meetings: dict[str, dict[str, str]] = field(default_factory=dict)  # meetingID -> create's parameters
    ended: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/bigbluebutton/"

    def named(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.name == name]

    def start(self) -> FakeBBB:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                status, body = fake.answer(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, path: str) -> tuple[int, str]:
        if self.down:
            return 500, "<html>Internal Server Error</html>"
        parts = urlsplit(path)
        name = parts.path.rsplit("/", 1)[-1]
        query, _, checksum = parts.query.rpartition("&checksum=")
        params = dict(parse_qsl(query, keep_blank_values=True))
        ok = hashlib.sha1(f"{name}{query}{self.secret}".encode()).hexdigest() == checksum
        self.calls.append(Call(name, params, ok))
        if not ok:
            return 200, failed("checksumError", "You did not pass the checksum security check")
        meeting = self.meetings.get(params.get("meetingID", ""))
        if name == "create":
            if meeting is None:
                self.meetings[params["meetingID"]] = params
            elif (meeting["attendeePW"], meeting["moderatorPW"]) != (params["attendeePW"], params["moderatorPW"]):
                return 200, failed("idNotUnique", "A meeting already exists with that meeting ID")
            return 200, success(f"<meetingID>{params['meetingID']}</meetingID>")
        if meeting is None:
            return 200, failed("notFound", "We could not find a meeting with that meeting ID")
        if name == "join":
            if params["password"] not in (meeting["attendeePW"], meeting["moderatorPW"]):
                return 200, failed("invalidPassword", "The password you submitted is not valid")
            role = "MODERATOR" if params["password"] == meeting["moderatorPW"] else "VIEWER"
            return 200, success(f"<role>{role}</role>")
        if name == "end":
            if params.get("password") != meeting["moderatorPW"]:
                return 200, failed("invalidPassword", "You must supply the moderator password for this call")
            del self.meetings[params["meetingID"]]
            self.ended.append(params["meetingID"])
            return 200, success("<messageKey>sentEndMeetingRequest</messageKey>")
        return 200, failed("unsupportedRequest", "This request is not supported")


def success(more: str) -> str:
    return f"<response><returncode>SUCCESS</returncode>{more}</response>"


def failed(key: str, message: str) -> str:
    return f"<response><returncode>FAILED</returncode><messageKey>{key}</messageKey><message>{message}</message></response>"
