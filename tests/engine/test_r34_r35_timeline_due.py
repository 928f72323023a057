"""R34 timeline (named events, time and actor, append-only) and R35 notifications driven by due()."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from consoleapp.engine import DomainError, replay
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.model import Answer, MeetingStatus, Mode, Offer, OfferKind, Outcome

from .scenario import Scenario

PRICE = 120


def booked(s: Scenario, mid: str = "m1", *, days_ahead: float = 3) -> datetime:
    """An approved 30-minute meeting `days_ahead` days from now; returns its start."""
    start = s.now + timedelta(days=days_ahead)
    s.do(c.AddSlot(actor="anna", slot_id=f"slot-{mid}", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, PRICE, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id=mid, slot_id=f"slot-{mid}", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="Pension plan"))
    s.do(c.ApproveBooking(actor="anna", meeting_id=mid))
    return start


def setup() -> Scenario:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    return s


def reminders(s: Scenario, mid: str = "m1") -> list[str]:
    return [ev.kind for ev in s.log if isinstance(ev, e.ReminderSent) and ev.ref == mid]


# --- R34: the timeline ----------------------------------------------------------------------


def test_r34_full_meeting_timeline_names_and_order() -> None:
    s = setup()
    start = booked(s)
    end = start + timedelta(minutes=30)
    steps: list[list[str]] = [s.titles("m1")]

    def step() -> None:
        steps.append(s.titles("m1"))

    s.wait(days=2)  # 24 h before
    step()
    s.now = start - timedelta(minutes=60)
    s.run_due()
    step()
    s.now = start + timedelta(minutes=1)
    s.do(c.OpenLink(actor="anna", meeting_id="m1"))
    s.now = start + timedelta(minutes=3)
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))
    s.do(c.OpenLink(actor="carl", meeting_id="m1"))  # a second opening records nothing new
    step()
    s.now = end
    s.run_due()
    step()
    s.now = end + timedelta(hours=1)
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.SMOOTH))
    s.now = end + timedelta(hours=2)
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    step()
    s.now = end + timedelta(hours=72)
    s.run_due()
    step()

    assert s.titles("m1") == [
        "Slot booked by user",
        "Credits blocked",
        "Approved by expert",
        "Video meeting created",
        "Reminder sent",
        "Reminder sent",
        "Expert attended",
        "User attended",
        "Meeting held",
        "Meeting progress recorded by expert: went smoothly",
        "Meeting progress recorded by user: went smoothly",
        "Payment to expert",
        "Claim window closed",
    ]
    assert reminders(s) == ["reminder", "link"]
    # append-only: every earlier view of the timeline is a prefix of every later one
    for before, after in zip(steps, steps[1:], strict=False):
        assert after[: len(before)] == before
    timeline = [ev for ev in s.log if ev.ref == "m1"]
    for ev in timeline:  # every event has a time (with zone) and an actor
        assert ev.at.tzinfo is not None and ev.actor in ("anna", "carl", "system"), ev
    assert [ev.at for ev in timeline] == sorted(ev.at for ev in timeline)
    actors = {ev.describe(): ev.actor for ev in timeline if type(ev).__name__ not in ("Transfer", "NotificationQueued")}
    assert actors["Slot booked by user"] == "carl" and actors["Approved by expert"] == "anna"
    assert actors["Meeting held"] == "system" and actors["Claim window closed"] == "system"


def test_r34_the_log_is_append_only_and_replays_to_the_same_world() -> None:
    s = setup()
    start = booked(s)
    s.now = start + timedelta(minutes=1)
    s.do(c.OpenLink(actor="anna", meeting_id="m1"))
    s.wait(hours=1)
    seen = list(s.log)
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.MY_FAULT))  # return to the user
    assert s.log[: len(seen)] == seen
    assert all(ev.at == s.now for ev in s.log[len(seen):])  # new events only, stamped now
    again = replay(s.log)
    assert again.meetings == s.world.meetings
    assert again.ledger.accounts == s.world.ledger.accounts
    assert s.world.version == len(s.log)


def test_r34_cancelled_meeting_timeline() -> None:
    s = setup()
    start = booked(s)
    s.now = start - timedelta(hours=10)
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="Travelling", accept_fee=60))
    assert s.titles("m1")[-3:] == ["Cancelled by user", "Appointment reimbursed to expert", "Video meeting cancelled"]
    assert s.world.meetings["m1"].status is MeetingStatus.CANCELLED


# --- R35: notifications -----------------------------------------------------------------------


def test_r35_reminder_24h_and_link_60min_before_each_exactly_once() -> None:
    s = setup()
    start = booked(s)
    s.now = start - timedelta(hours=24, seconds=1)
    s.run_due()
    assert reminders(s) == []
    s.now = start - timedelta(hours=24)
    for _ in range(3):
        s.run_due()
    assert reminders(s) == ["reminder"]
    for who in ("carl", "anna"):
        assert s.notices(who).count("reminder") == 1
    s.now = start - timedelta(minutes=61)
    s.run_due()
    assert reminders(s) == ["reminder"]
    s.now = start - timedelta(minutes=60)
    s.run_due()
    s.run_due()
    s.advance(minutes=30)
    s.run_due()
    assert reminders(s) == ["reminder", "link"]
    for who in ("carl", "anna"):
        assert s.notices(who).count("link") == 1
    with pytest.raises(DomainError) as err:
        s.do(c.SendReminder(actor="system", meeting_id="m1", kind="link"))
    assert err.value.code == "wrong_state"


def test_r35_reminders_not_sent_early() -> None:
    s = setup()
    start = booked(s)
    with pytest.raises(DomainError) as err:
        s.do(c.SendReminder(actor="system", meeting_id="m1", kind="reminder"))
    assert err.value.code == "too_early"
    s.now = start - timedelta(hours=2)
    with pytest.raises(DomainError) as err:
        s.do(c.SendReminder(actor="system", meeting_id="m1", kind="link"))
    assert err.value.code == "too_early"


def test_r35_evaluation_reminder_one_day_after_an_unevaluated_session() -> None:
    s = setup()
    start = booked(s)
    end = start + timedelta(minutes=30)
    s.now = end + timedelta(hours=24) - timedelta(seconds=1)
    s.run_due()
    assert "evaluation" not in reminders(s)
    s.now = end + timedelta(hours=24)
    for _ in range(3):
        s.run_due()
        s.advance(hours=5)
        s.run_due()
    assert reminders(s).count("evaluation") == 1
    assert s.notices("carl").count("evaluation") == 1
    assert s.notices("anna").count("evaluation") == 1


def test_r35_no_evaluation_reminder_to_a_side_that_answered() -> None:
    s = setup()
    start = booked(s)
    end = start + timedelta(minutes=30)
    s.now = end + timedelta(hours=1)
    s.run_due()
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.OTHER_PARTY))
    s.now = end + timedelta(hours=24)
    s.run_due()
    assert s.notices("carl").count("evaluation") == 1
    assert s.notices("anna").count("evaluation") == 0


def test_r35_no_evaluation_reminder_once_settled() -> None:
    s = setup()
    start = booked(s)
    end = start + timedelta(minutes=30)
    s.now = end + timedelta(hours=1)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    s.now = end + timedelta(hours=30)
    s.run_due()
    assert "evaluation" not in reminders(s)


def test_r35_new_request_cancellation_reschedule_and_claim_notices_to_the_expert() -> None:
    s = setup()
    start = booked(s, "m1")
    assert s.notices("anna").count("new_request") == 1
    s.do(c.RequestScheduled(actor="carl", meeting_id="m2", expert="anna", mode=Mode.VIDEO, offer=OfferKind.LONG,
                            topic="Second opinion", times=(s.now + timedelta(days=5),)))
    assert s.notices("anna").count("new_request") == 2
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m1", start=start + timedelta(days=1)))
    assert s.notices("anna").count("reschedule") == 1
    s.do(c.CancelMeeting(actor="carl", meeting_id="m2", reason="changed my mind"))
    assert s.notices("anna").count("cancellation") == 1
    s.do(c.ApproveAlternative(actor="anna", meeting_id="m1"))
    new_start = start + timedelta(days=1)
    assert s.world.meetings["m1"].start == new_start
    s.now = new_start + timedelta(minutes=30)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=10, reason="Started late"))
    assert s.notices("anna").count("claim") == 1


def test_r35_customer_cancelling_an_agreed_meeting_notifies_the_expert() -> None:
    s = setup()
    booked(s)
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="Found another expert"))
    assert s.notices("anna").count("cancellation") == 1
    assert s.wallet("carl").available == 1000


# --- a clock jump straight past several deadlines ----------------------------------------------


def test_r35_clock_jump_past_every_deadline_settles_once_without_stale_reminders() -> None:
    s = setup()
    start = booked(s)
    end = start + timedelta(minutes=30)
    s.now = end + timedelta(hours=200)  # past the start, the end, the 24 h reminder and the 168 h deadline
    s.run_due()
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.SETTLED and m.outcome is Outcome.PAY and m.claim_window_closed
    assert reminders(s) == []  # no "your meeting starts tomorrow" after it has happened
    settled = [ev for ev in s.log if isinstance(ev, e.MeetingSettled)]
    assert len(settled) == 1 and settled[0].automatic
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == (1000 - PRICE, 108, 12)
    assert s.titles("m1")[-3:] == ["Meeting held", "Payment to expert", "Claim window closed"]
    s.run_due()
    s.advance(days=30)
    s.run_due()
    assert len([ev for ev in s.log if isinstance(ev, e.MeetingSettled)]) == 1


def test_r35_clock_jump_past_the_24h_reminder_sends_only_the_link() -> None:
    s = setup()
    start = booked(s)
    s.now = start - timedelta(minutes=30)
    s.run_due()
    s.run_due()
    assert reminders(s) == ["link"]
    assert s.notices("carl").count("link") == 1 and s.notices("carl").count("reminder") == 0


def test_r35_clock_jump_into_the_24h_window_then_the_link() -> None:
    s = setup()
    start = booked(s)
    s.now = start - timedelta(hours=3)
    s.run_due()
    assert reminders(s) == ["reminder"]
    s.now = start - timedelta(minutes=10)
    s.run_due()
    assert reminders(s) == ["reminder", "link"]
    s.now = start + timedelta(minutes=10)
    s.run_due()
    assert reminders(s) == ["reminder", "link"]


def test_r35_a_schedulers_cache_of_quiet_meetings_misses_no_deadline_tick_by_tick() -> None:
    """A scheduler keeps a `DueCache` between ticks; ticking every 20 s through four meetings'
    lives (an unanswered request that lapses, two meetings through their reminders, their end,
    the evaluation reminder and the 168 h auto-evaluation, and the claim window; one live
    session with its 30 s warning), `due` with it answers at every tick what it answers without."""
    from consoleapp.engine.due import DueCache, due

    s = setup()
    booked(s, "m1", days_ahead=1.5)
    booked(s, "m2", days_ahead=2)
    live_start = booked(s, "m3", days_ahead=1)
    s.do(c.RequestScheduled(actor="carl", meeting_id="r1", expert="anna", mode=Mode.VIDEO, offer=OfferKind.SHORT,
                            topic="Never answered", times=(s.now + timedelta(hours=20),)))
    seen = DueCache()
    end = s.now + timedelta(days=11)
    ran: list[str] = []
    while s.now < end:
        if s.now == live_start + timedelta(minutes=1):  # on a tick: the steps start on the minute
            s.do(c.OpenLink(actor="anna", meeting_id="m3"))
            s.do(c.StartSession(actor="anna", meeting_id="m3"))
        for _ in range(5):
            commands = due(s.world, s.now, s.policy)
            assert due(s.world, s.now, s.policy, seen) == commands, s.now
            if not commands:
                break
            for command in commands:
                s.do(command)
                ran.append(type(command).__name__)
        s.now += timedelta(seconds=20)
    assert {"ExpireRequest", "SendReminder", "MarkHeld", "AutoEvaluate", "CloseClaimWindow", "WarnSessionEnding",
            "EndSession"} <= set(ran), ran
    assert len(seen.quiet) <= 4  # one entry per open meeting at most
