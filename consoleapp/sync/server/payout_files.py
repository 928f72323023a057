"""The SEPA credit-transfer file of a payout run, for the platform's bank (R33).

The engine made the payouts (`RunPayouts`); this reads them back for one day, with each
expert's payout profile (R5), and hands them to `consoleapp.documents.sepa`. The operator API,
the console's Payouts page and `consoleapp-server admin sepa-file` all come here, and each
download is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from consoleapp.documents.sepa import Credit, Debtor, SepaError, check_ready, credit_transfer
from consoleapp.engine import DomainError, World, banking
from consoleapp.engine.model import Payout

from . import audit
from .context import Server
from .settings import Settings
from .write_path import world_of

MEDIA_TYPE = "application/xml"


class NothingPaid(SepaError):
    """No expert was paid on that day (or it was no payout day): there is no file to make."""


@dataclass(frozen=True, slots=True)
class SepaFile:
    day: date
    xml: bytes
    transfers: int
    cents: int

    @property
    def filename(self) -> str:
        return f"payouts-{self.day.isoformat()}-pain.001.xml"

    def describe(self, currency: str = "EUR") -> str:
        return f"{self.transfers} transfer{'s' if self.transfers != 1 else ''}, {money(self.cents, currency)}"


def money(cents: int, currency: str) -> str:
    """An amount in minor units as a person reads it: 42750, EUR -> '427.50 EUR'."""
    return f"{cents / 100:.2f} {currency}"


def debtor(settings: Settings) -> Debtor:
    return Debtor(settings.platform_name, settings.platform_iban, settings.platform_bic, settings.currency,
                  settings.credit_price_cents)


def missing_settings(settings: Settings) -> str:
    """Why no SEPA file can be made with these settings, or "" when one can."""
    if settings.currency != "EUR":
        return "currency"
    if not (settings.platform_name and settings.platform_iban):
        return "account"
    return ""


def payout_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def credits_of(w: World, paid: Sequence[Payout], day: date) -> list[Credit]:
    """One transfer per payout of `day` (`paid`, read from the store), to the account in the
    expert's payout profile."""
    out = []
    for p in paid:
        profile = w.payout_profiles.get(p.expert)
        person = w.people.get(p.expert)
        name = (profile.legal_name if profile else "") or (person.name if person else p.expert)
        try:
            iban = banking.iban(profile.bank_account if profile else "")
        except DomainError as refused:  # a profile saved before IBANs were checked
            raise SepaError(f"the payout profile of {name} has no valid IBAN ({refused.message}); "
                            "ask them to correct it, then make the file again") from None
        out.append(Credit(_end_to_end(p.id, p.expert, day), name, iban, profile.bic if profile else "", p.amount))
    return out


def _end_to_end(payout_id: str, expert: str, day: date) -> str:
    """The payout's id, which comes back with a returned transfer; SEPA allows 35 characters,
    so a longer one becomes the day and as much of the expert's id as fits."""
    return payout_id if len(payout_id) <= 35 else f"{day:%Y%m%d}:{expert}"[:35]


def sepa_file(server: Server, day: date, actor: str) -> SepaFile:
    """The file of the run of `day`, recorded in the audit log as made by `actor`."""
    settings = server.settings
    check_ready(debtor(settings))  # what to set comes first, whichever day is asked for
    paid = server.store.payouts_on(day.isoformat())
    with world_of(server) as w:
        credits = credits_of(w, paid, day)
    made = [p.made_at for p in paid]
    if not made:
        raise NothingPaid(f"no expert was paid on {day.isoformat()}: there is nothing to transfer")
    xml = credit_transfer(debtor(settings), day, credits, created=max(made))
    found = SepaFile(day, xml, len(credits), sum(x.credits for x in credits) * settings.credit_price_cents)
    with server.store.engine.begin() as conn:
        audit.record(conn, server.clock.now(), actor, audit.SEPA_FILE, day.isoformat(), found.describe())
    return found
