"""Words for a session's fields, shared by the live window and the Session history.

The engine's values (statuses, answers, outcomes) are English identifiers; these are the
labels a person reads, through `tr()`. Nothing here decides anything.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from consoleapp.engine.model import Answer, MeetingStatus, Mode, Outcome, PaymentStatus

from ..i18n import tr


def status_label(status: str) -> str:
    labels = {
        MeetingStatus.AWAITING_APPROVAL.value: tr("Awaiting approval"),
        MeetingStatus.AGREED.value: tr("Agreed"),
        MeetingStatus.REJECTED.value: tr("Rejected"),
        MeetingStatus.CANCELLED.value: tr("Cancelled"),
        MeetingStatus.EXPIRED.value: tr("Expired"),
        MeetingStatus.HELD.value: tr("Held"),
        MeetingStatus.SETTLED.value: tr("Settled"),
        MeetingStatus.UNDER_REVIEW.value: tr("Under review"),
    }
    return labels.get(status, status)


def status_tone(status: str) -> str:
    """The chip colour of a status (see style.py)."""
    return {
        MeetingStatus.HELD.value: "warn",
        MeetingStatus.SETTLED.value: "good",
        MeetingStatus.UNDER_REVIEW.value: "accent",
        MeetingStatus.CANCELLED.value: "neutral",
        MeetingStatus.EXPIRED.value: "neutral",
        MeetingStatus.REJECTED.value: "bad",
        MeetingStatus.AGREED.value: "accent",
    }.get(status, "neutral")


def mode_label(mode: str) -> str:
    labels = {Mode.VIDEO.value: tr("Video"), Mode.CHAT.value: tr("Chat"), Mode.PHONE.value: tr("Phone")}
    return labels.get(mode, mode)


def kind_label(kind: str) -> str:
    labels = {"instant": tr("Instant request"), "scheduled": tr("Scheduled request"),
              "booking": tr("Booked slot"), "suggested": tr("Your suggestion")}
    return labels.get(kind, kind)


def payment_label(payment: str) -> str:
    labels = {
        PaymentStatus.NONE.value: "—",
        PaymentStatus.BLOCKED.value: tr("Held (blocked)"),
        PaymentStatus.RETURNED.value: tr("Returned"),
        PaymentStatus.REIMBURSED_CANCELLATION.value: tr("Reimbursed cancellation"),
        PaymentStatus.PAID.value: tr("Paid"),
        PaymentStatus.REFUNDED.value: tr("Refunded"),
        PaymentStatus.PARTIALLY_REFUNDED.value: tr("Partially refunded"),
    }
    return labels.get(payment, payment)


def outcome_label(outcome: str) -> str:
    labels = {
        Outcome.PAY.value: tr("Paid to you"),
        Outcome.RETURN.value: tr("Returned to the customer"),
        Outcome.PLATFORM_FAULT.value: tr("Platform's fault"),
        Outcome.REVIEW.value: tr("Operator review"),
        Outcome.SPLIT.value: tr("Split by the operator"),
    }
    return labels.get(outcome, outcome)


def expert_answer_label(answer: Answer | str) -> str:
    """The expert's own answer, in the expert's words (R22-R26)."""
    labels = {
        Answer.SMOOTH.value: tr("It went smoothly"),
        Answer.MY_FAULT.value: tr("It failed because of me"),
        Answer.OTHER_PARTY.value: tr("It failed because of the customer"),
        Answer.PLATFORM.value: tr("It failed because the platform's services broke"),
    }
    return labels.get(Answer(answer).value, str(answer))


def customer_answer_label(answer: Answer | str) -> str:
    """The customer's answer, told to the expert: 'me' and 'the other party' swap sides."""
    labels = {
        Answer.SMOOTH.value: tr("It went smoothly"),
        Answer.MY_FAULT.value: tr("It failed because of the customer (their own answer)"),
        Answer.OTHER_PARTY.value: tr("It failed because of you"),
        Answer.PLATFORM.value: tr("It failed because the platform's services broke"),
    }
    return labels.get(Answer(answer).value, str(answer))


def customer_label(name: str, customer_id: str) -> str:
    """The customer's name, or a short id on records older than names."""
    return name or tr("Customer {id}", id=customer_id[:8])


def actor_label(actor: str, me: str, customer: str) -> str:
    if actor == me:
        return tr("You")
    if actor == customer:
        return tr("Customer")
    if actor == "system":
        return tr("System")
    return tr("Operator")


def size_label(size: int) -> str:
    return QLocale().formattedDataSize(int(size))
