"""A payout statement (R33) as PDF, laid out with fpdf2 in DejaVu Sans.

The engine decides the statement (`payouts.statement`: its lines, the customer of each, the
balance brought forward); this module only draws it. DejaVu Sans is embedded (subset), so
Czech, Polish, French and Greek names print as written on any machine, and the text can be
copied or searched. The same statement gives the same bytes: the document's date is the
payout's, never the clock's.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from consoleapp.engine.ledger import Label
from consoleapp.engine.payouts import Statement

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
GREY = (110, 110, 110)
HEADING_FILL = (235, 238, 242)
DATE = "%Y-%m-%d %H:%M"


class _Document(FPDF):
    """A4 portrait with the statement's id and page numbers at the foot of every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _period(st: Statement) -> str:
    moves = [x.at for x in st.lines if x.label != Label.PAYOUT.value]
    end = st.payout.made_at.strftime("%Y-%m-%d")
    return f"{min(moves).strftime('%Y-%m-%d')} to {end}" if moves else f"up to {end}"


def statement_pdf(st: Statement) -> bytes:
    p = st.payout
    pdf = _Document(f"Expert Console · payout statement {p.id}")
    pdf.set_title(f"Payout statement {p.id}")
    pdf.set_author("Expert Console")
    pdf.set_creator("Expert Console")
    pdf.set_creation_date(p.made_at)
    pdf.add_page()

    pdf.set_font(FAMILY, "B", 17)
    pdf.cell(0, 10, "Payout statement", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for label, value in (("Expert", st.expert_name), ("Payout", p.id), ("Payout day", p.day),
                         ("Period", _period(st)), ("Amount paid out", f"{p.amount} credits")):
        pdf.set_font(FAMILY, "B", 9.5)
        pdf.cell(38, 6, label)
        pdf.set_font(FAMILY, "", 9.5)
        pdf.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)

    pdf.set_font(FAMILY, "", 8)
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(col_widths=(28, 47, 38, 43, 18), text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
                   headings_style=headings, borders_layout="HORIZONTAL_LINES", line_height=5.2,
                   padding=(1.2, 1.5), repeat_headings=1, width=pdf.epw) as table:
        table.row(("Date", "Description", "Customer", "Reference", "Credits"))
        for x in st.lines:
            table.row((x.at.strftime(DATE), x.label, x.customer, x.ref, str(x.amount)))
    pdf.ln(4)

    moved = sum(x.amount for x in st.lines if x.label != Label.PAYOUT.value)
    for caption, figure, bold in (("Brought forward", st.opening, False),
                                  ("Movements in this statement", moved, False),
                                  ("Paid out", p.amount, True)):
        pdf.set_font(FAMILY, "B" if bold else "", 9.5)
        pdf.cell(pdf.epw - 30, 6.5, caption, align="R")
        pdf.cell(30, 6.5, f"{figure} credits", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
