"""Promo codes (BIL-3), created by support; `remaining` counts down atomically per use."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.billing.domain.promo import PromoCode


class DuplicateCode(Exception):
    pass


def to_domain(doc: dict[str, Any]) -> PromoCode:
    return PromoCode(
        code=doc["_id"],
        kind=doc["kind"],
        value=doc["value"],
        currency=doc["currency"],
        valid_from=doc["valid_from"],
        valid_until=doc["valid_until"],
        max_uses=doc["max_uses"],
        used=doc["max_uses"] - doc["remaining"],
        product_types=frozenset(doc["product_types"]),
    )


class PromoCodes:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["promo_codes"]

    async def insert(self, promo: PromoCode, created_by: str, now: datetime) -> None:
        try:
            await self.col.insert_one(
                {
                    "_id": promo.code,
                    "kind": promo.kind,
                    "value": promo.value,
                    "currency": promo.currency,
                    "valid_from": promo.valid_from,
                    "valid_until": promo.valid_until,
                    "max_uses": promo.max_uses,
                    "remaining": promo.max_uses,
                    "product_types": sorted(promo.product_types),
                    "created_by": created_by,
                    "created_at": now,
                }
            )
        except DuplicateKeyError as exc:
            raise DuplicateCode(promo.code) from exc

    async def get(self, code: str) -> PromoCode | None:
        doc = await self.col.find_one({"_id": code})
        return to_domain(doc) if doc else None

    async def use(self, code: str, session: AsyncClientSession) -> bool:
        """One use, only while some are left: of two concurrent checkouts taking the last
        use, one finds none (the transaction retried on the write conflict reads 0)."""
        result = await self.col.update_one(
            {"_id": code, "remaining": {"$gt": 0}}, {"$inc": {"remaining": -1}}, session=session
        )
        return result.modified_count == 1

    async def give_back(self, code: str, session: AsyncClientSession) -> None:
        """A use of a cancelled order (BIL-6) becomes available again."""
        await self.col.update_one({"_id": code}, {"$inc": {"remaining": 1}}, session=session)
