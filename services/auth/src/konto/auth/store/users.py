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
        await self.col.create_index([("mobile", ASCENDING)])
        await self.col.create_index([("recovery_pending.token_hash", ASCENDING)], sparse=True)

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

    async def change_password(
        self, user_id: str, password_hash: str, now: datetime, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": user_id},
            {
                "$set": {
                    "password_hash": password_hash,
                    "password_changed_at": now,
                    "updated_at": now,
                }
            },
            session=session,
        )

    async def by_id(self, user_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": user_id})

    async def update_profile(
        self, user_id: str, changes: dict[str, Any], now: datetime, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": user_id}, {"$set": {**changes, "updated_at": now}}, session=session
        )

    async def set_last_org(self, user_id: str, org_id: str, now: datetime) -> None:
        """Remembered so that the next login speaks for the same organization (ORG-1)."""
        await self.col.update_one(
            {"_id": user_id}, {"$set": {"last_org_id": org_id, "updated_at": now}}
        )

    async def by_mobile(self, mobile: str, limit: int = 20) -> list[dict[str, Any]]:
        return await self.col.find({"mobile": mobile}, limit=limit).to_list()

    async def set_recovery_pending(
        self, user_id: str, pending: dict[str, Any], session: AsyncClientSession
    ) -> None:
        """A newer request replaces the pending one: only the newest link works."""
        await self.col.update_one(
            {"_id": user_id}, {"$set": {"recovery_pending": pending}}, session=session
        )

    async def by_recovery_token(self, token_hash: str, now: datetime) -> dict[str, Any] | None:
        return await self.col.find_one(
            {
                "recovery_pending.token_hash": token_hash,
                "recovery_pending.expires_at": {"$gt": now},
            }
        )

    async def confirm_recovery_email(
        self, user_id: str, token_hash: str, now: datetime, session: AsyncClientSession
    ) -> bool:
        """Set the pending address as the recovery e-mail, once: the token must still match."""
        doc = await self.col.find_one({"_id": user_id}, session=session)
        pending = (doc or {}).get("recovery_pending") or {}
        if pending.get("token_hash") != token_hash:
            return False
        result = await self.col.update_one(
            {"_id": user_id, "recovery_pending.token_hash": token_hash},
            {
                "$set": {"recovery_email": pending["email"], "updated_at": now},
                "$unset": {"recovery_pending": ""},
            },
            session=session,
        )
        return result.modified_count == 1
