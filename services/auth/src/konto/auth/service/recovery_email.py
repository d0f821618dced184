"""The recovery e-mail (AUTH-7): view it, set or change it through a link mailed to the new
address; it becomes the recovery address only once the link is opened."""

from dataclasses import dataclass
from datetime import timedelta

from konto.auth.config import AuthSettings
from konto.auth.domain.identifiers import normalize_email
from konto.auth.domain.resets import hash_link_token, new_link_token
from konto.auth.service.profile import UserNotFound
from konto.auth.store.users import Users
from konto.common.events import (
    RecoveryEmailChanged,
    RecoveryEmailChangedV1,
    RecoveryEmailConfirmationRequested,
    RecoveryEmailConfirmationRequestedV1,
    utcnow,
)
from konto.common.outbox import Outbox


class InvalidConfirmation(Exception):
    """Unknown, replaced, used or expired link."""


@dataclass(frozen=True)
class RecoveryEmailView:
    recovery_email: str | None
    pending_email: str | None


def confirm_url(console_url: str, token: str) -> str:
    return f"{console_url.rstrip('/')}/recovery-email/{token}"


class RecoveryEmails:
    def __init__(self, *, settings: AuthSettings, outbox: Outbox, users: Users) -> None:
        self.settings = settings
        self.outbox = outbox
        self.users = users

    async def view(self, user_id: str) -> RecoveryEmailView:
        user = await self.users.by_id(user_id)
        if user is None:
            raise UserNotFound(user_id)
        pending = user.get("recovery_pending")
        live = pending is not None and pending["expires_at"] > utcnow()
        return RecoveryEmailView(
            recovery_email=user.get("recovery_email"),
            pending_email=pending["email"] if live and pending else None,
        )

    async def request_change(self, user_id: str, email: str) -> RecoveryEmailView:
        """Raises InvalidIdentifier for a malformed address."""
        address = normalize_email(email)
        user = await self.users.by_id(user_id)
        if user is None:
            raise UserNotFound(user_id)
        now = utcnow()
        token = new_link_token()
        expires_at = now + timedelta(seconds=self.settings.recovery_email_link_ttl_seconds)
        async with self.outbox.unit_of_work() as uow:
            await self.users.set_recovery_pending(
                user_id,
                {"email": address, "token_hash": hash_link_token(token), "expires_at": expires_at},
                uow.session,
            )
            uow.emit(
                RecoveryEmailConfirmationRequestedV1(
                    subject=user_id,
                    data=RecoveryEmailConfirmationRequested(
                        user_id=user_id,
                        email=address,
                        name=user["name"],
                        locale=user["locale"],
                        confirm_url=confirm_url(self.settings.console_url, token),
                        expires_at=expires_at,
                    ),
                )
            )
        return RecoveryEmailView(user.get("recovery_email"), address)

    async def confirm(self, token: str) -> str:
        """The link proves the new address receives mail; raises InvalidConfirmation."""
        token_hash = hash_link_token(token)
        now = utcnow()
        user = await self.users.by_recovery_token(token_hash, now)
        if user is None:
            raise InvalidConfirmation
        address: str = user["recovery_pending"]["email"]
        async with self.outbox.unit_of_work() as uow:
            if not await self.users.confirm_recovery_email(
                user["_id"], token_hash, now, uow.session
            ):
                raise InvalidConfirmation
            uow.emit(
                RecoveryEmailChangedV1(
                    subject=user["_id"],
                    data=RecoveryEmailChanged(
                        user_id=user["_id"],
                        recovery_email=address,
                        previous=user.get("recovery_email"),
                    ),
                )
            )
        return address
