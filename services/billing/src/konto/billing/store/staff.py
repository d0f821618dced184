"""Billing support staff (BIL-3): user ids allowed to create promo codes and free grants,
managed with the CLI (`python -m konto.billing.cli add-staff`)."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


class Staff:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["staff"]

    async def add(self, user_id: str, now: datetime) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$setOnInsert": {"added_at": now}}, upsert=True
        )

    async def remove(self, user_id: str) -> bool:
        result = await self.col.delete_one({"_id": user_id})
        return result.deleted_count == 1

    async def is_staff(self, user_id: str) -> bool:
        return await self.col.find_one({"_id": user_id}) is not None

    async def all(self) -> list[str]:
        return [str(doc["_id"]) async for doc in self.col.find({}).sort("_id")]
