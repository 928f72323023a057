"""Earnings (R32, R33): months, transactions, payouts and statements."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.errors import INVALID, DomainError
from consoleapp.engine.ledger import earnings
from consoleapp.engine.model import (
    MonthSummary,
    Payout,
)
from consoleapp.engine.payouts import next_payout_day, statement, statement_csv
from consoleapp.store import schema
from consoleapp.store.codec import decode
from consoleapp.store.db import reading

from .base import _previous_month, month_key
from .profile import ProfileOps


@dataclass(frozen=True, slots=True)
class PayoutOutlook:
    day: date
    balance: int
    threshold: int
    missing: tuple[str, ...]  # payout profile fields still empty (R5)

    @property
    def will_pay(self) -> bool:
        return self.balance >= self.threshold and not self.missing


@dataclass(frozen=True, slots=True)
class Subject:
    """What a movement's reference is about: `kind` is 'meeting' (text: its topic), 'claim' (text:
    what the claimed session is about), 'event' (its title), 'payout' (its day) or '' (unknown)."""

    kind: str
    text: str


class EarningsOps(ProfileOps):  # the payout outlook reads the payout details
    async def earnings_month(self, month: str | None = None) -> MonthSummary:
        """R32: sessions, hours, gross, commission, refunds, claims and net of one month ('YYYY-MM')."""
        month = month or self._this_month()
        found = await self._read(self.store.earnings_by_month, self.me)
        return next((s for s in found if s.month == month), MonthSummary(self.me, month))

    async def earnings_last_12_months(self) -> list[MonthSummary]:
        """Twelve months ending with this one (months without earnings are zero), oldest first."""
        found = {s.month: s for s in await self._read(self.store.earnings_by_month, self.me)}
        months = [self._this_month()]
        while len(months) < 12:
            months.append(_previous_month(months[-1]))
        return [found.get(m, MonthSummary(self.me, m)) for m in reversed(months)]

    def _this_month(self) -> str:
        return month_key(self.now().astimezone(self._time_zone(self.view())))

    async def transactions(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """R32: every movement of the expert's earnings, newest first, with its label and the balance after it."""
        rows: list[dict[str, Any]] = await self._read(self.store.transactions, earnings(self.me))
        rows.reverse()
        return rows[offset: offset + limit] if limit is not None else rows[offset:]

    async def balance(self) -> dict[str, Any]:
        """The earnings balance: posted `balance`, `available`, `blocked`."""
        found: dict[str, Any] = await self._read(self.store.balance, earnings(self.me))
        return found

    async def next_payout_date(self) -> date:
        """R33: the next payout day after today (UTC)."""
        return next_payout_day(self.now(), self.policy)

    async def payout_outlook(self) -> PayoutOutlook:
        """The next payout day, and whether it will pay (balance over the threshold, profile complete)."""
        bal = await self.balance()
        profile = await self.payout_profile()
        return PayoutOutlook(next_payout_day(self.now(), self.policy), int(bal["balance"]),
                             self.policy.payout_threshold, profile.missing())

    async def payouts(self) -> list[Payout]:
        """R33: the expert's payouts, newest first."""
        return list(await self._read(self._payout_rows))

    def _payout_rows(self) -> list[Payout]:
        p = schema.payouts.c
        with reading(self.store.engine) as conn:
            rows = conn.execute(sa.select(p.record).where(p.expert == self.me).order_by(p.day.desc(), p.id)).scalars()
            return [decode(Payout, json.loads(r)) for r in rows]

    async def payout_statement(self, payout_id: str, fmt: str = "csv") -> bytes:
        """R33: a payout's statement, CSV or PDF, built from the ledger lines behind it."""
        w = self.view()
        payout = w.payouts.get(payout_id)
        if payout is None or payout.expert != self.me:
            raise DomainError("not_found", f"no payout {payout_id!r} of yours")
        st = statement(w, payout_id)
        if fmt == "csv":
            return statement_csv(st).encode("utf-8")
        if fmt == "pdf":
            from consoleapp.documents.statement_pdf import statement_pdf  # fpdf2 loads on first use

            return await asyncio.to_thread(statement_pdf, st)
        raise DomainError(INVALID, "statements come as 'csv' or 'pdf'")

    def movement_subjects(self) -> Callable[[str], Subject]:
        """What each movement's reference is about, from the records of one view (safe to call
        from another thread: the view is the Console's own copy)."""
        world = self.view()
        # Every meeting's topic in one read of the cache: looking each movement's meeting up by
        # id would read the file once per movement (memory keeps only the open meetings).
        t = schema.meetings.c
        with reading(self.store.engine) as conn:
            topics = {mid: topic for mid, topic in conn.execute(
                sa.select(t.id, sa.func.json_extract(t.record, "$.topic")).where(t.expert == self.me))}
        queued = self._pending()

        def subject(ref: str) -> Subject:
            pending = world.meetings.get(ref) if ref in queued else None  # a queued change shows
            if pending is not None:
                return Subject("meeting", pending.topic)
            if ref in topics:
                return Subject("meeting", str(topics[ref]))
            cl = world.claims.get(ref)
            if cl is not None:
                return Subject("claim", subject(cl.session).text or cl.session[:12])
            g = world.group_events.get(ref.split("/", 1)[0])
            if g is not None:
                return Subject("event", g.title)
            p = world.payouts.get(ref)
            if p is not None:
                return Subject("payout", p.day)
            return Subject("", "")

        return subject
