"""Evaluation and settlement (R22-R26), ratings and reviews with the first-review bonus (R27).

Each side answers once. Settlement happens the moment an answer decides it, or at the
deadline; the first deciding answer wins and a later answer is recorded but never re-settles.
"""

from __future__ import annotations

from datetime import datetime

from . import commands as c
from . import events as e
from . import promos
from .common import (
    as_customer,
    hours,
    meeting,
    notice,
    open_hold,
    operator,
    person,
    side,
    status_in,
    text,
)
from .errors import ALREADY_ANSWERED, FORBIDDEN, INVALID, TOO_EARLY, DomainError, when
from .ledger import PLATFORM, Label, earnings, fee, posted, split, wallet
from .model import SYSTEM, Answer, Meeting, MeetingStatus, Outcome, Party, Role, renew
from .policy import Policy
from .world import World, decides, folds

_ASKED = (MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW)


def sees_stars(m: Meeting, viewer: str) -> bool:
    """R27: stars are for the operator; of the participants, only the customer who gave them sees them."""
    return viewer == m.customer


def awaits_answer(m: Meeting, who: Party) -> bool:
    """R22-R26: whether the evaluation still asks `who` for an answer (it refuses one elsewhere)."""
    given = m.expert_answer if who is Party.EXPERT else m.customer_answer
    return given is None and m.status in _ASKED


def outcome(customer: Answer | None, expert: Answer | None, deadline_passed: bool) -> Outcome | None:
    """The decision table. None: wait for more answers or for the deadline."""
    if customer in (Answer.SMOOTH, Answer.MY_FAULT):  # R22
        return Outcome.PAY
    if expert is Answer.MY_FAULT:  # R23
        return Outcome.RETURN
    if customer is not None and expert is not None:
        if customer is Answer.PLATFORM and expert is Answer.PLATFORM:  # R24
            return Outcome.PLATFORM_FAULT
        return Outcome.REVIEW  # R25: any other pair of answers
    if not deadline_passed:
        return None
    if customer is None and expert in (None, Answer.SMOOTH, Answer.OTHER_PARTY):  # R22: silence counts as smooth
        return Outcome.PAY
    if expert is None and customer is Answer.OTHER_PARTY:  # R23
        return Outcome.RETURN
    return Outcome.REVIEW  # a lone "the platform broke" needs a person to look


def deadline(m: Meeting, p: Policy) -> datetime:
    assert m.end is not None
    return m.end + hours(p.auto_evaluation_hours)


def settle(w: World, m: Meeting, decided: Outcome, now: datetime, actor: str, p: Policy,
           automatic: bool, split_amount: int = 0, note: str = "") -> list[e.Event]:
    if decided is Outcome.REVIEW:
        return [
            e.ReviewRequired(ref=m.id, at=now, actor=actor, reason=_answers(m)),
            notice(m.id, now, "operators", "review", f"Meeting {m.id} needs a decision"),
        ]
    holds = promos.open_holds(w, m) or [open_hold(w, m)]  # none open: open_hold says so
    held = sum(t.amount for t in holds)
    charged = {Outcome.PAY: held, Outcome.SPLIT: split_amount}.get(decided, 0)
    share, commission = split(charged, p.commission_percent)
    platform_paid = fee(held, p.platform_fault_percent) if decided is Outcome.PLATFORM_FAULT else 0
    discount = promos.code_part(w, m, charged)
    returned = promos.customer_held(w, m) - (charged - discount)
    events: list[e.Event] = promos.charge(w, m, charged, p.commission_percent, now, actor)
    if platform_paid:
        events.append(posted(f"{m.id}:platform", PLATFORM, earnings(m.expert), platform_paid,
                             Label.PLATFORM_FAULT, m.id, now, actor))
    events.append(e.MeetingSettled(
        ref=m.id, at=now, actor=actor, outcome=decided, charged=charged, expert_share=share, commission=commission,
        returned=returned, platform_paid=platform_paid, automatic=automatic, note=note, discount=discount,
    ))
    message = f"{charged - discount} credits charged" if charged - discount else "your credits were returned"
    events.append(notice(m.id, now, m.customer, "settled", f"Meeting settled: {message}"))
    events.append(notice(m.id, now, m.expert, "settled", f"Meeting settled: {share + platform_paid} credits earned"))
    return events


def _said(answer: Answer | None) -> str:
    return answer.value if answer else "no answer"


def _answers(m: Meeting) -> str:
    return f"user: {_said(m.customer_answer)}; expert: {_said(m.expert_answer)}"


@decides(c.Evaluate)
def evaluate(w: World, cmd: c.Evaluate, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who = side(m, cmd.actor)
    status_in(m, "evaluate", *_ASKED)
    given = m.expert_answer if who is Party.EXPERT else m.customer_answer
    if given is not None:
        raise DomainError(ALREADY_ANSWERED, f"you already answered: {given.value}")
    recorded = e.ProgressRecorded(ref=m.id, at=now, actor=cmd.actor, party=who, answer=cmd.answer)
    if m.status is not MeetingStatus.HELD or not promos.open_holds(w, m):
        return [recorded]  # already decided: the answer is kept, nothing re-settles (R26)
    if now >= deadline(m, p):  # R26: the 168 h deadline decided on the answers given by then
        at_deadline = outcome(m.customer_answer, m.expert_answer, deadline_passed=True)
        assert at_deadline is not None
        return [recorded, *settle(w, m, at_deadline, now, SYSTEM, p, automatic=True)]
    customer, expert = (cmd.answer, m.expert_answer) if who is Party.CUSTOMER else (m.customer_answer, cmd.answer)
    decided = outcome(customer, expert, deadline_passed=now >= deadline(m, p))
    if decided is None:
        return [recorded]
    answered = _with_answer(m, who, cmd.answer)
    return [recorded, *settle(w, answered, decided, now, cmd.actor, p, automatic=False)]


def _with_answer(m: Meeting, who: Party, answer: Answer) -> Meeting:
    return renew(m, expert_answer=answer) if who is Party.EXPERT else renew(m, customer_answer=answer)


@decides(c.AutoEvaluate)
def auto_evaluate(w: World, cmd: c.AutoEvaluate, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    status_in(m, "settle", MeetingStatus.HELD)
    due_at = deadline(m, p)
    if now < due_at:
        raise DomainError(TOO_EARLY, f"automatic evaluation happens at {when(due_at)}")
    decided = outcome(m.customer_answer, m.expert_answer, deadline_passed=True)
    assert decided is not None
    return settle(w, m, decided, now, SYSTEM, p, automatic=True)


@decides(c.DecideReview)
def decide_review(w: World, cmd: c.DecideReview, now: datetime, p: Policy) -> list[e.Event]:
    """R25: the operator pays, returns or splits, with the attendance records as evidence."""
    operator(w, cmd.actor)
    m = meeting(w, cmd.meeting_id)
    status_in(m, "decide", MeetingStatus.UNDER_REVIEW)
    if cmd.outcome not in (Outcome.PAY, Outcome.RETURN, Outcome.SPLIT):
        raise DomainError(INVALID, "decide pay, return or split")
    low, high = split_range(m)
    if cmd.outcome is Outcome.SPLIT and not low <= cmd.expert_amount <= high:
        raise DomainError(INVALID, f"a split charges between {low} and {high} credits")
    note = text(cmd.note, "a note saying why you decided so", 2000)
    return settle(w, m, cmd.outcome, now, cmd.actor, p, automatic=False, split_amount=cmd.expert_amount, note=note)


def split_range(m: Meeting) -> tuple[int, int]:
    """R25: what a split may charge the customer (something, and less than the whole price)."""
    return 1, m.price - 1


@decides(c.Rate)
def rate(w: World, cmd: c.Rate, now: datetime, p: Policy) -> list[e.Event]:
    """R27: stars are for the operator only."""
    m = meeting(w, cmd.meeting_id)
    as_customer(m, cmd.actor)
    status_in(m, "rate", *_ASKED)
    if not 1 <= cmd.stars <= 5:
        raise DomainError(INVALID, "give 1 to 5 stars")
    if m.stars:
        raise DomainError(ALREADY_ANSWERED, f"you already gave {m.stars} stars")
    return [e.RatingGiven(ref=m.id, at=now, actor=cmd.actor, stars=cmd.stars)]


@decides(c.WriteReview)
def write_review(w: World, cmd: c.WriteReview, now: datetime, p: Policy) -> list[e.Event]:
    """R27: one public review per customer and expert, editable; the first one earns a bonus."""
    person(w, cmd.actor, Role.CUSTOMER)
    person(w, cmd.expert, Role.EXPERT)
    if cmd.expert not in w.met.get(cmd.actor, ()):
        raise DomainError(FORBIDDEN, "you can review an expert after a session with them")
    body = text(cmd.text, "the review", 2000)
    first = (cmd.actor, cmd.expert) not in w.reviews
    events: list[e.Event] = [e.ReviewWritten(ref=cmd.expert, at=now, actor=cmd.actor, customer=cmd.actor,
                                             expert=cmd.expert, text=body, first=first)]
    if first and p.review_bonus_credits:
        events.append(posted(f"bonus:{cmd.actor}:{cmd.expert}", PLATFORM, wallet(cmd.actor),
                             p.review_bonus_credits, Label.BONUS, cmd.expert, now, SYSTEM))
    return events


@folds(e.ReviewWritten)
def _reviewed(w: World, ev: e.ReviewWritten) -> None:
    from .model import Review

    old = w.reviews.get((ev.customer, ev.expert))
    if old is None:
        w.reviews[(ev.customer, ev.expert)] = Review(ev.customer, ev.expert, ev.text, ev.at)
    else:
        w.reviews[(ev.customer, ev.expert)] = Review(ev.customer, ev.expert, ev.text, old.written_at, ev.at)

