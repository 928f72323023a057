"""Timeline lines in the person's language.

The engine writes each timeline line in the platform's own English wording (R34: "Approved by
user", "Cancelled by expert"…). Here every line it can write is listed once through `tr()`, and
the few with a part that varies (who did it, a reason, an answer) are matched by pattern, so a
French expert reads a French timeline. A line not listed shows as the engine wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from consoleapp.engine.model import Answer, DeclineReason

from .i18n import tr


def _fixed() -> dict[str, str]:
    return {
        "Account opened": tr("Account opened"),
        "Account closed": tr("Account closed"),
        "Profile updated": tr("Profile updated"),
        "Payout profile updated": tr("Payout profile updated"),
        "Offers changed": tr("Offers changed"),
        "Availability slot added": tr("Availability slot added"),
        "Availability slot moved": tr("Availability slot moved"),
        "Availability slot removed": tr("Availability slot removed"),
        "Instant request sent by user": tr("Instant request sent by user"),
        "Meeting requested by user": tr("Meeting requested by user"),
        "Slot booked by user": tr("Slot booked by user"),
        "Meeting suggested by expert": tr("Meeting suggested by expert"),
        "Credits blocked": tr("Credits blocked"),
        "Approved by user": tr("Approved by user"),
        "Approved by expert": tr("Approved by expert"),
        "Request expired unanswered": tr("Request expired unanswered"),
        "Payment returned to the user": tr("Payment returned to the user"),
        "Appointment reimbursed to expert": tr("Appointment reimbursed to expert"),
        "Alternative date proposed by expert": tr("Alternative date proposed by expert"),
        "Alternative date selected by user": tr("Alternative date selected by user"),
        "User cancelled alternate appointment": tr("User cancelled alternate appointment"),
        "Expert cancelled alternate appointment": tr("Expert cancelled alternate appointment"),
        "Video meeting created": tr("Video meeting created"),
        "Video meeting moved, links regenerated": tr("Video meeting moved, links regenerated"),
        "Video meeting cancelled": tr("Video meeting cancelled"),
        "Expert attended": tr("Expert attended"),
        "User attended": tr("User attended"),
        "Session started": tr("Session started"),
        "Connection lost, count paused": tr("Connection lost, count paused"),
        "Reconnected, count resumed": tr("Reconnected, count resumed"),
        "Both warned: session ends soon": tr("Both warned: session ends soon"),
        "Expert gifted extra minutes": tr("Expert gifted extra minutes"),
        "Session ended": tr("Session ended"),
        "Chat message": tr("Chat message"),
        "Attachment added": tr("Attachment added"),
        "Recording available": tr("Recording available"),
        "Meeting held": tr("Meeting held"),
        "Credits moved": tr("Credits moved"),
        "Settled": tr("Settled"),
        "Payment to expert": tr("Payment to expert"),
        "Payment returned to the user, platform paid the expert": tr("Payment returned to the user, platform paid the expert"),
        "Operator split the payment": tr("Operator split the payment"),
        "Sent to operator review": tr("Sent to operator review"),
        "Rated by user": tr("Rated by user"),
        "Text review saved": tr("Text review saved"),
        "Event created": tr("Event created"),
        "Registration": tr("Registration"),
        "Registration cancelled": tr("Registration cancelled"),
        "Event cancelled": tr("Event cancelled"),
        "Expert joined the event": tr("Expert joined the event"),
        "User joined the event": tr("User joined the event"),
        "Expert left the event": tr("Expert left the event"),
        "Event settled": tr("Event settled"),
        "Refund claim opened": tr("Refund claim opened"),
        "Refund paid to the user": tr("Refund paid to the user"),
        "Claim disputed by expert": tr("Claim disputed by expert"),
        "Claim unanswered, sent to operator review": tr("Claim unanswered, sent to operator review"),
        "Dispute accepted": tr("Dispute accepted"),
        "Dispute rejected": tr("Dispute rejected"),
        "Expert flagged for the operator": tr("Expert flagged for the operator"),
        "Promo code created": tr("Promo code created"),
        "Promo code ended": tr("Promo code ended"),
        "Promo code applied": tr("Promo code applied"),
        "Promo code given back": tr("Promo code given back"),
        "Claim window closed": tr("Claim window closed"),
        "Payout sent": tr("Payout sent"),
        "Payout withheld": tr("Payout withheld"),
        "Payout run completed": tr("Payout run completed"),
        "Notification": tr("Notification"),
        "Reminder sent": tr("Reminder sent"),
    }


def _who(word: str) -> str:
    return {"user": tr("user"), "expert": tr("expert"), "system": tr("the platform")}.get(word, word)


def _answer(text: str) -> str:
    labels = {Answer.SMOOTH.value: tr("went smoothly"), Answer.MY_FAULT.value: tr("failed because of me"),
              Answer.OTHER_PARTY.value: tr("failed because of the other party"),
              Answer.PLATFORM.value: tr("failed because the platform's services broke")}
    return labels.get(text, text)


def _reason(text: str) -> str:
    labels = {DeclineReason.NOT_AVAILABLE.value: tr("not available at that time"),
              DeclineReason.OUTSIDE_EXPERTISE.value: tr("outside my expertise"),
              DeclineReason.NEEDS_MORE_DETAIL.value: tr("needs more detail"),
              DeclineReason.PRICE_OR_BUDGET.value: tr("budget too low"),
              DeclineReason.PERSONAL.value: tr("personal reasons"), DeclineReason.OTHER.value: tr("other")}
    return labels.get(text, text)


_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^Rejected by (\w+) \((.*)\)$"),
     lambda m: tr("Rejected by {who} ({reason})", who=_who(m[1]), reason=_reason(m[2]))),
    (re.compile(r"^Cancelled by (\w+)$"), lambda m: tr("Cancelled by {who}", who=_who(m[1]))),
    (re.compile(r"^Approval of replacement date by (\w+)$"),
     lambda m: tr("Approval of replacement date by {who}", who=_who(m[1]))),
    (re.compile(r"^Rejected alternate date by (\w+)$"), lambda m: tr("Rejected alternate date by {who}", who=_who(m[1]))),
    (re.compile(r"^Meeting progress recorded by (\w+): (.*)$"),
     lambda m: tr("Meeting progress recorded by {who}: {answer}", who=_who(m[1]), answer=_answer(m[2]))),
]


def title(entry: dict[str, Any]) -> str:
    """The timeline entry's line in the current language."""
    text = str(entry.get("title", ""))
    fixed = _fixed().get(text)
    if fixed is not None:
        return fixed
    for pattern, say in _PATTERNS:
        m = pattern.match(text)
        if m:
            return say(m)
    return text
