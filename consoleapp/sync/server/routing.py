"""How the routers' routes reach an application: their own route objects, in one flat list."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route


def add_routes(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Append each router's routes, as they are, to the application's list, in order.

    FastAPI (0.137 on) includes a router lazily: `include_router` adds a node that, at the first
    request of each new application, builds every route of the router again (dependencies,
    response fields: 0.1 s of CPU a server for our 151 routes, paid by every server a test or a
    worker starts), and that at every request walks the router's list to check that it did not
    change, then tries each route behind a layer of bookkeeping. Our routers carry their prefix,
    tags and dependencies in their own routes (`APIRouter(prefix=…, dependencies=…)`, applied as
    each route is declared) and include no other router, so the routes declared once per process
    serve every application as they are: matched in the same order, each built once."""
    for router in routers:
        for route in router.routes:
            if not isinstance(route, (APIRoute, Route)):  # a nested router would need its prefix applied
                raise TypeError(f"{route!r} in a router's routes: only declared routes can be added as they are")
        app.router.routes.extend(router.routes)
