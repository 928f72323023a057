"""R28: group events: fixed price, min/max participants, holds, the expert's presence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.changes import registration_terms
from consoleapp.engine.model import GroupEvent, GroupEventStatus

from .scenario import Scenario

PRICE = 30  # expert 27, commission 3 per registration
START_IN = timedelta(days=5)


def setup(customers: int = 3, *, min_participants: int = 2, max_participants: int = 10,
          price: int = PRICE) -> tuple[Scenario, list[str]]:
    s = Scenario()
    s.expert(now_slot=False)
    people = [s.customer(f"c{i}", credits=100) for i in range(customers)]
    start = s.now + START_IN
    s.do(c.CreateGroupEvent(actor="anna", event_id="ev", title="Intro to tax law", start=start,
                            end=start + timedelta(hours=1), price=price, min_participants=min_participants,
                            max_participants=max_participants))
    return s, people


def event(s: Scenario) -> GroupEvent:
    return s.world.group_events["ev"]


def register_all(s: Scenario, people: list[str]) -> None:
    for who in people:
        s.do(c.Register(actor=who, event_id="ev"))


def assert_untouched(s: Scenario, people: list[str]) -> None:
    for who in people:
        w = s.wallet(who)
        assert (w.balance, w.available) == (100, 100), who
    assert (s.earnings("anna"), s.commission()) == (0, 0)


# --- creation ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lo", "hi"), [(1, 1), (2, 49), (49, 49)])
def test_r28_min_and_max_participants_accepted(lo: int, hi: int) -> None:
    s, _ = setup(0, min_participants=lo, max_participants=hi)
    g = event(s)
    assert (g.min_participants, g.max_participants, g.price) == (lo, hi, PRICE)


@pytest.mark.parametrize(("lo", "hi"), [(1, 50), (0, 10), (5, 4), (1, 0)])
def test_r28_max_above_49_or_min_out_of_range_refused(lo: int, hi: int) -> None:
    with pytest.raises(DomainError) as err:
        setup(0, min_participants=lo, max_participants=hi)
    assert err.value.code == "invalid"


def test_r28_only_experts_create_events_and_not_in_the_past() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    with pytest.raises(DomainError) as err:
        s.do(c.CreateGroupEvent(actor="carl", event_id="x", title="t", start=s.now + START_IN,
                                end=s.now + START_IN + timedelta(hours=1), price=10, min_participants=1,
                                max_participants=5))
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError) as err:
        s.do(c.CreateGroupEvent(actor="anna", event_id="x", title="t", start=s.now - timedelta(hours=1),
                                end=s.now + timedelta(hours=1), price=10, min_participants=1, max_participants=5))
    assert err.value.code == "too_late"


# --- registration --------------------------------------------------------------------------


def test_r28_each_registration_holds_the_price() -> None:
    s, people = setup()
    register_all(s, people)
    for who in people:
        w = s.wallet(who)
        assert (w.balance, w.available) == (100, 100 - PRICE)
    assert s.world.ledger.account("escrow").credits_pending == 3 * PRICE
    assert len(event(s).active()) == 3
    assert s.notices("anna").count("new_request") == 3
    with pytest.raises(DomainError) as err:
        s.do(c.Register(actor="c0", event_id="ev"))
    assert err.value.code == "already_exists"


def test_r28_full_event_refused() -> None:
    s, people = setup(3, min_participants=1, max_participants=2)
    register_all(s, people[:2])
    with pytest.raises(DomainError) as err:
        s.do(c.Register(actor="c2", event_id="ev"))
    assert err.value.code == "full"
    assert s.wallet("c2").available == 100
    # a place freed by a cancellation can be taken
    s.do(c.CancelRegistration(actor="c0", event_id="ev"))
    s.do(c.Register(actor="c2", event_id="ev"))
    assert [r.customer for r in event(s).active()] == ["c1", "c2"]


def test_r28_registration_needs_the_credits() -> None:
    s, _ = setup(0)
    s.customer("poor", credits=PRICE - 1)
    with pytest.raises(DomainError) as err:
        s.do(c.Register(actor="poor", event_id="ev"))
    assert err.value.code == "insufficient_credits"
    assert event(s).active() == ()


# --- presence decides ----------------------------------------------------------------------


@pytest.mark.parametrize(("present", "charged"), [
    (timedelta(0), False),
    (timedelta(minutes=4, seconds=59), False),
    (timedelta(minutes=5), True),
    (timedelta(minutes=60), True),
])
def test_r28_presence_under_5_minutes_voids_every_hold_else_all_pay(present: timedelta, charged: bool) -> None:
    s, people = setup()
    register_all(s, people)
    g = event(s)
    if present:
        s.now = g.start
        s.run_due()
        s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
        s.now = g.start + present
        s.do(c.LeaveGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end
    s.run_due()
    g = event(s)
    assert g.status is GroupEventStatus.SETTLED
    settled = [ev for ev in s.log if isinstance(ev, e.GroupEventSettled)]
    assert len(settled) == 1 and settled[0].charged is charged
    assert settled[0].presence_seconds == int(present.total_seconds())
    if not charged:
        assert_untouched(s, people)
        return
    for who in people:
        w = s.wallet(who)
        assert (w.balance, w.available) == (100 - PRICE, 100 - PRICE)
    assert (s.earnings("anna"), s.commission()) == (3 * 27, 3 * 3)
    month = s.world.months[("anna", "2026-03")]
    assert (month.sessions, month.seconds, month.gross, month.commission, month.net) == (1, 3600, 90, 9, 81)


def test_r28_presence_in_several_stretches_adds_up() -> None:
    s, people = setup()
    register_all(s, people)
    g = event(s)
    s.now = g.start
    for _ in range(2):  # 2 x 2.5 minutes = 5 minutes
        s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
        s.advance(seconds=150)
        s.do(c.LeaveGroupEvent(actor="anna", event_id="ev"))
        s.advance(minutes=10)
    s.now = g.end
    s.run_due()
    assert event(s).registrations[0].charged == PRICE
    assert s.earnings("anna") == 81


def test_r28_presence_before_the_start_does_not_count() -> None:
    s, people = setup()
    register_all(s, people)
    g = event(s)
    s.now = g.start - timedelta(minutes=10)
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.start + timedelta(minutes=2)
    s.do(c.LeaveGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end
    s.run_due()
    assert_untouched(s, people)


def test_r28_expert_still_present_at_the_end_counts_to_the_end() -> None:
    s, people = setup()
    register_all(s, people)
    g = event(s)
    s.now = g.end - timedelta(minutes=6)
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end + timedelta(hours=3)  # the scheduler notices late
    s.run_due()
    settled = [ev for ev in s.log if isinstance(ev, e.GroupEventSettled)]
    assert settled[0].presence_seconds == 6 * 60
    assert s.earnings("anna") == 81


# --- cancellations -------------------------------------------------------------------------


def test_r28_too_few_participants_at_start_cancelled_via_due() -> None:
    s, people = setup(3, min_participants=3)
    register_all(s, people[:2])
    g = event(s)
    s.now = g.start - timedelta(seconds=1)
    s.run_due()
    assert event(s).status is GroupEventStatus.OPEN
    s.now = g.start
    s.run_due()
    assert event(s).status is GroupEventStatus.CANCELLED
    assert_untouched(s, people)
    assert "cancellation" in s.notices("c0") and "cancellation" in s.notices("c1")
    s.now = g.end
    s.run_due()
    assert not [ev for ev in s.log if isinstance(ev, e.GroupEventSettled)]


def test_r28_too_few_participants_cancelled_even_when_the_clock_jumps_past_the_end() -> None:
    """A scheduler that wakes up after the end must still cancel, not charge, an under-filled event."""
    s, people = setup(3, min_participants=3)
    register_all(s, people[:2])
    g = event(s)
    s.now = g.start
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end + timedelta(hours=1)
    s.run_due()
    assert event(s).status is GroupEventStatus.CANCELLED
    assert_untouched(s, people)


def test_r28_enough_participants_at_start_not_cancelled() -> None:
    s, people = setup(3, min_participants=3)
    register_all(s, people)
    s.now = event(s).start
    s.run_due()
    assert event(s).status is GroupEventStatus.OPEN
    assert s.wallet("c0").available == 100 - PRICE


def test_r28_expert_cancels_every_hold_voided() -> None:
    s, people = setup()
    register_all(s, people)
    s.now = event(s).start - timedelta(hours=1)
    with pytest.raises(DomainError):
        s.do(c.CancelGroupEvent(actor="c0", event_id="ev", reason="I want to"))
    s.do(c.CancelGroupEvent(actor="anna", event_id="ev", reason="I am ill"))
    assert event(s).status is GroupEventStatus.CANCELLED
    assert_untouched(s, people)
    assert all("cancellation" in s.notices(who) for who in people)
    with pytest.raises(DomainError) as err:
        s.do(c.Register(actor="c0", event_id="ev"))
    assert err.value.code == "wrong_state"


def test_r28_registration_cancel_48h_or_more_before_is_free() -> None:
    s, people = setup()
    register_all(s, people)
    s.now = event(s).start - timedelta(hours=48)
    s.do(c.CancelRegistration(actor="c0", event_id="ev"))
    w = s.wallet("c0")
    assert (w.balance, w.available) == (100, 100)
    assert (s.earnings("anna"), s.commission()) == (0, 0)
    assert [r.customer for r in event(s).active()] == ["c1", "c2"]


def test_r28_registration_cancel_within_48h_costs_half_after_confirming_the_fee() -> None:
    s, people = setup()
    register_all(s, people)
    s.now = event(s).start - timedelta(hours=47)
    with pytest.raises(DomainError) as err:
        s.do(c.CancelRegistration(actor="c0", event_id="ev"))
    assert err.value.code == "fee_not_confirmed" and "15 credits" in err.value.message
    s.do(c.CancelRegistration(actor="c0", event_id="ev", accept_fee=15))
    w = s.wallet("c0")
    assert (w.balance, w.available) == (85, 85)
    assert (s.earnings("anna"), s.commission()) == (14, 1)  # 15 - 10 % rounded down
    # the cancelled registration is never charged again when the event settles
    g = event(s)
    s.now = g.start
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end
    s.run_due()
    assert s.wallet("c0").balance == 85
    assert (s.earnings("anna"), s.commission()) == (14 + 2 * 27, 1 + 2 * 3)


@pytest.mark.parametrize(("before", "late"), [(timedelta(hours=48), False), (timedelta(hours=47), True)])
def test_r13_r28_registration_terms_are_what_cancelling_then_charges(before: timedelta, late: bool) -> None:
    s, people = setup()
    register_all(s, people)
    s.now = event(s).start - before
    terms = registration_terms(s.world, "ev", "c0", s.now, s.policy)
    fee = 15 if late else 0
    assert (terms.late, terms.fee, terms.returned, terms.expert_share, terms.commission) == (
        late, fee, PRICE - fee, 14 if late else 0, 1 if late else 0)
    assert terms.deadline == event(s).start - timedelta(hours=48)
    s.do(c.CancelRegistration(actor="c0", event_id="ev", accept_fee=terms.fee or None))
    assert s.wallet("c0").balance == 100 - terms.fee and (s.earnings("anna"), s.commission()) == (
        terms.expert_share, terms.commission)
    with pytest.raises(DomainError) as err:  # cancelled: nothing left to cancel
        registration_terms(s.world, "ev", "c0", s.now, s.policy)
    assert err.value.code == "not_found"


def test_r28_r18_a_registered_customer_joining_is_recorded_once_and_decides_no_charge() -> None:
    s, people = setup()
    register_all(s, people[:2])
    g = event(s)
    with pytest.raises(DomainError) as err:
        s.do(c.JoinGroupEvent(actor="c2", event_id="ev"))  # not registered
    assert err.value.code == "not_found"
    with pytest.raises(DomainError) as err:
        s.do(c.JoinGroupEvent(actor="c0", event_id="ev"))
    assert err.value.code == "too_early" and "opens at" in err.value.message
    s.now = g.start - timedelta(minutes=15)
    [joined] = s.do(c.JoinGroupEvent(actor="c0", event_id="ev"))
    assert isinstance(joined, e.ParticipantJoined) and joined.describe() == "User joined the event"
    assert s.do(c.JoinGroupEvent(actor="c0", event_id="ev")) == []  # once
    assert [r.joined_at for r in event(s).registrations] == [s.now, None]
    assert event(s).present_since is None  # a participant is not the expert's presence
    s.now = g.end
    s.run_due()
    assert_untouched(s, people)  # the expert never came (R28): joining charges nobody


def test_r28_registration_cancel_after_start_refused() -> None:
    s, people = setup()
    register_all(s, people)
    s.now = event(s).start
    s.run_due()
    with pytest.raises(DomainError) as err:
        s.do(c.CancelRegistration(actor="c0", event_id="ev", accept_fee=15))
    assert err.value.code == "too_late"
    with pytest.raises(DomainError) as err:
        s.do(c.Register(actor="c0", event_id="ev"))
    assert err.value.code in ("too_late", "already_exists")


def test_r28_free_event_has_no_holds() -> None:
    s, people = setup(price=0)
    register_all(s, people)
    assert all(r.hold == "" for r in event(s).registrations)
    g = event(s)
    s.now = g.start
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end
    s.run_due()
    assert event(s).status is GroupEventStatus.SETTLED
    assert_untouched(s, people)


def test_r32_r28_event_month_summary_folds_the_same_from_the_experts_own_events() -> None:
    """Found by the simulation (seed 106): an expert's desktop cache holds only the events that
    concern the expert, and the commission legs (escrow -> platform) are not among them. The
    month summary of a late registration fee and of a settled event took its commission from
    those legs, so the cache showed commission 0 and a net too high. Folded from the expert's
    own events, the summary must equal the server's."""
    from consoleapp.engine import World, evolve
    from consoleapp.sync.server.audience import audience

    s, people = setup()
    register_all(s, people)
    s.now = event(s).start - timedelta(hours=47)
    s.do(c.CancelRegistration(actor="c0", event_id="ev", accept_fee=15))
    g = event(s)
    s.now = g.start
    s.do(c.JoinGroupEvent(actor="anna", event_id="ev"))
    s.now = g.end
    s.run_due()
    full, mine = World(), World()
    for ev in s.log:
        evolve(full, ev)
        if "anna" in audience(full, ev):
            evolve(mine, ev)
    month = full.months[("anna", "2026-03")]
    assert (month.gross, month.commission, month.net) == (15 + 2 * PRICE, 1 + 2 * 3, 14 + 2 * 27)
    assert mine.months == full.months
