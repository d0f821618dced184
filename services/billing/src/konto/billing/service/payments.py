"""Paying renewals (BIL-4) and the invoice each payment gets (BIL-5): a selection of products,
each for a period its type allows, paid as one by prepaid balance or card; one invoice with a
gapless number, VAT by the chosen address's country, its PDF in object storage."""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from konto.billing.domain.addresses import currency_for
from konto.billing.domain.cancellation import still_due
from konto.billing.domain.catalog import add_months
from konto.billing.domain.payments import Priced, Renewal, SelectionRejected, price_selection
from konto.billing.service.balance import spend
from konto.billing.service.card import CardDeclined, CardProcessor, Charge
from konto.billing.service.common import Stores, field_problem, transact
from konto.billing.service.idempotent import Answer, earlier_answer, fingerprint, replay
from konto.billing.service.invoicing import invoice_json, issue_invoice, new_invoice_id
from konto.billing.service.products import product_json
from konto.billing.service.proformas import ProformasService, proforma_json
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork

Method = Literal["balance", "card", "bank_transfer"]


@dataclass(frozen=True)
class Item:
    product_id: str
    months: int
    renews_on: date | None = None  # the renewal the payer saw; None: whatever is due now


class PaymentsService:
    def __init__(
        self, stores: Stores, outbox: Outbox, card: CardProcessor, proformas: ProformasService
    ) -> None:
        self.stores = stores
        self.outbox = outbox
        self.card = card
        self.proformas = proformas

    async def due(self, org_id: str, start: date | None, end: date | None) -> dict[str, Any]:
        """What renews in the window; by default from today to two months on (BIL-4)."""
        start = start or utcnow().date()
        end = end or add_months(start, 2)
        if end < start:
            raise field_problem("to", "must not be before `from`")
        # Overdue products stay listed: a renewal missed before the window is still due, also
        # of a product that ended since (BIL-7: open fees stay due).
        products = await self.stores.products.of_org(org_id, renews_to=end, with_ended=True)
        return {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "products": [product_json(p) for p in products if _renews(p)],
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
            "items": [(i.product_id, i.months, str(i.renews_on)) for i in items],
            "method": method,
            "address_id": address_id,
            "card": card_token,
        }
        print_ = fingerprint("pay", request)
        if done := await earlier_answer(self.stores.idempotency, org_id, key, print_):
            return done
        if method == "card" and not card_token:
            raise field_problem("card_token", "required to pay by card")
        address = await self.address(org_id, address_id)
        country = address["country"]
        currency = currency_for(country)
        products = await self.stores.products.get_many(org_id, [i.product_id for i in items])
        renewals: list[Renewal] = []
        for index, item in enumerate(items):
            product = products.get(item.product_id)
            if product is None or product["status"] not in ("active", "ended"):
                raise field_problem(f"items.{index}.product_id", "no such active product")
            if not _renews(product):
                raise field_problem(f"items.{index}.product_id", "this product is cancelled")
            if item.renews_on and item.renews_on.isoformat() != product["renews_on"]:
                raise Problem(
                    409, "Conflict", "a selected renewal was paid meanwhile", code="already-paid"
                )
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

    async def address(self, org_id: str, address_id: str | None) -> dict[str, Any]:
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
        if method == "bank_transfer":
            # Renewed only when the transfer arrives (service/bank_statements.py).
            proforma = await self.proformas.issue(
                uow,
                org_id=org_id,
                user_id=user_id,
                address=address,
                lines=priced.lines,
                taxed=priced.taxed,
                purpose={"kind": "renewal"},
                now=now,
            )
            answer = Answer(202, {"proforma": proforma_json(proforma)})
            await self.stores.idempotency.put(
                org_id,
                key,
                fingerprint=print_,
                status=202,
                body=answer.body,
                now=now,
                session=session,
            )
            return answer
        invoice_id = new_invoice_id()
        for line in priced.lines:
            # Guarded by the date priced: a concurrent payment of the same renewal loses.
            if not await self.stores.products.extend(
                line.product_id, line.period_from, line.period_to, session
            ):
                raise Problem(
                    409, "Conflict", "a selected renewal was paid meanwhile", code="already-paid"
                )
        if method == "balance":
            reference = {"invoice_id": invoice_id, "by": user_id}
            await spend(self.stores, org_id, priced.taxed.gross, reference, now, session)
        # Drawn last and in this transaction: an abort above or below leaves no gap.
        doc = await issue_invoice(
            self.stores,
            uow,
            invoice_id=invoice_id,
            org_id=org_id,
            user_id=user_id,
            address=address,
            lines=priced.lines,
            taxed=priced.taxed,
            method=method,
            charge_id=charge_id,
            now=now,
        )
        answer = Answer(201, {"invoice": invoice_json(doc)})
        await self.stores.idempotency.put(
            org_id, key, fingerprint=print_, status=201, body=answer.body, now=now, session=session
        )
        if method == "balance":
            await announce_state(self.stores, org_id, uow)
        return answer


def _renews(product: dict[str, Any]) -> bool:
    """A product cancelled (BIL-7) is not renewed past its end; an overdue fee stays due."""
    ends_on = (product.get("cancellation") or {}).get("ends_on")
    return still_due(
        date.fromisoformat(product["renews_on"]), date.fromisoformat(ends_on) if ends_on else None
    )
