"""Pieces of the Disputes screen: one claim as a row, its countdown and outcome in words.

A row joins a claim (the Console's `ClaimItem`) with what the expert recognises it by: the
customer's name and the session's topic and time. An event registration's claim names its
session '<event id>/<customer id>'; the customer's name is not in the expert's cache then,
so a short id stands in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from consoleapp.engine.model import ClaimStatus

from .. import fmt
from ..i18n import tr

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from consoleapp.engine.model import Claim
    from consoleapp.sync.client.console import ClaimItem, Console


@dataclass(frozen=True, slots=True)
class ClaimRow:
    item: ClaimItem
    customer: str
    session: str  # the topic or the event's title
    session_start: datetime | None

    @property
    def claim(self) -> Claim:
        return self.item.claim

    @property
    def id(self) -> str:
        return self.item.claim.id

    @property
    def pending(self) -> bool:
        return self.item.pending


def short_id(value: str) -> str:
    return value[:8]


def row_of(console: Console, item: ClaimItem) -> ClaimRow:
    cl = item.claim
    m = console.meeting(cl.session)
    if m is not None:
        return ClaimRow(item, m.customer_name or short_id(m.customer), m.topic, m.start)
    event_id = cl.session.split("/", 1)[0]
    g = console.group_event(event_id)  # an event registration: '<event id>/<customer id>'
    title = tr("Group event “{title}”", title=g.title) if g is not None else tr("Group event")
    return ClaimRow(item, short_id(cl.customer), title, g.start if g is not None else None)


def time_left(deadline: datetime | None, now: datetime) -> str:
    """'2 days 3 h', '1 day 3 h', '5 h 20 min', '12 min'; 'passed' once it is over."""
    if deadline is None:
        return ""
    left = int((deadline - now).total_seconds())
    if left <= 0:
        return tr("passed")
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return tr("%n day(s) {hours} h", None, days, hours=hours)
    if hours:
        return tr("{hours} h {minutes:02d} min", hours=hours, minutes=minutes)
    return tr("{minutes} min", minutes=max(minutes, 1))


def answer_within(deadline: datetime | None, now: datetime) -> str:
    """'answer within 2 days 3 h', or that the deadline has passed (R30)."""
    if deadline is None:
        return ""
    if deadline <= now:
        return tr("deadline passed: the operator decides")
    return tr("answer within {left}", left=time_left(deadline, now))


def urgent(deadline: datetime | None, now: datetime) -> bool:
    """Less than a day left: the countdown is shown in the warning colour."""
    return deadline is not None and (deadline - now).total_seconds() < 86400


def status_text(cl: Claim) -> str:
    return {
        ClaimStatus.OPEN: tr("Open"),
        ClaimStatus.REFUNDED: tr("Refunded"),
        ClaimStatus.DISPUTED: tr("With the operator"),
        ClaimStatus.DISPUTE_ACCEPTED: tr("Dispute accepted"),
        ClaimStatus.DISPUTE_REJECTED: tr("Dispute rejected"),
    }.get(cl.status, cl.status.value)


def status_tone(cl: Claim) -> str:
    return {
        ClaimStatus.OPEN: "warn",
        ClaimStatus.REFUNDED: "neutral",
        ClaimStatus.DISPUTED: "accent",
        ClaimStatus.DISPUTE_ACCEPTED: "good",
        ClaimStatus.DISPUTE_REJECTED: "bad",
    }.get(cl.status, "neutral")


def outcome_text(item: ClaimItem) -> str:
    """What became of a decided claim, from the claim the engine decided (the Console's words
    are English-only; these are the same facts, translated)."""
    cl = item.claim
    if cl.status is ClaimStatus.REFUNDED:
        return tr("Refunded {refunded} of {amount}", refunded=fmt.credits(cl.refunded), amount=fmt.credits(cl.amount))
    if cl.status is ClaimStatus.DISPUTE_ACCEPTED:
        return tr("Dispute accepted: nothing refunded")
    if cl.status is ClaimStatus.DISPUTE_REJECTED:
        return tr("Dispute rejected: {amount} refunded from your earnings",
                  amount=fmt.credits(cl.refunded or cl.amount))
    if cl.status is ClaimStatus.DISPUTED:
        return tr("Waiting for the operator's decision")
    return item.outcome


def session_text(row: ClaimRow, zone: ZoneInfo) -> str:
    if row.session_start is None:
        return row.session
    return tr("{topic}, {when}", topic=row.session, when=fmt.when(row.session_start, zone))
