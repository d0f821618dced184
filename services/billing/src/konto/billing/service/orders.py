"""Orders (BIL-3): a cart of new products, checked out once with a method, a billing address,
optionally a promo code and free grants; checkout creates the products and the invoice."""

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from konto.billing.domain.addresses import currency_for
from konto.billing.domain.fraud import suspicions
from konto.billing.domain.orders import (
    CartLine,
    OrderRejected,
    PricedOrder,
    check_line,
    price_order,
)
from konto.billing.service.balance import spend
from konto.billing.service.card import CardDeclined, CardProcessor, Charge
from konto.billing.service.common import Stores, field_problem, transact
from konto.billing.service.fraud_hold import FraudHold
from konto.billing.service.fulfil import fulfil, not_open
from konto.billing.service.idempotent import Answer, earlier_answer, fingerprint, replay
from konto.billing.service.invoicing import invoice_json
from konto.billing.service.payments import PaymentsService
from konto.billing.service.products import product_json
from konto.billing.service.proformas import proforma_json
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork

Method = Literal["balance", "card", "bank_transfer"]


def order_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        "status": doc["status"],
        "created_at": doc["created_at"].isoformat(),
        "lines": doc["lines"],
        "invoice_id": doc.get("invoice_id"),
        "product_ids": doc.get("product_ids", []),
        "promo_code": doc.get("promo_code"),
        "proforma_id": doc.get("proforma_id"),
        "blocked": _blocked_json(doc.get("held")) if doc["status"] == "blocked" else None,
    }


def _blocked_json(held: dict[str, Any] | None) -> dict[str, Any] | None:
    if not held:
        return None
    return {"reasons": held["reasons"], "cancel_after": held["cancel_after"].isoformat()}


def _cart(doc: dict[str, Any]) -> list[CartLine]:
    return [CartLine(**line) for line in doc["lines"]]


def _not_found() -> Problem:
    return Problem(404, "Not found", "no such order", code="order-not-found")


class OrdersService:
    def __init__(
        self,
        stores: Stores,
        outbox: Outbox,
        card: CardProcessor,
        payments: PaymentsService,
        hold: FraudHold,
    ) -> None:
        self.stores = stores
        self.hold = hold
        self.outbox = outbox
        self.card = card
        self.payments = payments  # for the billing address lookup they share

    async def create(self, org_id: str, user_id: str, lines: list[CartLine]) -> dict[str, Any]:
        for index, line in enumerate(lines):
            try:
                check_line(index, line)
            except OrderRejected as exc:
                raise field_problem(exc.field, str(exc)) from None
        doc = {
            "_id": str(uuid.uuid4()),
            "org_id": org_id,
            "status": "cart",
            "created_by": user_id,
            "created_at": utcnow(),
            "lines": [
                {
                    "product_type": x.product_type,
                    "months": x.months,
                    "label": x.label,
                    "free": x.free,
                }
                for x in lines
            ],
        }
        await self.stores.orders.insert(doc)
        return order_json(doc)

    async def get(self, org_id: str, order_id: str) -> dict[str, Any]:
        doc = await self.stores.orders.get(org_id, order_id)
        if doc is None:
            raise _not_found()
        return order_json(doc)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        return [order_json(doc) for doc in await self.stores.orders.of_org(org_id)]

    async def checkout(
        self,
        org_id: str,
        user_id: str,
        order_id: str,
        *,
        method: Method,
        address_id: str | None,
        promo_code: str | None,
        card_token: str | None,
        key: str,
        client_country: str | None = None,
    ) -> Answer:
        """`client_country`: the buyer's country as the trusted edge proxy saw it (BIL-6)."""
        request = {
            "order": order_id,
            "method": method,
            "address_id": address_id,
            "promo": promo_code,
            "card": card_token,
        }
        print_ = fingerprint("checkout", request)
        if done := await earlier_answer(self.stores.idempotency, org_id, key, print_):
            return done
        order = await self.stores.orders.get(org_id, order_id)
        if order is None:
            raise _not_found()
        if order["status"] != "cart":
            raise not_open()
        address = await self.payments.address(org_id, address_id)
        promo = None
        if promo_code:
            promo = await self.stores.promo_codes.get(promo_code)
            if promo is None:
                raise field_problem("promo_code", "no such promo code")
        now = utcnow()
        try:
            priced = price_order(
                _cart(order),
                currency_for(address["country"]),
                address["country"],
                today=now.date(),
                now=now,
                promo=promo,
                free_grants=await self.stores.free_grants.available(org_id),
            )
        except OrderRejected as exc:
            raise field_problem(exc.field, str(exc)) from None
        if method == "card" and priced.taxed.gross.minor and not card_token:
            raise field_problem("card_token", "required to pay by card")

        reasons = suspicions(
            self.hold.rules,
            priced.taxed.gross,
            await self.stores.orders.count_held_or_done(org_id),
            await self.stores.orders.count_held_or_done(org_id, now - timedelta(hours=1)),
            billing_country=address["country"],
            client_country=client_country,
        )
        charge: Charge | None = None
        if method == "card" and priced.taxed.gross.minor:
            assert card_token is not None
            try:
                charge = await self.card.charge(priced.taxed.gross, card_token, f"{org_id}:{key}")
            except CardDeclined as exc:
                raise Problem(402, "Payment declined", str(exc), code="card-declined") from exc

        async def work(uow: UnitOfWork) -> Answer:
            if done := replay(await self.stores.idempotency.get(org_id, key, uow.session), print_):
                return done
            return await self._record(
                uow,
                order,
                user_id,
                address,
                priced,
                promo_code,
                method,
                charge,
                reasons,
                key,
                print_,
            )

        try:
            return await transact(self.outbox, work)
        except Exception:
            if charge is not None:  # nothing was bought: the card gets its money back
                await self.card.refund(charge)
            raise

    async def _record(
        self,
        uow: UnitOfWork,
        order: dict[str, Any],
        user_id: str,
        address: dict[str, Any],
        priced: PricedOrder,
        promo_code: str | None,
        method: Method,
        charge: Charge | None,
        reasons: list[str],
        key: str,
        print_: str,
    ) -> Answer:
        session, org_id, order_id = uow.session, order["org_id"], order["_id"]
        now = utcnow()
        promo_code = promo_code if priced.promo_applied else None
        # Promo uses and free grants are taken in this transaction: of two checkouts racing
        # for the last use, the one retried after the write conflict finds none left.
        if promo_code and not await self.stores.promo_codes.use(promo_code, session):
            raise field_problem("promo_code", "this code has been used up")
        for product_type in priced.free_types:
            if not await self.stores.free_grants.use(org_id, product_type, order_id, now, session):
                raise field_problem("lines", f"the free grant for {product_type} was used")
        if method == "balance" and priced.taxed.gross.minor:
            reference = {"order_id": order_id, "by": user_id}
            await spend(self.stores, org_id, priced.taxed.gross, reference, now, session)
        charge_id = charge.charge_id if charge else None
        if method == "bank_transfer":
            answer = await self._await_transfer(
                uow, order, user_id, address, priced, promo_code, now
            )
        elif reasons:
            # Paid, but held: no products until the buyer's identity is verified (BIL-6).
            held = await self.hold.block(
                uow,
                order,
                buyer_id=user_id,
                address=address,
                priced=priced,
                method=method,
                charge_id=charge_id,
                promo_code=promo_code,
                reasons=reasons,
                now=now,
            )
            answer = Answer(202, {"order": order_json(held)})
        else:
            products, invoice = await fulfil(
                self.stores,
                uow,
                order=order,
                buyer_id=user_id,
                address=address,
                lines=priced.lines,
                taxed=priced.taxed,
                method=method,
                charge_id=charge_id,
                promo_code=promo_code,
                now=now,
            )
            answer = Answer(
                201,
                {
                    "order": order_json(
                        {**order, "status": "completed", "invoice_id": invoice["_id"]}
                        | {"product_ids": [p["_id"] for p in products], "promo_code": promo_code}
                    ),
                    "products": [product_json(p) for p in products],
                    "invoice": invoice_json(invoice),
                },
            )
        await self.stores.idempotency.put(
            org_id,
            key,
            fingerprint=print_,
            status=answer.status,
            body=answer.body,
            now=now,
            session=session,
        )
        return answer

    async def _await_transfer(
        self,
        uow: UnitOfWork,
        order: dict[str, Any],
        user_id: str,
        address: dict[str, Any],
        priced: PricedOrder,
        promo_code: str | None,
        now: datetime,
    ) -> Answer:
        """BIL-4 bank transfer: a pro-forma now; products and invoice when the transfer arrives
        (service/bank_statements.py). Promo use and free grants are taken now, as the pro-forma
        is priced with them. Nothing is delivered unpaid, so the fraud hold does not apply."""
        proforma = await self.payments.proformas.issue(
            uow,
            org_id=order["org_id"],
            user_id=user_id,
            address=address,
            lines=priced.lines,
            taxed=priced.taxed,
            purpose={"kind": "order", "order_id": order["_id"], "promo_code": promo_code},
            now=now,
        )
        if not await self.stores.orders.await_payment(
            order["_id"], proforma["_id"], now, uow.session
        ):
            raise not_open()
        waiting = {**order, "status": "awaiting_payment", "proforma_id": proforma["_id"]}
        return Answer(
            202,
            {
                "order": order_json(waiting | {"promo_code": promo_code}),
                "proforma": proforma_json(proforma),
            },
        )
