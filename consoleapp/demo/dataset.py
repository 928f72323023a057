"""A demo dataset: one expert with a year of history, eight customers, claims, payouts.

Written straight into a fresh server data folder before the server starts: the server is
opened in this process and every command runs through its own Runner (so audience rows and
projections are written as in production), on a clock this module sets, so each session
happened at its own moment in the past. The engine's `due()` runs between steps, so
reminders, claim windows, auto-evaluations and the payouts of the 1st and 16th happen as
they would have. Deterministic for a given `now` and seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from consoleapp.engine import DomainError, due
from consoleapp.engine import commands as c
from consoleapp.engine.model import SYSTEM, Answer, DeclineReason, Mode, OfferKind, Role
from consoleapp.sync.server.accounts import create_user
from consoleapp.sync.server.clock import Clock
from consoleapp.sync.server.opening import open_server
from consoleapp.sync.server.payments import records
from consoleapp.sync.server.runner import Runner
from consoleapp.sync.server.settings import Settings

PASSWORD = "demo-password"
EXPERT_EMAIL = "anna@demo.example"
OPERATOR_EMAIL = "operator@demo.example"
EXPERT_SLUG = "anna-keller"
WEB_CUSTOMER_EMAIL = "customer8@demo.example"  # Inês: the demo's browser is logged in as her
# The demo server sells credits by bank transfer, to this made-up account (a valid IBAN that is no real one's).
BANK = {"CONSOLEAPP_PAYMENT_PROVIDER": "bank", "CONSOLEAPP_PLATFORM_NAME": "Expert Console Demo",
        "CONSOLEAPP_PLATFORM_IBAN": "DE89370400440532013000", "CONSOLEAPP_PLATFORM_BIC": "COBADEFFXXX"}
PARIS = ZoneInfo("Europe/Paris")

CUSTOMERS = (
    ("Bob Martin", "Europe/London"), ("Chloé Dubois", "Europe/Paris"), ("Daniel Kim", "Asia/Seoul"),
    ("Eva Novak", "Europe/Prague"), ("Farid Haddad", "Africa/Casablanca"), ("Grace Lee", "America/New_York"),
    ("Hugo Silva", "America/Sao_Paulo"), ("Inês Ferreira", "Europe/Lisbon"),
)
TOPICS = (
    "Quarterly VAT return", "Freelance tax status", "Moving to France: taxes", "Company car and benefits",
    "Capital gains on shares", "Rental income declaration", "Startup founder salary", "Crypto gains",
    "Cross-border remote work", "Pension contributions", "Inheritance planning", "Invoice and VAT rules",
)


@dataclass
class Demo:
    expert: str = ""
    expert_email: str = EXPERT_EMAIL
    password: str = PASSWORD
    operator: str = ""
    customers: list[tuple[str, str]] = field(default_factory=list)  # (id, email)
    events: int = 0
    refused: list[str] = field(default_factory=list)
    pending_transfer: str = ""  # the reference of Inês's bank transfer, for the operator to mark received


class SetClock(Clock):
    def __init__(self, clock: Clock, at: datetime) -> None:
        super().__init__(clock.engine, movable=False)
        self.at = at

    def now(self) -> datetime:
        return self.at


class Quiet:
    """Nobody listens while the history is written."""

    def publish(self, people: set[str], position: int) -> None:
        pass

    def notify(self, conn: sa.Connection, people: set[str], events: int) -> None:
        pass


def _paris(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = day.astimezone(PARIS)
    return datetime(local.year, local.month, local.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def _history(rng: random.Random, expert: str, customers: list[str], now: datetime) -> list[tuple[datetime, c.Command]]:
    """A year of sessions on working days, with the usual mix of trouble."""
    steps: list[tuple[datetime, c.Command]] = []
    day = now - timedelta(days=365)
    n = 0
    while day < now - timedelta(days=1):
        if day.astimezone(PARIS).weekday() < 5:
            for hour in rng.sample([9, 10, 11, 14, 15, 16, 17], rng.choice([0, 1, 1, 2, 2, 3])):
                start = _paris(day, hour)
                if start + timedelta(hours=1) > now - timedelta(hours=2):
                    continue
                n += 1
                steps += _session(rng, f"demo-{n}", expert, rng.choice(customers), start, now)
        day += timedelta(days=1)
    return steps


def _session(rng: random.Random, mid: str, expert: str, customer: str, start: datetime,
             now: datetime) -> list[tuple[datetime, c.Command]]:
    offer = rng.choice([OfferKind.SHORT, OfferKind.LONG, OfferKind.LONG])
    mode = rng.choice([Mode.VIDEO, Mode.VIDEO, Mode.VIDEO, Mode.PHONE, Mode.CHAT])
    asked = start - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
    end = start + timedelta(minutes=15 if offer is OfferKind.SHORT else 30)
    topic = rng.choice(TOPICS)
    out: list[tuple[datetime, c.Command]] = [
        (asked, c.RequestScheduled(actor=customer, meeting_id=mid, expert=expert, mode=mode, offer=offer,
                                   topic=topic, times=(start, start + timedelta(days=1)))),
    ]
    roll = rng.random()
    if roll < 0.05:  # declined
        out.append((asked + timedelta(hours=2), c.DeclineRequest(actor=expert, meeting_id=mid,
                                                                 reason=DeclineReason.NOT_AVAILABLE)))
        return out
    out.append((asked + timedelta(hours=1), c.PickTime(actor=expert, meeting_id=mid, start=start)))
    if roll < 0.10 and start - timedelta(days=3) > asked + timedelta(hours=2):  # cancelled in time
        out.append((start - timedelta(days=3), c.CancelMeeting(actor=customer, meeting_id=mid, reason="Plans changed")))
        return out
    out += [
        (start - timedelta(minutes=3), c.OpenLink(actor=expert, meeting_id=mid)),
        (start - timedelta(minutes=1), c.OpenLink(actor=customer, meeting_id=mid)),
        (start, c.PostChat(actor=customer, meeting_id=mid, message_id=f"{mid}-q", text=f"Hello! About {topic.lower()}…")),
        (start + timedelta(minutes=1), c.PostChat(actor=expert, meeting_id=mid, message_id=f"{mid}-a",
                                                   text="Hello, thanks for the documents. Let's go through them.")),
    ]
    trouble = rng.random()
    if trouble < 0.06:  # the customer says the expert failed: the operator decides
        out.append((end + timedelta(hours=2), c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.OTHER_PARTY)))
        out.append((end + timedelta(hours=5), c.Evaluate(actor=expert, meeting_id=mid, answer=Answer.SMOOTH)))
        return out
    if trouble < 0.09:
        out.append((end + timedelta(hours=1), c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.PLATFORM)))
        return out
    out.append((end + timedelta(minutes=rng.randint(5, 600)), c.Evaluate(actor=customer, meeting_id=mid,
                                                                        answer=Answer.SMOOTH)))
    if rng.random() < 0.8:
        out.append((end + timedelta(minutes=rng.randint(5, 300)), c.Evaluate(actor=expert, meeting_id=mid,
                                                                            answer=Answer.SMOOTH)))
    if rng.random() < 0.5:
        out.append((end + timedelta(hours=3), c.Rate(actor=customer, meeting_id=mid, stars=rng.choice([4, 5, 5, 5]))))
    if trouble > 0.97 and end + timedelta(hours=30) < now:  # a claim, answered by the expert
        claim = f"claim-{mid}"
        out.append((end + timedelta(hours=20), c.OpenClaim(actor=customer, claim_id=claim, session=mid, amount=10,
                                                           reason="The second half was rushed")))
        if rng.random() < 0.5:
            out.append((end + timedelta(hours=26), c.RefundClaim(actor=expert, claim_id=claim, amount=10)))
        else:
            out.append((end + timedelta(hours=26), c.DisputeClaim(actor=expert, claim_id=claim,
                                                                  summary="We covered every question asked; "
                                                                          "see the transcript.")))
    return out


def _recent(expert: str, customers: list[str], now: datetime) -> list[tuple[datetime, c.Command]]:
    """What is on the expert's desk today: claims to answer, requests, upcoming meetings, slots."""
    steps: list[tuple[datetime, c.Command]] = []
    a, b, d, g = customers[0], customers[1], customers[2], customers[5]
    # Two sessions yesterday, each with a fresh claim waiting for the expert (R30).
    for i, (who, amount, reason) in enumerate([(a, 20, "The video kept freezing for ten minutes"),
                                              (d, 55, "The advice did not cover my situation at all")]):
        mid = f"recent-{i}"
        start = _paris(now - timedelta(days=1), 10 + 2 * i)
        end = start + timedelta(minutes=30)
        steps += [
            (start - timedelta(days=2), c.RequestScheduled(actor=who, meeting_id=mid, expert=expert, mode=Mode.VIDEO,
                                                           offer=OfferKind.LONG, topic=TOPICS[i + 3], times=(start,))),
            (start - timedelta(days=2, hours=-1), c.PickTime(actor=expert, meeting_id=mid, start=start)),
            (start - timedelta(minutes=2), c.OpenLink(actor=expert, meeting_id=mid)),
            (start - timedelta(minutes=1), c.OpenLink(actor=who, meeting_id=mid)),
                (end + timedelta(minutes=30), c.Evaluate(actor=who, meeting_id=mid, answer=Answer.SMOOTH)),
            (end + timedelta(hours=2), c.OpenClaim(actor=who, claim_id=f"claim-recent-{i}", session=mid,
                                                   amount=amount, reason=reason)),
        ]
    # Upcoming agreed meetings over the next days.
    for i, (who, days, hour) in enumerate([(b, 0, 17), (g, 1, 10), (a, 1, 15), (d, 2, 9), (b, 4, 11)]):
        start = _paris(now + timedelta(days=days), hour)
        if start < now + timedelta(hours=1):
            start = now + timedelta(hours=2)
        mid = f"soon-{i}"
        steps += [
            (now - timedelta(days=1, hours=i), c.RequestScheduled(actor=who, meeting_id=mid, expert=expert,
                                                                  mode=Mode.VIDEO, offer=OfferKind.LONG,
                                                                  topic=TOPICS[(i + 5) % len(TOPICS)], times=(start,))),
            (now - timedelta(hours=20 - i), c.PickTime(actor=expert, meeting_id=mid, start=start)),
        ]
    # Requests waiting for an answer.
    for i, who in enumerate((customers[3], customers[6])):
        times = tuple(_paris(now + timedelta(days=2 + k), 10 + 3 * i + k) for k in range(3))
        steps.append((now - timedelta(hours=3 - i), c.RequestScheduled(
            actor=who, meeting_id=f"ask-{i}", expert=expert, mode=Mode.VIDEO if i else Mode.PHONE,
            offer=OfferKind.SHORT if i else OfferKind.LONG, topic=TOPICS[(i + 8) % len(TOPICS)], times=times)))
    # Working hours for two weeks, a "Now" slot, and a group workshop.
    for k in range(14):
        day = now + timedelta(days=k)
        if day.astimezone(PARIS).weekday() < 5:
            for (h1, h2) in ((9, 12), (14, 18)):
                s, e = _paris(day, h1), _paris(day, h2)
                if e > now:
                    steps.append((now - timedelta(minutes=30), c.AddSlot(actor=expert, slot_id=f"work-{k}-{h1}",
                                                                         start=max(s, now), end=e)))
    steps.append((now - timedelta(minutes=1), c.AddSlot(actor=expert, slot_id="now", start=None)))
    ws = _paris(now + timedelta(days=6), 18)
    steps.append((now - timedelta(days=3), c.CreateGroupEvent(
        actor=expert, event_id="workshop-1", title="Freelancers' tax return workshop", start=ws,
        end=ws + timedelta(minutes=90), price=30, min_participants=3, max_participants=12)))
    for who in customers[:4]:
        steps.append((now - timedelta(days=2), c.Register(actor=who, event_id="workshop-1")))
    return steps


def build(data_dir: Path, now: datetime | None = None, seed: int = 7) -> Demo:
    """Write the demo into `data_dir` (a new, empty server data folder)."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    t0 = now - timedelta(days=370)
    server = open_server(Settings(data_dir=data_dir))
    clock = SetClock(server.clock, t0)
    server.clock = clock
    server.runner = runner = Runner(server.store, clock, Quiet())
    demo = Demo()
    try:
        demo.expert, _ = create_user(server, EXPERT_EMAIL, PASSWORD, "Anna Keller", Role.EXPERT, "Europe/Paris")
        demo.operator, _ = create_user(server, OPERATOR_EMAIL, PASSWORD, "Olga (operator)", Role.OPERATOR)
        for n, (name, zone) in enumerate(CUSTOMERS):
            email = f"customer{n + 1}@demo.example"
            cid, _ = create_user(server, email, PASSWORD, name, Role.CUSTOMER, zone)
            demo.customers.append((cid, email))
        ids = [cid for cid, _ in demo.customers]
        expert = demo.expert
        prelude: list[tuple[datetime, c.Command]] = [
            (t0, c.UpdateProfile(actor=expert, name="Anna Keller", specialty="Tax adviser for freelancers and expats",
                                 time_zone="Europe/Paris", slug=EXPERT_SLUG)),
            (t0, c.SetPayoutProfile(actor=expert, legal_name="Anna Keller EI", billing_address="12 rue des Arts, 75004 Paris",
                                    tax_id="FR40303265045", bank_account="FR76 3000 6000 0112 3456 7890 189")),
            (t0, c.SetOffers(actor=expert, mode=Mode.VIDEO, per_minute=3, short_price=40, long_price=70)),
            (t0, c.SetOffers(actor=expert, mode=Mode.PHONE, per_minute=2, short_price=30, long_price=55)),
            (t0, c.SetOffers(actor=expert, mode=Mode.CHAT, per_minute=2, short_price=25, long_price=45)),
        ]
        prelude += [(t0, c.GrantCredits(actor=SYSTEM, grant_id=f"demo-grant-{cid}", customer=cid, amount=20_000))
                    for cid in ids]
        steps = prelude + _history(rng, expert, ids, now) + _recent(expert, ids, now)
        steps.sort(key=lambda s: s[0])
        _run(runner, clock, steps, demo)
        # Inês asked yesterday to buy credits by bank transfer; the demo operator confirms it in the console.
        clock.at = now - timedelta(days=1)
        with runner.transaction() as tx:
            demo.pending_transfer = records.insert(tx, server, ids[-1], 50, "bank").reference
        with server.store.engine.connect() as conn:
            demo.events = int(conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
    finally:
        server.store.close()
    return demo


def _run(runner: Runner, clock: SetClock, steps: list[tuple[datetime, c.Command]], demo: Demo) -> None:
    policy = runner.store.policy
    for i in range(0, len(steps), 400):
        with runner.transaction() as tx:
            for at, command in steps[i:i + 400]:
                clock.at = at
                for _ in range(20):  # what came due before this moment happens first
                    work = due(tx.batch.world, at, policy)
                    if not work:
                        break
                    for cmd in work:
                        tx.execute(cmd, at)
                result = tx.execute(command, at)
                if isinstance(result, DomainError) and len(demo.refused) < 20:
                    demo.refused.append(f"{type(command).__name__} {getattr(command, 'meeting_id', '')}: {result}")
