"""billing's projection of orgs' memberships: who is in which organization, with which role
and whether they have billing rights. Fed only by `konto.orgs.events` (DESIGN: a service keeps
what it needs of another's data from its events)."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase


class Memberships:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["memberships"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("org_id", ASCENDING)])

    async def put(
        self, org_id: str, user_id: str, role: str, billing: bool, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": f"{org_id}:{user_id}"},
            {"$set": {"org_id": org_id, "user_id": user_id, "role": role, "billing": billing}},
            upsert=True,
            session=session,
        )

    async def remove(self, org_id: str, user_id: str, session: AsyncClientSession) -> None:
        await self.col.delete_one({"_id": f"{org_id}:{user_id}"}, session=session)

    async def get(self, org_id: str, user_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": f"{org_id}:{user_id}"})

    async def of_org(self, org_id: str) -> list[tuple[str, str]]:
        """(user id, role) of every member."""
        return [(d["user_id"], d["role"]) async for d in self.col.find({"org_id": org_id})]
