"""Enrolled authenticator devices (AUTH-9): the Ed25519 public key, the sealed push token and
TOTP seed, the last TOTP step used; and the one-time enrolment tokens (as SHA-256)."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Devices:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["mfa_devices"]
        self.enrolments = db["device_enrolments"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("user_id", ASCENDING)])
        await self.enrolments.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def start_enrolment(self, doc: dict[str, Any]) -> None:
        await self.enrolments.insert_one(doc)

    async def take_enrolment(
        self, token_hash: str, now: datetime, session: AsyncClientSession
    ) -> dict[str, Any] | None:
        """Spend an enrolment token once (of two devices racing with it, one wins)."""
        return await self.enrolments.find_one_and_update(
            {"_id": token_hash, "used_at": None, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now}},
            return_document=ReturnDocument.AFTER,
            session=session,
        )

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def get(self, device_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": device_id})

    async def of_user(self, user_id: str) -> list[dict[str, Any]]:
        return await self.col.find({"user_id": user_id}).sort("created_at", ASCENDING).to_list()

    async def use_totp_step(self, device_id: str, step: int) -> bool:
        """Move the device's `last_step` forward atomically: a code is accepted once."""
        result = await self.col.update_one(
            {"_id": device_id, "last_step": {"$lt": step}}, {"$set": {"last_step": step}}
        )
        return result.modified_count == 1

    async def remove(
        self, user_id: str, device_id: str, session: AsyncClientSession
    ) -> dict[str, Any] | None:
        return await self.col.find_one_and_delete(
            {"_id": device_id, "user_id": user_id}, session=session
        )

    async def remove_all(self, user_id: str, session: AsyncClientSession) -> list[dict[str, Any]]:
        docs = await self.col.find({"user_id": user_id}, session=session).to_list()
        await self.col.delete_many({"user_id": user_id}, session=session)
        return docs
