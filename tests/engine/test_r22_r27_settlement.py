"""R22-R27: evaluation, settlement, operator review, stars and text reviews.

The decision table below is written out from PRODUCT.md R22-R26 by hand; it deliberately
does not call the engine's own `settlement.outcome()`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.evidence import evidence
from consoleapp.engine.ledger import PLATFORM, Label, Transfer, movements, wallet
from consoleapp.engine.model import (
    Answer,
    MeetingStatus,
    Mode,
    Offer,
    OfferKind,
    Outcome,
    PaymentStatus,
)
from consoleapp.engine.settlement import split_range

from .scenario import Scenario

PRICE = 120  # commission 12, expert 108, platform's half 60: no rounding in the way

S, M, OTHER, P = Answer.SMOOTH, Answer.MY_FAULT, Answer.OTHER_PARTY, Answer.PLATFORM


def held_meeting(s: Scenario, mid: str = "m1", *, price: int = PRICE, expert: str = "anna",
                 customer: str = "carl") -> datetime:
    return s.held_meeting(mid, price=price, expert=expert, customer=customer)


def world_with_meeting(price: int = PRICE) -> tuple[Scenario, datetime]:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    end = held_meeting(s, price=price)
    return s, end


def decisions(s: Scenario, mid: str) -> list[e.Event]:
    return [ev for ev in s.log if ev.ref == mid and isinstance(ev, e.MeetingSettled | e.ReviewRequired)]


# --- R22-R26: the whole table -------------------------------------------------------------
#
# Key: (customer's answer, expert's answer) -> (result when the customer answers first,
#                                               result when the expert answers first).
# A result is "<outcome>@<when>": when = 1 (at the first answer), 2 (at the second answer)
# or 168 (by due() at 168 h after the end). With a silent side there is only one order.
#
# Derivation from PRODUCT.md:
#   R22 pay: customer smoothly / own fault; expert smoothly or other party and customer silent
#       168 h; both silent 168 h.
#   R23 return: expert own fault; customer other party and expert silent 168 h.
#   R24 both platform -> platform fault.   R25 anything else -> operator review.
#   R26 decided at once by the customer's smoothly / own fault, the expert's own fault, or the
#       second answer; otherwise at 168 h. The first deciding answer wins.
TABLE: dict[tuple[str, str], tuple[str, str]] = {
    ("S", "S"): ("pay@1", "pay@2"),
    ("S", "M"): ("pay@1", "return@1"),
    ("S", "O"): ("pay@1", "pay@2"),
    ("S", "P"): ("pay@1", "pay@2"),
    ("S", "-"): ("pay@1", "pay@1"),
    ("M", "S"): ("pay@1", "pay@2"),
    ("M", "M"): ("pay@1", "return@1"),
    ("M", "O"): ("pay@1", "pay@2"),
    ("M", "P"): ("pay@1", "pay@2"),
    ("M", "-"): ("pay@1", "pay@1"),
    ("O", "S"): ("review@2", "review@2"),
    ("O", "M"): ("return@2", "return@1"),
    ("O", "O"): ("review@2", "review@2"),
    ("O", "P"): ("review@2", "review@2"),
    ("O", "-"): ("return@168", "return@168"),
    ("P", "S"): ("review@2", "review@2"),
    ("P", "M"): ("return@2", "return@1"),
    ("P", "O"): ("review@2", "review@2"),
    ("P", "P"): ("platform@2", "platform@2"),
    ("P", "-"): ("review@168", "review@168"),
    ("-", "S"): ("pay@168", "pay@168"),
    ("-", "M"): ("return@1", "return@1"),
    ("-", "O"): ("pay@168", "pay@168"),
    ("-", "P"): ("review@168", "review@168"),
    ("-", "-"): ("pay@168", "pay@168"),
}
_ANSWER = {"S": S, "M": M, "O": OTHER, "P": P, "-": None}


def _cases() -> list[tuple[str, str, str, str]]:
    out = []
    for (cust, exp), (cust_first, exp_first) in TABLE.items():
        if cust == "-" or exp == "-":
            out.append((cust, exp, "only", cust_first))
        else:
            out.append((cust, exp, "customer first", cust_first))
            out.append((cust, exp, "expert first", exp_first))
    return out


CASES = _cases()


def test_r22_r26_table_covers_every_pair_and_order() -> None:
    assert len(TABLE) == 25
    assert len(CASES) == 16 * 2 + 9


@pytest.mark.parametrize(("cust", "exp", "order", "expected"), CASES,
                         ids=[f"user={a},expert={b},{o}" for a, b, o, _ in CASES])
def test_r22_r26_settlement_table(cust: str, exp: str, order: str, expected: str) -> None:
    s, end = world_with_meeting()
    outcome, when = expected.split("@")
    answers = [("carl", _ANSWER[cust]), ("anna", _ANSWER[exp])]
    if order == "expert first":
        answers.reverse()
    given = [(who, a) for who, a in answers if a is not None]

    decided_at: datetime | None = None
    for n, (who, answer) in enumerate(given, start=1):
        s.now = end + timedelta(hours=n)
        s.do(c.Evaluate(actor=who, meeting_id="m1", answer=answer))
        made = decisions(s, "m1")
        if when == str(n):
            assert len(made) == 1, f"answer {n} should decide, got {made}"
            assert made[0].at == s.now
            decided_at = s.now
        elif when == "168" or int(when) > n:
            assert made == [], f"answer {n} should not decide yet, got {made}"
        else:  # decided earlier: a later answer is recorded but never re-settles (R26)
            assert len(made) == 1 and made[0].at == decided_at
    answered = s.world.meetings["m1"]
    assert (answered.customer_answer, answered.expert_answer) == (_ANSWER[cust], _ANSWER[exp])

    s.now = end + timedelta(hours=168) - timedelta(seconds=1)
    s.run_due()
    assert len(decisions(s, "m1")) == (0 if when == "168" else 1)
    s.now = end + timedelta(hours=168)
    s.run_due()
    made = decisions(s, "m1")
    assert len(made) == 1, "exactly one decision, ever"
    if when == "168":
        assert made[0].at == end + timedelta(hours=168)
        assert made[0].actor == "system"

    m = s.world.meetings["m1"]
    full = s.wallet("carl")
    if outcome == "review":
        assert isinstance(made[0], e.ReviewRequired)
        assert m.status is MeetingStatus.UNDER_REVIEW
        assert m.payment is PaymentStatus.BLOCKED
        assert (full.balance, full.available) == (1000, 1000 - PRICE)
        assert (s.earnings("anna"), s.commission()) == (0, 0)
        assert s.notices("operators") == ["review"]
        return
    settled = made[0]
    assert isinstance(settled, e.MeetingSettled)
    assert settled.automatic is (when == "168")
    assert m.status is MeetingStatus.SETTLED
    platform = s.world.ledger.account(PLATFORM).balance
    if outcome == "pay":
        assert settled.outcome is Outcome.PAY
        assert m.payment is PaymentStatus.PAID
        assert (full.balance, full.available) == (1000 - PRICE, 1000 - PRICE)
        assert (s.earnings("anna"), s.commission(), platform) == (108, 12, 0)
    elif outcome == "return":
        assert settled.outcome is Outcome.RETURN
        assert m.payment is PaymentStatus.RETURNED
        assert (full.balance, full.available) == (1000, 1000)
        assert (s.earnings("anna"), s.commission(), platform) == (0, 0, 0)
    else:
        assert outcome == "platform"
        assert settled.outcome is Outcome.PLATFORM_FAULT
        assert m.payment is PaymentStatus.RETURNED
        assert (full.balance, full.available) == (1000, 1000)
        # R24: the platform pays the expert 50 % of the price from its own account, no commission
        assert (s.earnings("anna"), s.commission(), platform) == (60, 0, -60)
        paid = list(movements(s.world.ledger, "expert:anna"))
        assert [(t.debit, t.amount, t.label) for t in paid] == [(PLATFORM, 60, Label.PLATFORM_FAULT)]


def test_r26_a_late_answer_after_the_deadline_settlement_changes_nothing() -> None:
    s, end = world_with_meeting()
    s.now = end + timedelta(hours=200)
    s.run_due()
    assert s.world.meetings["m1"].outcome is Outcome.PAY
    before = (s.wallet("carl").balance, s.earnings("anna"), s.commission())
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=M))  # would return, were it first
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=OTHER))
    assert (s.wallet("carl").balance, s.earnings("anna"), s.commission()) == before
    assert len(decisions(s, "m1")) == 1
    assert s.world.meetings["m1"].outcome is Outcome.PAY


def test_r26_each_side_answers_once() -> None:
    s, end = world_with_meeting()
    s.now = end + timedelta(hours=1)
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=OTHER))
    with pytest.raises(DomainError) as err:
        s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=M))
    assert err.value.code == "already_answered"
    assert s.world.meetings["m1"].expert_answer is OTHER


def test_r26_evaluating_before_the_meeting_is_held_refused() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    start = s.now + timedelta(hours=1)
    s.do(c.AddSlot(actor="anna", slot_id="sl", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, PRICE, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="sl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="x"))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    with pytest.raises(DomainError) as err:
        s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=S))
    assert err.value.code == "wrong_state"


# --- R25: the operator decides ----------------------------------------------------------------


def _under_review() -> tuple[Scenario, datetime]:
    s, end = world_with_meeting()
    s.now = end + timedelta(hours=1)
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=OTHER))
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=S))
    assert s.world.meetings["m1"].status is MeetingStatus.UNDER_REVIEW
    return s, end


@pytest.mark.parametrize(
    ("outcome", "charged", "wallet_after", "expert", "commission", "payment"),
    [
        (Outcome.PAY, 120, 880, 108, 12, PaymentStatus.PAID),
        (Outcome.RETURN, 0, 1000, 0, 0, PaymentStatus.RETURNED),
        (Outcome.SPLIT, 70, 930, 63, 7, PaymentStatus.PAID),
    ],
)
def test_r25_operator_review_pays_returns_or_splits(outcome: Outcome, charged: int, wallet_after: int,
                                                    expert: int, commission: int, payment: PaymentStatus) -> None:
    s, _ = _under_review()
    s.do(c.DecideReview(note="read the evidence", actor="olga", meeting_id="m1", outcome=outcome, expert_amount=charged if outcome is Outcome.SPLIT else 0))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.SETTLED and m.payment is payment and m.charged == charged
    full = s.wallet("carl")
    assert (full.balance, full.available) == (wallet_after, wallet_after)
    assert (s.earnings("anna"), s.commission()) == (expert, commission)
    settled = [ev for ev in s.log if isinstance(ev, e.MeetingSettled)]
    assert len(settled) == 1 and settled[0].actor == "olga"
    assert settled[0].charged + settled[0].returned == PRICE
    assert settled[0].expert_share + settled[0].commission == charged
    with pytest.raises(DomainError) as err:  # decided once
        s.do(c.DecideReview(note="read the evidence", actor="olga", meeting_id="m1", outcome=Outcome.PAY))
    assert err.value.code == "wrong_state"


def test_r25_review_is_for_operators_only_and_splits_stay_inside_the_price() -> None:
    s, _ = _under_review()
    for who in ("anna", "carl"):
        with pytest.raises(DomainError) as err:
            s.do(c.DecideReview(note="read the evidence", actor=who, meeting_id="m1", outcome=Outcome.PAY))
        assert err.value.code == "forbidden"
    for amount in (0, PRICE, PRICE + 1):
        with pytest.raises(DomainError) as err:
            s.do(c.DecideReview(note="read the evidence", actor="olga", meeting_id="m1", outcome=Outcome.SPLIT, expert_amount=amount))
        assert err.value.code == "invalid"
    with pytest.raises(DomainError):
        s.do(c.DecideReview(note="read the evidence", actor="olga", meeting_id="m1", outcome=Outcome.PLATFORM_FAULT))
    assert s.world.meetings["m1"].status is MeetingStatus.UNDER_REVIEW
    assert s.wallet("carl").available == 1000 - PRICE


def test_r25_review_carries_the_attendance_evidence() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    start = s.now + timedelta(hours=1)
    s.do(c.AddSlot(actor="anna", slot_id="sl", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, PRICE, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="sl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="x"))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = start + timedelta(minutes=2)
    s.do(c.OpenLink(actor="anna", meeting_id="m1"))
    s.now = start + timedelta(minutes=31)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=OTHER))
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=S))
    m = s.world.meetings["m1"]
    assert m.status is MeetingStatus.UNDER_REVIEW
    assert m.expert_attended == start + timedelta(minutes=2) and m.customer_attended is None
    assert "Expert attended" in s.titles("m1") and "User attended" not in s.titles("m1")


# --- R27: stars and text reviews ---------------------------------------------------------------


def test_r27_stars_one_to_five_given_once_by_the_customer() -> None:
    s, end = world_with_meeting()
    s.now = end + timedelta(hours=1)
    for bad in (0, 6, -1):
        with pytest.raises(DomainError) as err:
            s.do(c.Rate(actor="carl", meeting_id="m1", stars=bad))
        assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err:
        s.do(c.Rate(actor="anna", meeting_id="m1", stars=5))
    assert err.value.code == "forbidden"
    s.do(c.Rate(actor="carl", meeting_id="m1", stars=4))
    assert s.world.meetings["m1"].stars == 4
    with pytest.raises(DomainError) as err:
        s.do(c.Rate(actor="carl", meeting_id="m1", stars=5))
    assert err.value.code == "already_answered"
    assert s.world.meetings["m1"].stars == 4
    assert s.wallet("carl").balance == 1000  # stars earn nothing


def _bonus_transfers(s: Scenario, customer: str) -> list[Transfer]:
    return [t for t in movements(s.world.ledger, wallet(customer)) if t.label is Label.BONUS]


def test_r27_first_text_review_earns_ten_bonus_credits_editing_earns_nothing() -> None:
    s, end = world_with_meeting()
    s.now = end + timedelta(hours=2)
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=S))
    assert s.wallet("carl").balance == 880
    s.do(c.WriteReview(actor="carl", expert="anna", text="Clear and patient."))
    review = s.world.reviews[("carl", "anna")]
    assert review.text == "Clear and patient." and review.edited_at is None
    assert s.wallet("carl").balance == 890
    bonus = _bonus_transfers(s, "carl")
    assert [(t.amount, t.label.value, t.debit) for t in bonus] == [(10, "Bonus credits for verbal evaluation", PLATFORM)]
    assert s.world.ledger.account(PLATFORM).balance == -10

    s.now += timedelta(days=3)
    s.do(c.WriteReview(actor="carl", expert="anna", text="Clear, patient, and on time."))
    review = s.world.reviews[("carl", "anna")]
    assert review.text == "Clear, patient, and on time."
    assert review.edited_at == s.now and review.written_at == end + timedelta(hours=2)
    assert len(s.world.reviews) == 1  # one per customer-expert pair
    assert s.wallet("carl").balance == 890
    assert len(_bonus_transfers(s, "carl")) == 1
    written = [ev for ev in s.log if isinstance(ev, e.ReviewWritten)]
    assert [ev.first for ev in written] == [True, False]


def test_r27_review_per_pair_a_second_customer_earns_their_own_bonus() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer("carl")
    s.customer("dora")
    held_meeting(s, "m1", customer="carl")
    held_meeting(s, "m2", customer="dora")
    s.do(c.WriteReview(actor="carl", expert="anna", text="Good."))
    s.do(c.WriteReview(actor="dora", expert="anna", text="Very good."))
    assert set(s.world.reviews) == {("carl", "anna"), ("dora", "anna")}
    assert (len(_bonus_transfers(s, "carl")), len(_bonus_transfers(s, "dora"))) == (1, 1)
    assert s.wallet("dora").available == 1000 - PRICE + 10


def test_r27_review_without_a_session_refused() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.expert("bob", now_slot=False)
    s.customer()
    held_meeting(s, "m1", expert="bob")  # a session with Bob, none with Anna
    with pytest.raises(DomainError) as err:
        s.do(c.WriteReview(actor="carl", expert="anna", text="Great!"))
    assert err.value.code == "forbidden"
    assert ("carl", "anna") not in s.world.reviews
    assert _bonus_transfers(s, "carl") == []


def test_r27_review_of_a_cancelled_meeting_refused() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    start = s.now + timedelta(hours=72)
    s.do(c.AddSlot(actor="anna", slot_id="sl", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, PRICE, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="sl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="x"))
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1"))
    with pytest.raises(DomainError) as err:
        s.do(c.WriteReview(actor="carl", expert="anna", text="Never met."))
    assert err.value.code == "forbidden"
    assert s.wallet("carl").balance == 1000


@pytest.mark.parametrize(("before", "late", "expected"), [
    ((), ("carl", OTHER), Outcome.PAY),  # both silent at 168 h: pay, whatever comes later
    ((), ("anna", M), Outcome.PAY),
    ((("anna", OTHER),), ("carl", P), Outcome.PAY),  # expert other party, customer silent 168 h
    ((("carl", OTHER),), ("anna", S), Outcome.RETURN),  # customer other party, expert silent 168 h
])
def test_r26_an_answer_after_168h_never_beats_the_deadline_even_if_due_ran_late(
        before: tuple[tuple[str, Answer], ...], late: tuple[str, Answer], expected: Outcome) -> None:
    """The 168 h deadline decides on the answers given by then; a scheduler that runs late changes nothing."""
    s, end = world_with_meeting()
    for n, (who, answer) in enumerate(before, start=1):
        s.now = end + timedelta(hours=n)
        s.do(c.Evaluate(actor=who, meeting_id="m1", answer=answer))
    s.now = end + timedelta(hours=169)  # due() has not run since the deadline
    s.do(c.Evaluate(actor=late[0], meeting_id="m1", answer=late[1]))
    s.run_due()
    made = decisions(s, "m1")
    assert len(made) == 1
    assert isinstance(made[0], e.MeetingSettled) and made[0].outcome is expected and made[0].automatic


def test_r25_a_decision_needs_a_note_and_keeps_it_on_the_timeline() -> None:
    s, _ = _under_review()
    for blank in ("", "   "):
        with pytest.raises(DomainError) as err:
            s.do(c.DecideReview(note=blank, actor="olga", meeting_id="m1", outcome=Outcome.PAY))
        assert err.value.code == "invalid" and "note" in err.value.message
    assert s.world.meetings["m1"].status is MeetingStatus.UNDER_REVIEW
    s.do(c.DecideReview(note="  Both joined; the chat shows the work was done.  ", actor="olga", meeting_id="m1",
                        outcome=Outcome.PAY))
    [settled] = [ev for ev in s.log if isinstance(ev, e.MeetingSettled)]
    assert (settled.actor, settled.note) == ("olga", "Both joined; the chat shows the work was done.")
    pack = evidence("m1", [ev for ev in s.log if ev.ref == "m1"])
    assert pack.decision is not None and pack.decision[1:] == ("olga", "Payment to expert", settled.note)


def test_r25_split_range_is_what_the_decider_accepts() -> None:
    s, _ = _under_review()
    low, high = split_range(s.world.meetings["m1"])
    assert (low, high) == (1, PRICE - 1)
    s.do(c.DecideReview(note="half the time was used", actor="olga", meeting_id="m1", outcome=Outcome.SPLIT,
                        expert_amount=high))
    assert s.world.meetings["m1"].charged == high
