"""Pieces of the Earnings screen: ledger labels and payout profile fields in words, what a
movement is about, and a figure card."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from .. import widgets
from ..i18n import tr

if TYPE_CHECKING:
    from consoleapp.sync.client.operations.earnings import Subject


def label_text(label: str) -> str:
    """A ledger label (engine.ledger.Label) in the person's language; unknown ones as they are."""
    known = {
        "Blocking of credits for services": tr("Blocking of credits for services"),
        "Deduction of credits for services": tr("Deduction of credits for services"),
        "Payment of credits for services": tr("Payment of credits for services"),
        "Platform commission": tr("Platform commission"),
        "Unblocking of credits": tr("Unblocking of credits"),
        "Bonus credits for verbal evaluation": tr("Bonus credits for verbal evaluation"),
        "Credits granted": tr("Credits granted"),
        "Refund of credits for services": tr("Refund of credits for services"),
        "Commission returned with a refund": tr("Commission returned with a refund"),
        "Platform payment for broken services": tr("Platform payment for broken services"),
        "Payout to bank account": tr("Payout to bank account"),
        "Promo code discount": tr("Promo code discount"),
        "Promo code discount returned": tr("Promo code discount returned"),
    }
    return known.get(label, label)


def missing_text(fields: tuple[str, ...]) -> str:
    """PayoutProfile.missing() names (R5), translated and joined."""
    names = {"legal name": tr("legal name"), "billing address": tr("billing address"), "tax id": tr("tax id"),
             "bank account": tr("bank account")}
    return ", ".join(names.get(f, f) for f in fields)


def describer(subject_of: Callable[[str], Subject]) -> Callable[[str], str]:
    """What a movement's reference is about, in words (`Console.movement_subjects` says what it
    is; the wording is the screen's). The templates are translated here, on the UI thread."""
    claim_on = tr("Claim on “{session}”")
    payout_of = tr("Payout of {day}")

    def about(ref: str) -> str:
        found = subject_of(ref)
        if found.kind == "claim":
            return claim_on.format(session=found.text)
        if found.kind == "payout":
            return payout_of.format(day=found.text)
        return found.text

    return about


class Figure(widgets.Card):
    """One number of the month with its caption."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.setSpacing(2)
        self.body.setContentsMargins(12, 10, 12, 10)
        self.caption = QLabel(caption)
        self.caption.setObjectName("figure-label")
        self.value = QLabel("—")
        self.value.setObjectName("figure")
        self.setToolTip(tip)
        self.body.addWidget(self.caption)
        self.body.addWidget(self.value)
