"""R25/R30: the operator's evidence pack is drawn from the meeting's own timeline."""

from __future__ import annotations

from datetime import timedelta

from consoleapp.engine import commands as c
from consoleapp.engine.evidence import evidence
from consoleapp.engine.model import Answer, MeetingStatus, Mode, OfferKind

from .scenario import Scenario


def test_r25_review_evidence_shows_attendance_chat_and_both_answers() -> None:
    s = Scenario()
    expert, customer = s.expert(), s.customer()
    start = s.now + timedelta(days=3)
    s.do(c.RequestScheduled(actor=customer, meeting_id="m", expert=expert, mode=Mode.VIDEO,
                            offer=OfferKind.LONG, topic="Contract review", times=(start,)))
    s.do(c.PickTime(actor=expert, meeting_id="m", start=start))
    s.advance(days=3, minutes=-5)
    s.do(c.OpenLink(actor=customer, meeting_id="m"))
    s.advance(minutes=10)
    s.do(c.StartSession(actor=expert, meeting_id="m"))
    s.do(c.PostChat(actor=customer, meeting_id="m", message_id="1", text="Hello?"))
    s.do(c.Disconnect(actor=expert, meeting_id="m"))
    s.advance(minutes=2)
    s.do(c.Reconnect(actor=expert, meeting_id="m"))
    s.advance(minutes=40)
    s.run_due()
    s.do(c.Evaluate(actor=customer, meeting_id="m", answer=Answer.OTHER_PARTY))
    s.do(c.Evaluate(actor=expert, meeting_id="m", answer=Answer.SMOOTH))
    assert s.world.meetings["m"].status is MeetingStatus.UNDER_REVIEW

    pack = evidence("m", s.log)

    assert pack.customer_attended == start - timedelta(minutes=5)
    assert pack.expert_attended == start + timedelta(minutes=5)
    assert pack.paused == 1 and pack.chat_by_customer == 1 and pack.chat_by_expert == 0
    assert (pack.customer_answer, pack.expert_answer) == (Answer.OTHER_PARTY, Answer.SMOOTH)
    assert pack.connected_seconds == 30 * 60  # the pause stopped the count; it ran its full 30 min
    assert any(what == "Sent to operator review" for _, _, what in pack.timeline)
