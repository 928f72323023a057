"""Availability & offers (R3, R4, R28): the week of slots, the prices, the group events.

Every change is a Console command. Before queueing one, the screen asks the engine about it
(`trial`), so a refusal the local copy can already see (an overlap, a slot in the past, a
booked slot, a price under the minimum) is said at once, in the engine's words, and nothing
is queued; the server still decides the real command.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import Mode, Offer, OfferKind
from consoleapp.sync.client.console import SlotItem
from consoleapp.sync.client.trial import trial

from .. import fmt, style, widgets
from ..i18n import tr
from ..tasks import async_slot, start
from .availability_forms import EventDialog, SlotDialog, default_start, mode_name
from .base import Context, Screen
from .offers import EventsPanel, OffersPanel
from .weekview import WeekView, booking_line

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console


class AvailabilityScreen(Screen):
    key = "availability"
    kinds = frozenset({"availability", "offers", "meetings", "profile"})

    @classmethod
    def caption(cls) -> str:
        return tr("Availability & offers")

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self._dialog: QDialog | None = None  # the open form, if any (tests fill it in)
        self.monday: date | None = None  # None: this week, once the zone is known
        self.zone = ZoneInfo("UTC")
        self.items: list[SlotItem] = []

        self.tabs = QTabWidget()
        self.tabs.setObjectName("availability-tabs")
        self.tabs.addTab(self._week_page(), tr("Week"))
        self.offers = OffersPanel(self.console)
        self.tabs.addTab(self.offers, tr("Prices"))
        self.events = EventsPanel(self.console, self.new_event)
        self.tabs.addTab(self.events, tr("Group events"))
        self._keep_header_layout()
        self._clock = QTimer(self)  # the "now" line and the shaded past move on between refreshes
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

        self.subtitle = widgets.heading(tr("Availability & offers"),
                                        tr("When customers can book you, and at what price."))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.tabs, 1)

    # --- building ------------------------------------------------------------------------------

    def _button(self, text: str, name: str, tip: str, keys: QKeySequence | QKeySequence.StandardKey | str,
                slot: object, owner: QWidget) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        shortcut = QShortcut(QKeySequence(keys), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return b

    def _week_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("week-page")
        self.prev_button = self._button("◀", "previous-week", tr("Previous week (Alt+Left)"), "Alt+Left",
                                        lambda: self.go(-7), page)
        self.this_button = self._button(tr("This week"), "this-week", tr("Back to this week (Alt+Home)"), "Alt+Home",
                                        lambda: self.go(0), page)
        self.next_button = self._button("▶", "next-week", tr("Next week (Alt+Right)"), "Alt+Right",
                                        lambda: self.go(7), page)
        self.week_label = QLabel()
        self.week_label.setObjectName("week-label")
        self.week_label.setStyleSheet("font-weight: 600; padding-left: 8px;")
        self.now_button = self._button(tr("Now"), "now-slot", "", "Ctrl+Shift+N", self.on_now, page)
        self.add_button = self._button(tr("Add slot…"), "add-slot", tr("Add a slot by day and time (Ctrl+N)"),
                                       "Ctrl+N", self.on_add, page)
        self.add_button.setProperty("primary", True)
        self.delete_button = self._button(tr("Delete slot"), "delete-slot",
                                          tr("Delete the selected slot (Delete)"), "Delete", self.on_delete, page)
        self.delete_button.setProperty("danger", True)
        self.delete_button.setEnabled(False)
        new_event = QShortcut(QKeySequence("Ctrl+G"), self)
        new_event.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_event.activated.connect(lambda: start(self.new_event(), self))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 8, 0, 4)
        for w in (self.prev_button, self.this_button, self.next_button, self.week_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.now_button, self.add_button):
            bar.addWidget(w)

        self.week = WeekView()
        self.week.setObjectName("week-view")
        grid = self.week.grid
        grid.create_requested.connect(self.on_create)
        grid.move_requested.connect(self.on_move)
        grid.delete_requested.connect(lambda sid: start(self.delete(sid), self))
        grid.selection_changed.connect(self._show_selected)
        grid.add_at_requested.connect(lambda at: start(self.add_form(at), self))

        self.details = widgets.Card()
        self.details.setFixedWidth(290)
        week_title = QLabel(tr("This week"))
        week_title.setObjectName("figure-label")
        self.summary = QLabel()
        self.summary.setObjectName("week-summary")
        self.summary.setWordWrap(True)
        self.detail_title = QLabel()
        self.detail_title.setObjectName("figure-label")
        self.detail_when = QLabel()
        self.detail_when.setStyleSheet("font-weight: 600;")
        self.detail_when.setWordWrap(True)
        self.detail_state = widgets.Chip(tr("not yet on the server"), "warn")
        self.detail_body = QLabel()
        self.detail_body.setObjectName("slot-details")
        self.detail_body.setWordWrap(True)
        self.detail_body.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for w in (week_title, self.summary, _rule(), self.detail_title, self.detail_when, self.detail_state,
                  self.detail_body):
            self.details.body.addWidget(w)
        self.details.body.addWidget(self.delete_button)
        self.details.body.addStretch(1)
        self.details.body.addWidget(_legend())
        self.hint = QLabel(tr("Drag on empty space to add a slot; drag a slot to move it, its lower edge to change "
                              "its end. Times snap to 15 minutes."))
        self.hint.setObjectName("subheading")
        self.hint.setWordWrap(True)
        self.details.body.addWidget(self.hint)

        body = QHBoxLayout()
        body.addWidget(self.week, 1)
        body.addWidget(self.details)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addLayout(body, 1)
        self._show_selected("")
        return page

    def _keep_header_layout(self) -> None:
        """The group events table keeps its column layout between runs."""
        header = self.events.table.horizontalHeader()
        state = self.ctx.settings().value(f"{self.key}/events-header")
        if isinstance(state, QByteArray | bytes):
            header.restoreState(QByteArray(state))

        def save() -> None:
            self.ctx.settings().setValue(f"{self.key}/events-header", header.saveState())

        header.sectionResized.connect(save)
        header.sectionMoved.connect(save)
        header.sortIndicatorChanged.connect(save)

    def _tick(self) -> None:
        if self.isVisible():
            self.week.grid.now = self.console.now()
            self.week.grid.update()
            self.week.header.update()

    # --- reading -------------------------------------------------------------------------------

    async def refresh(self) -> None:
        profile = await self.console.profile()
        self.zone = fmt.zone(profile.time_zone)
        now = self.console.now()
        if self.monday is None:
            today = now.astimezone(self.zone).date()
            self.monday = today - timedelta(days=today.weekday())
        self.items = await self.console.availability(self.monday)
        sunday = self.monday + timedelta(days=6)
        self.week_label.setText(tr("{first} – {last}", first=fmt.day(self.monday), last=fmt.day(sunday)))
        self.week_label.setToolTip(tr("Times in {zone}, your time zone (Profile & payout)", zone=self.zone.key))
        policy = self.console.policy
        self.now_button.setText(tr("Now ({hours} h)", hours=policy.now_slot_hours))
        self.now_button.setToolTip(tr("Open a slot from now for {hours} hours (Ctrl+Shift+N)",
                                      hours=policy.now_slot_hours))
        empty = tr("No slots this week. Drag on the calendar to open one, or press “Now”.")
        self.week.set_week(self.monday, self.zone, self.items, now, empty)
        self.summary.setText(week_summary(self.items))
        self._show_selected(self.week.grid.selected)
        await self.offers.load()
        await self.events.load(self.zone.key)

    def select(self, ref: str) -> None:
        """Show the week of slot `ref` with the slot selected."""
        self.tabs.setCurrentIndex(0)

        async def show() -> None:
            slot = self.console.slot(ref)
            if slot is None:
                return
            zone = fmt.zone((await self.console.profile()).time_zone)
            await self.show_week(slot.start.astimezone(zone).date())
            self.week.grid.select(ref)

        start(show(), self)

    def _show_selected(self, slot_id: str) -> None:
        item = self.week.grid.item(slot_id) if slot_id else None
        self.delete_button.setEnabled(item is not None)
        self.delete_button.setVisible(item is not None)
        self.detail_state.setVisible(item is not None and item.pending)
        if item is None:
            self.detail_title.setText(tr("No slot selected"))
            self.detail_when.setText("")
            self.detail_body.setText(tr("Click a slot to see its bookings and prices."))
            self.detail_body.setObjectName("subheading")
            self.detail_body.setStyleSheet("")
            return
        s = item.slot
        self.detail_body.setObjectName("slot-details")
        self.detail_body.setStyleSheet("")  # re-read the style for the new object name
        self.detail_title.setText(tr("Selected slot"))
        same_day = s.start.astimezone(self.zone).date() == (s.end - timedelta(seconds=1)).astimezone(self.zone).date()
        end = fmt.time_of(s.end, self.zone) if same_day else fmt.when(s.end, self.zone)
        self.detail_when.setText(f"{fmt.when(s.start, self.zone)} – {end}")
        lines = [prices_line(item)]
        lines.append("")
        if item.bookings:
            lines.append(tr("Bookings:"))
            lines.extend("• " + booking_line(m, self.zone) for m in item.bookings)
        else:
            lines.append(tr("No bookings yet: you can move or delete this slot."))
        self.detail_body.setText("\n".join(lines))

    # --- navigation ----------------------------------------------------------------------------

    @async_slot
    async def go(self, days: int) -> None:
        if days == 0 or self.monday is None:
            self.monday = None
        else:
            self.monday += timedelta(days=days)
        await self.refresh()

    async def show_week(self, day: date) -> None:
        self.monday = day - timedelta(days=day.weekday())
        await self.refresh()

    # --- commands ------------------------------------------------------------------------------

    @async_slot
    async def on_create(self, start_at: datetime, end_at: datetime) -> None:
        await self.add(start_at, end_at)

    async def add(self, start_at: datetime, end_at: datetime, offers: tuple[Offer, ...] = ()) -> str:
        await trial(self.console).add_slot(start_at, end_at, offers)
        sid = await self.console.add_slot(start_at, end_at, offers)
        await self.refresh()
        self.week.grid.select(sid)
        self.report(tr("Slot added: {start} – {end}.", start=fmt.when(start_at, self.zone),
                       end=fmt.time_of(end_at, self.zone)), False)
        return sid

    @async_slot
    async def on_move(self, slot_id: str, start_at: datetime, end_at: datetime) -> None:
        await trial(self.console).move_slot(slot_id, start_at, end_at)  # refused: the block stays put
        await self.console.move_slot(slot_id, start_at, end_at)
        await self.refresh()
        self.report(tr("Slot moved to {start} – {end}.", start=fmt.when(start_at, self.zone),
                       end=fmt.time_of(end_at, self.zone)), False)

    @async_slot
    async def on_delete(self) -> None:
        if self.week.grid.selected:
            await self.delete(self.week.grid.selected)

    async def delete(self, slot_id: str) -> None:
        item = self.week.grid.item(slot_id)
        if item is None:
            return
        await trial(self.console).remove_slot(slot_id)  # a booked slot: the engine says why not
        sure = await widgets.confirm(self, tr("Delete slot"), tr("Delete the slot {start} – {end}?",
                                     start=fmt.when(item.slot.start, self.zone),
                                     end=fmt.time_of(item.slot.end, self.zone)), tr("Delete slot"))
        if not sure:
            return
        await self.console.remove_slot(slot_id)
        await self.refresh()
        self.report(tr("Slot deleted."), False)

    @async_slot
    async def on_now(self) -> None:
        await trial(self.console).add_now_slot()
        sid = await self.console.add_now_slot()
        self.monday = None
        await self.refresh()
        self.week.grid.select(sid)
        self.report(tr("You are available from now for {hours} hours.", hours=self.console.policy.now_slot_hours),
                    False)

    @async_slot
    async def on_add(self) -> None:
        await self.add_form(None)

    async def add_form(self, at: datetime | None) -> None:
        now = self.console.now()
        guess = at or default_start(now, self.zone)
        if at is None and self.monday is not None and guess.astimezone(self.zone).date() < self.monday:
            guess = datetime(self.monday.year, self.monday.month, self.monday.day, 9, tzinfo=self.zone)
        dialog = SlotDialog(self, self.zone, guess, self.console.policy, self.offers.package_minutes())
        self._dialog = dialog  # tests reach the open form here
        try:
            if await widgets.finished(dialog) != QDialog.DialogCode.Accepted:
                return
            form = dialog.value()
        finally:
            self._dialog = None
            dialog.deleteLater()
        day = form.start.astimezone(self.zone).date()
        self.monday = day - timedelta(days=day.weekday())
        await self.add(form.start, form.end, form.offers)

    async def new_event(self) -> None:
        today = self.console.now().astimezone(self.zone).date()
        dialog = EventDialog(self, self.zone, today + timedelta(days=7), self.console.policy)
        self._dialog = dialog
        try:
            if await widgets.finished(dialog) != QDialog.DialogCode.Accepted:
                return
            f = dialog.value()
        finally:
            self._dialog = None
            dialog.deleteLater()
        args = (f.title, f.start, f.end, f.price, f.min_participants, f.max_participants)
        await trial(self.console).create_group_event(*args)
        await self.console.create_group_event(*args)
        await self.refresh()
        self.tabs.setCurrentWidget(self.events)
        self.report(tr("Group event “{title}” created.", title=f.title.strip()), False)


def prices_line(item: SlotItem) -> str:
    if not item.slot.offers:
        return tr("Prices: your usual offers.")
    parts = []
    for o in item.slot.offers:
        if o.kind is OfferKind.PER_MINUTE:
            parts.append(tr("{mode} {price}/min", mode=mode_name(Mode(o.mode)), price=fmt.credits(o.price)))
        else:
            parts.append(tr("{mode} {price} for {minutes} min", mode=mode_name(Mode(o.mode)),
                            price=fmt.credits(o.price), minutes=o.minutes))
    return tr("Own prices: {list}.", list=", ".join(parts))


def week_summary(items: list[SlotItem]) -> str:
    seconds = sum(int((i.slot.end - i.slot.start).total_seconds()) for i in items)
    bookings = [m for i in items for m in i.bookings]
    waiting = sum(1 for m in bookings if m.status.value == "Awaiting approval")
    if not items:
        return tr("No slots: customers cannot book you this week.")
    text = tr("Slots: {slots} · open: {open} · bookings: {booked}", slots=len(items), open=fmt.duration(seconds),
              booked=len(bookings))
    if waiting:
        text += "\n" + tr("%n waiting for your approval (New requests)", None, waiting)
    return text


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet(f"color: {style.LINE};")
    return line


def _legend() -> QLabel:
    """What the colours of the week mean."""
    def swatch(colour: str, border: str, text: str) -> str:
        return (f'<span style="background:{colour}; color:{colour}; border:1px solid {border};">&#9632;&#9632;</span>'
                f"&nbsp;{text}")

    rows = [swatch("#ccfbf1", style.ACCENT, tr("open slot")),
            swatch("#fef3c7", style.WARN, tr("not yet on the server")),
            swatch(style.ACCENT, style.ACCENT, tr("agreed booking")),
            swatch("#d97706", "#d97706", tr("booking awaiting approval"))]
    label = QLabel("<br>".join(rows))
    label.setObjectName("subheading")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
