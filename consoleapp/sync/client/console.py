"""The Console: what the expert's screens ask and tell, in one async facade (ARCHITECTURE §4).

Queries read the optimistic view (the server's state as last pulled plus the commands still
in the outbox, replayed through the engine) for records, and mark the records a pending
command touches, so a screen can show "not yet on the server". Timelines, transcripts,
earnings and the transaction record come from the cache's stored tables, read off the event
loop. Every command is built here with the logged-in expert as actor and handed to the sync
client, which keeps it in the outbox until the server has decided it.

Screens refresh themselves on `subscribe`: the listener gets the kinds of data that changed
('meetings', 'requests', 'history', 'earnings', 'claims', 'availability', 'offers',
'profile', 'notifications', 'issues', 'status'), like Anki's OpChanges.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import sqlalchemy as sa

from consoleapp.engine import World
from consoleapp.engine import commands as c
from consoleapp.engine.availability import holds_time
from consoleapp.engine.claims import answer_deadline
from consoleapp.engine.common import overlapping
from consoleapp.engine.errors import INVALID, DomainError
from consoleapp.engine.ledger import earnings
from consoleapp.engine.live import LINK_STATUSES
from consoleapp.engine.model import (
    Answer,
    Claim,
    ClaimStatus,
    DeclineReason,
    ExpertProfile,
    GroupEvent,
    GroupEventStatus,
    Meeting,
    MeetingStatus,
    Mode,
    MonthSummary,
    Offer,
    OfferKind,
    Payout,
    PayoutProfile,
    Slot,
)
from consoleapp.engine.payouts import next_payout_day, statement, statement_csv
from consoleapp.engine.policy import Policy
from consoleapp.engine.requests import (
    JoinWindow,
    RequestCategory,
    join_window,
    request_category,
    seconds_to_answer,
)
from consoleapp.store import schema
from consoleapp.store.codec import decode
from consoleapp.store.db import reading

from .accounts import Session
from .calendar import CalendarFeed, calendar_feed
from .session_bill import Bill, session_bill
from .sync import SyncError, kinds_of_command

if TYPE_CHECKING:
    from consoleapp.store import Store

    from .cache import Cache, SyncIssue
    from .sync import SyncClient

log = logging.getLogger("consoleapp.console")

Changes = frozenset[str]
Listener = Callable[[Changes], None]

# Statuses a finished (or abandoned) meeting ends in: the Session history screen.
HISTORY_STATUSES = (
    MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW,
    MeetingStatus.CANCELLED, MeetingStatus.EXPIRED, MeetingStatus.REJECTED,
)


# --- what the queries return ---------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class ClaimItem:
    claim: Claim
    deadline: datetime | None  # open: when it goes to the operator unanswered (R30)
    outcome: str  # decided: what happened, in words
    pending: bool


@dataclass(frozen=True, slots=True)
class Claims:
    open: tuple[ClaimItem, ...]
    under_review: tuple[ClaimItem, ...]
    decided: tuple[ClaimItem, ...]


@dataclass(frozen=True, slots=True)
class SlotItem:
    slot: Slot
    bookings: tuple[Meeting, ...]
    pending: bool


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
class LiveClock:
    """R19: a running session's count, for the countdown."""

    meeting_id: str
    remaining_seconds: int
    elapsed_seconds: int
    running: bool
    gifted: bool
    ended: bool


@dataclass
class _Memo:
    key: Any = None
    value: Any = None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def new_id() -> str:
    return uuid.uuid4().hex


def month_key(moment: date | datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


# --- the facade --------------------------------------------------------------------------------


class Console:
    def __init__(self, session: Session, cache: Cache, sync: SyncClient) -> None:
        self.session = session
        self.cache = cache
        self.sync = sync
        self._view = _Memo()
        self._requests = _Memo()  # new_requests() per state of the data
        self._listeners: list[Listener] = []

    @property
    def me(self) -> str:
        return self.session.user_id

    @property
    def store(self) -> Store:
        return self.cache.store

    @property
    def policy(self) -> Policy:
        return self.cache.store.policy

    def now(self) -> datetime:
        return self.sync.server_now()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(changes)` after each change (the sync client's, and the ones made here,
        like a dismissed issue); returns the function that unsubscribes."""
        self._listeners.append(listener)
        undo = self.sync.subscribe(listener)

        def unsubscribe() -> None:
            undo()
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _changed(self, *kinds: str) -> None:
        """Tell the screens about a change made here, outside the sync client."""
        refresh = getattr(self.sync, "recount", None)  # the issue count in the status bar
        if callable(refresh):
            refresh()
        changes = frozenset(kinds)
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # a screen's bug must not break the command that was made
                log.exception("a console listener failed")

    # --- the optimistic view -----------------------------------------------------------------

    def view(self) -> World:
        """Server state plus pending commands, replayed at the server's time (a copy: safe to walk
        while the sync client folds a pull in another thread).

        Rebuilt only when the server copy or the outbox changed (or, with commands pending, a
        second has passed so time-based decisions stay fresh): a screen asking several
        questions in a row pays for one copy.
        """
        now = self.now()
        pending = self.cache.pending()
        key = (id(self.cache.store), self.cache.store.world.version, tuple(p.seq for p in pending),
               int(now.timestamp()) if pending else 0)
        if self._view.key != key or self._view.value is None:
            self._view.value = self.cache.view(now)
            self._view.key = key
        world: World = self._view.value
        return world

    def _pending(self) -> set[str]:
        return set(self.cache.pending_refs())

    def _time_zone(self, w: World) -> ZoneInfo:
        profile = w.profiles.get(self.me)
        return _zone(profile.time_zone if profile else "UTC")

    async def _read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Blocking SQLite work off the event loop."""
        return await asyncio.to_thread(fn, *args)

    # --- New requests (R6-R8, R15) ---------------------------------------------------------------

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

    # --- Upcoming sessions ----------------------------------------------------------------------

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

    async def session_bill(self, meeting_id: str) -> Bill | None:
        """R20: the bill of an ended live session as the server decided it; None until pulled."""
        bill: Bill | None = await self._read(session_bill, self.cache.store.engine, meeting_id)
        return bill

    async def live_clock(self, meeting_id: str) -> LiveClock | None:
        """R19: the countdown of a session once it started."""
        m = self.view().meetings.get(meeting_id)
        if m is None or m.live is None:
            return None
        now = self.now()
        live = m.live
        return LiveClock(m.id, max(live.remaining(now), 0), live.elapsed(now), live.running_since is not None,
                         live.gifted, live.ended_at is not None)

    # --- Session history (R21, R34) -------------------------------------------------------------

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

    # --- Earnings (R32, R33) ---------------------------------------------------------------------

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

    # --- Disputes (R29-R31) ----------------------------------------------------------------------

    async def claims(self) -> Claims:
        """Open claims with their answer deadline, disputed ones under review, decided ones with outcome."""
        w = self.view()
        pending = self._pending()
        open_, review, decided = [], [], []
        for cl in w.claims.values():
            if cl.expert != self.me:
                continue
            flag = cl.id in pending
            if cl.status is ClaimStatus.OPEN:
                open_.append(ClaimItem(cl, answer_deadline(cl, self.policy), "", flag))
            elif cl.status is ClaimStatus.DISPUTED:
                review.append(ClaimItem(cl, None, "disputed: waiting for the operator", flag))
            else:
                decided.append(ClaimItem(cl, None, _claim_outcome(cl), flag))
        open_.sort(key=lambda x: (x.deadline or x.claim.opened_at, x.claim.id))
        review.sort(key=lambda x: (x.claim.opened_at, x.claim.id))
        decided.sort(key=lambda x: (x.claim.decided_at or x.claim.opened_at, x.claim.id), reverse=True)
        return Claims(tuple(open_), tuple(review), tuple(decided))

    # --- Availability & offers (R3, R4) -----------------------------------------------------------

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
        out = []
        for sid in w.slots_of.get(self.me, ()):
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

    # --- Profile & payout (R2, R5) ------------------------------------------------------------------

    async def profile(self) -> ExpertProfile:
        return self.view().profiles.get(self.me) or ExpertProfile(self.me)

    async def payout_profile(self) -> PayoutProfile:
        """R5: `.missing()` names the fields a payout still needs."""
        return self.view().payout_profiles.get(self.me) or PayoutProfile(self.me)

    async def calendar_feed(self, new: bool = False) -> CalendarFeed:
        """The person's secret calendar feed link, from the server (a SyncError when offline);
        `new` revokes the old link and makes another."""
        return await calendar_feed(self.sync, new)

    # --- notifications, sync state ----------------------------------------------------------------

    async def notifications(self, after: int = 0, limit: int | None = 100) -> list[dict[str, Any]]:
        """R35: the expert's notifications after a log position, oldest first."""
        found: list[dict[str, Any]] = await self._read(self.store.notifications, self.me, after, limit)
        return found

    async def sync_issues(self) -> list[Any]:
        """Commands the server refused, with its reason: shown until dismissed or retried."""
        return list(await self._read(self.cache.issues))

    async def pending_commands(self) -> list[Any]:
        return list(await self._read(self.cache.pending))

    def status(self) -> Any:
        return self.sync.status

    async def dismiss_issue(self, seq: int) -> None:
        """The person has read why a command was refused: take it off the list."""
        await self._read(self.cache.dismiss, seq)
        self._changed("issues")

    async def refusal(self, seq: int) -> SyncIssue | None:
        """Why the server refused the command `seq`; None while it waits, or once it was applied."""
        return next((i for i in await self._read(self.cache.issues) if i.seq == seq), None)

    def waiting(self, seq: int) -> bool:
        """Whether the command `seq` is still waiting for the server's answer."""
        return any(p.seq == seq for p in self.cache.pending())

    async def retry_issue(self, seq: int) -> int:
        """Send a refused command again, as a new command (after fixing its cause); returns its seq."""
        issue = next((i for i in await self._read(self.cache.issues) if i.seq == seq), None)
        if issue is None:
            raise DomainError("not_found", f"no sync issue {seq}; it was dismissed or retried already")
        new_seq = await self._submit(issue.command)
        await self._read(self.cache.dismiss, seq)
        self._changed("issues")
        return new_seq

    # --- commands: requests and booking (R6-R9) -----------------------------------------------------

    async def _submit(self, command: c.Command) -> int:
        now = self.now()
        seq = await self.sync.submit(command, kinds_of_command(command, self.view(), now, self.policy))
        self._view.key = None
        return int(seq)

    async def accept_instant(self, meeting_id: str) -> int:
        return await self._submit(c.AcceptInstant(actor=self.me, meeting_id=meeting_id))

    async def decline(self, meeting_id: str, reason: DeclineReason | str) -> int:
        """Decline an instant, scheduled or booking request with a reason from `decline_reasons()`."""
        return await self._submit(c.DeclineRequest(actor=self.me, meeting_id=meeting_id, reason=DeclineReason(reason)))

    decline_instant = decline
    decline_scheduled = decline

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

    # --- live sessions (R17-R21) ------------------------------------------------------------------------

    async def join(self, meeting_id: str) -> int:
        """R18: opening the link records the expert's attendance."""
        return await self._submit(c.OpenLink(actor=self.me, meeting_id=meeting_id))

    async def video_link(self, meeting_id: str) -> str:
        """R17: the expert's own `/join` link into the meeting's video room (online only: the server
        makes rooms); a refusal raises `SyncError` with the server's words."""
        try:
            r = await self.sync.http.get(f"{self.sync.base_url}/api/meetings/{meeting_id}/link", timeout=15,
                                         headers={"Authorization": f"Bearer {self.sync.token}"})
        except httpx.HTTPError as exc:
            raise SyncError(f"the server cannot be reached for the video link ({type(exc).__name__}); "
                            "try again when you are online") from None
        try:
            body = r.json()
        except ValueError:
            body = {}
        if r.status_code != 200:
            problem = body.get("error", {}) if isinstance(body, dict) else {}
            if problem.get("code") == "no_room":  # the server says "this expert…": here it is the expert reading
                raise SyncError("you have not set a meeting room link yet; add it on the Profile screen", online=True)
            raise SyncError(str(problem.get("message", f"the server answered {r.status_code}")), online=True)
        return f"{self.sync.base_url}{body['path']}"  # the address this desktop reaches the server at

    async def start_session(self, meeting_id: str) -> int:
        return await self._submit(c.StartSession(actor=self.me, meeting_id=meeting_id))

    async def end_session(self, meeting_id: str) -> int:
        return await self._submit(c.EndSession(actor=self.me, meeting_id=meeting_id))

    async def gift_minutes(self, meeting_id: str) -> int:
        """R19: two extra minutes, once per session."""
        return await self._submit(c.GiftMinutes(actor=self.me, meeting_id=meeting_id))

    async def post_chat(self, meeting_id: str, text: str) -> int:
        return await self._submit(c.PostChat(actor=self.me, meeting_id=meeting_id, message_id=new_id(), text=text))

    async def add_attachment(self, meeting_id: str, source: Path | str | bytes, name: str = "",
                             kind: str = "file") -> int:
        """R21: a file (a path, or its bytes with a name) or a code snippet; its sha256 goes with it."""
        if isinstance(source, bytes):
            if not name:
                raise DomainError(INVALID, "give the attachment a name")
            size, digest = len(source), hashlib.sha256(source).hexdigest()
        else:
            path = Path(source)
            size, digest = await asyncio.to_thread(_hash_file, path)
            name = name or path.name
        return await self._submit(c.AddAttachment(actor=self.me, meeting_id=meeting_id, attachment_id=new_id(),
                                                  name=name, kind=kind, size=size, digest=digest))

    async def add_snippet(self, meeting_id: str, name: str, code: str) -> int:
        return await self.add_attachment(meeting_id, code.encode("utf-8"), name=name, kind="snippet")

    async def evaluate(self, meeting_id: str, answer: Answer | str) -> int:
        return await self._submit(c.Evaluate(actor=self.me, meeting_id=meeting_id, answer=Answer(answer)))

    # --- claims (R30) ------------------------------------------------------------------------------------

    async def refund_claim(self, claim_id: str, amount: int) -> int:
        return await self._submit(c.RefundClaim(actor=self.me, claim_id=claim_id, amount=amount))

    async def dispute_claim(self, claim_id: str, summary: str) -> int:
        return await self._submit(c.DisputeClaim(actor=self.me, claim_id=claim_id, summary=summary))

    # --- availability and offers (R3, R4, R28) ---------------------------------------------------------------

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

    # --- profile and payout (R2, R5) ------------------------------------------------------------------------

    async def update_profile(self, name: str, specialty: str, time_zone: str, slug: str, photo: str = "",
                             room_url: str = "") -> int:
        return await self._submit(c.UpdateProfile(actor=self.me, name=name, specialty=specialty,
                                                  time_zone=time_zone, slug=slug, photo=photo, room_url=room_url))

    async def video_provider(self) -> str:
        """How the server makes video rooms (R17): 'jitsi', 'bbb' or 'personal' (the expert's own
        room link); '' while the server cannot be asked."""
        try:
            r = await self.sync.http.get(f"{self.sync.base_url}/policy", timeout=5)
            return str(r.json().get("video_provider", "")) if r.status_code == 200 else ""
        except (httpx.HTTPError, ValueError, AttributeError):
            return ""

    async def set_payout_profile(self, legal_name: str, billing_address: str, tax_id: str, bank_account: str,
                                 bic: str = "") -> int:
        return await self._submit(c.SetPayoutProfile(actor=self.me, legal_name=legal_name,
                                                     billing_address=billing_address, tax_id=tax_id,
                                                     bank_account=bank_account, bic=bic))


# --- helpers --------------------------------------------------------------------------------------


def _hash_file(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _matches(m: Meeting, search: str) -> bool:
    if not search:
        return True
    needle = search.strip().lower()
    return any(needle in str(x).lower() for x in (m.topic, m.id, m.customer, m.mode.value, m.status.value))


def _claim_outcome(cl: Claim) -> str:
    if cl.status is ClaimStatus.REFUNDED:
        return f"refunded {cl.refunded} of {cl.amount} credits"
    if cl.status is ClaimStatus.DISPUTE_ACCEPTED:
        return "dispute accepted: nothing refunded"
    if cl.status is ClaimStatus.DISPUTE_REJECTED:
        return f"dispute rejected: {cl.refunded or cl.amount} credits refunded from your earnings"
    return cl.status.value
