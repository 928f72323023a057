"""A payout statement as PDF (R33), written by hand: no third-party library, no I/O.

`statement_pdf(st)` lays the statement out on A4 pages in the standard Helvetica fonts (which
every PDF reader carries, so nothing is embedded): a heading, a table of date, description,
reference and credits with one row per ledger transfer, and the totals under the last row.
The result is a deterministic function of the statement: the same statement gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ledger import Label
from .payouts import Statement

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 50
ROW = 14  # points between table rows
FONT_SIZE = 9
ROWS_PER_PAGE = 46
COLUMNS = (MARGIN, MARGIN + 80, MARGIN + 290, PAGE_WIDTH - MARGIN)  # date, description, reference, credits (right edge)

# Helvetica advance widths (1/1000 em) of the characters a credit amount is written with.
_WIDTHS = {**dict.fromkeys("0123456789", 556), "-": 333, "+": 584, ",": 278, " ": 278}


def _escape(text: str) -> str:
    """A PDF literal string body: Latin-1 only, with backslash and parentheses escaped."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    safe = "".join(" " if ch < " " or "\x7f" <= ch <= "\x9f" else ch for ch in safe)  # no control codes
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number_width(text: str, size: float) -> float:
    return sum(_WIDTHS.get(ch, 556) for ch in text) * size / 1000


def _text(x: float, y: float, value: str, font: str = "F1", size: float = FONT_SIZE) -> str:
    return f"BT /{font} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ({_escape(value)}) Tj ET"


def _right(x_right: float, y: float, value: str, font: str = "F1", size: float = FONT_SIZE) -> str:
    return _text(x_right - _number_width(value, size), y, value, font, size)


def _rule(y: float) -> str:
    return f"0.5 w {MARGIN} {y:.2f} m {PAGE_WIDTH - MARGIN} {y:.2f} l S"


def _header_row(y: float) -> list[str]:
    date_x, desc_x, ref_x, credits_right = COLUMNS
    return [
        _text(date_x, y, "Date", "F2"),
        _text(desc_x, y, "Description", "F2"),
        _text(ref_x, y, "Reference", "F2"),
        _text(credits_right - 36, y, "Credits", "F2"),
        _rule(y - 4),
    ]


def _pages(st: Statement) -> list[list[str]]:
    """The drawing operators of each page."""
    rows = [
        (x.at.strftime("%Y-%m-%d %H:%M"), x.label, x.ref, str(x.amount)) for x in st.lines
    ]
    chunks: list[Sequence[tuple[str, str, str, str]]] = [
        rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)
    ] or [[]]
    pages: list[list[str]] = []
    total = len(chunks)
    date_x, desc_x, ref_x, credits_right = COLUMNS
    for number, chunk in enumerate(chunks, start=1):
        ops: list[str] = []
        y = PAGE_HEIGHT - MARGIN
        if number == 1:
            p = st.payout
            ops.append(_text(MARGIN, y - 6, "Payout statement", "F2", 16))
            y -= 30
            for label, value in (("Expert", st.expert_name), ("Payout", p.id), ("Payout day", p.day),
                                 ("Amount paid out", f"{p.amount} credits")):
                ops.append(_text(MARGIN, y, f"{label}:", "F2"))
                ops.append(_text(MARGIN + 100, y, value))
                y -= ROW
            y -= ROW
        ops += _header_row(y)
        y -= ROW + 4
        for date, description, reference, amount in chunk:
            ops.append(_text(date_x, y, date))
            ops.append(_text(desc_x, y, _clip(description, 42)))
            ops.append(_text(ref_x, y, _clip(reference, 34)))
            ops.append(_right(credits_right, y, amount))
            y -= ROW
        if number == total:
            ops.append(_rule(y + ROW - 4))
            moved = sum(x.amount for x in st.lines if x.label != Label.PAYOUT.value)
            totals = (("Brought forward", st.opening), ("Movements in this statement", moved),
                      ("Paid out", st.payout.amount))
            for caption, figure in totals:
                y -= 2
                ops.append(_text(desc_x, y, caption, "F2"))
                ops.append(_right(credits_right, y, str(figure), "F2"))
                y -= ROW
        ops.append(_text(MARGIN, MARGIN - 20, f"Page {number} of {total}", "F1", 8))
        pages.append(ops)
    return pages


def statement_pdf(st: Statement) -> bytes:
    """A minimal, valid PDF 1.4 document of the statement."""
    pages = _pages(st)
    n_pages = len(pages)
    # Object numbers: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info,
    # then a page object and its content stream per page.
    page_ids = [6 + 2 * i for i in range(n_pages)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: ("<< /Type /Pages /Kids [" + " ".join(f"{i} 0 R" for i in page_ids) + f"] /Count {n_pages} >>").encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        5: f"<< /Title ({_escape('Payout statement ' + st.payout.id)}) /Producer (Expert Console) >>".encode("latin-1"),
    }
    for page_id, ops in zip(page_ids, pages, strict=True):
        stream = "\n".join(ops).encode("latin-1")
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)
