"""The invoice as a PDF document (BIL-5), rendered in memory; storing it is the store's job."""

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

from konto.billing.domain.money import Money
from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issued_on: date
    seller: str
    buyer_lines: list[str]  # name, street, postcode and city, country, VAT id
    lines: list[Line]
    taxed: Taxed
    paid_with: str


def _amount(money: Money) -> str:
    return money.format()


def render_invoice(doc: InvoiceDocument) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(f"Invoice {doc.number}")
    pdf.set_creator("Konto billing")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, doc.seller, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for text in doc.buyer_lines:
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, f"Invoice {doc.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, f"Date: {doc.issued_on.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for line in doc.lines:
        period = f"{line.period_from.isoformat()} - {line.period_to.isoformat()}"
        pdf.cell(110, 6, f"{line.description} ({line.months} months, {period})")
        pdf.cell(0, 6, _amount(line.net), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rate = f"{doc.taxed.rate_bp // 100}.{doc.taxed.rate_bp % 100:02d} %"
    for label, money in (
        ("Net", doc.taxed.net),
        (f"VAT {rate}", doc.taxed.vat),
        ("Total", doc.taxed.gross),
    ):
        pdf.cell(110, 6, label)
        pdf.cell(0, 6, _amount(money), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(0, 5, f"Paid with: {doc.paid_with}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
