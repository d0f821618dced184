"""The invoice as a PDF document (BIL-5), rendered in memory; storing it is the store's job."""

from dataclasses import dataclass
from datetime import date

from konto.billing.domain.payments import Line
from konto.billing.domain.pdf_layout import start_document, write_heading, write_line_table
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


def render_invoice(doc: InvoiceDocument) -> bytes:
    # Imported here: fpdf (with fontTools and Pillow) is ~50 MiB a process needs only once
    # it renders a PDF, not while idle.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    start_document(pdf, f"Invoice {doc.number}", doc.seller)
    pdf.ln(8)
    for text in doc.buyer_lines:
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    write_heading(pdf, f"Invoice {doc.number}", doc.issued_on)
    pdf.ln(6)
    write_line_table(pdf, doc.lines, doc.taxed, gap_mm=4)
    pdf.ln(6)
    pdf.cell(0, 5, f"Paid with: {doc.paid_with}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
