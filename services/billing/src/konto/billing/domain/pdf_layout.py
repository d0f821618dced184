"""Parts of the billing PDFs that invoices (BIL-5) and pro-formas (BIL-4) lay out alike: the
first page with the seller, the title with its date, and the table of lines with net, VAT and
total. They take the caller's
document, so fpdf stays imported only by the render functions."""

from datetime import date
from typing import TYPE_CHECKING

from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed

if TYPE_CHECKING:
    from fpdf import FPDF


def start_document(pdf: "FPDF", title: str, seller: str) -> None:
    pdf.set_title(title)
    pdf.set_creator("Konto billing")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, seller, new_x="LMARGIN", new_y="NEXT")


def write_heading(pdf: "FPDF", title: str, issued_on: date) -> None:
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, f"Date: {issued_on.isoformat()}", new_x="LMARGIN", new_y="NEXT")


def write_line_table(pdf: "FPDF", lines: list[Line], taxed: Taxed, gap_mm: float) -> None:
    """The lines, then `gap_mm` below them net, VAT and total."""
    for line in lines:
        period = f"{line.period_from.isoformat()} - {line.period_to.isoformat()}"
        pdf.cell(110, 6, f"{line.description} ({line.months} months, {period})")
        pdf.cell(0, 6, line.net.format(), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap_mm)
    rate = f"{taxed.rate_bp // 100}.{taxed.rate_bp % 100:02d} %"
    for label, money in (
        ("Net", taxed.net),
        (f"VAT {rate}", taxed.vat),
        ("Total", taxed.gross),
    ):
        pdf.cell(110, 6, label)
        pdf.cell(0, 6, money.format(), align="R", new_x="LMARGIN", new_y="NEXT")
