"""The expert's prices per mode (R3) and group events (R28): two tabs of the Availability screen."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consoleapp.engine.model import Mode, OfferKind
from consoleapp.sync.client.console import UpcomingItem
from consoleapp.sync.client.trial import trial

from .. import fmt, widgets
from ..i18n import tr
from ..models import Column, RowsModel, RowsProxy, numeric
from ..tasks import async_slot, reporter_of
from .availability_forms import credits_box, minimum_of, mode_name, number_box

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console


@dataclass(frozen=True)
class Prices:
    """One mode's products as the form shows them (0: off)."""

    per_minute: int = 0
    short_price: int = 0
    short_minutes: int = 0
    long_price: int = 0
    long_minutes: int = 0


class OffersPanel(QWidget):
    """Per mode: a per-minute rate and two packages. Saved together; the engine checks each."""

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offers")
        self.console = console
        self.loaded: dict[Mode, Prices] = {}
        self.boxes: dict[Mode, dict[str, QSpinBox]] = {}
        self.chips: dict[Mode, widgets.Chip] = {}
        card = widgets.Card()
        card.body.addWidget(widgets.heading(tr("Your usual prices"), tr(
            "What customers pay per mode, on your public page and in every slot without its own prices. "
            "A package length left at “default” is the platform's.")))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        titles = (tr("Per minute"), tr("Short package"), tr("Length"), tr("Long package"), tr("Length"),
                  tr("Platform minimum"))
        for col, title in enumerate(titles, start=1):
            head = QLabel(title)
            head.setObjectName("figure-label")
            grid.addWidget(head, 0, col)
        self.floors: dict[Mode, QLabel] = {}
        for r, mode in enumerate(Mode, start=1):
            name = QLabel(mode_name(mode))
            name.setStyleSheet("font-weight: 600;")
            grid.addWidget(name, r, 0)
            boxes = {}
            for col, field in enumerate(("per_minute", "short_price", "short_minutes", "long_price", "long_minutes"),
                                        start=1):
                if field.endswith("minutes"):
                    box = number_box(0, 24 * 60)
                    box.setSuffix(tr(" min"))
                    box.setSpecialValueText(tr("default"))
                    box.setMinimumWidth(80)
                else:
                    box = credits_box()
                    if field == "per_minute":
                        box.setSuffix(tr(" cr/min"))
                box.setObjectName(f"offer-{mode.value}-{field}")
                box.setToolTip(tr("0 turns this product off"))
                boxes[field] = box
                grid.addWidget(box, r, col)
            self.boxes[mode] = boxes
            floor = QLabel()
            floor.setObjectName("subheading")
            self.floors[mode] = floor
            grid.addWidget(floor, r, 6)
            chip = widgets.Chip(tr("not yet on the server"), "warn")
            chip.setVisible(False)
            self.chips[mode] = chip
            grid.addWidget(chip, r, 7)
        grid.setColumnStretch(8, 1)
        card.body.addLayout(grid)
        self.save_button = QPushButton(tr("Save offers"))
        self.save_button.setObjectName("save-offers")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(tr("Save the prices of every mode you changed (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(tr("Undo changes"))
        self.revert_button.setToolTip(tr("Show the saved prices again"))
        self.revert_button.clicked.connect(self.revert)
        card.body.addSpacing(6)
        card.body.addWidget(widgets.row(self.save_button, self.revert_button))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(card)
        lay.addStretch(1)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)

    # --- reading ---------------------------------------------------------------------------------

    def shown(self, mode: Mode) -> Prices:
        b = self.boxes[mode]
        return Prices(*(b[f].value() for f in ("per_minute", "short_price", "short_minutes", "long_price",
                                                 "long_minutes")))

    def _show(self, mode: Mode, prices: Prices) -> None:
        for field, value in prices.__dict__.items():
            self.boxes[mode][field].setValue(value)

    async def load(self) -> None:
        """Show the saved prices; a mode the person is editing keeps the edits."""
        offers = await self.console.offers()
        pending = {p.command.mode for p in await self.console.pending_commands()
                   if type(p.command).__name__ == "SetOffers"}
        for mode in Mode:
            found = {o.kind: o for o in offers.get(mode, ())}
            per, short, long_ = found.get(OfferKind.PER_MINUTE), found.get(OfferKind.SHORT), found.get(OfferKind.LONG)
            prices = Prices(per.price if per else 0, short.price if short else 0, short.minutes if short else 0,
                            long_.price if long_ else 0, long_.minutes if long_ else 0)
            old = self.loaded.get(mode)
            if old is None or self.shown(mode) == old:
                self._show(mode, prices)
            self.loaded[mode] = prices
            self.chips[mode].setVisible(mode in pending)
        for mode, label in self.floors.items():
            label.setText(minimum_of(self.console.policy, mode))

    def package_minutes(self) -> dict[tuple[Mode, OfferKind], int]:
        """The package lengths in force, for a slot's own prices."""
        p = self.console.policy
        out = {}
        for mode, prices in self.loaded.items():
            out[(mode, OfferKind.SHORT)] = prices.short_minutes or p.short_package_minutes
            out[(mode, OfferKind.LONG)] = prices.long_minutes or p.long_package_minutes
        return out

    # --- writing ---------------------------------------------------------------------------------

    @async_slot
    async def save(self) -> None:
        changed = [m for m in Mode if self.shown(m) != self.loaded.get(m)]
        if not changed:
            self._report(tr("No price was changed."), False)
            return
        # Every mode is put to the engine first: a refused price leaves all modes as they were.
        for mode in changed:
            await trial(self.console).set_offers(mode, **self.shown(mode).__dict__)
        for mode in changed:
            await self.console.set_offers(mode, **self.shown(mode).__dict__)
        await self.load()
        self._report(tr("Offers saved: {modes}.", modes=", ".join(mode_name(m) for m in changed)), False)

    @async_slot
    async def revert(self) -> None:
        for mode, prices in self.loaded.items():
            self._show(mode, prices)

    def _report(self, message: str, error: bool) -> None:
        target = reporter_of(self)
        if target is not None:
            target.report(message, error)


class EventsPanel(QWidget):
    """R28: the expert's coming group events, and the button to make one."""

    def __init__(self, console: Console, create: Callable[[], Coroutine[Any, Any, None]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("events")
        self.console = console
        self.zone_name = "UTC"
        self._create = create
        columns: list[Column[UpcomingItem]] = [
            Column(tr("Title"), lambda x: x.title, width=260),
            Column(tr("When"), lambda x: f"{fmt.when(x.start, self.zone_name)} – {fmt.time_of(x.end, self.zone_name)}",
                   sort=lambda x: x.start, width=240),
            numeric(tr("Price"), lambda x: x.event.price if x.event else 0, fmt.credits, width=90),
            Column(tr("Registered"), lambda x: tr("{n} of {max} (at least {min})", n=len(x.event.active()),
                                                   max=x.event.max_participants, min=x.event.min_participants)
                   if x.event else "", width=160),
            Column(tr("State"), lambda x: tr("not yet on the server") if x.pending else tr("open")),
        ]
        self.model: RowsModel[UpcomingItem] = RowsModel(columns, pending=lambda x: x.pending)
        self.proxy = RowsProxy(self.model)
        self.table = widgets.table(self.proxy)
        self.table.setObjectName("events-table")
        self.empty = widgets.EmptyState(tr("No group events coming. Create one with “New group event…”: "
                                           "customers register until it starts."))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.new_button = QPushButton(tr("New group event…"))
        self.new_button.setObjectName("new-event")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(tr("A workshop or class at a fixed price per participant (Ctrl+G)"))
        self.new_button.clicked.connect(self.on_new)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(widgets.row(self.new_button))
        lay.addWidget(self.stack, 1)

    @async_slot
    async def on_new(self) -> None:
        await self._create()

    async def load(self, zone_name: str) -> None:
        self.zone_name = zone_name
        items = [i for d in await self.console.upcoming() for i in d.items if i.kind == "event"]
        self.model.set_rows(items)
        self.stack.setCurrentWidget(self.table if items else self.empty)
