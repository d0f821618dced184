"""A user's second factors (AUTH-9), one document per user: the TOTP seed (sealed), the last
TOTP step used, and the backup codes as salted hashes."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.auth.domain.backup_codes import StoredCode


class SecondFactors:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["second_factors"]

    async def of(self, user_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": user_id})

    async def start_totp(self, user_id: str, sealed_secret: str, now: datetime) -> None:
        """A new enrolment replaces any unconfirmed one."""
        await self.col.update_one(
            {"_id": user_id},
            {"$set": {"pending_totp": {"secret": sealed_secret, "created_at": now}}},
            upsert=True,
        )

    async def confirm_totp(
        self,
        user_id: str,
        step: int,
        now: datetime,
        codes: list[StoredCode] | None,
        session: AsyncClientSession,
    ) -> bool:
        doc = await self.col.find_one({"_id": user_id}, session=session)
        if doc is None or "pending_totp" not in doc or doc.get("totp"):
            return False
        update: dict[str, Any] = {
            "totp": {
                "secret": doc["pending_totp"]["secret"],
                "last_step": step,
                "confirmed_at": now,
            }
        }
        if codes is not None:
            update["backup_codes"] = [c.__dict__ for c in codes]
        result = await self.col.update_one(
            {"_id": user_id, "totp": None},
            {"$set": update, "$unset": {"pending_totp": ""}},
            session=session,
        )
        return result.modified_count == 1

    async def use_totp_step(self, user_id: str, step: int) -> bool:
        """Atomically move `last_step` forward: a step (or an older one) is accepted once."""
        result = await self.col.update_one(
            {"_id": user_id, "totp.last_step": {"$lt": step}},
            {"$set": {"totp.last_step": step}},
        )
        return result.modified_count == 1

    async def use_backup_code(self, user_id: str, code_id: str) -> bool:
        """Pull the code out; under concurrent requests only one pull removes it. Outside any
        transaction: there the loser would fail with a write conflict instead of a no-match."""
        result = await self.col.update_one(
            {"_id": user_id, "backup_codes.id": code_id},
            {"$pull": {"backup_codes": {"id": code_id}}},
        )
        return result.modified_count == 1

    async def replace_backup_codes(
        self, user_id: str, codes: list[StoredCode], session: AsyncClientSession
    ) -> bool:
        result = await self.col.update_one(
            {"_id": user_id, "totp": {"$ne": None}},
            {"$set": {"backup_codes": [c.__dict__ for c in codes]}},
            session=session,
        )
        return result.matched_count == 1

    async def remove_totp(self, user_id: str, session: AsyncClientSession) -> bool:
        """TOTP is the only method yet, so removing it ends 2FA and its backup codes too."""
        result = await self.col.delete_one({"_id": user_id, "totp": {"$ne": None}}, session=session)
        return result.deleted_count == 1
