"""The operator API for promo codes: list them with their uses, create one, end one.

The rules are the engine's (`consoleapp/engine/promos.py`); customers give a code in the bodies
of `POST /api/bookings`, `/api/requests/instant` and `/api/requests/scheduled` (`customer.py`).
Creating and ending a code are audit-logged like every operator action (`audit.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.events import Event
from consoleapp.engine.model import PromoCode, PromoKind
from consoleapp.engine.promos import normal

from .auth import OperatorUser
from .context import Server, server_of
from .runner import Tx
from .write_path import check_key, jsonable, mutate, refusals, titles, world_of

router = APIRouter(tags=["operator"], dependencies=[Depends(check_key)])


class NewPromo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32, description="3 to 32 letters, digits and dashes; any case")
    kind: Literal["percent", "credits"]
    value: int = Field(ge=-10**9, le=10**9, description="percent 1..100, or credits off")
    valid_from: AwareDatetime
    valid_until: AwareDatetime = Field(description="the first moment the code no longer applies")
    max_uses: int = Field(default=0, ge=0, le=10**9, description="in total; 0: unlimited")
    max_per_customer: int = Field(default=1, ge=0, le=10**9, description="0: unlimited")
    expert: str = Field(default="", max_length=200, description="only this expert's sessions")


@dataclass(frozen=True)
class PromoRow:
    """A code as the console lists it: its terms and how many uses count now."""

    promo: PromoCode
    uses: int


def promo_rows(w: World) -> list[PromoRow]:
    """Active codes first, then by end, newest first."""
    rows = [PromoRow(p, w.promo_uses.get(code, 0)) for code, p in w.promos.items()]
    return sorted(rows, key=lambda r: (not r.promo.active, -r.promo.valid_until.timestamp(), r.promo.code))


def listed(server: Server) -> list[PromoRow]:
    with world_of(server) as w:
        return promo_rows(w)


def create_command(actor: str, body: NewPromo) -> c.CreatePromoCode:
    return c.CreatePromoCode(actor=actor, code=body.code, kind=PromoKind(body.kind), value=body.value,
                             valid_from=body.valid_from, valid_until=body.valid_until, max_uses=body.max_uses,
                             max_per_customer=body.max_per_customer, expert=body.expert.strip())


def _answer(code: str) -> Any:
    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        w = tx.batch.world
        return {"promo": jsonable(w.promos[code]), "uses": w.promo_uses.get(code, 0), "events": titles(events)}

    return respond


@router.get("/operator/promos")
def promos(request: Request, user: OperatorUser) -> dict[str, Any]:
    """Every promo code with the uses that count now (a use freed by a free cancel no longer counts)."""
    return {"promos": [{**jsonable(r.promo), "uses": r.uses} for r in listed(server_of(request))]}


@router.post("/operator/promos", status_code=201, responses=refusals())
def create(body: NewPromo, request: Request, user: OperatorUser) -> JSONResponse:
    """A new promo code; the platform pays its discounts."""
    return mutate(request, user, body, [create_command(user.id, body)], _answer(normal(body.code)), 201)


@router.post("/operator/promos/{code}/end", responses=refusals())
def end(code: str, request: Request, user: OperatorUser) -> JSONResponse:
    """End a code now: no new uses; holds already made keep their discount."""
    return mutate(request, user, None, [c.EndPromoCode(actor=user.id, code=code)], _answer(normal(code)))
