"""Promo codes: the codes with their uses, a form to create one, a button to end one.

The rules are the engine's (`consoleapp/engine/promos.py`); the page reads what
`server/promos.py` lists and writes through the same write path, so every creation and end is
in the audit log."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.model import PromoKind, Role
from consoleapp.engine.promos import normal

from ...context import server_of
from ...promos import listed
from .. import site
from . import access

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.operator_only)])

_UTC = ZoneInfo("UTC")


def _page(request: Request, form: site.Form, status: int = 200, problem: str = "") -> Response:
    server = server_of(request)
    people = server.store.world.people
    experts = sorted(((p.id, p.name) for p in people.values() if p.role is Role.EXPERT and not p.closed),
                     key=lambda x: x[1].lower())
    names = {x: n for x, n in experts}
    return site.render(request, "ops/promos.html", status=status, rows=listed(server), form=form, experts=experts,
                       names=names, kinds=list(PromoKind), problem=problem, done=request.query_params.get("done", ""),
                       now=server.clock.now().astimezone(UTC))


@router.get("/ops/promos")
def promos(request: Request) -> Response:
    return _page(request, site.Form(values={"max_per_customer": "1", "max_uses": "0"}))


@router.post("/ops/promos")
async def create(request: Request) -> Response:
    """A new code, checked field by field here and by the engine's rules (refusals shown above the form)."""
    form = await site.Form.read(request)
    user = access.me(request)
    if site.replayed(request, user, form) is not None:
        return site.redirect(request, f"/ops/promos?done={normal(form.get('code'))}")
    code = form.text("code", limit=32)
    kind = form.choice("kind", PromoKind)
    value = form.whole("value", 1, 1_000_000)
    start = form.moment("valid_from", _UTC)
    until = form.moment("valid_until", _UTC)
    max_uses = form.whole("max_uses", 0, 1_000_000, required=False)
    per_customer = form.whole("max_per_customer", 0, 1_000_000, required=False)
    expert = form.get("expert").strip()[:200]
    if form.ok and kind is not None and start is not None and until is not None:
        cmd = c.CreatePromoCode(actor=user.id, code=code, kind=kind, value=value, valid_from=start, valid_until=until,
                                max_uses=max_uses, max_per_customer=per_customer, expert=expert)
        try:
            site.run(request, user, form, [cmd], {"created": normal(code)})
            return site.redirect(request, f"/ops/promos?done={normal(code)}")
        except DomainError as refused:
            form.problem = site.translate(request, refused.message[:1].upper() + refused.message[1:])
    return _page(request, form, 422)


@router.post("/ops/promos/{code}/end")
async def end(code: str, request: Request) -> Response:
    """End a code now: no new uses; holds already made keep their discount."""
    form = await site.Form.read(request)
    user = access.me(request)
    if site.replayed(request, user, form) is not None:
        return site.redirect(request, "/ops/promos?done=ended")
    try:
        site.run(request, user, form, [c.EndPromoCode(actor=user.id, code=code[:32])], {"ended": code[:32]})
    except DomainError as refused:
        return _page(request, site.Form(), 409, site.translate(request, refused.message[:1].upper() + refused.message[1:]))
    return site.redirect(request, "/ops/promos?done=ended")
