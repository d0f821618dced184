"""Use cases of AUTH-1, AUTH-3 and AUTH-5: register, log in with a password."""

import asyncio
from dataclasses import dataclass
from typing import Any

from konto.auth.domain.identifiers import normalize_email, normalize_mobile
from konto.auth.domain.login_ids import parse_login_id
from konto.auth.domain.passwords import Passwords, check_policy
from konto.auth.domain.throttle import identifier_key
from konto.auth.domain.tokens import invitation_reference
from konto.auth.events.published import user_registered
from konto.auth.service.login_challenges import Challenge
from konto.auth.service.login_guard import LoginGuard
from konto.auth.service.login_ids import LoginIdService
from konto.auth.service.mfa import MfaService
from konto.auth.service.tokens import Client, IssuedTokens, TokenIssuer
from konto.auth.store.users import Users
from konto.common.events import utcnow, uuid7
from konto.common.outbox import Outbox


class InvalidCredentials(Exception):
    """Unknown identifier or wrong password; the two are never told apart."""


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    name: str
    mobile: str
    locale: str
    invitation_token: str | None = None


@dataclass(frozen=True)
class LoginAttempt:
    email: str
    password: str
    device_id: str | None
    ip: str
    user_agent: str


class Accounts:
    def __init__(
        self,
        *,
        outbox: Outbox,
        users: Users,
        passwords: Passwords,
        guard: LoginGuard,
        mfa: MfaService,
        issuer: TokenIssuer,
        login_ids: LoginIdService,
    ) -> None:
        self.outbox = outbox
        self.users = users
        self.passwords = passwords
        self.guard = guard
        self.mfa = mfa
        self.issuer = issuer
        self.login_ids = login_ids

    async def register(self, reg: Registration) -> dict[str, Any]:
        """Raises InvalidIdentifier, WeakPassword or EmailTaken; writes nothing then."""
        email = normalize_email(reg.email)
        mobile = normalize_mobile(reg.mobile)
        check_policy(reg.password)
        password_hash = await asyncio.to_thread(self.passwords.hash, reg.password)
        now = utcnow()
        user = {
            "_id": str(uuid7()),
            "email": email,
            "password_hash": password_hash,
            "name": reg.name.strip(),
            "mobile": mobile,
            "locale": reg.locale,
            "created_at": now,
            "invitation_id": (
                invitation_reference(reg.invitation_token) if reg.invitation_token else None
            ),
        }
        async with self.outbox.unit_of_work() as uow:
            await self.users.insert(user, uow.session)
            uow.emit(user_registered(user))
        return user

    async def login(self, attempt: LoginAttempt) -> IssuedTokens | Challenge:
        """Raises Throttled, AccountLockedError, InvalidCredentials or LoginIdRequired (AUTH-10:
        the id was retired, a new one comes first). A user with a second factor gets a
        challenge instead of tokens."""
        email = parse_login_id(attempt.email)  # an e-mail address or a generated username
        identifier = identifier_key(attempt.email, email)
        await self.guard.check(identifier, attempt.ip)
        user = await self.users.by_email(email) if email else None
        stored_hash = user["password_hash"] if user else None
        ok = await asyncio.to_thread(self.passwords.verify, stored_hash, attempt.password)
        if not ok or user is None:
            await self.guard.failed(identifier, attempt.ip, user["_id"] if user else None)
            raise InvalidCredentials
        await self.guard.succeeded(identifier)
        if self.passwords.needs_rehash(user["password_hash"]):
            rehashed = await asyncio.to_thread(self.passwords.hash, attempt.password)
            await self.users.set_password_hash(user["_id"], rehashed, utcnow())
        if user.get("login_id_required"):
            raise await self.login_ids.require_new_id(user, attempt.device_id)
        if await self.mfa.is_enabled(user["_id"]):
            return await self.mfa.login.begin(user["_id"], identifier, attempt.device_id)
        client = Client(ip=attempt.ip, user_agent=attempt.user_agent)
        return await self.issuer.open_session(user["_id"], attempt.device_id, client, ["pwd"])
