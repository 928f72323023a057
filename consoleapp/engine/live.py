"""Video links and attendance, live sessions and their billing, chat and attachments (R17-R21)."""

from __future__ import annotations

import math
import re
from datetime import datetime

from . import commands as c
from . import events as e
from . import promos
from .common import as_expert, meeting, minutes, notice, open_hold, side, status_in, text
from .errors import INVALID, TOO_EARLY, TOO_LATE, WRONG_STATE, DomainError, when
from .ledger import split
from .model import SYSTEM, LiveSession, Meeting, MeetingKind, MeetingStatus, Outcome, Party
from .policy import Policy
from .requests import JoinWindow, join_window
from .world import World, decides

SESSION_ENDING = "session_ending"  # the notification kind of R19's warning

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# The id goes into the attachment's download URL: no slashes, and not "." or "..", which any
# HTTP client resolves to another address (a participant could aim the other's downloads).
_ATTACHMENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


# R17/R18: the statuses in which a participant's link lets them in (the window permitting).
LINK_STATUSES = (MeetingStatus.AGREED, MeetingStatus.HELD)


# R21: the statuses in which the session's chat and attachments are open.
CHAT_STATUSES = (MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW)


def can_chat(m: Meeting) -> bool:
    """R21: whether participants may still write and attach files to the session."""
    return m.status in CHAT_STATUSES


def can_start(m: Meeting) -> bool:
    """R20: whether the expert may start the session (from the join window's start, `start_session`)."""
    return m.live is None and m.status is MeetingStatus.AGREED


def can_open_video(m: Meeting) -> bool:
    """R17/R18: whether the meeting has a video room whose links may let a participant in."""
    return m.video_active and m.status in LINK_STATUSES


def can_attend(m: Meeting, who: Party) -> bool:
    """R18: whether opening the link would still record `who` as attended."""
    attended = m.expert_attended if who is Party.EXPERT else m.customer_attended
    return attended is None and m.status in LINK_STATUSES


def warning_due(remaining_seconds: int, p: Policy) -> bool:
    """R19: whether a running session is close enough to its end to warn both sides."""
    return remaining_seconds <= p.session_warning_seconds


def join_window_of(m: Meeting, p: Policy) -> JoinWindow:
    """R17: the join window of a meeting with an agreed time."""
    if m.start is None or m.end is None:
        raise DomainError(WRONG_STATE, "this meeting has no agreed time yet")
    return join_window(m.start, m.end, p)


@decides(c.OpenLink)
def open_link(w: World, cmd: c.OpenLink, now: datetime, p: Policy) -> list[e.Event]:
    """R18: the first opening of a participant's link records attendance on the timeline."""
    m = meeting(w, cmd.meeting_id)
    who = side(m, cmd.actor)
    status_in(m, "join", *LINK_STATUSES)
    if not m.video_active:
        raise DomainError(WRONG_STATE, "this meeting has no video meeting")
    window = join_window_of(m, p)
    if now < window.opens:
        raise DomainError(TOO_EARLY, f"your link opens at {when(window.opens)}")
    if window.is_over(now):
        raise DomainError(TOO_LATE, f"your link closed at {when(window.closes)}")
    already = m.expert_attended if who is Party.EXPERT else m.customer_attended
    return [] if already else [e.Attended(ref=m.id, at=now, actor=cmd.actor, party=who)]


def _running(m: Meeting) -> LiveSession:
    if m.live is None or m.live.ended_at is not None:
        raise DomainError(WRONG_STATE, "no session is running for this meeting")
    return m.live


@decides(c.StartSession)
def start_session(w: World, cmd: c.StartSession, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    status_in(m, "start the session", MeetingStatus.AGREED)
    if not can_start(m):
        raise DomainError(WRONG_STATE, "the session has already started")
    opens = join_window_of(m, p).opens
    assert m.end is not None
    if now < opens:
        raise DomainError(TOO_EARLY, f"the session can start from {when(opens)}")
    if now >= m.end:
        raise DomainError(TOO_LATE, f"the meeting was due to end at {when(m.end)}")
    events: list[e.Event] = [e.SessionStarted(ref=m.id, at=now, actor=cmd.actor, allotted_seconds=m.minutes * 60)]
    if m.expert_attended is None:
        events.insert(0, e.Attended(ref=m.id, at=now, actor=cmd.actor, party=Party.EXPERT))
    return events


@decides(c.Disconnect)
def disconnect(w: World, cmd: c.Disconnect, now: datetime, p: Policy) -> list[e.Event]:
    """R19: a dropped connection pauses the count."""
    m = meeting(w, cmd.meeting_id)
    if cmd.actor != SYSTEM:
        side(m, cmd.actor)
    live = _running(m)
    if live.running_since is None:
        return []
    return [e.SessionPaused(ref=m.id, at=now, actor=cmd.actor)]


@decides(c.Reconnect)
def reconnect(w: World, cmd: c.Reconnect, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    if cmd.actor != SYSTEM:
        side(m, cmd.actor)
    live = _running(m)
    if live.running_since is not None:
        return []
    return [e.SessionResumed(ref=m.id, at=now, actor=cmd.actor)]


@decides(c.WarnSessionEnding)
def warn_session_ending(w: World, cmd: c.WarnSessionEnding, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    live = _running(m)
    remaining = live.remaining(now)
    if live.warned or not warning_due(remaining, p):
        raise DomainError(TOO_EARLY, f"the warning comes {p.session_warning_seconds} s before the end")
    left = max(remaining, 0)
    ends = f"The session ends in {left} s"
    gift = "" if live.gifted else f"; you can gift {p.gift_seconds // 60} more minutes once"
    return [  # R19: both are warned, where they are (the live window, a notification, the stream)
        e.SessionEndingWarned(ref=m.id, at=now, actor=SYSTEM, remaining_seconds=left),
        notice(m.id, now, m.expert, SESSION_ENDING, ends + gift),
        notice(m.id, now, m.customer, SESSION_ENDING, ends),
    ]


@decides(c.GiftMinutes)
def gift_minutes(w: World, cmd: c.GiftMinutes, now: datetime, p: Policy) -> list[e.Event]:
    """R19: once per session, unbilled."""
    m = meeting(w, cmd.meeting_id)
    as_expert(m, cmd.actor)
    live = _running(m)
    if live.gifted:
        raise DomainError(WRONG_STATE, "extra minutes can be gifted once per session, and were already")
    return [e.ExtraMinutesGifted(ref=m.id, at=now, actor=cmd.actor, seconds=p.gift_seconds)]


def bill(m: Meeting, live: LiveSession, connected: int, p: Policy) -> tuple[int, int]:
    """R20: (billed minutes, credits). Gifted seconds are free; the budget is a hard cap."""
    if m.kind is not MeetingKind.INSTANT:
        return m.minutes, m.price  # an appointment the expert started is billed in full
    if m.offer.value != "per_minute":
        return m.minutes, m.price  # a package bills its fixed price
    gift = p.gift_seconds if live.gifted else 0
    billable = min(connected, live.allotted_seconds - gift)
    billed = math.ceil(max(billable, 0) / 60)
    return billed, min(billed * m.rate, m.price)


@decides(c.EndSession)
def end_session(w: World, cmd: c.EndSession, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    if cmd.actor != SYSTEM:
        side(m, cmd.actor)  # first: a stranger hears "not yours", never whether a session is running
    live = _running(m)
    if cmd.actor == SYSTEM:
        abandoned = live.running_since is None and m.end is not None and now >= m.end + minutes(p.join_after_minutes)
        if live.remaining(now) > 0 and not abandoned:
            raise DomainError(TOO_EARLY, "the session still has time left")
    connected = min(live.elapsed(now), live.allotted_seconds)
    billed, amount = bill(m, live, connected, p)
    events: list[e.Event] = [
        e.SessionEnded(ref=m.id, at=now, actor=cmd.actor, connected_seconds=connected, billed_minutes=billed, amount=amount)
    ]
    if m.kind is MeetingKind.INSTANT:  # live requests settle on the bill; claims are the way back (R29)
        open_hold(w, m)  # none: says so
        share, commission = split(amount, p.commission_percent)
        discount = promos.code_part(w, m, amount)  # R20 with a promo code: the code's discount on the bill
        returned = promos.customer_held(w, m) - (amount - discount)
        events += promos.charge(w, m, amount, p.commission_percent, now, cmd.actor)
        events.append(e.MeetingSettled(
            ref=m.id, at=now, actor=cmd.actor, outcome=Outcome.PAY if amount else Outcome.RETURN, charged=amount,
            expert_share=share, commission=commission, returned=returned, platform_paid=0, automatic=False,
            discount=discount,
        ))
    return events


def _chatting(m: Meeting, actor: str) -> Party:
    who = side(m, actor)
    status_in(m, "add to the session", *CHAT_STATUSES)
    return who


@decides(c.PostChat)
def post_chat(w: World, cmd: c.PostChat, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    who = _chatting(m, cmd.actor)
    body = text(cmd.text, "a message", 4000)
    return [e.ChatMessagePosted(ref=m.id, at=now, actor=cmd.actor, message_id=cmd.message_id, author=who, text=body)]


@decides(c.AddAttachment)
def add_attachment(w: World, cmd: c.AddAttachment, now: datetime, p: Policy) -> list[e.Event]:
    """R21: files and code snippets; the bytes live beside the engine, named by their digest."""
    m = meeting(w, cmd.meeting_id)
    who = _chatting(m, cmd.actor)
    if not _ATTACHMENT_ID.fullmatch(cmd.attachment_id) or not cmd.attachment_id.strip("."):
        raise DomainError(INVALID, "an attachment id is 1 to 64 letters, digits and '_.:-', not only dots; send a UUID")
    name = text(cmd.name, "a file name", 255)
    if "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise DomainError(INVALID, "a file name cannot contain a path; send just the name, like 'notes.txt'")
    if cmd.kind not in ("file", "snippet"):
        raise DomainError(INVALID, "an attachment is a 'file' or a 'snippet'")
    if not 0 < cmd.size <= MAX_ATTACHMENT_BYTES:
        raise DomainError(INVALID, f"attachments must be 1 byte to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB")
    if not _DIGEST.fullmatch(cmd.digest):  # fullmatch: `$` alone would let a trailing newline in
        raise DomainError(INVALID, "the digest must be the file's SHA-256 in lowercase hex")
    return [e.AttachmentAdded(
        ref=m.id, at=now, actor=cmd.actor, attachment_id=cmd.attachment_id, author=who, name=name,
        kind=cmd.kind, size=cmd.size, digest=cmd.digest,
    )]


@decides(c.AttachRecording)
def attach_recording(w: World, cmd: c.AttachRecording, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    if cmd.actor != SYSTEM:
        as_expert(m, cmd.actor)
    status_in(m, "attach a recording", MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.SETTLED, MeetingStatus.UNDER_REVIEW)
    return [e.RecordingAttached(ref=m.id, at=now, actor=cmd.actor, uri=text(cmd.uri, "a recording reference", 1000))]


@decides(c.MarkHeld)
def mark_held(w: World, cmd: c.MarkHeld, now: datetime, p: Policy) -> list[e.Event]:
    m = meeting(w, cmd.meeting_id)
    status_in(m, "close", MeetingStatus.AGREED)
    if m.end is None or now < m.end:
        raise DomainError(TOO_EARLY, "the meeting has not ended yet")
    if m.live is not None and m.live.ended_at is None:
        raise DomainError(WRONG_STATE, "the session is still running")
    return [e.MeetingHeld(ref=m.id, at=now, actor=SYSTEM)]
