"""Calendar feeds: each person's secret, revocable ICS link of their meetings and group events.

`GET /calendar/<token>.ics` needs no login — calendar programs (Google, Apple, Outlook) fetch it
on their own — so the token is the credential: unknown, revoked, or its owner's account closed,
it answers 404 like any address that does not exist. The signed-in person gets their link at
`GET /api/calendar` (made on first ask) and replaces it at `POST /api/calendar/reset`, which
revokes the old one at once. What the feed holds is read from the engine's records: the `meetings`
projection the API's `Store.meetings_of` reads (with the feed's time bound) and the World's group
events; `calendar_ics` writes it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from consoleapp.engine.model import GroupEvent, Meeting, Role
from consoleapp.engine.world import World
from consoleapp.store import schema
from consoleapp.store.codec import decode
from consoleapp.store.db import reading

from . import calendar_ics as ics
from .auth import CurrentUser
from .context import Server, server_of
from .errors import fail, responses
from .tables import calendar_feeds, users
from .write_path import world_of

router = APIRouter(tags=["calendar"])

HISTORY_DAYS = 90  # the feed starts this long ago: calendars keep what they already had
TOKEN_LENGTH = 64
MEDIA_TYPE = "text/calendar; charset=utf-8"


# --- links -------------------------------------------------------------------------------------


def links(server: Server, token: str) -> dict[str, str]:
    url = f"{server.settings.base_url.rstrip('/')}/calendar/{token}.ics"
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def feed_token(server: Server, person: str) -> str:
    """The person's current feed token, made on first ask. Should two first asks race, the older
    row is the one always shown; a reset revokes both."""
    f = calendar_feeds.c
    current = (sa.select(f.token).where(f.person == person, f.revoked_at.is_(None))
               .order_by(f.created_at, f.token).limit(1))
    with reading(server.store.engine) as conn:
        token = conn.execute(current).scalar_one_or_none()
    if token is not None:
        return str(token)
    with server.store.engine.begin() as conn:
        token = conn.execute(current).scalar_one_or_none()
        if token is None:
            token = secrets.token_urlsafe(32)
            conn.execute(calendar_feeds.insert().values(token=token, person=person, created_at=server.clock.now()))
    return str(token)


def reset_token(server: Server, person: str) -> str:
    """Revoke every link of the person's and make a new one, in one transaction."""
    f = calendar_feeds.c
    now = server.clock.now()
    token = secrets.token_urlsafe(32)
    with server.store.engine.begin() as conn:
        conn.execute(calendar_feeds.update().where(f.person == person, f.revoked_at.is_(None)).values(revoked_at=now))
        conn.execute(calendar_feeds.insert().values(token=token, person=person, created_at=now))
    return token


def owner(server: Server, token: str) -> str | None:
    """Whose feed the token opens, if it still does."""
    if not token or len(token) > TOKEN_LENGTH:
        return None
    f, u = calendar_feeds.c, users.c
    with reading(server.store.engine) as conn:
        found = conn.execute(sa.select(f.person).join(users, u.id == f.person)
                             .where(f.token == token, f.revoked_at.is_(None), u.closed.is_(False))).scalar_one_or_none()
    return None if found is None else str(found)


# --- what the feed holds -------------------------------------------------------------------------


def changed_at(server: Server, refs: Iterable[str]) -> dict[str, datetime]:
    """When each record last changed: its newest event's time (LAST-MODIFIED)."""
    wanted = list(refs)
    if not wanted:
        return {}
    e = schema.events.c
    with reading(server.store.engine) as conn:
        rows = conn.execute(sa.select(e.ref, sa.func.max(e.at)).where(e.ref.in_(wanted)).group_by(e.ref)).all()
    return {str(ref): at for ref, at in rows}


def other_side(w: World, m: Meeting, person: str) -> str:
    """The other side's name as they are shown to this person (the expert's public name)."""
    if person == m.expert:
        customer = w.people.get(m.customer)
        return m.customer_name or (customer.name if customer else "")
    return host_name(w, m.expert)


def meetings_since(server: Server, person: str, since: datetime) -> list[Meeting]:
    """The person's meetings in a calendar's states ending after `since`: the `meetings` projection
    that `Store.meetings_of` reads, with the time bound in the query, so a long history is not read."""
    m = schema.meetings.c
    stmt = (sa.select(m.record).where(sa.or_(m.expert == person, m.customer == person),
                                      m.status.in_([s.value for s in ics.SHOWN]), m.ends_at >= since)
            .order_by(m.starts_at, m.id))
    with reading(server.store.engine) as conn:
        return [decode(Meeting, json.loads(r)) for r in conn.execute(stmt).scalars()]


def events_since(server: Server, since: datetime) -> list[GroupEvent]:
    """Group events ending at or after `since`, from the table (memory keeps only open ones)."""
    g = schema.group_events.c
    with reading(server.store.engine) as conn:
        rows = conn.execute(sa.select(g.record).where(g.ends_at >= since).order_by(g.starts_at, g.id)).scalars()
        return [decode(GroupEvent, json.loads(r)) for r in rows]


def entries(server: Server, person: str, now: datetime) -> tuple[str, list[ics.Entry]]:
    """The person's name and their calendar: agreed meetings (cancelled ones kept) and group
    events they host or registered for, from `HISTORY_DAYS` ago onwards."""
    since = now - timedelta(days=HISTORY_DAYS)
    meetings = [m for m in meetings_since(server, person, since) if ics.agreed_once(m)]
    with world_of(server) as w:
        found = w.people.get(person)
        name = found.name if found else ""
        others = {m.id: other_side(w, m, person) for m in meetings}
        events = [g for g in events_since(server, since) if g.expert == person
                  or any(r.customer == person for r in g.registrations)]
        hosts = {g.expert: host_name(w, g.expert) for g in events}
    modified = changed_at(server, [m.id for m in meetings] + [g.id for g in events])
    base, policy = server.settings.base_url, server.store.policy
    out = [ics.meeting_entry(m, Role.EXPERT if person == m.expert else Role.CUSTOMER, others[m.id], base, policy,
                             modified.get(m.id, m.requested_at)) for m in meetings]
    out += [ics.event_entry(g, person, hosts[g.expert], base, modified.get(g.id, g.start)) for g in events]
    return name, sorted(out, key=lambda entry: (entry.start, entry.uid))


def host_name(w: World, expert: str) -> str:
    profile, person = w.profiles.get(expert), w.people.get(expert)
    return profile.name if profile and profile.name else person.name if person else ""


def feed_of(server: Server, person: str) -> bytes:
    now = server.clock.now()
    name, found = entries(server, person, now)
    return ics.feed(found, now, f"Expert Console — {name}" if name else "Expert Console")


# --- invitations in emails ------------------------------------------------------------------------

# A notification announces an agreed time, a move or a cancellation when the command that queued it
# also recorded one of these (same meeting, same moment): the engine's own events say so, not the
# notification's wording (a "reschedule" notice is also sent for a time only proposed).
ANNOUNCING = ("MeetingAgreed", "AlternativeApproved", "MeetingCancelled")


def announced(conn: sa.Connection, notes: Iterable[Any]) -> dict[int, Meeting]:
    """The meeting each notification row (position, ref, at, recipient) announces, as it is now,
    for the notifications to one of its two sides that come with a calendar invitation."""
    notes = [n for n in notes if n.kind in ("confirmed", "reschedule", "cancellation")]
    if not notes:
        return {}
    e, m = schema.events.c, schema.meetings.c
    refs = {n.ref for n in notes}
    lowest = min(n.position for n in notes)
    moments = set(conn.execute(sa.select(e.ref, e.at).where(
        e.ref.in_(refs), e.kind.in_(ANNOUNCING), e.position < max(n.position for n in notes),
        e.position > lowest - 100)).all())  # a command's events are a handful of positions apart
    records = {ref: decode(Meeting, json.loads(record)) for ref, record in conn.execute(
        sa.select(m.id, m.record).where(m.id.in_(refs))).all()}
    out = {}
    for n in notes:
        found = records.get(n.ref)
        if (n.ref, n.at) in moments and found is not None and n.recipient in (found.expert, found.customer) \
                and ics.agreed_once(found):
            out[n.position] = found
    return out


def invitation(conn: sa.Connection, server: Server, m: Meeting, person: str, address: str, at: datetime) -> str:
    """The `invite.ics` of an email to `person` at `address`: the meeting as the feed shows it."""
    p, people = schema.profiles.c, schema.people.c
    if person == m.expert:
        other = m.customer_name or conn.execute(sa.select(people.name).where(people.id == m.customer)).scalar() or ""
        viewer = Role.EXPERT
    else:
        other = (conn.execute(sa.select(p.name).where(p.expert == m.expert)).scalar()
                 or conn.execute(sa.select(people.name).where(people.id == m.expert)).scalar() or "")
        viewer = Role.CUSTOMER
    entry = ics.meeting_entry(m, viewer, other, server.settings.base_url, server.store.policy, at)
    sender = parseaddr(server.settings.smtp_from)[1] or "no-reply@localhost"
    return ics.invitation(entry, at, sender, address).decode()


# --- routes --------------------------------------------------------------------------------------


@router.get("/calendar/{token}.ics", response_class=Response, responses={
    200: {"description": "the person's calendar (iCalendar)", "content": {"text/calendar": {"schema": {"type": "string"}}}},
    **responses(404)})
def calendar_feed(token: str, request: Request) -> Response:
    """The feed a calendar program subscribes to; the token in the address is the credential."""
    server = server_of(request)
    person = owner(server, token)
    if person is None:
        raise fail(404, "not_found", "this calendar link is not valid (it may have been replaced); "
                                     "copy the current one from your profile")
    return Response(feed_of(server, person), media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})


class FeedLinks(BaseModel):
    url: str = Field(description="the feed's https:// (or http://) address, to copy into a calendar")
    webcal: str = Field(description="the same address as webcal://, which opens the system's calendar program")


@router.get("/api/calendar", response_model=FeedLinks)
def my_calendar(request: Request, user: CurrentUser) -> dict[str, Any]:
    """The caller's calendar feed link, `https://` to copy and `webcal://` to subscribe."""
    server = server_of(request)
    return links(server, feed_token(server, user.id))


@router.post("/api/calendar/reset", response_model=FeedLinks)
def new_calendar_link(request: Request, user: CurrentUser) -> dict[str, Any]:
    """Revoke the caller's feed link (calendars subscribed to it stop updating) and make a new one."""
    server = server_of(request)
    return links(server, reset_token(server, user.id))
