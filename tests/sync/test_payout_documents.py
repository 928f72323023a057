"""R5, R33 through the real server: a payout run's statements in Czech, Polish, French and Greek,
and its SEPA credit-transfer file from the operator API and the command line, read back."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from consoleapp.sync.server.settings import Settings
from tests.documents.test_statement_pdf import pdftotext

from .live import LiveServer
from .test_cli import run_cli
from .test_customer_api import applied, now_of, push, tick

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DAY = "2027-05-16"
CUSTOMERS = ("Zażółć Gęślą", "Françoise Œuvre", "Γιώργος Παπαδόπουλος")
PLATFORM = {"CONSOLEAPP_PLATFORM_NAME": "Expert Console SE", "CONSOLEAPP_PLATFORM_IBAN": "DE89 3704 0044 0532 0130 00",
            "CONSOLEAPP_PLATFORM_BIC": "COBADEFFXXX", "CONSOLEAPP_CREDIT_PRICE_CENTS": "250"}


@dataclass
class Run:
    live: LiveServer
    op: str
    dvorak: str
    dvorak_token: str
    nina: str


def _expert(live: LiveServer, name: str, start: datetime, **payout: str) -> tuple[str, str]:
    expert, token = live.register("expert", name=name)
    applied(live, token, "UpdateProfile", name=name, specialty="Tax law", time_zone="Europe/Prague",
            slug=f"x-{uuid.uuid4().hex[:8]}")
    applied(live, token, "SetOffers", mode="video", short_price=40, long_price=70)
    applied(live, token, "AddSlot", slot_id=f"slot-{expert}", start=start.isoformat(), end=(start + timedelta(hours=4)).isoformat())
    applied(live, token, "SetPayoutProfile", legal_name=name, billing_address="Národní 1, 110 00 Praha", **payout)
    return expert, token


def _book(live: LiveServer, token: str, expert: str, expert_token: str, start: datetime, offer: str) -> str:
    r = live.call(token, "POST", "/api/bookings", json={"slot_id": f"slot-{expert}", "mode": "video", "offer": offer,
                                                        "start": start.isoformat(), "topic": "Tax question"})
    assert r.status_code == 201, r.text
    mid: str = r.json()["meeting"]["id"]
    applied(live, expert_token, "ApproveBooking", meeting_id=mid)
    return mid


def _move_to(live: LiveServer, op: str, moment: datetime) -> None:
    live.advance(op, seconds=max((moment - now_of(live, op)).total_seconds(), 0))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """Two experts paid on 16 May 2027: Antonín Dvořák (three customers, 3 x 36 credits, Czech IBAN
    and BIC) and Nina Novak (one long session, 63 credits, French IBAN, no BIC)."""
    live = LiveServer(tmp_path_factory.mktemp("payout-documents") / "data", env=PLATFORM,
                      at=datetime(2027, 5, 10, 9, tzinfo=UTC)).start()
    try:
        _, op = live.operator()
        start = datetime(2027, 5, 13, 9, tzinfo=UTC)
        dvorak, dvorak_token = _expert(live, "Antonín Dvořák", start, tax_id="CZ25123891",
                                       bank_account="CZ65 0800 0000 1920 0014 5399", bic="GIBACZPX")
        nina, nina_token = _expert(live, "Nina Novak", start, tax_id="FR40303265045",
                                   bank_account="FR14 2004 1010 0505 0001 3M02 606")
        booked: list[tuple[datetime, str, str, str]] = []  # start, meeting, customer's token, expert's token
        for i, name in enumerate(CUSTOMERS):
            cid, token = live.register("customer", name=name)
            assert live.call(op, "POST", "/operator/grants", json={"customer": cid, "amount": 200}).status_code == 201
            at = start + timedelta(minutes=45 * i)
            booked.append((at, _book(live, token, dvorak, dvorak_token, at, "short"), token, dvorak_token))
            if i == 0:
                booked.append((at, _book(live, token, nina, nina_token, at, "long"), token, nina_token))
        for at, mid, _, expert_token in sorted(booked):
            _move_to(live, op, at + timedelta(seconds=1))
            applied(live, expert_token, "StartSession", meeting_id=mid)
            applied(live, expert_token, "EndSession", meeting_id=mid)
        _move_to(live, op, start + timedelta(hours=3))
        tick(live)
        for _, mid, token, _ in booked:
            answer = live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": "went smoothly"})
            assert answer.status_code == 200, answer.text
        _move_to(live, op, datetime(2027, 5, 16, 6, tzinfo=UTC))
        ran = live.call(op, "POST", "/operator/payouts", json={"day": DAY})
        assert ran.status_code == 200 or ran.json()["error"]["code"] == "already_exists", ran.text  # or the scheduler did
        yield Run(live, op, dvorak, dvorak_token, nina)
    finally:
        live.stop()


def test_r33_statement_pdf_from_the_server_prints_czech_polish_french_and_greek_names(run: Run, tmp_path: Path) -> None:
    [payout] = run.live.call(run.dvorak_token, "GET", "/api/payouts").json()["payouts"]
    assert payout["amount"] == 108
    pdf = run.live.call(run.dvorak_token, "GET", payout["statement_pdf"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdftotext(pdf.content, tmp_path)
    assert "Antonín Dvořák" in text
    for name in CUSTOMERS:
        assert name in text, name
    assert "108 credits" in text
    by_operator = run.live.call(run.op, "GET", f"/operator/payouts/{payout['id']}/statement.pdf")
    assert by_operator.content == pdf.content


def _transfers(xml: bytes) -> tuple[ET.Element, list[dict[str, str | None]]]:
    root = ET.fromstring(xml)
    rows = [{"id": tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS), "name": tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
             "iban": tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
             "bic": tx.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
             "amount": tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
             "text": tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS)}
            for tx in root.iter(f"{{{NS['p']}}}CdtTrfTxInf")]
    return root, rows


def test_r33_the_runs_sepa_file_pays_each_expert_from_the_platforms_account(run: Run, tmp_path: Path) -> None:
    got = run.live.call(run.op, "GET", f"/operator/payouts/{DAY}/sepa.xml")
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/xml")
    assert f'filename="payouts-{DAY}-pain.001.xml"' in got.headers["content-disposition"]
    root, rows = _transfers(got.content)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "427.50"  # 171 credits x 2.50
    assert root.findtext("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "DE89370400440532013000"
    by_iban = {row["iban"]: row for row in rows}
    assert by_iban["CZ6508000000192000145399"] == {
        "id": by_iban["CZ6508000000192000145399"]["id"], "name": "Antonin Dvorak", "iban": "CZ6508000000192000145399",
        "bic": "GIBACZPX", "amount": "270.00", "text": f"Expert Console payout {DAY}"}
    assert by_iban["FR1420041010050500013M02606"]["amount"] == "157.50"
    assert by_iban["FR1420041010050500013M02606"]["bic"] is None
    ids = {p["expert"]: p["id"] for p in run.live.call(run.op, "GET", "/operator/payouts").json()["payouts"]}
    for expert, iban in ((run.dvorak, "CZ6508000000192000145399"), (run.nina, "FR1420041010050500013M02606")):
        end_to_end = by_iban[iban]["id"] or ""
        assert end_to_end == ids[expert][:35] or (end_to_end.startswith("20270516:") and expert.startswith(end_to_end[9:]))

    # The command line makes the same file from the same database (the run's time, not the clock's).
    out = tmp_path / "run.xml"
    cli = run_cli("admin", "sepa-file", "--day", DAY, "--out", str(out), data_dir=run.live.data_dir,
                  env={**PLATFORM, "CONSOLEAPP_TEST_CLOCK": "1"})
    assert cli.returncode == 0, cli.stderr
    assert out.read_bytes() == got.content and "2 transfers, 427.50 EUR" in cli.stderr


def test_r33_a_day_without_payouts_is_not_found_and_the_file_download_is_audited(run: Run) -> None:
    assert run.live.call(run.op, "GET", "/operator/payouts/2027-05-01/sepa.xml").status_code == 404
    assert run.live.call(run.op, "GET", "/operator/payouts/someday/sepa.xml").status_code == 404
    assert run.live.call(run.dvorak_token, "GET", f"/operator/payouts/{DAY}/sepa.xml").status_code == 403
    assert run.live.call(run.op, "GET", f"/operator/payouts/{DAY}/sepa.xml").status_code == 200
    from consoleapp.sync.server import audit
    from consoleapp.sync.server.opening import open_server

    server = open_server(run.live.settings)
    try:
        with server.store.engine.connect() as conn:
            made = audit.entries(conn, action=audit.SEPA_FILE)
    finally:
        server.store.close()
    assert made and all(x.subject == DAY and x.detail == "2 transfers, 427.50 EUR" for x in made)


def test_r5_a_mistyped_iban_is_refused_by_the_server_and_the_profile_kept(run: Run) -> None:
    result = push(run.live, run.dvorak_token, "SetPayoutProfile", legal_name="Antonín Dvořák", billing_address="Praha",
                  tax_id="CZ25123891", bank_account="CZ65 0800 0000 1920 0014 5398")
    assert result["status"] == "rejected" and "check digits are wrong" in result["message"]


def test_without_the_platforms_account_the_sepa_file_says_which_settings_to_set(server: LiveServer) -> None:
    _, op = server.operator()
    refused = server.call(op, "GET", f"/operator/payouts/{DAY}/sepa.xml")
    assert refused.status_code == 409
    assert "CONSOLEAPP_PLATFORM_NAME and CONSOLEAPP_PLATFORM_IBAN" in refused.json()["error"]["message"]


def test_a_bad_platform_iban_stops_the_server_at_start(tmp_path: Path) -> None:
    started = run_cli("serve", "--port", "1", data_dir=tmp_path / "data",
                      env={"CONSOLEAPP_PLATFORM_IBAN": "DE88 3704 0044 0532 0130 00"})
    assert started.returncode == 1 and "Traceback" not in started.stderr, started.stderr
    assert started.stderr.strip() == ("CONSOLEAPP_PLATFORM_IBAN='DE88 3704 0044 0532 0130 00': "
                                      "the IBAN's check digits are wrong: check for a typing mistake")
    assert not (tmp_path / "data").exists()  # refused before anything was made


@pytest.mark.parametrize(("env", "says"), [
    ({"CONSOLEAPP_PLATFORM_IBAN": "DE89370400440532013000", "CONSOLEAPP_PLATFORM_BIC": "GIBACZPX"},
     "CONSOLEAPP_PLATFORM_BIC='GIBACZPX': the BIC is of a bank in CZ but the IBAN is from DE"),
    ({"CONSOLEAPP_CURRENCY": "euros"}, "CONSOLEAPP_CURRENCY='euros': give a three-letter currency code"),
    ({"CONSOLEAPP_CREDIT_PRICE_CENTS": "0"}, "CONSOLEAPP_CREDIT_PRICE_CENTS=0: a credit is worth at least 1"),
])
def test_bad_platform_money_settings_are_refused_naming_the_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(SystemExit, match=re.escape(says)):
        Settings.from_env(env)


def test_platform_bank_settings_are_kept_compact() -> None:
    s = Settings.from_env({"CONSOLEAPP_PLATFORM_IBAN": "de89 3704 0044 0532 0130 00", "CONSOLEAPP_PLATFORM_BIC": "cobadeff",
                           "CONSOLEAPP_CURRENCY": "eur"})
    assert (s.platform_iban, s.platform_bic, s.currency, s.credit_price_cents) == ("DE89370400440532013000", "COBADEFF",
                                                                                  "EUR", 100)
