"""Moving the server's clock: only on a server started with CONSOLEAPP_TEST_CLOCK, only by an operator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from .auth import OperatorUser
from .context import server_of
from .errors import fail, responses

router = APIRouter(prefix="/admin", tags=["operator"])


class Advance(BaseModel):
    seconds: float = Field(ge=0, le=400 * 24 * 3600)


@router.post("/clock", responses=responses(404))
def advance_clock(body: Advance, request: Request, user: OperatorUser) -> dict[str, Any]:
    server = server_of(request)
    if not server.settings.test_clock:
        raise fail(404, "not_found", "this server's clock cannot be moved")
    return {"now": server.clock.advance(body.seconds).isoformat()}


@router.get("/clock")
def read_clock(request: Request, user: OperatorUser) -> dict[str, Any]:
    return {"now": server_of(request).clock.now().isoformat()}
