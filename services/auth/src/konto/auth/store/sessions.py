from contextlib import suppress
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class Sessions:
    """Login sessions. A session holds the hash of its current refresh token; every rotated
    one is kept in `used_refresh_tokens` so that its reuse is recognised (AUTH-3)."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["sessions"]
        self.used = db["used_refresh_tokens"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("refresh_hash", ASCENDING)], unique=True)
        await self.col.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)])
        await self.col.create_index([("family_id", ASCENDING)])
        # Spent tokens matter while their session could still refresh (30 days by default).
        await self.used.create_index([("used_at", ASCENDING)], expireAfterSeconds=90 * 86_400)

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def rotate(self, old_hash: str, new_hash: str, now: datetime) -> dict[str, Any] | None:
        """Swap the refresh token of a live session in one atomic update: of two requests
        racing with the same token exactly one matches."""
        doc = await self.col.find_one_and_update(
            {"refresh_hash": old_hash, "revoked_at": None, "expires_at": {"$gt": now}},
            {"$set": {"refresh_hash": new_hash, "refreshed_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is not None:
            # A token is rotated once, so a duplicate only means this ran twice.
            with suppress(DuplicateKeyError):
                await self.used.insert_one(
                    {
                        "_id": old_hash,
                        "session_id": doc["_id"],
                        "family_id": doc["family_id"],
                        "user_id": doc["user_id"],
                        "used_at": now,
                    }
                )
        return doc

    async def switch_org(
        self, session_id: str, user_id: str, org_id: str, new_hash: str, now: datetime
    ) -> dict[str, Any] | None:
        """Point a live session at another organization with a fresh refresh token; the old
        token simply stops matching."""
        doc: dict[str, Any] | None = await self.col.find_one_and_update(
            {"_id": session_id, "user_id": user_id, "revoked_at": None, "expires_at": {"$gt": now}},
            {"$set": {"org_id": org_id, "refresh_hash": new_hash, "refreshed_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return doc

    async def set_org(self, session_id: str, org_id: str) -> None:
        await self.col.update_one({"_id": session_id}, {"$set": {"org_id": org_id}})

    async def used_token(self, token_hash: str) -> dict[str, Any] | None:
        return await self.used.find_one({"_id": token_hash})

    async def revoke_family(
        self, family_id: str, now: datetime, reason: str, session: AsyncClientSession
    ) -> int:
        result = await self.col.update_many(
            {"family_id": family_id, "revoked_at": None},
            {"$set": {"revoked_at": now, "revoked_reason": reason}},
            session=session,
        )
        return result.modified_count

    async def revoke(
        self, user_id: str, session_id: str, now: datetime, reason: str, session: AsyncClientSession
    ) -> bool:
        """Only the owner's own live sessions match; anyone else's look absent."""
        result = await self.col.update_one(
            {"_id": session_id, "user_id": user_id, "revoked_at": None},
            {"$set": {"revoked_at": now, "revoked_reason": reason}},
            session=session,
        )
        return result.modified_count == 1

    async def revoke_all_of(
        self,
        user_id: str,
        keep: str | None,
        now: datetime,
        reason: str,
        session: AsyncClientSession,
    ) -> int:
        """End every live session of a person but `keep` (the one asking, if any)."""
        query: dict[str, Any] = {"user_id": user_id, "revoked_at": None}
        if keep is not None:
            query["_id"] = {"$ne": keep}
        result = await self.col.update_many(
            query, {"$set": {"revoked_at": now, "revoked_reason": reason}}, session=session
        )
        return result.modified_count

    async def active_of(self, user_id: str, now: datetime) -> list[dict[str, Any]]:
        cursor = self.col.find(
            {"user_id": user_id, "revoked_at": None, "expires_at": {"$gt": now}},
            sort=[("created_at", ASCENDING)],
        )
        return [doc async for doc in cursor]

    async def is_active(self, session_id: str, now: datetime) -> bool:
        doc = await self.col.find_one(
            {"_id": session_id, "revoked_at": None, "expires_at": {"$gt": now}}, {"_id": 1}
        )
        return doc is not None
