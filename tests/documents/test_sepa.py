"""R33: a payout run as a SEPA credit-transfer file (pain.001.001.03), read back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from consoleapp.documents.sepa import Credit, Debtor, SepaError, credit_transfer

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DAY = date(2027, 5, 16)
RAN = datetime(2027, 5, 16, 6, 0, 3, tzinfo=UTC)
PLATFORM = Debtor("Expert Console SE", "DE89370400440532013000", "COBADEFFXXX", "EUR", 250)
PAID = [Credit("payout:dvorak:2027-05-16", "Antonín Dvořák", "CZ6508000000192000145399", "GIBACZPX", 108),
        Credit("payout:nina:2027-05-16", "Nina Œuvre", "FR1420041010050500013M02606", "", 63)]


def test_r33_the_file_has_one_transfer_per_paid_expert_with_sums_and_accounts() -> None:
    xml = credit_transfer(PLATFORM, DAY, PAID, RAN)
    root = ET.fromstring(xml)  # the schema was checked by sepaxml before the bytes came out
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "427.50"  # (108 + 63) credits x 2.50
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2027-05-16T06:00:03"  # the run's time, not the clock's
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info is not None
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == PLATFORM.iban
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == PLATFORM.bic
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == "2027-05-16"
    rows = [(tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS), tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
             tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
             tx.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
             tx.find("p:Amt/p:InstdAmt", NS).attrib["Ccy"], tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),  # type: ignore[union-attr]
             tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS))
            for tx in info.findall("p:CdtTrfTxInf", NS)]
    assert rows == [
        ("payout:dvorak:2027-05-16", "Antonin Dvorak", "CZ6508000000192000145399", "GIBACZPX", "EUR", "270.00",
         "Expert Console payout 2027-05-16"),  # SEPA's character set: accents transliterated
        ("payout:nina:2027-05-16", "Nina OEuvre", "FR1420041010050500013M02606", None, "EUR", "157.50",
         "Expert Console payout 2027-05-16"),
    ]
    assert credit_transfer(PLATFORM, DAY, PAID, RAN) == xml  # the same run gives the same file (and message id)


@pytest.mark.parametrize(("debtor", "says"), [
    (Debtor("Expert Console SE", "DE89370400440532013000", "", "CHF", 100), "SEPA transfers are in euros"),
    (Debtor("", "", "", "EUR", 100), "set CONSOLEAPP_PLATFORM_NAME and CONSOLEAPP_PLATFORM_IBAN"),
])
def test_r33_no_file_without_euros_or_the_platforms_account(debtor: Debtor, says: str) -> None:
    with pytest.raises(SepaError, match=says):
        credit_transfer(debtor, DAY, PAID, RAN)


def test_r33_no_file_for_a_day_nobody_was_paid() -> None:
    with pytest.raises(SepaError, match="no expert was paid on 2027-05-16"):
        credit_transfer(PLATFORM, DAY, [], RAN)
