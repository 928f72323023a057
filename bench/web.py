"""The booking site under 50 visitors at once: the expert's page and the booking form.

    .venv/bin/python bench/web.py [--visitors 50] [--seconds 20] [--think 2]

One SQLite server process (`consoleapp-server serve`, as deployed). An expert with a profile,
offers, a slot each weekday morning for three weeks and some bookings in them; each visitor is a
logged-in customer (a browser session made through the login form) who loads the expert's page
and the booking form in turn. Two ways:
- saturated (`expert_page`, `booking_form`, `health`): each visitor asks again the moment an
  answer arrives, so the server is always busy and the latency is mostly queueing; `/health` on
  the same server, in the same run, is the ceiling (`page_share_of_health`);
- paced (`expert_page_paced`, `booking_form_paced`): each visitor reads a page for about
  `--think` seconds (drawn between half and one and a half times it) before the next, as people do.
Prints one JSON line: p50/p99 time to the full HTML response and requests per second for each.
The bench's visitors share the machine with the server (on 2 cores, one each).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serving import serving  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


def push(url: str, token: str, client: str, seq: int, command: str, **args: Any) -> None:
    r = httpx.post(f"{url}/sync/push", headers={"Authorization": f"Bearer {token}"}, timeout=30, json={
        "client_id": client, "schema_version": 1,
        "commands": [{"seq": seq, "command_id": uuid.uuid4().hex, "name": command, "args": args}]})
    r.raise_for_status()
    assert r.json()["results"][0]["status"] == "applied", r.text


def build(url: str) -> tuple[str, list[tuple[str, str]]]:
    """The expert (her slug) and the booking links of her page."""
    r = httpx.post(f"{url}/auth/register", json={"email": "anna@bench.example", "password": "correct horse",
                                                 "name": "Anna", "role": "expert", "time_zone": "Europe/Paris"})
    token = r.json()["token"]
    seq = iter(range(1, 10_000))
    push(url, token, "bench-desk", next(seq), "UpdateProfile", name="Anna Keller", specialty="Tax law",
         time_zone="Europe/Paris", slug="anna-keller")
    push(url, token, "bench-desk", next(seq), "SetOffers", mode="video", per_minute=2, short_price=40, long_price=70)
    push(url, token, "bench-desk", next(seq), "SetOffers", mode="chat", per_minute=1, short_price=25, long_price=45)
    today = datetime.now(UTC).astimezone(PARIS).date()
    for d in range(1, 22):
        day = today + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        start = datetime(day.year, day.month, day.day, 9, tzinfo=PARIS).astimezone(UTC)
        push(url, token, "bench-desk", next(seq), "AddSlot", slot_id=f"s{d}", start=start.isoformat(),
             end=(start + timedelta(hours=4)).isoformat())
    page = httpx.get(f"{url}/e/anna-keller", headers={"Accept": "text/html"}).text
    links = re.findall(r'href="/e/anna-keller/book\?slot=([^&"]+)&amp;at=([^"]+)"', page)
    return "anna-keller", links


async def visitor(url: str, n: int) -> httpx.AsyncClient:
    """A customer logged in through the site's own forms (a session cookie, a CSRF token)."""
    client = httpx.AsyncClient(base_url=url, timeout=60, headers={"Accept": "text/html"})
    form = await client.get("/signup")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
    assert csrf, "no CSRF token on the sign-up page"
    r = await client.post("/signup", data={"csrf": csrf.group(1), "name": f"Visitor {n}",
                                           "email": f"visitor{n}-{uuid.uuid4().hex[:6]}@bench.example",
                                           "password": "correct horse", "next": "/"})
    assert r.status_code == 303, r.text[:300]
    return client


async def hammer(clients: list[httpx.AsyncClient], paths: list[str], seconds: float,
                 think: float = 0.0) -> dict[str, Any]:
    """Every client requests `paths` in turn until the time is up, pausing about `think` seconds
    after each answer; latencies of full responses."""
    times: list[float] = []
    errors = 0
    pace = random.Random(7)
    stop = time.monotonic() + seconds

    async def one(client: httpx.AsyncClient, k: int) -> None:
        nonlocal errors
        i = k
        if think:  # people arrive one by one, not all in the same millisecond
            await asyncio.sleep(think * pace.uniform(0, 1))
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            r = await client.get(paths[i % len(paths)])
            await r.aread()
            times.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1
            i += 1
            if think:
                await asyncio.sleep(think * pace.uniform(0.5, 1.5))

    started = time.monotonic()
    await asyncio.gather(*(one(c, k) for k, c in enumerate(clients)))
    took = time.monotonic() - started
    times.sort()
    return {"requests": len(times), "errors": errors, "per_s": round(len(times) / took, 1),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 1)}


async def run(url: str, slug: str, links: list[tuple[str, str]], visitors: int, seconds: float,
              think: float) -> dict[str, Any]:
    clients = [await visitor(url, n) for n in range(visitors)]
    try:
        booking = [f"/e/{slug}/book?slot={s}&at={a}" for s, a in links[:10]]
        page = await hammer(clients, [f"/e/{slug}"], seconds)
        form = await hammer(clients, booking, seconds)
        health = await hammer(clients, ["/health"], seconds)
        page_paced = await hammer(clients, [f"/e/{slug}"], seconds, think)
        form_paced = await hammer(clients, booking, seconds, think)
    finally:
        for c in clients:
            await c.aclose()
    return {"expert_page": page, "booking_form": form, "health": health,
            "page_share_of_health": round(page["per_s"] / health["per_s"], 2) if health["per_s"] else 0.0,
            "think_s": think, "expert_page_paced": page_paced, "booking_form_paced": form_paced}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=2.0, help="a paced visitor's reading time, s (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp) / "data") as url:
        slug, links = build(url)
        figures = asyncio.run(run(url, slug, links, args.visitors, args.seconds, args.think))
    print(json.dumps({"bench": "web", "date": datetime.now(UTC).date().isoformat(), "visitors": args.visitors,
                      "seconds": args.seconds, **figures}))


if __name__ == "__main__":
    main()
