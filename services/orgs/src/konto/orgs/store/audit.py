"""The audit trail (ORG-9): one row per change, written in the change's own transaction.
Rows have UUIDv7 ids, so the id orders them by time and serves as the page cursor."""

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class AuditTrail:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["audit"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", DESCENDING), ("_id", DESCENDING)])

    async def record(self, entry: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(entry, session=session)

    async def page(
        self,
        org_id: str,
        *,
        limit: int,
        before: str | None = None,
        action: str | None = None,
        actor: str | None = None,
    ) -> list[dict[str, Any]]:
        """Newest first; `before` is the id of the last row of the previous page."""
        query: dict[str, Any] = {"org_id": org_id}
        if before:
            query["_id"] = {"$lt": before}
        if action:
            query["action"] = action
        if actor:
            query["actor"] = actor
        return await self.col.find(query).sort("_id", DESCENDING).limit(limit).to_list()
