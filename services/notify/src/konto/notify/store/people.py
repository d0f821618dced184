"""notify's projection of people (from auth's events): where and in which language to write."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from konto.notify.domain.messages import Person

PROFILE_FIELDS = ("email", "name", "locale", "mobile")


class People:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.col = db["people"]

    async def upsert(self, person: Person, session: AsyncClientSession) -> None:
        await self.col.update_one(
            {"_id": person.user_id},
            {
                "$set": {
                    "email": person.email,
                    "name": person.name,
                    "locale": person.locale,
                    "mobile": person.mobile,
                }
            },
            upsert=True,
            session=session,
        )

    async def update(
        self, user_id: str, changes: dict[str, str], session: AsyncClientSession
    ) -> None:
        """A profile update (auth's `user.updated`): only the fields messages use."""
        fields = {k: v for k, v in changes.items() if k in PROFILE_FIELDS}
        if fields:
            await self.col.update_one({"_id": user_id}, {"$set": fields}, session=session)

    async def get(self, user_id: str, session: AsyncClientSession) -> Person | None:
        doc = await self.col.find_one({"_id": user_id}, session=session)
        if doc is None:
            return None
        return Person(
            user_id=doc["_id"],
            email=doc["email"],
            name=doc["name"],
            locale=doc["locale"],
            mobile=doc.get("mobile"),
        )
