"""Invitations by e-mail (ORG-4). Only the token's hash is stored; a status change is
conditional on the invitation still being pending, so a token works once."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.orgs.domain.invitations import Status


class Invitations:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["invitations"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("token_hash", ASCENDING)], unique=True)
        await self.col.create_index([("org_id", ASCENDING), ("created_at", DESCENDING)])

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        await self.col.insert_one(doc, session=session)

    async def get(
        self, org_id: str, invitation_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": invitation_id, "org_id": org_id}, session=session)

    async def of_org(self, org_id: str) -> list[dict[str, Any]]:
        return await self.col.find({"org_id": org_id}).sort("created_at", DESCENDING).to_list()

    async def by_token_hash(
        self, token_hash: str, session: AsyncClientSession
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"token_hash": token_hash}, session=session)

    async def close_pending(
        self,
        invitation_id: str,
        status: Status,
        fields: dict[str, Any],
        session: AsyncClientSession,
    ) -> dict[str, Any] | None:
        """Pending → accepted/revoked; None when it was no longer pending."""
        return await self.col.find_one_and_update(
            {"_id": invitation_id, "status": Status.PENDING.value},
            {"$set": {"status": status.value, **fields}},
            session=session,
            return_document=ReturnDocument.AFTER,
        )

    async def renew_token(
        self,
        invitation_id: str,
        token_hash: str,
        expires_at: datetime,
        now: datetime,
        session: AsyncClientSession,
    ) -> dict[str, Any] | None:
        """Replace the token (the old hash no longer matches anything) and restart the clock."""
        return await self.col.find_one_and_update(
            {"_id": invitation_id, "status": Status.PENDING.value},
            {"$set": {"token_hash": token_hash, "expires_at": expires_at, "resent_at": now}},
            session=session,
            return_document=ReturnDocument.AFTER,
        )
