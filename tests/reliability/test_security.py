"""Security checks over every endpoint the server lists in its own /openapi.json (R1, R21).

- Other people's ids (a second customer's and another expert's view of a meeting, claim,
  attachment, payout, slot, client id) are refused with 403/404, and no answer ever carries
  their data; nothing of theirs changes.
- Operator-only actions refuse customers and experts; each role's endpoints refuse the others.
- No token, a forged one (random, truncated, extended, the stored hash, Basic, a JWT, a reset
  code), a revoked one (after logout) and an expired one (the clock moved past
  CONSOLEAPP_TOKEN_HOURS) all get 401 wherever a login is needed.
- Guessing passwords gets 429 after the configured attempts, per email and per address, and
  also when the guesses arrive all at once (they got through in parallel on PostgreSQL).
- Attachment names and ids with `../`, encoded variants and absolute paths never read or write
  outside the data folder; oversize bodies get 413 (also when sent chunked, without a length)
  and leave nothing on disk.

A new endpoint is covered without editing this file: the sweeps walk the OpenAPI document. One
test insists that each endpoint's audience is written down in `AUDIENCE`, so a new route needs
one deliberate line saying who may call it.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import itertools
import json
import re
import secrets
import socket
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from consoleapp.engine.model import Answer, DeclineReason
from consoleapp.store.codec import command_types, hints
from consoleapp.sync.server.admin import reset_password
from consoleapp.sync.server.commands import SCHEDULER_ONLY
from consoleapp.sync.server.opening import open_server
from tests.store.conftest import _pg_schema
from tests.sync.live import LiveServer
from tests.sync.test_customer_api import Scene, applied, finish, now_of, push, scene

from .crash import operator_token

Endpoint = tuple[str, str]  # (method, path template) as the OpenAPI document names it

PUBLIC, ANY_USER, CLIENT, CUSTOMER, EXPERT, OPERATOR = "public", "any user", "client", "customer", "expert", "operator"
ROLES = {CUSTOMER: {"customer"}, EXPERT: {"expert"}, OPERATOR: {"operator"}, CLIENT: {"customer", "expert"},
         ANY_USER: {"customer", "expert", "operator"}}

# Who may call each endpoint. A route missing here fails test_every_endpoint_has_a_written_audience.
AUDIENCE: dict[Endpoint, str] = {
    ("GET", "/health"): PUBLIC, ("GET", "/policy"): PUBLIC,
    ("POST", "/auth/register"): PUBLIC, ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/reset/request"): PUBLIC, ("POST", "/auth/reset/confirm"): PUBLIC,
    ("GET", "/e/{slug}"): PUBLIC, ("GET", "/api/experts"): PUBLIC, ("GET", "/api/experts/{expert}"): PUBLIC,
    ("GET", "/join/{token}"): PUBLIC,  # the link's token is the credential (R18)
    ("GET", "/calendar/{token}.ics"): PUBLIC,  # likewise the calendar feed's
    ("GET", "/api/events"): PUBLIC, ("GET", "/api/events/{event_id}"): PUBLIC,  # a token adds the caller's registration
    ("POST", "/auth/logout"): ANY_USER, ("GET", "/auth/me"): ANY_USER,
    ("GET", "/api/notifications"): ANY_USER, ("GET", "/sync/notifications"): ANY_USER,
    ("GET", "/sync/stream"): ANY_USER, ("GET", "/api/meetings/{meeting_id}/link"): ANY_USER,
    ("GET", "/api/calendar"): ANY_USER, ("POST", "/api/calendar/reset"): ANY_USER,
    ("PUT", "/api/meetings/{meeting_id}/attachments/{attachment_id}"): ANY_USER,
    ("GET", "/api/meetings/{meeting_id}/attachments/{attachment_id}"): ANY_USER,
    ("GET", "/api/meetings/{meeting_id}/attachments"): ANY_USER,
    ("POST", "/sync/push"): CLIENT, ("POST", "/sync/pull"): CLIENT,
    ("GET", "/api/meetings/{meeting_id}/live"): CLIENT, ("POST", "/api/meetings/{meeting_id}/chat"): CLIENT,
    ("POST", "/api/meetings/{meeting_id}/connection"): CLIENT,
    ("POST", "/api/bookings"): CUSTOMER, ("POST", "/api/requests/instant"): CUSTOMER,
    ("POST", "/api/requests/scheduled"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/confirm"): CUSTOMER, ("POST", "/api/meetings/{meeting_id}/reject"): CUSTOMER,
    ("GET", "/api/meetings/{meeting_id}/cancellation"): CUSTOMER, ("POST", "/api/meetings/{meeting_id}/cancel"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/reschedule"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/alternative/approve"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/alternative/reject"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/alternative/withdraw"): CUSTOMER,
    ("POST", "/api/meetings/{meeting_id}/evaluation"): CUSTOMER, ("POST", "/api/meetings/{meeting_id}/rating"): CUSTOMER,
    ("PUT", "/api/experts/{expert}/review"): CUSTOMER,
    ("GET", "/api/claims"): CUSTOMER, ("POST", "/api/claims"): CUSTOMER, ("GET", "/api/claims/{claim_id}"): CUSTOMER,
    ("GET", "/api/meetings"): CUSTOMER, ("GET", "/api/meetings/{meeting_id}"): CUSTOMER, ("GET", "/api/wallet"): CUSTOMER,
    ("POST", "/api/events/{event_id}/registration"): CUSTOMER, ("GET", "/api/events/{event_id}/cancellation"): CUSTOMER,
    ("POST", "/api/events/{event_id}/registration/cancel"): CUSTOMER, ("POST", "/api/events/{event_id}/join"): CUSTOMER,
    ("GET", "/api/payouts"): EXPERT, ("GET", "/api/payouts/{payout_id}/statement.{fmt}"): EXPERT,
    ("GET", "/operator/reviews"): OPERATOR, ("POST", "/operator/meetings/{meeting_id}/decision"): OPERATOR,
    ("POST", "/operator/claims/{claim_id}/decision"): OPERATOR, ("GET", "/operator/flagged"): OPERATOR,
    ("GET", "/operator/users"): OPERATOR, ("POST", "/operator/users/{person}/close"): OPERATOR,
    ("POST", "/operator/grants"): OPERATOR, ("POST", "/operator/payouts"): OPERATOR, ("GET", "/operator/payouts"): OPERATOR,
    ("GET", "/operator/payouts/{payout_id}/statement.{fmt}"): OPERATOR, ("GET", "/operator/payouts/{day}/sepa.xml"): OPERATOR,
    ("POST", "/api/payments"): CUSTOMER, ("GET", "/api/payments"): CUSTOMER,
    ("GET", "/api/payments/{payment_id}"): CUSTOMER,
    ("GET", "/operator/payments"): OPERATOR, ("POST", "/operator/payments/{payment_id}/received"): OPERATOR,
    ("POST", "/webhooks/stripe"): PUBLIC,  # Stripe's signature is the credential (payments/stripe_checkout.py)
    ("GET", "/operator/promos"): OPERATOR, ("POST", "/operator/promos"): OPERATOR,
    ("POST", "/operator/promos/{code}/end"): OPERATOR,
    ("GET", "/admin/status"): OPERATOR, ("GET", "/admin/clock"): OPERATOR, ("POST", "/admin/clock"): OPERATOR,
}
# Not swept with a *valid* token: logging out would end the caller's own session mid-sweep,
# and a stream never ends by itself (the stream's own filtering is tests/sync/test_stream.py's).
NOT_SWEPT = {("POST", "/auth/logout"), ("GET", "/sync/stream")}
METHODS = {"get", "put", "post", "delete", "patch"}

SECRET_TOPIC = "topic-only-carl-may-see-7f3a"
SECRET_REASON = "claim-reason-only-carl-may-see-c41d"
SECRET_BYTES = b"attachment bytes only carl and anna may read 9e02"
SECRET_NAME = "carl-private-notes-2b7e.txt"
PLANTED = b"PLANTED-OUTSIDE-THE-STORAGE-5d1c"
LIMIT = 64 * 1024  # attachments on the swept server
BODY_LIMIT = 128 * 1024  # every other body there
ATTEMPTS, WINDOW = 4, 600  # failed logins allowed per email and per address, in this many seconds
GUARDS = {"CONSOLEAPP_MAX_ATTACHMENT_BYTES": str(LIMIT), "CONSOLEAPP_MAX_BODY_BYTES": str(BODY_LIMIT),
          "CONSOLEAPP_LOGIN_ATTEMPTS": str(ATTEMPTS), "CONSOLEAPP_LOGIN_WINDOW_SECONDS": str(WINDOW),
          "CONSOLEAPP_PLATFORM_IBAN": "DE89370400440532013000"}  # so the customer can ask to buy credits
DB_FILES = re.compile(r"^consoleapp\.db(-wal|-shm|-journal)?$")


# --- the world: a customer and an expert with private things, and two strangers -------------------


@dataclass
class Victims:
    live: LiveServer
    sc: Scene
    customer: str
    customer_token: str
    meeting: str
    claim: str
    attachment: str
    digest: str
    payout: str
    link_token: str
    client_id: str  # the expert's desktop (tests.sync.test_customer_api.push names it so)
    stranger: str  # a second customer
    stranger_token: str
    other_expert: str
    other_expert_token: str
    event: str = ""  # a group event the customer registered for (R28): public, the registration is not
    payment: str = ""  # the customer's request to buy credits, and its reference
    reference: str = ""

    @property
    def secrets(self) -> set[str]:
        """What no stranger may ever read back (ids included: knowing them is the first step)."""
        return {self.meeting, self.claim, self.customer, self.digest, SECRET_TOPIC, SECRET_REASON, SECRET_NAME,
                self.payout, self.link_token, SECRET_BYTES.decode(), self.payment, self.reference}


def _next_payday(now: datetime) -> date:
    d = now.date() + timedelta(days=1)
    while d.day not in (1, 16):
        d += timedelta(days=1)
    return d


def build(live: LiveServer) -> Victims:
    sc = scene(live)
    carl, token = sc.customer(200)
    event = f"event-{uuid.uuid4().hex[:8]}"
    starts = now_of(live, sc.op) + timedelta(days=40)  # after the payout day the world is moved to
    applied(live, sc.expert_token, "CreateGroupEvent", event_id=event, title="Workshop", start=starts.isoformat(),
            end=(starts + timedelta(hours=1)).isoformat(), price=30, min_participants=1, max_participants=5)
    assert live.call(token, "POST", f"/api/events/{event}/registration").status_code == 201
    applied(live, sc.expert_token, "SetPayoutProfile", legal_name="Anna K", billing_address="1 Main St",
            tax_id="DE136695976", bank_account="DE89370400440532013000")
    mid = sc.book(token, offer="long", topic=SECRET_TOPIC)["meeting"]["id"]
    applied(live, sc.expert_token, "ApproveBooking", meeting_id=mid)
    link = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/link")
    assert link.status_code == 200, link.text
    # An id no other string of the world contains: "a-1" was inside one slug in sixteen
    # ("anna-1f…"), and the sweep took the public profile for a leak of it.
    attachment = f"attachment-{uuid.uuid4().hex[:8]}"
    up = live.call(token, "PUT", f"/api/meetings/{mid}/attachments/{attachment}", params={"name": SECRET_NAME},
                   content=SECRET_BYTES, headers={"Content-Type": "application/octet-stream"})
    assert up.status_code == 201, up.text
    finish(sc, mid)
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    claim = live.call(token, "POST", "/api/claims", json={"session": mid, "amount": 5, "reason": SECRET_REASON})
    assert claim.status_code == 201, claim.text
    now = now_of(live, sc.op)
    day = _next_payday(now)
    live.advance(sc.op, seconds=(datetime(day.year, day.month, day.day, 12, tzinfo=now.tzinfo) - now).total_seconds())
    ran = live.call(sc.op, "POST", "/operator/payouts", json={"day": day.isoformat()})
    assert ran.status_code == 200 or ran.json()["error"]["code"] == "already_exists", ran.text  # the scheduler may have run it
    [payout] = [p["id"] for p in live.call(sc.expert_token, "GET", "/api/payouts").json()["payouts"]]
    stranger, stranger_token = sc.customer(0)
    other, other_token = live.register("expert")
    bought = live.call(token, "POST", "/api/payments", json={"credits": 7})
    assert bought.status_code == 201, bought.text
    return Victims(live, sc, carl, token, mid, claim.json()["claim"]["id"], attachment, up.json()["attachment"]["digest"],
                   payout, link.json()["url"].rsplit("/", 1)[1], f"desk-{sc.expert_token[:12]}",
                   stranger, stranger_token, other, other_token, event, bought.json()["id"], bought.json()["reference"])


@pytest.fixture(scope="module")
def victims(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Victims]:
    base = tmp_path_factory.mktemp("security")
    live = LiveServer(base / "data", env=GUARDS).start()
    try:
        yield build(live)
    finally:
        live.stop()


# --- requests built from the OpenAPI document ---------------------------------------------------------


def openapi(live: LiveServer) -> dict[str, Any]:
    r = httpx.get(f"{live.url}/openapi.json", timeout=30)
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    return doc


def endpoints(doc: dict[str, Any]) -> list[Endpoint]:
    return sorted((m.upper(), p) for p, ops in doc["paths"].items() for m in ops if m in METHODS)


def needs_login(doc: dict[str, Any], endpoint: Endpoint) -> bool:
    method, path = endpoint
    return bool(doc["paths"][path][method.lower()].get("security"))


@dataclass
class Call:
    method: str
    url: str
    params: dict[str, str]
    json: Any = None
    content: bytes | None = None
    # The body offers the victims' id for a *new* thing (a booking under their meeting's id):
    # any refusal will do, e.g. the expert being unavailable is judged before the id.
    proposes: bool = False

    def text(self) -> str:
        return f"{urllib.parse.unquote(self.url)} {self.params} {json.dumps(self.json)}"

    def send(self, client: httpx.Client, headers: dict[str, str] | None = None) -> httpx.Response:
        extra = {"Content-Type": "application/octet-stream"} if self.content is not None else {}
        # Streamed, so an endpoint that answers with an endless stream hands back its status and is closed.
        with client.stream(self.method, self.url, params=self.params, json=self.json, content=self.content,
                           headers={**extra, **(headers or {})}) as r:
            if not r.headers.get("content-type", "").startswith("text/event-stream"):
                r.read()
            return r


def calls(doc: dict[str, Any], endpoint: Endpoint, v: Victims | None, own_client: str = "") -> list[Call]:
    """Well-formed requests for `endpoint`, naming the victims' things wherever an id goes."""
    method, template = endpoint
    later = (datetime.now().astimezone() + timedelta(days=400)).replace(microsecond=0).isoformat()
    later_still = (datetime.now().astimezone() + timedelta(days=800)).replace(microsecond=0).isoformat()
    ids = {"meeting_id": v.meeting, "claim_id": v.claim, "attachment_id": v.attachment, "payout_id": v.payout,
           "fmt": "csv", "expert": v.sc.expert, "slug": v.sc.slug, "person": v.customer,
           "token": v.link_token, "event_id": v.event, "payment_id": v.payment} if v else {}
    url = re.sub(r"\{(\w+)\}", lambda m: urllib.parse.quote(ids.get(m.group(1), "some-id"), safe=""), template)
    operation = doc["paths"][template][method.lower()]
    params = {p["name"]: QUERY.get(p["name"], "x") for p in operation.get("parameters", [])
              if p["in"] == "query" and p.get("required")}
    if endpoint == ("PUT", "/api/meetings/{meeting_id}/attachments/{attachment_id}"):
        return [Call(method, url, params, content=b"a stranger's bytes")]
    if "requestBody" not in operation:
        return [Call(method, url, params)]
    if v is None:
        return [Call(method, url, params, json={})]
    meeting, claim = v.meeting, v.claim
    bodies: dict[Endpoint, list[Any]] = {
        ("POST", "/sync/push"): [
            {"client_id": v.client_id, "schema_version": 1, "commands": [  # the expert's own desktop id
                {"seq": 1, "command_id": uuid.uuid4().hex, "name": "SetOffers", "args": {"mode": "chat", "per_minute": 9}}]},
            {"client_id": own_client, "schema_version": 1, "commands": attacks(v)}],
        ("POST", "/sync/pull"): [{"client_id": v.client_id, "cursor": ""}, {"client_id": own_client, "cursor": ""}],
        ("POST", "/api/bookings"): [{"slot_id": v.sc.slot, "mode": "video", "offer": "short", "start": later,
                                     "topic": "x", "meeting_id": meeting}],
        ("POST", "/api/requests/instant"): [{"expert": v.sc.expert, "mode": "video", "offer": "short", "topic": "x",
                                             "meeting_id": meeting}],
        ("POST", "/api/requests/scheduled"): [{"expert": v.sc.expert, "mode": "video", "offer": "short", "topic": "x",
                                               "times": [later], "meeting_id": meeting}],
        ("POST", "/api/meetings/{meeting_id}/reject"): [{"reason": DeclineReason.OTHER.value}],
        ("POST", "/api/meetings/{meeting_id}/cancel"): [{"reason": "mine now", "accept_fee": 35}],
        ("POST", "/api/meetings/{meeting_id}/reschedule"): [{"start": later}],
        ("POST", "/api/meetings/{meeting_id}/alternative/reject"): [{"reason": "no"}],
        ("POST", "/api/meetings/{meeting_id}/evaluation"): [{"answer": Answer.OTHER_PARTY.value}],
        ("POST", "/api/meetings/{meeting_id}/rating"): [{"stars": 1}],
        ("POST", "/api/meetings/{meeting_id}/chat"): [{"text": "let me in", "message_id": "stranger-1"}],
        ("POST", "/api/meetings/{meeting_id}/connection"): [{"connected": False}, {"connected": True}],
        ("POST", "/api/events/{event_id}/registration/cancel"): [{}, {"accept_fee": 15}],
        ("PUT", "/api/experts/{expert}/review"): [{"text": "never met"}],
        ("POST", "/api/claims"): [{"session": meeting, "amount": 5, "reason": "not mine"},
                                  {"session": meeting, "amount": 5, "reason": "reusing an id", "claim_id": claim}],
        ("POST", "/operator/meetings/{meeting_id}/decision"): [{"outcome": "return", "note": "why"}],
        ("POST", "/operator/claims/{claim_id}/decision"): [{"accept": False, "note": "why"}],
        ("POST", "/operator/users/{person}/close"): [{"reason": "spite"}],
        ("POST", "/operator/grants"): [{"customer": v.customer, "amount": 1000}],
        ("POST", "/operator/payouts"): [{"day": "2026-01-01"}],
        ("POST", "/api/payments"): [{"credits": 5}],
        ("POST", "/operator/promos"): [{"code": "MINE-100", "kind": "percent", "value": 100, "valid_from": later,
                                        "valid_until": later_still}],
        ("POST", "/admin/clock"): [{"seconds": 1}],
    }
    creates = {("POST", "/api/bookings"), ("POST", "/api/requests/instant"), ("POST", "/api/requests/scheduled")}
    return [Call(method, url, params, json=body, proposes=endpoint in creates or "claim_id" in body)
            for body in bodies.get(endpoint, [{}])]


QUERY = {"name": "x.txt"}


def attacks(v: Victims) -> list[dict[str, Any]]:
    """Every command a desktop may push, aimed at the victims' things (their ids in every id field)."""
    later = (datetime.now().astimezone() + timedelta(days=400)).replace(microsecond=0).isoformat()
    values: dict[str, Any] = {
        "meeting_id": v.meeting, "claim_id": v.claim, "slot_id": v.sc.slot, "session": v.meeting,
        "attachment_id": v.attachment, "expert": v.sc.expert, "slug": v.sc.slug, "start": later, "end": later,
        "times": [later], "mode": "video", "offer": "short", "answer": Answer.SMOOTH.value,
        "reason": DeclineReason.OTHER.value, "digest": "0" * 64, "kind": "file", "size": 1, "stars": 1,
        "amount": 1, "uri": "https://example.org/rec", "message_id": uuid.uuid4().hex, "name": "x.txt",
        "time_zone": "UTC", "topic": "x", "text": "x", "summary": "x", "accept_fee": 35,
    }
    out = []
    for name, cls in sorted(command_types().items()):
        fields = [f for f in dict(hints(cls)) if f != "actor"]
        # Group events do not exist in this world; SuggestMeeting to any customer is R9 itself
        # (the customer confirms or rejects it), not a way into someone's data.
        if name in SCHEDULER_ONLY or "event_id" in fields or name == "SuggestMeeting":
            continue
        if not {"meeting_id", "claim_id", "slot_id", "session", "expert"} & set(fields) and name != "UpdateProfile":
            continue  # nothing of anyone else's to aim at
        args = {f: values[f] for f in fields if f in values}
        if name == "UpdateProfile":
            args = {"name": "Mallory", "specialty": "x", "time_zone": "UTC", "slug": v.sc.slug, "photo": ""}
        if name == "WriteReview":
            args = {"expert": v.sc.expert, "text": "never met"}
        out.append({"seq": len(out) + 1, "command_id": uuid.uuid4().hex, "name": name, "args": args})
    return out


# Commands that create a thing under an id the caller offers (the victims' ids, here), and
# UpdateProfile claiming the victim's public link: refused, for whatever reason comes first.
CREATES = {"AddSlot", "BookSlot", "RequestInstant", "RequestScheduled", "OpenClaim", "UpdateProfile"}


def leaked(v: Victims, call: Call, r: httpx.Response) -> set[str]:
    """The victims' secrets in an answer, apart from what the request itself said."""
    if r.headers.get("content-type", "").startswith("text/event-stream"):
        return set()
    asked = call.text()
    body = r.content.decode(errors="replace")
    return {s for s in v.secrets if s in body and s not in asked}


def stranger_refusal(r: httpx.Response, endpoint: Endpoint, role: str) -> bool:
    """404, exactly as if the thing did not exist (403 only where the caller's role may not call the
    endpoint at all); or 409 `already_exists` when a create reuses a taken id."""
    if r.status_code == 404:
        return True
    if r.status_code == 403:
        return role not in ROLES.get(AUDIENCE.get(endpoint, ""), {role})
    return r.status_code == 409 and r.json()["error"]["code"] == "already_exists"


def twin(call: Call, private: set[str]) -> tuple[Call, dict[str, str]]:
    """The same request naming fresh ids (that do not exist) wherever `call` names someone else's;
    and which fresh id stands for which of theirs."""
    fresh = {p: uuid.uuid4().hex for p in private}
    url, body = call.url, json.dumps(call.json)
    for theirs, new in fresh.items():
        url = url.replace(urllib.parse.quote(theirs, safe=""), new)
        body = body.replace(theirs, new)
    return Call(call.method, url, call.params, json=json.loads(body), content=call.content), {n: t for t, n in fresh.items()}


def said(answer: dict[str, Any], fresh: dict[str, str]) -> tuple[Any, Any, str]:
    """A refusal's status, code and message, with the fresh ids written back as the ones they stand for."""
    message = str(answer.get("message", ""))
    for new, theirs in fresh.items():
        message = message.replace(new, theirs)
    return answer.get("status"), answer.get("code"), message


def snapshot(v: Victims) -> dict[str, Any]:
    """Everything of theirs a stranger might try to change, as the owners see it."""
    live, carl, anna = v.live, v.customer_token, v.sc.expert_token
    return {
        "meeting": live.call(carl, "GET", f"/api/meetings/{v.meeting}").json(),
        "claim": live.call(carl, "GET", f"/api/claims/{v.claim}").json(),
        "wallet": live.call(carl, "GET", "/api/wallet").json(),
        "attachments": live.call(carl, "GET", f"/api/meetings/{v.meeting}/attachments").json(),
        "payouts": live.call(anna, "GET", "/api/payouts").json(),
        "profile": live.call("", "GET", f"/e/{v.sc.slug}").json(),
        "slots": live.call("", "GET", f"/api/experts/{v.sc.expert}").json()["free_slots"],
        "registration": live.call(carl, "GET", f"/api/events/{v.event}").json()["my_registration"],
        "payments": live.call(carl, "GET", "/api/payments").json(),
    }


# --- the audience is written down --------------------------------------------------------------------------


def test_every_endpoint_has_a_written_audience_and_logins_match_the_document(victims: Victims) -> None:
    doc = openapi(victims.live)
    listed = set(endpoints(doc))
    assert listed - AUDIENCE.keys() == set(), "new endpoints: say who may call them in AUDIENCE"
    assert AUDIENCE.keys() - listed == set(), "endpoints gone from the server: remove them from AUDIENCE"
    for endpoint in listed:  # the document's `security` says the same as our table
        assert needs_login(doc, endpoint) == (AUDIENCE[endpoint] != PUBLIC), endpoint


# --- other people's ids ---------------------------------------------------------------------------------------


@pytest.mark.dates  # its world is built up to the next payout day
def test_other_peoples_ids_are_refused_on_every_endpoint_and_nothing_of_theirs_changes(victims: Victims) -> None:
    v = victims
    doc = openapi(v.live)
    before = snapshot(v)
    private = {v.meeting, v.claim, v.attachment, v.payout, v.customer, v.client_id}
    checked = 0
    for role, token, own_client in (("customer", v.stranger_token, f"desk-{uuid.uuid4().hex[:12]}"),
                                    ("expert", v.other_expert_token, f"desk-{uuid.uuid4().hex[:12]}")):
        with v.live.client(token) as client:
            for endpoint in endpoints(doc):
                if endpoint in NOT_SWEPT or AUDIENCE.get(endpoint) == PUBLIC and "{" not in endpoint[1]:
                    continue
                if endpoint == ("GET", "/join/{token}"):
                    continue  # a capability, not an id: forged links are test_forged_join_links_find_nothing's
                for call in calls(doc, endpoint, v, own_client):
                    r = call.send(client)
                    checked += 1
                    assert r.status_code < 500, (endpoint, r.status_code, r.text)
                    assert not leaked(v, call, r), (endpoint, call.json, leaked(v, call, r), r.text[:300])
                    names_private = any(p in call.text() for p in private)
                    if endpoint == ("POST", "/sync/push") and call.json["client_id"] == own_client:
                        assert r.status_code == 200, r.text
                        refused = {x["seq"]: x for x in r.json()["results"]}
                        for sent in call.json["commands"]:
                            result = refused[sent["seq"]]
                            assert result["status"] == "rejected", (sent, result)
                            if sent["name"] not in CREATES:  # any refusal does for offering a taken id
                                # someone else's things: "not yours" before anything about their state
                                assert result["code"] in ("not_found", "forbidden"), (sent, result)
                        # R1: and exactly what the same commands get for ids that do not exist
                        same, fresh = twin(call, private - {v.client_id})
                        same.json["client_id"] = f"desk-{uuid.uuid4().hex[:12]}"
                        unknown = {x["seq"]: x for x in same.send(client).json()["results"]}
                        for sent in call.json["commands"]:
                            if sent["name"] not in CREATES:
                                assert said(refused[sent["seq"]], fresh) == said(unknown[sent["seq"]], fresh), sent
                    elif call.proposes:
                        assert 400 <= r.status_code < 500, (endpoint, call.json, r.status_code, r.text[:300])
                    elif names_private:  # (a new endpoint with a body: give calls() a well-formed sample)
                        assert stranger_refusal(r, endpoint, role), (endpoint, call.json, r.status_code, r.text[:300])
                        if v.client_id not in call.text():  # (a taken client id is a 409, like any taken id)
                            same, fresh = twin(call, private)
                            theirs, nothing = r, same.send(client)
                            assert theirs.status_code == nothing.status_code, (endpoint, theirs.text, nothing.text)
                            if theirs.status_code >= 400:  # R1: the same words as for an id that does not exist
                                assert said(theirs.json()["error"], fresh) == said(nothing.json()["error"], fresh), \
                                    (endpoint, theirs.text, nothing.text)
    assert checked > 60
    assert snapshot(v) == before


# --- roles ----------------------------------------------------------------------------------------------------------


def test_r1_each_roles_endpoints_refuse_the_other_roles_operator_actions_included(victims: Victims) -> None:
    v = victims
    doc = openapi(v.live)
    tokens = {"customer": v.stranger_token, "expert": v.other_expert_token, "operator": v.sc.op}
    before = snapshot(v)
    refused = 0
    for role, token in tokens.items():
        with v.live.client(token) as client:
            for endpoint in endpoints(doc):
                allowed = ROLES.get(AUDIENCE.get(endpoint, PUBLIC))  # unlisted: the audience test says so
                if allowed is None or role in allowed:
                    continue
                for call in calls(doc, endpoint, v, f"desk-{uuid.uuid4().hex[:12]}"):
                    r = call.send(client)
                    assert r.status_code == 403, (role, endpoint, r.status_code, r.text[:300])
                    assert r.json()["error"]["code"] == "forbidden", (role, endpoint, r.text)
                    refused += 1
    operator_only = [e for e in endpoints(doc) if AUDIENCE[e] == OPERATOR]
    assert len(operator_only) >= 13 and refused > 2 * len(operator_only)
    assert snapshot(v) == before


# --- tokens ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def short_sessions(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "data", env={"CONSOLEAPP_TOKEN_HOURS": "2"}).start()
    try:
        yield live
    finally:
        live.stop()


def forged(valid: str, email: str, reset: str) -> dict[str, dict[str, str]]:
    jwt = ".".join(base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
                   for part in ({"alg": "none", "typ": "JWT"}, {"sub": "admin", "role": "operator"})) + "."
    return {
        "none": {},
        "bearer without a token": {"Authorization": "Bearer"},
        "random": {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
        "truncated": {"Authorization": f"Bearer {valid[:-3]}"},
        "extended": {"Authorization": f"Bearer {valid}A"},
        "the stored hash": {"Authorization": f"Bearer {hashlib.sha256(valid.encode()).hexdigest()}"},
        "basic": {"Authorization": "Basic " + base64.b64encode(f"{email}:correct horse".encode()).decode()},
        "jwt": {"Authorization": f"Bearer {jwt}"},
        "token scheme": {"Authorization": f"Token {valid}"},
        "reset code": {"Authorization": f"Bearer {reset}"},
    }


def test_r1_missing_forged_revoked_and_expired_tokens_get_401_everywhere(short_sessions: LiveServer) -> None:
    live = short_sessions
    doc = openapi(live)
    guarded = [e for e in endpoints(doc) if needs_login(doc, e)]
    assert len(guarded) > 40
    email = f"carl-{uuid.uuid4().hex[:6]}@example.com"
    _, token = live.register("customer", email=email)
    server = open_server(live.settings)
    try:
        reset, _ = reset_password(server, email)
    finally:
        server.store.close()
    logged_in = httpx.post(f"{live.url}/auth/login", json={"email": email, "password": "correct horse"}).json()["token"]
    assert live.call(logged_in, "POST", "/auth/logout").status_code == 204
    variants = {**forged(token, email, reset), "revoked": {"Authorization": f"Bearer {logged_in}"}}

    def sweep(headers: dict[str, str], code: str = "") -> None:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            for endpoint in guarded:
                for call in calls(doc, endpoint, None):
                    r = call.send(client, headers)
                    assert r.status_code == 401, (endpoint, headers, r.status_code, r.text[:200])
                    assert r.json()["error"]["code"] == (code or r.json()["error"]["code"])

    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # independent sweeps; the server serves them together
        list(pool.map(sweep, variants.values()))
    # the same forgeries in the stream's ?token= (EventSource cannot send headers)
    with httpx.Client(base_url=live.url, timeout=30) as client:
        for name, headers in variants.items():
            query = headers.get("Authorization", "").partition(" ")[2]
            if query == token:
                continue  # the 'Token <valid>' variant forges the scheme, not the token
            r = Call("GET", "/sync/stream", {"token": query}).send(client)
            assert r.status_code == 401, (name, r.text)
    # ?token= is the stream's alone: elsewhere a valid token in the URL is no login
    assert httpx.get(f"{live.url}/api/wallet", params={"token": token}).status_code == 401
    assert live.call(token, "GET", "/api/wallet").status_code == 200  # logging out one session left this one
    # expired: the clock moves past CONSOLEAPP_TOKEN_HOURS (tokens the server itself issued)
    op = operator_token(live)
    _, expert = live.register("expert")
    live.advance(op, hours=2, seconds=1)
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda stale: sweep({"Authorization": f"Bearer {stale}"}, "token_expired"), (token, op, expert)))


def test_forged_join_links_find_nothing(victims: Victims) -> None:
    v = victims
    fakes = [secrets.token_urlsafe(24), v.link_token[:-2], v.link_token + "x", "x" * 65, "..", "%2e%2e", "%2e%2e%2f",
             f"..%2f{v.link_token}", f"{v.link_token}%00"]
    for fake in fakes:
        status, answer = raw(v.live, "", "GET", f"/join/{fake}")
        # 404 (422 for a NUL); or (a trailing slash) a redirect to the same path without it, never to a room
        assert status in (404, 307, 422), (fake, status, answer[:300])
        assert b"meet.jit.si" not in answer and b"attended" not in answer.lower(), (fake, answer[:300])


# --- guessing passwords -------------------------------------------------------------------------------------------


def from_address(address: str) -> httpx.Client:
    """A client whose connections come from `address` (any 127.x address reaches the server)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


def login(client: httpx.Client, live: LiveServer, email: str, password: str) -> int:
    return client.post(f"{live.url}/auth/login", json={"email": email, "password": password}).status_code


def test_r1_guessing_gets_429_after_the_configured_attempts_per_email_and_per_address(victims: Victims) -> None:
    live, attempts = victims.live, ATTEMPTS
    target = f"target-{uuid.uuid4().hex[:6]}@example.com"
    live.register("customer", email=target)
    # per email: each guess from another address, so only the email's count can stop them
    for n in range(attempts):
        with from_address(f"127.0.1.{n + 1}") as c:
            assert login(c, live, target, f"guess {n}") == 401
    with from_address("127.0.1.99") as c:
        assert login(c, live, target, "correct horse") == 429  # even the right password now
        assert login(c, live, f"other-{uuid.uuid4().hex[:6]}@example.com", "nope") == 401  # this address is fine
    # per address: each guess at another email, so only the address's count can stop them
    bystander = f"bystander-{uuid.uuid4().hex[:6]}@example.com"
    live.register("customer", email=bystander)
    with from_address("127.0.2.1") as c:
        for n in range(attempts):
            assert login(c, live, f"guess-{n}-{uuid.uuid4().hex[:6]}@example.com", "nope") == 401
        assert login(c, live, bystander, "correct horse") == 429
    with from_address("127.0.2.2") as c:
        assert login(c, live, bystander, "correct horse") == 200
    # the window passes (the server's clock, moved): both may log in again
    live.advance(victims.sc.op, seconds=WINDOW + 1)
    with from_address("127.0.2.1") as c:
        assert login(c, live, bystander, "correct horse") == 200
    with from_address("127.0.1.99") as c:
        assert login(c, live, target, "correct horse") == 200


@pytest.fixture(params=["sqlite", "postgresql"])
def any_live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    if request.param == "sqlite":  # the swept server is SQLite already (the guesses use their own email)
        yield request.getfixturevalue("victims").live
        return
    for url in _pg_schema():
        live = LiveServer(tmp_path / "data", database_url=url, env=GUARDS).start()
        try:
            yield live
        finally:
            live.stop()


def test_r1_parallel_guesses_never_get_more_tries_than_the_limit(any_live: LiveServer) -> None:
    """Regression: on PostgreSQL 19 of 20 simultaneous guesses were checked (the count was read
    before any of them recorded its failure); now at most the configured number are."""
    live = any_live
    email = f"victim-{uuid.uuid4().hex[:6]}@example.com"
    live.register("customer", email=email)

    def guess(n: int) -> int:
        with from_address("127.0.3.1") as c:  # an address of its own: 127.0.0.1 stays usable for the others
            return login(c, live, email, f"guess {n}")

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(guess, range(20)))
    assert sorted(answers) == [401] * ATTEMPTS + [429] * (20 - ATTEMPTS), answers
    with from_address("127.0.3.2") as c:
        assert login(c, live, email, "correct horse") == 429  # the email's limit, from anywhere


# --- attachments: paths and sizes -------------------------------------------------------------------------------


def files(base: Path) -> dict[str, bytes]:
    """Every file under `base` (the database's own files aside: they change with every write)."""
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and not DB_FILES.match(p.name)}


_slots = itertools.count()


def fresh_meeting(v: Victims) -> str:
    """An Agreed meeting of Carl and Anna in the future (attachments are added to live meetings)."""
    live, sc = v.live, v.sc
    later = timedelta(hours=72 + 2 * next(_slots))  # Anna's slots never overlap (R4)
    start = (now_of(live, sc.op) + later).replace(second=0, microsecond=0)
    slot = f"slot-{uuid.uuid4().hex[:6]}"
    applied(live, sc.expert_token, "AddSlot", slot_id=slot, start=start.isoformat(),
            end=(start + timedelta(hours=1)).isoformat())
    r = live.call(v.customer_token, "POST", "/api/bookings", json={
        "slot_id": slot, "mode": "video", "offer": "short", "start": start.isoformat(), "topic": "files"})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    applied(live, sc.expert_token, "ApproveBooking", meeting_id=mid)
    return mid


def raw(live: LiveServer, token: str, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """(status, everything after it) for a request whose path goes out byte for byte as written:
    HTTP clients remove dot segments, which is the very thing to send here."""
    login = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{login}"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", live.port), timeout=30) as s:
        s.sendall(head.encode() + body)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def test_r21_attachment_names_and_ids_never_reach_outside_the_storage(victims: Victims) -> None:
    v = victims
    live, token = v.live, v.customer_token
    base = live.data_dir.parent
    (base / "secret.txt").write_bytes(PLANTED)
    (live.data_dir / "secret.txt").write_bytes(PLANTED)
    mid = fresh_meeting(v)
    before = files(base)
    names = ["../../secret.txt", "..\\..\\secret.txt", "/etc/passwd", "C:\\Windows\\win.ini", "%2e%2e%2fsecret.txt",
             "..%2F..%2Fsecret.txt", "....//secret.txt", "..", ".", "x\x00.txt", "\u2025/secret.txt", "~/secret.txt"]
    stored: set[str] = set()
    for n, name in enumerate(names):
        body = f"upload {n}".encode()
        r = live.call(token, "PUT", f"/api/meetings/{mid}/attachments/n-{n}", params={"name": name}, content=body,
                      headers={"Content-Type": "application/octet-stream"})
        assert r.status_code in (201, 422), (name, r.status_code, r.text)
        if r.status_code == 201:  # a name is metadata: the bytes go where their digest says, nowhere else
            digest = hashlib.sha256(body).hexdigest()
            stored.add(f"data/attachments/{digest[:2]}/{digest}")
            got = live.call(v.sc.expert_token, "GET", f"/api/meetings/{mid}/attachments/n-{n}")
            assert got.status_code == 200 and got.content == body
            assert "\r" not in got.headers["content-disposition"] and "\n" not in got.headers["content-disposition"]
    # ids and meeting ids with dot segments, encoded slashes and absolute paths, sent as written
    tricks = ["..", "...", "%2e%2e", "..%2f..%2fsecret.txt", "..%2F..%2F..%2Fsecret.txt", "%2Fetc%2Fpasswd",
              "%252e%252e%252fsecret.txt", "..%5c..%5csecret.txt", "secret.txt%00"]
    for trick in tricks:
        for path in (f"/api/meetings/{mid}/attachments/{trick}", f"/api/meetings/{mid}/attachments/../../{trick}",
                     f"/api/meetings/{trick}/attachments/a-1", f"/api/meetings/{trick}/attachments",
                     f"/api/meetings/{mid}/attachments/{trick}/../../../../secret.txt"):
            for method in ("GET", "PUT"):
                status, answer = raw(live, token, method, f"{path}?name=x.txt", b"tricky" if method == "PUT" else b"")
                assert status in (307, 404, 405, 422), (method, path, status, answer[:300])
                assert PLANTED not in answer, (method, path)
    # ids pushed from a desktop: the engine takes no id that is a path or resolves to another address
    for bad in ("../../../operator/users", "..", ".", "a/b", "a\\b", "", "x" * 65, "a\nb", "%2e%2e"):
        result = push(live, token, "AddAttachment", meeting_id=mid, attachment_id=bad, name="x.txt", kind="file",
                      size=1, digest="0" * 64)
        assert (result["status"], result["code"]) == ("rejected", "invalid"), (bad, result)
    result = push(live, token, "AddAttachment", meeting_id=mid, attachment_id="d-1", name="x.txt", kind="file",
                  size=1, digest="0" * 64 + "\n")
    assert (result["status"], result["code"]) == ("rejected", "invalid"), result
    listed = live.call(token, "GET", f"/api/meetings/{mid}/attachments").json()["attachments"]
    assert all(x["download"].endswith(f"/attachments/{x['attachment_id']}") and x["attachment_id"].strip(".")
               and "/" not in x["attachment_id"] for x in listed)
    after = files(base)
    assert {k: after[k] for k in before} == before  # nothing outside was written (nor the planted files)
    new = set(after) - set(before)
    assert new == stored - set(before), new  # only content-addressed files, where their digest says
    assert all(re.fullmatch(r"data/attachments/[0-9a-f]{2}/[0-9a-f]{64}", k) for k in new)
    assert not list((live.data_dir / "attachments" / "tmp").iterdir())


def test_r21_oversize_uploads_get_413_and_leave_nothing_on_disk(victims: Victims) -> None:
    v = victims
    live, token = v.live, v.customer_token
    mid = fresh_meeting(v)
    before = files(live.data_dir)

    def chunks(total: int) -> Iterator[bytes]:  # no Content-Length: the server must count as it reads
        sent = 0
        while sent < total:
            n = min(16 * 1024, total - sent)
            sent += n
            yield b"z" * n

    path = f"/api/meetings/{mid}/attachments/big"
    with live.client(token) as c:
        declared = c.put(path, params={"name": "big.bin"}, content=b"z" * (LIMIT + 1))
        assert declared.status_code == 413 and declared.json()["error"]["code"] == "too_large"
        streamed = c.put(path, params={"name": "big.bin"}, content=chunks(LIMIT * 4))
        assert streamed.status_code == 413, streamed.text
        assert files(live.data_dir) == before  # no stored file, no temporary file left behind
        stranger = httpx.put(f"{live.url}{path}", params={"name": "big.bin"}, content=chunks(LIMIT * 4),
                             headers={"Authorization": f"Bearer {v.stranger_token}"}, timeout=30)
        assert stranger.status_code == 404  # not a participant: refused before a byte is kept
        assert files(live.data_dir) == before
        exact = c.put(path, params={"name": "big.bin"}, content=b"z" * LIMIT)
        assert exact.status_code == 201, exact.text  # the limit itself is allowed


def test_chunked_bodies_over_the_limit_get_413_too(victims: Victims) -> None:
    """Regression: the body limit read Content-Length only, so a chunked body of any size was
    read whole into memory (and then judged); now it is cut off at the limit with a 413."""
    v = victims

    def chunks() -> Iterator[bytes]:
        yield b'{"client_id": "desk-chunked-1", "schema_version": 1, "commands": [], "padding": "'
        for _ in range(BODY_LIMIT // (16 * 1024) + 4):
            yield b"p" * 16 * 1024
        yield b'"}'

    with v.live.client(v.other_expert_token) as c:
        r = c.post("/sync/push", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large", r.text
        declared = c.post("/sync/push", content=b" " * (BODY_LIMIT + 1), headers={"Content-Type": "application/json"})
        assert declared.status_code == 413
        fine = c.post("/sync/push", json={"client_id": "desk-chunked-2", "schema_version": 1, "commands": []})
        assert fine.status_code == 200, fine.text
