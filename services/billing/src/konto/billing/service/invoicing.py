"""Issuing an invoice inside the transaction of what it bills (BIL-5): a payment of renewals
(BIL-4) or an order's checkout (BIL-3). The number is drawn here, so an abort leaves no gap."""

import uuid
from datetime import datetime
from typing import Any

from konto.billing.domain.invoice_numbers import invoice_number
from konto.billing.domain.invoice_pdf import InvoiceDocument, render_invoice
from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed
from konto.billing.service.common import Stores, priced_lines_json, priced_lines_view
from konto.billing.store.invoice_files import InvoiceFiles
from konto.common.events import Amount, InvoiceIssued, InvoiceIssuedV1
from konto.common.outbox import UnitOfWork

SELLER = "Konto Hosting AG\nMusterstrasse 1\n8000 Zuerich\nCHE-123.456.788 MWST"
PAID_WITH = {"balance": "prepaid balance", "card": "card", "bank_transfer": "bank transfer"}


def invoice_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        "number": doc["number"],
        "status": doc["status"],
        "issued_at": doc["issued_at"].isoformat(),
        "method": doc["method"],
        "address_id": doc["address_id"],
        **priced_lines_view(doc),
    }


def new_invoice_id() -> str:
    return str(uuid.uuid4())


async def issue_invoice(
    stores: Stores,
    uow: UnitOfWork,
    *,
    invoice_id: str,
    org_id: str,
    user_id: str,
    address: dict[str, Any],
    lines: list[Line],
    taxed: Taxed,
    method: str,
    charge_id: str | None,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Call last in the transaction: the number is drawn here and the PDF uploaded before the
    commit, so a failure rolls the invoice and its number back."""
    session = uow.session
    number = invoice_number(now.year, await stores.numbers.next(now.year, session))
    pdf_key = InvoiceFiles.key(org_id, invoice_id)
    doc = {
        "_id": invoice_id,
        "org_id": org_id,
        "number": number,
        "status": "paid",
        "issued_at": now,
        "method": method,
        "charge_id": charge_id,
        "address_id": address["_id"],
        **priced_lines_json(lines, taxed),
        "issued_by": user_id,
        "pdf_key": pdf_key,
        **(extra or {}),
    }
    await stores.invoices.insert(doc, session)
    pdf = render_invoice(
        InvoiceDocument(
            number=number,
            issued_on=now.date(),
            seller=SELLER,
            buyer_lines=_buyer_lines(address),
            lines=lines,
            taxed=taxed,
            paid_with=PAID_WITH.get(method, method) if taxed.gross.minor else "nothing to pay",
        )
    )
    await stores.files.put(pdf_key, pdf)
    uow.emit(
        InvoiceIssuedV1(
            subject=org_id,
            data=InvoiceIssued(
                invoice_id=invoice_id,
                org_id=org_id,
                number=number,
                total=Amount(minor=taxed.gross.minor, currency=taxed.gross.currency),
                status="paid",
                issued_by=user_id,
            ),
        )
    )
    return doc


def _buyer_lines(address: dict[str, Any]) -> list[str]:
    lines = [
        address["name"],
        address["street"],
        f"{address['postcode']} {address['city']}",
        address["country"],
    ]
    if address.get("vat_id"):
        lines.append(f"VAT {address['vat_id']}")
    return lines
