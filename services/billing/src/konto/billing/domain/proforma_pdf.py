"""The pro-forma invoice as a PDF (BIL-4, BIL-5), rendered in memory: what is to be paid, to
which account, with which reference; for CHF with the Swiss QR-bill payment part (made by
`qrbill` as SVG, drawn by fpdf2) at the foot of a page, as the standard places it."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from qrbill import QRBill  # type: ignore[import-untyped]
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from konto.billing.domain.money import Currency, Money
from konto.billing.domain.payments import Line
from konto.billing.domain.pdf_layout import start_document, write_heading, write_line_table
from konto.billing.domain.references import printed, qr_reference
from konto.billing.domain.vat import Taxed

A4_HEIGHT_MM = 297
QR_BILL_HEIGHT_MM = 105


@dataclass(frozen=True)
class Creditor:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    iban: str  # for CHF a QR-IBAN: a QR reference is only valid with one

    def lines(self) -> list[str]:
        return [self.name, self.street, f"{self.postcode} {self.city}", self.country]


@dataclass(frozen=True)
class BankAccounts:
    """Where transfers go: CHF to a QR-IBAN (QR-bill with QR reference), EUR to an IBAN."""

    chf: Creditor
    eur: Creditor

    def for_currency(self, currency: Currency) -> Creditor:
        return self.chf if currency == "CHF" else self.eur


@dataclass(frozen=True)
class ProformaDocument:
    number: str
    issued_on: date
    seller: str
    buyer: dict[str, Any]  # the billing address: name, street, postcode, city, country, vat_id
    lines: list[Line]
    taxed: Taxed
    reference: str
    creditor: Creditor
    language: str = "en"  # of the QR-bill's labels: en, de, fr, it


def amount_text(money: Money) -> str:
    """`123.45`, as the QR-bill wants it: from minor units, never through a float."""
    whole, cents = divmod(money.minor, 100)
    return f"{whole}.{cents:02d}"


def _creditor_fields(creditor: Creditor) -> dict[str, str]:
    return {
        "name": creditor.name,
        "street": creditor.street,
        "pcode": creditor.postcode,
        "city": creditor.city,
        "country": creditor.country,
    }


def check_accounts(accounts: BankAccounts) -> None:
    """Raises ValueError for accounts a pro-forma could not name: checked when the settings
    load, not at a payer's first bank transfer."""
    QRBill(
        account=accounts.chf.iban,
        creditor=_creditor_fields(accounts.chf),
        reference_number=qr_reference("1"),
    )
    try:
        IBAN(accounts.eur.iban)
    except SchwiftyException as exc:
        raise ValueError(f"the EUR account is not a valid IBAN: {exc}") from None


def qr_bill_svg(doc: ProformaDocument) -> str:
    buyer = doc.buyer
    bill = QRBill(
        account=doc.creditor.iban,
        creditor=_creditor_fields(doc.creditor),
        debtor={
            "name": buyer["name"][:70],
            "street": buyer["street"][:70],
            "pcode": buyer["postcode"][:16],
            "city": buyer["city"][:35],
            "country": buyer["country"],
        },
        amount=amount_text(doc.taxed.gross),
        currency=doc.taxed.gross.currency,
        reference_number=doc.reference,
        additional_information=f"Pro-forma {doc.number}",
        language=doc.language if doc.language in ("en", "de", "fr", "it") else "en",
    )
    out = io.StringIO()
    bill.as_svg(out)
    return out.getvalue()


def render_proforma(doc: ProformaDocument) -> bytes:
    # Imported here: fpdf (with fontTools and Pillow) is ~50 MiB a process needs only once
    # it renders a PDF, not while idle.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_subject(f"Payment reference {doc.reference}")
    start_document(pdf, f"Pro-forma invoice {doc.number}", doc.seller)
    pdf.ln(6)
    buyer = doc.buyer
    for text in (
        buyer["name"],
        buyer["street"],
        f"{buyer['postcode']} {buyer['city']}",
        buyer["country"],
        *([f"VAT {buyer['vat_id']}"] if buyer.get("vat_id") else []),
    ):
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    write_heading(pdf, f"Pro-forma invoice {doc.number}", doc.issued_on)
    pdf.cell(0, 5, "Not an invoice: the invoice follows once paid.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    write_line_table(pdf, doc.lines, doc.taxed, gap_mm=3)
    pdf.ln(4)
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(0, 5, "Please pay by bank transfer", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for text in (
        f"Account: {doc.creditor.iban}",
        f"In favour of: {', '.join(doc.creditor.lines())}",
        f"Reference: {printed(doc.reference)} (please quote it exactly)",
        f"Amount: {doc.taxed.gross.format()}",
    ):
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if doc.taxed.gross.currency == "CHF":
        # The payment part takes the bottom 105 mm of a page; a long bill gets its own page.
        if pdf.get_y() > A4_HEIGHT_MM - QR_BILL_HEIGHT_MM - 5:
            pdf.add_page()
        svg = qr_bill_svg(doc).encode()
        pdf.image(io.BytesIO(svg), x=0, y=A4_HEIGHT_MM - QR_BILL_HEIGHT_MM, w=210)
    return bytes(pdf.output())
