"""A light read of the whole Session history for the list: one SQL select, no records decoded.

`Console.history()` pages the history and decodes each JSON record into a `Meeting`: right for
a page, too slow for a list that holds every past session at once (100 000 sessions take
seconds). The list only needs a few fields, and the `meetings` table keeps them as columns of
their own (written with the record, schema.meetings): SQLite returns them as they are and each
row becomes a `HistoryRow` (a named tuple) from the driver's tuple. About 0.3 s for 100 000 sessions on a
small machine, run off the event loop by the caller (`await asyncio.to_thread(load, ...)`).

Only the cache's copy of the server's state is read: the console's pending commands are laid
on top by the screen (`row_of(meeting, pending=True)` for the records `Console.history()`
marks pending).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

import sqlalchemy as sa

from consoleapp.engine.model import Meeting, MeetingStatus
from consoleapp.store.db import reading

# The columns in HistoryRow's order; the last is `pending`: a stored row never is (0, SQLite's false).
_SQL = (
    "SELECT id, COALESCE(starts_at, requested_at), customer, customer_name, topic, mode, kind, status, "
    "payment, outcome, charged, refunded, expert_answer, 0 "
    "FROM meetings WHERE expert = ? AND status IN ({marks}) "
    "ORDER BY COALESCE(starts_at, requested_at) DESC, id DESC"
)

_WAITING_SQL = "SELECT id FROM meetings WHERE expert = ? AND status = ? AND expert_answer = ''"


class HistoryRow(NamedTuple):
    """One past session as the list shows it. `when` is the start (or the time asked, for a
    request that never got a time) as SQLite keeps it: UTC text that sorts like the time."""

    id: str
    when: str
    customer: str
    customer_name: str
    topic: str
    mode: str
    kind: str
    status: str
    payment: str
    outcome: str  # '' while undecided
    charged: int
    refunded: int
    expert_answer: str  # '' while the expert has not answered
    pending: bool = False

    @property
    def moment(self) -> datetime:
        return when_of(self.when)

    @property
    def waiting_for_expert(self) -> bool:
        """Held and not yet evaluated by the expert: what the sidebar badge counts."""
        return self.status == MeetingStatus.HELD.value and not self.expert_answer


def when_of(text: str) -> datetime:
    """The stored UTC text ('2026-03-02 14:30:00.000000') as an aware datetime."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stamp(moment: datetime) -> str:
    """An aware datetime as SQLite keeps it, so pending rows sort among stored ones."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def load(engine: sa.Engine, expert: str, statuses: Sequence[MeetingStatus | str]) -> list[HistoryRow]:
    """Every meeting of `expert` in one of `statuses`, newest first. Blocking: run it in a thread."""
    wanted = [MeetingStatus(s).value for s in statuses]
    if not wanted:
        return []
    sql = _SQL.format(marks=", ".join("?" * len(wanted)))
    with reading(engine) as conn:
        # The driver's own cursor: its plain tuples, not one SQLAlchemy Row per session.
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            rows = cursor.execute(sql, (expert, *wanted)).fetchall()
        finally:
            cursor.close()
    return list(map(HistoryRow._make, rows))


def waiting_ids(engine: sa.Engine, expert: str) -> set[str]:
    """The Held sessions waiting for the expert's evaluation (stored state only): the badge."""
    with reading(engine) as conn:
        return {str(r[0]) for r in conn.exec_driver_sql(_WAITING_SQL, (expert, MeetingStatus.HELD.value))}


def row_of(m: Meeting, pending: bool = False) -> HistoryRow:
    """A meeting record (e.g. from the optimistic view) as a list row."""
    moment = m.start or m.requested_at
    return HistoryRow(m.id, stamp(moment), m.customer, m.customer_name, m.topic, m.mode.value, m.kind.value,
                      m.status.value, m.payment.value, m.outcome.value if m.outcome else "", m.charged,
                      m.refunded, m.expert_answer.value if m.expert_answer else "", pending)


def merge(stored: Iterable[HistoryRow], pending: Iterable[HistoryRow]) -> list[HistoryRow]:
    """Pending rows first (what the expert just did), then the stored ones they do not replace."""
    on_top = list(pending)
    replaced = {r.id for r in on_top}
    return on_top + [r for r in stored if r.id not in replaced]
