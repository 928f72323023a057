"""Profile & payout (R2, R5): what customers see of the expert, and where the earnings go.

The calendar feed row shows the expert's secret calendar link, which the server keeps (it is
not in the synced cache): without a connection the row says so, and asks again on refresh.

Both forms are Console commands, put to the engine first (`trial`) so a refused value (an
unknown time zone, a public link someone else has, a malformed bank account) is said at once
in the engine's words and nothing is queued. What a payout still needs is the engine's own
list (`PayoutProfile.missing()`), and the outlook is the Console's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from consoleapp.sync.client.calendar import CalendarFeed
from consoleapp.sync.client.sync import SyncError
from consoleapp.sync.client.trial import trial

from .. import fmt, style, widgets
from ..i18n import tr
from ..tasks import async_slot
from .base import Context, Screen

if TYPE_CHECKING:
    from consoleapp.sync.client.console import Console, PayoutOutlook

_ZONES: list[str] = []


def zones() -> list[str]:
    """Every IANA zone name, sorted; read once (it walks the tz database)."""
    if not _ZONES:
        _ZONES.extend(sorted(available_timezones()))
    return _ZONES


def _missing_words(labels: tuple[str, ...]) -> list[str]:
    """The engine names the missing fields in English; show them in the person's language."""
    words = {"legal name": tr("legal name"), "billing address": tr("billing address"), "tax id": tr("tax id"),
             "bank account": tr("bank account")}
    return [words.get(label, label) for label in labels]


class ProfileScreen(Screen):
    key = "profile"
    kinds = frozenset({"profile", "earnings"})

    @classmethod
    def caption(cls) -> str:
        return tr("Profile & payout")

    def __init__(self, console: Console, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(console, ctx, parent)
        self._profile_loaded: tuple[str, ...] | None = None
        self._payout_loaded: tuple[str, ...] | None = None
        self._video_provider = ""  # the server's, asked once it answers (R17)
        self.saved_link = ""
        body = QWidget()
        body.setObjectName("page")
        cards = QHBoxLayout(body)
        cards.setContentsMargins(0, 0, 0, 0)
        cards.setSpacing(16)
        cards.addWidget(self._profile_card(), 1, Qt.AlignmentFlag.AlignTop)
        cards.addWidget(self._payout_card(), 1, Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(widgets.heading(tr("Profile & payout"),
                                      tr("What customers see of you, and where your earnings go.")))
        lay.addWidget(scroll, 1)

    # --- building ------------------------------------------------------------------------------

    def _shortcut(self, keys: str, owner: QWidget, slot: object) -> None:
        s = QShortcut(QKeySequence(keys), owner)
        s.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        s.activated.connect(slot)

    def _profile_card(self) -> QWidget:
        card = widgets.Card()
        card.setObjectName("card")
        card.body.addWidget(widgets.heading(tr("Public profile"), tr("Shown on your booking page and to the "
                                                                     "customers you meet.")))
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.specialty = QLineEdit()
        self.specialty.setObjectName("specialty")
        self.specialty.setPlaceholderText(tr("e.g. Tax law for freelancers"))
        self.zone = QComboBox()
        self.zone.setObjectName("time-zone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItems(zones())
        completer = QCompleter(zones(), self.zone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.zone.setCompleter(completer)
        self.zone.setToolTip(tr("Your calendar, requests and earnings months use this zone; type a city to find it"))
        self.prefix = QLabel()
        self.prefix.setObjectName("subheading")
        self.slug = QLineEdit()
        self.slug.setObjectName("slug")
        self.slug.setPlaceholderText(tr("your-name"))
        self.slug.setToolTip(tr("Lowercase letters, digits and dashes"))
        slug_row = QWidget()
        slug_lay = QHBoxLayout(slug_row)
        slug_lay.setContentsMargins(0, 0, 0, 0)
        slug_lay.setSpacing(2)
        slug_lay.addWidget(self.prefix)
        slug_lay.addWidget(self.slug, 1)
        self.photo = QLineEdit()
        self.photo.setObjectName("photo")
        self.photo.setPlaceholderText("https://…")
        self.room = QLineEdit()
        self.room.setObjectName("room-url")
        self.room.setPlaceholderText(tr("e.g. https://zoom.us/j/123456789"))
        self.room.setToolTip(tr("Your own Zoom, Meet or Teams room: customers join your video sessions there "
                                "when the platform uses personal rooms"))
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Specialty"), self.specialty)
        form.addRow(tr("Time zone"), self.zone)
        form.addRow(tr("Public link"), slug_row)
        form.addRow(tr("Photo URL"), self.photo)
        form.addRow(tr("Your meeting room link"), self.room)
        card.body.addLayout(form)
        self.room_note = QLabel(tr("You have not set a meeting room link yet: customers cannot join your video "
                                   "sessions until you do."))
        self.room_note.setObjectName("room-note")
        self.room_note.setWordWrap(True)
        self.room_note.setVisible(False)
        card.body.addWidget(self.room_note)

        link_title = QLabel(tr("Your booking page"))
        link_title.setObjectName("figure-label")
        self.link = QLabel()
        self.link.setObjectName("public-link")
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link.setWordWrap(True)
        self.copy_button = QPushButton(tr("Copy link"))
        self.copy_button.setObjectName("copy-link")
        self.copy_button.setToolTip(tr("Copy your booking page's address to share it (Ctrl+Shift+C)"))
        self.copy_button.clicked.connect(self.copy_link)
        self._shortcut("Ctrl+Shift+C", self, self.copy_link)
        card.body.addSpacing(6)
        card.body.addWidget(link_title)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link, 1)
        link_row.addWidget(self.copy_button)
        card.body.addLayout(link_row)
        card.body.addSpacing(6)
        card.body.addWidget(self._calendar_row())

        self.profile_pending = widgets.Chip(tr("not yet on the server"), "warn")
        self.save_profile_button = QPushButton(tr("Save profile"))
        self.save_profile_button.setObjectName("save-profile")
        self.save_profile_button.setProperty("primary", True)
        self.save_profile_button.setToolTip(tr("Save the public profile (Ctrl+S)"))
        self.save_profile_button.clicked.connect(self.save_profile)
        self._shortcut("Ctrl+S", card, self.save_profile)
        card.body.addSpacing(6)
        card.body.addWidget(widgets.row(self.save_profile_button, self.profile_pending))
        return card

    def _calendar_row(self) -> QWidget:
        """The secret calendar feed link: it lives on the server, not in the synced cache."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("Calendar feed"))
        title.setObjectName("figure-label")
        hint = QLabel(tr("Subscribe to this link in Google, Apple or Outlook calendar: your sessions and group "
                         "events appear there and follow every change. Keep it to yourself."))
        hint.setObjectName("subheading")
        hint.setWordWrap(True)
        self.calendar_link = QLabel()
        self.calendar_link.setObjectName("calendar-link")
        self.calendar_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.calendar_link.setWordWrap(True)
        self.copy_calendar_button = QPushButton(tr("Copy calendar link"))
        self.copy_calendar_button.setObjectName("copy-calendar-link")
        self.copy_calendar_button.setToolTip(tr("Copy the webcal:// link to paste it into your calendar"))
        self.copy_calendar_button.clicked.connect(self.copy_calendar_link)
        self.new_calendar_button = QPushButton(tr("Make a new link"))
        self.new_calendar_button.setObjectName("new-calendar-link")
        self.new_calendar_button.setToolTip(tr("The old link stops working at once; subscribe again with the new one"))
        self.new_calendar_button.clicked.connect(self.new_calendar_link)
        row = QHBoxLayout()
        row.addWidget(self.calendar_link, 1)
        row.addWidget(self.copy_calendar_button)
        row.addWidget(self.new_calendar_button)
        for w in (title, hint):
            lay.addWidget(w)
        lay.addLayout(row)
        self.calendar: CalendarFeed | None = None
        self._show_calendar()
        return box

    def _payout_card(self) -> QWidget:
        card = widgets.Card()
        card.body.addWidget(widgets.heading(tr("Payout details"), tr("Payouts go only to a complete payout "
                                                                     "profile. Only the platform sees these.")))
        self.legal_name = QLineEdit()
        self.legal_name.setObjectName("legal-name")
        self.billing_address = QPlainTextEdit()
        self.billing_address.setObjectName("billing-address")
        self.billing_address.setTabChangesFocus(True)
        self.billing_address.setFixedHeight(64)
        self.tax_id = QLineEdit()
        self.tax_id.setObjectName("tax-id")
        self.bank_account = QLineEdit()
        self.bank_account.setObjectName("bank-account")
        self.bank_account.setPlaceholderText(tr("IBAN, e.g. FR76 3000 6000 0112 3456 7890 189"))
        self.bic = QLineEdit()
        self.bic.setObjectName("bic")
        self.bic.setPlaceholderText(tr("optional, e.g. AGRIFRPP"))
        form = QFormLayout()
        form.addRow(tr("Legal name"), self.legal_name)
        form.addRow(tr("Billing address"), self.billing_address)
        form.addRow(tr("Tax id"), self.tax_id)
        form.addRow(tr("Bank account"), self.bank_account)
        form.addRow(tr("BIC"), self.bic)
        card.body.addLayout(form)

        self.complete_chip = widgets.Chip("", "good")
        self.complete_chip.setObjectName("chip")
        self.missing = QLabel()
        self.missing.setObjectName("payout-missing")
        self.missing.setWordWrap(True)
        card.body.addWidget(widgets.row(self.complete_chip))
        card.body.addWidget(self.missing)

        self.payout_pending = widgets.Chip(tr("not yet on the server"), "warn")
        self.save_payout_button = QPushButton(tr("Save payout details"))
        self.save_payout_button.setObjectName("save-payout")
        self.save_payout_button.setProperty("primary", True)
        self.save_payout_button.setToolTip(tr("Save the payout details (Ctrl+S)"))
        self.save_payout_button.clicked.connect(self.save_payout)
        self._shortcut("Ctrl+S", card, self.save_payout)
        card.body.addWidget(widgets.row(self.save_payout_button, self.payout_pending))

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {style.LINE};")
        card.body.addWidget(rule)
        title = QLabel(tr("Next payout"))
        title.setObjectName("figure-label")
        self.payout_day = QLabel()
        self.payout_day.setObjectName("figure")
        self.outlook = QLabel()
        self.outlook.setObjectName("payout-outlook")
        self.outlook.setWordWrap(True)
        self.verdict = widgets.Chip("", "neutral")
        for w in (title, self.payout_day, self.outlook):
            card.body.addWidget(w)
        card.body.addWidget(widgets.row(self.verdict))
        return card

    # --- reading -------------------------------------------------------------------------------

    def _profile_values(self) -> tuple[str, ...]:
        return (self.name.text(), self.specialty.text(), self.zone.currentText().strip(), self.slug.text(),
                self.photo.text(), self.room.text())

    def _payout_values(self) -> tuple[str, ...]:
        return (self.legal_name.text(), self.billing_address.toPlainText(), self.tax_id.text(),
                self.bank_account.text(), self.bic.text())

    async def refresh(self) -> None:
        profile = await self.console.profile()
        payout = await self.console.payout_profile()
        outlook = await self.console.payout_outlook()
        pending = {type(p.command).__name__ for p in await self.console.pending_commands()}
        base = self.console.session.server_url.rstrip("/")
        self.prefix.setText(f"{base}/e/")
        # A form the person is editing keeps the edits; an untouched one shows what is saved.
        values = (profile.name, profile.specialty, profile.time_zone, profile.slug, profile.photo, profile.room_url)
        if self._profile_loaded is None or self._profile_values() == self._profile_loaded:
            self.name.setText(profile.name)
            self.specialty.setText(profile.specialty)
            self.zone.setCurrentText(profile.time_zone)
            self.slug.setText(profile.slug)
            self.photo.setText(profile.photo)
            self.room.setText(profile.room_url)
        self._profile_loaded = values
        if not profile.room_url and not self._video_provider:
            self._video_provider = await self.console.video_provider()
        # With personal rooms, a video session's link leads to the expert's own room: none, no way in.
        self.room_note.setVisible(self._video_provider == "personal" and not profile.room_url)
        payout_values = (payout.legal_name, payout.billing_address, payout.tax_id, payout.bank_account, payout.bic)
        if self._payout_loaded is None or self._payout_values() == self._payout_loaded:
            self.legal_name.setText(payout.legal_name)
            self.billing_address.setPlainText(payout.billing_address)
            self.tax_id.setText(payout.tax_id)
            self.bank_account.setText(payout.bank_account)
            self.bic.setText(payout.bic)
        self._payout_loaded = payout_values
        self.saved_link = f"{base}/e/{profile.slug}" if profile.slug else ""
        self.link.setText(self.saved_link or tr("Choose a public link and save: your booking page appears at "
                                                "{base}/e/<link>.", base=base))
        self.copy_button.setEnabled(bool(self.saved_link))
        self.profile_pending.setVisible("UpdateProfile" in pending)
        self.payout_pending.setVisible("SetPayoutProfile" in pending)
        self._show_missing(payout.missing())
        self._show_outlook(outlook)
        if self.calendar is None:
            await self._load_calendar()

    async def _load_calendar(self) -> None:
        try:
            self.calendar = await self.console.calendar_feed()
        except SyncError:
            self.calendar = None  # offline: said in the row, asked again at the next refresh
        self._show_calendar()

    def _show_calendar(self) -> None:
        if self.calendar is None:
            self.calendar_link.setText(tr("The calendar link needs a connection to the server; it appears here "
                                          "once you are online."))
        else:
            self.calendar_link.setText(self.calendar.webcal)
        self.copy_calendar_button.setEnabled(self.calendar is not None)

    def _show_missing(self, missing: tuple[str, ...]) -> None:
        if missing:
            self.complete_chip.setText(tr("Incomplete: no payout"))
            self.complete_chip.setProperty("tone", "bad")
            self.missing.setText(tr("Still missing for a payout:") + "\n"
                                 + "\n".join("• " + w for w in _missing_words(missing)))
            self.missing.setVisible(True)
        else:
            self.complete_chip.setText(tr("Complete: payouts can be made"))
            self.complete_chip.setProperty("tone", "good")
            self.missing.setText("")
            self.missing.setVisible(False)
        self.complete_chip.style().unpolish(self.complete_chip)
        self.complete_chip.style().polish(self.complete_chip)

    def _show_outlook(self, o: PayoutOutlook) -> None:
        self.payout_day.setText(fmt.day(o.day))
        self.outlook.setText(tr("Balance {balance}; a payout needs at least {threshold}.",
                                balance=fmt.credits(o.balance), threshold=fmt.credits(o.threshold)))
        if o.will_pay:
            text, tone = tr("Will be paid on that day"), "good"
        elif o.missing:
            text, tone = tr("Not paid until the payout details are complete"), "bad"
        else:
            text, tone = tr("Not paid: the balance is under the minimum"), "neutral"
        self.verdict.setText(text)
        self.verdict.setProperty("tone", tone)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    async def badge(self) -> int:
        return 1 if (await self.console.payout_profile()).missing() else 0

    # --- commands ------------------------------------------------------------------------------

    @async_slot
    async def save_profile(self) -> None:
        name, specialty, zone, slug, photo, room = self._profile_values()
        await trial(self.console).update_profile(name, specialty, zone, slug, photo, room)
        await self.console.update_profile(name, specialty, zone, slug, photo, room)
        self._profile_loaded = None  # show what the engine made of it (a trimmed, lowercase link)
        await self.refresh()
        self.report(tr("Profile saved."), False)

    @async_slot
    async def save_payout(self) -> None:
        values = self._payout_values()
        await trial(self.console).set_payout_profile(*values)
        await self.console.set_payout_profile(*values)
        self._payout_loaded = None
        await self.refresh()
        missing = (await self.console.payout_profile()).missing()
        if missing:
            self.report(tr("Payout details saved; still missing: {fields}.",
                           fields=", ".join(_missing_words(missing))), False)
        else:
            self.report(tr("Payout details saved: payouts can be made."), False)

    @async_slot
    async def copy_calendar_link(self) -> None:
        if self.calendar is None:
            return
        QGuiApplication.clipboard().setText(self.calendar.webcal)
        self.report(tr("Calendar link copied: paste it where your calendar adds a calendar from a URL."), False)

    @async_slot
    async def new_calendar_link(self) -> None:
        self.calendar = await self.console.calendar_feed(new=True)  # offline: the message bar says so
        self._show_calendar()
        self.report(tr("New calendar link made; the old one no longer works. Subscribe again with this one."),
                    False)

    @async_slot
    async def copy_link(self) -> None:
        if not self.saved_link:
            return
        QGuiApplication.clipboard().setText(self.saved_link)
        self.report(tr("Link copied: {url}", url=self.saved_link), False)
