"""Upcoming sessions (R10, R14-R18): agreed meetings and open group events, day by day.

Times are the expert's, with the customer's beside them. The card joins the session (live from
the policy's join window until the end, re-checked every few seconds at the server's time),
proposes another time (R16), answers a customer's new time (R15), or cancels (R14: the
customer gets everything back). Group events show registrations against their min and max.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from consoleapp.engine.errors import DomainError
from consoleapp.sync.client.console import UpcomingItem

from .. import fmt, tasks, widgets
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy, numeric
from ..tasks import async_slot
from . import meeting_parts as mp
from .base import Screen
from .upcoming_card import UpcomingCard

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console

    from .base import Context


@dataclass(frozen=True, slots=True)
class UpRow:
    """One line of the list: an item, and whether it opens its day (the day is shown once)."""

    item: UpcomingItem
    day: date
    first_of_day: bool

    @property
    def id(self) -> str:
        return self.item.id


class UpcomingScreen(Screen):
    key: ClassVar[str] = "upcoming"
    kinds: ClassVar[frozenset[str]] = frozenset({"meetings", "requests", "profile"})

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self.zone = ZoneInfo("UTC")
        self.today = date.min
        self._wanted = ""
        self._filling = False

        self.model: RowsModel[UpRow] = RowsModel(self._columns(), pending=lambda r: r.item.pending)
        self.proxy = RowsProxy(self.model, self)
        self.table = widgets.table(self.proxy, sortable=False)  # day by day, in time order
        self.table.setObjectName("upcoming-table")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.empty = widgets.EmptyState(tr(
            "Nothing is planned yet. Agreed meetings and your open group events appear here; answer waiting "
            "requests under New requests, or add free slots under Availability & offers."))
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)

        self.card = UpcomingCard()
        self.card.join.connect(self.on_join)
        self.card.cancel.connect(self.on_cancel)
        self.card.propose.connect(self.on_propose)
        self.card.approve_alternative.connect(self.on_approve_alternative)
        self.card.reject_alternative.connect(self.on_reject_alternative)
        self.card.withdraw_alternative.connect(self.on_withdraw_alternative)
        self.splitter = mp.list_and_card(self.lists, self.card)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(widgets.heading(tr("Upcoming sessions"), tr(
            "Your agreed meetings and group events, in your time zone. J joins the selected session "
            "when it opens, C cancels it.")))
        lay.addWidget(self.splitter, 1)
        mp.keep_layout(ctx.settings(), self.key, self.table.horizontalHeader(), self.splitter)

        mp.shortcut(self, "J", self.on_join)
        mp.shortcut(self, "C", self.on_cancel)
        self.clock = QTimer(self)
        self.clock.setInterval(5000)  # the Join button and the day labels follow the server's time
        self.clock.timeout.connect(self._tick)
        self.clock.start()

    @classmethod
    def caption(cls) -> str:
        return tr("Upcoming sessions")

    # --- the list --------------------------------------------------------------------------------

    def _columns(self) -> list[Column[UpRow]]:
        return [
            Column(tr("Day"), lambda r: self._day_text(r.day) if r.first_of_day else "", width=100,
                   tip=lambda r: fmt.day(r.day)),
            Column(tr("Your time"), lambda r: self._hours(r.item), width=105),
            Column(tr("Their time"), self._their_time, width=105, tip=self._their_zone),
            Column(tr("With"), self._with, width=100),
            Column(tr("Mode"), self._mode, width=65),
            numeric(tr("Price"), lambda r: self._price(r.item), fmt.credits, width=60),
            Column(tr("Topic"), lambda r: r.item.title),  # the last column takes the room left
        ]

    def _day_text(self, d: date) -> str:
        if d == self.today:
            return tr("Today")
        if d == self.today + timedelta(days=1):
            return tr("Tomorrow")
        return mp.short_day(d)

    def _hours(self, item: UpcomingItem) -> str:
        return tr("{start} – {end}", start=fmt.time_of(item.start, self.zone), end=fmt.time_of(item.end, self.zone))

    def _their_time(self, row: UpRow) -> str:
        m = row.item.meeting
        if m is None or mp.same_zone(self.zone, m.customer_zone):
            return ""
        local = row.item.start.astimezone(fmt.zone(m.customer_zone))
        shown = fmt.time_of(local, m.customer_zone)
        if local.date() != row.item.start.astimezone(self.zone).date():
            shown = fmt.when(local, m.customer_zone)
        return tr("{time} {city}", time=shown, city=mp.zone_city(m.customer_zone))

    def _their_zone(self, row: UpRow) -> str:
        m = row.item.meeting
        return mp.their_time(row.item.start, m, self.zone) if m is not None else ""

    def _with(self, row: UpRow) -> str:
        if row.item.meeting is not None:
            return mp.customer_label(row.item.meeting)
        g = row.item.event
        n = len(g.active()) if g is not None else 0
        return tr("Group: {count}/{max}", count=n, max=g.max_participants if g is not None else 0)

    def _mode(self, row: UpRow) -> str:
        if row.item.meeting is not None:
            return mp.mode_label(row.item.meeting.mode)
        return tr("Group")

    @staticmethod
    def _price(item: UpcomingItem) -> int:
        if item.meeting is not None:
            return item.meeting.price
        return item.event.price if item.event is not None else 0

    def selected(self) -> UpcomingItem | None:
        found = widgets.selected_row(self.table)
        return found.item if isinstance(found, UpRow) else None

    def select(self, ref: str) -> None:
        self._wanted = ref
        for i in range(self.proxy.rowCount()):
            if self.proxy.row(i).id == ref:
                self.table.selectionModel().setCurrentIndex(
                    self.proxy.index(i, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.proxy.index(i, 0))
                self._wanted = ""
                return

    # --- reading ---------------------------------------------------------------------------------

    async def refresh(self) -> None:
        self.zone = fmt.zone((await self.console.profile()).time_zone)
        self.today = self.console.now().astimezone(self.zone).date()
        days = await self.console.upcoming()
        rows = [UpRow(item, d.day, i == 0) for d in days for i, item in enumerate(d.items)]
        current = self.selected()
        keep = self._wanted or (current.id if current else "")
        self._filling = True
        try:
            self.model.set_rows(rows)
            self.lists.setCurrentWidget(self.table if rows else self.empty)
            if rows:
                self.select(keep if any(r.id == keep for r in rows) else rows[0].id)
        finally:
            self._filling = False
        self._show_selected()

    async def badge(self) -> int:
        """Sessions today, in the expert's zone."""
        zone = fmt.zone((await self.console.profile()).time_zone)
        today = self.console.now().astimezone(zone).date()
        return sum(len(d.items) for d in await self.console.upcoming() if d.day == today)

    def _show_selected(self) -> None:
        if self._filling:
            return
        item = self.selected()
        if item is None:
            self.card.show_nothing()
            return
        before = self.card.item
        self.card.show_item(item, self.zone, self.console.now(), self.console.me,
                            self.console.policy.join_before_minutes)
        if item.meeting is None:
            self.card.set_timeline(None)
        elif before is None or before.id != item.id or before != item:
            tasks.start(self._load_timeline(item.id), self)

    async def _load_timeline(self, meeting_id: str) -> None:
        try:
            detail = await self.console.session_detail(meeting_id)
        except DomainError:
            return  # gone meanwhile (cancelled elsewhere): the next refresh drops it from the list
        if self.card.item is not None and self.card.item.id == meeting_id:  # still the one shown
            self.card.set_timeline(detail.timeline)

    def _tick(self) -> None:
        now = self.console.now()
        self.card.update_join(now)
        if now.astimezone(self.zone).date() != self.today and self.model.rows:
            tasks.start(self.refresh(), self)  # a new day: "Today" moves on

    def join_open(self) -> bool:
        item = self.selected()
        if item is None or item.join_window is None:
            return False
        return item.join_window.is_open(self.console.now())

    # --- acting ----------------------------------------------------------------------------------

    @async_slot
    async def on_join(self) -> None:
        item = self.selected()
        if item is None or item.meeting is None:
            return
        if not self.join_open():
            self.report(tr("The session opens {minutes} min before its start.",
                           minutes=self.console.policy.join_before_minutes))
            return
        self.ctx.open_live(item.id)

    @async_slot
    async def on_cancel(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.meeting is not None:
            m = item.meeting
            reason = await mp.ask_reason(
                self, tr("Cancel the meeting"),
                tr("Cancel \"{topic}\" with {customer} on {time}? {customer} gets all {amount} back and is told "
                   "at once. Tell them why:", topic=m.topic, customer=mp.customer_label(m),
                   time=fmt.when(item.start, self.zone), amount=fmt.credits(m.price)),
                tr("Cancel the meeting"), placeholder=tr("Your reason, shown to the customer"))
            if reason is None:
                return
            await self.console.cancel(m.id, reason)
            self.report(tr("Meeting cancelled; {customer} gets the credits back.",
                           customer=mp.customer_label(m)), False)
        else:
            reason = await mp.ask_reason(
                self, tr("Cancel the event"),
                tr("Cancel \"{title}\" on {time}? Every participant gets their credits back. Tell them why:",
                   title=item.title, time=fmt.when(item.start, self.zone)),
                tr("Cancel the event"), placeholder=tr("Your reason, shown to the participants"))
            if reason is None:
                return
            await self.console.cancel_group_event(item.id, reason)
            self.report(tr("Event cancelled; every participant gets the credits back."), False)
        await self.refresh()

    @async_slot
    async def on_propose(self) -> None:
        item = self.selected()
        start = self.card.proposed_time()
        if item is None or item.meeting is None or start is None:
            return
        await self.console.propose_time(item.id, start)
        self.report(tr("Proposed {time} to {customer}; the agreed time stays until they approve.",
                       time=fmt.when(start, self.zone), customer=mp.customer_label(item.meeting)), False)
        await self.refresh()

    @async_slot
    async def on_approve_alternative(self) -> None:
        item = self.selected()
        m = item.meeting if item is not None else None
        if m is None or m.alternative is None:
            return
        if not await mp.overlaps_ok(self, self.console, m.id, m.alternative.start, self.zone):
            return
        await self.console.approve_alternative(m.id)
        self.report(tr("Moved to {time}.", time=fmt.when(m.alternative.start, self.zone)), False)
        await self.refresh()

    @async_slot
    async def on_reject_alternative(self) -> None:
        item = self.selected()
        m = item.meeting if item is not None else None
        if m is None:
            return
        reason = await mp.ask_reason(
            self, tr("Reject the new time"),
            tr("{customer} keeps the time already agreed. Tell them why the new one does not suit you.",
               customer=mp.customer_label(m)),
            tr("Reject the new time"), placeholder=tr("Your reason, shown to the customer"))
        if reason is None:
            return
        await self.console.reject_alternative(m.id, reason)
        self.report(tr("New time rejected; the agreed time stays."), False)
        await self.refresh()

    @async_slot
    async def on_withdraw_alternative(self) -> None:
        item = self.selected()
        if item is None or item.meeting is None:
            return
        await self.console.withdraw_alternative(item.id)
        self.report(tr("Your proposed time was withdrawn."), False)
        await self.refresh()
