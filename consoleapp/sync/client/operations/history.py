"""Session history (R21-R26, R34): past meetings, a session's detail, the evaluation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from consoleapp.engine.errors import DomainError
from consoleapp.engine.model import (
    Answer,
    Claim,
    Meeting,
    MeetingStatus,
)
from consoleapp.store import schema
from consoleapp.store.codec import decode
from consoleapp.store.db import reading

from .base import ConsoleBase

# Statuses a finished (or abandoned) meeting ends in: the Session history screen.
HISTORY_STATUSES = (
    MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW,
    MeetingStatus.CANCELLED, MeetingStatus.EXPIRED, MeetingStatus.REJECTED,
)

@dataclass(frozen=True, slots=True)
class HistoryItem:
    meeting: Meeting
    pending: bool

@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: tuple[HistoryItem, ...]
    total: int  # matching meetings on the server copy (for a scroll bar), before pending ones
    offset: int
    limit: int

@dataclass(frozen=True, slots=True)
class SessionDetail:
    meeting: Meeting
    timeline: list[dict[str, Any]]
    chat: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    recording: str | None
    customer_answer: Answer | None
    expert_answer: Answer | None
    settlement: dict[str, Any] | None  # outcome, charged, expert_share, commission, returned, platform_paid, automatic
    claims: tuple[Claim, ...]
    pending: bool

def _matches(m: Meeting, search: str) -> bool:
    if not search:
        return True
    needle = search.strip().lower()
    return any(needle in str(x).lower() for x in (m.topic, m.id, m.customer, m.mode.value, m.status.value))


class HistoryOps(ConsoleBase):
    async def history(self, search: str = "", limit: int = 50, offset: int = 0,
                      statuses: Iterable[MeetingStatus] = HISTORY_STATUSES) -> HistoryPage:
        """One page of past meetings, newest first; `search` matches topic, ids, mode, status."""
        wanted = [s.value for s in statuses]
        rows, total = await self._read(self._history_rows, search.strip(), wanted, max(limit, 0), max(offset, 0))
        pending = self._pending()
        items = []
        shown = set()
        w = self.view() if pending else None
        if w is not None and offset == 0:  # records a pending command just moved into history
            for ref in sorted(pending):
                m = w.meetings.get(ref)
                if m is not None and m.expert == self.me and m.status.value in wanted and _matches(m, search):
                    items.append(HistoryItem(m, True))
                    shown.add(ref)
        for m in rows:
            if m.id in shown:
                continue
            if w is not None and m.id in pending:
                newer = w.meetings.get(m.id, m)
                items.append(HistoryItem(newer, True))
            else:
                items.append(HistoryItem(m, False))
        return HistoryPage(tuple(items), total, offset, limit)

    def _history_rows(self, search: str, wanted: list[str], limit: int, offset: int) -> tuple[list[Meeting], int]:
        t = schema.meetings.c
        where = [t.expert == self.me, t.status.in_(wanted)]
        if search:
            where.append(sa.func.lower(t.record).contains(search.lower(), autoescape=True))
        with reading(self.store.engine) as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(schema.meetings).where(*where)).scalar_one()
            stmt = (sa.select(t.record).where(*where)
                    .order_by(sa.func.coalesce(t.starts_at, t.requested_at).desc(), t.id.desc())
                    .limit(limit).offset(offset))
            rows = [decode(Meeting, json.loads(r)) for r in conn.execute(stmt).scalars()]
        return rows, int(total)

    async def session_detail(self, meeting_id: str) -> SessionDetail:
        """Timeline, chat, attachments, recording, both evaluations, settlement and claims."""
        w = self.view()
        m = w.meetings.get(meeting_id)
        if m is None or self.me not in (m.expert, m.customer):
            raise DomainError("not_found", f"no meeting {meeting_id!r} in your data")
        timeline, transcript, settled = await self._read(self._detail_rows, meeting_id)
        chat = [x for x in transcript if x["event"] == "ChatMessagePosted"]
        files = [x for x in transcript if x["event"] == "AttachmentAdded"]
        recordings = [x["uri"] for x in transcript if x["event"] == "RecordingAttached"]
        claims = tuple(w.claims[cid] for cid in w.claims_of_session.get(meeting_id, ()) if cid in w.claims)
        return SessionDetail(m, timeline, chat, files, recordings[-1] if recordings else None, m.customer_answer,
                             m.expert_answer, settled, claims, meeting_id in self._pending())

    def _detail_rows(self, meeting_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
        timeline = self.store.timeline(meeting_id)
        transcript = self.store.transcript(meeting_id)
        e = schema.events.c
        with reading(self.store.engine) as conn:
            row = conn.execute(sa.select(e.data, e.at).where(e.ref == meeting_id, e.kind == "MeetingSettled")
                               .order_by(e.position.desc()).limit(1)).first()
        settled = None
        if row is not None:
            data = json.loads(row.data)
            settled = {k: data.get(k) for k in ("outcome", "charged", "expert_share", "commission", "returned",
                                                "platform_paid", "automatic")}
            settled["at"] = row.at
        return timeline, transcript, settled
