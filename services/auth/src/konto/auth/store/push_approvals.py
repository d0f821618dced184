"""Logins waiting for a device's approval (AUTH-9), one per challenge."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase


class PushApprovals:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["push_approvals"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("challenge_id", ASCENDING)], unique=True)
        await self.col.create_index([("user_id", ASCENDING), ("status", ASCENDING)])
        # Kept a while after expiry, so a late poll still reads "denied" rather than nothing.
        await self.col.create_index([("expires_at", ASCENDING)], expireAfterSeconds=600)

    async def start(self, doc: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The challenge's approval and whether it is new: starting push again for the same
        login shows the same approval instead of a second one."""
        before = await self.col.find_one_and_update(
            {"challenge_id": doc["challenge_id"]},
            {"$setOnInsert": doc},
            upsert=True,
            return_document=ReturnDocument.BEFORE,
        )
        if before is not None:
            return before, False
        return doc, True

    async def of_challenge(self, challenge_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"challenge_id": challenge_id})

    async def pending_of(self, user_id: str, now: datetime) -> list[dict[str, Any]]:
        return (
            await self.col.find(
                {"user_id": user_id, "status": "pending", "expires_at": {"$gt": now}}
            )
            .sort("created_at", ASCENDING)
            .to_list()
        )

    async def decide(
        self, approval_id: str, user_id: str, status: str, device_id: str, now: datetime
    ) -> bool:
        """Pending and unexpired → `status`, once; False for anything else."""
        result = await self.col.update_one(
            {
                "_id": approval_id,
                "user_id": user_id,
                "status": "pending",
                "expires_at": {"$gt": now},
            },
            {"$set": {"status": status, "decided_by": device_id, "decided_at": now}},
        )
        return result.modified_count == 1
