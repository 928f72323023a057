"""Read-side queries the screens and the server need, answered from the stored tables.

Entity lists come back as the engine's own frozen records (decoded from `record`); the
timeline, transcript, transaction record and notifications come back as plain dicts ready
for a table model or a JSON response.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.ledger import (
    Account,
    PlatformMonth,
    TransferKind,
    months_from_sums,
)
from consoleapp.engine.model import (
    Claim,
    ClaimStatus,
    ExpertProfile,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Mode,
    MonthSummary,
    Offer,
    Payout,
    PayoutProfile,
    Review,
    Slot,
)
from consoleapp.engine.people import MAX_SLOT

from . import schema
from .codec import decode, decoder, event_from

TRANSCRIPT_KINDS = ("ChatMessagePosted", "AttachmentAdded", "RecordingAttached")
# Kept off a meeting's timeline unless asked for: money has its own transaction record,
# and a notification belongs to its recipient.
_MONEY = ("Transfer",)
_PRIVATE = ("NotificationQueued",)


def _statuses(status: MeetingStatus | Iterable[MeetingStatus] | None) -> list[str] | None:
    if status is None:
        return None
    if isinstance(status, MeetingStatus):
        return [status.value]
    return [s.value for s in status]


def meetings_of(conn: sa.Connection, person: str,
                status: MeetingStatus | Iterable[MeetingStatus] | None = None) -> list[Meeting]:
    """A person's meetings (as expert or customer), oldest request first."""
    m = schema.meetings.c
    stmt = sa.select(m.record).where(sa.or_(m.expert == person, m.customer == person))
    wanted = _statuses(status)
    if wanted is not None:
        stmt = stmt.where(m.status.in_(wanted))
    rows = conn.execute(stmt.order_by(m.requested_at, m.id)).scalars()
    return [decode(Meeting, json.loads(r)) for r in rows]


def requests_awaiting(conn: sa.Connection, expert: str) -> list[Meeting]:
    """Requests waiting for the expert's answer (not the ones the expert suggested)."""
    m = schema.meetings.c
    stmt = (sa.select(m.record)
            .where(m.expert == expert, m.status == MeetingStatus.AWAITING_APPROVAL.value,
                   m.kind != MeetingKind.SUGGESTED.value)
            .order_by(m.requested_at, m.id))
    return [decode(Meeting, json.loads(r)) for r in conn.execute(stmt).scalars()]


def timeline(conn: sa.Connection, ref: str, money: bool = False) -> list[dict[str, Any]]:
    """A record's events in order (R34): position, kind, title, actor, time."""
    e = schema.events.c
    hidden = _PRIVATE if money else _PRIVATE + _MONEY
    stmt = (sa.select(e.position, e.kind, e.data)
            .where(e.ref == ref, e.kind.not_in(hidden)).order_by(e.position))
    out = []
    for position, kind, data in conn.execute(stmt):
        ev = event_from(kind, json.loads(data))
        out.append({"position": position, "kind": kind, "title": ev.describe(),
                    "actor": ev.actor, "at": ev.at})
    return out


def transcript(conn: sa.Connection, meeting_id: str) -> list[dict[str, Any]]:
    """R21: chat messages, attachments and the recording of a meeting, in order.

    Each entry is the event's own fields (an attachment's `kind` is 'file' or 'snippet'),
    with `event` naming the event type and `position` its place in the log.
    """
    e = schema.events.c
    stmt = (sa.select(e.position, e.kind, e.data)
            .where(e.ref == meeting_id, e.kind.in_(TRANSCRIPT_KINDS)).order_by(e.position))
    out = []
    for position, kind, data in conn.execute(stmt):
        fields = json.loads(data)
        ev = event_from(kind, fields)
        entry = {k: v for k, v in fields.items() if k not in ("ref", "at", "actor")}
        entry.update(position=position, event=kind, at=ev.at, actor=ev.actor)
        out.append(entry)
    return out


def earnings_by_month(conn: sa.Connection, expert: str) -> list[MonthSummary]:
    """R32: the expert's monthly summaries, oldest month first."""
    s = schema.months.c
    stmt = sa.select(s.record).where(s.expert == expert).order_by(s.month)
    return [decode(MonthSummary, json.loads(r)) for r in conn.execute(stmt).scalars()]


_POSTING = (TransferKind.POSTED.value, TransferKind.POST_PENDING.value)


def platform_months(conn: sa.Connection) -> list[PlatformMonth]:
    """The platform's own figures by month, oldest first, from the sums each write added to."""
    m = schema.platform_months.c
    rows = conn.execute(sa.select(m.month, m.commission, m.platform_paid, m.deposited, m.paid_out, m.held_change)
                        .order_by(m.month))
    return months_from_sums((row[0], tuple(row[1:])) for row in rows)


def transactions(conn: sa.Connection, account: str) -> list[dict[str, Any]]:
    """R32: every movement of one account, signed from its side, with the posted balance after it.

    Pending transfers (holds) and their voids are listed with `posted` False: they change
    what the owner may spend, not the balance.
    """
    t = schema.transfers.c
    stmt = (sa.select(t.id, t.kind, t.debit, t.credit, t.amount, t.label, t.ref, t.at, t.pending_id)
            .where(sa.or_(t.debit == account, t.credit == account)).order_by(t.position))
    out = []
    balance = 0
    for row in conn.execute(stmt):
        signed = -row.amount if row.debit == account else row.amount
        posted = row.kind in _POSTING
        if posted:
            balance += signed
        out.append({
            "id": row.id, "at": row.at, "label": row.label, "ref": row.ref, "kind": row.kind,
            "amount": signed, "posted": posted, "balance": balance, "pending_id": row.pending_id,
            "counterparty": row.credit if row.debit == account else row.debit,
        })
    return out


def claims_of(conn: sa.Connection, person: str, status: ClaimStatus | None = None) -> list[Claim]:
    """Claims a customer opened or an expert must answer, oldest first."""
    c = schema.claims.c
    stmt = sa.select(c.record).where(sa.or_(c.expert == person, c.customer == person))
    if status is not None:
        stmt = stmt.where(c.status == status.value)
    rows = conn.execute(stmt.order_by(c.opened_at, c.id)).scalars()
    return [decode(Claim, json.loads(r)) for r in rows]


def notifications(conn: sa.Connection, recipient: str, after: int = 0,
                  limit: int | None = None) -> list[dict[str, Any]]:
    """R35: a person's notifications after a log position (a cursor), oldest first."""
    n = schema.notifications.c
    stmt = (sa.select(n.position, n.kind, n.ref, n.at, n.text)
            .where(n.recipient == recipient, n.position > after).order_by(n.position))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [dict(row._mapping) for row in conn.execute(stmt)]


def balance(conn: sa.Connection, account: str) -> dict[str, Any]:
    """Posted balance, what may still be spent, and what holds keep back."""
    a = schema.accounts.c
    row = conn.execute(sa.select(schema.accounts).where(a.id == account)).first()
    acc = Account(**row._mapping) if row is not None else Account(account)
    return {"account": account, "balance": acc.balance, "available": acc.available,
            "blocked": acc.debits_pending}


def every_account(conn: sa.Connection) -> list[Account]:
    a = schema.accounts.c
    return [Account(*row) for row in conn.execute(
        sa.select(a.id, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted).order_by(a.id))]


def profile(conn: sa.Connection, expert: str = "", slug: str = "") -> ExpertProfile | None:
    """R2: an expert's profile, by id or by the slug of the public link `/e/<slug>`."""
    p = schema.profiles.c
    where = p.expert == expert if expert else p.slug == slug
    record = conn.execute(sa.select(p.record).where(where)).scalar_one_or_none()
    return None if record is None else decode(ExpertProfile, json.loads(record))


def payout_profile(conn: sa.Connection, expert: str) -> PayoutProfile | None:
    p = schema.payout_profiles.c
    record = conn.execute(sa.select(p.record).where(p.expert == expert)).scalar_one_or_none()
    return None if record is None else decode(PayoutProfile, json.loads(record))


def offers_of(conn: sa.Connection, expert: str) -> dict[Mode, tuple[Offer, ...]]:
    """R3: the expert's offers per communication mode."""
    o = schema.offers.c
    read = decoder(tuple[Offer, ...])
    rows = conn.execute(sa.select(o.mode, o.record).where(o.expert == expert).order_by(o.mode))
    return {Mode(mode): read(json.loads(record)) for mode, record in rows}


def reviews_of(conn: sa.Connection, expert: str) -> list[Review]:
    """R27: the public text reviews of an expert, newest first."""
    r = schema.reviews.c
    stmt = sa.select(r.record).where(r.expert == expert).order_by(r.written_at.desc(), r.customer)
    return [decode(Review, json.loads(x)) for x in conn.execute(stmt).scalars()]


def payouts_on(conn: sa.Connection, day: str) -> list[Payout]:
    """The payouts made for one payout day (`YYYY-MM-DD`), by id."""
    c = schema.payouts.c
    return [decode(Payout, json.loads(r)) for r in
            conn.execute(sa.select(c.record).where(c.day == day).order_by(c.id)).scalars()]


def slots_between(conn: sa.Connection, expert: str, begin: datetime, end: datetime) -> list[Slot]:
    """An expert's slots that overlap [begin, end), by start (a slot lasts a day at most, so the
    look-up walks the expert's index from a day before `begin`)."""
    c = schema.slots.c
    stmt = (sa.select(c.record).where(c.expert == expert, c.starts_at < end, c.ends_at > begin,
                                      c.starts_at >= begin - MAX_SLOT)
            .order_by(c.starts_at, c.id))
    return [decode(Slot, json.loads(r)) for r in conn.execute(stmt).scalars()]
