"""billing's projection of auth's users: the login address and locale, for the mail telling a
buyer how to unlock a held order (BIL-6). Fed only by `konto.auth.events`."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Users:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["users"]

    async def put(self, user_id: str, fields: dict[str, str], session: AsyncClientSession) -> None:
        await self.col.update_one({"_id": user_id}, {"$set": fields}, upsert=True, session=session)

    async def get(self, user_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": user_id})
