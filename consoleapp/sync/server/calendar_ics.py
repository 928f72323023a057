"""iCalendar (RFC 5545) text of meetings and group events: the feed's VEVENTs and the `.ics`
invitation of a confirmation, move or cancellation email (RFC 5546 REQUEST / CANCEL).

Everything here is built from the engine's records and answers, nothing is decided: a meeting
is in a calendar once it was agreed, CONFIRMED while it stands and CANCELLED (kept, not dropped)
once cancelled, so a subscribed calendar strikes it out instead of silently losing it.

- UID `<meeting id>@<host>` (group events `event-<id>@<host>`): the feed and every email name
  the same meeting the same way, so a calendar updates one entry.
- SEQUENCE is the meeting's video revision, which grows each time the meeting is agreed at a
  new time (R15, R16); a cancellation is one revision more, so it outranks the last invitation.
- Times are UTC (`...Z`): no VTIMEZONE is needed and every calendar shows them in its own zone.
- The description gives the meeting page, where the Join button makes the person's own link.
  The join link itself is left out on purpose: opening it records attendance (R18), the
  evidence a settlement is decided on (R22-R25), and a subscribed feed is copied to the
  calendar provider's servers, so the link would no longer be the person's alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from consoleapp.engine import Policy
from consoleapp.engine.errors import when
from consoleapp.engine.model import (
    GroupEvent,
    GroupEventStatus,
    Meeting,
    MeetingStatus,
    OfferKind,
    Role,
)
from consoleapp.engine.requests import join_window

PRODID = "-//Expert Console//Calendar//EN"
# A meeting belongs in a calendar in these states; a cancelled one only if it had been agreed.
SHOWN = (MeetingStatus.AGREED, MeetingStatus.HELD, MeetingStatus.UNDER_REVIEW, MeetingStatus.SETTLED,
         MeetingStatus.CANCELLED)


@dataclass(frozen=True)
class Entry:
    """One calendar entry as a person sees it."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    url: str
    cancelled: bool
    modified: datetime


def host_of(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"


def agreed_once(m: Meeting) -> bool:
    """In a calendar: agreed (now or before a cancellation) and with a time. A video meeting is
    created each time a meeting is agreed, so a cancelled meeting with a revision was agreed."""
    if m.start is None or m.end is None or m.status not in SHOWN:
        return False
    return m.status is not MeetingStatus.CANCELLED or m.video_revision > 0


def sequence_of(m: Meeting) -> int:
    return m.video_revision + (1 if m.status is MeetingStatus.CANCELLED else 0)


def product(m: Meeting) -> str:
    mode = m.mode.value.capitalize()
    if m.offer is OfferKind.PER_MINUTE:
        return f"{mode}, up to {m.minutes} min" if m.minutes else f"{mode}, per minute"
    return f"{mode}, {m.minutes} min"


def meeting_entry(m: Meeting, viewer: Role, other: str, base_url: str, policy: Policy,
                  modified: datetime) -> Entry:
    """The meeting as `viewer` (its expert or its customer) sees it; `other` names the other side."""
    assert m.start is not None and m.end is not None
    cancelled = m.status is MeetingStatus.CANCELLED
    base = base_url.rstrip("/")
    # Customers have the meeting's web page; experts work from the desktop's Upcoming sessions.
    page = f"{base}/me/meetings/{m.id}" if viewer is Role.CUSTOMER else ""
    opens = join_window(m.start, m.end, policy).opens
    lines = [f"Topic: {m.topic}"]
    if cancelled:
        lines.append("This meeting was cancelled.")
    elif page:
        lines.append(f"Meeting page (the Join button is there from {when(opens)}): {page}")
    else:
        lines.append(f"Join from Expert Console's Upcoming sessions, from {when(opens)}.")
    return Entry(uid=f"{m.id}@{host_of(base_url)}", sequence=sequence_of(m), start=m.start, end=m.end,
                 summary=f"Session with {other or 'your ' + ('customer' if viewer is Role.EXPERT else 'expert')}"
                         f" — {product(m)}",
                 description="\n".join(lines), url=page, cancelled=cancelled, modified=modified)


def event_entry(g: GroupEvent, person: str, host_name: str, base_url: str, modified: datetime) -> Entry:
    """A group event its expert hosts or `person` registered for (a registration cancelled since
    is shown cancelled, like the event itself)."""
    base = base_url.rstrip("/")
    page = f"{base}/events/{g.id}"
    cancelled = g.status is GroupEventStatus.CANCELLED or (person != g.expert and g.registration(person) is None)
    lines = [f"Group event hosted by {host_name or 'the expert'}." if person != g.expert else "Your group event.",
             "This event was cancelled." if cancelled else f"Event page: {page}"]
    return Entry(uid=f"event-{g.id}@{host_of(base_url)}", sequence=1 if cancelled else 0, start=g.start, end=g.end,
                 summary=f"Group event — {g.title}", description="\n".join(lines), url=page, cancelled=cancelled,
                 modified=modified)


def vevent(entry: Entry, stamp: datetime) -> VEvent:
    ev = VEvent()
    ev.add("uid", entry.uid)
    ev.add("sequence", entry.sequence)
    ev.add("dtstamp", stamp.astimezone(UTC))
    ev.add("last-modified", entry.modified.astimezone(UTC))
    ev.add("dtstart", entry.start.astimezone(UTC))
    ev.add("dtend", entry.end.astimezone(UTC))
    ev.add("summary", entry.summary)
    ev.add("description", entry.description)
    if entry.url:
        ev.add("url", entry.url)
    ev.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    return ev


def feed(entries: Iterable[Entry], stamp: datetime, name: str) -> bytes:
    """A subscribed calendar: every entry, METHOD PUBLISH, named for the person's calendar list."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        cal.add_component(vevent(entry, stamp))
    return bytes(cal.to_ical())


def invitation(entry: Entry, stamp: datetime, organizer: str, attendee: str) -> bytes:
    """The email's `invite.ics`: REQUEST (confirmed, moved) or CANCEL, one event, the feed's UID.
    Mail programs show an invitation only with an organizer (the server's sender address) and
    the attendee it is for."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if entry.cancelled else "REQUEST")
    ev = vevent(entry, stamp)
    ev.add("organizer", vCalAddress(f"mailto:{organizer}"))
    ev.add("attendee", vCalAddress(f"mailto:{attendee}"))
    cal.add_component(ev)
    return bytes(cal.to_ical())
