"""Reminders (R35) and the closing of claim windows (R29): the scheduler's own commands."""

from __future__ import annotations

from datetime import datetime

from . import commands as c
from . import events as e
from .common import hours, meeting, minutes, notice
from .errors import INVALID, NOT_FOUND, TOO_EARLY, WRONG_STATE, DomainError, when
from .model import SYSTEM, GroupEventStatus, MeetingStatus
from .policy import Policy
from .world import World, decides

_WHEN = {
    "reminder": "Meeting reminder: your meeting starts on {start}",
    "link": "Meeting link: your meeting starts on {start}; join from the meeting page",
    "evaluation": "Reminder to confirm the completion and evaluation of the meeting",
}


@decides(c.SendReminder)
def send_reminder(w: World, cmd: c.SendReminder, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    if cmd.kind not in _WHEN:
        raise DomainError(INVALID, f"no reminder kind {cmd.kind!r}")
    if cmd.kind in m.reminders:
        raise DomainError(WRONG_STATE, f"the {cmd.kind} reminder was already sent")
    if m.start is None or m.end is None:
        raise DomainError(WRONG_STATE, "no reminders for a meeting without an agreed time")
    if cmd.kind == "evaluation":
        status = MeetingStatus.HELD
        at = m.end + hours(p.evaluation_reminder_hours)
        recipients = [m.customer] if m.customer_answer is None else []
        if m.expert_answer is None:
            recipients.append(m.expert)
    else:
        status = MeetingStatus.AGREED
        hours_before = hours(p.reminder_hours_before) if cmd.kind == "reminder" else minutes(p.link_minutes_before)
        at = m.start - hours_before
        recipients = [m.customer, m.expert]
    if m.status is not status:
        raise DomainError(WRONG_STATE, f"no {cmd.kind} reminder for a meeting that is {m.status.value}")
    if now < at:
        raise DomainError(TOO_EARLY, f"the {cmd.kind} reminder goes out at {when(at)}")
    text = _WHEN[cmd.kind].format(start=when(m.start))
    return [
        e.ReminderSent(ref=m.id, at=now, actor=SYSTEM, kind=cmd.kind),
        *(notice(m.id, now, who, cmd.kind, text) for who in recipients),
    ]


@decides(c.CloseClaimWindow)
def close_claim_window(w: World, cmd: c.CloseClaimWindow, now: datetime, p: Policy) -> list[e.Event]:
    window = hours(p.claim_window_hours)
    m = w.meetings.get(cmd.session)
    if m is not None:
        if m.claim_window_closed or m.end is None or m.status not in (MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW):
            raise DomainError(WRONG_STATE, "no claim window to close for this meeting")
        closes = m.end + window
    else:
        g = w.group_events.get(cmd.session)
        if g is None:
            raise DomainError(NOT_FOUND, f"no session {cmd.session!r}")
        if g.claim_window_closed or g.status is not GroupEventStatus.SETTLED:
            raise DomainError(WRONG_STATE, "no claim window to close for this event")
        closes = g.end + window
    if now < closes:
        raise DomainError(TOO_EARLY, f"the claim window closes at {when(closes)}")
    return [e.ClaimWindowClosed(ref=cmd.session, at=now, actor=SYSTEM)]


