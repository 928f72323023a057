"""R12-R16: cancelling (free, late with a fee, by the expert) and rescheduling (both sides)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine.changes import cancellation_preview, cancellation_terms
from consoleapp.engine.events import VideoMeetingEdited
from consoleapp.engine.model import DeclineReason, MeetingStatus, Mode, OfferKind, PaymentStatus

from .scenario import T0, Scenario

START = T0 + timedelta(days=5)


def refused(s: Scenario, command: c.Command, code: str) -> str:
    return s.refused(command, code)


def requested(price: int = 55) -> Scenario:
    """carl asked anna for a 30 min video meeting at START; awaiting her answer, `price` held."""
    s = Scenario()
    s.expert("anna", long=price, now_slot=False)
    s.customer("carl", credits=1000)
    s.do(c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.LONG, topic="contract review", times=(START,)))
    return s


def agreed(price: int = 55) -> Scenario:
    s = requested(price)
    s.do(c.PickTime(actor="anna", meeting_id="m1", start=START))
    return s


def rejected(price: int = 55) -> Scenario:
    s = requested(price)
    s.do(c.DeclineRequest(actor="anna", meeting_id="m1", reason=DeclineReason.NOT_AVAILABLE))
    return s


def cancel(actor: str = "carl", reason: str = "I am ill", fee: int | None = None) -> c.CancelMeeting:
    return c.CancelMeeting(actor=actor, meeting_id="m1", reason=reason, accept_fee=fee)


def meeting(s: Scenario):
    return s.world.meetings["m1"]


# --- R12 cancelling an Awaiting-approval meeting ---------------------------------------------


def test_r12_cancel_awaiting_meeting_returns_the_hold():
    s = requested(55)
    assert s.wallet("carl").available == 945
    s.do(cancel(reason=""))  # no reason needed before the expert agreed
    m = meeting(s)
    assert (m.status, m.payment) == (MeetingStatus.CANCELLED, PaymentStatus.RETURNED)
    assert (s.wallet("carl").balance, s.wallet("carl").available) == (1000, 1000)
    assert s.earnings("anna") == 0
    assert "Cancelled by user" in s.titles("m1")
    assert "Payment returned to the user" in s.titles("m1")
    assert "cancellation" in s.notices("anna")


def test_r12_cancel_awaiting_booking_late_costs_nothing():
    s = requested(55)
    s.advance(days=4, hours=23)  # one hour before the start: still free, nothing was agreed
    s.do(cancel())
    assert meeting(s).payment is PaymentStatus.RETURNED
    assert s.wallet("carl").available == 1000


def test_r12_cancel_twice_refused():
    s = requested()
    s.do(cancel())
    refused(s, cancel(), "wrong_state")


def test_r12_only_the_meetings_people_cancel():
    s = requested()
    s.customer("dora")
    unknown = c.CancelMeeting(actor="dora", meeting_id="nope", reason="ill")
    # R1: someone else's meeting is refused exactly like one that does not exist
    assert refused(s, cancel(actor="dora"), "not_found") == refused(s, unknown, "not_found").replace("nope", "m1")


# --- R13 cancelling an Agreed meeting ----------------------------------------------------------


def test_r13_early_cancel_returns_everything():
    s = agreed(55)
    s.advance(days=2)
    s.do(cancel())
    m = meeting(s)
    assert (m.status, m.payment) == (MeetingStatus.CANCELLED, PaymentStatus.RETURNED)
    assert not m.video_active
    assert s.wallet("carl").available == 1000
    assert s.earnings("anna") == 0
    assert "cancellation" in s.notices("anna")


def test_r13_exactly_48h_before_start_is_still_free():
    s = agreed(55)
    s.now = START - timedelta(hours=48)
    terms = cancellation_terms(s.world, "m1", "carl", s.now, s.policy)
    assert (terms.late, terms.fee, terms.returned) == (False, 0, 55)
    s.do(cancel())
    assert meeting(s).payment is PaymentStatus.RETURNED
    assert s.wallet("carl").available == 1000


def test_r13_one_second_inside_48h_needs_the_fee_confirmed():
    s = agreed(55)
    s.now = START - timedelta(hours=48) + timedelta(seconds=1)
    msg = refused(s, cancel(), "fee_not_confirmed")
    assert "27 credits" in msg and "48 h" in msg


def test_r13_late_cancel_charges_half_after_fee_confirmed():
    s = agreed(55)
    s.now = START - timedelta(hours=10)
    terms = cancellation_terms(s.world, "m1", "carl", s.now, s.policy)
    # 50 % of 55 rounded down; 10 % commission of it rounded down; the rest to the expert
    assert (terms.late, terms.fee, terms.expert_share, terms.commission, terms.returned) == (True, 27, 25, 2, 28)
    refused(s, cancel(fee=28), "fee_not_confirmed")
    s.do(cancel(fee=terms.fee))
    m = meeting(s)
    assert (m.status, m.payment, m.charged) == (MeetingStatus.CANCELLED, PaymentStatus.REIMBURSED_CANCELLATION, 27)
    assert (s.wallet("carl").balance, s.wallet("carl").available) == (973, 973)
    assert s.earnings("anna") == 25
    assert s.commission() == 2
    titles = s.titles("m1")
    assert "Cancelled by user" in titles
    assert "Appointment reimbursed to expert" in titles
    assert "Video meeting cancelled" in titles
    assert not m.video_active
    assert "cancellation" in s.notices("anna")


def test_r13_late_cancel_of_an_even_price():
    s = agreed(50)
    s.now = START - timedelta(hours=1)
    s.do(cancel(fee=25))
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == (975, 23, 2)


def test_r13_reason_required():
    s = agreed()
    msg = refused(s, cancel(reason="   "), "invalid")
    assert "reason" in msg
    s.now = START - timedelta(hours=1)
    refused(s, cancel(reason="", fee=27), "invalid")


def test_r13_cancel_after_start_refused():
    s = agreed()
    s.now = START
    refused(s, cancel(fee=27), "wrong_state")


def test_r13_fee_follows_the_policy():
    from consoleapp.engine import Policy

    s = agreed(55)
    s.policy = Policy(late_cancel_fee_percent=100, late_cancel_hours=24)
    s.now = START - timedelta(hours=30)
    s.do(cancel())  # outside a 24 h window: free
    assert s.wallet("carl").available == 1000


# --- R14 the expert cancels ----------------------------------------------------------------------


def test_r14_expert_cancels_late_full_refund_customer_notified():
    s = agreed(55)
    s.now = START - timedelta(minutes=5)
    s.do(cancel(actor="anna", reason="emergency"))
    m = meeting(s)
    assert (m.status, m.payment) == (MeetingStatus.CANCELLED, PaymentStatus.RETURNED)
    assert not m.video_active
    assert s.wallet("carl").available == 1000
    assert s.earnings("anna") == 0
    assert "Cancelled by expert" in s.titles("m1")
    assert "cancellation" in s.notices("carl")


def test_r14_expert_cannot_cancel_after_start():
    s = agreed()
    s.now = START + timedelta(seconds=1)
    msg = refused(s, cancel(actor="anna"), "wrong_state")
    assert "started" in msg


def test_r14_expert_declines_a_request_rather_than_cancelling():
    """Engine choice: an unanswered request is declined with a reason from the list (R7)."""
    s = requested()
    refused(s, cancel(actor="anna"), "invalid")


def test_r14_expert_cancels_own_suggestion():
    s = Scenario()
    s.expert("anna", long=50, now_slot=False)
    s.customer("carl")
    s.do(c.SuggestMeeting(actor="anna", meeting_id="m1", customer="carl", mode=Mode.VIDEO,
                          offer=OfferKind.LONG, start=START, topic="t"))
    s.do(cancel(actor="anna"))
    assert meeting(s).status is MeetingStatus.CANCELLED
    assert "cancellation" in s.notices("carl")


# --- R15 the customer reschedules ----------------------------------------------------------------


def test_r15_agreed_reschedule_keeps_the_original_until_approved():
    s = agreed(55)
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=new))
    m = meeting(s)
    assert (m.status, m.start, m.payment) == (MeetingStatus.AGREED, START, PaymentStatus.BLOCKED)
    assert m.alternative is not None and m.alternative.start == new
    assert "Alternative date selected by user" in s.titles("m1")
    assert "reschedule" in s.notices("anna")
    events = s.do(c.ApproveAlternative(actor="anna", meeting_id="m1"))
    m = meeting(s)
    assert (m.status, m.start, m.end) == (MeetingStatus.AGREED, new, new + timedelta(minutes=30))
    assert m.alternative is None
    assert m.video_revision == 2
    assert any(isinstance(ev, VideoMeetingEdited) for ev in events)
    assert "Approval of replacement date by expert" in s.titles("m1")
    assert s.wallet("carl").available == 945  # still the one hold


def test_r15_expert_rejects_the_new_time_original_stands():
    s = agreed()
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=START + timedelta(days=1)))
    s.do(c.RejectAlternative(actor="anna", meeting_id="m1", reason="I am away that day"))
    m = meeting(s)
    assert (m.status, m.start, m.alternative) == (MeetingStatus.AGREED, START, None)
    assert "Rejected alternate date by expert" in s.titles("m1")


def test_r15_rejected_reschedule_holds_credits_again_awaiting_the_expert():
    s = rejected(55)
    assert s.wallet("carl").available == 1000
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=new))
    m = meeting(s)
    assert (m.status, m.start, m.payment) == (MeetingStatus.AWAITING_APPROVAL, new, PaymentStatus.BLOCKED)
    assert s.wallet("carl").available == 945
    assert "reschedule" in s.notices("anna")
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    assert meeting(s).status is MeetingStatus.AGREED
    assert meeting(s).video_active


def test_r15_rejected_suggestion_rescheduled_is_approved_by_the_expert():
    s = Scenario()
    s.expert("anna", long=50, now_slot=False)
    s.customer("carl")
    s.do(c.SuggestMeeting(actor="anna", meeting_id="m1", customer="carl", mode=Mode.VIDEO,
                          offer=OfferKind.LONG, start=START, topic="t"))
    s.do(c.RejectSuggestion(actor="carl", meeting_id="m1", reason=DeclineReason.NOT_AVAILABLE))
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=new))
    assert s.wallet("carl").available == 950
    refused(s, c.ConfirmSuggestion(actor="carl", meeting_id="m1"), "wrong_state")  # no second hold
    refused(s, c.RejectSuggestion(actor="carl", meeting_id="m1", reason=DeclineReason.OTHER), "wrong_state")
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    assert (meeting(s).status, meeting(s).start) == (MeetingStatus.AGREED, new)
    assert s.wallet("carl").available == 950


def test_r15_rejected_reschedule_needs_credits():
    s = rejected(55)
    s.do(c.RequestScheduled(actor="carl", meeting_id="m2", expert="anna", mode=Mode.VIDEO,
                            offer=OfferKind.PER_MINUTE, topic="t", times=(START,), minutes=480))
    assert s.wallet("carl").available == 40  # 1000 - 480 min x 2 credits
    msg = refused(s, c.ProposeAlternative(actor="carl", meeting_id="m1", start=START + timedelta(days=1)),
                  "insufficient_credits")
    assert msg == "not enough credits: 40 available, 55 needed"


def test_r15_reschedule_after_start_refused():
    s = agreed()
    s.now = START
    refused(s, c.ProposeAlternative(actor="carl", meeting_id="m1", start=START + timedelta(days=1)), "wrong_state")


def test_r15_new_time_in_the_past_refused():
    s = agreed()
    refused(s, c.ProposeAlternative(actor="carl", meeting_id="m1", start=T0 - timedelta(hours=1)), "too_late")


def test_r15_one_alternative_at_a_time():
    s = agreed()
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=START + timedelta(days=1)))
    refused(s, c.ProposeAlternative(actor="anna", meeting_id="m1", start=START + timedelta(days=2)), "wrong_state")


def test_r15_customer_withdraws_own_alternative():
    s = agreed()
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=START + timedelta(days=1)))
    refused(s, c.ApproveAlternative(actor="carl", meeting_id="m1"), "forbidden")
    refused(s, c.WithdrawAlternative(actor="anna", meeting_id="m1"), "forbidden")
    s.do(c.WithdrawAlternative(actor="carl", meeting_id="m1"))
    m = meeting(s)
    assert (m.alternative, m.start, m.status) == (None, START, MeetingStatus.AGREED)
    assert "User cancelled alternate appointment" in s.titles("m1")


# --- R16 the expert proposes an alternative ------------------------------------------------------


def test_r16_customer_approves_alternative_on_agreed_video_edited():
    s = agreed(55)
    new = START + timedelta(hours=3)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=new))
    assert "Alternative date proposed by expert" in s.titles("m1")
    assert "reschedule" in s.notices("carl")
    events = s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    m = meeting(s)
    assert (m.status, m.start, m.video_revision) == (MeetingStatus.AGREED, new, 2)
    edited = next(ev for ev in events if isinstance(ev, VideoMeetingEdited))
    assert (edited.valid_from, edited.valid_until) == (new - timedelta(minutes=15), new + timedelta(minutes=90))
    assert "Approval of replacement date by user" in s.titles("m1")
    assert s.wallet("carl").available == 945


def test_r16_rejected_meeting_becomes_agreed_with_a_new_hold():
    s = rejected(55)
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=new))
    assert s.wallet("carl").available == 1000  # nothing held until the customer approves
    s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    m = meeting(s)
    assert (m.status, m.start, m.payment) == (MeetingStatus.AGREED, new, PaymentStatus.BLOCKED)
    assert m.holds == 2 and m.video_active and m.video_revision == 1
    assert s.wallet("carl").available == 945


def test_r16_customer_rejects_alternative_with_reason():
    s = agreed()
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=START + timedelta(hours=3)))
    refused(s, c.RejectAlternative(actor="carl", meeting_id="m1", reason=" "), "invalid")
    s.do(c.RejectAlternative(actor="carl", meeting_id="m1", reason="I work then"))
    m = meeting(s)
    assert (m.status, m.start, m.alternative) == (MeetingStatus.AGREED, START, None)
    assert "Rejected alternate date by user" in s.titles("m1")
    assert "reschedule" in s.notices("anna")


def test_r16_expert_withdraws_own_alternative():
    s = agreed()
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=START + timedelta(hours=3)))
    s.do(c.WithdrawAlternative(actor="anna", meeting_id="m1"))
    assert meeting(s).alternative is None
    assert "Expert cancelled alternate appointment" in s.titles("m1")


def test_r16_alternative_answered_after_its_time_refused():
    s = rejected()
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=new))
    s.now = new
    refused(s, c.ApproveAlternative(actor="carl", meeting_id="m1"), "too_late")


def test_r16_alternative_to_an_awaiting_booking_answered_after_the_original_time():
    s = Scenario()
    s.expert("anna", long=50, now_slot=False)
    s.customer("carl")
    s.do(c.AddSlot(actor="anna", slot_id="s1", start=START, end=START + timedelta(hours=2)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="s1", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=START, topic="t"))
    new = START + timedelta(days=1)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=new))
    s.now = START + timedelta(hours=1)  # the booked time passed; the expert's answer still stands
    s.run_due()
    s.do(c.ApproveAlternative(actor="carl", meeting_id="m1"))
    m = meeting(s)
    assert (m.status, m.start, m.payment) == (MeetingStatus.AGREED, new, PaymentStatus.BLOCKED)
    assert s.wallet("carl").available == 950


def test_r16_alternative_left_open_cannot_be_taken_once_the_meeting_was_held_and_settled():
    """Found by the simulation (seed 2): a time anna proposed while the meeting was Agreed stayed on
    the record after the meeting was held and settled; carl approving it then made the finished
    meeting Agreed again, with its credits already returned."""
    from consoleapp.engine.model import Answer

    s = agreed(55)
    s.do(c.ProposeAlternative(actor="anna", meeting_id="m1", start=START + timedelta(days=3)))
    s.now = START + timedelta(minutes=30)
    s.run_due()
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.MY_FAULT))  # R23: returned
    assert (meeting(s).status, meeting(s).payment) == (MeetingStatus.SETTLED, PaymentStatus.RETURNED)
    assert meeting(s).alternative is not None
    refused(s, c.ApproveAlternative(actor="carl", meeting_id="m1"), "wrong_state")
    refused(s, c.RejectAlternative(actor="carl", meeting_id="m1", reason="too late"), "wrong_state")
    assert meeting(s).status is MeetingStatus.SETTLED


def test_r13_the_preview_refuses_after_the_start_as_the_cancel_does() -> None:
    s = agreed()
    s.now = START + timedelta(minutes=1)
    advice = cancellation_terms(s.world, "m1", "carl", s.now, s.policy).fee  # the bare fee table still prices it
    with pytest.raises(DomainError) as preview:
        cancellation_preview(s.world, "m1", "carl", s.now, s.policy)
    assert preview.value.code == "wrong_state"
    assert refused(s, cancel(fee=advice), "wrong_state") == preview.value.message
    s.now = START - timedelta(hours=1)
    assert cancellation_preview(s.world, "m1", "carl", s.now, s.policy).late
