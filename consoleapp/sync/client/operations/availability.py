"""Availability & offers (R3, R4, R28): slots, prices, group events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from consoleapp.engine import commands as c
from consoleapp.engine.availability import holds_time
from consoleapp.engine.model import (
    Meeting,
    Mode,
    Offer,
    Slot,
)

from ...protocol import new_id
from .base import ConsoleBase


@dataclass(frozen=True, slots=True)
class SlotItem:
    slot: Slot
    bookings: tuple[Meeting, ...]
    pending: bool


class AvailabilityOps(ConsoleBase):
    def slot(self, slot_id: str) -> Slot | None:
        """One slot as the optimistic view has it."""
        return self.view().slots.get(slot_id)

    async def availability(self, week_start: date | datetime | None = None) -> list[SlotItem]:
        """The slots overlapping the week from `week_start` (default: this week, Monday, expert's zone)."""
        w = self.view()
        zone = self._time_zone(w)
        if week_start is None:
            today = self.now().astimezone(zone).date()
            week_start = today - timedelta(days=today.weekday())
        if isinstance(week_start, datetime):
            begin = week_start if week_start.tzinfo else week_start.replace(tzinfo=zone)
        else:
            begin = datetime(week_start.year, week_start.month, week_start.day, tzinfo=zone)
        end = begin + timedelta(days=7)
        pending = self._pending()
        # Memory holds the slots not ended, the cache's table every stored one (a past week's);
        # each is then read through the view, which knows a pending move or removal.
        ids = set(w.slots_of.get(self.me, ()))
        ids.update(s.id for s in await self._read(self.cache.store.slots_between, self.me, begin, end))
        out = []
        for sid in ids:
            s = w.slots.get(sid)
            if s is None or s.end <= begin or s.start >= end:
                continue
            booked = tuple(sorted(
                (w.meetings[mid] for mid in w.booked_in_slot.get(sid, ()) if mid in w.meetings
                 and holds_time(w.meetings[mid])),
                key=lambda m: (m.start or m.requested_at, m.id)))
            out.append(SlotItem(s, booked, sid in pending))
        out.sort(key=lambda x: (x.slot.start, x.slot.id))
        return out

    async def offers(self) -> dict[Mode, tuple[Offer, ...]]:
        w = self.view()
        return {mode: w.offers.get((self.me, mode), ()) for mode in Mode}

    async def add_slot(self, start: datetime | None, end: datetime | None = None,
                       offers: Sequence[Offer] = (), slot_id: str = "") -> str:
        """R4: a slot; `start=None` is "Now" (from now, the policy's length). Returns the slot id."""
        sid = slot_id or new_id()
        await self._submit(c.AddSlot(actor=self.me, slot_id=sid, start=start, end=end, offers=tuple(offers)))
        return sid

    async def add_now_slot(self) -> str:
        return await self.add_slot(None)

    async def move_slot(self, slot_id: str, start: datetime, end: datetime) -> int:
        return await self._submit(c.MoveSlot(actor=self.me, slot_id=slot_id, start=start, end=end))

    async def remove_slot(self, slot_id: str) -> int:
        return await self._submit(c.RemoveSlot(actor=self.me, slot_id=slot_id))

    async def set_offers(self, mode: Mode | str, per_minute: int = 0, short_price: int = 0, long_price: int = 0,
                         short_minutes: int = 0, long_minutes: int = 0) -> int:
        """R3: one mode's prices; 0 disables a product."""
        return await self._submit(c.SetOffers(actor=self.me, mode=Mode(mode), per_minute=per_minute,
                                              short_price=short_price, short_minutes=short_minutes,
                                              long_price=long_price, long_minutes=long_minutes))

    async def create_group_event(self, title: str, start: datetime, end: datetime, price: int,
                                 min_participants: int, max_participants: int, event_id: str = "") -> str:
        eid = event_id or new_id()
        await self._submit(c.CreateGroupEvent(actor=self.me, event_id=eid, title=title, start=start, end=end,
                                              price=price, min_participants=min_participants,
                                              max_participants=max_participants))
        return eid

    async def cancel_group_event(self, event_id: str, reason: str) -> int:
        return await self._submit(c.CancelGroupEvent(actor=self.me, event_id=event_id, reason=reason))
