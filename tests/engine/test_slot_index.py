"""R4, R6, R8: the slots an expert holds are searched by time (`SlotIndex`), and the free times
walk the slots and the taken times once. Each answer must be what a walk over every slot and
every taken time gives (the way they were found before), whatever the slots and the times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consoleapp.engine.availability import Span, free_gaps
from consoleapp.engine.world import SlotIndex

T0 = datetime(2027, 3, 28, 0, 0, tzinfo=UTC)
IDS = [f"s{i}" for i in range(12)]

# Times on a quarter-hour grid over three days, so that starts and ends often meet exactly.
instants = st.integers(min_value=0, max_value=3 * 96).map(lambda q: T0 + timedelta(minutes=15 * q))
lengths = st.integers(min_value=1, max_value=30 * 4).map(lambda q: timedelta(minutes=15 * q))  # up to 30 h
ops = st.lists(st.tuples(st.sampled_from(("add", "add", "discard")), st.sampled_from(IDS), instants, lengths),
               max_size=40)


def walk_overlapping(held: dict[str, tuple[datetime, datetime]], start: datetime, end: datetime) -> list[str]:
    return sorted((sid for sid, (s, e) in held.items() if s < end and start < e), key=lambda sid: (held[sid][0], sid))


@settings(max_examples=300, deadline=None)
@given(ops=ops, start=instants, length=lengths)
def test_r04_r06_the_slot_index_answers_as_a_walk_over_every_slot(ops: list, start: datetime,
                                                                  length: timedelta) -> None:
    index, held = SlotIndex(), {}
    for op, sid, at, long in ops:
        if op == "add":  # a new slot, or one moved to new times
            index.add(sid, at, at + long)
            held[sid] = (at, at + long)
        else:
            index.discard(sid)
            held.pop(sid, None)
    order = sorted(held, key=lambda sid: (held[sid][0], sid))
    assert list(index) == order and len(index) == len(held)
    assert index.spans() == [(held[sid][0], sid, held[sid][1]) for sid in order]
    assert all(sid in index for sid in held) and not any(sid in index for sid in IDS if sid not in held)
    assert index.overlapping(start, start + length) == walk_overlapping(held, start, start + length)
    assert index.covering(start) == [sid for sid in order if held[sid][0] <= start < held[sid][1]]
    copied = index.copy()
    copied.discard(order[0]) if order else copied.add("new", start, start + length)
    assert index.spans() == [(held[sid][0], sid, held[sid][1]) for sid in order]  # the copy is its own
    assert copied != index and index == index.copy()


def walk_free(slots: list[tuple[datetime, str, datetime]], busy: list[Span], now: datetime
              ) -> list[tuple[str, tuple[Span, ...]]]:
    """The free times as found before: every taken time walked again for each slot."""
    out = []
    for start, sid, end in slots:
        if end <= now:
            continue
        gaps: list[Span] = []
        cursor = max(start, now)
        for taken_from, taken_to in busy:
            if taken_to <= cursor or taken_from >= end:
                continue
            if taken_from > cursor:
                gaps.append((cursor, taken_from))
            cursor = max(cursor, taken_to)
        if cursor < end:
            gaps.append((cursor, end))
        if gaps:
            out.append((sid, tuple(gaps)))
    return out


spans = st.lists(st.tuples(instants, lengths), max_size=25)


@settings(max_examples=300, deadline=None)
@given(slots=spans, busy=spans, now=instants)
def test_r04_r08_free_times_are_those_of_a_walk_over_every_taken_time(slots: list, busy: list,
                                                                     now: datetime) -> None:
    index = SlotIndex()
    for n, (start, long) in enumerate(slots):
        index.add(f"s{n:02d}", start, start + long)
    taken = sorted((start, start + long) for start, long in busy)
    assert free_gaps(index.spans(), taken, now) == walk_free(index.spans(), taken, now)
