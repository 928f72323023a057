"""Bank transfer, the default provider: the platform's account, the amount, the reference, and
the EPC "Girocode" QR code (EPC069-12) that banking apps scan to fill in the transfer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

import segno.helpers

from ..settings import Settings
from .records import Payment

log = logging.getLogger("consoleapp.payments")


@dataclass(frozen=True)
class Transfer:
    """What the customer types into their bank (or scans)."""

    holder: str
    iban: str
    bic: str
    amount: str  # '12.50'
    currency: str
    reference: str
    qr: str  # an SVG data URL, or '' when the currency is not the euro (EPC codes are for SEPA euro transfers)


def set_up(settings: Settings) -> bool:
    return bool(settings.platform_iban.strip())


def grouped_iban(iban: str) -> str:
    """'DE89 3704 0044 0532 0130 00': how an IBAN is printed, in groups of four."""
    bare = iban.replace(" ", "").upper()
    return " ".join(bare[i:i + 4] for i in range(0, len(bare), 4))


def transfer(settings: Settings, payment: Payment) -> Transfer:
    return Transfer(settings.platform_name, grouped_iban(settings.platform_iban), settings.platform_bic.strip(),
                    payment.price, payment.currency, payment.reference, girocode(settings, payment))


def girocode(settings: Settings, payment: Payment) -> str:
    if payment.currency != "EUR":
        return ""
    try:
        code = segno.helpers.make_epc_qr(
            name=settings.platform_name[:70], iban=settings.platform_iban.replace(" ", ""),
            amount=Decimal(payment.amount) / 100, text=payment.reference, bic=settings.platform_bic.strip() or None)
    except ValueError as exc:  # a bank setting segno refuses: the page still shows the details to type
        log.warning("no EPC QR code for %s: %s (check CONSOLEAPP_PLATFORM_IBAN / _BIC / _NAME)", payment.reference, exc)
        return ""
    return str(code.svg_data_uri(scale=4))
