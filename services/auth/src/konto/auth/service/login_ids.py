"""Retired login id (AUTH-10): when the hosted mailbox that was someone's login id is deleted,
the account gets a generated username, its sessions end, and the next password login must set
a new identifier (an e-mail address) before any token is issued. The password stays."""

import logging
from datetime import timedelta
from typing import Any

from konto.auth.config import AuthSettings
from konto.auth.domain.identifiers import InvalidIdentifier, normalize_email
from konto.auth.domain.login_ids import generate_username, hash_change_token, new_change_token
from konto.auth.service.login_challenges import Challenge
from konto.auth.service.mfa import MfaService
from konto.auth.service.tokens import Client, IssuedTokens, TokenIssuer
from konto.auth.store.login_ids import LoginIds, LoginIdTaken
from konto.auth.store.sessions import Sessions
from konto.auth.store.users import Users
from konto.common.events import (
    KontoEvent,
    LoginIdChanged,
    LoginIdChangedV1,
    LoginIdRetired,
    LoginIdRetiredV1,
    MailboxDeletedV1,
    UserUpdated,
    UserUpdatedV1,
    utcnow,
    uuid7,
)
from konto.common.outbox import Outbox, UnitOfWork

log = logging.getLogger(__name__)

# Fresh draws before writing; a collision the check missed (a race) fails the write on the
# unique index, and the consumer's retry draws again.
USERNAME_DRAWS = 5


class InvalidChangeToken(Exception):
    """Unknown, expired or already used: log in with the username and password again."""


class LoginIdRequired(Exception):
    """The password was right, but the account has no usable identifier: set one first."""

    def __init__(self, change_token: str, expires_in: int) -> None:
        super().__init__("a new login identifier is required")
        self.change_token = change_token
        self.expires_in = expires_in


def mailbox_deleted(event: KontoEvent) -> bool:
    return isinstance(event, MailboxDeletedV1)


class LoginIdService:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        users: Users,
        login_ids: LoginIds,
        sessions: Sessions,
        mfa: MfaService,
        issuer: TokenIssuer,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.users = users
        self.login_ids = login_ids
        self.sessions = sessions
        self.mfa = mfa
        self.issuer = issuer

    async def on_mail_event(self, event: KontoEvent, uow: UnitOfWork) -> None:
        """Most deleted mailboxes were nobody's login id: those need nothing."""
        if not isinstance(event, MailboxDeletedV1):
            return
        try:
            address = normalize_email(event.data.address)
        except InvalidIdentifier:
            log.info("deleted mailbox with an unusable address", extra={"event_id": event.id})
            return
        user = await self.users.by_email(address)
        if user is None:
            return
        username = await self._free_username(user["name"])
        now = utcnow()
        try:
            retired = await self.login_ids.retire(
                user["_id"], address, username, event.data.mailbox_id, now, uow.session
            )
        except LoginIdTaken:
            log.warning("generated username taken meanwhile", extra={"user_id": user["_id"]})
            raise
        if not retired:
            return
        # The id the sessions were opened with is gone, so are they; the password is not.
        ended = await self.sessions.revoke_all_of(
            user["_id"], None, now, "login-id-retired", uow.session
        )
        uow.emit(
            LoginIdRetiredV1(
                subject=user["_id"],
                data=LoginIdRetired(
                    user_id=user["_id"],
                    retired_login_id=address,
                    username=username,
                    name=user["name"],
                    locale=user["locale"],
                    recovery_email=user.get("recovery_email"),
                    mobile=user.get("mobile") or None,
                    sessions_ended=ended,
                ),
            )
        )

    async def _free_username(self, name: str) -> str:
        for _ in range(USERNAME_DRAWS):
            candidate = generate_username(name)
            if not await self.login_ids.exists(candidate):
                return candidate
        raise LoginIdTaken(name)

    async def require_new_id(self, user: dict[str, Any], device_id: str | None) -> LoginIdRequired:
        """After a right password for an account whose id was retired: a one-time token that
        lets this login set the new identifier."""
        token = new_change_token()
        now = utcnow()
        ttl = self.settings.login_id_change_ttl_seconds
        await self.login_ids.open_change(
            {
                "_id": str(uuid7()),
                "user_id": user["_id"],
                "token_hash": hash_change_token(token),
                "device_id": device_id,
                "created_at": now,
                "expires_at": now + timedelta(seconds=ttl),
            }
        )
        return LoginIdRequired(change_token=token, expires_in=ttl)

    async def set_new(
        self, change_token: str, email: str, client: Client
    ) -> IssuedTokens | Challenge:
        """Raises InvalidIdentifier, InvalidChangeToken or EmailTaken (nothing written then).
        With the new id set, the login goes on: the second factor if the account has one,
        else tokens."""
        new_id = normalize_email(email)
        now = utcnow()
        change = await self.login_ids.change_by_token(hash_change_token(change_token), now)
        if change is None:
            raise InvalidChangeToken
        user_id = change["user_id"]
        async with self.outbox.unit_of_work() as uow:
            before = await self.login_ids.set_new(change, new_id, now, uow.session)
            if before is None:
                raise InvalidChangeToken
            uow.emit(
                UserUpdatedV1(
                    subject=user_id, data=UserUpdated(user_id=user_id, changes={"email": new_id})
                )
            )
            uow.emit(
                LoginIdChangedV1(
                    subject=user_id,
                    data=LoginIdChanged(
                        user_id=user_id,
                        login_id=new_id,
                        previous=before["email"],
                        reason="retired",
                        name=before["name"],
                        locale=before["locale"],
                    ),
                )
            )
        if await self.mfa.is_enabled(user_id):
            return await self.mfa.login.begin(user_id, new_id, change["device_id"])
        return await self.issuer.open_session(user_id, change["device_id"], client, ["pwd"])
