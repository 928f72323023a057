"""When an expert's time is taken, and what is left of their slots (R4, R6-R9).

The one answer that the slot booking (`requests.book_slot`), the free times a customer is shown
and the expert's own views share: a time the expert agreed through a scheduled request, an
accepted instant request or a suggestion the customer has not answered yet is as taken as a
booking in the same slot.
"""

from __future__ import annotations

from datetime import datetime

from .answers import FreeSlot as FreeSlot
from .answers import Span as Span
from .model import Meeting, MeetingStatus
from .world import World

_HOLDING = (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED)



def holds_time(m: Meeting) -> bool:
    """Whether the meeting keeps its time from everyone else, whatever its kind.

    Awaiting an answer (a booking, a suggestion, a rescheduled request) or Agreed, and with a
    time: an instant or scheduled request holds nothing until a time is agreed.
    """
    return m.status in _HOLDING and m.start is not None and m.end is not None


def busy_times(w: World, expert: str) -> list[Span]:
    """The expert's taken times, earliest first (they may overlap: R10 only warns)."""
    spans = []
    for mid in w.holding_of.get(expert, ()):
        m = w.meetings[mid]
        if m.start is not None and m.end is not None:
            spans.append((m.start, m.end))
    return sorted(spans)


def taken(w: World, expert: str, start: datetime, end: datetime) -> Span | None:
    """The first of the expert's taken times that overlaps [start, end), if any."""
    return next((span for span in busy_times(w, expert) if span[0] < end and start < span[1]), None)


def free_times(w: World, expert: str, now: datetime) -> list[FreeSlot]:
    """R4/R8: each future slot of the expert that still has free time, in order of start.

    Every taken time of the expert is subtracted, not only the bookings made in that slot.
    """
    busy = busy_times(w, expert)
    slots = sorted((w.slots[sid] for sid in w.slots_of.get(expert, ()) if sid in w.slots),
                   key=lambda s: (s.start, s.id))
    out = []
    for slot in slots:
        if slot.end <= now:
            continue
        gaps: list[Span] = []
        cursor = max(slot.start, now)
        for start, end in busy:
            if end <= cursor or start >= slot.end:
                continue
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < slot.end:
            gaps.append((cursor, slot.end))
        if gaps:
            out.append(FreeSlot(slot, tuple(gaps)))
    return out
