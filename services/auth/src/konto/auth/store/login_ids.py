"""Retiring a login id and setting a new one (AUTH-10): the `email` field of `users` holds the
login id (an address, or the generated username), under its unique index; the change tokens
of logins that must set a new identifier live in `login_id_changes`."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.auth.store.users import EmailTaken


class LoginIdTaken(Exception):
    """The unique index refused the id: another account has it."""


class LoginIds:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.users = db["users"]
        self.changes = db["login_id_changes"]

    async def ensure_indexes(self) -> None:
        await self.changes.create_index([("token_hash", ASCENDING)], unique=True)
        await self.changes.create_index([("user_id", ASCENDING)])
        await self.changes.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def exists(self, login_id: str) -> bool:
        return await self.users.find_one({"email": login_id}, {"_id": 1}) is not None

    async def retire(
        self,
        user_id: str,
        address: str,
        username: str,
        mailbox_id: str,
        now: datetime,
        session: AsyncClientSession,
    ) -> bool:
        """The username replaces the address, only while the address is still the login id
        (a replay finds it gone). Raises LoginIdTaken when another account has the username."""
        try:
            result = await self.users.update_one(
                {"_id": user_id, "email": address},
                {
                    "$set": {
                        "email": username,
                        "login_id_required": True,
                        "retired_login_id": {
                            "address": address,
                            "mailbox_id": mailbox_id,
                            "retired_at": now,
                        },
                        "updated_at": now,
                    }
                },
                session=session,
            )
        except DuplicateKeyError as exc:
            raise LoginIdTaken(username) from exc
        return result.modified_count == 1

    async def open_change(self, change: dict[str, Any]) -> None:
        """A newer forced login replaces the person's pending change token."""
        await self.changes.delete_many({"user_id": change["user_id"]})
        await self.changes.insert_one(change)

    async def change_by_token(self, token_hash: str, now: datetime) -> dict[str, Any] | None:
        return await self.changes.find_one({"token_hash": token_hash, "expires_at": {"$gt": now}})

    async def set_new(
        self,
        change: dict[str, Any],
        new_login_id: str,
        now: datetime,
        session: AsyncClientSession,
    ) -> dict[str, Any] | None:
        """Spend the change token and set the new id, once; the user's document before the
        change, or None when the token was spent meanwhile. Raises EmailTaken."""
        spent = await self.changes.delete_one({"_id": change["_id"]}, session=session)
        if spent.deleted_count != 1:
            return None
        try:
            before: dict[str, Any] | None = await self.users.find_one_and_update(
                {"_id": change["user_id"], "login_id_required": True},
                {
                    "$set": {"email": new_login_id, "updated_at": now},
                    "$unset": {"login_id_required": ""},
                },
                session=session,
            )
        except DuplicateKeyError as exc:
            raise EmailTaken(new_login_id) from exc
        return before
