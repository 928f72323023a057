"""The engine says what changed: each event type declares the data it changes, and the sync
client reports those (no table of class names to guess from)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from consoleapp.engine import commands as c
from consoleapp.engine.events import DataKind, MeetingAgreed, MeetingSettled, SlotAdded, changes_of
from consoleapp.engine.ledger import Transfer
from consoleapp.engine.model import Mode, Offer, OfferKind
from consoleapp.store.codec import event_types
from consoleapp.sync.client.sync import DATA, kinds_of_command, kinds_of_event
from tests.engine.scenario import Scenario


def test_every_event_type_declares_data_the_desktop_knows() -> None:
    for name, cls in event_types().items():
        assert changes_of(cls) and changes_of(cls) <= DATA, name
        assert kinds_of_event(name) == changes_of(cls)
    assert kinds_of_event("SomethingFromANewerServer") == DATA  # unknown: anything may have changed
    assert changes_of(SlotAdded) == {DataKind.AVAILABILITY}
    assert changes_of(Transfer) == {DataKind.EARNINGS}
    assert DataKind.EARNINGS in changes_of(MeetingSettled) and DataKind.REQUESTS in changes_of(MeetingAgreed)


def test_r8_a_command_changes_what_its_events_declare() -> None:
    s = Scenario()
    s.expert("anna")
    s.customer("carl")
    start = s.now + timedelta(days=2)  # clear of the expert's first slot
    slot = c.AddSlot(actor="anna", slot_id="s1", start=start, end=start + timedelta(hours=1),
                     offers=(Offer(Mode.VIDEO, OfferKind.LONG, 50, 30),))
    assert kinds_of_command(slot, s.world, s.now, s.policy) == {DataKind.AVAILABILITY}
    s.do(slot)
    book = c.BookSlot(actor="carl", meeting_id="m1", slot_id="s1", mode=Mode.VIDEO, offer=OfferKind.LONG,
                      start=start, topic="contract review")
    # a booking holds credits (a transfer) and asks the expert (a request, a notification)
    assert kinds_of_command(book, s.world, s.now, s.policy) >= {DataKind.REQUESTS, DataKind.EARNINGS,
                                                                DataKind.NOTIFICATIONS}
    refused = c.ApproveBooking(actor="anna", meeting_id="no-such-meeting")
    assert kinds_of_command(refused, s.world, s.now, s.policy) == frozenset()


def test_the_sync_client_keeps_no_table_of_class_names() -> None:
    source = (Path(__file__).resolve().parents[2] / "consoleapp/sync/client/sync.py").read_text(encoding="utf-8")
    for name in ("MeetingSettled", "SlotAdded", "AddSlot", "startswith(\"Claim\")"):
        assert name not in source, name
