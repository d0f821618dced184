"""Brute-force protection around password checks (AUTH-5). Unknown identifiers are throttled
and locked exactly like real ones, so the answers never reveal whether an account exists."""

import asyncio
import random
from datetime import timedelta

from pymongo.errors import PyMongoError

from konto.auth.config import AuthSettings
from konto.auth.domain.throttle import reaches_lock, retry_after
from konto.auth.store.login_guards import LoginGuards
from konto.common.events import (
    AccountLocked,
    AccountLockedV1,
    AccountUnlocked,
    AccountUnlockedV1,
    utcnow,
)
from konto.common.outbox import Outbox

LOCK_ATTEMPTS = 5


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class AccountLockedError(Exception):
    """Too many consecutive failures; only an unlock opens it again."""


class LoginGuard:
    def __init__(self, *, settings: AuthSettings, outbox: Outbox, guards: LoginGuards) -> None:
        self.settings = settings
        self.outbox = outbox
        self.guards = guards

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.settings.login_window_seconds)

    async def check(self, identifier: str, ip: str) -> None:
        """Raises AccountLockedError or Throttled before any password is looked at. The lock
        comes first: it is the answer that tells the user what to do."""
        guard = await self.guards.guard(identifier)
        if guard is not None and guard.get("locked_at") is not None:
            raise AccountLockedError
        now = utcnow()
        waits = []
        for key, limit in (
            (f"id:{identifier}", self.settings.login_max_failures_per_identifier),
            (f"ip:{ip}", self.settings.login_max_failures_per_address),
        ):
            recent = await self.guards.recent_failures(key, now - self.window, limit)
            wait = retry_after(recent, max_failures=limit, window=self.window, now=now)
            if wait is not None:
                waits.append(wait)
        if waits:
            raise Throttled(max(waits))

    async def failed(self, identifier: str, ip: str, user_id: str | None) -> None:
        """Count the failure; raises AccountLockedError when this one locks the account."""
        now = utcnow()
        await self.guards.add_failure([f"id:{identifier}", f"ip:{ip}"], now)
        consecutive = await self.guards.count_failure(identifier, now)
        if not reaches_lock(consecutive, self.settings.lockout_threshold):
            return
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                async with self.outbox.unit_of_work() as uow:
                    if await self.guards.lock(identifier, now, uow.session) and user_id:
                        data = AccountLocked(user_id=user_id, failed_attempts=consecutive, ip=ip)
                        uow.emit(AccountLockedV1(subject=user_id, data=data))
                break
            except PyMongoError as exc:
                # Concurrent failures past the threshold all try to lock the same guard (a
                # parallel brute force): the losers' transactions conflict. Run again: the
                # lock is then found set, and the event stays the winner's alone (issue 9).
                transient = exc.has_error_label("TransientTransactionError")
                if not transient or attempt == LOCK_ATTEMPTS:
                    raise
                await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 jitter
        raise AccountLockedError

    async def succeeded(self, identifier: str) -> None:
        await self.guards.clear_failures(identifier)

    async def unlock(self, identifier: str, user_id: str | None) -> bool:
        async with self.outbox.unit_of_work() as uow:
            unlocked = await self.guards.unlock(identifier, uow.session)
            if unlocked and user_id is not None:
                uow.emit(
                    AccountUnlockedV1(
                        subject=user_id, data=AccountUnlocked(user_id=user_id, by="admin")
                    )
                )
        return unlocked
