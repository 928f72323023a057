"""Sync-server benchmark: prints ONE JSON line of figures.

- push: desktop clients (threads, one keep-alive connection each, bodies encoded before the clock starts) pushing batches of SetOffers/AddSlot
  commands through `POST /sync/push` to the real server process started by
  `consoleapp-server serve`; commands applied per second. SQLite (one process) and, when the
  local PostgreSQL answers, PostgreSQL with one and with two processes.
- poke latency: with idle `/sync/stream`s open, a customer's `POST /api/requests/instant`
  until the expert's open stream receives its poke (p50/p99, ms). SQLite server.
- health: requests per second of `GET /health` on the same SQLite server, the ceiling.

    .venv/bin/python bench/server.py            # the full run (about a minute)
    .venv/bin/python bench/server.py --quick    # a smoke run

PostgreSQL: CONSOLEAPP_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
each run gets a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from serving import serving

PG_URL = os.environ.get("CONSOLEAPP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse"
AIMS = {"push_sqlite_commands_per_s": 2000, "poke_p99_ms": 100}


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def register(url: str, role: str, tag: str) -> tuple[str, str]:
    r = httpx.post(f"{url}/auth/register", timeout=60, json={
        "email": f"{role}-{tag}-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD,
        "name": f"{role.title()} {tag}", "role": role})
    r.raise_for_status()
    return r.json()["user_id"], r.json()["token"]


def register_many(url: str, role: str, n: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [("", "")] * n

    def one(i: int) -> None:
        out[i] = register(url, role, str(i))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def commands(client: int, batch: int, size: int, seq0: int) -> list[dict[str, Any]]:
    """A desktop's batch: mostly prices, some new future slots (distinct, never overlapping)."""
    out = []
    base = datetime(2030, 1, 1, tzinfo=UTC)
    for i in range(size):
        seq = seq0 + i + 1
        if i % 5 == 4:
            start = base + timedelta(hours=seq)
            name, args = "AddSlot", {"slot_id": f"s{client}-{seq}", "start": start.isoformat(),
                                     "end": (start + timedelta(minutes=30)).isoformat()}
        else:
            name, args = "SetOffers", {"mode": ("video", "chat", "phone")[seq % 3], "per_minute": 1 + seq % 9}
        out.append({"seq": seq, "command_id": uuid.uuid4().hex, "name": name, "args": args})
    return out


def push_rate(url: str | list[str], clients: int, batches: int, size: int,
              people: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """`clients` experts (signed up here unless given) each pushing `batches` batches of `size` commands;
    given several servers' URLs (one database), client n pushes to the n-th, round robin.

    The load is made before the clock starts and sent lean: every request body encoded up front
    (each batch's seqs follow the last one's, as the server acknowledges them when all goes
    well, which is checked), over one keep-alive `http.client` connection per desktop. The
    clients share the machine with the servers and PostgreSQL: on two cores, httpx's Python
    per request took about a fifth of the machine and capped what a second worker could show."""
    urls = [url] if isinstance(url, str) else url
    people = people or register_many(urls[0], "expert", clients)
    rejected = [0]
    errors: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)
    bodies = [[json.dumps({"client_id": f"bench-desk-{n:04d}", "schema_version": 1,
                           "commands": commands(n, b, size, b * size)}).encode() for b in range(batches)]
              for n in range(clients)]

    def desktop(n: int, token: str) -> None:
        where = urlsplit(urls[n % len(urls)])
        http = HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        try:
            start_line.wait()
            for b, data in enumerate(bodies[n]):
                http.request("POST", "/sync/push", body=data, headers=headers)
                r = http.getresponse()
                raw = r.read()
                if r.status != 200:
                    with lock:
                        errors.append(f"{r.status}: {raw[:200]!r}")
                    return
                body = json.loads(raw)
                if body["last_seq"] != (b + 1) * size:
                    with lock:
                        errors.append(f"batch {b}: the server acknowledged up to {body['last_seq']}, not {(b + 1) * size}")
                    return
                with lock:
                    rejected[0] += sum(1 for x in body["results"] if x["status"] != "applied")
        finally:
            http.close()

    threads = [threading.Thread(target=desktop, args=(n, token)) for n, (_, token) in enumerate(people)]
    for t in threads:
        t.start()
    start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    total = clients * batches * size
    return {"commands_per_s": round(total / elapsed) if not errors else None, "commands": total,
            "seconds": round(elapsed, 3), "rejected": rejected[0], "errors": errors[:3]}


def health_rate(url: str, seconds: float, threads: int = 8) -> float:
    counts = [0] * threads
    stop = time.perf_counter() + seconds

    def hammer(i: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while time.perf_counter() < stop:
                http.get("/health")
                counts[i] += 1

    began = time.perf_counter()
    pool = [threading.Thread(target=hammer, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return round(sum(counts) / (time.perf_counter() - began))


class IdleStreams:
    """Many open `/sync/stream`s that nobody pokes, on one asyncio loop in a thread."""

    def __init__(self, url: str, tokens: list[str], count: int) -> None:
        self.url, self.tokens, self.count = url, tokens, count
        self.open = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _one(self, client: httpx.AsyncClient, token: str) -> None:
        async with client.stream("GET", "/sync/stream", headers={"Authorization": f"Bearer {token}"}) as r:
            r.raise_for_status()
            self.open += 1
            if self.open == self.count:
                self.ready.set()
            async for _ in r.aiter_lines():
                pass

    async def _all(self) -> None:
        self.stopping = asyncio.Event()
        limits = httpx.Limits(max_connections=self.count + 10, max_keepalive_connections=self.count + 10)
        async with httpx.AsyncClient(base_url=self.url, timeout=httpx.Timeout(30, read=None), limits=limits) as client:
            tasks = [asyncio.create_task(self._one(client, self.tokens[i % len(self.tokens)])) for i in range(self.count)]
            await self.stopping.wait()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> IdleStreams:
        self.thread.start()
        self.future = asyncio.run_coroutine_threadsafe(self._all(), self.loop)
        if not self.ready.wait(60):
            raise RuntimeError(f"only {self.open} of {self.count} idle streams opened")
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)
        with contextlib.suppress(Exception):
            self.future.result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class ExpertStream(threading.Thread):
    """The expert's desktop: one open stream; notes when each poke arrives."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url, self.token = url, token
        self.pokes: list[tuple[float, int]] = []
        self.connected = threading.Event()
        self.arrived = threading.Condition()

    def run(self) -> None:
        with contextlib.suppress(httpx.HTTPError), httpx.Client(base_url=self.url, timeout=httpx.Timeout(30, read=None)) as http, \
                http.stream("GET", "/sync/stream", headers={"Authorization": f"Bearer {self.token}"}) as r:
            event = ""
            for line in r.iter_lines():
                self.connected.set()
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("id:") and event == "poke":
                    with self.arrived:
                        self.pokes.append((time.perf_counter(), int(line[3:].strip())))
                        self.arrived.notify_all()
                elif not line:
                    event = ""

    def wait_poke(self, after: int, timeout: float = 5.0) -> float | None:
        deadline = time.perf_counter() + timeout
        with self.arrived:
            while len(self.pokes) <= after:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.arrived.wait(left)
            return self.pokes[after][0]


def poke_latency(url: str, data_dir: Path, samples: int, idle: int) -> dict[str, Any]:
    probe = httpx.get(f"{url}/openapi.json", timeout=30).json()["paths"]
    if "/sync/stream" not in probe:
        return {"p50_ms": None, "p99_ms": None, "reason": "/sync/stream does not exist on this server"}
    via_api = "/api/requests/instant" in probe
    email = f"ops-{uuid.uuid4().hex[:6]}@example.com"
    made = subprocess.run([sys.executable, "-m", "consoleapp.sync.server.cli", "admin", "create-operator",
                           "--email", email, "--name", "Bench", "--password", PASSWORD],
                          env={**os.environ, "CONSOLEAPP_DATA_DIR": str(data_dir), "CONSOLEAPP_DATABASE_URL": ""},
                          capture_output=True, text=True)
    if made.returncode != 0:
        return {"p50_ms": None, "p99_ms": None, "reason": f"no operator: {made.stderr.strip()}"}
    operator = httpx.post(f"{url}/auth/login", json={"email": email, "password": PASSWORD}).json()["token"]
    expert, expert_token = register(url, "expert", "live")
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {expert_token}"}, timeout=30) as http:
        r = http.post("/sync/push", json={"client_id": "bench-live-expert", "schema_version": 1, "commands": [
            {"seq": 1, "command_id": uuid.uuid4().hex, "name": "SetOffers", "args": {"mode": "chat", "per_minute": 2}},
            {"seq": 2, "command_id": uuid.uuid4().hex, "name": "AddSlot", "args": {
                "slot_id": "now", "start": None}}]})  # "Now": a slot from now, of the policy's length
        statuses = [x["status"] for x in r.json()["results"]]
        if statuses != ["applied", "applied"]:
            return {"p50_ms": None, "p99_ms": None, "reason": f"expert setup refused: {r.json()['results']}"}
    customers = register_many(url, "customer", samples)
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {operator}"}, timeout=30) as ops:
        for person, _ in customers:
            ops.post("/operator/grants", json={"customer": person, "amount": 10_000}).raise_for_status()
    idle_people = register_many(url, "expert", max(1, min(20, idle // 10)))
    times: list[float] = []
    answered: list[float] = []
    refused: list[str] = []
    with IdleStreams(url, [t for _, t in idle_people], idle):
        live = ExpertStream(url, expert_token)
        live.start()
        if not live.connected.wait(10):
            return {"p50_ms": None, "p99_ms": None, "reason": "the expert's stream did not connect"}
        # One client for every sample: building one costs tens of ms (TLS context), which is
        # the bench's own cost, not the server's, and must stay outside the timed region.
        http = httpx.Client(base_url=url, timeout=30)
        for n, (_, token) in enumerate(customers):
            seen = len(live.pokes)
            auth = {"Authorization": f"Bearer {token}"}
            began = time.perf_counter()
            if via_api:
                r = http.post("/api/requests/instant", headers=auth, json={
                    "expert": expert, "mode": "chat", "offer": "per_minute", "topic": f"question {n}", "max_budget": 20})
                ok = r.status_code == 201
            else:
                r = http.post("/sync/push", headers=auth, json={"client_id": f"bench-cust-{n:04d}", "schema_version": 1, "commands": [
                    {"seq": 1, "command_id": uuid.uuid4().hex, "name": "RequestInstant", "args": {
                        "meeting_id": uuid.uuid4().hex, "expert": expert, "mode": "chat", "offer": "per_minute",
                        "topic": f"question {n}", "max_budget": 20}}]})
                ok = r.status_code == 200 and r.json()["results"][0]["status"] == "applied"
            if not ok:
                refused.append(r.text[:200])
                continue
            answered.append((time.perf_counter() - began) * 1000)
            arrived = live.wait_poke(seen)
            if arrived is not None:
                times.append((arrived - began) * 1000)
        http.close()
    if not times:
        return {"p50_ms": None, "p99_ms": None, "reason": f"no poke arrived; refused: {refused[:2]}"}
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
            "request_p50_ms": round(statistics.median(answered), 1), "samples": len(times), "lost": samples - len(times), "idle_streams": idle,
            "via": "/api/requests/instant" if via_api else "/sync/push RequestInstant"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few clients, few samples")
    args = parser.parse_args()
    clients, batches, size = (4, 2, 50) if args.quick else (20, 10, 50)
    samples, idle, health_seconds = (5, 20, 0.5) if args.quick else (100, 200, 3.0)
    out: dict[str, Any] = {"bench": "server", "date": datetime.now(UTC).date().isoformat(), "quick": args.quick,
                           "clients": clients, "batch": size, "batches_per_client": batches}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="consoleapp-bench-") as tmp:
        data = Path(tmp) / "sqlite"
        with serving(data) as url:
            sqlite_push = push_rate(url, clients, batches, size)
            out["push_sqlite"] = sqlite_push
            out["poke"] = poke_latency(url, data, samples, idle)
            out["health_rps"] = health_rate(url, health_seconds)
        try:
            for workers in (1, 2):
                with pg_schema() as pg, serving(Path(tmp) / f"pg{workers}", pg, workers) as url:
                    out[f"push_postgresql_{workers}"] = push_rate(url, clients, batches, size)
        except (sa.exc.SQLAlchemyError, ImportError) as exc:
            notes.append(f"PostgreSQL skipped: {str(exc).splitlines()[0]}")
    summary = {
        "push_commands_per_s": {k[5:]: v["commands_per_s"] for k, v in out.items() if k.startswith("push_")},
        "poke_p50_ms": out["poke"].get("p50_ms"), "poke_p99_ms": out["poke"].get("p99_ms"),
        "health_rps": out["health_rps"], "aims": AIMS,
    }
    out = {**summary, **out, "notes": notes}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
