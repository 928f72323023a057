"""Customers who keep asking: the demo's traffic, through the server's public customer API.

Every 30–90 seconds one of the demo customers sends an instant request (when the expert has
a slot open now) or a scheduled request with three proposed times. It only uses the HTTP
API a customer app would use, so what the console shows is what a real customer caused.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta

import httpx

from .dataset import PASSWORD, TOPICS

log = logging.getLogger("consoleapp.demo")


class Simulator:
    def __init__(self, http: httpx.AsyncClient, server_url: str, expert: str, emails: list[str],
                 every: tuple[float, float] = (30.0, 90.0), seed: int | None = None) -> None:
        self.http = http
        self.url = server_url.rstrip("/")
        self.expert = expert
        self.emails = emails
        self.every = every
        self.rng = random.Random(seed)
        self.tokens: dict[str, str] = {}
        self.sent = 0
        self.refused = 0

    async def _token(self, email: str) -> str:
        if email not in self.tokens:
            r = await self.http.post(f"{self.url}/auth/login", json={"email": email, "password": PASSWORD})
            r.raise_for_status()
            self.tokens[email] = r.json()["token"]
        return self.tokens[email]

    async def once(self) -> httpx.Response:
        """One customer request; instant when possible."""
        email = self.rng.choice(self.emails)
        headers = {"Authorization": f"Bearer {await self._token(email)}"}
        topic = self.rng.choice(TOPICS)
        if self.rng.random() < 0.6:
            r = await self.http.post(f"{self.url}/api/requests/instant", headers=headers, json={
                "expert": self.expert, "mode": "video", "offer": self.rng.choice(["short", "long"]),
                "topic": topic})
            if r.status_code == 201:
                return r
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        first = now + timedelta(days=self.rng.randint(2, 9), hours=self.rng.randint(0, 6))
        times = [(first + timedelta(days=k, hours=k)).isoformat() for k in range(3)]
        return await self.http.post(f"{self.url}/api/requests/scheduled", headers=headers, json={
            "expert": self.expert, "mode": self.rng.choice(["video", "phone", "chat"]),
            "offer": self.rng.choice(["short", "long"]), "topic": topic, "times": times})

    async def run(self) -> None:
        """Until cancelled; a failure is logged and the next customer tries later."""
        await asyncio.sleep(self.rng.uniform(5, 12))  # a first request soon after the window opens
        while True:
            try:
                r = await self.once()
                if r.status_code == 201:
                    self.sent += 1
                else:
                    self.refused += 1
                    log.info("demo customer request refused: %s", r.text[:200])
            except httpx.HTTPError as exc:
                log.info("demo customer could not reach the server: %s", exc)
            await asyncio.sleep(self.rng.uniform(*self.every))
