"""Billing addresses of an organization (BIL-2); exactly one is the default."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Addresses:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["billing_addresses"]
        self.orgs = db["billing_address_orgs"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", ASCENDING), ("created_at", ASCENDING)])

    async def lock_org(self, org_id: str, session: AsyncClientSession) -> None:
        """Every change to an organization's addresses writes this one document, so two
        concurrent changes conflict and one retries: the single default cannot split."""
        await self.orgs.update_one(
            {"_id": org_id}, {"$inc": {"version": 1}}, upsert=True, session=session
        )

    async def of_org(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> list[dict[str, Any]]:
        cursor = self.col.find({"org_id": org_id}, session=session).sort(
            [("created_at", ASCENDING)]
        )
        return [doc async for doc in cursor]

    async def get(
        self, org_id: str, address_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": address_id, "org_id": org_id}, session=session)

    async def default(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"org_id": org_id, "default": True}, session=session)

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def update(
        self, org_id: str, address_id: str, fields: dict[str, Any], session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": address_id, "org_id": org_id}, {"$set": fields}, session=session
        )

    async def clear_default(self, org_id: str, session: AsyncClientSession) -> None:
        await self.col.update_many(
            {"org_id": org_id, "default": True}, {"$set": {"default": False}}, session=session
        )

    async def delete(self, org_id: str, address_id: str, session: AsyncClientSession) -> None:
        await self.col.delete_one({"_id": address_id, "org_id": org_id}, session=session)
