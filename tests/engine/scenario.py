"""A fake clock, a world and the helpers every engine test uses."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from consoleapp.engine import DEFAULT_POLICY, DomainError, Event, Policy, World, due, execute
from consoleapp.engine import commands as c
from consoleapp.engine.ledger import Account, earnings, violations, wallet
from consoleapp.engine.model import MeetingStatus, Mode, Offer, OfferKind, Role

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@dataclass
class Scenario:
    now: datetime = T0
    policy: Policy = DEFAULT_POLICY
    world: World = field(default_factory=World)
    log: list[Event] = field(default_factory=list)

    def do(self, command: c.Command) -> list[Event]:
        events = execute(self.world, command, self.now, self.policy)
        self.log += events
        problems = violations(self.world.ledger)
        assert not problems, problems
        return events

    def refused(self, command: c.Command, code: str) -> str:
        """Run a command that must be refused; the world stays as it was. Returns the message."""
        before = copy.deepcopy(self.world)
        with pytest.raises(DomainError) as err:
            self.do(command)
        assert err.value.code == code, err.value
        assert " " in err.value.message and err.value.message != code
        assert self.world == before
        return err.value.message

    def held_meeting(self, mid: str = "m1", *, price: int, expert: str = "anna", customer: str = "carl",
                     topic: str = "Quarterly tax plan") -> datetime:
        """A booked, approved 30-minute meeting of `price` credits, run to its end and Held; its end."""
        start = self.now + timedelta(hours=1)
        end = start + timedelta(minutes=30)
        self.do(c.AddSlot(actor=expert, slot_id=f"slot-{mid}", start=start, end=end,
                          offers=(Offer(Mode.VIDEO, OfferKind.LONG, price, 30),)))
        self.do(c.BookSlot(actor=customer, meeting_id=mid, slot_id=f"slot-{mid}", mode=Mode.VIDEO,
                           offer=OfferKind.LONG, start=start, topic=topic))
        self.do(c.ApproveBooking(actor=expert, meeting_id=mid))
        self.now = end
        self.run_due()
        assert self.world.meetings[mid].status is MeetingStatus.HELD
        return end

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def run_due(self) -> list[Event]:
        """Execute everything due now, until nothing more is due."""
        out: list[Event] = []
        for _ in range(50):
            commands = due(self.world, self.now, self.policy)
            if not commands:
                return out
            for command in commands:
                out += self.do(command)
        raise AssertionError("due() kept producing commands")

    def wait(self, **delta: float) -> list[Event]:
        self.advance(**delta)
        return self.run_due()

    # --- people and money ---------------------------------------------------------

    def expert(self, expert: str = "anna", *, per_minute: int = 2, short: int = 20, long: int = 50,
               now_slot: bool = True) -> str:
        self.do(c.OpenAccount(actor="system", person=expert, role=Role.EXPERT, name=expert.title(), email=f"{expert}@example.com"))
        self.do(c.SetOffers(actor=expert, mode=Mode.VIDEO, per_minute=per_minute, short_price=short, long_price=long))
        if now_slot:
            self.do(c.AddSlot(actor=expert, slot_id=f"{expert}-now-{self.now:%j%H%M}", start=None))
        return expert

    def customer(self, customer: str = "carl", credits: int = 1000) -> str:
        self.do(c.OpenAccount(actor="system", person=customer, role=Role.CUSTOMER, name=customer.title(), email=f"{customer}@example.com"))
        if credits:
            self.do(c.GrantCredits(actor="system", grant_id=f"{customer}-{len(self.log)}", customer=customer, amount=credits))
        return customer

    def operator(self, who: str = "olga") -> str:
        self.do(c.OpenAccount(actor="system", person=who, role=Role.OPERATOR, name=who.title(), email=f"{who}@example.com"))
        return who

    def wallet(self, customer: str) -> Account:
        return self.world.ledger.account(wallet(customer))

    def earnings(self, expert: str) -> int:
        return self.world.ledger.account(earnings(expert)).balance

    def commission(self) -> int:
        return self.world.ledger.account("commission").balance

    def titles(self, ref: str) -> list[str]:
        return [ev.describe() for ev in self.log if ev.ref == ref and type(ev).__name__ not in ("Transfer", "NotificationQueued")]

    def notices(self, recipient: str) -> list[str]:
        return [ev.kind for ev in self.log if type(ev).__name__ == "NotificationQueued" and ev.recipient == recipient]  # type: ignore[attr-defined]
