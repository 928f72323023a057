"""The simulated network: every party's HTTP goes through a `Wire` to the real app, in process.

A wire wraps real HTTP to the real ASGI app (`httpx.ASGITransport`); nothing of ours is
mocked. It can be offline, and the simulation arms faults on it for the next request to a
path: the request duplicated on the way, held in the network and delivered at a later step
(the sender times out meanwhile), or handled by the server with its answer cut off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import httpx
from starlette.types import ASGIApp


class Fault(StrEnum):
    OFFLINE = "offline"  # the request never leaves: the sender sees a connection error
    DUPLICATE = "duplicate"  # it arrives twice (a retrying proxy); the sender gets the second answer
    DELAY = "delay"  # held in the network, arrives at a later step; the sender times out now
    CUT = "cut"  # the server handles it, the connection drops before the answer


@dataclass
class Held:
    """A request stuck in the network, delivered when the simulation says."""

    wire: str
    request: httpx.Request


@dataclass
class Duplicate:
    """Both answers to a duplicated request, for the checks (a keyed call must be replayed)."""

    wire: str
    path: str
    first: httpx.Response
    second: httpx.Response


@dataclass
class Network:
    """Where requests go: the app of the server that runs now (it changes on a restart)."""

    app_of: Callable[[], ASGIApp]
    faults: Counter[str] = field(default_factory=Counter)
    held: list[Held] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    delivered_late: int = 0

    async def deliver(self, request: httpx.Request) -> httpx.Response:
        """One request to the real app, its answer read whole (the ASGI transport buffers it anyway)."""
        transport = httpx.ASGITransport(app=self.app_of())
        response = await transport.handle_async_request(_copy(request))
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    async def release(self, index: int) -> httpx.Response:
        """Deliver one held request now; its sender gave up long ago, so the answer goes nowhere."""
        held = self.held.pop(index)
        self.delivered_late += 1
        return await self.deliver(held.request)


class Wire(httpx.AsyncBaseTransport):
    """One party's connection. `armed` maps a path to the fault its next request meets."""

    def __init__(self, network: Network, name: str) -> None:
        self.network = network
        self.name = name
        self.online = True
        self.armed: dict[str, Fault] = {}
        self.cut: list[tuple[str, httpx.Response]] = []  # answers the server gave that never arrived
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        path = request.url.path
        if not self.online:
            self.network.faults[Fault.OFFLINE] += 1
            raise httpx.ConnectError("simulated: offline", request=request)
        self.sent += 1
        fault = self.armed.pop(path, None)
        if fault is not None:
            self.network.faults[fault] += 1
        if fault is Fault.DELAY:
            self.network.held.append(Held(self.name, _copy(request)))
            raise httpx.ReadTimeout("simulated: no answer in time (the request is still in the network)",
                                    request=request)
        response = await self.network.deliver(request)
        if fault is Fault.DUPLICATE:
            second = await self.network.deliver(request)
            self.network.duplicates.append(Duplicate(self.name, path, response, second))
            response = second
        if fault is Fault.CUT:
            self.cut.append((path, response))
            raise httpx.ReadError("simulated: connection cut before the answer", request=request)
        return response


def _copy(request: httpx.Request) -> httpx.Request:
    """A fresh request with the same bytes, so one request can be sent again (duplicated or late)."""
    return httpx.Request(request.method, request.url, headers=request.headers, content=request.content,
                         extensions=dict(request.extensions))
