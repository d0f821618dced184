"""Organizations (customer accounts): id, name, who created it and when."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Organizations:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["organizations"]

    async def insert(self, org: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(org, session=session)

    async def get(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": org_id}, session=session)

    async def by_ids(self, org_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {doc["_id"]: doc async for doc in self.col.find({"_id": {"$in": org_ids}})}

    async def rename(
        self, org_id: str, name: str, now: datetime, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": org_id}, {"$set": {"name": name, "updated_at": now}}, session=session
        )

    async def touch(self, org_id: str, now: datetime, session: AsyncClientSession) -> None:
        """Write the organization inside every membership change, so two concurrent changes
        conflict and one retries instead of both passing the last-legal-representative check."""
        await self.col.update_one(
            {"_id": org_id},
            {"$inc": {"revision": 1}, "$set": {"updated_at": now}},
            session=session,
        )

    async def mark_deleted(
        self, org_id: str, actor_id: str, now: datetime, session: AsyncClientSession
    ) -> None:
        """Soft delete (ORG-7): the document stays for the audit trail and billing's records;
        with no memberships left nobody reaches it any more."""
        await self.col.update_one(
            {"_id": org_id},
            {"$set": {"deleted_at": now, "deleted_by": actor_id}, "$inc": {"revision": 1}},
            session=session,
        )

    async def set_logo(
        self, org_id: str, logo: dict[str, Any] | None, session: AsyncClientSession
    ) -> None:
        """`logo` is {key, content_type, size, updated_at}; None removes it (ORG-8)."""
        update = {"$set": {"logo": logo}} if logo else {"$unset": {"logo": ""}}
        await self.col.update_one({"_id": org_id}, update, session=session)
