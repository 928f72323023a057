"""The evidence pack an operator reads before deciding a review or a dispute (R25, R30).

Drawn from the meeting's timeline only, so it shows what the log shows and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from . import events as e
from .answers import Evidence as Evidence
from .model import Answer, Party


def evidence(meeting_id: str, timeline: Iterable[e.Event], claim_events: Iterable[e.Event] = ()) -> Evidence:
    start = end = expert_at = customer_at = started = None
    connected: int | None = None
    paused = by_expert = by_customer = attachments = 0
    answers: dict[Party, Answer] = {}
    lines = []
    periods: list[tuple[datetime, datetime | None]] = []
    chat: list[tuple[datetime, Party, str]] = []
    files: list[tuple[datetime, Party, str, str, int]] = []
    evaluations: list[tuple[datetime, Party, Answer]] = []
    decision: tuple[datetime, str, str, str] | None = None
    for ev in timeline:
        if ev.ref != meeting_id or isinstance(ev, e.NotificationQueued):
            continue
        lines.append((ev.at, ev.actor, ev.describe()))
        if isinstance(ev, e.SessionStarted | e.SessionResumed):
            periods.append((ev.at, None))
        elif isinstance(ev, e.SessionPaused | e.SessionEnded) and periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], ev.at)
        if isinstance(ev, e.MeetingSettled) and ev.note:
            decision = (ev.at, ev.actor, ev.describe(), ev.note)
        if isinstance(ev, e.MeetingAgreed | e.AlternativeApproved | e.MeetingRescheduled):
            start, end = ev.start, ev.end
        elif isinstance(ev, e.Attended):
            if ev.party is Party.EXPERT:
                expert_at = expert_at or ev.at
            else:
                customer_at = customer_at or ev.at
        elif isinstance(ev, e.SessionStarted):
            started = ev.at
        elif isinstance(ev, e.SessionPaused):
            paused += 1
        elif isinstance(ev, e.SessionEnded):
            connected = ev.connected_seconds
        elif isinstance(ev, e.ChatMessagePosted):
            if ev.author is Party.EXPERT:
                by_expert += 1
            else:
                by_customer += 1
            chat.append((ev.at, ev.author, ev.text))
        elif isinstance(ev, e.AttachmentAdded):
            attachments += 1
            files.append((ev.at, ev.author, ev.name, ev.attachment_id, ev.size))
        elif isinstance(ev, e.ProgressRecorded):
            answers.setdefault(ev.party, ev.answer)
            evaluations.append((ev.at, ev.party, ev.answer))
    summary = reason = ""
    for ev in claim_events:
        if not isinstance(ev, e.NotificationQueued):
            lines.append((ev.at, ev.actor, ev.describe()))
        if isinstance(ev, e.ClaimDisputed):
            summary = summary or ev.summary
        elif isinstance(ev, e.ClaimOpened):
            reason = ev.reason
        elif isinstance(ev, e.DisputeDecided):
            decision = (ev.at, ev.actor, ev.describe(), ev.note)
    return Evidence(
        meeting=meeting_id, start=start, end=end, expert_attended=expert_at, customer_attended=customer_at,
        session_started=started, connected_seconds=connected, paused=paused, chat_by_expert=by_expert,
        chat_by_customer=by_customer, attachments=attachments, expert_answer=answers.get(Party.EXPERT),
        customer_answer=answers.get(Party.CUSTOMER), claim_summary=summary, timeline=tuple(sorted(lines, key=lambda line: line[0])),
        connected=tuple(periods), chat=tuple(chat), files=tuple(files), evaluations=tuple(evaluations),
        claim_reason=reason, decision=decision,
    )
