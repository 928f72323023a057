"""R29-R31: refund claims, expert refunds and disputes, operator decisions, flagging."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.claims import flagged_experts
from consoleapp.engine.evidence import evidence
from consoleapp.engine.ledger import Label, movements, wallet
from consoleapp.engine.model import Answer, ClaimStatus, Mode, Offer, OfferKind, PaymentStatus
from consoleapp.engine.payouts import statement

from .scenario import Scenario

PRICE = 125  # commission 12 (rounded down), expert 113


def charged_meeting(s: Scenario, mid: str = "m1", *, price: int = PRICE, customer: str = "carl") -> datetime:
    """A 30-minute meeting, held, which the customer confirms went smoothly (so it is charged); its end."""
    end = s.held_meeting(mid, price=price, customer=customer, topic="Contract review")
    s.do(c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.SMOOTH))
    assert s.world.meetings[mid].charged == price
    return end


def setup(price: int = PRICE) -> tuple[Scenario, datetime]:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    end = charged_meeting(s, price=price)
    return s, end


def money(s: Scenario) -> tuple[int, int, int]:
    """(customer's balance, expert's earnings, platform commission)."""
    return s.wallet("carl").balance, s.earnings("anna"), s.commission()


def when(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %H:%M} UTC"


# --- R29: the claim window ---------------------------------------------------------------------


def test_r29_claim_within_72h_ok() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=72)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=50, reason="Half of it was off topic"))
    cl = s.world.claims["k1"]
    assert (cl.status, cl.amount, cl.expert, cl.customer) == (ClaimStatus.OPEN, 50, "anna", "carl")
    assert "claim" in s.notices("anna")
    assert money(s) == (1000 - PRICE, 113, 12)  # opening a claim moves nothing


def test_r29_claim_after_72h_refused() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=72, seconds=1)
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=50, reason="Too late?"))
    assert err.value.code == "claim_window_closed"
    closes = end + timedelta(hours=72)
    assert "closed" in err.value.message and when(closes) in err.value.message
    assert "k1" not in s.world.claims


def test_r29_claim_on_credits_still_blocked_refused() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    start = s.now + timedelta(hours=1)
    s.do(c.AddSlot(actor="anna", slot_id="sl", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, PRICE, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="sl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="x"))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.now = start + timedelta(minutes=31)
    s.run_due()
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=10, reason="x"))
    assert err.value.code == "wrong_state"


def test_r29_claim_by_someone_else_or_above_the_charge_refused() -> None:
    s, end = setup()
    s.customer("dora")
    s.now = end + timedelta(hours=1)
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="dora", claim_id="k1", session="m1", amount=10, reason="x"))
    assert err.value.code == "not_found"  # R1: as if the session did not exist
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=PRICE + 1, reason="x"))
    assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=0, reason="x"))
    assert err.value.code == "invalid"


# --- R30: refunds reverse the split exactly ----------------------------------------------------


def test_r30_full_refund_reverses_expert_share_and_commission() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=2)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=PRICE, reason="Expert never showed"))
    s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=PRICE))
    assert money(s) == (1000, 0, 0)
    refunded = [ev for ev in s.log if isinstance(ev, e.ClaimRefunded)]
    assert [(r.amount, r.expert_part, r.commission_part) for r in refunded] == [(PRICE, 113, 12)]
    assert s.world.meetings["m1"].payment is PaymentStatus.REFUNDED
    assert s.world.claims["k1"].status is ClaimStatus.REFUNDED
    labels = [t.label for t in movements(s.world.ledger, wallet("carl")) if t.ref == "k1"]
    assert labels == [Label.REFUND, Label.COMMISSION_REFUND]
    assert "refund" in s.notices("carl")


def test_r30_several_partial_refunds_never_return_more_than_charged() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    amounts = [7, 7, 7, 50, 54]  # sums to 125
    expert_back = commission_back = 0
    for n, amount in enumerate(amounts):
        cid = f"k{n}"
        s.do(c.OpenClaim(actor="carl", claim_id=cid, session="m1", amount=amount, reason="Partly wasted"))
        s.do(c.RefundClaim(actor="anna", claim_id=cid, amount=amount))
        refunded = sum(amounts[: n + 1])
        # commission on the running total, rounded down; the expert gives back the rest
        commission_back = refunded * 10 // 100
        expert_back = refunded - commission_back
        assert money(s) == (1000 - PRICE + refunded, 113 - expert_back, 12 - commission_back)
        assert s.world.meetings["m1"].payment is (
            PaymentStatus.REFUNDED if refunded == PRICE else PaymentStatus.PARTIALLY_REFUNDED)
    assert money(s) == (1000, 0, 0)
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k-more", session="m1", amount=1, reason="more"))
    assert err.value.code == "invalid"


def test_r30_partial_refund_of_a_claim_and_claim_above_what_is_left_refused() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=100, reason="Mostly wasted"))
    with pytest.raises(DomainError) as err:
        s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=101))
    assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err:  # one open claim per session at a time
        s.do(c.OpenClaim(actor="carl", claim_id="k2", session="m1", amount=5, reason="also"))
    assert err.value.code == "already_exists"
    s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=40))
    assert money(s) == (1000 - PRICE + 40, 113 - 36, 12 - 4)
    with pytest.raises(DomainError) as err:
        s.do(c.OpenClaim(actor="carl", claim_id="k2", session="m1", amount=86, reason="the rest"))
    assert err.value.code == "invalid"
    s.do(c.OpenClaim(actor="carl", claim_id="k2", session="m1", amount=85, reason="the rest"))
    s.do(c.RefundClaim(actor="anna", claim_id="k2", amount=85))
    assert money(s) == (1000, 0, 0)


def test_r30_only_the_sessions_expert_answers_a_claim() -> None:
    s, end = setup()
    s.expert("bob", now_slot=False)
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=10, reason="x"))
    for who, code in (("bob", "not_found"), ("carl", "forbidden")):  # R1: a stranger learns nothing of the claim
        with pytest.raises(DomainError) as err:
            s.do(c.RefundClaim(actor=who, claim_id="k1", amount=10))
        assert err.value.code == code


def test_r30_dispute_accepted_nothing_charged() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=PRICE, reason="Useless advice"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k1", summary="We covered every point of the agenda."))
    assert s.world.claims["k1"].status is ClaimStatus.DISPUTED
    assert "review" in s.notices("operators")
    with pytest.raises(DomainError) as err:
        s.do(c.DecideDispute(note="read the evidence", actor="anna", claim_id="k1", accept=True))
    assert err.value.code == "forbidden"
    s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k1", accept=True))
    assert s.world.claims["k1"].status is ClaimStatus.DISPUTE_ACCEPTED
    assert money(s) == (1000 - PRICE, 113, 12)
    assert s.world.lost_disputes.get("anna", ()) == ()


def test_r30_dispute_rejected_customer_refunded_from_the_experts_earnings() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=60, reason="Half the time lost"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k1", summary="The customer arrived late."))
    s.now += timedelta(days=1)
    s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k1", accept=False))
    assert s.world.claims["k1"].status is ClaimStatus.DISPUTE_REJECTED
    assert money(s) == (1000 - PRICE + 60, 113 - 54, 12 - 6)
    with pytest.raises(DomainError):
        s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k1", accept=True))


def test_r30_lost_dispute_may_take_earnings_negative_carried_into_the_next_payout() -> None:
    s, end = setup(price=120)
    s.do(c.SetPayoutProfile(actor="anna", legal_name="Anna K", billing_address="1 Main St",
                            tax_id="DE136695976", bank_account="DE89370400440532013000"))
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=120, reason="No show"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k1", summary="I was there."))
    s.now = datetime(2026, 3, 16, 6, 0, tzinfo=s.now.tzinfo)
    s.run_due()
    assert s.world.payouts["payout:anna:2026-03-16"].amount == 108
    assert s.earnings("anna") == 0
    s.now += timedelta(days=1)
    s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k1", accept=False))
    assert s.earnings("anna") == -108  # R11: the one balance that may go negative
    assert money(s)[0] == 1000
    s.now = datetime(2026, 4, 1, 6, 0, tzinfo=s.now.tzinfo)
    s.run_due()
    assert "payout:anna:2026-04-01" not in s.world.payouts
    charged_meeting(s, "m2", price=200)  # +180
    assert s.earnings("anna") == 72
    s.now = datetime(2026, 4, 16, 6, 0, tzinfo=s.now.tzinfo)
    s.run_due()
    payout = s.world.payouts["payout:anna:2026-04-16"]
    assert payout.amount == 72
    st = statement(s.world, payout.id)
    assert [(x.label, x.amount) for x in st.lines] == [
        (Label.REFUND.value, -108), (Label.PAYMENT.value, 180), (Label.PAYOUT.value, -72)]
    assert st.opening == 0
    assert s.earnings("anna") == 0


def test_r30_unanswered_claim_escalates_after_72h_via_due() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    opened = s.now
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=30, reason="x"))
    s.now = opened + timedelta(hours=72) - timedelta(seconds=1)
    s.run_due()
    assert s.world.claims["k1"].status is ClaimStatus.OPEN
    with pytest.raises(DomainError) as err:
        s.do(c.EscalateClaim(actor="system", claim_id="k1"))
    assert err.value.code == "too_early"
    s.now = opened + timedelta(hours=72)
    s.run_due()
    assert s.world.claims["k1"].status is ClaimStatus.DISPUTED
    assert [ev.at for ev in s.log if isinstance(ev, e.ClaimEscalated)] == [s.now]
    s.run_due()
    s.now += timedelta(days=10)
    s.run_due()
    assert len([ev for ev in s.log if isinstance(ev, e.ClaimEscalated)]) == 1
    with pytest.raises(DomainError) as err:  # too late for the expert now
        s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=30))
    assert err.value.code == "wrong_state"
    s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k1", accept=False))
    assert money(s) == (1000 - PRICE + 30, 113 - 27, 12 - 3)


# --- R31: flagging ---------------------------------------------------------------------------


def _disputed_claims(s: Scenario, n: int) -> None:
    for i in range(n):
        end = charged_meeting(s, f"m{i}", price=20)
        s.now = end + timedelta(minutes=5)
        s.do(c.OpenClaim(actor="carl", claim_id=f"k{i}", session=f"m{i}", amount=20, reason="no"))
        s.do(c.DisputeClaim(actor="anna", claim_id=f"k{i}", summary="yes"))


def _lose(s: Scenario, i: int) -> list[e.Event]:
    return s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id=f"k{i}", accept=False))


def test_r31_more_than_3_lost_disputes_in_90_days_flags_the_expert() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    _disputed_claims(s, 5)
    for i in range(3):
        s.advance(days=20)
        assert not [ev for ev in _lose(s, i) if isinstance(ev, e.ExpertFlagged)]
    assert flagged_experts(s.world, s.now, s.policy) == []
    assert "anna" not in s.world.flagged
    s.advance(days=20)  # the first loss is 60 days old: 4 in 90 days
    flagged = [ev for ev in _lose(s, 3) if isinstance(ev, e.ExpertFlagged)]
    assert [(ev.ref, ev.lost_disputes) for ev in flagged] == [("anna", 4)]
    assert flagged_experts(s.world, s.now, s.policy) == [("anna", 4)]
    assert "anna" in s.world.flagged
    assert s.earnings("anna") == 18  # 5 x 18 earned, 4 x 18 given back


def test_r31_the_rolling_window_forgets_old_losses() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    _disputed_claims(s, 4)
    for i in range(3):
        _lose(s, i)
    first_three = s.now
    s.now = first_three + timedelta(days=90, seconds=1)
    assert not [ev for ev in _lose(s, 3) if isinstance(ev, e.ExpertFlagged)]
    assert flagged_experts(s.world, s.now, s.policy) == []
    assert "anna" not in s.world.flagged


def test_r31_flag_list_forgets_once_the_losses_age_out() -> None:
    s = Scenario()
    s.expert(now_slot=False)
    s.customer()
    s.operator()
    _disputed_claims(s, 4)
    for i in range(4):
        _lose(s, i)
    assert flagged_experts(s.world, s.now, s.policy) == [("anna", 4)]
    assert flagged_experts(s.world, s.now + timedelta(days=89), s.policy) == [("anna", 4)]
    assert flagged_experts(s.world, s.now + timedelta(days=90), s.policy) == []


def test_r30_the_evidence_pack_has_the_reason_the_summary_and_who_decided_why() -> None:
    s, end = setup()
    s.now = end + timedelta(hours=1)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=60, reason="Half the time lost"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k1", summary="The customer arrived late."))
    for blank in ("", " "):
        with pytest.raises(DomainError):
            s.do(c.DecideDispute(note=blank, actor="olga", claim_id="k1", accept=True))
    s.do(c.DecideDispute(note="The attendance record shows a late arrival.", actor="olga", claim_id="k1", accept=True))
    pack = evidence("m1", [ev for ev in s.log if ev.ref == "m1"], [ev for ev in s.log if ev.ref == "k1"])
    assert (pack.claim_reason, pack.claim_summary) == ("Half the time lost", "The customer arrived late.")
    assert pack.decision is not None
    assert pack.decision[1:] == ("olga", "Dispute accepted", "The attendance record shows a late arrival.")
    assert [what for _, _, what in pack.timeline][-3:] == ["Refund claim opened", "Claim disputed by expert",
                                                          "Dispute accepted"]
