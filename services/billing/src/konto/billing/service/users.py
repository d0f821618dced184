"""Keeps billing's projection of users' login addresses (the handler of `konto.auth.events`)."""

from konto.billing.store.users import Users
from konto.common.events import KontoEvent, UserRegisteredV1, UserUpdatedV1
from konto.common.outbox import UnitOfWork

KEPT = ("email", "locale")


def concerns_users(event: KontoEvent) -> bool:
    return isinstance(event, UserRegisteredV1 | UserUpdatedV1)


class UserProjection:
    def __init__(self, users: Users) -> None:
        self.users = users

    async def on_auth_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        if isinstance(event, UserRegisteredV1):
            data = event.data
            await self.users.put(
                data.user_id, {"email": data.email, "locale": data.locale}, uow.session
            )
        elif isinstance(event, UserUpdatedV1):
            changed = {k: v for k, v in event.data.changes.items() if k in KEPT}
            if changed:
                await self.users.put(event.data.user_id, changed, uow.session)
