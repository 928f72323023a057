"""R5: bank details and tax ids checked the way a bank and a tax office would check them.

schwifty (IBAN, BIC) and python-stdnum (VAT and tax numbers) are pure validation libraries:
their own tables and arithmetic, no network, no clock. A payout to a mistyped IBAN would bounce days later,
so the mistake is refused when it is typed, with what is wrong and what to do.

Both libraries are imported on first use: together they take about a fifth of the engine's
import time, which every desktop start and command line would pay for a check few make.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import INVALID, DomainError

if TYPE_CHECKING:
    from stdnum.util import NumberValidationModule

# The tax numbers a person may give, as stdnum names its modules: a VAT number, or a personal
# tax number where stdnum has one for the country.
_TAX_KINDS = ("vat", "tin")
# VAT numbers start with the country's code, except Greece's (EL); IBANs use GR.
_VAT_PREFIX = {"el": "gr"}


def iban(value: str) -> str:
    """The IBAN in its compact form (no spaces, upper case), or a refusal saying what is wrong."""
    from schwifty import IBAN, exceptions

    text = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", text):
        raise DomainError(INVALID, "an IBAN is two letters for its country, two check digits, then letters and "
                                   "digits (like DE89 3704 0044 0532 0130 00): copy it from your bank statement")
    try:
        return str(IBAN(text).compact)
    except exceptions.InvalidChecksumDigits:
        raise DomainError(INVALID, "the IBAN's check digits are wrong: check for a typing mistake") from None
    except exceptions.InvalidCountryCode:
        raise DomainError(INVALID, f"the IBAN starts with {text[:2]!r}, which is no country's IBAN code: "
                                   "an IBAN starts with two letters such as DE or FR") from None
    except exceptions.InvalidLength:
        expected = _length(text[:2])
        raise DomainError(INVALID, f"the IBAN has {len(text)} characters where an IBAN from {text[:2]} has "
                                   f"{expected}: check for a missing or extra character") from None
    except exceptions.SchwiftyException:
        raise DomainError(INVALID, f"the IBAN does not have the layout of an IBAN from {text[:2]}: "
                                   "copy it from your bank statement") from None


def _length(country: str) -> int | str:
    from schwifty import registry

    try:
        return int(registry.get_iban_spec(country).iban_length)
    except Exception:  # noqa: BLE001 - only for the message; the IBAN is refused either way
        return "another number"


def bic(value: str, country: str = "") -> str:
    """The BIC in compact form, refused unless it is well formed and (given the IBAN's country)
    belongs to a bank of that country."""
    from schwifty import BIC, exceptions

    text = value.replace(" ", "").upper()
    try:
        code = BIC(text)
    except exceptions.InvalidLength:
        raise DomainError(INVALID, f"the BIC has {len(text)} characters; a BIC has 8 or 11 (like COBADEFFXXX)") from None
    except exceptions.SchwiftyException:
        raise DomainError(INVALID, f"{text!r} is not a BIC: a BIC is 4 letters for the bank, 2 for the country "
                                   "and 2 or 5 letters or digits (like COBADEFFXXX)") from None
    if country and code.country_code != country:
        raise DomainError(INVALID, f"the BIC is of a bank in {code.country_code} but the IBAN is from {country}: "
                                   "give the BIC of the bank that holds this account")
    return str(code.compact)


def tax_id(value: str, country: str) -> str:
    """The tax id as written, checked with stdnum for its country (the country its prefix
    names, else the IBAN's) where stdnum knows that country's VAT or tax numbers; a country
    stdnum does not know is accepted as written."""
    from stdnum.exceptions import ValidationError

    text = value.strip()
    prefix = text[:2].lower()
    if prefix.isalpha() and _modules(_VAT_PREFIX.get(prefix, prefix)):
        country = _VAT_PREFIX.get(prefix, prefix)
    modules = _modules(country.lower()) if country else []
    if not text or not modules:
        return text
    problems = []
    for module in modules:
        try:
            module.validate(text)
            return text
        except ValidationError as exc:
            problems.append(str(exc).rstrip(".").lower())
    kinds = " or ".join(_name(m) for m in modules)
    raise DomainError(INVALID, f"the tax id {text!r} is not a valid {kinds}: {problems[0]}; "
                               "check it against the number your tax office gave you")


def _modules(country: str) -> list[NumberValidationModule]:
    from stdnum import get_cc_module

    found = (get_cc_module(country, kind) for kind in _TAX_KINDS)
    return [m for m in found if m is not None]


def _name(module: NumberValidationModule) -> str:
    """The English name in stdnum's title of the number: 'Ust ID Nr. (Umsatzsteur
    Identifikationnummer, German VAT number).' gives 'German VAT number'."""
    title = (module.__doc__ or "tax number").strip().splitlines()[0]
    inside = title[title.rfind("(") + 1:title.rfind(")")] if "(" in title else title
    return inside.split(",")[-1].strip().removeprefix("the ").rstrip(".")
