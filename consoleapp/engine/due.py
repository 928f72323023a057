"""Deadlines: the commands whose time has come. A scheduler calls `due` and executes the result.

Every deadline rule is here, so moving a clock and calling `due` is all a test (or the
server's scheduler) needs: instant-request expiry (R6), unanswered requests, reminders (R35),
the 30 s warning and the end of a live session (R19), the end of a meeting, the 168 h
auto-evaluation (R22-R26), the claim window (R29), unanswered claims (R30), group events
(R28) and payout days (R33).
"""

from __future__ import annotations

from datetime import datetime

from . import commands as c
from .claims import answer_deadline
from .common import hours, minutes
from .live import warning_due
from .model import SYSTEM, ClaimStatus, GroupEventStatus, Meeting, MeetingStatus
from .payouts import last_payout_day
from .policy import Policy
from .requests import expiry
from .world import World


def due(world: World, now: datetime, policy: Policy) -> list[c.Command]:
    out: list[c.Command] = []
    for mid in sorted(world.active):
        out += _meeting(world.meetings[mid], now, policy)
    for eid in sorted(world.active_events):
        g = world.group_events[eid]
        if g.status is GroupEventStatus.OPEN:
            if g.start <= now and len(g.active()) < g.min_participants:  # R28, even if the clock jumped past the end
                out.append(c.CancelGroupEvent(actor=SYSTEM, event_id=eid, reason="not enough participants"))
            elif now >= g.end:
                out.append(c.SettleGroupEvent(actor=SYSTEM, event_id=eid))
        elif g.status is GroupEventStatus.SETTLED and now >= g.end + hours(policy.claim_window_hours):
            out.append(c.CloseClaimWindow(actor=SYSTEM, session=eid))
    for cid in sorted(world.open_claims):
        cl = world.claims[cid]
        if cl.status is ClaimStatus.OPEN and now >= answer_deadline(cl, policy):
            out.append(c.EscalateClaim(actor=SYSTEM, claim_id=cid))
    payday = last_payout_day(now, policy).isoformat()
    if payday > world.last_payout_day and payday not in world.payout_days_done:
        out.append(c.RunPayouts(actor=SYSTEM, day=payday))
    return out


def _meeting(m: Meeting, now: datetime, p: Policy) -> list[c.Command]:
    s = m.status
    if s is MeetingStatus.AWAITING_APPROVAL:
        lapse = expiry(m)
        return [c.ExpireRequest(actor=SYSTEM, meeting_id=m.id)] if lapse and now >= lapse else []
    if m.start is None or m.end is None:
        return []
    if s is MeetingStatus.AGREED:
        return _agreed(m, now, p)
    if s is MeetingStatus.HELD:
        out: list[c.Command] = []
        if now >= m.end + hours(p.auto_evaluation_hours):
            out.append(c.AutoEvaluate(actor=SYSTEM, meeting_id=m.id))
        elif m.customer_answer is None and "evaluation" not in m.reminders and now >= m.end + hours(p.evaluation_reminder_hours):
            out.append(c.SendReminder(actor=SYSTEM, meeting_id=m.id, kind="evaluation"))
        return out
    settled = s in (MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW) and not m.claim_window_closed
    if settled and now >= m.end + hours(p.claim_window_hours):
        return [c.CloseClaimWindow(actor=SYSTEM, session=m.id)]
    return []


def _agreed(m: Meeting, now: datetime, p: Policy) -> list[c.Command]:
    assert m.start is not None and m.end is not None
    live = m.live
    if live is not None and live.ended_at is None:
        remaining = live.remaining(now)
        if live.running_since is not None and remaining <= 0:
            return [c.EndSession(actor=SYSTEM, meeting_id=m.id)]
        if live.running_since is None and now >= m.end + minutes(p.join_after_minutes):
            return [c.EndSession(actor=SYSTEM, meeting_id=m.id)]
        if live.running_since is not None and not live.warned and warning_due(remaining, p):
            return [c.WarnSessionEnding(actor=SYSTEM, meeting_id=m.id)]
        return []
    if now >= m.end:
        return [c.MarkHeld(actor=SYSTEM, meeting_id=m.id)]
    if now < m.start:
        if "link" not in m.reminders and now >= m.start - minutes(p.link_minutes_before):
            return [c.SendReminder(actor=SYSTEM, meeting_id=m.id, kind="link")]
        link_time = m.start - minutes(p.link_minutes_before)
        if "reminder" not in m.reminders and m.start - hours(p.reminder_hours_before) <= now < link_time:
            return [c.SendReminder(actor=SYSTEM, meeting_id=m.id, kind="reminder")]
    return []
