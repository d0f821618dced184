"""What billing support does (BIL-3): promo codes and free grants. Only staff (added with the
CLI) may; anyone else gets 403."""

import uuid
from datetime import UTC, datetime
from typing import Any

from konto.billing.domain.catalog import CATALOG
from konto.billing.domain.promo import PromoCode
from konto.billing.service.common import Stores, field_problem
from konto.billing.store.promo_codes import DuplicateCode
from konto.common.errors import Problem
from konto.common.events import utcnow


def promo_json(promo: PromoCode) -> dict[str, Any]:
    return {
        "code": promo.code,
        "kind": promo.kind,
        "value": promo.value,
        "currency": promo.currency,
        "valid_from": promo.valid_from.isoformat(),
        "valid_until": promo.valid_until.isoformat(),
        "max_uses": promo.max_uses,
        "used": promo.used,
        "product_types": sorted(promo.product_types),
    }


def grant_json(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["_id"],
        "product_type": doc["product_type"],
        "status": doc["status"],
        "granted_at": doc["granted_at"].isoformat(),
        "order_id": doc.get("order_id"),
    }


class SupportService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def require_staff(self, user_id: str) -> None:
        if not await self.stores.staff.contains(user_id):
            raise Problem(403, "Forbidden", "billing support staff only", code="not-staff")

    async def create_promo(self, user_id: str, promo: PromoCode) -> dict[str, Any]:
        await self.require_staff(user_id)
        unknown = sorted(promo.product_types - CATALOG.keys())
        if unknown:
            raise field_problem("product_types", f"unknown product types: {', '.join(unknown)}")
        if promo.valid_until <= promo.valid_from:
            raise field_problem("valid_until", "must be after valid_from")
        if promo.kind == "percent" and not 0 < promo.value <= 10_000:
            raise field_problem("value", "a percentage in basis points, 1 to 10000")
        if promo.kind == "fixed" and promo.currency is None:
            raise field_problem("currency", "required for a fixed amount")
        try:
            await self.stores.promo_codes.insert(promo, user_id, utcnow())
        except DuplicateCode:
            raise Problem(409, "Conflict", "this code exists", code="promo-code-exists") from None
        return promo_json(promo)

    async def grant_free(self, user_id: str, org_id: str, product_type: str) -> dict[str, Any]:
        """Recorded by a support agent for any organization; the buyer uses it once."""
        await self.require_staff(user_id)
        if product_type not in CATALOG:
            raise field_problem("product_type", f"unknown; one of {', '.join(CATALOG)}")
        doc = {
            "_id": str(uuid.uuid4()),
            "org_id": org_id,
            "product_type": product_type,
            "status": "available",
            "granted_by": user_id,
            "granted_at": utcnow(),
        }
        await self.stores.free_grants.insert(doc)
        return grant_json(doc)

    async def grants(self, org_id: str) -> list[dict[str, Any]]:
        return [grant_json(doc) for doc in await self.stores.free_grants.of_org(org_id)]


def aware(moment: datetime) -> datetime:
    """Validity dates are compared with UTC now; a naive date is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
