"""Free grants (BIL-3): support grants an organization one product of a type for free; the
buyer uses it once by marking a cart line free."""

from collections import Counter
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class FreeGrants:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["free_grants"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", ASCENDING), ("status", ASCENDING)])

    async def insert(self, doc: dict[str, Any]) -> None:
        await self.col.insert_one(doc)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        return [doc async for doc in self.col.find({"org_id": org_id}).sort("granted_at")]

    async def available(self, org_id: str) -> Counter[str]:
        cursor = self.col.find({"org_id": org_id, "status": "available"})
        return Counter([doc["product_type"] async for doc in cursor])

    async def use(
        self,
        org_id: str,
        product_type: str,
        order_id: str,
        now: datetime,
        session: AsyncClientSession,
    ) -> bool:
        """Marks one available grant of the type used by the order; False when none is left
        (a concurrent checkout took it)."""
        grant = await self.col.find_one(
            {"org_id": org_id, "product_type": product_type, "status": "available"},
            session=session,
        )
        if grant is None:
            return False
        result = await self.col.update_one(
            {"_id": grant["_id"], "status": "available"},
            {"$set": {"status": "used", "order_id": order_id, "used_at": now}},
            session=session,
        )
        return result.modified_count == 1

    async def give_back(self, order_id: str, session: AsyncClientSession) -> None:
        """The grants a cancelled order (BIL-6) used become available again."""
        await self.col.update_many(
            {"order_id": order_id, "status": "used"},
            {"$set": {"status": "available"}, "$unset": {"order_id": "", "used_at": ""}},
            session=session,
        )
