"""SMS codes of a second factor (AUTH-9), one per scope (`login:<challenge>`, `me:<user>`):
the salted hash of the newest code, its guesses, and how many codes the scope was sent."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.auth.domain.sms_codes import SealedCode


class SmsCodes:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["sms_codes"]

    async def ensure_indexes(self) -> None:
        # The send count lives as long as the scope: the challenge, or the window for `me:`.
        await self.col.create_index([("purge_at", ASCENDING)], expireAfterSeconds=0)

    async def issue(
        self,
        scope: str,
        user_id: str,
        sealed: SealedCode,
        *,
        now: datetime,
        expires_at: datetime,
        purge_at: datetime,
        max_sends: int,
    ) -> bool:
        """A new code replaces the scope's previous one; False once `max_sends` were sent
        (the conditional upsert then collides with the existing document)."""
        try:
            await self.col.update_one(
                {"_id": scope, "sends": {"$lt": max_sends}},
                {
                    "$set": {
                        "salt": sealed.salt,
                        "hash": sealed.hash,
                        "attempts": 0,
                        "used_at": None,
                        "sent_at": now,
                        "expires_at": expires_at,
                    },
                    "$inc": {"sends": 1},
                    "$setOnInsert": {"user_id": user_id, "purge_at": purge_at},
                },
                upsert=True,
            )
        except DuplicateKeyError:
            return False
        return True

    async def take_attempt(
        self, scope: str, now: datetime, max_attempts: int
    ) -> dict[str, Any] | None:
        """Count one guess against a live code; None when there is none or no guess is left."""
        return await self.col.find_one_and_update(
            {
                "_id": scope,
                "used_at": None,
                "expires_at": {"$gt": now},
                "attempts": {"$lt": max_attempts},
            },
            {"$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )

    async def use(self, scope: str, salt: str, now: datetime) -> bool:
        """Spend the code that matched (not a newer one sent meanwhile), once."""
        result = await self.col.update_one(
            {"_id": scope, "salt": salt, "used_at": None}, {"$set": {"used_at": now}}
        )
        return result.modified_count == 1
