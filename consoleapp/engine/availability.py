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
    index = w.slots_of.get(expert)
    if index is None:
        return []
    held = [(start, sid, end) for start, sid, end in index.spans() if end > now and sid in w.slots]
    return [FreeSlot(w.slots[sid], gaps) for sid, gaps in free_gaps(held, busy_times(w, expert), now)]


def free_gaps(slots: list[tuple[datetime, str, datetime]], busy: list[Span], now: datetime,
              ) -> list[tuple[str, tuple[Span, ...]]]:
    """What is free after `now` in each slot ((start, id, end), in order of start) once the
    `busy` spans (in order of start; they may overlap) are taken out: (id, gaps) for each slot
    with some left. One walk over both lists, not the busy spans again for every slot."""
    merged = _union(busy)
    out: list[tuple[str, tuple[Span, ...]]] = []
    b = 0  # the first busy span that may still meet a slot: the slots come in order of start
    for start, sid, end in slots:
        if end <= now:
            continue
        while b < len(merged) and merged[b][1] <= start:
            b += 1
        gaps: list[Span] = []
        cursor = max(start, now)
        k = b
        while k < len(merged) and merged[k][0] < end:
            taken_from, taken_to = merged[k]
            if taken_from > cursor:
                gaps.append((cursor, taken_from))
            cursor = max(cursor, taken_to)
            k += 1
        if cursor < end:
            gaps.append((cursor, end))
        if gaps:
            out.append((sid, tuple(gaps)))
    return out


def _union(spans: list[Span]) -> list[Span]:
    """Sorted spans merged where they meet or overlap: what is left of a slot is the same, and
    the union's spans end in order, so each slot walks only those that reach into it."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
