"""orgs' projection of people from auth's events: who a user id is, for member lists and
invitations (is this address someone we know?)."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class People:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["people"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("email", ASCENDING)])

    async def upsert(
        self, user_id: str, email: str, name: str, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$set": {"email": email, "name": name}}, upsert=True, session=session
        )

    async def get(
        self, user_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": user_id}, session=session)

    async def by_ids(self, user_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {doc["_id"]: doc async for doc in self.col.find({"_id": {"$in": user_ids}})}

    async def by_email(
        self, email: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"email": email}, session=session)
