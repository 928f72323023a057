"""A payout run as a SEPA credit-transfer file (ISO 20022 pain.001.001.03) for the platform's bank.

One transfer per paid expert, from the platform's account, built with sepaxml and checked
against the pain.001.001.03 schema before it is handed out. The file is a function of the run:
its message id names the payout day and its creation time is the server's clock, so a file
downloaded twice is the same file, and a bank that refuses a message id it has seen refuses
to pay a run twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sepaxml import SepaTransfer

SCHEMA = "pain.001.001.03"


class SepaError(Exception):
    """The file cannot be made; the message says what to set or fix."""


@dataclass(frozen=True, slots=True)
class Debtor:
    """The platform's own account, from the settings."""

    name: str
    iban: str
    bic: str
    currency: str
    credit_price_cents: int


@dataclass(frozen=True, slots=True)
class Credit:
    """One paid expert: whose account, how many credits, which payout."""

    payout_id: str
    name: str
    iban: str
    bic: str
    credits: int


class _Transfer(SepaTransfer):  # type: ignore[misc]
    """sepaxml's transfer with our ids and time instead of random ones and the wall clock."""

    def __init__(self, config: dict[str, Any], message_id: str, created: datetime) -> None:
        self._fixed = message_id, created
        super().__init__(config, schema=SCHEMA)

    def _create_header(self) -> None:
        message_id, created = self._fixed
        self.msg_id = message_id
        super()._create_header()
        self._xml.find("CstmrCdtTrfInitn/GrpHdr/CreDtTm").text = created.strftime("%Y-%m-%dT%H:%M:%S")

    def _finalize_batch(self) -> None:
        super()._finalize_batch()
        for node in self._xml.iter("PmtInfId"):
            node.text = self._fixed[0]


def message_id(day: date) -> str:
    return f"EXPERT-CONSOLE-PAYOUTS-{day.isoformat()}"


def check_ready(debtor: Debtor) -> None:
    """Refuse, saying which setting to change, when no SEPA file can come from this account."""
    if debtor.currency != "EUR":
        raise SepaError(f"SEPA transfers are in euros, and CONSOLEAPP_CURRENCY is {debtor.currency}: "
                        "pay this run another way, or set CONSOLEAPP_CURRENCY=EUR")
    if not (debtor.name and debtor.iban):
        raise SepaError("set CONSOLEAPP_PLATFORM_NAME and CONSOLEAPP_PLATFORM_IBAN (and CONSOLEAPP_PLATFORM_BIC "
                        "if the bank asks for it) to the platform's own account, then restart the server")


def credit_transfer(debtor: Debtor, day: date, credits: Sequence[Credit], created: datetime) -> bytes:
    """The pain.001 XML of one payout day, requested for execution on that day."""
    check_ready(debtor)
    if not credits:
        raise SepaError(f"no expert was paid on {day.isoformat()}: there is nothing to transfer")
    config: dict[str, Any] = {"name": debtor.name, "IBAN": debtor.iban, "batch": True, "currency": "EUR"}
    if debtor.bic:
        config["BIC"] = debtor.bic
    transfer = _Transfer(config, message_id(day), created)
    for credit in credits:
        payment: dict[str, Any] = {
            "name": credit.name, "IBAN": credit.iban, "amount": credit.credits * debtor.credit_price_cents,
            "execution_date": day, "description": f"Expert Console payout {day.isoformat()}",
            "endtoend_id": credit.payout_id[:35],
        }
        if credit.bic:
            payment["BIC"] = credit.bic
        transfer.add_payment(payment)
    out: bytes = transfer.export(validate=True, pretty_print=True)
    return out
