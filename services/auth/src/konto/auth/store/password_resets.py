"""Pending password resets (AUTH-6): a link's token or an SMS code, only as hashes."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class PasswordResets:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["password_resets"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("token_hash", ASCENDING)], sparse=True)
        await self.col.create_index([("user_id", ASCENDING), ("created_at", DESCENDING)])
        await self.col.create_index([("expires_at", ASCENDING)], expireAfterSeconds=86_400)

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        """A new reset of a person supersedes their pending ones: only the newest works."""
        await self.col.update_many(
            {"user_id": doc["user_id"], "used_at": None},
            {"$set": {"used_at": doc["created_at"], "superseded": True}},
            session=session,
        )
        await self.col.insert_one(doc, session=session)

    async def by_token_hash(self, token_hash: str, now: datetime) -> dict[str, Any] | None:
        return await self.col.find_one(
            {"token_hash": token_hash, "used_at": None, "expires_at": {"$gt": now}}
        )

    async def pending_code_of(self, user_id: str, now: datetime) -> dict[str, Any] | None:
        return await self.col.find_one(
            {"user_id": user_id, "kind": "sms", "used_at": None, "expires_at": {"$gt": now}},
            sort=[("created_at", DESCENDING)],
        )

    async def count_attempt(self, reset_id: str, max_attempts: int) -> bool:
        """Take one attempt atomically; False when none is left (concurrent guesses included)."""
        doc = await self.col.find_one_and_update(
            {"_id": reset_id, "used_at": None, "attempts": {"$lt": max_attempts}},
            {"$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return doc is not None

    async def use(self, reset_id: str, now: datetime, session: AsyncClientSession) -> bool:
        """Spend it once: of two concurrent confirmations exactly one matches."""
        result = await self.col.update_one(
            {"_id": reset_id, "used_at": None}, {"$set": {"used_at": now}}, session=session
        )
        return result.modified_count == 1
