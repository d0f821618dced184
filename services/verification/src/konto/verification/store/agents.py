"""Support agents (VER-3): the user ids allowed to review cases, managed with the CLI."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


class Agents:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["agents"]

    async def add(self, user_id: str, now: datetime) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$setOnInsert": {"added_at": now}}, upsert=True
        )

    async def remove(self, user_id: str) -> bool:
        result = await self.col.delete_one({"_id": user_id})
        return result.deleted_count == 1

    async def is_agent(self, user_id: str) -> bool:
        return await self.col.find_one({"_id": user_id}) is not None

    async def all(self) -> list[str]:
        return [str(doc["_id"]) async for doc in self.col.find({}).sort("_id")]
