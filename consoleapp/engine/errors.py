"""Domain errors: a stable code for programs and a sentence a person can act on."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A refused command. Raised by `decide`; a refused command changes nothing."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r})"


# Stable codes. Clients branch on these, never on the message text.
NOT_FOUND = "not_found"
ALREADY_EXISTS = "already_exists"
FORBIDDEN = "forbidden"
INVALID = "invalid"
WRONG_STATE = "wrong_state"
TOO_LATE = "too_late"
TOO_EARLY = "too_early"
INSUFFICIENT_CREDITS = "insufficient_credits"
FEE_NOT_CONFIRMED = "fee_not_confirmed"
PRICE_TOO_LOW = "price_too_low"
SLOT_OVERLAP = "slot_overlap"
SLOT_TAKEN = "slot_taken"
UNAVAILABLE = "unavailable"
FULL = "full"
CLAIM_WINDOW_CLOSED = "claim_window_closed"
ALREADY_ANSWERED = "already_answered"
LEDGER = "ledger"
PROMO_REFUSED = "promo_refused"  # the promo code given cannot be used: the message says why


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(moment: datetime) -> str:
    """How a moment reads in an error message: '3 May 14:00 UTC'.

    Built from the fields, not with strftime's `%b`: that costs a few microseconds on every
    agreed meeting's notice, and it follows the process's locale (Qt sets it on the desktop),
    where the server's messages are always English.
    """
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.hour:02d}:{moment.minute:02d} UTC"
