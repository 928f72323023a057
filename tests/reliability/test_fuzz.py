"""API fuzzing: schemathesis against the real server's own `/openapi.json` (issue 6, part 3).

Every operation of the document is fuzzed as each caller: nobody (no token), a customer, an
expert and an operator. Cases are schema-valid ("positive") and schema-breaking ("negative");
path parameters are drawn now from the generator, now from the ids of a real scene (meetings in
several states, a disputed claim, an attachment, a video link, an open group event), and body fields that name
records (`session`, `expert`, `customer`, `slot_id`) are sometimes swapped for real ones, so the
fuzz reaches the engine instead of stopping at 404. Every answer must pass:

- not_a_server_error: no 5xx, ever;
- status_code_conformance / content_type_conformance / response_headers_conformance:
  the status, its media type and its headers are the ones the document declares;
- response_schema_conformance: the body matches the declared schema (every refusal is a
  `Problem`: `{"error": {"code", "message"}}`);
- negative_data_rejection: a request that breaks the schema is refused with a 4xx.

(`positive_data_acceptance` is not used: here 404/409/422 also answer schema-valid requests
that the engine refuses by rule, e.g. a booking in the past, so "valid must succeed" is false.)

Both databases: a SQLite server, and a PostgreSQL one (skipped, saying why, when the local
PostgreSQL does not answer), where most of what the fuzz found failed.

CI run: a fixed seed, derandomized, `CONSOLEAPP_FUZZ_EXAMPLES` (default 6) examples per operation
and caller: 56 operations x 4 callers x 6 = 1344 cases per database, printed at the end of each
("fuzz sqlite: 1344 cases (...)"); about 45 s for both on a quiet machine. A long run:

    CONSOLEAPP_FUZZ_EXAMPLES=100 .venv/bin/python -m pytest tests/reliability/test_fuzz.py -k every_operation

(`CONSOLEAPP_FUZZ_SEED` picks another seed.) A failure names the operation, the caller, the
failed checks and a curl line that repeats it; fix it in the server and keep the failing input
in `FOUND` below (or a test of its own), as those found so far are.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from consoleapp.sync.server.accounts import issue_token
from consoleapp.sync.server.opening import open_server
from tests.store.conftest import _pg_schema
from tests.sync.live import LiveServer
from tests.sync.test_customer_api import Scene, applied, finish, push, scene

EXAMPLES = int(os.environ.get("CONSOLEAPP_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("CONSOLEAPP_FUZZ_SEED", "20240601"))
ROLES = ("nobody", "customer", "expert", "operator")  # the operator last: it may move the clock
STREAM_SECONDS = 0.3  # an open /sync/stream never ends: read this long, then judge what came
CHECK_NAMES = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
               "response_headers_conformance", "response_schema_conformance", "negative_data_rejection")
BODY_IDS = ("session", "expert", "customer", "slot_id")  # body fields that name records

CASES: Counter[tuple[str, str]] = Counter()  # (database, role): cases run


@dataclass
class World:
    """The live server, a scene on it, and what the fuzz needs to aim at real records."""

    live: LiveServer
    sc: Scene
    tokens: dict[str, str]
    people: dict[str, str]
    path_ids: dict[str, list[str]] = field(default_factory=dict)
    body_ids: dict[str, list[str]] = field(default_factory=dict)

    def fresh_token(self, role: str) -> str:
        """A new session token of the role's account: for /auth/logout, which revokes the one it is sent."""
        server = open_server(self.live.settings)
        try:
            with server.store.engine.begin() as conn:
                return issue_token(conn, server, self.people[role])[0]
        finally:
            server.store.close()


def _build_world(live: LiveServer) -> World:
    """A scene in several states: awaiting, agreed (with an attachment and a link), under review, disputed."""
    sc = scene(live)
    customer, token = sc.customer(10_000)
    op = sc.op
    review = sc.agreed(token, timedelta(hours=0))
    settled = sc.agreed(token, timedelta(hours=1))
    agreed = sc.agreed(token, timedelta(hours=3))
    awaiting = sc.book(token, timedelta(hours=3, minutes=30))["meeting"]["id"]
    put = live.call(token, "PUT", f"/api/meetings/{agreed}/attachments/a1", params={"name": "notes.txt"}, content=b"hello")
    assert put.status_code == 201, put.text
    link = live.call(token, "GET", f"/api/meetings/{agreed}/link")
    assert link.status_code == 200, link.text
    join = link.json()["url"].rsplit("/", 1)[1]
    finish(sc, review)
    other = "failed because of the other party"
    assert live.call(token, "POST", f"/api/meetings/{review}/evaluation", json={"answer": other}).status_code == 200
    applied(live, sc.expert_token, "Evaluate", meeting_id=review, answer=other)
    finish(sc, settled)
    assert live.call(token, "POST", f"/api/meetings/{settled}/evaluation", json={"answer": "went smoothly"}).status_code == 200
    claim = live.call(token, "POST", "/api/claims", json={"session": settled, "amount": 5, "reason": "late"})
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["claim"]["id"]
    applied(live, sc.expert_token, "DisputeClaim", claim_id=claim_id, summary="on time, see the log")
    event = "fuzz-event"
    starts = datetime.fromisoformat(live.call(op, "GET", "/admin/clock").json()["now"]) + timedelta(days=10)
    applied(live, sc.expert_token, "CreateGroupEvent", event_id=event, title="Workshop", start=starts.isoformat(),
            end=(starts + timedelta(hours=1)).isoformat(), price=30, min_participants=1, max_participants=5)
    spare_customer, _ = live.register("customer")
    spare_expert, _ = live.register("expert")
    me = httpx.get(f"{live.url}/auth/me", headers={"Authorization": f"Bearer {op}"}).json()
    op_id = me["id"]
    # The scene's operator token was issued outside the server, for the default 30 days; the
    # fuzz moves the clock further, so log in for one with the server's own (long) lifetime.
    login = httpx.post(f"{live.url}/auth/login", json={"email": me["email"], "password": "correct horse"})
    assert login.status_code == 200, login.text
    op = login.json()["token"]
    world = World(live, sc, tokens={"nobody": "", "customer": token, "expert": sc.expert_token, "operator": op},
                  people={"customer": customer, "expert": sc.expert, "operator": op_id})
    meetings = [review, settled, agreed, awaiting]
    world.path_ids = {"meeting_id": meetings, "claim_id": [claim_id], "attachment_id": ["a1"], "token": [join],
                      "expert": [sc.expert, sc.slug], "slug": [sc.slug], "fmt": ["csv", "pdf"], "event_id": [event],
                      # only spare accounts: closing the fuzzing accounts would end the run
                      "person": [spare_customer, spare_expert]}
    world.body_ids = {"session": meetings, "expert": [sc.expert, sc.slug], "customer": [customer, spare_customer],
                      "slot_id": [sc.slot]}
    return world


SERVER_ENV = {
    "CONSOLEAPP_STREAM_KEEPALIVE_SECONDS": "0.1",
    # The operator's fuzzed POST /admin/clock moves time by up to 400 days a call: tokens
    # must outlive that, or the run would end in 401s.
    "CONSOLEAPP_TOKEN_HOURS": str(1_000_000),
    # A valid join link redirects to the room: keep it on this machine, on a closed port.
    "CONSOLEAPP_JITSI_URL": "http://127.0.0.1:9",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[World]:
    """One server per database, fuzzed as every caller in turn.

    PostgreSQL is where most of what the fuzz found failed (NUL characters, over-long ids),
    so both run; PostgreSQL skips, saying why, when the local server does not answer.
    """
    data = tmp_path_factory.mktemp(f"fuzz-{request.param}") / "data"
    urls = _pg_schema() if request.param == "postgresql" else iter([""])
    for url in urls:
        live = LiveServer(data, database_url=url, env=SERVER_ENV).start()
        try:
            yield _build_world(live)
        finally:
            live.stop()
            _report(request, request.param)


def _report(request: pytest.FixtureRequest, database: str) -> None:
    """The figure to quote: how many cases ran, per caller."""
    counts = {role: CASES.pop((database, role), 0) for role in ROLES}
    total = sum(counts.values())
    if not total:
        return
    by_role = ", ".join(f"{r} {n}" for r, n in counts.items() if n)
    line = f"fuzz {database}: {total} cases ({by_role}), {EXAMPLES} examples per operation and caller, seed {SEED}"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    # Past the output capture, so the figure shows in every run, passed or failed.
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        reporter.write_line(line)


def _schema(world: World) -> Any:
    config = schemathesis.Config.from_dict({"seed": SEED, "generation": {
        "deterministic": True,
        # The test sends each caller's token itself; unknown query parameters are ignored, as HTTP allows.
        "with-security-parameters": False, "allow-extra-parameters": False}})
    return schemathesis.openapi.from_url(f"{world.live.url}/openapi.json", config=config)


def _strategy(operation: Any, path_ids: dict[str, list[str]]) -> Any:
    """Generated cases, the same with real ids in the path, and schema-breaking ones."""
    names = [p.name for p in operation.path_parameters]
    options = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if names and all(n in path_ids for n in names):
        combos: list[dict[str, str]] = [{}]
        for name in names:
            combos = [{**c, name: v} for c in combos for v in path_ids[name]]
        options += [operation.as_strategy(GenerationMode.POSITIVE, path_parameters=c) for c in combos[:12]]
    return st.one_of(options)


def _aim(case: Any, body_ids: dict[str, list[str]], pick: int) -> None:
    """Sometimes point a body field that names a record at a real one (only in schema-valid cases)."""
    meta = getattr(case, "meta", None)
    positive = meta is None or meta.generation.mode is GenerationMode.POSITIVE
    if not positive or not isinstance(case.body, dict) or pick % 2:
        return
    for name in BODY_IDS:
        if isinstance(case.body.get(name), str):
            choices = body_ids[name]
            case.body[name] = choices[pick // 2 % len(choices)]


def _fuzz_operation(world: World, role: str, operation: Any, checks: list[Callable[..., Any]]) -> None:
    path = operation.path
    database = "postgresql" if world.live.database_url else "sqlite"

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(case=_strategy(operation, world.path_ids), pick=st.integers(0, 63))
    def run(case: Any, pick: int) -> None:
        CASES[database, role] += 1
        _aim(case, world.body_ids, pick)
        token = world.tokens[role]
        if path == "/auth/logout" and token:
            token = world.fresh_token(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        extra: dict[str, Any] = {"timeout": STREAM_SECONDS} if path == "/sync/stream" else {"timeout": 30}
        # Never follow a redirect: /join sends browsers on to a video room elsewhere.
        response = case.call(headers=headers, allow_redirects=False, **extra)
        case.validate_response(response, checks=checks, headers=headers)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_caller(world: World, role: str) -> None:
    """No 5xx and answers as documented, for every operation, as `role`."""
    from schemathesis import checks as registry

    checks = [getattr(registry, name) for name in CHECK_NAMES]
    schema = _schema(world)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz_operation(world, role, operation, checks)
        except FailureGroup as exc:
            failures.append(f"{role} {operation.label}:\n{exc}")
        except Exception as exc:  # a network error, a timeout: the server failed the request
            failures.append(f"{role} {operation.label}: {type(exc).__name__}: {exc}")
    assert operations >= 50, f"the document lists only {operations} operations"
    assert not failures, f"{len(failures)} of {operations} operations failed as {role}:\n\n" + "\n\n".join(failures)


def test_the_document_declares_every_refusal_body() -> None:
    """The OpenAPI document itself: a Problem body on every 4xx, the Bearer scheme, no FastAPI error shapes."""
    from consoleapp.sync.server.app import create_app

    doc = create_app().openapi()
    assert "HTTPValidationError" not in str(doc), "a 422 still documents FastAPI's body, which is never sent"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert "Problem" in str(answer.get("content")), f"{method.upper()} {path} {status}"
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"]), f"{method.upper()} {path}"


# --- what the fuzz found, kept ------------------------------------------------------------------
# Each input below answered 500 before its fix (most only on PostgreSQL); now each is refused
# with a 4xx `Problem` on both databases. (method, path, request, expected status, caller)

BIG = 2**70  # past the 64-bit integers the database keeps
NUL = "a\x00b"
FOUND: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("GET", f"/api/notifications?after={BIG}", {}, 422, "customer"),
    ("GET", f"/sync/notifications?after={BIG}", {}, 422, "operator"),
    ("POST", f"/sync/pull?since_seq={BIG}", {"json": {"client_id": "fuzz-pull-1"}}, 422, "customer"),
    ("POST", "/sync/pull?since_seq=-1", {"json": {"client_id": "fuzz-pull-2"}}, 422, "customer"),
    ("POST", "/sync/push", {"json": {"client_id": "fuzz-push-1", "schema_version": 1, "commands": [
        {"seq": BIG, "command_id": "c1", "name": "SetOffers", "args": {}}]}}, 422, "expert"),
    ("GET", f"/sync/stream?last_event_id={BIG}", {}, 422, "expert"),
    # NUL characters: PostgreSQL text cannot hold them (inputs.py)
    ("GET", "/api/meetings/a%00b", {}, 422, "customer"),
    ("GET", "/e/a%00b", {}, 422, "nobody"),
    ("GET", "/api/experts/a%00b", {}, 422, "nobody"),
    ("GET", "/api/experts?specialty=a%00b", {}, 422, "nobody"),
    ("GET", "/join/a%00b", {}, 422, "nobody"),
    ("GET", "/api/claims/a%00b", {}, 422, "customer"),
    ("POST", "/auth/login", {"json": {"email": NUL, "password": "whatever"}}, 422, "nobody"),
    ("POST", "/auth/register", {"json": {"email": "nul@example.com", "password": "correct horse", "name": NUL,
                                         "role": "customer"}}, 422, "nobody"),
    ("POST", "/auth/reset/request", {"json": {"email": NUL}}, 422, "nobody"),
    ("POST", "/sync/pull", {"json": {"client_id": "fuzz-pul\x00"}}, 422, "customer"),
    ("POST", "/sync/push", {"json": {"client_id": "fuzz-pus\x00", "schema_version": 1, "commands": []}}, 422, "expert"),
    # an escaped backslash then the letters u0000 is no NUL: an ordinary wrong login
    ("POST", "/auth/login", {"content": b'{"email": "a\\\\u0000b@example.com", "password": "whatever"}',
                             "headers": {"Content-Type": "application/json"}}, 401, "nobody"),
    # a body that is not even text, or text that is not JSON: the documented 400 with a Problem body
    ("POST", "/auth/login", {"content": b"\xff\xfe{", "headers": {"Content-Type": "application/json"}}, 400, "nobody"),
    ("POST", "/auth/login", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "nobody"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "role"), FOUND,
                         ids=[f"{m} {p[:40]}" for m, p, *_ in FOUND])
def test_inputs_the_fuzz_found_are_refused_not_crashed(world: World, method: str, path: str, kwargs: dict[str, Any],
                                                      status: int, role: str) -> None:
    headers = {**kwargs.get("headers", {}), **({"Authorization": f"Bearer {world.tokens[role]}"} if world.tokens[role] else {})}
    sent = {k: v for k, v in kwargs.items() if k != "headers"}
    with httpx.Client(base_url=world.live.url, headers=headers, timeout=30) as http:
        r = http.request(method, path, **sent)
    assert r.status_code == status, r.text
    if status >= 400:
        assert set(r.json()["error"]) >= {"code", "message"}


@pytest.mark.parametrize(("command", "args"), [
    ("AddSlot", {"slot_id": "s" * 3000, "start": None}),
    ("UpdateProfile", {"name": "n" * 3000, "specialty": "Tax", "time_zone": "UTC", "slug": "long-name"}),
    ("UpdateProfile", {"name": "Anna", "specialty": "Tax", "time_zone": "UTC", "slug": "s" * 3000}),
    ("PostChat", {"meeting_id": "m" * 3000, "message_id": "x", "text": "hi"}),
])
def test_over_long_ids_from_a_desktop_are_rejected_commands_not_500(world: World, command: str, args: dict[str, Any]) -> None:
    """Over-long ids and profile names in a push: a rejected command, not a 500 (PostgreSQL's column widths)."""
    result = push(world.live, world.tokens["expert"], command, **args)
    assert result["status"] == "rejected" and result["code"] == "invalid", result
    assert "at most" in result["message"]
