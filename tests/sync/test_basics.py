"""The real server: health, accounts (R1), exactly-once push and scoped pull (docs/ARCHITECTURE.md §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter
from starlette.routing import Match, Mount, Route

from consoleapp.sync.server import web
from consoleapp.sync.server.app import DESKTOP_ROUTERS, ROUTERS, create_app
from consoleapp.sync.server.routing import add_routes
from consoleapp.sync.server.settings import Settings

from .live import LiveServer


def _push(server: LiveServer, token: str, client: str, commands: list[dict[str, object]]) -> dict[str, object]:
    r = server.call(token, "POST", "/sync/push", json={"client_id": client, "schema_version": 1, "commands": commands})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_health_reports_version_and_database(any_server: LiveServer) -> None:
    body = any_server.call("", "GET", "/health").json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["version"]


def test_r1_register_login_logout(server: LiveServer) -> None:
    user, token = server.register("expert", email="anna@example.com")
    assert server.call(token, "GET", "/auth/me").json()["role"] == "expert"
    again = server.call("", "POST", "/auth/login", json={"email": "anna@example.com", "password": "correct horse"})
    assert again.status_code == 200
    assert server.call(token, "POST", "/auth/logout").status_code == 204
    assert server.call(token, "GET", "/auth/me").status_code == 401
    assert server.call(again.json()["token"], "GET", "/auth/me").status_code == 200


def test_push_applies_each_command_once_and_records_rejections(any_server: LiveServer) -> None:
    _, token = any_server.register("expert")
    offers = {"seq": 1, "command_id": "c1", "name": "SetOffers", "args": {"mode": "video", "per_minute": 2, "short_price": 20}}
    bad = {"seq": 2, "command_id": "c2", "name": "SetOffers", "args": {"mode": "video", "per_minute": -5}}
    first = _push(any_server, token, "desk-0001", [offers, bad])
    assert [r["status"] for r in first["results"]] == ["applied", "rejected"]  # type: ignore[index]
    assert first["results"][1]["code"] == "invalid"  # type: ignore[index]
    again = _push(any_server, token, "desk-0001", [offers, bad])  # the same batch, sent twice
    assert again["last_seq"] == 2 and again["results"] == first["results"]
    gapped = _push(any_server, token, "desk-0001", [{**offers, "seq": 4, "command_id": "c4"}])
    assert gapped["gap"] is True and gapped["last_seq"] == 2
    pulled = any_server.call(token, "POST", "/sync/pull", json={"client_id": "desk-0001", "cursor": ""}).json()
    assert [c["kind"] for c in pulled["changes"]] == ["AccountOpened", "OffersSet"]


def test_pull_is_scoped_to_the_caller(server: LiveServer) -> None:
    _, anna = server.register("expert")
    _, bob = server.register("expert")
    _push(server, anna, "desk-anna", [{"seq": 1, "command_id": "a1", "name": "SetOffers", "args": {"mode": "chat", "per_minute": 3}}])
    seen = server.call(bob, "POST", "/sync/pull", json={"client_id": "desk-bob1", "cursor": ""}).json()
    assert [c["kind"] for c in seen["changes"]] == ["AccountOpened"]
    stolen = server.call(bob, "POST", "/sync/push", json={"client_id": "desk-anna", "schema_version": 1, "commands": []})
    # another account's client id is taken like any taken id: nothing says whose it is
    assert stolen.status_code == 409 and stolen.json()["error"]["code"] == "already_exists"


def test_outdated_client_gets_426(server: LiveServer) -> None:
    _, token = server.register("expert")
    r = server.call(token, "POST", "/sync/push", json={"client_id": "desk-0001", "schema_version": 0, "commands": []})
    assert r.status_code == 426 and "update the app" in r.json()["error"]["message"]


def test_r1_failed_logins_are_rate_limited(server: LiveServer) -> None:
    server.register("customer", email="carl@example.com")
    wrong = {"email": "carl@example.com", "password": "not it"}
    codes = [server.call("", "POST", "/auth/login", json=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    locked = server.call("", "POST", "/auth/login", json={"email": "carl@example.com", "password": "correct horse"})
    assert locked.status_code == 429 and "try again" in locked.json()["error"]["message"]


def test_the_desktops_routes_are_matched_first_and_take_no_other_path(tmp_path: Path) -> None:
    """Every request walks the routes in order: the desktops' pushes, pulls and stream are found
    before the site's pages and the other APIs (`app.DESKTOP_ROUTERS`), and being first they take
    no page's or other API's path."""
    app = create_app(Settings(data_dir=tmp_path / "data"))
    routes = app.router.routes

    def first_match(method: str, path: str) -> int:
        scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [],
                 "query_string": b"", "app": app}
        return next(i for i, r in enumerate(routes) if r.matches(scope)[0] is Match.FULL)

    desktop = {first_match(m, p) for m, p in (("POST", "/sync/push"), ("POST", "/sync/pull"),
                                                ("GET", "/sync/stream"), ("GET", "/sync/notifications"))}
    pages_from = first_match("GET", "/")  # the site's first page
    assert max(desktop) < pages_from, (desktop, pages_from)
    for method, path in (("GET", "/"), ("GET", "/e/anna-expert"), ("GET", "/me/wallet"), ("GET", "/auth/me"),
                         ("POST", "/auth/login"), ("GET", "/ops/money"), ("GET", "/health"), ("GET", "/policy")):
        assert first_match(method, path) not in desktop, path


def test_every_application_serves_the_routes_declared_once_in_one_flat_list(tmp_path: Path) -> None:
    """`create_app` adds the routers' own route objects (`routing.add_routes`), not FastAPI's lazy
    `include_router` nodes, which build every route again for each new application at its first
    request and walk each router's list at every request. Two applications share the same objects."""
    first = create_app(Settings(data_dir=tmp_path / "one")).router.routes
    second = create_app(Settings(data_dir=tmp_path / "two")).router.routes
    assert all(isinstance(route, (Route, Mount)) for route in first), [r for r in first if not isinstance(r, Route)]
    declared = [route for router in (*DESKTOP_ROUTERS, *web.ROUTERS, *ROUTERS) for route in router.routes]
    assert [id(r) for r in first if any(r is d for d in declared)] == [id(r) for r in declared]
    assert all(any(r is s for s in second) for r in declared)


def test_a_router_that_includes_another_is_refused_rather_than_served_without_its_prefix(tmp_path: Path) -> None:
    inner = APIRouter()

    @inner.get("/inner")
    def inner_page() -> dict[str, str]:
        return {}

    outer = APIRouter()
    outer.include_router(inner, prefix="/outer")
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with pytest.raises(TypeError, match="only declared routes"):
        add_routes(app, [outer])
