"""Deadlines: the commands whose time has come. A scheduler calls `due` and executes the result.

Every deadline rule is here, so moving a clock and calling `due` is all a test (or the
server's scheduler) needs: instant-request expiry (R6), unanswered requests, reminders (R35),
the 30 s warning and the end of a live session (R19), the end of a meeting, the 168 h
auto-evaluation (R22-R26), the claim window (R29), unanswered claims (R30), group events
(R28) and payout days (R33).

A scheduler asks every few seconds, and most open meetings have nothing due for hours: a
`DueCache` it keeps remembers, for each meeting as `due` last saw it, until when nothing of it
can be due (`_quiet_until`: the next of the times its rules compare the clock with), so a tick
costs the meetings whose time came or that changed, not every open one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import commands as c
from .claims import answer_deadline
from .common import hours, minutes
from .live import warning_due
from .model import SYSTEM, ClaimStatus, GroupEventStatus, Meeting, MeetingStatus
from .payouts import last_payout_day
from .policy import Policy
from .requests import expiry
from .world import World

FOREVER = datetime.max.replace(tzinfo=UTC)


class DueCache:
    """What `due` learned of each open meeting: for the Meeting it saw (a changed meeting is a new
    object), the time it looked and the time until which nothing of it can be due. Kept by the
    caller (the server's scheduler) between calls; `due` without one looks at every meeting."""

    def __init__(self) -> None:
        self.policy: Policy | None = None
        self.quiet: dict[str, tuple[Meeting, datetime, datetime]] = {}


def due(world: World, now: datetime, policy: Policy, cache: DueCache | None = None) -> list[c.Command]:
    out: list[c.Command] = []
    if cache is None:
        for mid in sorted(world.active):
            out += _meeting(world.meetings[mid], now, policy)
    else:
        out += _meetings_seen(world, now, policy, cache)
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


def _meetings_seen(world: World, now: datetime, p: Policy, cache: DueCache) -> list[c.Command]:
    """`_meeting` of every open meeting, in id order, skipping those the cache knows are quiet."""
    if cache.policy is not p:
        cache.policy, cache.quiet = p, {}
    quiet = cache.quiet
    meetings = world.meetings
    found: list[tuple[str, list[c.Command]]] = []
    for mid in world.active:
        m = meetings[mid]
        seen = quiet.get(mid)
        if seen is not None and seen[0] is m and seen[1] <= now < seen[2]:
            continue
        commands = _meeting(m, now, p)
        if commands:
            found.append((mid, commands))
            quiet.pop(mid, None)  # asked again until it changes (a refused command leaves it as it was)
        else:
            quiet[mid] = (m, now, _quiet_until(m, now, p))
    if len(quiet) > 2 * len(world.active) + 64:  # meetings closed since: forget them
        for mid in [k for k in quiet if k not in world.active]:
            del quiet[mid]
    found.sort(key=lambda x: x[0])
    return [command for _, commands in found for command in commands]


def _quiet_until(m: Meeting, now: datetime, p: Policy) -> datetime:
    """The first time after `now` at which `_meeting(m, ·, p)` may answer otherwise than at `now`:
    the next of the times it compares the clock with (`now` itself for a running live session,
    whose remaining time moves with the clock)."""
    s = m.status
    times: list[datetime] = []
    if s is MeetingStatus.AWAITING_APPROVAL:
        lapse = expiry(m)
        if lapse is not None:
            times.append(lapse)
    elif m.start is not None and m.end is not None:
        if s is MeetingStatus.AGREED:
            if m.live is not None and m.live.ended_at is None:
                return now
            times += [m.end, m.start, m.start - minutes(p.link_minutes_before), m.start - hours(p.reminder_hours_before)]
        elif s is MeetingStatus.HELD:
            times += [m.end + hours(p.auto_evaluation_hours), m.end + hours(p.evaluation_reminder_hours)]
        elif s in (MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW) and not m.claim_window_closed:
            times.append(m.end + hours(p.claim_window_hours))
    return min((t for t in times if t > now), default=FOREVER)


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
