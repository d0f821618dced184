"""Bank transfer, first half (BIL-4): instead of paying at once, the payer gets a pro-forma
invoice with the account and a structured payment reference (a QR-bill for CHF). Nothing is
renewed or delivered until the transfer shows up in an imported bank statement
(service/bank_statements.py); then the real invoice is issued with a gapless number."""

import uuid
from datetime import date, datetime
from typing import Any

from konto.billing.domain.catalog import add_months
from konto.billing.domain.money import Money
from konto.billing.domain.payments import Line
from konto.billing.domain.proforma_pdf import BankAccounts, ProformaDocument, render_proforma
from konto.billing.domain.proformas import payment_reference, proforma_number
from konto.billing.domain.references import printed
from konto.billing.domain.vat import Taxed
from konto.billing.service.common import Stores, field_problem, priced_lines_json, priced_lines_view
from konto.billing.service.invoicing import SELLER
from konto.billing.service.state import announce_state
from konto.billing.store.proformas import Proformas
from konto.common.errors import Problem
from konto.common.events import Amount, ProformaIssued, ProformaIssuedV1
from konto.common.outbox import UnitOfWork


def proforma_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        "number": doc["number"],
        "status": doc["status"],
        "issued_at": doc["issued_at"].isoformat(),
        "purpose": doc["purpose"]["kind"],
        "order_id": doc["purpose"].get("order_id"),
        **priced_lines_view(doc),
        "payment": {
            "iban": doc["creditor"]["iban"],
            "creditor": doc["creditor"]["name"],
            "reference": doc["reference"],
            "reference_printed": printed(doc["reference"]),
            "reference_type": "QRR" if doc["total"]["currency"] == "CHF" else "SCOR",
        },
        "invoice_id": doc.get("invoice_id"),
        "paid_at": doc["paid_at"].isoformat() if doc.get("paid_at") else None,
    }


def _money(value: dict[str, Any]) -> Money:
    return Money(value["minor"], value["currency"])


def stored_lines(doc: dict[str, Any], start: date | None = None) -> list[Line]:
    """The pro-forma's lines again; `start` re-dates them (an order's products run from the
    payment, not from the pro-forma)."""
    lines = []
    for line in doc["lines"]:
        period_from = start or date.fromisoformat(line["period_from"])
        lines.append(
            Line(
                product_id=line["product_id"],
                description=line["description"],
                months=line["months"],
                period_from=period_from,
                period_to=add_months(period_from, line["months"])
                if start
                else date.fromisoformat(line["period_to"]),
                net=_money(line["net"]),
            )
        )
    return lines


def stored_taxed(doc: dict[str, Any]) -> Taxed:
    return Taxed(
        net=_money(doc["net"]),
        vat=_money(doc["vat"]),
        gross=_money(doc["total"]),
        rate_bp=doc["vat_rate_bp"],
    )


class ProformasService:
    def __init__(
        self, stores: Stores, proformas: Proformas, accounts: BankAccounts, url_seconds: int
    ) -> None:
        self.stores = stores
        self.proformas = proformas
        self.accounts = accounts
        self.url_seconds = url_seconds

    async def issue(
        self,
        uow: UnitOfWork,
        *,
        org_id: str,
        user_id: str,
        address: dict[str, Any],
        lines: list[Line],
        taxed: Taxed,
        purpose: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """In the transaction of the payment or checkout choosing bank transfer; the PDF is
        uploaded before the commit, like an invoice's."""
        if taxed.gross.minor <= 0:
            raise field_problem("method", "nothing to pay by bank transfer")
        session = uow.session
        sequence = await self.proformas.numbers.next(now.year, session)
        number = proforma_number(now.year, sequence)
        reference = payment_reference(taxed.gross.currency, now.year, sequence)
        creditor = self.accounts.for_currency(taxed.gross.currency)
        proforma_id = str(uuid.uuid4())
        pdf_key = f"proformas/{org_id}/{proforma_id}.pdf"
        user = await self.stores.users.get(user_id)
        pdf = render_proforma(
            ProformaDocument(
                number=number,
                issued_on=now.date(),
                seller=SELLER,
                buyer=address,
                lines=lines,
                taxed=taxed,
                reference=reference,
                creditor=creditor,
                language=(user or {}).get("locale", "en"),
            )
        )
        doc = {
            "_id": proforma_id,
            "org_id": org_id,
            "number": number,
            "status": "awaiting_payment",
            "issued_at": now,
            "issued_by": user_id,
            "purpose": purpose,
            "address": address,  # as it was: the invoice later bills this address
            **priced_lines_json(lines, taxed),
            "reference": reference,
            "creditor": {"name": creditor.name, "iban": creditor.iban},
            "pdf_key": pdf_key,
        }
        await self.proformas.insert(doc, session)
        await self.stores.files.put(pdf_key, pdf)
        uow.emit(
            ProformaIssuedV1(
                subject=org_id,
                data=ProformaIssued(
                    proforma_id=proforma_id,
                    org_id=org_id,
                    number=number,
                    total=Amount(minor=taxed.gross.minor, currency=taxed.gross.currency),
                    reference=reference,
                    iban=creditor.iban,
                    creditor=creditor.name,
                    issued_by=user_id,
                ),
            )
        )
        await announce_state(self.stores, org_id, uow)  # ORG-7: an open pro-forma blocks
        return doc

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        return [proforma_json(doc) for doc in await self.proformas.of_org(org_id)]

    async def get(self, org_id: str, proforma_id: str) -> dict[str, Any]:
        return proforma_json(await self._doc(org_id, proforma_id))

    async def pdf_url(self, org_id: str, proforma_id: str) -> dict[str, Any]:
        doc = await self._doc(org_id, proforma_id)
        url = await self.stores.files.url(doc["pdf_key"], self.url_seconds)
        return {"number": doc["number"], "url": url, "expires_in": self.url_seconds}

    async def _doc(self, org_id: str, proforma_id: str) -> dict[str, Any]:
        doc = await self.proformas.get(org_id, proforma_id)
        if doc is None:
            raise Problem(404, "Not found", "no such pro-forma invoice", code="proforma-not-found")
        return doc
