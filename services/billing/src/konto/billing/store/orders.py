"""Orders (BIL-3): a cart of lines, then checked out once (status cart → completed)."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Orders:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["orders"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", ASCENDING), ("created_at", DESCENDING)])

    async def insert(self, doc: dict[str, Any]) -> None:
        await self.col.insert_one(doc)

    async def get(
        self, org_id: str, order_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": order_id, "org_id": org_id}, session=session)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        cursor = self.col.find({"org_id": org_id}).sort([("created_at", DESCENDING)]).limit(100)
        return [doc async for doc in cursor]

    async def complete(
        self,
        order_id: str,
        *,
        invoice_id: str,
        product_ids: list[str],
        promo_code: str | None,
        now: datetime,
        session: AsyncClientSession,
        from_status: str = "cart",
    ) -> bool:
        """Only from the cart (or, approved, from the hold): a second checkout of the same
        order (another key), or a second decision, loses."""
        done = {
            "status": "completed",
            "invoice_id": invoice_id,
            "product_ids": product_ids,
            "promo_code": promo_code,
            "completed_at": now,
        }
        if from_status == "cart":
            done["checked_out_at"] = now
        result = await self.col.update_one(
            {"_id": order_id, "status": from_status}, {"$set": done}, session=session
        )
        return result.modified_count == 1

    async def await_payment(
        self, order_id: str, proforma_id: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """Checked out by bank transfer (BIL-4): from the cart only, until the money arrives."""
        result = await self.col.update_one(
            {"_id": order_id, "status": "cart"},
            {
                "$set": {
                    "status": "awaiting_payment",
                    "proforma_id": proforma_id,
                    "checked_out_at": now,
                }
            },
            session=session,
        )
        return result.modified_count == 1

    async def cancel_awaiting(
        self, order_id: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """An order waiting for its transfer is cancelled with its pro-forma (BIL-4)."""
        result = await self.col.update_one(
            {"_id": order_id, "status": "awaiting_payment"},
            {"$set": {"status": "cancelled", "decided_at": now}},
            session=session,
        )
        return result.modified_count == 1

    async def count_held_or_done(
        self, org_id: str, since: datetime | None = None, session: AsyncClientSession | None = None
    ) -> int:
        """Orders past the cart (completed, held or cancelled), checked out after `since`."""
        query: dict[str, Any] = {"org_id": org_id, "status": {"$ne": "cart"}}
        if since is not None:
            query["checked_out_at"] = {"$gte": since}
        return await self.col.count_documents(query, session=session)

    async def hold(
        self, order_id: str, held: dict[str, Any], now: datetime, session: AsyncClientSession
    ) -> bool:
        result = await self.col.update_one(
            {"_id": order_id, "status": "cart"},
            {"$set": {"status": "blocked", "held": held, "checked_out_at": now}},
            session=session,
        )
        return result.modified_count == 1

    async def claim_blocked(
        self, order_id: str, status: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """Moves a held order on (completed or cancelled) exactly once: of two workers or a
        worker and a decision racing, one modifies it, the other finds it moved on."""
        result = await self.col.update_one(
            {"_id": order_id, "status": "blocked"},
            {"$set": {"status": status, "decided_at": now}},
            session=session,
        )
        return result.modified_count == 1

    async def blocked_before(self, cutoff: datetime, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.col.find({"status": "blocked", "checked_out_at": {"$lt": cutoff}}).limit(
            limit
        )
        return [doc async for doc in cursor]

    async def by_id(self, order_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": order_id})
