"""Setting a new password (AUTH-6 reset, and a change with the current one): the hash, the end
of every other session and the announcement, in one unit of work."""

import asyncio

from konto.auth.domain.passwords import Passwords, check_policy
from konto.auth.store.sessions import Sessions
from konto.auth.store.users import Users
from konto.common.events import PasswordChanged, PasswordChangedV1, utcnow
from konto.common.outbox import Outbox, UnitOfWork


class WrongPassword(Exception):
    pass


class PasswordChanges:
    def __init__(
        self, *, outbox: Outbox, users: Users, sessions: Sessions, passwords: Passwords
    ) -> None:
        self.outbox = outbox
        self.users = users
        self.sessions = sessions
        self.passwords = passwords

    async def hash_new(self, password: str) -> str:
        """Raises WeakPassword before anything is spent or written."""
        check_policy(password, field="new_password")
        return await asyncio.to_thread(self.passwords.hash, password)

    async def apply(
        self,
        user_id: str,
        password_hash: str,
        reason: str,
        keep_session: str | None,
        uow: UnitOfWork,
    ) -> None:
        """A new password ends every other session: whoever knew the old one is out."""
        now = utcnow()
        await self.users.change_password(user_id, password_hash, now, uow.session)
        ended = await self.sessions.revoke_all_of(
            user_id, keep_session, now, f"password-{reason}", uow.session
        )
        uow.emit(
            PasswordChangedV1(
                subject=user_id,
                data=PasswordChanged(
                    user_id=user_id,
                    reason="reset" if reason == "reset" else "change",
                    sessions_ended=ended,
                ),
            )
        )

    async def change(self, user_id: str, session_id: str, current: str, new: str) -> None:
        """With the current password (AUTH-6 `/v1/me/password`); raises WrongPassword or
        WeakPassword. The caller's own session stays."""
        user = await self.users.by_id(user_id)
        stored = user["password_hash"] if user else None
        if not await asyncio.to_thread(self.passwords.verify, stored, current):
            raise WrongPassword
        password_hash = await self.hash_new(new)
        async with self.outbox.unit_of_work() as uow:
            await self.apply(user_id, password_hash, "change", session_id, uow)
