"""Completing an order (BIL-3): its products are created and its invoice issued, in the
transaction that also moves the order on, at checkout or when a held order is approved (BIL-6)."""

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from konto.billing.domain.payments import Line
from konto.billing.domain.vat import Taxed
from konto.billing.service.common import Stores
from konto.billing.service.invoicing import issue_invoice, new_invoice_id
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.outbox import UnitOfWork


def not_open() -> Problem:
    return Problem(409, "Conflict", "this order was checked out already", code="order-not-open")


async def fulfil(
    stores: Stores,
    uow: UnitOfWork,
    *,
    order: dict[str, Any],
    buyer_id: str,
    address: dict[str, Any],
    lines: list[Line],
    taxed: Taxed,
    method: str,
    charge_id: str | None,
    promo_code: str | None,
    now: datetime,
    from_status: str = "cart",
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The products (renewing after each line's period) and the invoice; raises 409
    `order-not-open` when the order moved on meanwhile."""
    session, org_id = uow.session, order["org_id"]
    invoice_id = new_invoice_id()
    products = []
    for item, line in zip(order["lines"], lines, strict=True):
        products.append(
            await stores.products.insert(
                product_id=str(uuid.uuid4()),
                org_id=org_id,
                type=item["product_type"],
                label=item["label"],
                renews_on=line.period_to,
                now=now,
                session=session,
            )
        )
    if not await stores.orders.complete(
        order["_id"],
        invoice_id=invoice_id,
        product_ids=[p["_id"] for p in products],
        promo_code=promo_code,
        now=now,
        session=session,
        from_status=from_status,
    ):
        raise not_open()
    invoice = await issue_invoice(
        stores,
        uow,
        invoice_id=invoice_id,
        org_id=org_id,
        user_id=buyer_id,
        address=address,
        lines=[replace(line, product_id=p["_id"]) for line, p in zip(lines, products, strict=True)],
        taxed=taxed,
        method=method,
        charge_id=charge_id,
        now=now,
        extra={"order_id": order["_id"]},
    )
    await announce_state(stores, org_id, uow)
    return products, invoice
