"""auth's projection of orgs' organizations and memberships (ORG-1): enough to put `org` and
`role` in tokens without asking orgs. Written only by the `orgs-events` consumer."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.auth.domain.organizations import Membership


def _membership(doc: dict[str, Any]) -> Membership:
    return Membership(
        org_id=doc["org_id"],
        org_name=doc["org_name"],
        role=doc["role"],
        personal=doc.get("personal", False),
        joined_at=doc["joined_at"],
    )


class Memberships:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["memberships"]
        self.orgs = db["organizations"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("user_id", ASCENDING), ("joined_at", ASCENDING)])
        await self.col.create_index([("org_id", ASCENDING)])

    async def organization_created(
        self, org_id: str, name: str, personal: bool, session: AsyncClientSession
    ) -> None:
        await self.orgs.update_one(
            {"_id": org_id},
            {"$set": {"name": name, "personal": personal}},
            upsert=True,
            session=session,
        )
        # Mark memberships too, in case the membership event was applied first.
        await self.col.update_many(
            {"org_id": org_id}, {"$set": {"personal": personal}}, session=session
        )

    async def renamed(self, org_id: str, name: str, session: AsyncClientSession) -> None:
        await self.orgs.update_one({"_id": org_id}, {"$set": {"name": name}}, session=session)
        await self.col.update_many(
            {"org_id": org_id}, {"$set": {"org_name": name}}, session=session
        )

    async def put(
        self,
        *,
        org_id: str,
        org_name: str,
        user_id: str,
        role: str,
        at: datetime,
        session: AsyncClientSession,
    ) -> None:
        org = await self.orgs.find_one({"_id": org_id}, session=session)
        await self.col.update_one(
            {"_id": f"{org_id}:{user_id}"},
            {
                "$set": {
                    "org_id": org_id,
                    "user_id": user_id,
                    "org_name": org_name,
                    "role": role,
                    "personal": bool(org and org.get("personal")),
                },
                "$setOnInsert": {"joined_at": at},
            },
            upsert=True,
            session=session,
        )

    async def remove(self, org_id: str, user_id: str, session: AsyncClientSession) -> None:
        await self.col.delete_one({"_id": f"{org_id}:{user_id}"}, session=session)

    async def of_user(self, user_id: str) -> list[Membership]:
        cursor = self.col.find({"user_id": user_id}, sort=[("joined_at", ASCENDING)])
        return [_membership(doc) async for doc in cursor]

    async def get(self, org_id: str, user_id: str) -> Membership | None:
        doc = await self.col.find_one({"_id": f"{org_id}:{user_id}"})
        return _membership(doc) if doc else None
