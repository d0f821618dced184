"""Password reset (AUTH-6): a link by e-mail, a code by SMS, otherwise an identity verification.
The request's answer never tells whether the account exists, not even by its timing."""

import asyncio
import logging
from datetime import timedelta
from typing import Any

from konto.auth.config import AuthSettings
from konto.auth.domain.login_ids import parse_login_id
from konto.auth.domain.resets import (
    Channel,
    code_matches,
    hash_code,
    hash_link_token,
    new_code,
    new_link_token,
    reset_url,
    route,
)
from konto.auth.domain.throttle import identifier_key
from konto.auth.events.published import open_case
from konto.auth.service.password_change import PasswordChanges
from konto.auth.service.request_limit import RequestLimit
from konto.auth.store.password_resets import PasswordResets
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.events import (
    PasswordResetRequested,
    PasswordResetRequestedV1,
    SendSmsCode,
    SendSmsCodeV1,
    utcnow,
    uuid7,
)
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)


class InvalidReset(Exception):
    """Unknown, used, superseded or expired link, or a wrong code: one answer for all."""


def _mail_to(user: dict[str, Any]) -> str | None:
    """The recovery address, else the login id when it is an address: a generated username
    (AUTH-10) is none."""
    login_id: str = user["email"]
    return user.get("recovery_email") or (login_id if "@" in login_id else None)


def _parse(login_id: str) -> str | None:
    """An e-mail address or a generated username (AUTH-10): both are login ids."""
    return parse_login_id(login_id)


class PasswordResetService:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        users: Users,
        resets: PasswordResets,
        changes: PasswordChanges,
        limit: RequestLimit,
        command_box: SecretBox,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.users = users
        self.resets = resets
        self.changes = changes
        self.limit = limit
        self.command_box = command_box
        self._working: set[asyncio.Task[None]] = set()

    async def request(self, email: str, channel: Channel) -> None:
        """Raises Throttled past the per-identifier limit (known or not, alike). The lookup
        and the writes for a real account happen after the answer: done inline they made it
        measurably slower than for an unknown id, which does neither (AUTH-6)."""
        normalized = _parse(email)
        await self.limit.take(f"reset:{identifier_key(email, normalized)}")
        if normalized is None:
            return
        # A task, not the response's background: that would hold a kept-alive connection's
        # next answer back, which is the same tell one request later.
        task = asyncio.create_task(self._send(normalized, channel))
        self._working.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._working.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("password reset request failed", exc_info=task.exception())

    async def _send(self, normalized: str, channel: Channel) -> None:
        user = await self.users.by_email(normalized)
        if user is None:
            return
        chosen = route(channel, email=_mail_to(user), mobile=user.get("mobile"))
        async with self.outbox.unit_of_work() as uow:
            if chosen == "email":
                await self.issue_link(user, "self_service", uow)
            elif chosen == "sms":
                await self._send_code(user, uow)
            else:
                uow.emit(open_case(user, "forgotten_password"))

    async def issue_link(self, user: dict[str, Any], via: str, uow: UnitOfWork) -> None:
        """A link for notify to mail; also used after an approved verification (VER-3)."""
        now = utcnow()
        token = new_link_token()
        expires_at = now + timedelta(seconds=self.settings.password_reset_link_ttl_seconds)
        await self.resets.insert(
            {
                "_id": str(uuid7()),
                "user_id": user["_id"],
                "kind": "email",
                "token_hash": hash_link_token(token),
                "created_at": now,
                "expires_at": expires_at,
                "used_at": None,
                "via": via,
            },
            uow.session,
        )
        uow.emit(
            PasswordResetRequestedV1(
                subject=user["_id"],
                data=PasswordResetRequested(
                    user_id=user["_id"],
                    email=user.get("recovery_email") or user["email"],
                    name=user["name"],
                    locale=user["locale"],
                    reset_url=reset_url(self.settings.console_url, token),
                    expires_at=expires_at,
                    requested_via="verification" if via == "verification" else "self_service",
                ),
            )
        )

    async def _send_code(self, user: dict[str, Any], uow: UnitOfWork) -> None:
        """The code goes to notify sealed under the shared command key, the user id (the
        command's subject) as associated data: it is never plain in Kafka."""
        now = utcnow()
        reset_id = str(uuid7())
        code = new_code()
        expires_at = now + timedelta(seconds=self.settings.password_reset_code_ttl_seconds)
        await self.resets.insert(
            {
                "_id": reset_id,
                "user_id": user["_id"],
                "kind": "sms",
                "code_hash": hash_code(reset_id, code),
                "attempts": 0,
                "created_at": now,
                "expires_at": expires_at,
                "used_at": None,
                "via": "self_service",
            },
            uow.session,
        )
        uow.emit(
            SendSmsCodeV1(
                subject=user["_id"],
                source="konto/auth",
                data=SendSmsCode(
                    # notify has no reset wording yet; the verification text fits best.
                    purpose="verification_code",
                    mobile=user["mobile"],
                    locale=user["locale"],
                    sealed_code=self.command_box.seal(code.encode(), user["_id"].encode()),
                    expires_at=expires_at,
                    user_id=user["_id"],
                ),
            )
        )

    async def confirm_link(self, token: str, new_password: str) -> None:
        """Raises WeakPassword or InvalidReset."""
        password_hash = await self.changes.hash_new(new_password)
        reset = await self.resets.by_token_hash(hash_link_token(token), utcnow())
        if reset is None:
            raise InvalidReset
        await self._finish(reset, password_hash)

    async def confirm_code(self, email: str, code: str, new_password: str) -> None:
        """Raises WeakPassword or InvalidReset; every guess spends one of the code's attempts."""
        password_hash = await self.changes.hash_new(new_password)
        normalized = _parse(email)
        user = await self.users.by_email(normalized) if normalized else None
        reset = await self.resets.pending_code_of(user["_id"], utcnow()) if user else None
        if reset is None:
            raise InvalidReset
        max_attempts = self.settings.password_reset_code_max_attempts
        if not await self.resets.count_attempt(reset["_id"], max_attempts):
            raise InvalidReset
        if not code_matches(reset["_id"], code, reset["code_hash"]):
            raise InvalidReset
        await self._finish(reset, password_hash)

    async def _finish(self, reset: dict[str, Any], password_hash: str) -> None:
        async with self.outbox.unit_of_work() as uow:
            if not await self.resets.use(reset["_id"], utcnow(), uow.session):
                raise InvalidReset
            await self.changes.apply(reset["user_id"], password_hash, "reset", None, uow)
