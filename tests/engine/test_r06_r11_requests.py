"""R6-R11: instant requests, scheduled requests, slot bookings, expert suggestions, overlaps, credits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consoleapp.engine import commands as c
from consoleapp.engine.availability import busy_times, free_times, holds_time
from consoleapp.engine.errors import when
from consoleapp.engine.events import MeetingAgreed, VideoMeetingCreated
from consoleapp.engine.model import DeclineReason, MeetingStatus, Mode, OfferKind, PaymentStatus

from .scenario import T0, Scenario

DAY3 = T0 + timedelta(days=3)


def refused(s: Scenario, command: c.Command, code: str) -> str:
    return s.refused(command, code)


def instant(mid: str = "m1", offer: OfferKind = OfferKind.SHORT, budget: int = 0, customer: str = "carl") -> c.RequestInstant:
    return c.RequestInstant(actor=customer, meeting_id=mid, expert="anna", mode=Mode.VIDEO, offer=offer,
                            topic="help with my taxes", max_budget=budget)


def scheduled(mid: str = "m1", *times, customer: str = "carl", expert: str = "anna") -> c.RequestScheduled:
    return c.RequestScheduled(actor=customer, meeting_id=mid, expert=expert, mode=Mode.VIDEO,
                              offer=OfferKind.LONG, topic="contract review", times=tuple(times) or (DAY3,))


def world(**expert) -> Scenario:
    s = Scenario()
    s.expert("anna", **expert)
    s.customer("carl", credits=1000)
    return s


# --- R6 instant request --------------------------------------------------------------------


def test_r06_instant_request_holds_credits_at_once():
    s = world(short=20)
    s.do(instant())
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.AWAITING_APPROVAL
    assert m.payment is PaymentStatus.BLOCKED
    assert m.expires_at == T0 + timedelta(seconds=90)
    assert (s.wallet("carl").available, s.wallet("carl").balance) == (980, 1000)
    assert "new_request" in s.notices("anna")


def test_r06_per_minute_instant_holds_the_max_budget():
    s = world(per_minute=3)
    s.do(instant(offer=OfferKind.PER_MINUTE, budget=100))
    m = s.world.meetings["m1"]
    assert (m.price, m.rate, m.minutes) == (100, 3, 33)
    assert s.wallet("carl").available == 900


def test_r06_per_minute_instant_needs_a_budget():
    s = world(per_minute=3)
    refused(s, instant(offer=OfferKind.PER_MINUTE), "invalid")
    refused(s, instant(offer=OfferKind.PER_MINUTE, budget=2), "invalid")


def test_r06_accept_starts_a_live_session():
    s = world(short=20)
    s.do(instant())
    s.advance(seconds=30)
    s.do(c.AcceptInstant(actor="anna", meeting_id="m1"))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.AGREED
    assert m.live is not None and m.live.allotted_seconds == 15 * 60
    assert (m.start, m.end) == (s.now, s.now + timedelta(minutes=15))
    assert "Session started" in s.titles("m1")
    assert "accepted" in s.notices("carl")


def test_r06_decline_with_reason_voids_the_hold():
    s = world(short=20)
    s.do(instant())
    s.do(c.DeclineRequest(actor="anna", meeting_id="m1", reason=DeclineReason.OUTSIDE_EXPERTISE))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.REJECTED
    assert m.payment is PaymentStatus.RETURNED
    assert s.wallet("carl").available == 1000
    assert "Rejected by expert (outside my expertise)" in s.titles("m1")
    assert "declined" in s.notices("carl")


def test_r06_unanswered_request_expires_after_90_seconds_via_due():
    s = world(short=20)
    s.do(instant())
    s.wait(seconds=89)
    assert s.world.meetings["m1"].status is MeetingStatus.AWAITING_APPROVAL
    s.wait(seconds=1)
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.EXPIRED
    assert m.payment is PaymentStatus.RETURNED
    assert s.wallet("carl").available == 1000
    assert "Request expired unanswered" in s.titles("m1")
    assert "expired" in s.notices("carl")


def test_r06_accept_after_expiry_refused():
    s = world(short=20)
    s.do(instant())
    s.advance(seconds=90)  # due() not run yet: the deadline alone refuses
    msg = refused(s, c.AcceptInstant(actor="anna", meeting_id="m1"), "too_late")
    assert "expired" in msg
    s.run_due()
    refused(s, c.AcceptInstant(actor="anna", meeting_id="m1"), "wrong_state")


def test_r06_expire_before_timeout_refused():
    s = world(short=20)
    s.do(instant())
    s.advance(seconds=60)
    refused(s, c.ExpireRequest(actor="system", meeting_id="m1"), "invalid")


def test_r06_not_available_without_a_slot_covering_now():
    s = world(short=20, now_slot=False)
    msg = refused(s, instant(), "unavailable")
    assert "not available" in msg
    s.do(c.AddSlot(actor="anna", slot_id="later", start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=4)))
    refused(s, instant(), "unavailable")
    s.advance(hours=2)
    s.do(instant())


def test_r06_only_the_expert_answers():
    s = world(short=20)
    s.customer("dora")
    s.do(instant())
    refused(s, c.AcceptInstant(actor="carl", meeting_id="m1"), "forbidden")
    refused(s, c.AcceptInstant(actor="dora", meeting_id="m1"), "not_found")  # R1: a stranger hears what an unknown id gets


# --- R7 scheduled request ---------------------------------------------------------------------


def test_r07_scheduled_request_with_three_times_holds_credits():
    s = world(long=50)
    times = (DAY3, DAY3 + timedelta(hours=2), DAY3 + timedelta(days=1))
    s.do(scheduled("m1", *times))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.AWAITING_APPROVAL
    assert m.proposed == times
    assert s.wallet("carl").available == 950
    assert "Meeting requested by user" in s.titles("m1")


@pytest.mark.parametrize("count", [0, 4])
def test_r07_zero_or_four_times_refused(count):
    s = world()
    times = tuple(DAY3 + timedelta(hours=h) for h in range(count))
    cmd = c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                             offer=OfferKind.LONG, topic="t", times=times)
    msg = refused(s, cmd, "invalid")
    assert "one to three times" in msg


def test_r07_past_time_refused():
    s = world()
    refused(s, scheduled("m1", T0 - timedelta(hours=1)), "too_late")


def test_r07_expert_picks_one_time_agreed():
    s = world(long=50)
    s.do(scheduled("m1", DAY3, DAY3 + timedelta(hours=2)))
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=DAY3 + timedelta(hours=2)))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.AGREED
    assert (m.start, m.end) == (DAY3 + timedelta(hours=2), DAY3 + timedelta(hours=2, minutes=30))
    assert m.payment is PaymentStatus.BLOCKED
    assert "Approved by expert" in s.titles("m1")
    assert "confirmed" in s.notices("carl")


def test_r07_picking_a_time_not_proposed_refused():
    s = world()
    s.do(scheduled("m1", DAY3))
    refused(s, c.PickTime(actor="anna", meeting_id="m1", start=DAY3 + timedelta(hours=1)), "invalid")


def test_r07_decline_with_reason_from_the_list():
    s = world(long=50)
    s.do(scheduled("m1"))
    s.do(c.DeclineRequest(actor="anna", meeting_id="m1", reason=DeclineReason.NOT_AVAILABLE))
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.REJECTED, PaymentStatus.RETURNED)
    assert s.wallet("carl").available == 1000
    assert "Rejected by expert (not available at that time)" in s.titles("m1")


def test_r07_expert_proposes_another_time_customer_approves():
    s = world(long=50)
    s.do(scheduled("m1", DAY3))
    other = DAY3 + timedelta(hours=5)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=other))
    assert s.world.meetings["m1"].status is MeetingStatus.AWAITING_APPROVAL
    assert "Alternative date proposed by expert" in s.titles("m1")
    s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    m = s.world.meetings["m1"]
    assert (m.status, m.start, m.payment) == (MeetingStatus.AGREED, other, PaymentStatus.BLOCKED)
    assert m.video_active
    assert s.wallet("carl").available == 950  # the one original hold, not two


def test_r07_unanswered_scheduled_request_expires_at_its_last_time():
    s = world(long=50)
    s.do(scheduled("m1", DAY3, DAY3 + timedelta(hours=4)))
    s.wait(days=3, hours=3)
    assert s.world.meetings["m1"].status is MeetingStatus.AWAITING_APPROVAL
    s.wait(hours=1)
    assert s.world.meetings["m1"].status is MeetingStatus.EXPIRED
    assert s.wallet("carl").available == 1000


# --- R8 booking a slot ---------------------------------------------------------------------------


def slotted(**expert) -> Scenario:
    s = world(now_slot=False, **expert)
    s.do(c.AddSlot(actor="anna", slot_id="s1", start=DAY3, end=DAY3 + timedelta(hours=2)))
    return s


def book(mid: str, at, customer: str = "carl", offer: OfferKind = OfferKind.LONG) -> c.BookSlot:
    return c.BookSlot(actor=customer, meeting_id=mid, slot_id="s1", mode=Mode.VIDEO, offer=offer, start=at, topic="t")


def test_r08_booking_holds_credits_awaiting_approval():
    s = slotted(long=50)
    s.do(book("m1", DAY3 + timedelta(minutes=30)))
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.AWAITING_APPROVAL, PaymentStatus.BLOCKED)
    assert (m.start, m.end) == (DAY3 + timedelta(minutes=30), DAY3 + timedelta(hours=1))
    assert s.wallet("carl").available == 950
    assert "Slot booked by user" in s.titles("m1")
    assert "new_request" in s.notices("anna")


def test_r08_expert_approves_agreed():
    s = slotted(long=50)
    s.do(book("m1", DAY3))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.AGREED, PaymentStatus.BLOCKED)
    assert m.video_active


def test_r08_expert_rejects_hold_voided():
    s = slotted(long=50)
    s.do(book("m1", DAY3))
    s.do(c.DeclineRequest(actor="anna", meeting_id="m1", reason=DeclineReason.PERSONAL))
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.REJECTED, PaymentStatus.RETURNED)
    assert s.wallet("carl").available == 1000


def test_r08_booking_outside_the_slot_refused():
    s = slotted(long=50)
    msg = refused(s, book("m1", DAY3 + timedelta(hours=1, minutes=45)), "invalid")
    assert "fit in the slot" in msg
    refused(s, book("m2", DAY3 - timedelta(minutes=15)), "invalid")


def test_r08_booking_a_taken_time_refused():
    s = slotted(long=50)
    s.customer("dora")
    s.do(book("m1", DAY3))
    msg = refused(s, book("m2", DAY3 + timedelta(minutes=15), customer="dora"), "slot_taken")
    assert "already booked" in msg
    s.do(book("m3", DAY3 + timedelta(minutes=30), customer="dora"))  # right after is free


def test_r08_rejected_booking_frees_the_time():
    s = slotted(long=50)
    s.customer("dora")
    s.do(book("m1", DAY3))
    s.do(c.DeclineRequest(actor="anna", meeting_id="m1", reason=DeclineReason.PERSONAL))
    s.do(book("m2", DAY3, customer="dora"))


def free(s: Scenario, expert: str = "anna") -> list[tuple]:
    return [(f.slot.id, f.free) for f in free_times(s.world, expert, s.now)]


def test_r07_r08_picked_scheduled_time_is_refused_for_a_slot_booking_and_absent_from_free_times():
    s = slotted(long=50)
    s.customer("dora")
    at = DAY3 + timedelta(minutes=30)
    s.do(scheduled("m1", at))
    assert free(s) == [("s1", ((DAY3, DAY3 + timedelta(hours=2)),))]  # proposed, not agreed: nothing taken yet
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=at))
    assert holds_time(s.world.meetings["m1"])
    assert busy_times(s.world, "anna") == [(at, at + timedelta(minutes=30))]
    assert free(s) == [("s1", ((DAY3, at), (at + timedelta(minutes=30), DAY3 + timedelta(hours=2))))]
    msg = refused(s, book("m2", DAY3 + timedelta(minutes=45), customer="dora"), "slot_taken")
    assert f"{when(at)} - {when(at + timedelta(minutes=30))}" in msg and "choose another" in msg
    refused(s, book("m2", DAY3 + timedelta(minutes=15), customer="dora"), "slot_taken")  # overlapping its start
    s.do(book("m2", DAY3 + timedelta(hours=1), customer="dora"))  # right after it is free
    assert free(s) == [("s1", ((DAY3, at), (DAY3 + timedelta(hours=1, minutes=30), DAY3 + timedelta(hours=2))))]


def test_r09_suggestion_awaiting_the_customer_holds_the_experts_time_until_rejected():
    s = slotted(long=50)
    s.customer("dora")
    suggest(s, at=DAY3)
    assert holds_time(s.world.meetings["m1"]) and s.world.meetings["m1"].status is MeetingStatus.AWAITING_APPROVAL
    assert free(s) == [("s1", ((DAY3 + timedelta(minutes=30), DAY3 + timedelta(hours=2)),))]
    msg = refused(s, book("m2", DAY3 + timedelta(minutes=15), customer="dora"), "slot_taken")
    assert when(DAY3) in msg
    s.do(c.RejectSuggestion(actor="carl", meeting_id="m1", reason=DeclineReason.PERSONAL))
    assert not holds_time(s.world.meetings["m1"])
    assert free(s) == [("s1", ((DAY3, DAY3 + timedelta(hours=2)),))]
    s.do(book("m2", DAY3 + timedelta(minutes=15), customer="dora"))


def test_r04_r06_free_times_start_now_and_skip_accepted_instant_sessions():
    s = world(short=20)  # a 3 h "Now" slot from T0
    s.do(instant())
    assert free(s)[0][1] == ((T0, T0 + timedelta(hours=3)),)  # an unanswered instant request has no time yet
    s.advance(minutes=1)
    s.do(c.AcceptInstant(actor="anna", meeting_id="m1"))
    assert free(s)[0][1] == ((s.now + timedelta(minutes=15), T0 + timedelta(hours=3)),)
    s.advance(hours=3)
    assert free(s) == []  # a slot in the past is no free time


def test_r08_booking_in_the_past_refused():
    s = slotted(long=50)
    s.advance(days=3, minutes=10)
    refused(s, book("m1", DAY3), "too_late")


# --- R9 expert-suggested meeting ----------------------------------------------------------------


def suggest(s: Scenario, mid: str = "m1", at=DAY3) -> None:
    s.do(c.SuggestMeeting(actor="anna", meeting_id=mid, customer="carl", mode=Mode.VIDEO,
                          offer=OfferKind.LONG, start=at, topic="follow-up"))


def test_r09_suggestion_awaits_the_customer_without_a_hold():
    s = world(long=50)
    suggest(s)
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.AWAITING_APPROVAL, PaymentStatus.NONE)
    assert s.wallet("carl").available == 1000
    assert "suggestion" in s.notices("carl")


def test_r09_customer_confirms_hold_agreed_video_created():
    s = world(long=50)
    suggest(s)
    events = s.do(c.ConfirmSuggestion(actor="carl", meeting_id="m1"))
    m = s.world.meetings["m1"]
    assert (m.status, m.payment) == (MeetingStatus.AGREED, PaymentStatus.BLOCKED)
    assert s.wallet("carl").available == 950
    assert m.video_active and m.video_revision == 1
    assert any(isinstance(ev, VideoMeetingCreated) for ev in events)
    assert "Approved by user" in s.titles("m1")
    assert "confirmed" in s.notices("anna")


def test_r09_customer_rejects_with_reason():
    s = world(long=50)
    suggest(s)
    s.do(c.RejectSuggestion(actor="carl", meeting_id="m1", reason=DeclineReason.PRICE_OR_BUDGET))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.REJECTED
    assert s.wallet("carl").available == 1000
    assert "Rejected by user (budget too low)" in s.titles("m1")
    assert "declined" in s.notices("anna")


def test_r09_expert_cannot_confirm_own_suggestion():
    s = world(long=50)
    suggest(s)
    refused(s, c.ConfirmSuggestion(actor="anna", meeting_id="m1"), "forbidden")
    refused(s, c.ApproveBooking(actor="anna", meeting_id="m1"), "invalid")


def test_r09_confirm_after_start_refused():
    s = world(long=50)
    suggest(s, at=T0 + timedelta(hours=1))
    s.advance(hours=1)
    refused(s, c.ConfirmSuggestion(actor="carl", meeting_id="m1"), "wrong_state")


# --- R10 overlap is a warning, not a refusal ------------------------------------------------------


def test_r10_expert_overlap_warns_but_agrees():
    s = world(long=50)
    s.customer("dora")
    s.do(scheduled("m1", DAY3))
    s.do(scheduled("m2", DAY3 + timedelta(minutes=15), customer="dora"))
    first = s.do(c.PickTime(actor="anna", meeting_id="m1", start=DAY3))
    second = s.do(c.PickTime(actor="anna", meeting_id="m2", start=DAY3 + timedelta(minutes=15)))
    agreed = [ev for ev in first + second if isinstance(ev, MeetingAgreed)]
    assert [ev.overlaps for ev in agreed] == [(), ("m1",)]
    assert s.world.meetings["m2"].status is MeetingStatus.AGREED


def test_r10_customer_overlap_with_another_expert_warns():
    s = world(long=50)
    s.expert("bert", long=40, now_slot=False)
    s.do(scheduled("m1", DAY3))
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=DAY3))
    s.do(c.SuggestMeeting(actor="bert", meeting_id="m2", customer="carl", mode=Mode.VIDEO,
                          offer=OfferKind.LONG, start=DAY3 + timedelta(minutes=29), topic="t"))
    events = s.do(c.ConfirmSuggestion(actor="carl", meeting_id="m2"))
    agreed = next(ev for ev in events if isinstance(ev, MeetingAgreed))
    assert agreed.overlaps == ("m1",)


def test_r10_back_to_back_meetings_do_not_overlap():
    s = world(long=50)
    s.customer("dora")
    s.do(scheduled("m1", DAY3))
    s.do(scheduled("m2", DAY3 + timedelta(minutes=30), customer="dora"))
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=DAY3))
    events = s.do(c.PickTime(actor="anna", meeting_id="m2", start=DAY3 + timedelta(minutes=30)))
    assert next(ev for ev in events if isinstance(ev, MeetingAgreed)).overlaps == ()


# --- R11 not enough credits -----------------------------------------------------------------------


def test_r11_not_enough_credits_refused_and_nothing_changes():
    s = Scenario()
    s.expert("anna", long=60)
    s.customer("carl", credits=40)
    log_before = list(s.log)
    msg = refused(s, scheduled("m1"), "insufficient_credits")
    assert msg == "not enough credits: 40 available, 60 needed"
    assert s.log == log_before
    assert "m1" not in s.world.meetings
    assert (s.wallet("carl").balance, s.wallet("carl").available) == (40, 40)


def test_r11_holds_count_against_available_credits():
    s = Scenario()
    s.expert("anna", long=60)
    s.customer("carl", credits=100)
    s.do(scheduled("m1"))
    msg = refused(s, scheduled("m2", DAY3 + timedelta(hours=2)), "insufficient_credits")
    assert msg == "not enough credits: 40 available, 60 needed"


@pytest.mark.parametrize("how", ["instant", "book", "confirm"])
def test_r11_every_way_of_booking_checks_credits(how):
    s = Scenario()
    s.expert("anna", short=30, long=60)
    s.customer("carl", credits=25)
    s.do(c.AddSlot(actor="anna", slot_id="s1", start=DAY3, end=DAY3 + timedelta(hours=2)))
    if how == "instant":
        cmd: c.Command = instant(offer=OfferKind.SHORT)
    elif how == "book":
        cmd = book("m1", DAY3, offer=OfferKind.SHORT)
    else:
        s.do(c.SuggestMeeting(actor="anna", meeting_id="m1", customer="carl", mode=Mode.VIDEO,
                              offer=OfferKind.SHORT, start=DAY3, topic="t"))
        cmd = c.ConfirmSuggestion(actor="carl", meeting_id="m1")
    msg = refused(s, cmd, "insufficient_credits")
    assert msg == "not enough credits: 25 available, 30 needed"
    assert s.wallet("carl").available == 25


def test_r11_exact_balance_is_enough():
    s = Scenario()
    s.expert("anna", long=60)
    s.customer("carl", credits=60)
    s.do(scheduled("m1"))
    assert s.wallet("carl").available == 0


def test_r07_expert_alternative_keeps_the_request_open_past_the_proposed_times():
    """Proposing another time answers the request: it must not lapse as unanswered meanwhile."""
    s = world(long=50)
    s.do(scheduled("m1", T0 + timedelta(days=1)))
    other = T0 + timedelta(days=3)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=other))
    s.wait(days=2)
    m = s.world.meetings["m1"]
    assert (m.status, m.alternative is not None) == (MeetingStatus.AWAITING_APPROVAL, True)
    s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    assert (s.world.meetings["m1"].status, s.world.meetings["m1"].start) == (MeetingStatus.AGREED, other)


def test_r07_unanswered_expert_alternative_expires_at_its_time():
    s = world(long=50)
    s.do(scheduled("m1", T0 + timedelta(days=1)))
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=T0 + timedelta(days=3)))
    s.wait(days=3)
    assert s.world.meetings["m1"].status is MeetingStatus.EXPIRED
    assert s.wallet("carl").available == 1000
