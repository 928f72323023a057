"""Upcoming sessions (R17, R28): agreed meetings whose link still works and open group events, by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from consoleapp.engine.live import LINK_STATUSES
from consoleapp.engine.model import (
    GroupEvent,
    GroupEventStatus,
    Meeting,
)
from consoleapp.engine.requests import (
    JoinWindow,
    join_window,
)

from .base import ConsoleBase


@dataclass(frozen=True, slots=True)
class UpcomingItem:
    kind: str  # 'meeting' or 'event'
    id: str
    title: str
    start: datetime
    end: datetime
    meeting: Meeting | None
    event: GroupEvent | None
    pending: bool
    # R17: when the meeting's video link works (the engine's window); None for events.
    join_window: JoinWindow | None = None

@dataclass(frozen=True, slots=True)
class Day:
    day: date  # in the expert's time zone
    items: tuple[UpcomingItem, ...]


class UpcomingOps(ConsoleBase):
    async def upcoming(self, days: int | None = None) -> list[Day]:
        """Agreed meetings whose link still works (R17) and open group events not yet over, grouped
        by day in the expert's zone."""
        w = self.view()
        now = self.now()
        zone = self._time_zone(w)
        pending = self._pending()
        horizon = now + timedelta(days=days) if days else None
        items: list[UpcomingItem] = []
        # Held meetings too: the link works until the window closes, after the end (R17).
        for mid in sorted(w.agreed_of.get(self.me, set()) | w.active):
            m = w.meetings[mid]
            if m.expert != self.me or m.status not in LINK_STATUSES or m.start is None or m.end is None:
                continue
            window = join_window(m.start, m.end, self.policy)
            if window.is_over(now) or (horizon and m.start > horizon):
                continue
            items.append(UpcomingItem("meeting", m.id, m.topic, m.start, m.end, m, None, mid in pending, window))
        for eid in w.active_events:
            g = w.group_events[eid]
            if g.expert != self.me or g.status is not GroupEventStatus.OPEN or g.end < now:
                continue
            if horizon and g.start > horizon:
                continue
            items.append(UpcomingItem("event", g.id, g.title, g.start, g.end, None, g, eid in pending))
        items.sort(key=lambda x: (x.start, x.id))
        by_day: dict[date, list[UpcomingItem]] = {}
        for item in items:
            by_day.setdefault(item.start.astimezone(zone).date(), []).append(item)
        return [Day(d, tuple(v)) for d, v in by_day.items()]
