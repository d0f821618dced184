"""Who belongs to which organization, in which role, with which products and billing rights.
One document per (organization, user); its id is `<org id>:<user id>`."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from konto.orgs.domain.roles import Access, Role


class AlreadyMember(Exception):
    pass


def membership_id(org_id: str, user_id: str) -> str:
    return f"{org_id}:{user_id}"


class Memberships:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["memberships"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("user_id", ASCENDING)])
        await self.col.create_index([("org_id", ASCENDING), ("role", ASCENDING)])

    async def insert(self, doc: dict[str, Any], session: AsyncClientSession) -> None:
        try:
            await self.col.insert_one(doc, session=session)
        except DuplicateKeyError as exc:
            raise AlreadyMember(doc["_id"]) from exc

    async def get(
        self, org_id: str, user_id: str, session: AsyncClientSession | None = None
    ) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": membership_id(org_id, user_id)}, session=session)

    async def of_user(self, user_id: str) -> list[dict[str, Any]]:
        return await self.col.find({"user_id": user_id}).sort("joined_at", ASCENDING).to_list()

    async def of_org(
        self, org_id: str, session: AsyncClientSession | None = None
    ) -> list[dict[str, Any]]:
        return (
            await self.col.find({"org_id": org_id}, session=session)
            .sort("joined_at", ASCENDING)
            .to_list()
        )

    async def count_role(self, org_id: str, role: Role, session: AsyncClientSession) -> int:
        return await self.col.count_documents(
            {"org_id": org_id, "role": role.value}, session=session
        )

    async def set_access(
        self, org_id: str, user_id: str, access: Access, session: AsyncClientSession
    ) -> None:
        await self.col.update_one(
            {"_id": membership_id(org_id, user_id)},
            {"$set": access_fields(access)},
            session=session,
        )

    async def delete(self, org_id: str, user_id: str, session: AsyncClientSession) -> None:
        await self.col.delete_one({"_id": membership_id(org_id, user_id)}, session=session)

    async def delete_all(self, org_id: str, session: AsyncClientSession) -> None:
        await self.col.delete_many({"org_id": org_id}, session=session)


def access_fields(access: Access) -> dict[str, Any]:
    return {"role": access.role.value, "products": list(access.products), "billing": access.billing}


def access_of(doc: dict[str, Any]) -> Access:
    return Access(
        role=Role(doc["role"]), products=tuple(doc.get("products", ())), billing=doc["billing"]
    )
