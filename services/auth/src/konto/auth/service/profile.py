"""The signed-in user's own profile (AUTH-11)."""

from typing import Any

from konto.auth.domain.identifiers import normalize_mobile
from konto.auth.store.users import Users
from konto.common.events import UserUpdated, UserUpdatedV1, utcnow
from konto.common.outbox import Outbox


class UserNotFound(Exception):
    pass


class Profiles:
    def __init__(self, *, outbox: Outbox, users: Users) -> None:
        self.outbox = outbox
        self.users = users

    async def get(self, user_id: str) -> dict[str, Any]:
        user = await self.users.by_id(user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

    async def update(self, user_id: str, requested: dict[str, str]) -> dict[str, Any]:
        """Applies the given fields (name, mobile, locale); raises InvalidIdentifier for a bad
        mobile. Only real changes are written and announced."""
        user = await self.get(user_id)
        wanted = dict(requested)
        if "mobile" in wanted:
            wanted["mobile"] = normalize_mobile(wanted["mobile"])
        if "name" in wanted:
            wanted["name"] = wanted["name"].strip()
        changes = {k: v for k, v in wanted.items() if user.get(k) != v}
        if not changes:
            return user
        async with self.outbox.unit_of_work() as uow:
            await self.users.update_profile(user_id, changes, utcnow(), uow.session)
            uow.emit(
                UserUpdatedV1(subject=user_id, data=UserUpdated(user_id=user_id, changes=changes))
            )
        return {**user, **changes}
