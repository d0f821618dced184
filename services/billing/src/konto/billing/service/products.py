"""The catalog and an organization's products (BIL-1)."""

import uuid
from datetime import date
from typing import Any

from konto.billing.domain.catalog import CATALOG
from konto.billing.service.common import Stores, field_problem, transact
from konto.billing.service.state import announce_state
from konto.common.errors import Problem
from konto.common.events import utcnow
from konto.common.outbox import Outbox, UnitOfWork


def catalog_json() -> list[dict[str, Any]]:
    return [
        {
            "type": t.code,
            "name": t.name,
            "periods_months": list(t.periods_months),
            "price_per_month": {c: m.minor for c, m in t.price_per_month.items()},
            "prices": [
                {"months": months, **{c: t.price(months, c).minor for c in t.price_per_month}}
                for months in t.periods_months
            ],
        }
        for t in CATALOG.values()
    ]


def product_json(doc: dict[str, Any]) -> dict[str, Any]:
    product_type = CATALOG[doc["type"]]
    return {
        "id": doc["_id"],
        "type": doc["type"],
        "label": doc["label"],
        "renews_on": doc["renews_on"],
        "status": doc["status"],
        "periods_months": list(product_type.periods_months),
        "cancellation": _cancellation_json(doc.get("cancellation")),
    }


def _cancellation_json(cancellation: dict[str, Any] | None) -> dict[str, Any] | None:
    if not cancellation:
        return None
    return {"status": cancellation["status"], "ends_on": cancellation.get("ends_on")}


class ProductsService:
    def __init__(self, stores: Stores, outbox: Outbox, *, direct_creation: bool) -> None:
        self.stores = stores
        self.outbox = outbox
        self.direct_creation = direct_creation

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        return [product_json(doc) for doc in await self.stores.products.of_org(org_id)]

    async def create(
        self, org_id: str, type: str, label: str, renews_on: date | None
    ) -> dict[str, Any]:
        """Until orders (BIL-3) exist, a product is created directly, outside prod only, for
        tests and support; it is due at once unless a renewal date is given."""
        if not self.direct_creation:
            raise Problem(
                403, "Forbidden", "products are created through orders", code="orders-only"
            )
        if type not in CATALOG:
            raise field_problem("type", f"unknown product type; one of {', '.join(CATALOG)}")
        now = utcnow()

        async def work(uow: UnitOfWork) -> dict[str, Any]:
            doc = await self.stores.products.insert(
                product_id=str(uuid.uuid4()),
                org_id=org_id,
                type=type,
                label=label,
                renews_on=renews_on or now.date(),
                now=now,
                session=uow.session,
            )
            await announce_state(self.stores, org_id, uow)
            return doc

        return product_json(await transact(self.outbox, work))
