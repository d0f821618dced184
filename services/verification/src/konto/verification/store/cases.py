"""The `cases` collection: one document per verification case."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

Case = dict[str, Any]


class Cases:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["cases"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("token_hash", ASCENDING)], unique=True)
        await self.col.create_index(
            [("status", ASCENDING), ("priority", ASCENDING), ("submitted_at", ASCENDING)]
        )
        await self.col.create_index([("erased_at", ASCENDING), ("status", ASCENDING)])

    async def insert(self, case: Case, session: AsyncClientSession | None = None) -> None:
        await self.col.insert_one(case, session=session)

    async def get(self, case_id: str, session: AsyncClientSession | None = None) -> Case | None:
        return await self.col.find_one({"_id": case_id}, session=session)

    async def by_token_hash(self, token_hash: str) -> Case | None:
        return await self.col.find_one({"token_hash": token_hash})

    async def update_open(
        self,
        case_id: str,
        changes: dict[str, Any],
        session: AsyncClientSession | None = None,
        *,
        unset: list[str] | None = None,
        inc: dict[str, int] | None = None,
    ) -> Case | None:
        """Change a case only while it is still open (a concurrent submit wins)."""
        update: dict[str, Any] = {"$set": changes} if changes else {}
        if unset:
            update["$unset"] = {name: "" for name in unset}
        if inc:
            update["$inc"] = inc
        return await self.col.find_one_and_update(
            {"_id": case_id, "status": "open"},
            update,
            return_document=ReturnDocument.AFTER,
            session=session,
        )

    async def transition(
        self,
        case_id: str,
        from_status: str,
        changes: dict[str, Any],
        session: AsyncClientSession,
    ) -> Case | None:
        return await self.col.find_one_and_update(
            {"_id": case_id, "status": from_status},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
            session=session,
        )

    async def queue(self, limit: int) -> list[Case]:
        cursor = (
            self.col.find({"status": "submitted"})
            .sort([("priority", ASCENDING), ("submitted_at", ASCENDING)])
            .limit(limit)
        )
        return [case async for case in cursor]

    async def purge_candidates(self, now: datetime, undecided_before: datetime) -> list[Case]:
        """Cases the purge may have to erase; the domain decides for each."""
        cursor = self.col.find(
            {
                "erased_at": None,
                "$or": [
                    {"status": {"$in": ["approved", "rejected", "expired"]}},
                    {"status": "submitted", "submitted_at": {"$lte": undecided_before}},
                    {"status": "open", "expires_at": {"$lte": now}},
                ],
            }
        )
        return [case async for case in cursor]

    async def erase(self, case_id: str, status: str, fields: list[str], now: datetime) -> None:
        update: dict[str, Any] = {"$set": {"status": status, "erased_at": now}}
        if fields:
            update["$unset"] = {name: "" for name in fields}
        await self.col.update_one({"_id": case_id, "erased_at": None}, update)
