"""The audit log: every operator action, who and when, append-only.

Rows are written in the same transaction as the action they record, so an action and its line
commit together or not at all. Commands run by an operator through the write path
(`write_path.run_once`: the API and the console's forms) are recorded there; the actions that
are no engine command (a password reset, a new operator) and the command line record their own.
Triggers refuse UPDATE and DELETE; `unguarded` lifts them for a restore, which replaces the
whole database with a backup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from consoleapp.engine import Event
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.promos import normal

from .tables import audit_log, aware

COMMAND_LINE = "command line"  # the actor of `consoleapp-server admin ...`

# What each kind of action is called in the log (and the console's filter).
DECIDED_REVIEW = "review decided"
DECIDED_DISPUTE = "dispute decided"
GRANTED = "credits granted"
CLOSED = "account closed"
RESET = "password reset"
CREATED_OPERATOR = "operator created"
PAID_OUT = "payouts run"
LOGIN_LINK = "login link made"
PAYMENT_RECEIVED = "payment received"
SEPA_FILE = "SEPA file made"
PROMO_CREATED = "promo code created"
PROMO_ENDED = "promo code ended"
ACTIONS = (DECIDED_REVIEW, DECIDED_DISPUTE, GRANTED, CLOSED, RESET, CREATED_OPERATOR, PAID_OUT, LOGIN_LINK,
           PAYMENT_RECEIVED, SEPA_FILE, PROMO_CREATED, PROMO_ENDED)

_GUARDS = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}
_UNGUARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"],
}


def guard(conn: sa.Connection) -> None:
    """Make the table refuse UPDATE and DELETE (idempotent; the migration and the start call it)."""
    for statement in _GUARDS.get(conn.dialect.name, []):
        conn.exec_driver_sql(statement)


@contextlib.contextmanager
def unguarded(conn: sa.Connection) -> Iterator[None]:
    """For a restore only: the guard lifted while the whole database is replaced, then back."""
    for statement in _UNGUARD.get(conn.dialect.name, []):
        conn.exec_driver_sql(statement)
    yield
    guard(conn)


sa.event.listen(audit_log, "after_create", lambda table, conn, **kw: guard(conn))


def record(conn: sa.Connection, at: datetime, actor: str, action: str, subject: str, detail: str = "") -> None:
    conn.execute(audit_log.insert().values(at=at, actor=actor, action=action, subject=subject[:200], detail=detail))


def described(command: c.Command, events: Sequence[Event], reason: str = "") -> tuple[str, str, str] | None:
    """(action, subject, detail) of an operator's command, or None when it is not an audited action."""
    if isinstance(command, c.DecideReview):
        amount = f" charging {command.expert_amount}" if command.outcome.value == "split" else ""
        return DECIDED_REVIEW, command.meeting_id, f"{command.outcome.value}{amount}: {command.note.strip()}"
    if isinstance(command, c.DecideDispute):
        verdict = "accepted" if command.accept else "rejected"
        return DECIDED_DISPUTE, command.claim_id, f"{verdict}: {command.note.strip()}"
    if isinstance(command, c.GrantCredits):
        return GRANTED, command.customer, f"{command.amount} credits" + (f": {reason}" if reason else "")
    if isinstance(command, c.CreditPayment):
        return PAYMENT_RECEIVED, command.customer, f"{command.amount} credits bought" + (f": {reason}" if reason else "")
    if isinstance(command, c.CloseAccount):
        return CLOSED, command.person, command.reason
    if isinstance(command, c.RunPayouts):
        made = [ev for ev in events if isinstance(ev, e.PayoutMade)]
        held = [ev for ev in events if isinstance(ev, e.PayoutWithheld)]
        total = sum(ev.amount for ev in made)
        return PAID_OUT, command.day, f"{len(made)} paid ({total} credits), {len(held)} withheld"
    if isinstance(command, c.CreatePromoCode):
        made = next((ev.promo for ev in events if isinstance(ev, e.PromoCodeCreated)), None)
        if made is None:
            return None
        off = f"{made.value} %" if made.kind.value == "percent" else f"{made.value} credits"
        limits = f"{made.max_uses or 'unlimited'} uses, {made.max_per_customer or 'unlimited'} per customer"
        only = f", {made.expert} only" if made.expert else ""
        start, until = made.valid_from.astimezone(UTC), made.valid_until.astimezone(UTC)
        return PROMO_CREATED, made.code, f"{off} off, {start:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC, {limits}{only}"
    if isinstance(command, c.EndPromoCode):
        return PROMO_ENDED, normal(command.code), ""
    return None


def record_commands(conn: sa.Connection, at: datetime, actor: str, commands: Sequence[c.Command],
                    events: Sequence[Event], reason: str = "") -> None:
    for command in commands:
        found = described(command, events, reason)
        if found is not None:
            record(conn, at, actor, *found)


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str


def entries(conn: sa.Connection, actor: str = "", action: str = "", subject: str = "",
            since: datetime | None = None, until: datetime | None = None, limit: int = 200) -> list[Entry]:
    """The newest entries first, filtered."""
    a = audit_log.c
    stmt = sa.select(audit_log).order_by(a.id.desc()).limit(limit)
    filters: list[Any] = []
    if actor:
        filters.append(a.actor == actor)
    if action:
        filters.append(a.action == action)
    if subject:
        filters.append(a.subject == subject)
    if since is not None:
        filters.append(a.at >= since)
    if until is not None:
        filters.append(a.at < until)
    if filters:
        stmt = stmt.where(*filters)
    return [Entry(r.id, aware(r.at), r.actor, r.action, r.subject, r.detail) for r in conn.execute(stmt)]
