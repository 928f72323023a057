"""R32-R33: monthly summaries, transaction records, payouts, statements (CSV and PDF)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from consoleapp.engine import DomainError
from consoleapp.engine import commands as c
from consoleapp.engine import events as e
from consoleapp.engine.ledger import Label, Transfer, earnings, movements, wallet
from consoleapp.engine.model import Answer, Mode, MonthSummary, Offer, OfferKind
from consoleapp.engine.payouts import (
    due_payout_day,
    payout_plan,
    statement,
    statement_csv,
)

from .scenario import Scenario

COMPLETE = {"legal_name": "Anna Keller", "billing_address": "1 Rue de Rivoli, Paris", "tax_id": "FR40303265045",
            "bank_account": "FR7630006000011234567890189"}


def held(s: Scenario, mid: str, price: int, start: datetime, customer: str = "carl") -> datetime:
    """A 30-minute meeting of `price` credits at `start`, run past its end; returns the end."""
    end = start + timedelta(minutes=30)
    s.do(c.AddSlot(actor="anna", slot_id=f"slot-{mid}", start=start, end=end,
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, price, 30),)))
    s.do(c.BookSlot(actor=customer, meeting_id=mid, slot_id=f"slot-{mid}", mode=Mode.VIDEO,
                    offer=OfferKind.LONG, start=start, topic="Budget"))
    s.do(c.ApproveBooking(actor="anna", meeting_id=mid))
    s.now = end
    s.run_due()
    return end


def paid(s: Scenario, mid: str, price: int, customer: str = "carl") -> datetime:
    end = held(s, mid, price, s.now + timedelta(hours=1), customer)
    s.do(c.Evaluate(actor=customer, meeting_id=mid, answer=Answer.SMOOTH))
    return end


def world(time_zone: str = "UTC", profile: dict[str, str] | None = None) -> Scenario:
    s = Scenario()
    s.expert(now_slot=False)
    s.do(c.UpdateProfile(actor="anna", name="Anna Keller", specialty="Tax", time_zone=time_zone, slug="anna"))
    if profile is not None:
        s.do(c.SetPayoutProfile(actor="anna", **profile))
    s.customer()
    s.operator()
    return s


def at(day: str, hh: int = 0, mm: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=UTC)


# --- R32: monthly summary ----------------------------------------------------------------------


def test_r32_monthly_summary_counts_sessions_hours_gross_commission_refunds_claims_net() -> None:
    s = world()
    end = paid(s, "m1", 120)  # 2 Mar: gross 120, commission 12, net 108
    paid(s, "m2", 60)  # gross 60, commission 6, net 54
    s.now = end + timedelta(hours=5)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=40, reason="cut short"))
    s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=40))  # expert -36, commission -4
    s.do(c.OpenClaim(actor="carl", claim_id="k2", session="m2", amount=10, reason="late"))
    s.do(c.DisputeClaim(actor="anna", claim_id="k2", summary="on time"))
    s.do(c.DecideDispute(note="read the evidence", actor="olga", claim_id="k2", accept=True))
    assert s.world.months[("anna", "2026-03")] == MonthSummary(
        expert="anna", month="2026-03", sessions=2, seconds=2 * 30 * 60, gross=180,
        commission=18 - 4, refunds=40, claims=2, net=108 + 54 - 36,
    )
    assert s.earnings("anna") == 108 + 54 - 36


def test_r32_month_is_the_experts_time_zone() -> None:
    """A settlement at 23:30 UTC on 31 March is 01:30 on 1 April in Paris (summer time)."""
    for zone, month in (("Europe/Paris", "2026-04"), ("UTC", "2026-03")):
        s = world(zone)
        s.now = at("2026-03-31", 20)
        end = held(s, "m1", 120, at("2026-03-31", 22))
        assert end == at("2026-03-31", 22, 30)
        s.now = at("2026-03-31", 23, 30)
        s.do(c.Evaluate(actor="carl", meeting_id="m1", answer=Answer.SMOOTH))
        summaries = {k: v for k, v in s.world.months.items() if k[0] == "anna"}
        assert list(summaries) == [("anna", month)], zone
        assert summaries[("anna", month)].gross == 120 and summaries[("anna", month)].net == 108


def test_r32_transaction_record_labels() -> None:
    s = world()
    end = paid(s, "m1", 120)
    s.do(c.WriteReview(actor="carl", expert="anna", text="Helpful"))
    s.now = end + timedelta(hours=3)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m1", amount=20, reason="x"))
    s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=20))
    customer = [(t.label.value, t.amount) for t in movements(s.world.ledger, wallet("carl"))]
    assert customer == [
        ("Credits granted", 1000),
        ("Blocking of credits for services", 120),
        ("Deduction of credits for services", 120),
        ("Bonus credits for verbal evaluation", 10),
        ("Refund of credits for services", 18),
        ("Commission returned with a refund", 2),
    ]
    expert = [(t.label.value, t.amount) for t in movements(s.world.ledger, earnings("anna"))]
    assert expert == [("Payment of credits for services", 108), ("Refund of credits for services", 18)]


def test_r32_late_cancel_recorded_as_deduction_and_payment() -> None:
    """Seed 002: a late cancel records "Deduction of credits for services" for the user and
    "Payment of credits for services" for the expert."""
    s = world()
    start = s.now + timedelta(hours=10)
    s.do(c.AddSlot(actor="anna", slot_id="sl", start=start, end=start + timedelta(minutes=30),
                   offers=(Offer(Mode.VIDEO, OfferKind.LONG, 120, 30),)))
    s.do(c.BookSlot(actor="carl", meeting_id="m1", slot_id="sl", mode=Mode.VIDEO, offer=OfferKind.LONG,
                    start=start, topic="x"))
    s.do(c.ApproveBooking(actor="anna", meeting_id="m1"))
    s.do(c.CancelMeeting(actor="carl", meeting_id="m1", reason="ill", accept_fee=60))
    labels = [t.label.value for t in movements(s.world.ledger, wallet("carl")) if t.ref == "m1"]
    assert labels == ["Blocking of credits for services", "Deduction of credits for services"]
    assert [(t.label.value, t.amount) for t in movements(s.world.ledger, earnings("anna"))] == [
        ("Payment of credits for services", 54)]
    month = s.world.months[("anna", "2026-03")]
    assert (month.gross, month.commission, month.net) == (60, 6, 54)
    assert s.wallet("carl").balance == 940


# --- R33: payouts ------------------------------------------------------------------------------


def payouts_made(s: Scenario) -> list[e.PayoutMade]:
    return [ev for ev in s.log if isinstance(ev, e.PayoutMade)]


def withheld(s: Scenario) -> list[e.PayoutWithheld]:
    return [ev for ev in s.log if isinstance(ev, e.PayoutWithheld)]


def test_r33_payout_on_the_16th_via_due_when_balance_and_profile_allow() -> None:
    s = world(profile=COMPLETE)
    paid(s, "m1", 120)
    s.now = at("2026-03-15", 23, 59)
    s.run_due()
    assert payouts_made(s) == []
    s.now = at("2026-03-16")
    s.run_due()
    [made] = payouts_made(s)
    assert (made.expert, made.day, made.amount) == ("anna", "2026-03-16", 108)
    assert s.earnings("anna") == 0
    assert s.world.ledger.account("payouts").balance == 108
    assert "payout" in s.notices("anna")
    s.now = at("2026-03-20")
    s.run_due()
    s.now = at("2026-03-31", 23, 59)
    s.run_due()
    assert len(payouts_made(s)) == 1


def test_r33_payout_on_the_1st_too() -> None:
    s = world(profile=COMPLETE)
    s.now = at("2026-03-20")
    paid(s, "m1", 120)
    s.now = at("2026-04-01", 0, 1)
    s.run_due()
    assert [(p.day, p.amount) for p in payouts_made(s)] == [("2026-04-01", 108)]


@pytest.mark.parametrize(("price", "profile", "reason"), [
    (55, COMPLETE, None),  # exactly 50: paid
    (54, COMPLETE, "balance 49 is under the 50 credit threshold"),
    (120, {**COMPLETE, "tax_id": ""}, "the payout profile lacks tax id"),
    (120, None, "the payout profile lacks legal name, billing address, tax id, bank account"),
])
def test_r33_payout_needs_balance_of_50_and_a_complete_profile(price: int, profile: dict[str, str] | None,
                                                               reason: str | None) -> None:
    s = world(profile=profile)
    paid(s, "m1", price)
    balance = s.earnings("anna")
    s.now = at("2026-03-16", 8)
    s.run_due()
    if reason is None:
        assert [(p.amount, p.day) for p in payouts_made(s)] == [(50, "2026-03-16")]
        assert withheld(s) == []
        return
    assert payouts_made(s) == []
    [held_back] = withheld(s)
    assert (held_back.expert, held_back.day, held_back.balance, held_back.reason) == ("anna", "2026-03-16", balance, reason)
    assert s.earnings("anna") == balance
    assert s.notices("anna").count("payout") == 1


def test_r33_a_second_run_for_the_same_day_refused() -> None:
    s = world(profile=COMPLETE)
    paid(s, "m1", 120)
    s.now = at("2026-03-16", 8)
    s.run_due()
    with pytest.raises(DomainError) as err:
        s.do(c.RunPayouts(actor="olga", day="2026-03-16"))
    assert err.value.code == "already_exists"
    with pytest.raises(DomainError) as err:
        s.do(c.RunPayouts(actor="olga", day="2026-03-17"))
    assert err.value.code == "invalid"
    with pytest.raises(DomainError) as err:
        s.do(c.RunPayouts(actor="olga", day="2026-04-01"))
    assert err.value.code == "too_early"
    with pytest.raises(DomainError) as err:
        s.do(c.RunPayouts(actor="anna", day="2026-03-16"))
    assert err.value.code == "forbidden"
    assert len(payouts_made(s)) == 1


def _expert_transfers(s: Scenario) -> list[Transfer]:
    return list(movements(s.world.ledger, earnings("anna")))


def _busy_world() -> Scenario:
    """Two payouts with payments, a late-cancel fee, a refund and a platform-fault payment between."""
    s = world(profile=COMPLETE)
    s.customer("dora")
    paid(s, "m1", 120)  # +108
    paid(s, "m2", 80, customer="dora")  # +72
    s.now = at("2026-03-16", 6)
    s.run_due()  # payout 180
    end = paid(s, "m3", 200)  # +180
    held(s, "m4", 100, s.now + timedelta(hours=1))
    s.do(c.Evaluate(actor="carl", meeting_id="m4", answer=Answer.PLATFORM))
    s.do(c.Evaluate(actor="anna", meeting_id="m4", answer=Answer.PLATFORM))  # platform pays 50
    s.now = end + timedelta(hours=4)
    s.do(c.OpenClaim(actor="carl", claim_id="k1", session="m3", amount=50, reason="x"))
    s.do(c.RefundClaim(actor="anna", claim_id="k1", amount=50))  # -45
    s.now = at("2026-04-01", 6)
    s.run_due()  # payout 185
    return s


def test_r33_statement_lines_are_exactly_the_transfers_since_the_previous_payout() -> None:
    s = _busy_world()
    first, second = payouts_made(s)
    assert (first.amount, second.amount) == (180, 185)
    transfers = _expert_transfers(s)
    cut = [i for i, t in enumerate(transfers) if t.label is Label.PAYOUT]
    assert len(cut) == 2
    expected = {first.ref: transfers[: cut[0] + 1], second.ref: transfers[cut[0] + 1 : cut[1] + 1]}
    for payout in (first, second):
        st = statement(s.world, payout.ref)
        assert [x.transfer_id for x in st.lines] == [t.id for t in expected[payout.ref]]
        for line, t in zip(st.lines, expected[payout.ref], strict=True):
            sign = 1 if t.credit == earnings("anna") else -1
            assert (line.amount, line.label, line.at, line.ref) == (sign * t.amount, t.label.value, t.at, t.ref)
        body = sum(x.amount for x in st.lines if x.label != Label.PAYOUT.value)
        assert st.opening + body == payout.amount
        assert st.opening + sum(x.amount for x in st.lines) == 0  # the balance is emptied
        assert st.opening == 0
    second_lines = [(x.label, x.amount) for x in statement(s.world, second.ref).lines]
    assert second_lines == [
        ("Payment of credits for services", 180),
        ("Platform payment for broken services", 50),
        ("Refund of credits for services", -45),
        ("Payout to bank account", -185),
    ]


def test_r33_statement_lines_name_the_customer_they_came_from() -> None:
    s = _busy_world()
    first, second = (statement(s.world, p.ref) for p in payouts_made(s))
    carl, dora = s.world.people["carl"].name, s.world.people["dora"].name
    assert [x.customer for x in first.lines] == [carl, dora, ""]  # two payments, then the payout
    assert {x.customer for x in second.lines if x.label != Label.PAYOUT.value} == {carl}  # payment, refund, R24
    assert second.lines[-1].customer == ""


def test_r33_statement_csv() -> None:
    s = _busy_world()
    pid = payouts_made(s)[1].ref
    st = statement(s.world, pid)
    rows = list(csv.reader(io.StringIO(statement_csv(st))))
    assert rows[0] == ["date", "description", "reference", "transfer", "credits", "customer"]
    body = rows[1:-2]
    assert [(r[1], r[2], r[3], int(r[4]), r[5]) for r in body] == [
        (x.label, x.ref, x.transfer_id, x.amount, x.customer) for x in st.lines]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r[0]) for r in body)
    assert rows[-2] == ["", "Brought forward", "", "", "0", ""]
    assert rows[-1] == ["", "Paid out", pid, "", "185", ""]


def test_r33_next_payout_day_is_the_next_1st_or_16th() -> None:
    from datetime import UTC, date, datetime

    from consoleapp.engine.payouts import next_payout_day
    from consoleapp.engine.policy import DEFAULT_POLICY

    assert next_payout_day(datetime(2026, 3, 2, 9, tzinfo=UTC), DEFAULT_POLICY) == date(2026, 3, 16)
    assert next_payout_day(datetime(2026, 3, 16, 9, tzinfo=UTC), DEFAULT_POLICY) == date(2026, 4, 1)
    assert next_payout_day(datetime(2026, 12, 31, 23, tzinfo=UTC), DEFAULT_POLICY) == date(2027, 1, 1)


def test_r33_the_payout_plan_is_what_the_run_pays_and_says_who_is_left_out() -> None:
    s = world(profile=COMPLETE)
    paid(s, "m1", 120)
    s.now = at("2026-03-16", 8)
    [line] = payout_plan(s.world, s.policy)
    assert (line.expert, line.balance, line.reason) == ("anna", s.earnings("anna"), "")
    assert due_payout_day(s.world, s.now, s.policy) == date(2026, 3, 16)
    s.do(c.RunPayouts(actor="olga", day="2026-03-16"))
    assert [(p.expert, p.amount) for p in payouts_made(s)] == [("anna", line.balance)]
    assert payout_plan(s.world, s.policy) == []  # nothing earned since
    assert due_payout_day(s.world, s.now, s.policy) is None


@pytest.mark.parametrize(("price", "profile", "reason"), [
    (54, COMPLETE, "balance 49 is under the 50 credit threshold"),
    (120, None, "the payout profile lacks legal name, billing address, tax id, bank account"),
])
def test_r33_the_plan_and_the_run_agree_on_who_is_withheld(price: int, profile: dict[str, str] | None,
                                                           reason: str) -> None:
    s = world(profile=profile)
    paid(s, "m1", price)
    s.now = at("2026-03-16", 8)
    [line] = payout_plan(s.world, s.policy)
    assert line.reason == reason
    s.do(c.RunPayouts(actor="olga", day="2026-03-16"))
    assert [(h.expert, h.reason) for h in withheld(s)] == [("anna", reason)]
