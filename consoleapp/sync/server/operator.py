"""The operator API (R25, R30, R31, R33) and the experts' own payout statements.

Operators review meetings the engine could not decide and disputed claims, each with its
evidence pack drawn from the timeline; they close accounts, grant credits (bought credits come
through payments/) and run payouts. Every write goes through the runner.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from consoleapp.documents.sepa import SepaError
from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.claims import flagged_experts
from consoleapp.engine.events import Event
from consoleapp.engine.evidence import evidence
from consoleapp.engine.model import Claim, ClaimStatus, Meeting, MeetingStatus, Outcome, Payout
from consoleapp.engine.payouts import Statement, statement, statement_csv
from consoleapp.store import schema
from consoleapp.store.codec import decode, event_from
from consoleapp.store.db import reading

from . import payout_files
from .auth import ExpertUser, OperatorUser, User
from .context import Server, server_of
from .errors import fail, responses
from .runner import Tx
from .tables import tokens, users
from .write_path import check_key, jsonable, mutate, refusals, titles, world_of

router = APIRouter(tags=["operator"], dependencies=[Depends(check_key)])

IdText = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewDecision(Body):
    outcome: Literal["pay", "return", "split"]
    expert_amount: int = Field(default=0, ge=0, le=10**9, description="split: what the customer is charged")
    note: str = Field(min_length=1, max_length=2000, description="why: kept on the meeting's timeline")


class DisputeDecision(Body):
    accept: bool = Field(description="true: the expert's dispute stands, nothing is refunded")
    note: str = Field(min_length=1, max_length=2000, description="why: kept on the claim's timeline")


class Closing(Body):
    reason: str = Field(min_length=1, max_length=2000)


class Grant(Body):
    customer: str = Field(min_length=1, max_length=200)
    amount: int = Field(gt=0, le=10**9)
    grant_id: IdText | None = None
    reason: str = Field(default="", max_length=2000, description="why, for the audit log")


class PayoutRun(Body):
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a payout day, like 2026-06-01")


# --- evidence ---------------------------------------------------------------------------------


def ref_events(conn: sa.Connection, ref: str) -> list[Event]:
    e = schema.events.c
    rows = conn.execute(sa.select(e.kind, e.data).where(e.ref == ref).order_by(e.position))
    return [event_from(kind, json.loads(data)) for kind, data in rows]


def records_where(conn: sa.Connection, table: sa.Table, cls: type, *where: Any) -> list[Any]:
    return [decode(cls, json.loads(r)) for r in conn.execute(sa.select(table.c.record).where(*where)).scalars()]


def _people(conn: sa.Connection, ids: set[str]) -> dict[str, str]:
    p = schema.people.c
    return {row.id: row.name for row in conn.execute(sa.select(p.id, p.name).where(p.id.in_(ids)))} if ids else {}


@router.get("/operator/reviews")
def review_queue(request: Request, user: OperatorUser) -> dict[str, Any]:
    """R25 meetings Under review and R30 disputed claims, oldest first, each with its evidence pack."""
    server = server_of(request)
    with reading(server.store.engine) as conn:
        meetings = records_where(conn, schema.meetings, Meeting, schema.meetings.c.status == MeetingStatus.UNDER_REVIEW.value)
        claims = records_where(conn, schema.claims, Claim, schema.claims.c.status == ClaimStatus.DISPUTED.value)
        out_meetings = [{"meeting": jsonable(m), "evidence": jsonable(evidence(m.id, ref_events(conn, m.id)))}
                        for m in sorted(meetings, key=lambda m: (m.end or m.requested_at, m.id))]
        out_claims = [{"claim": jsonable(cl),
                       "evidence": jsonable(evidence(cl.session, ref_events(conn, cl.session), ref_events(conn, cl.id)))}
                      for cl in sorted(claims, key=lambda cl: (cl.opened_at, cl.id))]
        names = _people(conn, {x for m in meetings for x in (m.expert, m.customer)} | {x for cl in claims for x in (cl.expert, cl.customer)})
    return {"meetings": out_meetings, "claims": out_claims, "names": names}


@router.post("/operator/meetings/{meeting_id}/decision", responses=refusals())
def decide_review(meeting_id: str, body: ReviewDecision, request: Request, user: OperatorUser) -> JSONResponse:
    """R25: pay the expert, return the credits, or split (charge `expert_amount`)."""
    cmd = c.DecideReview(actor=user.id, meeting_id=meeting_id, outcome=Outcome(body.outcome),
                         expert_amount=body.expert_amount, note=body.note)

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        return {"meeting": tx.batch.world.meetings[meeting_id], "events": titles(events)}

    return mutate(request, user, body, [cmd], respond)


@router.post("/operator/claims/{claim_id}/decision", responses=refusals())
def decide_dispute(claim_id: str, body: DisputeDecision, request: Request, user: OperatorUser) -> JSONResponse:
    """R30: accepted, nothing is charged back; rejected, the customer is refunded from the expert's earnings."""
    cmd = c.DecideDispute(actor=user.id, claim_id=claim_id, accept=body.accept, note=body.note)

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        return {"claim": tx.batch.world.claims[claim_id], "events": titles(events)}

    return mutate(request, user, body, [cmd], respond)


@router.get("/operator/flagged")
def flagged(request: Request, user: OperatorUser) -> dict[str, Any]:
    """R31: experts with more lost disputes than allowed in the window, worst first."""
    server = server_of(request)
    now = server.clock.now()
    with world_of(server) as w:
        found = flagged_experts(w, now, server.store.policy)
        names = {x: (w.people[x].name if x in w.people else x) for x, _ in found}
    return {"experts": [{"expert": x, "name": names[x], "lost_disputes": n} for x, n in found]}


# --- accounts and credits -------------------------------------------------------------------------


@router.get("/operator/users")
def list_users(request: Request, user: OperatorUser, role: str = "") -> dict[str, Any]:
    server = server_of(request)
    u = users.c
    p = schema.people.c
    stmt = (sa.select(u.id, u.email, u.role, u.closed, u.created_at, p.name)
            .join(schema.people, p.id == u.id, isouter=True).order_by(u.created_at, u.id))
    if role:
        stmt = stmt.where(u.role == role)
    with reading(server.store.engine) as conn:
        rows = conn.execute(stmt).all()
    return {"users": [{"id": r.id, "email": r.email, "role": r.role, "closed": bool(r.closed), "name": r.name or "",
                       "created_at": jsonable(r.created_at)} for r in rows]}


@router.post("/operator/users/{person}/close", responses=refusals())
def close_account(person: str, body: Closing, request: Request, user: OperatorUser) -> JSONResponse:
    """Close an account: the engine's CloseAccount, the login refused and every token revoked, at once."""
    server = server_of(request)

    def revoke(tx: Tx) -> None:
        now = server.clock.now()
        tx.conn.execute(users.update().where(users.c.id == person).values(closed=True))
        tx.conn.execute(tokens.update().where(tokens.c.user_id == person, tokens.c.revoked_at.is_(None))
                        .values(revoked_at=now))

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        return {"person": person, "closed": True, "events": titles(events)}

    return mutate(request, user, body, [c.CloseAccount(actor=user.id, person=person, reason=body.reason)], respond,
                  extra=revoke)


@router.post("/operator/grants", status_code=201, responses=refusals())
def grant(body: Grant, request: Request, user: OperatorUser) -> JSONResponse:
    """Credits for a customer given by the platform (bought credits come through payments/)."""
    gid = body.grant_id or uuid.uuid4().hex
    cmd = c.GrantCredits(actor=user.id, grant_id=gid, customer=body.customer, amount=body.amount)

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        from consoleapp.engine.ledger import wallet

        account = tx.batch.world.ledger.account(wallet(body.customer))
        return {"grant_id": gid, "customer": body.customer, "amount": body.amount, "balance": account.balance,
                "available": account.available, "events": titles(events)}

    return mutate(request, user, body, [cmd], respond, 201, reason=body.reason.strip())


# --- payouts (R33) ----------------------------------------------------------------------------------


@router.post("/operator/payouts", responses=refusals())
def run_payouts(body: PayoutRun, request: Request, user: OperatorUser) -> JSONResponse:
    """R33: pay every expert whose balance reaches the threshold with a complete payout profile."""

    def respond(tx: Tx, events: list[Event]) -> dict[str, Any]:
        made = [ev for ev in events if type(ev).__name__ == "PayoutMade"]
        held = [ev for ev in events if type(ev).__name__ == "PayoutWithheld"]
        return {"day": body.day,
                "payouts": [{"id": ev.ref, "expert": ev.expert, "amount": ev.amount} for ev in made],  # type: ignore[attr-defined]
                "withheld": [{"expert": ev.expert, "balance": ev.balance, "reason": ev.reason} for ev in held]}  # type: ignore[attr-defined]

    return mutate(request, user, body, [c.RunPayouts(actor=user.id, day=body.day)], respond)


def payouts_of(server: Server, expert: str = "") -> list[Payout]:
    p = schema.payouts.c
    stmt = sa.select(p.record).order_by(p.day, p.expert)
    if expert:
        stmt = stmt.where(p.expert == expert)
    with reading(server.store.engine) as conn:
        return [decode(Payout, json.loads(r)) for r in conn.execute(stmt).scalars()]


def statement_of(server: Server, payout_id: str, owner: User | None) -> Statement:
    with world_of(server) as w:
        payout = w.payouts.get(payout_id)
        if payout is None or (owner is not None and payout.expert != owner.id):
            raise fail(404, "not_found", f"no payout {payout_id!r} of yours; list them with GET /api/payouts")
        try:
            return statement(w, payout_id)
        except DomainError as exc:
            raise fail(404, "not_found", exc.message) from None


def statement_download(st: Statement, kind: str) -> Response:
    name = st.payout.id.replace(":", "-")
    if kind == "csv":
        return Response(statement_csv(st), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    # fpdf2 loads on first use: it would add 0.3 s to every start of the server and its commands.
    from consoleapp.documents.statement_pdf import statement_pdf

    return Response(statement_pdf(st), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


# The statement itself, as CSV or PDF by the path's ending, or why there is none.
STATEMENT: dict[int | str, dict[str, Any]] = {
    200: {"description": "the payout statement (R33)", "content": {
        "text/csv": {"schema": {"type": "string"}}, "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    **responses(404),
}


def statement_kind(fmt: str) -> str:
    if fmt not in ("csv", "pdf"):
        raise fail(404, "not_found", "statements come as .csv or .pdf")
    return fmt


@router.get("/operator/payouts")
def all_payouts(request: Request, user: OperatorUser, expert: str = "") -> dict[str, Any]:
    return {"payouts": jsonable(payouts_of(server_of(request), expert))}


@router.get("/operator/payouts/{payout_id}/statement.{fmt}", response_class=Response, responses=STATEMENT)
def operator_statement(payout_id: str, fmt: str, request: Request, user: OperatorUser) -> Response:
    kind = statement_kind(fmt)
    return statement_download(statement_of(server_of(request), payout_id, None), kind)


SEPA_FILE: dict[int | str, dict[str, Any]] = {
    200: {"description": "the run's SEPA credit-transfer file (pain.001.001.03)",
          "content": {payout_files.MEDIA_TYPE: {"schema": {"type": "string"}}}},
    **responses(404, 409),
}


@router.get("/operator/payouts/{day}/sepa.xml", response_class=Response, responses=SEPA_FILE)
def operator_sepa_file(day: str, request: Request, user: OperatorUser) -> Response:
    """R33: the payout run of `day` as a SEPA credit-transfer file for the platform's bank."""
    found = payout_files.payout_day(day)
    if found is None:
        raise fail(404, "not_found", f"{day!r} is not a payout day like 2026-12-16")
    try:
        made = payout_files.sepa_file(server_of(request), found, user.id)
    except payout_files.NothingPaid as exc:
        raise fail(404, "not_found", str(exc)) from None
    except SepaError as exc:
        raise fail(409, "sepa_unavailable", str(exc)) from None
    return sepa_download(made)


def sepa_download(made: payout_files.SepaFile) -> Response:
    return Response(made.xml, media_type=payout_files.MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{made.filename}"'})


@router.get("/api/payouts")
def my_payouts(request: Request, user: ExpertUser) -> dict[str, Any]:
    """R33: the expert's own payouts, with links to their statements."""
    found = payouts_of(server_of(request), user.id)
    return {"payouts": [{**jsonable(p), "statement_csv": f"/api/payouts/{p.id}/statement.csv",
                         "statement_pdf": f"/api/payouts/{p.id}/statement.pdf"} for p in found]}


@router.get("/api/payouts/{payout_id}/statement.{fmt}", response_class=Response, responses=STATEMENT)
def my_statement(payout_id: str, fmt: str, request: Request, user: ExpertUser) -> Response:
    kind = statement_kind(fmt)
    return statement_download(statement_of(server_of(request), payout_id, user), kind)
