"""New requests (R6-R8, R15): the list waiting for the expert and the answers to it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.common import overlapping
from consoleapp.engine.errors import DomainError
from consoleapp.engine.model import (
    DeclineReason,
    Meeting,
    Mode,
    OfferKind,
)
from consoleapp.engine.requests import (
    RequestCategory,
    request_category,
    seconds_to_answer,
)

from ...protocol import new_id
from .base import ConsoleBase


@dataclass(frozen=True, slots=True)
class RequestItem:
    """A request waiting for the expert (New requests screen).

    `category` is 'instant' (answer before `seconds_left` runs out), 'scheduled' (pick one of
    `times` or propose another), 'booking' (approve or decline the one time in `times`) or
    'alternative' (the customer asked to move an agreed meeting to `times[0]`).
    """

    meeting: Meeting
    category: RequestCategory
    times: tuple[datetime, ...]
    seconds_left: int | None
    pending: bool

    @property
    def id(self) -> str:
        return self.meeting.id


class RequestOps(ConsoleBase):
    async def new_requests(self) -> list[RequestItem]:
        """Requests awaiting the expert, instant ones first (soonest to expire), then by time asked.

        The list is worked out once per state of the data (a click makes the screen that sent it,
        the window and the sidebar's badge all ask); only the countdowns follow the clock."""
        w = self.view()
        now = self.now()
        key = self._view.key[:3]  # the data, not the second: time only moves the countdowns
        if self._requests.key != key or self._requests.value is None:
            self._requests.value = self._waiting(w)
            self._requests.key = key
        out: list[RequestItem] = []
        for item in self._requests.value:
            left = seconds_to_answer(item.meeting, now, self.policy)
            if left == 0:
                continue  # expired; the server's scheduler voids it
            out.append(replace(item, seconds_left=left))
        out.sort(key=lambda r: (r.category.rank, r.seconds_left if r.seconds_left is not None else 0,
                                r.meeting.requested_at, r.id))
        return out

    def _waiting(self, w: World) -> list[RequestItem]:
        """Every request waiting for this expert, as the engine categorises it."""
        pending = self._pending()
        out: list[RequestItem] = []
        for mid in w.active:  # meetings still moving; history is not walked
            m = w.meetings[mid]
            category = request_category(m) if m.expert == self.me else None
            if category is None:
                continue
            if category is RequestCategory.SCHEDULED:
                times = m.proposed
            elif category is RequestCategory.ALTERNATIVE:
                assert m.alternative is not None
                times = (m.alternative.start,)
            elif category is RequestCategory.BOOKING:
                times = (m.start,) if m.start else ()
            else:
                times = ()
            out.append(RequestItem(m, category, times, None, mid in pending))
        return out

    async def overlaps(self, meeting_id: str, start: datetime) -> list[Meeting]:
        """R10: the agreed meetings (the expert's or the customer's) that agreeing `meeting_id` at
        `start` would overlap, to warn before confirming; never a refusal."""
        w = self.view()
        m = w.meetings.get(meeting_id)
        if m is None:
            raise DomainError("not_found", f"no meeting {meeting_id!r} in your data")
        length = (m.end - m.start) if (m.start and m.end) else timedelta(minutes=m.minutes or 0)
        found = overlapping(w, (m.expert, m.customer), start, start + length, exclude=m.id)
        return [w.meetings[mid] for mid in found]

    def meeting(self, meeting_id: str) -> Meeting | None:
        """One meeting as the optimistic view has it."""
        return self.view().meetings.get(meeting_id)

    @staticmethod
    def decline_reasons() -> list[DeclineReason]:
        return list(DeclineReason)

    async def accept_instant(self, meeting_id: str) -> int:
        return await self._submit(c.AcceptInstant(actor=self.me, meeting_id=meeting_id))

    async def decline(self, meeting_id: str, reason: DeclineReason | str) -> int:
        """Decline an instant, scheduled or booking request with a reason from `decline_reasons()`."""
        return await self._submit(c.DeclineRequest(actor=self.me, meeting_id=meeting_id, reason=DeclineReason(reason)))

    async def approve_booking(self, meeting_id: str) -> int:
        return await self._submit(c.ApproveBooking(actor=self.me, meeting_id=meeting_id))

    async def pick_time(self, meeting_id: str, start: datetime) -> int:
        return await self._submit(c.PickTime(actor=self.me, meeting_id=meeting_id, start=start))

    async def propose_time(self, meeting_id: str, start: datetime) -> int:
        """R7/R16: propose another time than the ones asked for."""
        return await self._submit(c.ProposeAlternative(actor=self.me, meeting_id=meeting_id, start=start))

    async def approve_alternative(self, meeting_id: str) -> int:
        return await self._submit(c.ApproveAlternative(actor=self.me, meeting_id=meeting_id))

    async def reject_alternative(self, meeting_id: str, reason: str) -> int:
        return await self._submit(c.RejectAlternative(actor=self.me, meeting_id=meeting_id, reason=reason))

    async def withdraw_alternative(self, meeting_id: str) -> int:
        return await self._submit(c.WithdrawAlternative(actor=self.me, meeting_id=meeting_id))

    async def suggest_meeting(self, customer: str, mode: Mode, offer: OfferKind, start: datetime, topic: str,
                              minutes: int = 0, meeting_id: str = "") -> int:
        """R9: suggest a meeting to a customer, who confirms or rejects it."""
        return await self._submit(c.SuggestMeeting(actor=self.me, meeting_id=meeting_id or new_id(), customer=customer,
                                                   mode=Mode(mode), offer=OfferKind(offer), start=start, topic=topic,
                                                   minutes=minutes))

    async def cancel(self, meeting_id: str, reason: str = "") -> int:
        """R14: the expert cancels before the start; the customer gets everything back."""
        return await self._submit(c.CancelMeeting(actor=self.me, meeting_id=meeting_id, reason=reason))
