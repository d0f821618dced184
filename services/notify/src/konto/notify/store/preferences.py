"""Each person's opted-out message categories (one document per user id)."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Preferences:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["preferences"]

    async def opted_out(
        self, user_id: str, session: AsyncClientSession | None = None
    ) -> frozenset[str]:
        doc = await self.col.find_one({"_id": user_id}, session=session)
        return frozenset(doc.get("opt_out", [])) if doc else frozenset()

    async def set_opted_out(self, user_id: str, categories: list[str], now: datetime) -> None:
        await self.col.update_one(
            {"_id": user_id},
            {"$set": {"opt_out": categories, "updated_at": now}},
            upsert=True,
        )
