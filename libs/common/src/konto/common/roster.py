"""A list of user ids with a special duty in one service (support agents, staff), managed with
that service's CLI and checked on each request; one collection per list."""

from datetime import datetime
from typing import Any, ClassVar

from pymongo.asynchronous.database import AsyncDatabase


class Roster:
    collection: ClassVar[str]

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db[self.collection]

    async def add(self, user_id: str, now: datetime) -> bool:
        """True when the user was not on the list before."""
        result = await self.col.update_one(
            {"_id": user_id}, {"$setOnInsert": {"added_at": now}}, upsert=True
        )
        return result.upserted_id is not None

    async def remove(self, user_id: str) -> bool:
        result = await self.col.delete_one({"_id": user_id})
        return result.deleted_count == 1

    async def contains(self, user_id: str) -> bool:
        return await self.col.find_one({"_id": user_id}) is not None

    async def all(self) -> list[str]:
        return [str(doc["_id"]) async for doc in self.col.find({}).sort("_id", 1)]
