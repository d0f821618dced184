"""An organization's products (BIL-1): type, label, renewal date, status."""

from datetime import date, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

# Mongo has no date type: renewal dates are stored as ISO strings, which sort as dates.


class Products:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["products"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", ASCENDING), ("renews_on", ASCENDING)])
        await self.col.create_index([("cancellation.status", ASCENDING), ("status", ASCENDING)])

    async def insert(
        self,
        *,
        product_id: str,
        org_id: str,
        type: str,
        label: str,
        renews_on: date,
        now: datetime,
        session: AsyncClientSession,
    ) -> dict[str, Any]:
        doc = {
            "_id": product_id,
            "org_id": org_id,
            "type": type,
            "label": label,
            "renews_on": renews_on.isoformat(),
            "status": "active",
            "created_at": now,
        }
        await self.col.insert_one(doc, session=session)
        return doc

    async def of_org(
        self,
        org_id: str,
        *,
        renews_from: date | None = None,
        renews_to: date | None = None,
        with_ended: bool = False,
        session: AsyncClientSession | None = None,
    ) -> list[dict[str, Any]]:
        statuses = ["active", "ended"] if with_ended else ["active"]
        query: dict[str, Any] = {"org_id": org_id, "status": {"$in": statuses}}
        window: dict[str, str] = {}
        if renews_from:
            window["$gte"] = renews_from.isoformat()
        if renews_to:
            window["$lte"] = renews_to.isoformat()
        if window:
            query["renews_on"] = window
        cursor = self.col.find(query, session=session).sort([("renews_on", ASCENDING)])
        return [doc async for doc in cursor]

    async def get_many(
        self, org_id: str, ids: list[str], session: AsyncClientSession | None = None
    ) -> dict[str, dict[str, Any]]:
        cursor = self.col.find({"org_id": org_id, "_id": {"$in": ids}}, session=session)
        return {doc["_id"]: doc async for doc in cursor}

    async def extend(
        self, product_id: str, from_: date, to: date, session: AsyncClientSession
    ) -> bool:
        """Moves the renewal date on, only from the date the price was computed for: a
        concurrent payment of the same product then fails instead of paying twice."""
        result = await self.col.update_one(
            {"_id": product_id, "renews_on": from_.isoformat()},
            {"$set": {"renews_on": to.isoformat()}},
            session=session,
        )
        return result.modified_count == 1

    async def count_active(self, org_id: str, session: AsyncClientSession) -> int:
        return await self.col.count_documents(
            {"org_id": org_id, "status": "active"}, session=session
        )

    async def get(
        self, org_id: str, product_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": product_id, "org_id": org_id}, session=session)

    async def request_cancellation(
        self,
        product_id: str,
        *,
        token_hash: str,
        requested_by: str,
        now: datetime,
        expires_at: datetime,
        session: AsyncClientSession,
    ) -> bool:
        """A new request replaces an unconfirmed one (a new link); a confirmed one stays."""
        result = await self.col.update_one(
            {"_id": product_id, "cancellation.status": {"$ne": "confirmed"}},
            {
                "$set": {
                    "cancellation": {
                        "status": "requested",
                        "token_hash": token_hash,
                        "requested_by": requested_by,
                        "requested_at": now,
                        "expires_at": expires_at,
                    }
                }
            },
            session=session,
        )
        return result.modified_count == 1

    async def by_cancellation_token(
        self, org_id: str, product_id: str, token_hash: str
    ) -> dict[str, Any] | None:
        return await self.col.find_one(
            {"_id": product_id, "org_id": org_id, "cancellation.token_hash": token_hash}
        )

    async def confirm_cancellation(
        self,
        product_id: str,
        token_hash: str,
        *,
        confirmed_by: str,
        ends_on: date,
        now: datetime,
        session: AsyncClientSession,
    ) -> bool:
        """Once per link: a second confirmation finds the status moved on. The product stays
        active until `ends_on`: nothing is deleted before (BIL-7)."""
        result = await self.col.update_one(
            {
                "_id": product_id,
                "cancellation.status": "requested",
                "cancellation.token_hash": token_hash,
            },
            {
                "$set": {
                    "cancellation.status": "confirmed",
                    "cancellation.confirmed_by": confirmed_by,
                    "cancellation.confirmed_at": now,
                    "cancellation.ends_on": ends_on.isoformat(),
                }
            },
            session=session,
        )
        return result.modified_count == 1

    async def with_confirmed_cancellation(self) -> list[dict[str, Any]]:
        """Active products whose cancellation is confirmed: those the retirement job checks."""
        cursor = self.col.find({"status": "active", "cancellation.status": "confirmed"})
        return [doc async for doc in cursor]

    async def retire(self, product_id: str, now: datetime, session: AsyncClientSession) -> bool:
        """active → ended once: of two workers retiring the same product, one modifies it and
        the other (retried after the write conflict) finds it ended already."""
        result = await self.col.update_one(
            {"_id": product_id, "status": "active", "cancellation.status": "confirmed"},
            {"$set": {"status": "ended", "ended_at": now}},
            session=session,
        )
        return result.modified_count == 1
