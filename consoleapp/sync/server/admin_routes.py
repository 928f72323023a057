"""`GET /admin/status`: what an operator checks first. The command line's administration is in
admin.py, which imports no web framework."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request

from consoleapp import __version__
from consoleapp.store import db, schema

from .auth import OperatorUser
from .context import server_of
from .tables import sync_clients, users

router = APIRouter(prefix="/admin", tags=["operator"])


@router.get("/status")
def status(_: OperatorUser, request: Request) -> dict[str, Any]:
    """What an operator checks first: this process, the database, the log, the people."""
    server = server_of(request)
    with db.reading(server.store.engine) as conn:
        length = conn.execute(sa.select(schema.counters.c.value).where(schema.counters.c.name == db.LOG)).scalar()
        by_role = dict(conn.execute(sa.select(users.c.role, sa.func.count()).where(users.c.closed.is_(False))
                                    .group_by(users.c.role)).tuples().all())
        clients = conn.execute(sa.select(sa.func.count()).select_from(sync_clients)).scalar_one()
    return {"version": __version__, "pid": os.getpid(), "workers": server.settings.workers,
            "dialect": server.store.engine.dialect.name, "epoch": server.epoch, "log_length": int(length or 0),
            "users": by_role, "sync_clients": int(clients), "streams": server.hub.connected,
            "now": server.clock.now().isoformat()}
