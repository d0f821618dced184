"""A user's second factors (AUTH-9), one document per user: the TOTP seed (sealed) and the last
TOTP step used, whether SMS codes are on, and the backup codes as salted hashes. The field
`backup_codes` exists exactly while 2FA is on. Authenticator devices live in `devices.py`."""

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
        if codes is not None and "backup_codes" not in doc:
            update["backup_codes"] = [c.__dict__ for c in codes]
        result = await self.col.update_one(
            {"_id": user_id, "totp": None},
            {"$set": update, "$unset": {"pending_totp": ""}},
            session=session,
        )
        return result.modified_count == 1

    async def enable_sms(
        self,
        user_id: str,
        now: datetime,
        codes: list[StoredCode] | None,
        session: AsyncClientSession,
    ) -> bool:
        """SMS on; `codes` become the backup codes unless 2FA was on already."""
        doc = await self.col.find_one({"_id": user_id}, session=session) or {}
        if doc.get("sms"):
            return False
        update: dict[str, Any] = {"sms": {"confirmed_at": now}}
        if codes is not None and "backup_codes" not in doc:
            update["backup_codes"] = [c.__dict__ for c in codes]
        result = await self.col.update_one(
            {"_id": user_id, "sms": None}, {"$set": update}, upsert=True, session=session
        )
        return result.modified_count == 1 or result.upserted_id is not None

    async def start_backup_codes(
        self, user_id: str, codes: list[StoredCode], session: AsyncClientSession
    ) -> bool:
        """The backup codes of a 2FA that starts with a device; False when 2FA was on already."""
        doc = await self.col.find_one({"_id": user_id}, session=session)
        if doc is not None and "backup_codes" in doc:
            return False
        await self.col.update_one(
            {"_id": user_id},
            {"$set": {"backup_codes": [c.__dict__ for c in codes]}},
            upsert=True,
            session=session,
        )
        return True

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
            {"_id": user_id, "backup_codes": {"$exists": True}},
            {"$set": {"backup_codes": [c.__dict__ for c in codes]}},
            session=session,
        )
        return result.matched_count == 1

    async def remove_method(self, user_id: str, method: str, session: AsyncClientSession) -> bool:
        """Take `totp` or `sms` away; the caller ends 2FA when nothing is left."""
        result = await self.col.update_one(
            {"_id": user_id, method: {"$ne": None}}, {"$unset": {method: ""}}, session=session
        )
        return result.modified_count == 1

    async def end(self, user_id: str, session: AsyncClientSession) -> dict[str, Any] | None:
        """2FA off: every method here and the backup codes go; returns what there was."""
        return await self.col.find_one_and_delete({"_id": user_id}, session=session)
