"""Paying renewals (BIL-4) and the invoice each payment gets (BIL-5): a selection of products,
each for a period its type allows, paid as one by prepaid balance or card; one invoice with a
gapless number, VAT by the chosen address's country, its PDF in object storage."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from konto.billing.domain.addresses import currency_for
from konto.billing.domain.catalog import add_months
from konto.billing.domain.invoice_numbers import invoice_number
from konto.billing.domain.invoice_pdf import InvoiceDocument, render_invoice
from konto.billing.domain.ledger import Entry, InsufficientBalance
from konto.billing.domain.payments import Priced, Renewal, SelectionRejected, price_selection
from konto.billing.service.balance import insufficient
from konto.billing.service.card import CardDeclined, CardProcessor, Charge
from konto.billing.service.common import Stores, field_problem, money_json, transact
from konto.billing.service.idempotent import Answer, earlier_answer, fingerprint, replay
from konto.billing.service.products import product_json
from konto.billing.service.state import announce_state
from konto.billing.store.invoice_files import InvoiceFiles
from konto.common.errors import Problem
from konto.common.events import Amount, InvoiceIssued, InvoiceIssuedV1, utcnow
from konto.common.outbox import Outbox, UnitOfWork

Method = Literal["balance", "card"]
SELLER = "Konto Hosting AG\nMusterstrasse 1\n8000 Zuerich\nCHE-123.456.788 MWST"


@dataclass(frozen=True)
class Item:
    product_id: str
    months: int


def invoice_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        "number": doc["number"],
        "status": doc["status"],
        "issued_at": doc["issued_at"].isoformat(),
        "method": doc["method"],
        "address_id": doc["address_id"],
        "lines": doc["lines"],
        "net": doc["net"],
        "vat": doc["vat"],
        "vat_rate_bp": doc["vat_rate_bp"],
        "total": doc["total"],
    }


class PaymentsService:
    def __init__(self, stores: Stores, outbox: Outbox, card: CardProcessor) -> None:
        self.stores = stores
        self.outbox = outbox
        self.card = card

    async def due(self, org_id: str, start: date | None, end: date | None) -> dict[str, Any]:
        """What renews in the window; by default from today to two months on (BIL-4)."""
        start = start or utcnow().date()
        end = end or add_months(start, 2)
        if end < start:
            raise field_problem("to", "must not be before `from`")
        products = await self.stores.products.of_org(org_id, renews_to=end)
        # Overdue products stay listed: a renewal missed before the window is still due.
        return {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "products": [product_json(p) for p in products],
        }

    async def pay(
        self,
        org_id: str,
        user_id: str,
        items: list[Item],
        method: Method,
        address_id: str | None,
        card_token: str | None,
        key: str,
    ) -> Answer:
        request = {
            "items": [(i.product_id, i.months) for i in items],
            "method": method,
            "address_id": address_id,
            "card": card_token,
        }
        print_ = fingerprint("pay", request)
        if done := await earlier_answer(self.stores.idempotency, org_id, key, print_):
            return done
        if method == "card" and not card_token:
            raise field_problem("card_token", "required to pay by card")
        address = await self._address(org_id, address_id)
        country = address["country"]
        currency = currency_for(country)
        products = await self.stores.products.get_many(org_id, [i.product_id for i in items])
        renewals: list[Renewal] = []
        for index, item in enumerate(items):
            product = products.get(item.product_id)
            if product is None or product["status"] != "active":
                raise field_problem(f"items.{index}.product_id", "no such active product")
            renewals.append(
                Renewal(
                    product_id=item.product_id,
                    type=product["type"],
                    label=product["label"],
                    renews_on=date.fromisoformat(product["renews_on"]),
                    months=item.months,
                )
            )
        try:
            priced = price_selection(renewals, currency, country)
        except SelectionRejected as exc:
            raise field_problem(exc.field, str(exc)) from None

        charge: Charge | None = None
        if method == "card":
            assert card_token is not None
            try:
                charge = await self.card.charge(priced.taxed.gross, card_token, f"{org_id}:{key}")
            except CardDeclined as exc:
                raise Problem(402, "Payment declined", str(exc), code="card-declined") from exc
        charge_id = charge.charge_id if charge else None

        async def work(uow: UnitOfWork) -> Answer:
            if done := replay(await self.stores.idempotency.get(org_id, key, uow.session), print_):
                return done
            return await self._record(
                uow, org_id, user_id, address, priced, method, charge_id, key, print_
            )

        try:
            return await transact(self.outbox, work)
        except Exception:
            if charge is not None:  # nothing was paid for: the card gets its money back
                await self.card.refund(charge)
            raise

    async def _address(self, org_id: str, address_id: str | None) -> dict[str, Any]:
        if address_id:
            address = await self.stores.addresses.get(org_id, address_id)
            if address is None:
                raise field_problem("address_id", "no such billing address")
            return address
        address = await self.stores.addresses.default(org_id)
        if address is None:
            raise field_problem("address_id", "add a billing address first")
        return address

    async def _record(
        self,
        uow: UnitOfWork,
        org_id: str,
        user_id: str,
        address: dict[str, Any],
        priced: Priced,
        method: Method,
        charge_id: str | None,
        key: str,
        print_: str,
    ) -> Answer:
        session = uow.session
        now = utcnow()
        invoice_id = str(uuid.uuid4())
        for line in priced.lines:
            # Guarded by the date priced: a concurrent payment of the same renewal loses.
            if not await self.stores.products.extend(
                line.product_id, line.period_from, line.period_to, session
            ):
                raise Problem(
                    409, "Conflict", "a selected renewal was paid meanwhile", code="already-paid"
                )
        if method == "balance":
            try:
                await self.stores.ledger.book(
                    org_id,
                    Entry("spend", priced.taxed.gross),
                    reference={"invoice_id": invoice_id, "by": user_id},
                    now=now,
                    session=session,
                )
            except InsufficientBalance as exc:
                raise insufficient(exc) from None
            except ValueError as exc:
                raise field_problem("method", str(exc)) from None
        # Drawn last and in this transaction: an abort above or below leaves no gap.
        number = invoice_number(now.year, await self.stores.numbers.next(now.year, session))
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
            "lines": [
                {
                    "product_id": line.product_id,
                    "description": line.description,
                    "months": line.months,
                    "period_from": line.period_from.isoformat(),
                    "period_to": line.period_to.isoformat(),
                    "net": money_json(line.net),
                }
                for line in priced.lines
            ],
            "net": money_json(priced.taxed.net),
            "vat": money_json(priced.taxed.vat),
            "vat_rate_bp": priced.taxed.rate_bp,
            "total": money_json(priced.taxed.gross),
            "issued_by": user_id,
            "pdf_key": pdf_key,
        }
        await self.stores.invoices.insert(doc, session)
        pdf = render_invoice(
            InvoiceDocument(
                number=number,
                issued_on=now.date(),
                seller=SELLER,
                buyer_lines=_buyer_lines(address),
                lines=priced.lines,
                taxed=priced.taxed,
                paid_with="prepaid balance" if method == "balance" else "card",
            )
        )
        # Stored before the commit: if the upload fails, the invoice and its number roll back.
        await self.stores.files.put(pdf_key, pdf)
        answer = Answer(201, {"invoice": invoice_json(doc)})
        await self.stores.idempotency.put(
            org_id, key, fingerprint=print_, status=201, body=answer.body, now=now, session=session
        )
        uow.emit(
            InvoiceIssuedV1(
                subject=org_id,
                data=InvoiceIssued(
                    invoice_id=invoice_id,
                    org_id=org_id,
                    number=number,
                    total=Amount(
                        minor=priced.taxed.gross.minor, currency=priced.taxed.gross.currency
                    ),
                    status="paid",
                    issued_by=user_id,
                ),
            )
        )
        if method == "balance":
            await announce_state(self.stores, org_id, uow)
        return answer


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
