"""Property tests: random command sequences through the engine, invariants after every step.

A hypothesis state machine plays several customers, experts and an operator against one
world with a fake clock. Commands are drawn valid and invalid alike (wrong actor, unknown id,
too late); every refused command must raise `DomainError` and leave the world exactly as it
was, and `decide` must never touch the world even when it accepts. Clock jumps (seconds to
ten days, and straight onto the 48 h / 72 h / 168 h edges and payout days) are followed by
executing everything `due()` returns, which must never be refused.

Checked after every step: the ledger's own invariants (`violations`), balances summing to
zero, holds matching payment statuses (Blocked <=> exactly one open hold, no orphan holds),
earnings summaries and payout statements traceable to the ledger, claims never refunding
more than was charged, every due command decidable, and a fresh replay of the log equal to
the world.

Run longer with CONSOLEAPP_HYPOTHESIS_PROFILE=long (or =ci for the default).
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from consoleapp.engine import (
    DEFAULT_POLICY,
    DomainError,
    Event,
    Policy,
    World,
    decide,
    due,
    evolve,
    replay,
)
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.changes import cancellation_terms
from consoleapp.engine.due import DueCache
from consoleapp.engine.ledger import (
    COMMISSION,
    DEPOSITS,
    ESCROW,
    PAYOUTS,
    PLATFORM,
    Label,
    Transfer,
    TransferKind,
    earnings,
    violations,
)
from consoleapp.engine.model import (
    SYSTEM,
    Answer,
    ClaimStatus,
    DeclineReason,
    GroupEventStatus,
    MeetingKind,
    MeetingStatus,
    Mode,
    Offer,
    OfferKind,
    Outcome,
    Party,
    PaymentStatus,
    PromoKind,
    Role,
)
from consoleapp.engine.payouts import statement
from consoleapp.engine.promos import discount_on

settings.register_profile(
    "consoleapp-ci",
    max_examples=60,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "consoleapp-long",
    max_examples=1000,
    stateful_step_count=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PROFILE = os.environ.get("CONSOLEAPP_HYPOTHESIS_PROFILE", "ci")

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
CUSTOMERS = ("cara", "cole", "cleo", "cruz")
EXPERTS = ("xena", "xavi", "xiao")
OPERATOR = "olga"
STRANGER = "ghost"  # never has an account
PEOPLE = (*CUSTOMERS, *EXPERTS, OPERATOR, SYSTEM, STRANGER)
MODES = (Mode.VIDEO, Mode.CHAT)
POLICIES = (
    DEFAULT_POLICY,
    Policy(late_cancel_fee_percent=100, commission_percent=15),  # seed Atlas11's full fee
    Policy(commission_percent=33, late_cancel_fee_percent=35, payout_threshold=1, review_bonus_credits=0),
)

# None means "the right person for this command"; anything else is somebody, maybe wrong.
ACTOR = st.sampled_from((None,) * 24 + PEOPLE)
PICK = st.integers(min_value=0, max_value=10_000)
ANSWER = st.sampled_from(tuple(Answer))
KIND = st.sampled_from(tuple(OfferKind))
MODE = st.sampled_from(MODES)
REASON = st.sampled_from(tuple(DeclineReason))
MINUTES = st.sampled_from((0, 1, 10, 15, 30, 45, 90))
H = timedelta(hours=1)
# Offsets from now for proposed times: the past (refused), and either side of the 48 h edge.
AHEAD = st.sampled_from((
    -H, timedelta(minutes=5), timedelta(minutes=20), 2 * H, 24 * H, 25 * H, 47 * H, 48 * H, 49 * H,
    72 * H, 5 * 24 * H, 9 * 24 * H,
))
JITTER = st.integers(min_value=0, max_value=59).map(lambda m: timedelta(minutes=m))
JUMPS = (
    timedelta(seconds=1), timedelta(seconds=29), timedelta(seconds=89), timedelta(seconds=91),
    timedelta(minutes=15), H, 24 * H, 48 * H, 48 * H + timedelta(seconds=1), 72 * H,
    72 * H + timedelta(seconds=1), 168 * H, 168 * H + timedelta(seconds=1), 10 * 24 * H,
)
# Where a clock jump may land relative to a meeting: (anchor, offset).
LANDMARKS = (
    ("start", -48 * H - timedelta(seconds=1)), ("start", -48 * H), ("start", -48 * H + timedelta(seconds=1)),
    ("start", -24 * H), ("start", -60 * timedelta(minutes=1)), ("start", -timedelta(minutes=15)),
    ("start", timedelta(0)), ("start", timedelta(minutes=1)), ("end", -timedelta(seconds=30)),
    ("end", timedelta(0)), ("end", timedelta(seconds=1)), ("end", timedelta(minutes=61)),
    ("end", 24 * H), ("end", 72 * H), ("end", 72 * H + timedelta(seconds=1)),
    ("end", 168 * H), ("end", 168 * H + timedelta(seconds=1)),
)
Drive = tuple[str, int, int, Answer, OfferKind, str, str]
DRIVE = st.lists(
    st.tuples(st.sampled_from(("meeting", "meeting", "meeting", "event", "claim")), PICK,
              st.integers(min_value=0, max_value=5), ANSWER, KIND, st.sampled_from(CUSTOMERS), st.sampled_from(EXPERTS)),
    min_size=1, max_size=8,
)
# Promo codes a customer may type: none mostly, valid ones in any case, one for xena only, ended, unknown.
PROMO = st.sampled_from(("",) * 6 + ("WELCOME", "welcome", "XENA-5", "ALL", "GONE", "NOPE"))
DEEP_CHECK_EVERY = 3  # compare a deepcopy on every third refusal; a cheap copy on the others


def decision_table(customer: Answer | None, expert: Answer | None, deadline_passed: bool) -> Outcome | None:
    """R22-R25 restated from PRODUCT.md, independently of the engine's own table."""
    if customer in (Answer.SMOOTH, Answer.MY_FAULT):
        return Outcome.PAY  # R22: the customer says smoothly, or their own fault
    if expert is Answer.MY_FAULT:
        return Outcome.RETURN  # R23: the expert says their own fault
    if customer is not None and expert is not None:
        both_platform = customer is Answer.PLATFORM and expert is Answer.PLATFORM
        return Outcome.PLATFORM_FAULT if both_platform else Outcome.REVIEW  # R24, R25
    if not deadline_passed:
        return None
    if customer is None and expert in (None, Answer.SMOOTH, Answer.OTHER_PARTY):
        return Outcome.PAY  # R22: both silent, or the expert confirms and the customer is silent
    if expert is None and customer is Answer.OTHER_PARTY:
        return Outcome.RETURN  # R23
    return Outcome.REVIEW  # R25


class EngineMachine(RuleBasedStateMachine):
    """One world, one fake clock, many people. Every command goes through `self.run`."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.log: list[Event] = []
        self.now = T0
        self.policy = DEFAULT_POLICY
        self.seen = DueCache()  # as the server's scheduler keeps one
        self.serial = 0
        self.refusals = 0
        self.commands = 0
        self.last_ok: c.Command | None = None
        self.codes: Counter[str] = Counter()

    # --- the harness ------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def who(self, drawn: str | None, right: str) -> str:
        return right if drawn is None else drawn

    def run(self, cmd: c.Command) -> list[Event] | DomainError:
        """Decide (must not touch the world), then fold; a refusal must change nothing."""
        self.commands += 1
        deep = self.commands % DEEP_CHECK_EVERY == 0
        before = copy.deepcopy(self.world) if deep else self.world.copy()
        try:
            events = decide(self.world, cmd, self.now, self.policy)
        except DomainError as err:
            assert err.code and err.message, f"{cmd} refused without a code or message"
            assert self.world == before, f"refused {cmd} ({err!r}) changed the world"
            self.codes[err.code] += 1
            self.codes[f"{type(cmd).__name__}:{err.code}"] += 1
            self.refusals += 1
            return err
        assert self.world == before, f"decide({cmd}) changed the world before any fold"
        self.check_rules(before, cmd, events)
        for ev in events:
            assert ev.at == self.now, f"{type(ev).__name__} of {cmd} is stamped {ev.at}, not {self.now}"
            evolve(self.world, ev)
        self.log += events
        self.last_ok = cmd
        self.codes["ok"] += 1
        self.codes[f"{type(cmd).__name__}:ok"] += 1
        return events

    def check_rules(self, before: World, cmd: c.Command, events: list[Event]) -> None:
        """An oracle for the rules that decide money and deadlines, restated from PRODUCT.md."""
        p, now = self.policy, self.now
        for ev in events:
            m = before.meetings.get(ev.ref)
            if isinstance(ev, e.MeetingSettled | e.ReviewRequired) and m is not None:
                assert m.end is not None
                if isinstance(ev, e.MeetingSettled):
                    # a promo code's hold: the platform's part not charged goes back to the platform, not the customer
                    released = (before.ledger.transfers[m.promo_hold].amount - ev.discount) if m.promo_hold else 0
                    assert ev.charged + ev.returned + released == m.price, f"{m.id}: {ev.charged} charged + {ev.returned} returned != {m.price}"
                    if m.promo is not None and m.promo_hold:
                        assert ev.discount == min(discount_on(m.promo, ev.charged), before.ledger.transfers[m.promo_hold].amount)
                    assert ev.expert_share + ev.commission == ev.charged
                    assert ev.commission == ev.charged * p.commission_percent // 100
                if m.kind is MeetingKind.INSTANT and isinstance(cmd, c.EndSession):
                    assert isinstance(ev, e.MeetingSettled) and ev.charged <= m.price
                    if m.offer is not OfferKind.PER_MINUTE:
                        assert ev.charged == m.price, "R20: a package bills its fixed price"
                    continue
                result = ev.outcome if isinstance(ev, e.MeetingSettled) else Outcome.REVIEW
                deadline = m.end + timedelta(hours=p.auto_evaluation_hours)
                if isinstance(cmd, c.DecideReview):
                    assert result is cmd.outcome
                    continue
                assert m.status is MeetingStatus.HELD, f"{m.id} settled from {m.status.value}"
                answers = (m.customer_answer, m.expert_answer)
                if isinstance(cmd, c.Evaluate) and now < deadline:
                    answers = (cmd.answer, m.expert_answer) if cmd.actor == m.customer else (m.customer_answer, cmd.answer)
                expected = decision_table(*answers, deadline_passed=now >= deadline)
                assert result is expected, f"R22-R26: {m.id} answers {answers} at {now} (deadline {deadline}) gave {result}, not {expected}"
                if expected is Outcome.PAY:
                    assert isinstance(ev, e.MeetingSettled) and ev.charged == m.price
                elif expected is Outcome.PLATFORM_FAULT:
                    assert isinstance(ev, e.MeetingSettled) and ev.charged == 0
                    assert ev.platform_paid == m.price * p.platform_fault_percent // 100, "R24"
                elif expected is Outcome.RETURN:
                    assert isinstance(ev, e.MeetingSettled) and ev.charged == 0
            elif isinstance(ev, e.MeetingCancelled) and m is not None:
                if m.status is not MeetingStatus.REJECTED and m.start is not None:
                    assert now < m.start, f"R12-R14: {m.id} cancelled at {now}, after its start {m.start}"
                late = m.start is not None and now > m.start - timedelta(hours=p.late_cancel_hours)
                if ev.by is Party.CUSTOMER and m.status is MeetingStatus.AGREED and late:
                    full = m.price * p.late_cancel_fee_percent // 100
                    code = discount_on(m.promo, full) if m.promo is not None and m.promo_hold else 0
                    assert ev.fee == full - code, f"R13: fee {ev.fee} for {m.id}"
                else:
                    assert ev.fee == 0, f"R12-R14: {m.id} cancelled with a fee {ev.fee} though not late"
            elif isinstance(ev, e.MeetingAgreed) and m is not None and m.kind is MeetingKind.INSTANT:
                assert m.expires_at is not None and now < m.expires_at, "R6: accepted after the timeout"
            elif isinstance(ev, e.RequestExpired) and m is not None and m.kind is MeetingKind.INSTANT:
                assert m.expires_at is not None and now >= m.expires_at, "R6: expired before the timeout"
            elif isinstance(ev, e.ClaimOpened):
                session = before.meetings.get(ev.session)
                if session is not None and session.end is not None:
                    ended = session.end
                    if session.live is not None and session.live.ended_at is not None:
                        ended = min(ended, session.live.ended_at)
                else:
                    ended = before.group_events[ev.session].end
                assert now <= ended + timedelta(hours=p.claim_window_hours), f"R29: claim at {now}, session ended {ended}"
            elif isinstance(ev, e.GroupEventSettled):
                g = before.group_events[ev.ref]
                assert now >= g.end and len(g.active()) >= g.min_participants, (
                    f"R28: event {g.id} with {len(g.active())} of at least {g.min_participants} participants settled")
                assert ev.charged == (ev.presence_seconds >= p.event_presence_minutes * 60), "R28: presence rule"

    def ok(self, cmd: c.Command) -> list[Event]:
        result = self.run(cmd)
        assert not isinstance(result, DomainError), f"{cmd} was refused: {result!r}"
        return result

    def run_due(self) -> None:
        """What the scheduler does after the clock moves: execute all that is due, until quiet."""
        for _ in range(60):
            commands = due(self.world, self.now, self.policy)
            # A scheduler's cache of quiet meetings changes nothing of the answer.
            assert due(self.world, self.now, self.policy, self.seen) == commands
            if not commands:
                return
            for cmd in commands:
                result = self.run(cmd)
                assert not isinstance(result, DomainError), f"due() produced {cmd}, refused: {result!r}"
        raise AssertionError("due() kept producing commands at the same moment")

    # --- pickers --------------------------------------------------------------------------

    def meeting_id(self, n: int, *statuses: MeetingStatus, unknown: bool = False) -> str:
        if unknown:
            return "m-unknown"
        ids = sorted(self.world.meetings)
        fitting = [mid for mid in ids if self.world.meetings[mid].status in statuses] if statuses else ids
        pool = fitting or ids
        return pool[n % len(pool)] if pool else "m-none"

    def slot_id(self, n: int) -> str:
        ids = sorted(self.world.slots)
        return ids[n % len(ids)] if ids else "s-none"

    def event_id(self, n: int, *statuses: GroupEventStatus) -> str:
        ids = sorted(self.world.group_events)
        fitting = [g for g in ids if self.world.group_events[g].status in statuses] if statuses else ids
        pool = fitting or ids
        return pool[n % len(pool)] if pool else "g-none"

    def claim_id(self, n: int) -> str:
        ids = sorted(self.world.claims)
        return ids[n % len(ids)] if ids else "k-none"

    def has_meetings(self) -> bool:
        return bool(self.world.meetings)

    def has_slots(self) -> bool:
        return bool(self.world.slots)

    def has_events(self) -> bool:
        return bool(self.world.group_events)

    def has_claims(self) -> bool:
        return bool(self.world.claims)

    # --- setting up ---------------------------------------------------------------------------

    @initialize(
        policy=st.sampled_from(POLICIES),
        credits=st.lists(st.sampled_from((2000, 600, 150, 40, 5, 0)), min_size=len(CUSTOMERS), max_size=len(CUSTOMERS)),
        video=st.lists(st.tuples(st.sampled_from((2, 1, 7)), st.sampled_from((25, 10)), st.sampled_from((55, 30))),
                       min_size=len(EXPERTS), max_size=len(EXPERTS)),
        chat=st.lists(st.tuples(st.sampled_from((0, 1, 3)), st.sampled_from((0, 10)), st.sampled_from((0, 40))),
                      min_size=len(EXPERTS), max_size=len(EXPERTS)),
    )
    def setup(self, policy: Policy, credits: list[int], video: list[tuple[int, int, int]],
              chat: list[tuple[int, int, int]]) -> None:
        self.policy = policy
        self.ok(c.OpenAccount(actor=SYSTEM, person=OPERATOR, role=Role.OPERATOR, name="Olga", email="olga@example.com"))
        for who in CUSTOMERS:
            self.ok(c.OpenAccount(actor=who, person=who, role=Role.CUSTOMER, name=who.title(), email=f"{who}@example.com"))
        for who, v, ch in zip(EXPERTS, video, chat, strict=True):
            self.ok(c.OpenAccount(actor=OPERATOR, person=who, role=Role.EXPERT, name=who.title(), email=f"{who}@example.com"))
            for mode, (per_minute, short, long) in ((Mode.VIDEO, v), (Mode.CHAT, ch)):
                self.ok(c.SetOffers(actor=who, mode=mode, per_minute=per_minute, short_price=short, long_price=long))
        self.ok(c.AddSlot(actor=EXPERTS[0], slot_id="s-now", start=None))
        for code, kind, value, uses, expert in (("WELCOME", PromoKind.PERCENT, 20, 6, ""),
                                                ("XENA-5", PromoKind.CREDITS, 5, 0, EXPERTS[0]),
                                                ("ALL", PromoKind.PERCENT, 100, 0, ""), ("GONE", PromoKind.CREDITS, 9, 0, "")):
            self.ok(c.CreatePromoCode(actor=OPERATOR, code=code, kind=kind, value=value, valid_from=T0,
                                      valid_until=T0 + 30 * 24 * H, max_uses=uses, max_per_customer=2, expert=expert))
        self.ok(c.EndPromoCode(actor=OPERATOR, code="GONE"))
        for who, amount in zip(CUSTOMERS, credits, strict=True):
            if amount:
                self.ok(c.GrantCredits(actor=SYSTEM, grant_id=f"start-{who}", customer=who, amount=amount))

    # --- people, money, offers, slots ------------------------------------------------------

    @rule(actor=st.sampled_from((SYSTEM, OPERATOR, OPERATOR, CUSTOMERS[0], STRANGER)),
          customer=st.sampled_from((*CUSTOMERS, EXPERTS[0], STRANGER)), amount=st.sampled_from((-5, 0, 1, 30, 500)))
    def grant(self, actor: str, customer: str, amount: int) -> None:
        self.run(c.GrantCredits(actor=actor, grant_id=self.new_id("grant"), customer=customer, amount=amount))

    @rule(actor=ACTOR, expert=st.sampled_from(EXPERTS), mode=MODE,
          per_minute=st.sampled_from((-1, 0, 1, 3)), short=st.sampled_from((0, 12, 40)),
          long=st.sampled_from((0, 35, 90)), short_minutes=st.sampled_from((0, 20)))
    def set_offers(self, actor: str | None, expert: str, mode: Mode, per_minute: int, short: int, long: int,
                   short_minutes: int) -> None:
        self.run(c.SetOffers(actor=self.who(actor, expert), mode=mode, per_minute=per_minute, short_price=short,
                             short_minutes=short_minutes, long_price=long))

    @rule(actor=ACTOR, expert=st.sampled_from(EXPERTS), now_slot=st.booleans(), ahead=AHEAD, jitter=JITTER,
          length=st.sampled_from((timedelta(minutes=30), 2 * H, 3 * H, 8 * H, 25 * H)),
          own_offers=st.booleans(), mode=MODE, kind=KIND)
    def add_slot(self, actor: str | None, expert: str, now_slot: bool, ahead: timedelta, jitter: timedelta,
                 length: timedelta, own_offers: bool, mode: Mode, kind: OfferKind) -> None:
        start = None if now_slot else self.now + ahead + jitter
        offers = (Offer(mode, kind, 4 if kind is OfferKind.PER_MINUTE else 33, 0 if kind is OfferKind.PER_MINUTE else 20),) if own_offers else ()
        self.run(c.AddSlot(actor=self.who(actor, expert), slot_id=self.new_id("s"), start=start,
                           end=None if start is None else start + length, offers=offers))

    @precondition(lambda self: self.has_slots())
    @rule(actor=ACTOR, n=PICK, remove=st.booleans(), shift=st.sampled_from((-H, H, 30 * H)))
    def change_slot(self, actor: str | None, n: int, remove: bool, shift: timedelta) -> None:
        sid = self.slot_id(n)
        slot = self.world.slots.get(sid)
        owner = slot.expert if slot else EXPERTS[0]
        if remove or slot is None:
            self.run(c.RemoveSlot(actor=self.who(actor, owner), slot_id=sid))
        else:
            self.run(c.MoveSlot(actor=self.who(actor, owner), slot_id=sid, start=slot.start + shift, end=slot.end + shift))

    @rule(actor=ACTOR, expert=st.sampled_from(EXPERTS), complete=st.booleans(),
          account=st.sampled_from(("DE44500105175407324931", "12", "")))
    def payout_profile(self, actor: str | None, expert: str, complete: bool, account: str) -> None:
        self.run(c.SetPayoutProfile(actor=self.who(actor, expert), legal_name=expert.title(),
                                    billing_address="1 Main St" if complete else " ", tax_id="DE136695976", bank_account=account))

    # --- requests and booking (R6-R11) -------------------------------------------------------

    @rule(actor=ACTOR, customer=st.sampled_from(CUSTOMERS), expert=st.sampled_from(EXPERTS), mode=MODE, kind=KIND,
          budget=st.sampled_from((60, 0, 1, 5, 30, 400)), available=st.booleans(), promo=PROMO)
    def request_instant(self, actor: str | None, customer: str, expert: str, mode: Mode, kind: OfferKind,
                        budget: int, available: bool, promo: str) -> None:
        if available:  # mostly ask an expert who has a slot running now
            w = self.world
            free = [x for x in EXPERTS if any(w.slots[s].start <= self.now < w.slots[s].end for s in w.slots_of.get(x, ()))]
            expert = free[EXPERTS.index(expert) % len(free)] if free else expert
        self.run(c.RequestInstant(actor=self.who(actor, customer), meeting_id=self.new_id("m"), expert=expert,
                                  mode=mode, offer=kind, topic="help now", max_budget=budget, promo_code=promo))

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, accept=st.booleans(), reason=REASON, unknown=st.booleans())
    def answer_request(self, actor: str | None, n: int, accept: bool, reason: DeclineReason, unknown: bool) -> None:
        mid = self.meeting_id(n, MeetingStatus.AWAITING_APPROVAL, unknown=unknown and n % 4 == 0)
        m = self.world.meetings.get(mid)
        expert = m.expert if m else EXPERTS[0]
        actor_id = self.who(actor, expert)
        if not accept:
            self.run(c.DeclineRequest(actor=actor_id, meeting_id=mid, reason=reason))
        elif m is not None and m.kind is MeetingKind.SCHEDULED and m.proposed:
            self.run(c.PickTime(actor=actor_id, meeting_id=mid, start=m.proposed[n % len(m.proposed)]))
        elif m is not None and m.kind in (MeetingKind.BOOKING, MeetingKind.SCHEDULED):
            self.run(c.ApproveBooking(actor=actor_id, meeting_id=mid))
        else:
            self.run(c.AcceptInstant(actor=actor_id, meeting_id=mid))

    @rule(actor=ACTOR, customer=st.sampled_from(CUSTOMERS), expert=st.sampled_from((*EXPERTS, CUSTOMERS[1])),
          mode=MODE, kind=KIND, times=st.lists(st.tuples(AHEAD, JITTER), min_size=0, max_size=4), minutes=MINUTES,
          promo=PROMO)
    def request_scheduled(self, actor: str | None, customer: str, expert: str, mode: Mode, kind: OfferKind,
                          times: list[tuple[timedelta, timedelta]], minutes: int, promo: str) -> None:
        self.run(c.RequestScheduled(
            actor=self.who(actor, customer), meeting_id=self.new_id("m"), expert=expert, mode=mode, offer=kind,
            topic="a scheduled talk", times=tuple(self.now + a + j for a, j in times), minutes=minutes,
            promo_code=promo,
        ))

    @precondition(lambda self: self.has_slots())
    @rule(actor=ACTOR, n=PICK, customer=st.sampled_from(CUSTOMERS), mode=MODE, kind=KIND,
          quarter=st.integers(min_value=-1, max_value=12), minutes=MINUTES, promo=PROMO)
    def book_slot(self, actor: str | None, n: int, customer: str, mode: Mode, kind: OfferKind, quarter: int,
                  minutes: int, promo: str) -> None:
        sid = self.slot_id(n)
        slot = self.world.slots.get(sid)
        base = max(slot.start, self.now + timedelta(minutes=1)) if slot else self.now
        self.run(c.BookSlot(actor=self.who(actor, customer), meeting_id=self.new_id("m"), slot_id=sid, mode=mode,
                            offer=kind, start=base + quarter * timedelta(minutes=15), topic="booked", minutes=minutes,
                            promo_code=promo))

    @rule(actor=ACTOR, expert=st.sampled_from(EXPERTS), customer=st.sampled_from((*CUSTOMERS, STRANGER)), mode=MODE,
          kind=KIND, ahead=AHEAD, jitter=JITTER, minutes=MINUTES)
    def suggest(self, actor: str | None, expert: str, customer: str, mode: Mode, kind: OfferKind, ahead: timedelta,
                jitter: timedelta, minutes: int) -> None:
        self.run(c.SuggestMeeting(actor=self.who(actor, expert), meeting_id=self.new_id("m"), customer=customer,
                                  mode=mode, offer=kind, start=self.now + ahead + jitter, topic="shall we?", minutes=minutes))

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, confirm=st.booleans(), reason=REASON, promo=PROMO)
    def answer_suggestion(self, actor: str | None, n: int, confirm: bool, reason: DeclineReason, promo: str) -> None:
        suggested = [mid for mid, m in sorted(self.world.meetings.items())
                     if m.kind is MeetingKind.SUGGESTED and m.status is MeetingStatus.AWAITING_APPROVAL]
        mid = suggested[n % len(suggested)] if suggested else self.meeting_id(n)
        m = self.world.meetings.get(mid)
        actor_id = self.who(actor, m.customer if m else CUSTOMERS[0])
        if confirm:
            self.run(c.ConfirmSuggestion(actor=actor_id, meeting_id=mid, promo_code=promo))
        else:
            self.run(c.RejectSuggestion(actor=actor_id, meeting_id=mid, reason=reason))

    # --- cancelling and rescheduling (R12-R16) -----------------------------------------------

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, by_expert=st.booleans(), fee=st.sampled_from(("terms", "terms", "none", "wrong")),
          reason=st.sampled_from(("", "something came up")))
    def cancel(self, actor: str | None, n: int, by_expert: bool, fee: str, reason: str) -> None:
        mid = self.meeting_id(n, MeetingStatus.AGREED, MeetingStatus.AWAITING_APPROVAL, MeetingStatus.REJECTED)
        m = self.world.meetings.get(mid)
        right = (m.expert if by_expert else m.customer) if m else CUSTOMERS[0]
        actor_id = self.who(actor, right)
        accept: int | None = None
        try:
            terms = cancellation_terms(self.world, mid, actor_id, self.now, self.policy)
        except DomainError:
            terms = None
        if terms is not None:
            platform = self.world.ledger.transfers[m.promo_hold].amount if m and m.promo_hold else 0
            assert m is not None and (not terms.late or terms.fee + terms.returned + platform == m.price)
            assert terms.expert_share + terms.commission == terms.fee + terms.discount
            accept = {"terms": terms.fee, "none": None, "wrong": terms.fee + 1}[fee]
        result = self.run(c.CancelMeeting(actor=actor_id, meeting_id=mid, reason=reason, accept_fee=accept))
        if terms is not None and terms.late and fee == "terms" and not isinstance(result, DomainError):
            fees = [t.amount for t in result if isinstance(t, Transfer) and t.kind is TransferKind.POST_PENDING
                    and t.debit != PLATFORM]
            assert fees in ([terms.fee], []), f"a late cancel charged {fees}, the terms said {terms.fee}"

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, by_expert=st.booleans(), ahead=AHEAD, jitter=JITTER)
    def propose_alternative(self, actor: str | None, n: int, by_expert: bool, ahead: timedelta, jitter: timedelta) -> None:
        mid = self.meeting_id(n, MeetingStatus.AGREED, MeetingStatus.REJECTED, MeetingStatus.AWAITING_APPROVAL)
        m = self.world.meetings.get(mid)
        right = (m.expert if by_expert else m.customer) if m else EXPERTS[0]
        self.run(c.ProposeAlternative(actor=self.who(actor, right), meeting_id=mid, start=self.now + ahead + jitter))

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, answer=st.sampled_from(("approve", "approve", "reject", "withdraw")),
          reason=st.sampled_from(("", "that time is bad")))
    def answer_alternative(self, actor: str | None, n: int, answer: str, reason: str) -> None:
        pending = [mid for mid, m in sorted(self.world.meetings.items()) if m.alternative is not None]
        mid = pending[n % len(pending)] if pending else self.meeting_id(n)
        m = self.world.meetings.get(mid)
        right = CUSTOMERS[0]
        if m is not None and m.alternative is not None:
            proposer = m.expert if m.alternative.by.value == "expert" else m.customer
            other = m.customer if proposer == m.expert else m.expert
            right = proposer if answer == "withdraw" else other
        actor_id = self.who(actor, right)
        if answer == "approve":
            self.run(c.ApproveAlternative(actor=actor_id, meeting_id=mid))
        elif answer == "reject":
            self.run(c.RejectAlternative(actor=actor_id, meeting_id=mid, reason=reason))
        else:
            self.run(c.WithdrawAlternative(actor=actor_id, meeting_id=mid))

    # --- links and live sessions (R17-R21) -----------------------------------------------------

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, by_expert=st.booleans())
    def open_link(self, actor: str | None, n: int, by_expert: bool) -> None:
        mid = self.meeting_id(n, MeetingStatus.AGREED, MeetingStatus.HELD)
        m = self.world.meetings.get(mid)
        right = (m.expert if by_expert else m.customer) if m else EXPERTS[0]
        self.run(c.OpenLink(actor=self.who(actor, right), meeting_id=mid))

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, action=st.sampled_from(("start", "disconnect", "reconnect", "gift", "end", "chat", "recording")),
          by_expert=st.booleans())
    def live(self, actor: str | None, n: int, action: str, by_expert: bool) -> None:
        mid = self.meeting_id(n, MeetingStatus.AGREED)
        m = self.world.meetings.get(mid)
        right = (m.expert if by_expert or action in ("start", "gift", "recording") else m.customer) if m else EXPERTS[0]
        who = self.who(actor, right)
        cmd: c.Command = {
            "start": lambda: c.StartSession(actor=who, meeting_id=mid),
            "disconnect": lambda: c.Disconnect(actor=who, meeting_id=mid),
            "reconnect": lambda: c.Reconnect(actor=who, meeting_id=mid),
            "gift": lambda: c.GiftMinutes(actor=who, meeting_id=mid),
            "end": lambda: c.EndSession(actor=who, meeting_id=mid),
            "chat": lambda: c.PostChat(actor=who, meeting_id=mid, message_id=self.new_id("msg"), text="hello"),
            "recording": lambda: c.AttachRecording(actor=who, meeting_id=mid, uri="rec://1"),
        }[action]()
        self.run(cmd)

    # --- evaluation, review, rating (R22-R27) -----------------------------------------------

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, by_expert=st.booleans(), answer=ANSWER)
    def evaluate(self, actor: str | None, n: int, by_expert: bool, answer: Answer) -> None:
        mid = self.meeting_id(n, MeetingStatus.HELD, MeetingStatus.UNDER_REVIEW)
        m = self.world.meetings.get(mid)
        right = (m.expert if by_expert else m.customer) if m else CUSTOMERS[0]
        before = m
        result = self.run(c.Evaluate(actor=self.who(actor, right), meeting_id=mid, answer=answer))
        if before is not None and before.status is not MeetingStatus.HELD and not isinstance(result, DomainError):
            # R26: the first deciding answer wins; a later one never moves money
            assert not [ev for ev in result if isinstance(ev, Transfer)], "a late evaluation re-settled a meeting"

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, outcome=st.sampled_from(tuple(Outcome)), amount=st.integers(min_value=0, max_value=120))
    def decide_review(self, actor: str | None, n: int, outcome: Outcome, amount: int) -> None:
        mid = self.meeting_id(n, MeetingStatus.UNDER_REVIEW)
        self.run(c.DecideReview(note="read the evidence", actor=self.who(actor, OPERATOR), meeting_id=mid, outcome=outcome, expert_amount=amount))

    @precondition(lambda self: self.has_meetings())
    @rule(actor=ACTOR, n=PICK, stars=st.integers(min_value=0, max_value=6))
    def rate(self, actor: str | None, n: int, stars: int) -> None:
        mid = self.meeting_id(n, MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW)
        m = self.world.meetings.get(mid)
        self.run(c.Rate(actor=self.who(actor, m.customer if m else CUSTOMERS[0]), meeting_id=mid, stars=stars))

    @rule(actor=ACTOR, customer=st.sampled_from(CUSTOMERS), expert=st.sampled_from(EXPERTS),
          body=st.sampled_from(("", "Great session", "Helpful, edited")))
    def write_review(self, actor: str | None, customer: str, expert: str, body: str) -> None:
        self.run(c.WriteReview(actor=self.who(actor, customer), expert=expert, text=body))

    # --- group events (R28) ------------------------------------------------------------------

    @rule(actor=ACTOR, expert=st.sampled_from(EXPERTS), ahead=AHEAD, jitter=JITTER,
          length=st.sampled_from((timedelta(minutes=30), 2 * H, 2 * H, 25 * H)), price=st.sampled_from((25, 0, 1, 9, 40)),
          low=st.sampled_from((1, 2, 1, 3, 0)), high=st.sampled_from((5, 2, 1, 50)))
    def create_event(self, actor: str | None, expert: str, ahead: timedelta, jitter: timedelta, length: timedelta,
                     price: int, low: int, high: int) -> None:
        start = self.now + ahead + jitter
        self.run(c.CreateGroupEvent(actor=self.who(actor, expert), event_id=self.new_id("g"), title="Workshop",
                                    start=start, end=start + length, price=price, min_participants=low,
                                    max_participants=high))

    @precondition(lambda self: self.has_events())
    @rule(actor=ACTOR, n=PICK, customer=st.sampled_from(CUSTOMERS),
          action=st.sampled_from(("register", "register", "unregister", "cancel", "join", "join", "leave")),
          fee=st.sampled_from(("right", "none")))
    def group(self, actor: str | None, n: int, customer: str, action: str, fee: str) -> None:
        gid = self.event_id(n, GroupEventStatus.OPEN)
        g = self.world.group_events.get(gid)
        expert = g.expert if g else EXPERTS[0]
        if action == "register":
            self.run(c.Register(actor=self.who(actor, customer), event_id=gid))
        elif action == "unregister":
            charge = 0
            if g is not None and self.now > g.start - timedelta(hours=self.policy.late_cancel_hours):
                charge = g.price * self.policy.late_cancel_fee_percent // 100
            accept = charge if fee == "right" and charge else None
            self.run(c.CancelRegistration(actor=self.who(actor, customer), event_id=gid, accept_fee=accept))
        elif action == "cancel":
            self.run(c.CancelGroupEvent(actor=self.who(actor, expert), event_id=gid, reason="ill"))
        elif action == "join":
            self.run(c.JoinGroupEvent(actor=self.who(actor, expert), event_id=gid))
        else:
            self.run(c.LeaveGroupEvent(actor=self.who(actor, expert), event_id=gid))

    # --- claims and disputes (R29-R31) ----------------------------------------------------

    @rule(actor=ACTOR, n=PICK, share=st.sampled_from((0, 1, 2, 3, 4, 5)), on_event=st.booleans(),
          customer=st.sampled_from(CUSTOMERS))
    def open_claim(self, actor: str | None, n: int, share: int, on_event: bool, customer: str) -> None:
        session, right, left = "m-none", customer, 10
        if on_event:
            settled = [g for g in sorted(self.world.group_events) if self.world.group_events[g].status is GroupEventStatus.SETTLED]
            if settled:
                g = self.world.group_events[settled[n % len(settled)]]
                session = g.id
                reg = next((r for r in g.registrations if r.charged), None)
                if reg is not None:
                    right, left = reg.customer, reg.charged - reg.refunded
        else:
            charged = [mid for mid, m in sorted(self.world.meetings.items()) if m.charged]
            if charged:
                m = self.world.meetings[charged[n % len(charged)]]
                session, right, left = m.id, m.customer, m.charged - m.refunded
        amount = {0: 0, 1: 1, 2: max(left // 2, 1), 3: left, 4: left + 1, 5: max(left, 1)}[share]
        self.run(c.OpenClaim(actor=self.who(actor, right), claim_id=self.new_id("k"), session=session, amount=amount,
                             reason="it did not help"))

    @precondition(lambda self: self.has_claims())
    @rule(actor=ACTOR, n=PICK, action=st.sampled_from(("refund_all", "refund_part", "refund_more", "dispute", "accept", "reject")))
    def answer_claim(self, actor: str | None, n: int, action: str) -> None:
        kid = self.claim_id(n)
        cl = self.world.claims.get(kid)
        expert, amount = (cl.expert, cl.amount) if cl else (EXPERTS[0], 1)
        if action.startswith("refund"):
            value = {"refund_all": amount, "refund_part": max(amount // 3, 1), "refund_more": amount + 1}[action]
            self.run(c.RefundClaim(actor=self.who(actor, expert), claim_id=kid, amount=value))
        elif action == "dispute":
            self.run(c.DisputeClaim(actor=self.who(actor, expert), claim_id=kid, summary="the session happened"))
        else:
            self.run(c.DecideDispute(note="read the evidence", actor=self.who(actor, OPERATOR), claim_id=kid, accept=action == "accept"))

    # --- the scheduler's commands sent by anyone, at any time ------------------------------

    @rule(actor=st.sampled_from(PEOPLE), n=PICK,
          which=st.sampled_from(("expire", "held", "auto", "reminder", "link", "evaluation", "window", "escalate",
                                 "settle_event", "warn", "payouts")))
    def scheduler_command(self, actor: str, n: int, which: str) -> None:
        mid = self.meeting_id(n)
        cmd: c.Command
        if which == "expire":
            cmd = c.ExpireRequest(actor=actor, meeting_id=mid)
        elif which == "held":
            cmd = c.MarkHeld(actor=actor, meeting_id=mid)
        elif which == "auto":
            cmd = c.AutoEvaluate(actor=actor, meeting_id=mid)
        elif which in ("reminder", "link", "evaluation"):
            cmd = c.SendReminder(actor=actor, meeting_id=mid, kind=which)
        elif which == "window":
            cmd = c.CloseClaimWindow(actor=actor, session=mid if n % 2 else self.event_id(n))
        elif which == "escalate":
            cmd = c.EscalateClaim(actor=actor, claim_id=self.claim_id(n))
        elif which == "settle_event":
            cmd = c.SettleGroupEvent(actor=actor, event_id=self.event_id(n))
        elif which == "warn":
            cmd = c.WarnSessionEnding(actor=actor, meeting_id=mid)
        else:
            cmd = c.RunPayouts(actor=actor, day=(self.now.date() - timedelta(days=n % 20)).isoformat())
        self.run(cmd)

    @precondition(lambda self: self.last_ok is not None)
    @rule()
    def send_again(self) -> None:
        """A command delivered twice (a retried push) must never move money twice."""
        assert self.last_ok is not None
        result = self.run(self.last_ok)
        if not isinstance(result, DomainError):
            moved = [ev for ev in result if isinstance(ev, Transfer)]
            assert not moved, f"{self.last_ok} accepted twice moved credits twice: {moved}"

    # --- driving records forward, the way their people would ------------------------------

    @rule(steps=DRIVE)
    def drive(self, steps: list[Drive]) -> None:
        """Several natural next steps in a row, by the right people (a pure random walk stalls early).

        The invariants are checked after each of them, as after any other step.
        """
        self.drive_steps(steps)

    @rule(steps=DRIVE)
    def drive_more(self, steps: list[Drive]) -> None:
        """The same again: rules are drawn evenly, and lifecycles need more of these than of the rest."""
        self.drive_steps(steps)

    @rule(steps=DRIVE)
    def drive_even_more(self, steps: list[Drive]) -> None:
        self.drive_steps(steps)

    def drive_steps(self, steps: list[Drive]) -> None:
        for area, n, choice, answer, kind, customer, expert in steps:
            if area == "meeting":
                self.drive_meeting(n, choice, answer, kind, customer, expert)
            elif area == "event":
                self.drive_event(n, choice, customer, expert)
            else:
                self.drive_claim(n, choice)
            self.verify()

    def drive_meeting(self, n: int, choice: int, answer: Answer, kind: OfferKind, customer: str, expert: str) -> None:
        w = self.world
        moving = (MeetingStatus.AWAITING_APPROVAL, MeetingStatus.AGREED, MeetingStatus.HELD,
                  MeetingStatus.UNDER_REVIEW, MeetingStatus.REJECTED)
        ids = [mid for mid, m in sorted(w.meetings.items()) if m.status in moving]
        if not ids or choice == 5:
            if n % 3 == 0:
                self.run(c.SuggestMeeting(actor=expert, meeting_id=self.new_id("m"), customer=customer, mode=Mode.VIDEO,
                                          offer=kind, start=self.now + (2 + n % 70) * H, topic="follow-up",
                                          minutes=20))
            else:
                times = tuple(self.now + d for d in (3 * H, 50 * H, 4 * 24 * H)[: 1 + n % 3])
                self.run(c.RequestScheduled(actor=customer, meeting_id=self.new_id("m"), expert=expert,
                                            mode=Mode.VIDEO, offer=kind, topic="next steps", times=times,
                                            minutes=15 + 15 * (n % 2)))
            return
        m = w.meetings[ids[n % len(ids)]]
        if m.status is MeetingStatus.AWAITING_APPROVAL:
            if m.kind is MeetingKind.SUGGESTED and not m.hold:
                self.run(c.ConfirmSuggestion(actor=m.customer, meeting_id=m.id))
            elif m.kind is MeetingKind.INSTANT:
                self.run(c.AcceptInstant(actor=m.expert, meeting_id=m.id))
            elif m.proposed:
                self.run(c.PickTime(actor=m.expert, meeting_id=m.id, start=m.proposed[choice % len(m.proposed)]))
            else:
                self.run(c.ApproveBooking(actor=m.expert, meeting_id=m.id))
        elif m.status is MeetingStatus.AGREED and m.live is not None and m.live.ended_at is None:
            if choice == 0:
                self.run(c.EndSession(actor=m.customer, meeting_id=m.id))
            elif choice == 1:
                self.run(c.Disconnect(actor=m.customer, meeting_id=m.id))
            elif choice == 2:
                self.run(c.Reconnect(actor=m.expert, meeting_id=m.id))
            elif choice == 3:
                self.run(c.GiftMinutes(actor=m.expert, meeting_id=m.id))
            else:
                self.now += timedelta(seconds=45 * choice)
                self.run_due()
        elif m.status is MeetingStatus.AGREED and m.start is not None and m.end is not None:
            opens = m.start - timedelta(minutes=self.policy.join_before_minutes)
            if self.now < opens and choice < 2:
                late = m.start - timedelta(hours=self.policy.late_cancel_hours)
                if self.now < late and choice == 1:  # a cancel just inside the late window (R13)
                    self.now = late + timedelta(seconds=1)
                    self.run_due()
                    terms = cancellation_terms(w, m.id, m.customer, self.now, self.policy)
                    self.run(c.CancelMeeting(actor=m.customer, meeting_id=m.id, reason="sorry", accept_fee=terms.fee))
                else:
                    self.now = opens + timedelta(minutes=choice)
                    self.run_due()
            elif self.now < m.end and choice < 4:
                command = (c.StartSession(actor=m.expert, meeting_id=m.id) if choice % 2
                           else c.OpenLink(actor=m.customer, meeting_id=m.id))
                self.run(command)
            else:
                self.now = max(self.now, m.end) + timedelta(seconds=choice)
                self.run_due()
        elif m.status is MeetingStatus.HELD:
            assert m.end is not None
            deadline = m.end + timedelta(hours=self.policy.auto_evaluation_hours)
            if choice == 3:  # the scheduler settles at the deadline
                self.now = max(self.now, deadline + timedelta(seconds=n % 2))
                self.run_due()
            elif choice == 4:  # an answer a second either side of the deadline, the scheduler not yet run
                self.now = max(self.now, deadline + timedelta(seconds=n % 3 - 1))
                self.run(c.Evaluate(actor=m.customer if n % 2 else m.expert, meeting_id=m.id, answer=answer))
            else:
                self.run(c.Evaluate(actor=m.customer if choice % 2 else m.expert, meeting_id=m.id, answer=answer))
        elif m.status is MeetingStatus.UNDER_REVIEW:
            outcome = (Outcome.PAY, Outcome.RETURN, Outcome.SPLIT)[choice % 3]
            self.run(c.DecideReview(note="read the evidence", actor=OPERATOR, meeting_id=m.id, outcome=outcome, expert_amount=max(m.price // 2, 1)))
        elif m.status is MeetingStatus.REJECTED:
            self.run(c.ProposeAlternative(actor=m.customer if choice % 2 else m.expert, meeting_id=m.id,
                                          start=self.now + 60 * H + choice * H))

    def drive_event(self, n: int, choice: int, customer: str, expert: str) -> None:
        w = self.world
        open_ = [g for g in sorted(w.group_events) if w.group_events[g].status is GroupEventStatus.OPEN]
        if not open_ or choice == 5:
            start = self.now + (1 + n % 80) * H
            self.run(c.CreateGroupEvent(actor=expert, event_id=self.new_id("g"), title="Clinic", start=start,
                                        end=start + H, price=(0, 12, 30)[n % 3], min_participants=1 + n % 2,
                                        max_participants=2 + n % 3))
            return
        g = w.group_events[open_[n % len(open_)]]
        if self.now < g.start and choice < 3:
            self.run(c.Register(actor=customer, event_id=g.id))
        elif self.now < g.start - timedelta(minutes=self.policy.join_before_minutes):
            self.now = g.start - timedelta(minutes=choice)
            self.run_due()
        elif g.present_since is None and choice < 4 and self.now <= g.end:
            self.run(c.JoinGroupEvent(actor=g.expert, event_id=g.id))
        elif choice == 4 and self.now <= g.end:
            self.now = min(g.end, self.now + timedelta(minutes=4 + n % 3))  # either side of 5 minutes
            self.run(c.LeaveGroupEvent(actor=g.expert, event_id=g.id))
        else:
            self.now = max(self.now, g.end) + timedelta(seconds=1)
            self.run_due()

    def drive_claim(self, n: int, choice: int) -> None:
        w = self.world
        answerable = [k for k in sorted(w.claims) if w.claims[k].status in (ClaimStatus.OPEN, ClaimStatus.DISPUTED)]
        if answerable and choice < 4:
            cl = w.claims[answerable[n % len(answerable)]]
            if cl.status is ClaimStatus.DISPUTED:
                self.run(c.DecideDispute(note="read the evidence", actor=OPERATOR, claim_id=cl.id, accept=choice % 2 == 0))
            elif choice == 0:
                self.run(c.RefundClaim(actor=cl.expert, claim_id=cl.id, amount=cl.amount))
            elif choice == 1:
                self.run(c.RefundClaim(actor=cl.expert, claim_id=cl.id, amount=max(cl.amount // 2, 1)))
            elif choice == 2:
                self.run(c.DisputeClaim(actor=cl.expert, claim_id=cl.id, summary="it took place as agreed"))
            else:
                self.now = cl.opened_at + timedelta(hours=self.policy.claim_answer_hours)
                self.now = max(self.now, cl.opened_at)
                self.run_due()
            return
        sessions = [(mid, m.customer, m.charged - m.refunded, m.claim_window_closed)
                    for mid, m in sorted(w.meetings.items()) if m.charged > m.refunded]
        sessions += [(g.id, r.customer, r.charged - r.refunded, g.claim_window_closed)
                     for _, g in sorted(w.group_events.items()) for r in g.registrations if r.charged > r.refunded]
        if choice < 5:  # mostly sessions whose claim window is still open
            sessions = [x for x in sessions if not x[3]] or sessions
        if sessions:
            session, customer, left, _ = sessions[n % len(sessions)]
            amount = (left, max(left // 2, 1), 1, left, left, left)[choice]
            self.run(c.OpenClaim(actor=customer, claim_id=self.new_id("k"), session=session, amount=amount,
                                 reason="not what was promised"))

    # --- the clock ------------------------------------------------------------------------

    @rule(jump=st.one_of(
        st.integers(min_value=1, max_value=120).map(lambda s: timedelta(seconds=s)),
        st.integers(min_value=1, max_value=10 * 24 * 3600).map(lambda s: timedelta(seconds=s)),
        st.sampled_from(JUMPS),
    ))
    def advance(self, jump: timedelta) -> None:
        self.now += jump
        self.run_due()

    @rule(n=PICK, landmark=st.sampled_from(LANDMARKS), on_event=st.booleans(), scheduler=st.sampled_from((True, True, False)))
    def advance_to_landmark(self, n: int, landmark: tuple[str, timedelta], on_event: bool, scheduler: bool) -> None:
        """Land exactly on (or a second either side of) a meeting's or an event's deadline.

        Now and then the scheduler is late: people act past a deadline before `due` has run.
        """
        anchor, offset = landmark
        target = None
        if on_event and self.world.group_events:
            g = self.world.group_events[self.event_id(n)]
            target = (g.start if anchor == "start" else g.end) + offset
        else:
            timed = [m for _, m in sorted(self.world.meetings.items()) if m.start is not None and m.end is not None]
            if timed:
                m = timed[n % len(timed)]
                assert m.start is not None and m.end is not None
                target = (m.start if anchor == "start" else m.end) + offset
        self.now = target if target is not None and target > self.now else self.now + timedelta(seconds=1)
        if scheduler:
            self.run_due()

    @rule(n=PICK, hour=st.sampled_from((0, 0, 9, 23)))
    def advance_to_payout_day(self, n: int, hour: int) -> None:
        day = self.now.date() + timedelta(days=1)
        while day.day not in self.policy.payout_days:
            day += timedelta(days=1)
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        self.run_due()

    @rule(seconds=st.integers(min_value=1, max_value=400))
    def lag(self, seconds: int) -> None:
        """The clock moves but the scheduler has not run yet: people act on stale deadlines."""
        self.now += timedelta(seconds=seconds)

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def all_invariants(self) -> None:
        self.verify()

    def verify(self) -> None:
        self.ledger_is_sound()
        self.holds_match_payment_status()
        self.earnings_are_traceable()
        self.claims_add_up()
        self.promo_uses_add_up()
        self.whatever_is_due_can_be_decided()
        self.log_replays_to_the_world()

    def ledger_is_sound(self) -> None:
        ledger = self.world.ledger
        assert violations(ledger) == []
        balances: dict[str, int] = defaultdict(int)
        for a in ledger.accounts.values():
            known = a.id.startswith(("customer:", "expert:")) or a.id in (ESCROW, COMMISSION, PLATFORM, DEPOSITS, PAYOUTS)
            assert known, f"unexpected account {a.id}"
            kind = a.id.split(":")[0]
            balances[kind] += a.balance
            if a.id.startswith("customer:"):
                assert a.balance >= 0 and a.available >= 0, f"{a.id} is below zero"
        held = (balances["customer"] + balances["expert"] + balances[COMMISSION] + balances[PAYOUTS]
                + balances[ESCROW])
        assert held == -(balances[PLATFORM] + balances[DEPOSITS]), f"balances do not sum to zero: {dict(balances)}"
        assert balances[ESCROW] == 0
        assert sum(t.amount for t in ledger.transfers.values() if t.label is Label.GRANT) == -balances[DEPOSITS]

    def holds_match_payment_status(self) -> None:
        w = self.world
        ledger = w.ledger
        open_by_ref: dict[str, list[str]] = defaultdict(list)
        for t in ledger.transfers.values():
            if t.kind is TransferKind.PENDING and t.id not in ledger.resolved:
                open_by_ref[t.ref].append(t.id)
        expected: set[str] = set()
        for m in w.meetings.values():
            holds = open_by_ref.get(m.id, [])
            mine = sorted(dict.fromkeys(t for t in (m.hold, m.promo_hold) if t))  # a promo code's hold beside
            if m.payment is PaymentStatus.BLOCKED:
                assert sorted(holds) == mine, f"{m.id} is Blocked with open holds {holds}, hold fields {mine}"
                expected.update(mine)
            else:
                assert not holds, f"{m.id} has payment {m.payment.value} but open holds {holds}"
            if m.status in (MeetingStatus.SETTLED, MeetingStatus.CANCELLED, MeetingStatus.EXPIRED, MeetingStatus.REJECTED):
                assert not holds, f"{m.id} is {m.status.value} with open holds {holds}"
            if m.status in (MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.UNDER_REVIEW):
                assert m.payment is PaymentStatus.BLOCKED, f"{m.id} is {m.status.value} but payment {m.payment.value}"
            if m.status is MeetingStatus.AWAITING_APPROVAL and m.kind is not MeetingKind.SUGGESTED:
                assert m.payment is PaymentStatus.BLOCKED, f"{m.id} awaits approval without a hold"
            if holds:
                assert sum(ledger.transfers[h].amount for h in holds) == m.price, f"{m.id} holds a different amount than its price"
            assert 0 <= m.refunded <= m.charged - m.discount, f"{m.id} refunded {m.refunded} of {m.charged - m.discount}"
        for g in w.group_events.values():
            holds = open_by_ref.get(g.id, [])
            if g.status is GroupEventStatus.OPEN:
                active = sorted(r.hold for r in g.active() if r.hold)
                assert sorted(holds) == active, f"event {g.id}: open holds {holds}, registrations {active}"
                expected.update(active)
                assert len(g.active()) <= g.max_participants
            else:
                assert not holds, f"event {g.id} is {g.status.value} with open holds {holds}"
            for r in g.registrations:
                assert 0 <= r.refunded <= r.charged
        orphans = {tid for ids in open_by_ref.values() for tid in ids} - expected
        assert not orphans, f"holds nobody will ever resolve: {sorted(orphans)}"

    def earnings_are_traceable(self) -> None:
        """R32/R33: summaries sum to the ledger; each statement's lines explain its payout."""
        w = self.world
        paid_out: dict[str, int] = defaultdict(int)
        for p in w.payouts.values():
            paid_out[p.expert] += p.amount
            assert statement(w, p.id).opening == 0, f"payout {p.id} is not explained by its lines"
        net: dict[str, int] = defaultdict(int)
        commission = 0
        for (expert, _), s in w.months.items():
            net[expert] += s.net
            commission += s.commission
        for expert in EXPERTS:
            balance = w.ledger.account(earnings(expert)).balance
            assert net[expert] == balance + paid_out[expert], f"{expert}: summaries say {net[expert]}, ledger {balance} + {paid_out[expert]} paid"
            unpaid = sum(
                t.amount if t.credit == earnings(expert) else -t.amount
                for t in (w.ledger.transfers[tid] for tid in w.unpaid_of.get(expert, ()))
            )
            assert unpaid == balance, f"{expert}: transfers since the last payout sum to {unpaid}, balance {balance}"
        assert commission == w.ledger.account(COMMISSION).balance

    def claims_add_up(self) -> None:
        w = self.world
        refunded: dict[str, int] = defaultdict(int)
        for cl in w.claims.values():
            assert 0 <= cl.refunded <= cl.amount
            if cl.session in w.meetings:
                refunded[cl.session] += cl.refunded
        for mid, total in refunded.items():
            assert w.meetings[mid].refunded == total

    def promo_uses_add_up(self) -> None:
        """A use counts from the hold until it is voided with nothing charged; never above the code's limits."""
        w = self.world
        counted = Counter(m.promo.code for m in w.meetings.values() if m.promo is not None)
        by_customer = Counter((m.promo.code, m.customer) for m in w.meetings.values() if m.promo is not None)
        for code, promo in w.promos.items():
            assert w.promo_uses.get(code, 0) == counted[code], f"{code}: {w.promo_uses.get(code)} uses, {counted[code]} meetings"
            assert not promo.max_uses or counted[code] <= promo.max_uses
        for (code, customer), n in by_customer.items():
            assert w.promo_uses_by[(code, customer)] == n
            assert not w.promos[code].max_per_customer or n <= w.promos[code].max_per_customer

    def whatever_is_due_can_be_decided(self) -> None:
        for cmd in due(self.world, self.now, self.policy):
            try:
                decide(self.world, cmd, self.now, self.policy)
            except DomainError as err:  # pragma: no cover - a failure message
                raise AssertionError(f"due() offers {cmd}, which decide refuses: {err!r}") from err

    def log_replays_to_the_world(self) -> None:
        assert self.world.version == len(self.log)
        if len(self.log) % 4 == 0 or self.serial % 5 == 0:
            assert replay(self.log) == self.world, "a replay of the log differs from the world"

    def teardown(self) -> None:
        assert replay(self.log) == self.world, "a replay of the log differs from the world"
        assert self.world.copy() == self.world


EngineMachine.TestCase.settings = settings.get_profile(f"consoleapp-{PROFILE}")
TestEngineProperties = EngineMachine.TestCase


# --- the engine has no clock, no I/O ----------------------------------------------------------

ENGINE = Path(__file__).resolve().parents[2] / "consoleapp" / "engine"
FORBIDDEN_CALLS = {
    "datetime.now": re.compile(r"\bdatetime\.now\b|\butcnow\b|\bnow\(\)"),
    "time.time": re.compile(r"(?<![\w.])time\.(time|monotonic|perf_counter|localtime)\b"),
    "date.today": re.compile(r"\bdate\.today\b|\btoday\(\)"),
}
FORBIDDEN_IMPORTS = re.compile(r"^\s*(?:from|import)\s+(PySide6|httpx|socket|requests|urllib|asyncio|sqlalchemy|sqlite3)\b", re.M)


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_engine_module_never_reads_the_clock_or_the_network(path: Path) -> None:
    """docs/ARCHITECTURE.md §1: `now` is always passed in; the engine imports no Qt and no network."""
    source = path.read_text(encoding="utf-8")
    for call, pattern in FORBIDDEN_CALLS.items():
        assert not pattern.search(source), f"{path.name} calls {call}"
    found = FORBIDDEN_IMPORTS.search(source)
    assert found is None, f"{path.name} imports {found.group(1) if found else ''}"


def test_engine_modules_were_found() -> None:
    assert len(list(ENGINE.glob("*.py"))) >= 10


# --- regressions the state machine found ---------------------------------------------------


def test_r14_r17_a_session_started_early_cannot_be_cancelled() -> None:
    """The expert may start 15 min early; cancelling then used to leave a running session that
    later folded the Cancelled meeting back to Held, with no credits behind it."""
    from tests.engine.scenario import Scenario

    s = Scenario()
    s.expert("anna")
    s.customer("carl")
    start = s.now + timedelta(hours=3)
    s.do(c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO, offer=OfferKind.LONG,
                            topic="plan", times=(start,)))
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=start))
    s.now = start - timedelta(minutes=10)
    s.do(c.StartSession(actor="anna", meeting_id="m1"))
    for who in ("anna", "carl"):
        with pytest.raises(DomainError) as refused:
            s.do(c.CancelMeeting(actor=who, meeting_id="m1", reason="changed my mind", accept_fee=27))
        assert "session has already started" in refused.value.message


def test_r28_settling_an_event_below_its_minimum_is_refused() -> None:
    """A SettleGroupEvent arriving after the end, before the scheduler cancelled the
    under-subscribed event, used to settle (and charge) it."""
    from tests.engine.scenario import Scenario

    s = Scenario()
    s.expert("anna")
    s.customer("carl")
    start = s.now + timedelta(days=3)
    s.do(c.CreateGroupEvent(actor="anna", event_id="g1", title="Clinic", start=start, end=start + H, price=20,
                            min_participants=2, max_participants=5))
    s.do(c.Register(actor="carl", event_id="g1"))
    s.now = start
    s.do(c.JoinGroupEvent(actor="anna", event_id="g1"))
    s.now = start + 2 * H  # the scheduler has not run yet
    with pytest.raises(DomainError):
        s.do(c.SettleGroupEvent(actor=SYSTEM, event_id="g1"))
    s.run_due()
    assert s.world.group_events["g1"].status is GroupEventStatus.CANCELLED
    assert s.wallet("carl").available == 1000
