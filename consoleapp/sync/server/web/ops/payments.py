"""Payments: bank transfers awaited, found by reference, marked received (credited once, audited)."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ...context import server_of
from ...payments import records
from .. import site
from ..wallet import money
from . import access
from .cases import names

router = APIRouter(include_in_schema=False, dependencies=[Depends(access.operator_only)])


def _page(request: Request, q: str = "", problem: str = "", status: int = 200) -> Response:
    server = server_of(request)
    q = q.strip()[:40]
    awaited = records.listed(server, statuses=(records.REQUESTED, records.EXPIRED), reference=q)
    received = records.listed(server, statuses=(records.PAID,), reference=q, limit=50)
    who = names(server, {p.customer for p in awaited + received} | {p.by for p in received})
    done = None
    with contextlib.suppress(HTTPException):  # an address typed by hand: no note
        done = records.one(server, request.query_params.get("done", "")[:64]) if "done" in request.query_params else None
    if done is not None:
        who.update(names(server, {done.by}))
    return site.render(request, "ops/payments.html", status=status, awaited=awaited, received=received, names=who,
                       q=q, done=done, already=request.query_params.get("already") == "1", problem=problem, money=lambda minor, currency: money(request, minor, currency))


@router.get("/ops/payments")
def payments(request: Request, q: str = "") -> Response:
    return _page(request, q)


@router.post("/ops/payments/{payment_id}/received")
async def received(payment_id: str, request: Request) -> Response:
    """The money is on the platform's account: credit it (once; a second click says who did it when)."""
    await site.Form.read(request)
    server = server_of(request)
    user = access.me(request)
    try:
        with server.runner.transaction() as tx:
            done = records.receive(tx, server, payment_id, user.id, user.id)
    except HTTPException as refused:
        if refused.status_code == 404:
            raise
        return _page(request, problem=site.refusal_text(request, refused), status=409)
    already = "&already=1" if done.already else ""
    return site.redirect(request, f"/ops/payments?done={done.payment.id}{already}")
