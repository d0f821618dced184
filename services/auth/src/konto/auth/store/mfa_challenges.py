"""Password logins waiting for their second factor (AUTH-9)."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase


class MfaChallenges:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["mfa_challenges"]

    async def ensure_indexes(self) -> None:
        # Answered or not, a challenge is worthless once expired; Mongo drops it.
        await self.col.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def insert(self, doc: dict[str, Any]) -> None:
        await self.col.insert_one(doc)

    async def open_one(
        self, challenge_id: str, now: datetime, max_attempts: int
    ) -> dict[str, Any] | None:
        """Count an answer against a live challenge; None when it is unknown, expired,
        completed or out of attempts."""
        return await self.col.find_one_and_update(
            {
                "_id": challenge_id,
                "completed_at": None,
                "denied_at": None,
                "expires_at": {"$gt": now},
                "attempts": {"$lt": max_attempts},
            },
            {"$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )

    async def live(self, challenge_id: str, now: datetime) -> dict[str, Any] | None:
        """A live challenge without counting an answer: sending an SMS code or asking a device
        is not a guess, and a client polls for the device's decision."""
        return await self.col.find_one(
            {
                "_id": challenge_id,
                "completed_at": None,
                "denied_at": None,
                "expires_at": {"$gt": now},
            }
        )

    async def deny(self, challenge_id: str, now: datetime) -> None:
        """The device said no: this login is over."""
        await self.col.update_one(
            {"_id": challenge_id, "completed_at": None}, {"$set": {"denied_at": now}}
        )

    async def complete(self, challenge_id: str, now: datetime) -> bool:
        result = await self.col.update_one(
            {"_id": challenge_id, "completed_at": None, "denied_at": None},
            {"$set": {"completed_at": now}},
        )
        return result.modified_count == 1
