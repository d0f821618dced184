from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class EmailTaken(Exception):
    pass


class Users:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["users"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("email", ASCENDING)], unique=True)

    async def insert(self, user: dict[str, Any], session: AsyncClientSession) -> None:
        try:
            await self.col.insert_one(user, session=session)
        except DuplicateKeyError as exc:
            raise EmailTaken(user["email"]) from exc

    async def by_email(self, email: str) -> dict[str, Any] | None:
        return await self.col.find_one({"email": email})

    async def set_password_hash(self, user_id: str, password_hash: str, now: datetime) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$set": {"password_hash": password_hash, "updated_at": now}}
        )

    async def by_id(self, user_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": user_id})

    async def update_profile(
        self, user_id: str, changes: dict[str, Any], now: datetime, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$set": {**changes, "updated_at": now}}, session=session
        )
