"""Load and soak bench: prints ONE JSON line of figures (issue 6, part 5).

Against the real server started the way an administrator starts it (`consoleapp-server serve`):

- `--streams` desktop streams (`GET /sync/stream`, Server-Sent Events through httpx-sse) stay
  open as expert clients for the whole run; a desktop pulls (`POST /sync/pull`) on every poke;
- `--customers` customers, each with an expert of their own, loop for `--seconds`: book a slot,
  read the cancellation terms, cancel (R8, R12); send an instant request that their expert
  accepts and ends from the desktop (R6, `/sync/push`); evaluate it (R22), claim part of it
  back (R29), read the wallet; then pause `--think` seconds (default 0: a closed loop at the
  server's own pace, so the server is saturated and the latency is mostly queueing);
- `--web-customers` customers do it on the booking site, as a browser without JavaScript does:
  log in through the form, open their expert's page, open a free time's booking form and send
  it twice (a double click), open the meeting and send its cancel form on a connection that
  drops before the answer, then send it again (a reload). At the end each one's meetings and
  wallet are read back through the API: exactly one meeting per booking form, each cancelled,
  no credit held or lost.

Two runs: one server process on SQLite, and two worker processes (`--workers 2`) on the local
PostgreSQL (CONSOLEAPP_TEST_PG, default postgresql+psycopg://postgres@127.0.0.1:5432/test; a
fresh schema, dropped afterwards; skipped with a note when it does not answer). Per run:
requests handled, errors (any unexpected status, refused command, failed request or dropped
stream), p50/p99 latency, and the RSS of the server's process tree (from /proc) when the load
starts and when it ends. Aims: no errors, memory within 10 % of the start.

    .venv/bin/python bench/load.py                      # 500 streams, 50 customers, 60 s per run
    .venv/bin/python bench/load.py --seconds 600        # a soak
    .venv/bin/python bench/load.py --streams 10 --customers 3 --seconds 3   # a smoke run

500 streams need about 600 open files in this process and as many in the server: the bench
raises its soft limit (RLIMIT_NOFILE) to what it needs, which the server inherits, and stops
with a clear message when the hard limit is too low.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import forms
import httpx
import sqlalchemy as sa
from httpx_sse import aconnect_sse
from processes import process_tree, rss_mb, server_pid
from serving import serving

PG_URL = os.environ.get("CONSOLEAPP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse"
AIMS = {"errors": 0, "rss_growth_pct_max": 10}
STREAMS_PER_EXPERT = 5  # desktops per expert account: several devices each, and fewer scrypt hashes to set up
BOOKING_PRICE = 40
GRANT = 10**8  # credits each customer starts with


class BenchError(Exception):
    """The bench cannot run as asked; the message says what to change."""


# --- the machine ------------------------------------------------------------------------------------


def raise_open_files(needed: int) -> int:
    """Raise this process's soft open-files limit to `needed` (the server started after inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise BenchError(f"{needed} open files are needed (streams, customers and the server's side of each), "
                         f"but the hard limit is {hard}: raise it (e.g. `ulimit -Hn {needed}` as root, or "
                         f"LimitNOFILE in a service) or run with fewer --streams")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


@contextlib.contextmanager
def pg_schema() -> Any:
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    name = f"bench_load_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


# --- what happened ------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms by kind, every request of the load phase
    errors: list[str] = field(default_factory=list)
    pokes: int = 0
    retries: int = 0
    streams_open: int = 0
    stream_drops: int = 0
    loops: int = 0
    measuring: bool = False

    def error(self, what: str) -> None:
        self.errors.append(what[:300])


class Api:
    """Timed requests; anything but the expected status is an error, tallied and raised."""

    def __init__(self, http: httpx.AsyncClient, tally: Tally) -> None:
        self.http, self.tally = http, tally

    async def call(self, kind: str, token: str, method: str, path: str, expect: int = 200, retry: bool = False,
                   **kwargs: Any) -> Any:
        """`retry`: a request that may be sent twice (a push is applied once by its seq, a pull only
        reads) is sent again once when a kept-alive connection turns out closed, as the desktop does."""
        began = time.perf_counter()
        try:
            try:
                r = await self.http.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                if not retry:
                    raise
                self.tally.retries += 1
                r = await self.http.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
        except httpx.HTTPError as exc:
            self.tally.error(f"{kind}: {type(exc).__name__}: {exc}")
            raise
        if self.tally.measuring:
            self.tally.latencies.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
        if r.status_code != expect:
            self.tally.error(f"{kind}: {r.status_code} {r.text[:200]}")
            raise RuntimeError(kind)
        return r.json() if r.content else None


@dataclass
class Desktop:
    """An expert's desktop: its own HTTP client, client id, push sequence and pull cursor."""

    api: Api
    token: str
    expert: str
    client_id: str = field(default_factory=lambda: f"load-{uuid.uuid4().hex[:16]}")
    seq: int = 0
    cursor: str = ""
    slot: str = field(default_factory=lambda: f"week-{uuid.uuid4().hex[:12]}")  # slot ids are global
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def push(self, command: str, /, **args: Any) -> None:
        name = command
        api = self.api
        async with self.lock:  # a desktop sends its queue in order, one push at a time
            self.seq += 1
            body = await api.call("push", self.token, "POST", "/sync/push", retry=True, json={
                "client_id": self.client_id, "schema_version": 1,
                "commands": [{"seq": self.seq, "command_id": uuid.uuid4().hex, "name": name, "args": args}]})
        result = body["results"][0]
        if result["status"] != "applied":
            api.tally.error(f"push {name}: {result['code']}: {result['message']}")
            raise RuntimeError(name)

    async def pull(self) -> None:
        more = True
        while more:
            body = await self.api.call("pull", self.token, "POST", "/sync/pull", retry=True,
                                  json={"client_id": self.client_id, "cursor": self.cursor})
            self.cursor, more = body["cursor"], body["more"]


# --- the people -----------------------------------------------------------------------------------------


async def register(http: httpx.AsyncClient, role: str, n: int) -> tuple[str, str]:
    r = await http.post("/auth/register", json={"email": f"{role}-{n}-{uuid.uuid4().hex[:8]}@example.com",
                                                "password": PASSWORD, "name": f"{role.title()} {n}", "role": role})
    if r.status_code != 201:
        raise BenchError(f"registering a {role} failed: {r.status_code} {r.text[:200]}")
    return r.json()["user_id"], r.json()["token"]


def operator_token(url: str, data_dir: Path, database_url: str) -> str:
    """An operator made the administrator's way (`consoleapp-server admin create-operator`), logged in."""
    email = f"ops-{uuid.uuid4().hex[:6]}@example.com"
    made = subprocess.run([sys.executable, "-m", "consoleapp.sync.server.cli", "admin", "create-operator",
                           "--email", email, "--name", "Load", "--password", PASSWORD],
                          env={**os.environ, "CONSOLEAPP_DATA_DIR": str(data_dir), "CONSOLEAPP_DATABASE_URL": database_url},
                          capture_output=True, text=True)
    if made.returncode != 0:
        raise BenchError(f"no operator: {made.stderr.strip()}")
    r = httpx.post(f"{url}/auth/login", json={"email": email, "password": PASSWORD}, timeout=60)
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


async def setup(http: httpx.AsyncClient, api: Api, operator: str, customers: int, accounts: int,
                desktop: Callable[[str, str], Desktop]) -> tuple[list[Desktop], list[tuple[str, str, Desktop, datetime]]]:
    """Expert accounts (the first `customers` of them with prices and slots) and funded customers."""
    experts = await asyncio.gather(*(register(http, "expert", n) for n in range(accounts)))
    desktops = [desktop(token, expert) for expert, token in experts]
    people = await asyncio.gather(*(register(http, "customer", n) for n in range(customers)))
    tomorrow = (datetime.now(UTC) + timedelta(days=7)).replace(hour=8, minute=0, second=0, microsecond=0)

    async def open_shop(desk: Desktop) -> None:
        await desk.push("SetOffers", mode="video", short_price=BOOKING_PRICE, long_price=70)
        await desk.push("SetOffers", mode="chat", per_minute=2, short_price=20, long_price=50)
        await desk.push("AddSlot", slot_id=desk.slot, start=tomorrow.isoformat(), end=(tomorrow + timedelta(hours=8)).isoformat())
        await desk.push("AddSlot", slot_id=f"now-{desk.slot}", start=None)  # "Now": instant requests may come

    await asyncio.gather(*(open_shop(d) for d in desktops[:customers]))
    for customer, _ in people:
        await api.call("grant", operator, "POST", "/operator/grants", 201, json={"customer": customer, "amount": GRANT})
    return desktops, [(cid, token, desktops[n], tomorrow) for n, (cid, token) in enumerate(people)]


# --- the load -------------------------------------------------------------------------------------------------


async def stream(desk: Desktop, opened: asyncio.Event, count: int, stop: asyncio.Event) -> None:
    """One desktop's stream, open until `stop`; pulls on every poke, as the desktop does."""
    tally = desk.api.tally
    counted = False
    try:
        async with aconnect_sse(desk.api.http, "GET", "/sync/stream", headers={"Authorization": f"Bearer {desk.token}"}) as source:
            if source.response.status_code != 200:
                tally.error(f"stream: {source.response.status_code}")
                return
            tally.streams_open += 1
            counted = True
            if tally.streams_open == count:
                opened.set()
            async for event in source.aiter_sse():
                if event.event == "poke":
                    tally.pokes += 1
                    with contextlib.suppress(RuntimeError, httpx.HTTPError):  # tallied by Api
                        await desk.pull()
    except httpx.HTTPError as exc:
        if not stop.is_set():
            tally.error(f"stream: {type(exc).__name__}: {exc}")
    finally:
        tally.streams_open -= 1 if counted else 0
        if not stop.is_set():  # a stream must stay open for the whole run
            tally.stream_drops += 1


async def customer_loop(api: Api, token: str, desk: Desktop, day: datetime, n: int, stop: asyncio.Event,
                        think: float) -> None:
    """Book, look at the terms, cancel; an instant session, evaluated and partly claimed back; the wallet."""
    start = (day + timedelta(minutes=30 * (n % 16))).isoformat()
    while not stop.is_set():
        try:
            booked = await api.call("book", token, "POST", "/api/bookings", 201, json={
                "slot_id": desk.slot, "mode": "video", "offer": "short", "start": start, "topic": f"question {n}"})
            mid = booked["meeting"]["id"]
            await api.call("terms", token, "GET", f"/api/meetings/{mid}/cancellation")
            await api.call("cancel", token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "plans changed"})
            asked = await api.call("instant", token, "POST", "/api/requests/instant", 201, json={
                "expert": desk.expert, "mode": "chat", "offer": "short", "topic": f"quick question {n}"})
            live = asked["meeting"]["id"]
            await desk.push("AcceptInstant", meeting_id=live)
            await desk.push("EndSession", meeting_id=live)
            await api.call("evaluate", token, "POST", f"/api/meetings/{live}/evaluation", json={"answer": "went smoothly"})
            await api.call("claim", token, "POST", "/api/claims", 201, json={"session": live, "amount": 1, "reason": "a minute lost"})
            await api.call("wallet", token, "GET", "/api/wallet")
            api.tally.loops += 1
            await asyncio.sleep(think)
        except (RuntimeError, httpx.HTTPError):
            await asyncio.sleep(0.5)  # tallied already; do not spin on a failing step


# --- customers on the booking site ---------------------------------------------------------------------------


@dataclass
class WebCustomer:
    """A browser: its own client with cookies (session, visitor), the API token to check it after."""

    api: Api
    token: str
    slug: str
    booked: list[str] = field(default_factory=list)  # the meeting of each booking form, once
    granted: int = 0


async def web_login(http: httpx.AsyncClient, email: str) -> None:
    page = await http.get("/login")
    form = forms.form(page.text, "/login")
    if form is None:
        raise BenchError("the login page has no login form")
    r = await http.post("/login", data=form.filled(email=email, password=PASSWORD))
    if r.status_code != 303:
        raise BenchError(f"logging in through the form failed: {r.status_code} {r.text[:200]}")


async def page(api: Api, kind: str, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
    """A page or a form's answer, timed; a 5xx or a failure to answer is an error."""
    began = time.perf_counter()
    try:
        r = await api.http.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        api.tally.error(f"{kind}: {type(exc).__name__}: {exc}")
        raise
    if api.tally.measuring:
        api.tally.latencies.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
    if r.status_code >= 500 or (method == "GET" and r.status_code != 200) or (method == "POST" and r.status_code != 303):
        api.tally.error(f"{kind}: {r.status_code} {path} {r.text[r.text.find('<main'):][:300]}")
        raise RuntimeError(kind)
    return r


async def web_loop(who: WebCustomer, stop: asyncio.Event, think: float) -> None:
    api = who.api
    while not stop.is_set():
        try:
            shown = await page(api, "web_expert_page", f"/e/{who.slug}")
            links = forms.links(shown.text, rf"/e/{who.slug}/book\?slot=.+")
            if not links:
                api.tally.error("web_expert_page: no free time to book")
                raise RuntimeError("no free time")
            booking = await page(api, "web_booking_form", links[0])
            form = forms.form(booking.text, f"/e/{who.slug}/book")
            assert form is not None, "no booking form"
            # Not the first time offered: that is the next quarter hour, which may pass while the form
            # is sent (the site then refuses it, rightly); the one after it cannot.
            starts = form.options["start"]
            data = form.filled(offer=form.options["offer"][0], start=starts[min(1, len(starts) - 1)],
                               topic="booked on the web")
            clicks = await asyncio.gather(  # a double click: the same form twice at once
                page(api, "web_book", form.action, "POST", data=data),
                page(api, "web_book", form.action, "POST", data=data), return_exceptions=True)
            places = {r.headers["location"] for r in clicks if isinstance(r, httpx.Response)}
            for place in places:  # every meeting a click made is counted (and checked at the end)
                who.booked.append(place.split("?")[0].rsplit("/", 1)[1])
            if len(places) != 1 or not all(isinstance(r, httpx.Response) for r in clicks):
                if len(places) > 1:
                    api.tally.error(f"web_book: a double click led to two pages: {sorted(places)}")
                raise RuntimeError("web_book")
            meeting = who.booked[-1]
            shown = await page(api, "web_meeting_page", f"/me/meetings/{meeting}")
            cancel = forms.form(shown.text, f"/me/meetings/{meeting}/cancel")
            assert cancel is not None, "no cancel form"
            data = cancel.filled(reason="plans changed")
            with contextlib.suppress(httpx.TimeoutException):  # the connection drops before the answer
                await api.http.post(cancel.action, data=data, timeout=httpx.Timeout(5, read=0.0005))
            await page(api, "web_cancel", cancel.action, "POST", data=data)  # the reload
            api.tally.loops += 1
            await asyncio.sleep(think)
        except (RuntimeError, AssertionError, KeyError, IndexError, httpx.HTTPError) as exc:
            if not isinstance(exc, RuntimeError | httpx.HTTPError):
                api.tally.error(f"web: {type(exc).__name__}: {exc}")
            await asyncio.sleep(0.5)


async def web_check(who: WebCustomer) -> None:
    """Read back through the API: one meeting per form sent, all cancelled, every credit free."""
    api = who.api
    mine = await api.call("web_check", who.token, "GET", "/api/meetings")
    found = {m["id"]: m["status"] for m in mine["meetings"]}
    if sorted(found) != sorted(set(who.booked)) or len(who.booked) != len(set(who.booked)):
        api.tally.error(f"web_check: {len(who.booked)} booking forms made {len(found)} meetings")
    if any(status != "Cancelled" for status in found.values()):
        api.tally.error(f"web_check: not all cancelled: {sorted(set(found.values()))}")
    wallet = await api.call("web_check", who.token, "GET", "/api/wallet")
    if (wallet["balance"], wallet["available"]) != (who.granted, who.granted):
        api.tally.error(f"web_check: the wallet says {wallet['balance']}/{wallet['available']}, "
                        f"{who.granted} were granted and every booking was cancelled for free")


async def load(url: str, data_dir: Path, database_url: str, streams: int, customers: int, seconds: float,
               think: float, web_customers: int = 0) -> dict[str, Any]:
    tally = Tally()
    try:
        pids = process_tree(server_pid(int(url.rsplit(":", 1)[1])))
    except LookupError as exc:
        raise BenchError(str(exc)) from None
    operator = await asyncio.to_thread(operator_token, url, data_dir, database_url)
    async with contextlib.AsyncExitStack() as clients:

        def client(connections: int = 2) -> httpx.AsyncClient:
            """A client of its own for every desktop and customer, as separate programs have.

            (One shared client with hundreds of connections spends its time choosing a
            connection in httpcore's pool, and measures itself instead of the server.)
            """
            return httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_connections=connections),
                                     timeout=httpx.Timeout(60, read=None))  # a stream is silent between pokes

        async def own(connections: int = 2) -> Api:
            return Api(await clients.enter_async_context(client(connections)), tally)

        shared = await own(100)  # setting up only, not measured
        accounts = max(customers + web_customers, -(-streams // STREAMS_PER_EXPERT))
        desktop_apis = [await own() for _ in range(accounts + streams)]
        began_setup = time.perf_counter()
        try:
            desktops, people = await setup(shared.http, shared, operator, customers + web_customers, accounts,
                                           lambda token, expert: Desktop(desktop_apis.pop(), token, expert))
            people, on_web = people[:customers], people[customers:]
            browsers = []
            for n, (_, token, desk, _day) in enumerate(on_web):
                slug = f"load-{uuid.uuid4().hex[:10]}"
                await desk.push("UpdateProfile", name=f"Expert {n}", specialty="Tax", time_zone="UTC", slug=slug)
                me = await shared.call("me", token, "GET", "/auth/me")
                browser = await clients.enter_async_context(httpx.AsyncClient(
                    base_url=url, timeout=60, headers={"Accept": "text/html"}))
                await web_login(browser, me["email"])
                browsers.append(WebCustomer(Api(browser, tally), token, slug, granted=GRANT))
        except (RuntimeError, httpx.HTTPError) as exc:
            raise BenchError(f"setting up the people failed: {tally.errors[-1:] or repr(exc)}") from None
        stop, opened = asyncio.Event(), asyncio.Event()
        # Each stream a desktop of its own (own client id and cursor), several per expert account.
        views = [Desktop(desktop_apis.pop(), desktops[i % len(desktops)].token, desktops[i % len(desktops)].expert)
                 for i in range(streams)]
        stream_tasks = [asyncio.create_task(stream(view, opened, streams, stop)) for view in views]
        try:
            await asyncio.wait_for(opened.wait(), 120)
        except TimeoutError:
            raise BenchError(f"only {tally.streams_open} of {streams} streams opened in 120 s; errors: {tally.errors[:3]}") from None
        setup_seconds = time.perf_counter() - began_setup
        await asyncio.sleep(1)  # let the opening pulls settle before the baseline
        pids = process_tree(pids[0])
        rss_start = rss_mb(pids)
        tally.measuring = True
        began = time.perf_counter()
        loops = [asyncio.create_task(customer_loop(await own(), token, desk, day, n, stop, think))
                 for n, (_, token, desk, day) in enumerate(people)]
        loops += [asyncio.create_task(web_loop(b, stop, think)) for b in browsers]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*loops, return_exceptions=True)
        elapsed = time.perf_counter() - began
        tally.measuring = False
        for b in browsers:
            with contextlib.suppress(RuntimeError, httpx.HTTPError):  # tallied by Api
                await web_check(b)
        streams_at_end = tally.streams_open
        rss_end = rss_mb(process_tree(pids[0]))
        for task in stream_tasks:
            task.cancel()
        await asyncio.gather(*stream_tasks, return_exceptions=True)
    times = sorted(t for kind in tally.latencies.values() for t in kind)
    by_kind = {kind: {"n": len(t), "p50_ms": round(statistics.median(t), 1)} for kind, t in sorted(tally.latencies.items())}
    return {
        "requests": len(times), "requests_per_s": round(len(times) / elapsed, 1) if elapsed else None,
        "errors": len(tally.errors) + tally.stream_drops, "stream_drops": tally.stream_drops, "retried": tally.retries,
        "error_samples": tally.errors[:3],
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1) if times else None,
        "customer_loops": tally.loops, "web_customers": web_customers,
        "web_forms_checked": sum(len(b.booked) for b in browsers), "by_kind": by_kind,
        "streams_open_at_end": streams_at_end, "pokes": tally.pokes,
        "rss_start_mb": rss_start, "rss_end_mb": rss_end,
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 1) if rss_start else None,
        "server_processes": len(pids), "setup_s": round(setup_seconds, 1), "seconds": round(elapsed, 1),
    }


def connections(streams: int, customers: int) -> int:
    """Open files either side needs: a stream's connection and its pulls', a customer's and its desktop's."""
    return 2 * streams + 4 * customers + 150


def run(data_dir: Path, database_url: str, workers: int, args: argparse.Namespace) -> dict[str, Any]:
    with serving(data_dir, database_url, workers) as url:
        return asyncio.run(load(url, data_dir, database_url, args.streams, args.customers, args.seconds, args.think,
                                args.web_customers))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="load time of each run (default 60)")
    parser.add_argument("--streams", type=int, default=500, help="open desktop streams (default 500)")
    parser.add_argument("--customers", type=int, default=50, help="customers booking, cancelling and claiming (default 50)")
    parser.add_argument("--web-customers", type=int, default=10,
                        help="customers booking and cancelling through the booking site's forms (default 10)")
    parser.add_argument("--think", type=float, default=0,
                        help="a customer's pause between rounds, s (default 0: a closed loop at the server's pace, "
                             "so latency is mostly queueing)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one run instead of both")
    args = parser.parse_args()
    out: dict[str, Any] = {"bench": "load", "date": datetime.now(UTC).date().isoformat(), "seconds": args.seconds,
                           "streams": args.streams, "customers": args.customers, "web_customers": args.web_customers,
                           "think_s": args.think, "aims": AIMS}
    notes: list[str] = []
    try:
        out["open_files_limit"] = raise_open_files(connections(args.streams, args.customers + args.web_customers) + args.streams + 256)
        with tempfile.TemporaryDirectory(prefix="consoleapp-load-") as tmp:
            if args.only in (None, "sqlite"):
                out["sqlite_1_process"] = run(Path(tmp) / "sqlite", "", 1, args)
            if args.only in (None, "postgresql"):
                try:
                    with pg_schema() as pg:
                        out["postgresql_2_workers"] = run(Path(tmp) / "pg", pg, 2, args)
                except (sa.exc.OperationalError, ImportError) as exc:
                    notes.append(f"PostgreSQL skipped: {str(exc).splitlines()[0]}")
    except BenchError as exc:
        out["error"] = str(exc)
        print(json.dumps({**out, "notes": notes}))
        return 2
    runs = [v for k, v in out.items() if k.startswith(("sqlite_", "postgresql_"))]
    out["ok"] = bool(runs) and all(r["errors"] == 0 and (r["rss_growth_pct"] or 0) <= AIMS["rss_growth_pct_max"] for r in runs)
    print(json.dumps({**out, "notes": notes}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
