"""A Scenario that runs every command twice: on the in-memory engine and through a Store.

Each command's events must be identical both ways, so any scenario written for the engine
doubles as a persistence test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from consoleapp.engine import commands as c
from consoleapp.engine.events import Event
from consoleapp.engine.model import Answer, DeclineReason, Mode, OfferKind
from consoleapp.engine.world import World
from consoleapp.store import Store, schema
from consoleapp.store.codec import event_from
from consoleapp.store.verify import open_business_differences
from tests.engine.scenario import Scenario


@dataclass
class Twin(Scenario):
    store: Store = field(default=None)  # type: ignore[assignment]

    def do(self, command: c.Command) -> list[Event]:
        events = super().do(command)
        stored = self.store.execute(command, self.now)
        assert stored == events, (command, stored, events)
        return events


def varied(s: Scenario) -> None:
    """Experts, customers, grants, every kind of request, cancellations, sessions, evaluations,
    reviews, a group event, claims (refunded, disputed both ways), reminders and payouts."""
    anna = s.expert("anna")
    bob = s.expert("bob", now_slot=False)
    carl = s.customer("carl", 2000)
    dora = s.customer("dora", 500)
    olga = s.operator("olga")
    s.do(c.UpdateProfile(actor=anna, name="Anna K", specialty="Tax law", time_zone="Europe/Paris", slug="anna-k"))
    s.do(c.SetPayoutProfile(actor=anna, legal_name="Anna K", billing_address="1 Rue X, Paris",
                            tax_id="FR40303265045", bank_account="FR7630006000011234567890189"))

    # R6: an instant request accepted, run live with chat, an attachment and a recording.
    s.do(c.RequestInstant(actor=carl, meeting_id="m1", expert=anna, mode=Mode.VIDEO,
                          offer=OfferKind.PER_MINUTE, topic="VAT question", max_budget=40))
    s.advance(seconds=30)
    s.do(c.AcceptInstant(actor=anna, meeting_id="m1"))  # starts the live session
    s.do(c.PostChat(actor=carl, meeting_id="m1", message_id="x1", text="Hello"))
    s.do(c.PostChat(actor=anna, meeting_id="m1", message_id="x2", text="Hi, go ahead"))
    s.do(c.AddAttachment(actor=carl, meeting_id="m1", attachment_id="f1", name="invoice.pdf",
                         kind="file", size=1234, digest="ab" * 32))
    s.advance(minutes=3)
    s.do(c.Disconnect(actor=carl, meeting_id="m1"))
    s.advance(minutes=1)
    s.do(c.Reconnect(actor=carl, meeting_id="m1"))
    s.advance(minutes=4)
    s.do(c.EndSession(actor=anna, meeting_id="m1"))
    s.do(c.AttachRecording(actor=anna, meeting_id="m1", uri="rec://m1"))
    s.run_due()

    # R6: an instant request left unanswered expires; another is declined.
    s.do(c.RequestInstant(actor=dora, meeting_id="m2", expert=anna, mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="Quick check"))
    s.wait(seconds=120)
    s.do(c.RequestInstant(actor=dora, meeting_id="m3", expert=anna, mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, topic="Another check"))
    s.do(c.DeclineRequest(actor=anna, meeting_id="m3", reason=DeclineReason.OUTSIDE_EXPERTISE))

    # R7: a scheduled request, a time picked; evaluated smoothly by the customer (R22).
    day = s.now.replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=3)
    s.do(c.RequestScheduled(actor=carl, meeting_id="m4", expert=bob, mode=Mode.VIDEO,
                            offer=OfferKind.LONG, topic="Contract", times=(day, day + timedelta(hours=2))))
    s.do(c.PickTime(actor=bob, meeting_id="m4", start=day + timedelta(hours=2)))
    # R9: a suggestion confirmed, then cancelled late with the fee (R13).
    s.do(c.SuggestMeeting(actor=anna, meeting_id="m5", customer=carl, mode=Mode.VIDEO,
                          offer=OfferKind.SHORT, start=day + timedelta(days=1), topic="Follow-up"))
    s.do(c.ConfirmSuggestion(actor=carl, meeting_id="m5"))
    # R16: an alternative proposed by the expert and approved by the customer.
    s.do(c.ProposeAlternative(actor=bob, meeting_id="m4", start=day + timedelta(hours=4)))
    s.do(c.ApproveAlternative(actor=carl, meeting_id="m4"))
    # R8: a free slot booked and approved, then cancelled early by the customer (R13, returned).
    s.do(c.AddSlot(actor=bob, slot_id="b-slot", start=day + timedelta(days=2),
                   end=day + timedelta(days=2, hours=3)))
    s.do(c.BookSlot(actor=dora, meeting_id="m6", slot_id="b-slot", mode=Mode.VIDEO,
                    offer=OfferKind.SHORT, start=day + timedelta(days=2), topic="Slot talk"))
    s.do(c.ApproveBooking(actor=bob, meeting_id="m6"))
    s.do(c.CancelMeeting(actor=dora, meeting_id="m6", reason="plans changed"))
    s.do(c.AddSlot(actor=bob, slot_id="b-slot-2", start=day + timedelta(days=5),
                   end=day + timedelta(days=5, hours=1)))
    s.do(c.MoveSlot(actor=bob, slot_id="b-slot-2", start=day + timedelta(days=6),
                    end=day + timedelta(days=6, hours=1)))
    s.do(c.RemoveSlot(actor=bob, slot_id="b-slot-2"))

    # R28: a group event with two registrations, the expert present long enough.
    s.do(c.CreateGroupEvent(actor=anna, event_id="g1", title="Tax Q&A", start=day + timedelta(hours=6),
                            end=day + timedelta(hours=7), price=40, min_participants=1, max_participants=10))
    s.do(c.Register(actor=carl, event_id="g1"))
    s.do(c.Register(actor=dora, event_id="g1"))

    # Walk to the meetings, with every reminder the scheduler sends (R35).
    s.now = day + timedelta(hours=3, minutes=55)
    s.run_due()
    s.do(c.StartSession(actor=bob, meeting_id="m4"))
    s.do(c.OpenLink(actor=carl, meeting_id="m4"))
    s.now = day + timedelta(hours=6)
    s.run_due()
    s.do(c.JoinGroupEvent(actor=anna, event_id="g1"))
    s.advance(minutes=50)
    s.do(c.LeaveGroupEvent(actor=anna, event_id="g1"))
    s.now = day + timedelta(hours=7, minutes=5)
    s.run_due()
    s.do(c.Evaluate(actor=carl, meeting_id="m4", answer=Answer.SMOOTH))
    s.do(c.Rate(actor=carl, meeting_id="m4", stars=5))
    s.do(c.WriteReview(actor=carl, expert=bob, text="Clear and quick"))
    s.do(c.CancelMeeting(actor=carl, meeting_id="m5", reason="ill",
                         accept_fee=s.world.meetings["m5"].price // 2))

    # R29-R30: claims refunded in part, disputed and accepted, disputed and rejected.
    s.do(c.OpenClaim(actor=carl, claim_id="k1", session="m4", amount=10, reason="ran short"))
    s.do(c.RefundClaim(actor=bob, claim_id="k1", amount=5))
    s.do(c.OpenClaim(actor=dora, claim_id="k2", session="g1", amount=30, reason="could not hear"))
    s.do(c.DisputeClaim(actor=anna, claim_id="k2", summary="the sound was fine for everyone"))
    s.do(c.DecideDispute(note="read the evidence", actor=olga, claim_id="k2", accept=False))
    s.do(c.OpenClaim(actor=carl, claim_id="k3", session="g1", amount=10, reason="late start"))
    s.do(c.DisputeClaim(actor=anna, claim_id="k3", summary="started on time"))
    s.do(c.DecideDispute(note="read the evidence", actor=olga, claim_id="k3", accept=True))

    # Deadlines: auto-evaluation, claim windows, payout days (R22, R29, R33).
    for _ in range(4):
        s.wait(days=5)
    s.do(c.CloseAccount(actor=olga, person=dora, reason="asked to leave"))


def same(memory: World, full: World) -> bool:
    """A store's World (the open business) agrees with one folded from the whole log."""
    found = open_business_differences(full, memory)
    assert not found and memory.version == full.version, (found, memory.version, full.version)
    return True


def events(store: Store) -> Iterator[Event]:
    """The store's whole log, decoded."""
    e = schema.events.c
    with store.engine.connect() as conn:
        for kind, data in conn.execute(sa.select(e.kind, e.data).order_by(e.position)).all():
            yield event_from(kind, json.loads(data))
