"""Promo codes (`consoleapp/engine/promos.py`): create, use, charge, void, refund, by rule.

Every step runs through `Scenario.do`, which checks the ledger's invariants after it.
"""

from __future__ import annotations

from datetime import timedelta

from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.changes import cancellation_terms
from consoleapp.engine.ledger import ESCROW, PLATFORM, Label, Transfer, TransferKind
from consoleapp.engine.model import (
    Answer,
    DeclineReason,
    MeetingStatus,
    Mode,
    Offer,
    OfferKind,
    Outcome,
    PaymentStatus,
    PromoKind,
)
from consoleapp.engine.promos import quote

from .scenario import T0, Scenario

START = T0 + timedelta(days=5)


def world(credits: int = 1000) -> Scenario:
    s = Scenario()
    s.expert("anna", per_minute=2, short=20, long=125)
    s.expert("bob", now_slot=False)
    s.customer("carl", credits=credits)
    s.customer("dina")
    s.operator()
    return s


def code(s: Scenario, name: str = "SPRING-25", kind: PromoKind = PromoKind.PERCENT, value: int = 25,
         **more: object) -> c.CreatePromoCode:
    args: dict[str, object] = {"valid_from": T0 - timedelta(days=1), "valid_until": T0 + timedelta(days=30)} | more
    return c.CreatePromoCode(actor="olga", code=name, kind=kind, value=value, **args)  # type: ignore[arg-type]


def book(s: Scenario, mid: str = "m1", promo: str = "spring-25", customer: str = "carl", expert: str = "anna",
         price: int = 125) -> c.BookSlot:
    """A 30-minute booking of `price` in a fresh slot of the expert's, the first at START, each next a day later."""
    start = START + timedelta(days=len(s.world.slots_of.get(expert, ())) - (expert == "anna"))  # anna has a "Now" slot
    s.do(c.AddSlot(actor=expert, slot_id=f"slot-{mid}", start=start, end=start + timedelta(hours=1),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, price, 30),)))
    return c.BookSlot(actor=customer, meeting_id=mid, slot_id=f"slot-{mid}", mode=Mode.VIDEO, offer=OfferKind.LONG,
                      start=start, topic="Tax plan", promo_code=promo)


def platform(s: Scenario) -> int:
    return s.world.ledger.account(PLATFORM).balance


def money(s: Scenario) -> tuple[int, int, int, int]:
    """(customer's balance, expert's earnings, commission, platform's own funds)."""
    return s.wallet("carl").balance, s.earnings("anna"), s.commission(), platform(s)


def uses(s: Scenario, name: str = "SPRING-25") -> tuple[int, int]:
    return s.world.promo_uses.get(name, 0), s.world.promo_uses_by.get((name, "carl"), 0)


def held_with_code(s: Scenario, mid: str = "m1") -> None:
    """Booked with the code, approved, run to its end: Held, the holds still open."""
    s.do(book(s, mid))
    s.do(c.ApproveBooking(actor="anna", meeting_id=mid))
    s.now = START + timedelta(minutes=30)
    s.run_due()
    assert s.world.meetings[mid].status is MeetingStatus.HELD


# --- creating and ending codes (operators) -----------------------------------------------------


def test_promo_create_is_for_operators_and_refuses_what_makes_no_sense() -> None:
    s = world()
    s.refused(c.CreatePromoCode(actor="carl", code="MINE", kind=PromoKind.PERCENT, value=100, valid_from=T0,
                                valid_until=T0 + timedelta(days=1)), "forbidden")
    s.do(code(s))
    assert "already exists" in s.refused(code(s, "spring-25"), "already_exists")  # any case is the same code
    assert "letters, digits and dashes" in s.refused(code(s, "NO SPACES"), "invalid")
    assert "1 to 100, not 0" in s.refused(code(s, "ZERO", value=0), "invalid")
    assert "1 to 100, not 101" in s.refused(code(s, "MORE", value=101), "invalid")
    assert "positive number of credits, not 0" in s.refused(code(s, "NONE", PromoKind.CREDITS, 0), "invalid")
    msg = s.refused(code(s, "BACKWARDS", valid_from=T0 + timedelta(days=2), valid_until=T0 + timedelta(days=1)), "invalid")
    assert "must end after it starts" in msg
    s.refused(code(s, "NOBODY", expert="zed"), "not_found")
    s.do(code(s, "ANNA-10", PromoKind.CREDITS, 10, expert="anna", max_uses=5, max_per_customer=0))
    promo = s.world.promos["ANNA-10"]
    assert (promo.kind, promo.value, promo.expert, promo.max_uses, promo.max_per_customer, promo.active) == (
        PromoKind.CREDITS, 10, "anna", 5, 0, True)


def test_promo_end_stops_new_uses_and_keeps_holds_already_made() -> None:
    s = world()
    s.do(code(s))
    s.do(book(s, "m1"))
    s.advance(hours=1)
    s.do(c.EndPromoCode(actor="olga", code="Spring-25"))
    assert "already ended" in s.refused(c.EndPromoCode(actor="olga", code="SPRING-25"), "wrong_state")
    s.refused(c.EndPromoCode(actor="olga", code="NEVER"), "not_found")
    s.refused(c.EndPromoCode(actor="carl", code="SPRING-25"), "forbidden")
    msg = s.refused(book(s, "m2", customer="dina"), "promo_refused")
    assert msg == "this code ended on 2 Mar 10:00 UTC"
    assert s.world.meetings["m1"].promo is not None and s.world.ledger.is_open("m1:promo1")


# --- R8 / R11: the hold with a code ------------------------------------------------------------


def test_r8_r11_promo_booking_holds_the_price_less_the_discount_and_the_platform_holds_the_rest() -> None:
    s = world()
    s.do(code(s))
    assert quote(s.world, "spring-25", "carl", "anna", 125, s.now) == 31  # 25 % of 125 = 31.25, rounded down
    events = s.do(book(s))
    m = s.world.meetings["m1"]
    assert (m.price, m.promo and m.promo.code, m.promo_hold, m.hold) == (125, "SPRING-25", "m1:promo1", "m1:hold1")
    assert s.wallet("carl").available == 1000 - 94
    platform_hold = s.world.ledger.transfers["m1:promo1"]
    assert (platform_hold.debit, platform_hold.credit, platform_hold.amount, platform_hold.kind, platform_hold.label) == (
        PLATFORM, ESCROW, 31, TransferKind.PENDING, Label.PROMO)
    assert s.world.ledger.account(ESCROW).credits_pending == 125
    assert [ev.discount for ev in events if isinstance(ev, e.PromoApplied)] == [31]
    assert "Promo code applied" in s.titles("m1")
    assert uses(s) == (1, 1)


def test_r11_promo_lets_a_customer_book_what_their_wallet_covers_after_the_discount() -> None:
    s = world(credits=100)
    s.do(code(s, "TWENTY-FIVE", PromoKind.CREDITS, 25))
    s.refused(book(s, promo=""), "insufficient_credits")
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="slot-m1", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=START, topic="Tax plan", promo_code="twenty-five"))
    assert s.wallet("carl").available == 0


def test_r8_promo_refusals_say_what_is_wrong_and_hold_nothing() -> None:
    s = world()
    s.do(code(s, "LATER", valid_from=T0 + timedelta(days=1)))
    s.do(code(s, "OVER", valid_from=T0 - timedelta(days=9), valid_until=T0 + timedelta(minutes=1)))
    s.do(code(s, "BOB-ONLY", expert="bob"))
    s.do(code(s, "ONCE", max_uses=1, max_per_customer=0))
    s.do(code(s, "TWICE", max_per_customer=2))
    s.advance(minutes=1)
    assert s.refused(book(s, "m1", "NOPE"), "promo_refused") == "there is no promo code 'NOPE'; check its spelling"
    assert s.refused(book(s, "m2", "later"), "promo_refused") == "this code can be used from 3 Mar 09:00 UTC"
    assert s.refused(book(s, "m3", "over"), "promo_refused") == "this code ended on 2 Mar 09:01 UTC"
    assert s.refused(book(s, "m4", "bob-only"), "promo_refused") == "this code is for sessions with Bob only"
    s.do(book(s, "m5", "ONCE", customer="dina"))
    assert s.refused(book(s, "m6", "ONCE"), "promo_refused") == "this code has been used all 1 times it could be"
    s.do(book(s, "m7", "TWICE"))
    s.do(book(s, "m8", "TWICE"))
    assert s.refused(book(s, "m9", "TWICE"), "promo_refused") == "you have already used this code 2 times, its limit per customer"
    s.do(code(s))
    s.do(book(s, "m10"))
    assert s.refused(book(s, "m11"), "promo_refused") == "you have already used this code"


def test_r7_r9_promo_on_a_scheduled_request_and_on_confirming_a_suggestion() -> None:
    s = world()
    s.do(code(s, "TEN", PromoKind.CREDITS, 10, max_per_customer=0))
    s.do(c.RequestScheduled(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO, offer=OfferKind.LONG,
                            topic="Tax", times=(START,), promo_code="ten"))
    assert s.wallet("carl").available == 1000 - 115
    s.do(c.SuggestMeeting(actor="anna", meeting_id="m2", customer="carl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                          start=START + timedelta(days=1), topic="Follow-up"))
    s.do(c.ConfirmSuggestion(actor="carl", meeting_id="m2", promo_code="TEN"))
    assert s.wallet("carl").available == 1000 - 230
    assert s.world.meetings["m2"].promo_hold == "m2:promo1"


# --- R22-R24: settlement on the full price -----------------------------------------------------


def test_r22_promo_settlement_pays_the_expert_and_the_commission_on_the_full_price() -> None:
    s = world()
    s.do(code(s))
    held_with_code(s)
    events = s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    settled = next(ev for ev in events if isinstance(ev, e.MeetingSettled))
    assert (settled.charged, settled.discount, settled.expert_share, settled.commission, settled.returned) == (125, 31, 113, 12, 0)
    assert money(s) == (1000 - 94, 113, 12, -31)  # exactly as without a code for anna and the commission
    m = s.world.meetings["m1"]
    assert (m.charged, m.discount, m.payment, m.promo_hold) == (125, 31, PaymentStatus.PAID, "")
    post = s.world.ledger.transfers["m1:promo1:post"]
    assert (post.amount, post.label) == (31, Label.PROMO)
    assert uses(s) == (1, 1)  # a charge keeps the use


def test_r23_promo_returned_settlement_voids_both_holds_and_gives_the_use_back() -> None:
    s = world()
    s.do(code(s))
    held_with_code(s)
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.MY_FAULT))
    assert money(s) == (1000, 0, 0, 0)
    assert s.world.ledger.resolved["m1:promo1"] == "m1:promo1:void"
    assert uses(s) == (0, 0) and "Promo code given back" in s.titles("m1")


def test_r24_promo_platform_fault_pays_the_expert_half_the_full_price() -> None:
    s = world()
    s.do(code(s))
    held_with_code(s)
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.PLATFORM))
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.PLATFORM))
    assert money(s) == (1000, 62, 0, -62)  # 50 % of 125, the code changes nothing for anna


def test_r25_promo_split_returns_to_each_source_what_it_gave() -> None:
    s = world()
    s.do(code(s, "HALF", value=50))
    s.do(book(s, promo="half", price=100))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = START + timedelta(minutes=30)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.OTHER_PARTY))
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.OTHER_PARTY))
    s.do(c.DecideReview(actor="olga", meeting_id="m1", outcome=Outcome.SPLIT, expert_amount=31, note="half there"))
    # 31 charged: the code's 50 % of it is 15 (rounded down), carl pays 16; anna 28, commission 3
    assert money(s) == (1000 - 16, 28, 3, -15)
    assert s.world.meetings["m1"].discount == 15


# --- R12-R14: cancelling -----------------------------------------------------------------------


def test_r12_r14_promo_free_cancel_voids_both_holds_and_gives_the_use_back() -> None:
    s = world()
    s.do(code(s))
    s.do(book(s, "m1"))
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="changed my mind"))
    assert money(s) == (1000, 0, 0, 0) and s.wallet("carl").available == 1000
    assert uses(s) == (0, 0)
    s.do(book(s, "m2"))  # the code may be used again
    s.do(c.ApproveBooking(actor="anna", meeting_id="m2"))
    s.do(c.CancelMeeting(actor="anna", meeting_id="m2", reason="ill"))  # R14: everything back
    assert s.wallet("carl").available == 1000 and uses(s) == (0, 0)
    assert s.world.ledger.account(ESCROW).credits_pending == 0


def test_r13_promo_late_cancel_fee_is_discounted_and_the_expert_gets_the_full_fee_share() -> None:
    s = world()
    s.do(code(s, "TWENTY", value=20))
    s.do(book(s, promo="twenty", price=100))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = START - timedelta(hours=10)
    terms = cancellation_terms(s.world, "m1", "carl", s.now, s.policy)
    # fee 50 % of 100 = 50; the code pays its 20 % of it (10), carl 40; anna 45, commission 5 as without a code
    assert (terms.fee, terms.discount, terms.expert_share, terms.commission, terms.returned) == (40, 10, 45, 5, 40)
    msg = s.refused(c.CancelMeeting(actor="carl", meeting_id="m1", reason="ill", accept_fee=50), "fee_not_confirmed")
    assert "costs 40 credits" in msg and "less your promo code" in msg
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="ill", accept_fee=40))
    assert money(s) == (960, 45, 5, -10)
    m = s.world.meetings["m1"]
    assert (m.charged, m.discount, m.payment) == (50, 10, PaymentStatus.REIMBURSED_CANCELLATION)


def test_r6_r7_promo_expiry_and_decline_give_the_use_back_and_r15_holds_again_at_full_price() -> None:
    s = world()
    s.do(code(s, max_per_customer=0))
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO, offer=OfferKind.SHORT,
                          topic="quick", promo_code="SPRING-25"))
    assert s.wallet("carl").available == 1000 - 15  # 25 % of 20 = 5 off
    s.wait(seconds=91)
    assert s.world.meetings["m1"].status is MeetingStatus.EXPIRED and uses(s) == (0, 0)
    s.do(book(s, "m2"))
    s.do(c.DeclineRequest(actor="anna", meeting_id="m2", reason=DeclineReason.NOT_AVAILABLE))
    assert uses(s) == (0, 0) and money(s) == (1000, 0, 0, 0)
    s.do(c.ProposeAlternative(actor="carl", meeting_id="m2", start=START + timedelta(days=1)))
    assert s.wallet("carl").available == 1000 - 125 and not s.world.meetings["m2"].promo_hold


# --- R20: a per-minute instant session ---------------------------------------------------------


def instant(s: Scenario, promo: str, budget: int = 100) -> None:
    s.do(c.RequestInstant(actor="carl", meeting_id="m1", expert="anna", mode=Mode.VIDEO, offer=OfferKind.PER_MINUTE,
                          topic="quick", max_budget=budget, promo_code=promo))
    s.do(c.AcceptInstant(actor="anna", meeting_id="m1"))


def test_r20_promo_percent_is_held_on_the_budget_and_charged_on_the_bill() -> None:
    s = world()
    s.do(code(s, "TWENTY", value=20))
    instant(s, "twenty")
    assert s.wallet("carl").available == 1000 - 80  # 20 of the 100 budget held by the platform
    s.advance(minutes=12, seconds=30)
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    # 13 minutes x 2 = 26 billed: the code's 20 % of it is 5, carl pays 21; anna 24, commission 2
    assert money(s) == (1000 - 21, 24, 2, -5)
    settled = next(ev for ev in s.log if isinstance(ev, e.MeetingSettled))
    assert (settled.charged, settled.discount, settled.returned) == (26, 5, 59)


def test_r20_promo_credits_come_off_a_short_bill_whole() -> None:
    s = world()
    s.do(code(s, "TEN", PromoKind.CREDITS, 10))
    instant(s, "ten")
    s.advance(minutes=5)
    s.do(c.EndSession(actor="carl", meeting_id="m1"))
    assert money(s) == (1000, 9, 1, -10)  # a 10-credit bill, all of it the code's
    assert s.world.ledger.resolved["m1:hold1"] == "m1:hold1:void"
    assert uses(s, "TEN") == (1, 1)


# --- R29-R30: refunds return to each source ----------------------------------------------------


def settled_with_code(s: Scenario) -> None:
    s.do(code(s))
    held_with_code(s)
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))


def test_r29_promo_claims_count_only_what_the_customer_paid() -> None:
    s = world()
    settled_with_code(s)
    msg = s.refused(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=95, reason="bad"), "invalid")
    assert "at most 94 credits" in msg


def test_r30_promo_full_refund_returns_to_the_customer_and_the_platform_what_each_gave() -> None:
    s = world()
    settled_with_code(s)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=94, reason="off topic"))
    events = s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=94))
    refunded = next(ev for ev in events if isinstance(ev, e.ClaimRefunded))
    assert (refunded.amount, refunded.platform_part, refunded.expert_part, refunded.commission_part) == (94, 31, 113, 12)
    assert money(s) == (1000, 0, 0, 0)
    labels = {t.label for t in events if isinstance(t, Transfer) and t.credit == PLATFORM}
    assert labels == {Label.PROMO_RETURNED}
    assert s.world.meetings["m1"].payment is PaymentStatus.REFUNDED


def test_r30_promo_partial_refunds_on_running_totals_return_exactly_what_was_taken() -> None:
    s = world()
    settled_with_code(s)
    for n, amount in enumerate((40, 33, 21)):
        s.do(c.OpenClaim(actor="carl", claim_id=f"k{n}", session="m1", amount=amount, reason="part"))
        s.do(c.RefundClaim(actor="anna", claim_id=f"k{n}", amount=amount))
        s.advance(hours=1)
    assert money(s) == (1000, 0, 0, 0)


def test_r30_promo_dispute_rejected_returns_the_platforms_part_from_the_experts_earnings() -> None:
    s = world()
    settled_with_code(s)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=47, reason="half"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k1", summary="it went fine"))
    s.do(c.DecideDispute(actor="olga", claim_id="k1", accept=False, note="the recording says otherwise"))
    # half of what carl paid comes back to him, half of the code's 31 (15) to the platform
    assert money(s) == (1000 - 47, 113 - 56, 12 - 6, -31 + 15)


def test_promo_covering_the_whole_price_makes_only_the_platforms_hold() -> None:
    s = world()
    s.do(code(s, "FREE", PromoKind.CREDITS, 500))
    s.do(book(s, promo="free"))
    m = s.world.meetings["m1"]
    assert (m.hold, m.promo_hold, s.wallet("carl").available) == ("m1:promo1", "m1:promo1", 1000)
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = START + timedelta(minutes=30)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
    assert money(s) == (1000, 113, 12, -125)
    msg = s.refused(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=1, reason="x"), "invalid")
    assert msg == "nothing was charged to you for this session"


def test_r25_promo_a_split_too_small_for_the_codes_part_gives_the_use_back() -> None:
    s = world()
    s.do(code(s, "TWENTY", value=20))
    s.do(book(s, promo="twenty", price=100))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = START + timedelta(minutes=30)
    s.run_due()
    s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.OTHER_PARTY))
    s.do(c.Evaluate(actor="anna", meeting_id="m1", answer=Answer.OTHER_PARTY))
    s.do(c.DecideReview(actor="olga", meeting_id="m1", outcome=Outcome.SPLIT, expert_amount=4, note="barely"))
    # 20 % of 4 rounds down to 0: carl pays the 4, the platform's hold is released whole
    assert money(s) == (996, 4, 0, 0) and uses(s, "TWENTY") == (0, 0)
