"""Requests of the self-service recovery endpoints per identifier (AUTH-5, 6, 8), for their rate
limits: one row per request, kept a day."""

from contextlib import suppress
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.common.events import uuid7


class RequestLog:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["recovery_requests"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("key", ASCENDING), ("at", DESCENDING)])
        await self.col.create_index([("at", ASCENDING)], expireAfterSeconds=86_400)

    async def recent(self, key: str, since: datetime, limit: int) -> list[datetime]:
        cursor = self.col.find(
            {"key": key, "at": {"$gt": since}}, {"at": 1}, sort=[("at", DESCENDING)], limit=limit
        )
        return [row["at"] async for row in cursor]

    async def add(self, key: str, now: datetime) -> None:
        # The id is new, so only the driver's own retry of a write that had landed finds it
        # taken: the request is counted already.
        with suppress(DuplicateKeyError):
            await self.col.insert_one({"_id": str(uuid7()), "key": key, "at": now})
