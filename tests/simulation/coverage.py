"""Which outcomes a run reached, counted from the server's log.

The invariants (checks.py) say nothing went wrong; these counts say what was tried. Each
outcome is one branch of a rule where money moves or a record ends: a cell of the settlement
table, a cancellation branch, a live session's gift, drop and budget cap, an event settled or
voided, a claim refunded or a dispute decided, a payout paid or withheld. They are read from the
log, not from the World, because the log says *how* a record got where it is (who cancelled, at
which answer a meeting settled), which the folded state forgets.

`REQUIRED` are the outcomes a long run must reach (`python -m tests.simulation` fails a run of
3 000 steps or more that reaches one of them fewer than `--require` times); the rest are counted
for the reader.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from consoleapp.engine import events as e
from consoleapp.engine.ledger import PAYMENTS, Transfer
from consoleapp.engine.model import Answer, MeetingKind, OfferKind, Outcome, Party
from consoleapp.store import db, schema
from consoleapp.store.codec import event_from

# (outcome, what it is) in the order the README's table shows them.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("R12 cancelled while awaiting approval", "the hold voided"),
    ("R13 cancelled 48 h or more ahead", "everything returned"),
    ("R13 cancelled late, fee to the expert", "50 % to the expert minus commission"),
    ("R14 cancelled by the expert", "full refund"),
    ("R19 warned 30 s before the end", "both parties"),
    ("R19 extra minutes gifted", "once per session"),
    ("R19 connection dropped and resumed", "the count paused, then resumed"),
    ("R20 live session billed", "connected minutes or the package price"),
    ("R20 per-minute session billed up to its budget", "the budget is a hard cap"),
    ("R22 paid: customer said smoothly", "settled at once"),
    ("R22 paid: customer said own fault", "settled at once"),
    ("R22 paid: expert answered, customer silent 168 h", "settled at the deadline"),
    ("R22 paid: both silent 168 h", "settled at the deadline"),
    ("R23 returned: expert said own fault", "settled at once"),
    ("R23 returned: customer blamed the expert, expert silent 168 h", "settled at the deadline"),
    ("R24 both said the platform broke", "refunded; the platform pays the expert half"),
    ("R25 sent to operator review", "any other pair of answers"),
    ("R25 review decided: paid", "the operator pays the expert"),
    ("R25 review decided: returned", "the operator returns the credits"),
    ("R25 review decided: split", "the operator splits"),
    ("R26 answer after settlement, not re-settled", "the first deciding answer wins"),
    ("R28 event settled at the price", "the expert present 5 min or more"),
    ("R28 event voided, expert present under 5 min", "every hold voided"),
    ("R29 claim refunded in full by the expert", "within 72 h of the end"),
    ("R29 claim refunded in part by the expert", "within 72 h of the end"),
    ("R30 claim disputed", "a written summary, to the operator"),
    ("R30 dispute accepted", "nothing charged back"),
    ("R30 dispute rejected", "refunded from the expert's earnings"),
    ("R33 payout paid", "balance over the threshold, profile complete"),
    ("R33 payout withheld", "under the threshold, profile incomplete or a debt"),
)
COUNTED: tuple[tuple[str, str], ...] = (
    ("R12 cancelled after the expert's rejection", "the hold voided"),
    ("R25 a lone 'platform broke' at 168 h, to review", "a person looks"),
    ("R27 first text review, bonus credits", ""),
    ("R28 event cancelled", "every hold voided"),
    ("R28 registration cancelled", ""),
    ("R30 claim unanswered 72 h, to review", ""),
    ("R31 expert flagged", "more than 3 lost disputes in 90 days"),
    ("promo code applied", "the platform funds the discount"),
    ("promo code given back", "the meeting ended without a charge"),
    ("credits bought", "a payment received"),
)


@dataclass
class _Meeting:
    kind: MeetingKind
    offer: OfferKind
    price: int
    rate: int
    state: str = "awaiting"  # awaiting, agreed, rejected: what a cancel finds
    answers: dict[Party, Answer] = field(default_factory=dict)
    reviewed: bool = False
    settled: bool = False


def count(log: Iterable[e.Event]) -> Counter[str]:
    """Every outcome the log reached, by the names of REQUIRED and COUNTED (zero ones included)."""
    found: Counter[str] = Counter({name: 0 for name, _ in (*REQUIRED, *COUNTED)})
    meetings: dict[str, _Meeting] = {}
    claims: dict[str, int] = {}  # claim id -> amount claimed
    paused: set[str] = set()

    def hit(name: str) -> None:
        assert name in found, f"an outcome without a row in the table: {name}"
        found[name] += 1

    for ev in log:
        m = meetings.get(ev.ref)
        match ev:
            case e.MeetingRequested():
                meetings[ev.ref] = _Meeting(ev.kind, ev.offer, ev.price, ev.rate)
            case e.MeetingAgreed() | e.AlternativeApproved() | e.MeetingRescheduled() if m:
                m.state = "agreed"
            case e.MeetingRejected() if m:
                m.state = "rejected"
            case e.MeetingCancelled() if m:
                if ev.by is Party.EXPERT:
                    hit("R14 cancelled by the expert")
                elif m.state == "awaiting":
                    hit("R12 cancelled while awaiting approval")
                elif m.state == "rejected":
                    hit("R12 cancelled after the expert's rejection")
                else:
                    hit("R13 cancelled late, fee to the expert" if ev.fee else "R13 cancelled 48 h or more ahead")
            case e.CancellationReimbursed() if m and m.state == "agreed" and not ev.fee:
                # a late cancel whose fee the promo code paid in full still took the late branch
                found["R13 cancelled 48 h or more ahead"] -= 1
                hit("R13 cancelled late, fee to the expert")
            case e.SessionEndingWarned():
                hit("R19 warned 30 s before the end")
            case e.ExtraMinutesGifted():
                hit("R19 extra minutes gifted")
            case e.SessionPaused():
                paused.add(ev.ref)
            case e.SessionResumed() if ev.ref in paused:
                paused.discard(ev.ref)
                hit("R19 connection dropped and resumed")
            case e.SessionEnded() if m:
                hit("R20 live session billed")
                if m.kind is MeetingKind.INSTANT and m.offer is OfferKind.PER_MINUTE and m.rate \
                        and ev.billed_minutes >= m.price // m.rate:
                    hit("R20 per-minute session billed up to its budget")
            case e.ProgressRecorded() if m:
                if m.settled and not m.reviewed:
                    hit("R26 answer after settlement, not re-settled")
                m.answers.setdefault(ev.party, ev.answer)
            case e.ReviewRequired() if m:
                m.reviewed = True
                hit("R25 sent to operator review")
                if m.answers.keys() == {Party.CUSTOMER} and m.answers[Party.CUSTOMER] is Answer.PLATFORM:
                    hit("R25 a lone 'platform broke' at 168 h, to review")
            case e.MeetingSettled() if m:
                m.settled = True
                if m.kind is not MeetingKind.INSTANT:  # instant sessions settle on their bill (R20)
                    hit(_cell(m, ev))
            case e.GroupEventSettled():
                hit("R28 event settled at the price" if ev.charged else "R28 event voided, expert present under 5 min")
            case e.GroupEventCancelled():
                hit("R28 event cancelled")
            case e.RegistrationCancelled():
                hit("R28 registration cancelled")
            case e.ReviewWritten() if ev.first:
                hit("R27 first text review, bonus credits")
            case e.ClaimOpened():
                claims[ev.ref] = ev.amount
            case e.ClaimRefunded() if ev.by is Party.EXPERT:
                full = ev.amount >= claims.get(ev.ref, 0)
                hit("R29 claim refunded in full by the expert" if full else "R29 claim refunded in part by the expert")
            case e.ClaimDisputed():
                hit("R30 claim disputed")
            case e.ClaimEscalated():
                hit("R30 claim unanswered 72 h, to review")
            case e.DisputeDecided():
                hit("R30 dispute accepted" if ev.accepted else "R30 dispute rejected")
            case e.ExpertFlagged():
                hit("R31 expert flagged")
            case e.PayoutMade():
                hit("R33 payout paid")
            case e.PayoutWithheld():
                hit("R33 payout withheld")
            case e.PromoApplied():
                hit("promo code applied")
            case e.PromoReleased():
                hit("promo code given back")
            case Transfer() if ev.debit == PAYMENTS:
                hit("credits bought")
    return found


def _cell(m: _Meeting, ev: e.MeetingSettled) -> str:
    """The settlement table's cell (R22-R25) a meeting settled in."""
    customer, expert = m.answers.get(Party.CUSTOMER), m.answers.get(Party.EXPERT)
    if m.reviewed:
        return {Outcome.PAY: "R25 review decided: paid", Outcome.RETURN: "R25 review decided: returned",
                Outcome.SPLIT: "R25 review decided: split"}[ev.outcome]
    if ev.outcome is Outcome.PLATFORM_FAULT:
        return "R24 both said the platform broke"
    if ev.outcome is Outcome.PAY:
        if not ev.automatic:
            return "R22 paid: customer said smoothly" if customer is Answer.SMOOTH else "R22 paid: customer said own fault"
        return "R22 paid: expert answered, customer silent 168 h" if expert else "R22 paid: both silent 168 h"
    if ev.outcome is Outcome.RETURN:
        return ("R23 returned: customer blamed the expert, expert silent 168 h" if ev.automatic
                else "R23 returned: expert said own fault")
    raise AssertionError(f"meeting {ev.ref} settled {ev.outcome} outside the table")


def from_database(url: str) -> Counter[str]:
    """The outcomes of the log in the server's database at `url`."""
    engine = db.create(url)
    try:
        with db.reading(engine) as conn:
            t = schema.events.c
            rows = conn.execute(sa.select(t.kind, t.data).order_by(t.position))
            return count(event_from(kind, json.loads(data)) for kind, data in rows)
    finally:
        engine.dispose()


def missing(found: Counter[str], at_least: int) -> list[str]:
    """The required outcomes reached fewer than `at_least` times."""
    return [name for name, _ in REQUIRED if found[name] < at_least]


def table(found: Counter[str]) -> str:
    """A Markdown table of the outcomes, as the README shows it."""
    lines = ["| outcome | times | |", "|---|---:|---|"]
    lines += [f"| {name} | {found[name]} | {what} |" for name, what in REQUIRED]
    lines += [f"| {name} (not required) | {found[name]} | {what} |" for name, what in COUNTED]
    return "\n".join(lines)
