"""R33: the payout statement as PDF (fpdf2, DejaVu Sans embedded), its text read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from consoleapp.documents.statement_pdf import statement_pdf
from consoleapp.engine.ledger import Label
from consoleapp.engine.model import Payout
from consoleapp.engine.payouts import Statement, StatementLine, statement
from tests.engine.test_r32_r33_earnings import _busy_world, payouts_made

NAMES = ("Zażółć Gęślą", "Françoise Œuvre", "Γιώργος Παπαδόπουλος")


def _synthetic(n_lines: int, name: str = "Antonín Dvořák") -> Statement:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    lines = tuple(
        StatementLine(f"t{i}", t0 + timedelta(hours=i), Label.PAYMENT.value, f"m{i}", 9 + i % 5, NAMES[i % 3])
        for i in range(n_lines)
    )
    amount = sum(x.amount for x in lines) - 7  # a debt of 7 brought forward
    payout = Payout("payout:anna:2026-03-16", "anna", "2026-03-16", amount, datetime(2026, 3, 16, 6, tzinfo=UTC), ())
    payout_line = StatementLine("p", payout.made_at, Label.PAYOUT.value, payout.id, -amount)
    return Statement(payout, name, (*lines, payout_line))


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    """The text a reader extracts (poppler's pdftotext, installed with the suite's programs)."""
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    assert not done.stderr, done.stderr
    return done.stdout.decode()


def test_r33_statement_pdf_prints_czech_polish_french_and_greek_names(tmp_path: Path) -> None:
    pdf = statement_pdf(_synthetic(3))
    assert b"DejaVuSans" in pdf and b"/FontFile2" in pdf  # the font travels inside the file
    text = pdftotext(pdf, tmp_path)
    assert "Antonín Dvořák" in text
    for name in NAMES:
        assert name in text, name
    assert "Payout statement" in text and "Period" in text and "2026-03-02 to 2026-03-16" in text


def test_r33_statement_pdf_runs_over_pages_with_headings_and_totals(tmp_path: Path) -> None:
    st = _synthetic(120)
    text = pdftotext(statement_pdf(st), tmp_path)
    pages = text.count("\f")
    assert pages >= 3 and f"Page {pages} of {pages}" in text
    assert text.count("Customer") >= pages  # the table's headings repeat on every page
    assert "m119" in text
    assert re.search(r"Brought forward\s+-7 credits", text)
    assert re.search(rf"Paid out\s+{st.payout.amount} credits", text)


def test_r33_statement_pdf_of_the_engines_statement_has_its_lines_customers_and_totals(tmp_path: Path) -> None:
    s = _busy_world()
    st = statement(s.world, payouts_made(s)[1].ref)
    pdf = statement_pdf(st)
    assert statement_pdf(st) == pdf  # the same statement gives the same bytes
    text = pdftotext(pdf, tmp_path)
    assert "Platform payment for broken" in text and s.world.people["carl"].name in text
    assert re.search(r"Brought forward\s+0 credits", text)
    assert re.search(r"Movements in this statement\s+185 credits", text)
    assert re.search(r"Paid out\s+185 credits", text)
    for amount in ("180", "50", "-45", "-185"):
        assert re.search(rf"(?<![\d-]){amount}\b", text), amount


def test_r33_statement_pdf_of_an_empty_statement(tmp_path: Path) -> None:
    payout = Payout("payout:anna:2026-03-16", "anna", "2026-03-16", 0, datetime(2026, 3, 16, tzinfo=UTC), ())
    text = pdftotext(statement_pdf(Statement(payout, "Anna", ())), tmp_path)
    assert "up to 2026-03-16" in text and text.count("\f") == 1
